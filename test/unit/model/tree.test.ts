import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ProcessInfo } from '../../../src/model/snapshot';
import { buildForest, countStates, flattenForest, subtreeOf, GUIDE_MAX_LEVELS, type FlatRow } from '../../../src/model/tree';

/** A process with every field filled; `over` replaces any of them. */
function proc(pid: number, ppid: number, over: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid, startTicks: 100 + pid, ppid, tgid: pid, pgid: pid, sid: pid, tty: undefined, state: 'S',
    name: `p${pid}`, command: `/bin/p${pid}`, kernel: false, thread: false, uid: 0, user: 'root',
    priority: 20, nice: 0, threads: 1, startTime: 1_700_000_000_000, cpuTicks: 0, cpuTime: 0,
    rss: 4096, vsz: 8192, shared: 0, cpu: undefined, mem: undefined,
    wchan: undefined, stateSince: 0, exeDeleted: false, orphan: false, cgroup: undefined, container: undefined, unit: undefined, cgroupFlags: '', swap: undefined, oomScore: undefined, oomScoreAdj: undefined, ioReadRate: undefined, ioWriteRate: undefined, ioDenied: undefined, ...over,
  };
}

const pids = (rows: readonly FlatRow[]): number[] => rows.map((r) => r.node.process.pid);

/** pid i+1 has ppid i, for i in 1..n-1. */
function chain(n: number): ProcessInfo[] {
  return Array.from({ length: n }, (_, i) => proc(i + 1, i));
}

/** Tree used by several tests: 1 → (2 → (4, 5), 3 → 6), and 7 whose parent is absent. */
const family = (): ProcessInfo[] =>
  [proc(1, 0), proc(2, 1), proc(3, 1), proc(4, 2), proc(5, 2), proc(6, 3), proc(7, 99)];

void test('a process whose parent is absent, zero or itself is a root', () => {
  const forest = buildForest([proc(1, 0), proc(2, 0), proc(5, 42), proc(8, 8), proc(9, 1)]);
  assert.deepEqual(forest.roots.map((n) => n.process.pid), [1, 2, 5, 8]);
  assert.equal(forest.byPid.get(9)?.parent?.process.pid, 1);
});

void test('roots and children are ordered by the comparator, stably', () => {
  const input = [proc(1, 0, { name: 'b' }), proc(4, 1, { name: 'a' }), proc(2, 1, { name: 'b' }), proc(3, 1, { name: 'a' })];
  const forest = buildForest(input, (a, b) => a.name.localeCompare(b.name));
  assert.deepEqual(forest.roots[0].children.map((n) => n.process.pid), [4, 3, 2]);
});

void test('the default order is by pid ascending', () => {
  const forest = buildForest([proc(30, 0), proc(10, 0), proc(12, 10), proc(11, 10)]);
  assert.deepEqual(pids(flattenForest(forest)), [10, 11, 12, 30]);
});

void test('depth counts edges from the root', () => {
  const forest = buildForest(family());
  assert.deepEqual([1, 2, 4, 6, 7].map((pid) => forest.byPid.get(pid)?.depth), [0, 1, 2, 2, 0]);
});

void test('guides draw a 3-level tree with siblings', () => {
  const rows = flattenForest(buildForest(family()));
  assert.deepEqual(rows.map((r) => [r.node.process.pid, r.guide]), [
    [1, ''], [2, '├─ '], [4, '│  ├─ '], [5, '│  └─ '], [3, '└─ '], [6, '   └─ '], [7, ''],
  ]);
});

void test('guides of very deep rows keep only the nearest columns after an ellipsis', () => {
  const rows = flattenForest(buildForest(chain(GUIDE_MAX_LEVELS + 5)));
  assert.equal(rows[GUIDE_MAX_LEVELS + 1].guide, ' '.repeat(3 * GUIDE_MAX_LEVELS) + '└─ ');
  assert.equal(rows[GUIDE_MAX_LEVELS + 4].guide, '…' + ' '.repeat(3 * GUIDE_MAX_LEVELS) + '└─ ');
});

void test('thread rows hang under their tgid, even when the main thread shares the pid', () => {
  const t = (pid: number, tgid: number): ProcessInfo => proc(pid, 1, { tgid, thread: true });
  const forest = buildForest([t(10, 10), proc(1, 0), t(11, 10), proc(10, 1)]);
  assert.equal(forest.byPid.get(10)?.process.thread, false);
  assert.deepEqual(forest.byPid.get(10)?.children.map((n) => [n.process.pid, n.process.thread]), [[10, true], [11, true]]);
});

void test('zombies are grouped by parent pid, ordered by pid, threads left out', () => {
  const z = (pid: number, ppid: number, thread = false): ProcessInfo => proc(pid, ppid, { state: 'Z', thread });
  const forest = buildForest([proc(1, 0), z(9, 1), z(5, 1), z(7, 3), z(8, 1, true), proc(6, 1)]);
  assert.deepEqual([...forest.zombiesByParent].map(([k, v]) => [k, v.map((p) => p.pid)]), [[1, [5, 9]], [3, [7]]]);
});

void test('state counts exclude threads and list every state', () => {
  const input = [proc(1, 0, { state: 'R' }), proc(2, 1), proc(3, 1), proc(4, 1, { state: 'R', thread: true })];
  const expected = { R: 1, S: 2, D: 0, T: 0, t: 0, Z: 0, X: 0, I: 0, '?': 0 };
  assert.deepEqual(countStates(input), expected);
  assert.deepEqual(buildForest(input).states, expected);
});

void test('a collapsed node is shown but hides its descendants', () => {
  const rows = flattenForest(buildForest(family()), (p) => p.pid === 2);
  assert.deepEqual(pids(rows), [1, 2, 3, 6, 7]);
  assert.deepEqual([rows[1].hasChildren, rows[1].collapsed], [true, true]);
});

void test('include keeps matches and their ancestors only', () => {
  const rows = flattenForest(buildForest(family()), undefined, (p) => p.pid === 5);
  assert.deepEqual(rows.map((r) => [r.node.process.pid, r.guide]), [[1, ''], [2, '└─ '], [5, '   └─ ']]);
});

void test('subtreeOf returns the node and its descendants in pre-order', () => {
  const forest = buildForest(family());
  assert.deepEqual(subtreeOf(forest, 1).map((p) => p.pid), [1, 2, 4, 5, 3, 6]);
  assert.deepEqual(subtreeOf(forest, 404), []);
});

for (const depth of [10_000, 50_000]) {
  void test(`a ${depth}-deep chain builds, flattens and walks without overflowing`, () => {
    const forest = buildForest(chain(depth).reverse());
    const rows = flattenForest(forest, undefined, (p) => p.pid === depth);
    assert.equal(rows.length, depth);
    assert.equal(rows[depth - 1].depth, depth - 1);
    assert.equal(subtreeOf(forest, 1).length, depth);
  });
}

void test('a 2-cycle keeps both processes, the lower pid becoming the root', () => {
  const forest = buildForest([proc(7, 3), proc(3, 7)]);
  assert.deepEqual(pids(flattenForest(forest)), [3, 7]);
  assert.equal(forest.roots[0].process.pid, 3);
});

void test('a 3-cycle hanging below a real tree keeps every process exactly once', () => {
  const forest = buildForest([proc(1, 0), proc(4, 6), proc(5, 4), proc(6, 5), proc(8, 5)]);
  assert.deepEqual(pids(flattenForest(forest)), [1, 4, 5, 6, 8]);
  assert.deepEqual(forest.roots.map((n) => n.process.pid), [1, 4]);
});

void test('property: every pid appears once and depth follows the shown parent', () => {
  // Parent index -1 or out of range means "absent"; self-loops and cycles arise naturally.
  const parents = fc.array(fc.integer({ min: -1, max: 30 }), { minLength: 1, maxLength: 30 });
  fc.assert(fc.property(parents, fc.boolean(), (ps, filter) => {
    const input = ps.map((p, i) => proc(i + 1, p >= 0 && p < ps.length ? p + 1 : 1000 + i));
    const include = filter ? () => true : undefined;
    const rows = flattenForest(buildForest(input), undefined, include);
    assert.deepEqual([...pids(rows)].sort((a, b) => a - b), input.map((p) => p.pid));
    const depthOf = new Map(rows.map((r) => [r.node, r.depth]));
    for (const row of rows) {
      const parent = row.node.parent;
      if (parent === undefined) assert.equal(row.guide, '');
      else if (depthOf.has(parent)) assert.equal(row.depth, (depthOf.get(parent) ?? NaN) + 1);
    }
  }));
});
