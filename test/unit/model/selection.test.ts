import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectionPredicate } from '../../../src/model/selection';
import { ProcessInfo } from '../../../src/model/snapshot';
import { frameRows } from '../../../src/view/build-view';
import { makeSnapshot, makeUiState, ProcessSpec } from '../../helpers/process-fixture';

/** Process 40 with threads 41 and 42 (rows of their own, tgid 40), and process 50. */
const SPECS: ProcessSpec[] = [{ pid: 40, threads: 3 }, { pid: 41, tgid: 40, ppid: 40, thread: true }, { pid: 42, tgid: 40, ppid: 40, thread: true }, { pid: 50 }];
const SNAPSHOT = makeSnapshot(SPECS);
const ROWS: readonly ProcessInfo[] = SNAPSHOT.processes;

const picked = (pids: number[]): number[] => {
  const include = selectionPredicate({ pids, now: 0, stuckAfterMs: 5000 }) ?? (() => true);
  return ROWS.filter(include).map((p) => p.pid);
};

test('-p PID selects the process and its thread rows', () => {
  assert.deepEqual(picked([40]), [40, 41, 42]);
});

test('-p TID selects that thread row alone', () => {
  assert.deepEqual(picked([42]), [42]);
});

test('no -p, -u or filter selects everything (no predicate at all)', () => {
  assert.equal(selectionPredicate({ filter: '  ', now: 0, stuckAfterMs: 5000 }), undefined);
});

test('the TUI selects the same rows for -p as --once does, threads shown', () => {
  for (const pids of [[40], [42], [41, 50]]) {
    const rows = frameRows(makeUiState({ pids, showThreads: true }), SNAPSHOT, undefined).rows.map((r) => r.process.pid);
    assert.deepEqual([...rows].sort((a, b) => a - b), picked(pids), `-p ${pids.join(',')}`);
  }
});
