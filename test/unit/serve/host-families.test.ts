import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostFamilies, zombiesByParent } from '../../../src/serve/host-families';
import { makeSnapshot, makeSystem } from '../../helpers/process-fixture';
import type { MetricFamily } from '../../../src/serve/metric';

const NOW = 1_700_000_100_000;
const value = (families: readonly MetricFamily[], name: string, label?: [string, string]): number | undefined =>
  families.find((f) => f.name === name)?.samples.find((s) => label === undefined || s.labels.some(([k, v]) => k === label[0] && v === label[1]))?.value;

const line = (total: number) => ({ avg10: 0, avg60: 0, avg300: 0, total });
const opts = { stuckAfterMs: 5000, zombieParents: 2 };

test('zombies are counted per parent with its comm and user', () => {
  const snap = makeSnapshot([
    { pid: 10, name: 'spawner', user: 'www-data' },
    { pid: 11, ppid: 10, state: 'Z' }, { pid: 12, ppid: 10, state: 'Z' },
    { pid: 20, name: 'other', user: 'root' }, { pid: 21, ppid: 20, state: 'Z' },
  ], { time: NOW });
  assert.deepEqual(zombiesByParent(snap, 10), [
    { labels: [['ppid', '10'], ['comm', 'spawner'], ['user', 'www-data']], value: 2 },
    { labels: [['ppid', '20'], ['comm', 'other'], ['user', 'root']], value: 1 },
  ]);
});

test('zombie parents beyond the cap are summed under ppid="other"', () => {
  const specs = [];
  for (let parent = 100; parent < 105; parent++) {
    specs.push({ pid: parent, name: `p${parent}` });
    for (let z = 0; z <= parent - 100; z++) specs.push({ pid: parent * 10 + z, ppid: parent, state: 'Z' as const });
  }
  const samples = zombiesByParent(makeSnapshot(specs, { time: NOW }), 2);
  assert.deepEqual(samples.map((s) => [s.labels[0]?.[1], s.value]), [['104', 5], ['103', 4], ['other', 6]]);
});

test('a process in D counts as stuck only after --stuck-after', () => {
  const snap = makeSnapshot([
    { pid: 1, state: 'D', stateSince: NOW - 6000 },
    { pid: 2, state: 'D', stateSince: NOW - 1000 },
    { pid: 3, state: 'S', stateSince: NOW - 60_000 },
  ], { time: NOW });
  assert.equal(value(hostFamilies(snap, {}, opts), 'proctop_stuck_processes'), 1);
  assert.equal(value(hostFamilies(snap, {}, { ...opts, stuckAfterMs: 500 }), 'proctop_stuck_processes'), 2);
});

test('process states count processes; thread states count every task', () => {
  const snap = makeSnapshot([
    { pid: 1, state: 'S', threads: 2 }, { pid: 2, tgid: 1, thread: true, state: 'R' },
    { pid: 3, state: 'Z' }, { pid: 4, state: 'S', orphan: true },
  ], { time: NOW });
  const f = hostFamilies(snap, {}, opts);
  assert.equal(value(f, 'proctop_processes', ['state', 'S']), 2);
  assert.equal(value(f, 'proctop_processes', ['state', 'R']), 0);
  assert.equal(value(f, 'proctop_threads', ['state', 'R']), 1);
  assert.equal(value(f, 'proctop_threads', ['state', 'S']), 2);
  assert.equal(value(f, 'proctop_zombies'), 1);
  assert.equal(value(f, 'proctop_orphans'), 1);
});

test('forks are a counter from /proc/stat, absent when the sampler has none', () => {
  const snap = makeSnapshot([{ pid: 1 }], { time: NOW });
  const forks = hostFamilies(snap, {}, opts).find((f) => f.name === 'proctop_forks');
  assert.equal(forks?.type, 'counter');
  assert.equal(forks?.samples[0]?.value, 123_456);
  const portable = makeSnapshot([{ pid: 1 }], { time: NOW, system: makeSystem({ forks: undefined }) });
  assert.equal(hostFamilies(portable, {}, opts).some((f) => f.name === 'proctop_forks'), false);
});

test('pressure totals become seconds per resource and kind; no family without /proc/pressure', () => {
  const snap = makeSnapshot([{ pid: 1 }], { time: NOW });
  const f = hostFamilies(snap, { cpu: { some: line(2_500_000), full: undefined }, io: { some: line(1), full: line(3_000_000) } }, opts);
  const psi = f.find((x) => x.name === 'proctop_pressure_stalled_seconds');
  assert.deepEqual(psi?.samples.map((s) => [s.labels.map((l) => l[1]).join('/'), s.value]), [['cpu/some', 2.5], ['io/some', 0.000001], ['io/full', 3]]);
  assert.equal(hostFamilies(snap, {}, opts).some((x) => x.name === 'proctop_pressure_stalled_seconds'), false);
});
