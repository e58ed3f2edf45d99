/** The effect runner's status text when the action log cannot be written. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { effectRunner } from '../../../src/loop/system-effects';
import type { ProcessProbe } from '../../../src/model/snapshot-source';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-effects-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A log path whose parent is a regular file: every write fails with ENOTDIR. */
function unwritableLog(): string {
  const file = path.join(dir, 'a-file');
  fs.writeFileSync(file, '');
  return path.join(file, 'proctop', 'deep', 'enough', 'to', 'be', 'long', 'actions.log');
}

const START = 4242;
const probe: ProcessProbe = {
  startTicks: () => START,
  inspect: () => undefined,
  childrenOf: () => [],
  groupOf: () => undefined,
};

test('a failed action log leaves the result whole on an 80-column status line: a short note after it, no path', () => {
  const run = effectRunner(probe, unwritableLog());
  // Setting our own nice value to what it is: a real renice that changes nothing.
  const nice = os.getPriority();
  const outcome = run({ kind: 'renice', target: { pid: process.pid, startTicks: START, user: 'root', command: 'node' }, nice });
  const result = `PID ${process.pid}: nice set to ${nice}`;
  assert.ok(outcome.text.startsWith(result), outcome.text);
  assert.ok(outcome.text.length <= 80, `${outcome.text.length} columns: ${outcome.text}`);
  assert.match(outcome.text, /not logged: ENOTDIR/);
  assert.equal(outcome.error, true, 'an unlogged action is shown as a problem');
});
