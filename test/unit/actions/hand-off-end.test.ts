import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endHandOff, handOffProcesses } from '../../../src/actions/hand-off-end';

/** A little process table: pid → start time and children. */
const table: Record<number, { start: number; kids: number[] }> = {
  100: { start: 10, kids: [101, 102] },  // sh wrapper: lsof | less
  101: { start: 11, kids: [] },
  102: { start: 12, kids: [103] },
  103: { start: 13, kids: [] },
};
const probe = (pid: number): number | undefined => table[pid]?.start;
const childrenOf = (pid: number) => (table[pid]?.kids ?? []).map((k) => ({ pid: k, startTicks: table[k]?.start ?? 0 }));

test('the tools are ended deepest first and the sh wrapper last', () => {
  assert.deepEqual(handOffProcesses({ pid: 100, startTicks: 10 }, probe, childrenOf).map((p) => p.pid), [103, 101, 102, 100]);
  const calls: [number, number][] = [];
  const results = endHandOff({ pid: 100, startTicks: 10 }, 15, probe, childrenOf, (pid, sig) => { calls.push([pid, sig]); });
  assert.deepEqual(calls, [[103, 15], [101, 15], [102, 15], [100, 15]]);
  assert.ok(results.every((r) => r.outcome === 'sent'));
});

test('a wrapper pid that now belongs to another process: nothing is signalled, not even its children', () => {
  const calls: number[] = [];
  assert.deepEqual(endHandOff({ pid: 100, startTicks: 9 }, 15, probe, childrenOf, (pid) => { calls.push(pid); }), []);
  assert.deepEqual(endHandOff({ pid: 999, startTicks: 9 }, 15, probe, childrenOf, (pid) => { calls.push(pid); }), []);
  assert.deepEqual(calls, []);
});

test('a tool whose pid was reused between the listing and the signal is not signalled', () => {
  const calls: number[] = [];
  // Listed with another start time than the one /proc gives when the signal is due.
  const stale = (pid: number) => (pid === 100 ? [{ pid: 101, startTicks: 99 }, { pid: 102, startTicks: 12 }] : childrenOf(pid));
  const results = endHandOff({ pid: 100, startTicks: 10 }, 9, probe, stale, (pid) => { calls.push(pid); });
  assert.equal(results.find((r) => r.target.pid === 101)?.outcome, 'reused');
  assert.ok(!calls.includes(101));
  assert.equal(calls[calls.length - 1], 100);
});
