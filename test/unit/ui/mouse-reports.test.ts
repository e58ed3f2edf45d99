import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitMouseReports } from '../../../src/ui/mouse-reports';

const wheelDown = '\x1b[<65;10;12M';
const press = '\x1b[<0;5;7M';
const release = '\x1b[<0;5;7m';

test('several SGR mouse reports read together are split into one report each', () => {
  assert.deepEqual(splitMouseReports(wheelDown + wheelDown + wheelDown), [wheelDown, wheelDown, wheelDown]);
  assert.deepEqual(splitMouseReports(press + release), [press, release]);
});

test('a single report, or anything that is not only mouse reports, is left whole (undefined)', () => {
  assert.equal(splitMouseReports(press), undefined);
  assert.equal(splitMouseReports(`${press}q${release}`), undefined, 'a key between reports');
  assert.equal(splitMouseReports('\x1b[A\x1b[B'), undefined, 'arrow keys');
  assert.equal(splitMouseReports(`${press}\x1b[<0;5`), undefined, 'a cut-off report');
  assert.equal(splitMouseReports(''), undefined);
});
