import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queryFiles, queryNeedsCgroups } from '../../../src/model/query-needs';
import { cgroupsNeeded, processFilesNeeded } from '../../../src/view/reads';

test('cgroup fields and flags in a query need cgroups read', () => {
  for (const q of ['cgroup:/system.slice', 'container:docker', 'unit:nginx.service', 'UNIT~ssh', 'throttled', 'is:memlimit', 'oom or pressure', 'user:root (container!=x)']) {
    assert.equal(queryNeedsCgroups(q), true, q);
  }
});

test('queries without a cgroup word do not read cgroups', () => {
  for (const q of [undefined, '', 'nginx', 'state:Z cpu>5', 'units', 'containers', 'cgroupd', 'zombie or stuck']) {
    assert.equal(queryNeedsCgroups(q), false, String(q));
  }
});

test('the TUI reads cgroups for a cgroup filter with no cgroup column shown', () => {
  assert.equal(cgroupsNeeded({ columns: ['pid', 'command'], filter: 'container:web' }), true);
  assert.equal(cgroupsNeeded({ columns: ['pid', 'command'], filter: 'nginx' }), false);
  assert.equal(cgroupsNeeded({ columns: ['pid', 'unit'], filter: '' }), true);
});

test('a query naming SWAP, OOM or I/O fields needs their files read; other words do not', () => {
  assert.deepEqual([...queryFiles('swap>1G')], ['status']);
  assert.deepEqual([...queryFiles('oomscore>500 or oom_score_adj<0')].sort(), ['oom_score', 'oom_score_adj']);
  assert.deepEqual([...queryFiles('user:root (ioread>1M or iowrite>1M)')], ['io']);
  for (const q of [undefined, '', 'swapper', 'oom', 'nginx', 'ioreader', 'cpu>5']) assert.deepEqual([...queryFiles(q)], [], String(q));
});

test('the TUI reads the files of the columns shown, of the sort column and of the filter', () => {
  const none = { columns: ['pid', 'command'], filter: '', sortKey: 'cpu' };
  assert.deepEqual([...processFilesNeeded(none)], []);
  assert.deepEqual([...processFilesNeeded({ ...none, columns: ['pid', 'swap', 'oomscore', 'command'] })].sort(), ['oom_score', 'status']);
  assert.deepEqual([...processFilesNeeded({ ...none, sortKey: 'iowrite' })], ['io'], 'sorted by WRITE/s with the column hidden');
  assert.deepEqual([...processFilesNeeded({ ...none, filter: 'oomadj<0' })], ['oom_score_adj']);
});
