import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cgroupComparator, CGROUP_COLUMNS, findCgroupColumn, formatCpuLimit, formatPressure, formatThrottledTime } from '../../../src/model/cgroup-columns';
import { compactBytes } from '../../../src/model/format';
import { buildCgroupTree, cgroupRows, CgroupNode } from '../../../src/model/cgroup-tree';
import { CgroupInfo } from '../../../src/model/snapshot';

function info(p: string, processes: number, extra: Partial<CgroupInfo> = {}): CgroupInfo {
  return {
    path: p, version: 2, container: undefined, unit: undefined, processes, cpu: undefined, cpuUsageUsec: undefined, cpuLimit: undefined,
    throttledPercent: undefined, throttledMs: undefined, periods: undefined, throttledPeriods: undefined, throttledUsec: undefined, memory: undefined, memoryLimit: undefined,
    swap: undefined, oomKills: undefined, oomKillsSeen: undefined, pids: undefined, pidsLimit: undefined, pressure: undefined, flags: '', ...extra,
  };
}

const byName = cgroupComparator(findCgroupColumn('name') ?? assert.fail(), false);

test('ancestors are made for paths proctop saw only the leaves of, and PROCS counts the whole subtree', () => {
  const root = buildCgroupTree([info('/a/b', 2), info('/a/c', 3), info('/', 1)]);
  const a = root.children[0] as CgroupNode;
  assert.deepEqual([root.processes, a.path, a.info, a.processes], [6, '/a', undefined, 5]);
  assert.deepEqual(cgroupRows(root, byName, () => false).map((r) => `${r.guide}${r.node.name}`), ['/', '└─ a', '   ├─ b', '   └─ c']);
});

test('siblings sort by the column, unknown values last in either direction', () => {
  const root = buildCgroupTree([info('/x', 1, { cpu: 5 }), info('/y', 1), info('/z', 1, { cpu: 50 })]);
  const cpu = findCgroupColumn('cpu') ?? assert.fail();
  assert.deepEqual(cgroupRows(root, cgroupComparator(cpu, true), () => false).map((r) => r.node.name), ['/', 'z', 'x', 'y']);
  assert.deepEqual(cgroupRows(root, cgroupComparator(cpu, false), () => false).map((r) => r.node.name), ['/', 'x', 'z', 'y']);
});

test('a collapsed path hides its subtree and says so', () => {
  const rows = cgroupRows(buildCgroupTree([info('/a/b', 1), info('/c', 1)]), byName, (p) => p === '/a');
  assert.deepEqual(rows.map((r) => [r.node.name, r.collapsed]), [['/', false], ['a', true], ['c', false]]);
});

test('a 5,000-deep hierarchy builds and flattens without overflowing the stack, guides bounded', () => {
  const deep = `/${Array.from({ length: 5000 }, (_, i) => `d${i}`).join('/')}`;
  const rows = cgroupRows(buildCgroupTree([info(deep, 1)]), byName, () => false);
  assert.equal(rows.length, 5001);
  assert.ok(Math.max(...rows.map((r) => r.guide.length)) < 60);
});

test('formats: CPU limits as people say them, none for max; throttled time; bytes within 5 characters; PSI some/full', () => {
  assert.deepEqual([1.5, 1, 0.25, 2, 0.333333, 'max' as const].map(formatCpuLimit), ['1.5 CPUs', '1 CPU', '0.25 CPUs', '2 CPUs', '0.33 CPUs', 'none']);
  assert.deepEqual([0, 0.4, 850, 999.6, 1200, 12_000].map(formatThrottledTime), ['0ms', '0ms', '850ms', '1.0s', '1.2s', '12s']);
  assert.deepEqual([512, 4096, 1024 ** 3, 1.5 * 1024 ** 3, 1023.9 * 1024 ** 2, 12 * 1024 ** 2].map(compactBytes), ['512B', '4.0K', '1.0G', '1.5G', '1.0G', '12M']);
  const line = (avg10: number) => ({ avg10, avg60: 0, avg300: 0, total: 0 });
  assert.equal(formatPressure({ some: line(12.34), full: line(100) }), '12.3/100');
  assert.equal(formatPressure({ some: line(1), full: undefined }), '1.0');
});

test('every column: a unique id, a title that fits, and blank (never 0) for a cgroup proctop has no numbers for', () => {
  assert.equal(new Set(CGROUP_COLUMNS.map((c) => c.id)).size, CGROUP_COLUMNS.length);
  assert.equal(CGROUP_COLUMNS.filter((c) => c.flex).length, 1);
  const ancestor = buildCgroupTree([info('/a/b', 1)]).children[0] as CgroupNode;
  for (const c of CGROUP_COLUMNS) {
    assert.ok(c.title.length <= c.width || c.flex, c.id);
    if (c.id !== 'name' && c.id !== 'procs') assert.equal(c.text(ancestor), '', c.id);
  }
});

test('full cells fit their columns', () => {
  const full = buildCgroupTree([info('/a', 99999, {
    cpu: 1234.5, cpuLimit: 0.25, throttledPercent: 100, throttledMs: 123_456, memory: 1023.9 * 1024 ** 4, memoryLimit: 999 * 1024 ** 3,
    swap: 1000 * 1024 ** 2, oomKills: 9999, pids: 99999, pidsLimit: 'max',
    pressure: { cpu: { some: { avg10: 99.9, avg60: 0, avg300: 0, total: 0 }, full: { avg10: 99.9, avg60: 0, avg300: 0, total: 0 } }, memory: undefined, io: undefined },
  })]).children[0] as CgroupNode;
  for (const c of CGROUP_COLUMNS) if (!c.flex) assert.ok(c.text(full).length <= c.width, `${c.id}: ${c.text(full)}`);
});
