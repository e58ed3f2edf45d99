import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Column, findColumn } from '../../../src/model/columns';
import type { ProcessInfo } from '../../../src/model/snapshot';
import { comparator, sortProcesses } from '../../../src/model/sort';

function proc(pid: number, over: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid, startTicks: 100 + pid, ppid: 1, tgid: pid, pgid: pid, sid: pid, tty: undefined, state: 'S',
    name: `p${pid}`, command: `/bin/p${pid}`, kernel: false, thread: false, uid: 0, user: 'root',
    priority: 20, nice: 0, threads: 1, startTime: 1_700_000_000_000, cpuTicks: 0, cpuTime: 0,
    rss: 4096, vsz: 8192, shared: 0, cpu: undefined, mem: undefined,
    wchan: undefined, stateSince: 0, exeDeleted: false, orphan: false, cgroup: undefined, container: undefined, unit: undefined, cgroupFlags: '', swap: undefined, oomScore: undefined, oomScoreAdj: undefined, ioReadRate: undefined, ioWriteRate: undefined, ioDenied: undefined, ...over,
  };
}

function col(id: string): Column {
  const c = findColumn(id);
  if (!c) assert.fail(`no column ${id}`);
  return c;
}

const sorted = (input: readonly ProcessInfo[], id: string, descending: boolean): number[] =>
  sortProcesses(input, { column: col(id), descending }).map((p) => p.pid);

const CPUS = [proc(1, { cpu: 50 }), proc(2, { cpu: undefined }), proc(3, { cpu: 150 }), proc(4, { cpu: 0 }), proc(5, { cpu: undefined }), proc(6, { cpu: 9 })];

test('a numeric column sorts numerically descending (9 before 50 is wrong)', () => {
  assert.deepEqual(sorted(CPUS, 'cpu', true), [3, 1, 6, 4, 2, 5]);
});

test('a numeric column sorts numerically ascending', () => {
  assert.deepEqual(sorted(CPUS, 'cpu', false), [4, 6, 1, 3, 2, 5]);
});

test('unknown values sort last descending, by pid among themselves', () => {
  assert.deepEqual(sorted(CPUS, 'cpu', true).slice(-2), [2, 5]);
});

test('unknown values sort last ascending too', () => {
  assert.deepEqual(sorted(CPUS, 'cpu', false).slice(-2), [2, 5]);
});

test('a text column sorts case-insensitively, upper case first among equals', () => {
  const input = [proc(1, { user: 'bob' }), proc(2, { user: 'alice' }), proc(3, { user: 'Carol' }), proc(4, { user: 'Alice' })];
  assert.deepEqual(sorted(input, 'user', false), [4, 2, 1, 3]);
});

test('a text column compares digits as text (10 before 9)', () => {
  const input = [proc(1, { name: '9' }), proc(2, { name: '10' })];
  assert.deepEqual(sorted(input, 'name', false), [2, 1]);
});

test('the pid column compares numbers as numbers (9 before 10)', () => {
  assert.deepEqual(sorted([proc(10), proc(9), proc(100)], 'pid', false), [9, 10, 100]);
});

test('ties are broken by ascending pid in both directions', () => {
  const input = [proc(7, { cpu: 1 }), proc(3, { cpu: 1 }), proc(5, { cpu: 1 })];
  assert.deepEqual(sorted(input, 'cpu', true), [3, 5, 7]);
  assert.deepEqual(sorted(input, 'cpu', false), [3, 5, 7]);
});

test('rows equal in value and pid keep their input order (stable)', () => {
  const a = proc(9, { cpu: 1, thread: true, name: 'a' });
  const b = proc(9, { cpu: 1, name: 'b' });
  const order = { column: col('cpu'), descending: true };
  assert.deepEqual(sortProcesses([a, b], order).map((p) => p.name), ['a', 'b']);
  assert.deepEqual(sortProcesses([b, a], order).map((p) => p.name), ['b', 'a']);
});

test('sortProcesses does not mutate its input (a frozen array)', () => {
  const input = Object.freeze([...CPUS]);
  sortProcesses(input, { column: col('cpu'), descending: true });
  assert.deepEqual(input.map((p) => p.pid), [1, 2, 3, 4, 5, 6]);
});

test('the comparator of two processes with unknown values orders them by pid', () => {
  const compare = comparator({ column: col('cpu'), descending: true });
  assert.ok(compare(proc(2), proc(5)) < 0 && compare(proc(5), proc(2)) > 0);
});

const arbProc = fc.record({
  pid: fc.integer({ min: 1, max: 50 }),
  cpu: fc.option(fc.constantFrom(0, 1, 2.5, 50, 150), { nil: undefined }),
  user: fc.option(fc.constantFrom('root', 'Root', 'alice', 'bob', ''), { nil: undefined }),
}).map(({ pid, cpu, user }) => proc(pid, { cpu, user }));

test('property: a sorted list is ordered by the comparator, unknowns last, and a permutation of the input', () => {
  const order = fc.record({ id: fc.constantFrom('cpu', 'user', 'pid'), descending: fc.boolean() });
  fc.assert(fc.property(fc.array(arbProc, { maxLength: 30 }), order, (input, { id, descending }) => {
    const column = col(id);
    const out = sortProcesses(input, { column, descending });
    const compare = comparator({ column, descending });
    for (let i = 1; i < out.length; i++) assert.ok(compare(out[i - 1], out[i]) <= 0);
    const firstUnknown = out.findIndex((p) => column.value(p) === undefined);
    if (firstUnknown >= 0) assert.ok(out.slice(firstUnknown).every((p) => column.value(p) === undefined));
    assert.equal(out.length, input.length);
    assert.ok(input.every((p) => out.includes(p)));
  }));
});
