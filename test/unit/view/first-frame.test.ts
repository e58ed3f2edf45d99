import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COLUMNS, findColumn } from '../../../src/model/columns';
import { ProcessInfo } from '../../../src/model/snapshot';
import { FIRST_SCAN_UNREAD, firstScanSplits, firstScreenPids, screenFirstOrder, screenFirstPids } from '../../../src/view/first-frame';
import { makeProcess, makeSnapshot, makeUiState } from '../../helpers/process-fixture';

test('FIRST_SCAN_UNREAD names every column whose value a split first scan leaves unread, and only columns', () => {
  const whole: ProcessInfo = makeProcess({ pid: 4242, name: 'worker', command: '/usr/bin/worker --flag', user: 'www-data', uid: 33, rss: 80 * 1024 * 1024, cpu: 3 });
  const unread: ProcessInfo = { ...whole, command: '[worker]', user: undefined, uid: undefined, rss: 70 * 1024 * 1024, shared: undefined, mem: 0.25 };
  const reading = { ...whole, shared: 4096, mem: 0.3 };
  for (const c of COLUMNS) {
    if (c.value(reading) !== c.value(unread)) assert.ok(FIRST_SCAN_UNREAD.has(c.id), `column ${c.id} depends on argv/uid/statm`);
  }
  for (const id of FIRST_SCAN_UNREAD) assert.equal(findColumn(id)?.id, id, `${id} is a column id`);
});

test('the first scan splits for the default start only: any filter, -u, -p or an unread sort key reads everything first', () => {
  const base = { filter: '', uid: undefined, pids: undefined, sortKey: 'cpu' };
  assert.equal(firstScanSplits(base), true);
  assert.equal(firstScanSplits({ ...base, sortKey: 'pid' }), true);
  assert.equal(firstScanSplits({ ...base, filter: 'nginx' }), false);
  assert.equal(firstScanSplits({ ...base, filter: '  ' }), true, 'a blank filter filters nothing');
  assert.equal(firstScanSplits({ ...base, uid: 0 }), false);
  assert.equal(firstScanSplits({ ...base, pids: [1] }), false);
  for (const key of ['mem', 'res', 'user', 'command', 'rss', 'cmd']) assert.equal(firstScanSplits({ ...base, sortKey: key }), false, key);
});

test('firstScreenPids: the first rows in the screen order, a thread row standing for its process', () => {
  const snapshot = makeSnapshot([
    { pid: 30, cpu: 1 }, { pid: 10, cpu: 9 }, { pid: 20, cpu: 5 },
    { pid: 31, tgid: 30, thread: true, cpu: 7 },
  ]);
  const state = makeUiState({ sortKey: 'cpu', descending: true, showThreads: true });
  assert.deepEqual(firstScreenPids(state, snapshot, 3), [10, 30, 20], 'cpu 9, then the thread of 30 (7), then 20');
  assert.deepEqual(firstScreenPids(state, snapshot, 0), []);
  assert.deepEqual(firstScreenPids(makeUiState({ sortKey: 'pid', descending: false, showThreads: false }), snapshot, 10), [10, 20, 30]);
});

test('screenFirstOrder: the first screen is known from the pid list for a plain list by PID or CPU%, and for nothing else', () => {
  const base = { filter: '', uid: undefined, pids: undefined, sortKey: 'cpu', descending: true, tree: false, showThreads: false, showKernel: true };
  assert.equal(screenFirstOrder(base, false), 'ascending', 'CPU%: every row ties on the first frame, ties go by pid');
  assert.equal(screenFirstOrder({ ...base, descending: false }, false), 'ascending');
  assert.equal(screenFirstOrder({ ...base, sortKey: 'pid', descending: false }, false), 'ascending');
  assert.equal(screenFirstOrder({ ...base, sortKey: 'pid', descending: true }, false), 'descending');
  assert.equal(screenFirstOrder({ ...base, sortKey: 'percent_cpu' }, false), 'ascending', 'an alias');
  for (const key of ['mem', 'res', 'user', 'command', 'time', 'state', 'ppid', 'nosuchcolumn']) assert.equal(screenFirstOrder({ ...base, sortKey: key }, false), undefined, key);
  assert.equal(screenFirstOrder({ ...base, tree: true }, false), undefined);
  assert.equal(screenFirstOrder({ ...base, showThreads: true }, false), undefined);
  assert.equal(screenFirstOrder({ ...base, showKernel: false }, false), undefined);
  assert.equal(screenFirstOrder({ ...base, filter: 'nginx' }, false), undefined);
  assert.equal(screenFirstOrder({ ...base, filter: '  ' }, false), 'ascending', 'a blank filter filters nothing');
  assert.equal(screenFirstOrder({ ...base, uid: 0 }, false), undefined);
  assert.equal(screenFirstOrder({ ...base, pids: [1] }, false), undefined);
  assert.equal(screenFirstOrder(base, true), undefined, 'cgroups read');
});

test('screenFirstPids picks what the whole first frame shows first: the same pids as its rows in the screen order', () => {
  const pids = [400, 3, 1200, 1, 77, 5000, 12, 2, 999];
  // A whole first frame: no CPU% yet on any row.
  const snapshot = makeSnapshot(pids.map((pid) => ({ pid, cpu: undefined })));
  for (const [sortKey, descending] of [['cpu', true], ['cpu', false], ['pid', false], ['pid', true]] as const) {
    const state = makeUiState({ sortKey, descending, showThreads: false });
    const order = screenFirstOrder(state, false);
    assert.ok(order !== undefined, `${sortKey} ${descending}`);
    for (const lines of [0, 1, 4, 9, 20]) assert.deepEqual(screenFirstPids(pids, order, lines), firstScreenPids(state, snapshot, lines), `${sortKey} ${descending ? 'desc' : 'asc'}, ${lines} lines`);
  }
  assert.deepEqual(pids, [400, 3, 1200, 1, 77, 5000, 12, 2, 999], 'the list given is left alone');
});
