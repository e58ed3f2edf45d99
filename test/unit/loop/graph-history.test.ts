/** The history graph's points: one per frame that has an interval. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphHistory, GRAPH_POINTS } from '../../../src/loop/graph-history';
import { makeSnapshot, makeSystem } from '../../helpers/process-fixture';

const busy = (pct: number, interval: number | undefined) => makeSnapshot([{ pid: 1 }], {
  interval,
  system: makeSystem({ cpu: { user: pct, system: 0, iowait: 0, steal: 0, other: 0, busy: pct }, memory: { total: 100, free: 50, used: 25, buffers: 0, cache: 0, available: 75, swapTotal: 0, swapUsed: 0 } }),
});

test('a first scan (CPU since boot) is no point; each frame after it is one, CPU busy % and memory used %', () => {
  const g = new GraphHistory();
  g.record(busy(21, undefined));
  assert.deepEqual([g.cpu, g.mem], [[], []]);
  g.record(busy(97, 500));
  g.record(busy(3, 1000));
  assert.deepEqual([g.cpu, g.mem], [[97, 3], [25, 25]]);
});

test(`it keeps the last ${GRAPH_POINTS} points`, () => {
  const g = new GraphHistory();
  for (let i = 0; i < GRAPH_POINTS + 5; i++) g.record(busy(i % 100, 1000));
  assert.equal(g.cpu.length, GRAPH_POINTS);
  assert.equal(g.mem.length, GRAPH_POINTS);
  assert.equal(g.cpu[0], 5);
});
