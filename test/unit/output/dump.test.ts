import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, dumpFrame, summarize } from '../../../src/output/dump';
import { makeSnapshot, makeSystem } from '../../helpers/process-fixture';

test('a CSV cell quotes commas and quotes, blanks controls, and defuses formulas', () => {
  assert.equal(csvCell('a,b "c"'), '"a,b ""c"""');
  assert.equal(csvCell('\x1b[2Jx\n'), '"\ufffd[2Jx\ufffd"'.replace(/^"|"$/g, ''));
  assert.equal(csvCell('=cmd|calc'), "'=cmd|calc");
  assert.equal(csvCell(undefined), '');
  assert.equal(csvCell(1.5), '1.5');
});

test('text lines pass /proc strings through the terminal gate', () => {
  const s = makeSnapshot([{ pid: 7, command: '\x1b]0;pwned\x07 x\ty' }]);
  const [line] = dumpFrame(s, s.processes, 'text', false, 5000);
  assert.doesNotMatch(line.split('\t').slice(1).join(' '), /[\x00-\x08\x0a-\x1f\x7f-\x9f]/);
  assert.equal(line.split('\t').length, 10, 'a tab in the command does not add a column');
});

test('JSON lines keep hostile strings exact (escaped)', () => {
  const s = makeSnapshot([{ pid: 7, command: '\x1b]0;pwned\x07\u009b' }]);
  const [line] = dumpFrame(s, s.processes, 'json', false, 5000);
  assert.doesNotMatch(line, /[\x00-\x1f\x7f-\x9f]/);
  assert.equal((JSON.parse(line) as { command: string }).command, '\x1b]0;pwned\x07\u009b');
});

test('the summary counts states and zombies per parent, most first', () => {
  const s = makeSnapshot([{ pid: 1 }, { pid: 2, state: 'Z', ppid: 9 }, { pid: 3, state: 'Z', ppid: 8 }, { pid: 4, state: 'Z', ppid: 8 }, { pid: 5, state: 'D' }], { system: makeSystem({ forks: 1012 }) });
  const sum = summarize(s, s.processes, makeSystem({ forks: 1000 }));
  assert.deepEqual(sum.zombieParents, [[8, 2], [9, 1]]);
  assert.equal(sum.states.Z, 3);
  assert.equal(sum.states.D, 1);
  assert.equal(sum.forks, 12);
});

test('forks between frames come from the one counter: null for the first frame and across a reboot', () => {
  const s = makeSnapshot([{ pid: 1 }], { system: makeSystem({ forks: 50 }) });
  assert.equal(summarize(s, s.processes).forks, null);
  assert.equal(summarize(s, s.processes, makeSystem({ forks: 90_000 })).forks, null);
  assert.equal(summarize(s, s.processes, makeSystem({ forks: 20 })).forks, 30);
});
