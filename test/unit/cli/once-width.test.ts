import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outputWidth } from '../../../src/cli/once';

test('--once width: a sized terminal gives its columns; a pipe gives whole lines', () => {
  assert.equal(outputWidth({ isTTY: true, columns: 132 }, {}), 132);
  assert.equal(outputWidth({ isTTY: true, columns: 132 }, { COLUMNS: '80' }), 132, 'the terminal knows better than a stale $COLUMNS');
  assert.equal(outputWidth({ isTTY: false, columns: undefined }, { COLUMNS: '80' }), undefined, 'a pipe is never cut, as with ps');
  assert.equal(outputWidth({}, {}), undefined);
});

test('--once width: a terminal that reports 0 columns uses $COLUMNS, else whole lines (it printed empty lines)', () => {
  assert.equal(outputWidth({ isTTY: true, columns: 0 }, {}), undefined);
  assert.equal(outputWidth({ isTTY: true, columns: 0 }, { COLUMNS: '100' }), 100);
  assert.equal(outputWidth({ isTTY: true, columns: undefined }, { COLUMNS: '100' }), 100);
  for (const bad of ['0', '-5', 'wide', '', '80.5']) assert.equal(outputWidth({ isTTY: true, columns: 0 }, { COLUMNS: bad }), undefined, `COLUMNS=${bad}`);
});
