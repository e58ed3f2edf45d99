import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queryNeedsCgroups } from '../../../src/model/query-needs';
import { cgroupsNeeded } from '../../../src/view/reads';

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
