/**
 * Cgroup families on the v1, v2 and hybrid fixture trees, through the same
 * openCollector serve uses (so the sampler is asked for cgroups): values in
 * exported units, depth folding into an ancestor read from its own files,
 * the cap with a monotonic `other`, and promtool on the text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openCollector } from '../../../src/cli/serve';
import { render } from '../../../src/serve/exposition';
import { CgroupRestCounters, CgroupRow, cgroupDepth, exportTargets, splitRows, truncateCgroup } from '../../../src/serve/cgroup-families';
import type { MetricFamily } from '../../../src/serve/metric';
import type { CgroupInfo } from '../../../src/model/snapshot';
import { REPO_ROOT } from '../procfs/fixtures';

const DOCKER_V2 = '/system.slice/docker-3f2a9c1b7e4d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b.scope';
const DOCKER_V1 = '/docker/3f2a9c1b7e4d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
const POD = '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b3c4d_5e6f_7a8b_9c0d_1e2f3a4b5c6d.slice';

/** A writable copy of a cgroup fixture scenario. */
function copy(t: { after: (fn: () => void) => void }, scenario: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-cgroup-families-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'cgroup', scenario), dir, { recursive: true });
  return dir;
}

function collector(dir: string, cgroupDepth = 3, cgroupCap = 50) {
  return openCollector({
    sampler: 'linux', procRoot: path.join(dir, 'proc'), passwd: path.join(dir, 'proc', 'passwd'),
    stuckAfter: 5, zombieParents: 10, cgroupDepth, cgroupCap, minInterval: 0, scanTimeout: 600,
  }, [], { version: 't', commit: undefined, dirty: false, kind: 'bundle' });
}

/** Samples of a family as `labels → value`, labels written `k=v,…`. */
function series(families: readonly MetricFamily[], name: string): Map<string, number> {
  const f = families.find((x) => x.name === name);
  return new Map((f?.samples ?? []).map((s) => [s.labels.map(([k, v]) => `${k}=${v}`).join(','), s.value]));
}

test('cgroup depth and truncation: the root is 0, deeper paths become their ancestor', () => {
  assert.deepEqual([cgroupDepth('/'), cgroupDepth('/a'), cgroupDepth('/a/b/c')], [0, 1, 3]);
  assert.deepEqual([truncateCgroup('/a/b/c', 2), truncateCgroup('/a', 2), truncateCgroup('/a/b', 2)], ['/a/b', '/a', '/a/b']);
  const c = (p: string, version: 1 | 2 = 2) => ({ path: p, version }) as CgroupInfo;
  assert.deepEqual([...exportTargets([c('/'), c('/a/b/c'), c('/a/b/d'), c('/x', 1)], 2)], [['/a/b', 2], ['/x', 1]]);
});

test('v2: CPU, throttling, memory and limit, OOM kills and PSI of the Docker container in exported units', async (t) => {
  const families = await collector(copy(t, 'v2')).collect();
  const key = `cgroup=${DOCKER_V2}`;
  assert.equal(series(families, 'proctop_cgroup_cpu_seconds').get(key), 90);
  assert.equal(series(families, 'proctop_cgroup_cpu_periods').get(key), 1000);
  assert.equal(series(families, 'proctop_cgroup_cpu_throttled_periods').get(key), 250);
  assert.equal(series(families, 'proctop_cgroup_cpu_throttled_seconds').get(key), 4);
  assert.equal(series(families, 'proctop_cgroup_memory_bytes').get(key), 966367641);
  assert.equal(series(families, 'proctop_cgroup_memory_limit_bytes').get(key), 1073741824);
  assert.equal(series(families, 'proctop_cgroup_oom_kills').get(key), 2);
  const psi = series(families, 'proctop_cgroup_pressure_stalled_seconds');
  assert.deepEqual([psi.get(`${key},resource=cpu,kind=some`), psi.get(`${key},resource=cpu,kind=full`), psi.get(`${key},resource=memory,kind=full`)], [7, 5, 0.05]);
  // The container has no io.pressure: no io series rather than zeros.
  assert.equal(psi.get(`${key},resource=io,kind=some`), undefined);
  // nginx has no memory limit (max): no limit series; the root is never exported.
  assert.equal(series(families, 'proctop_cgroup_memory_limit_bytes').get('cgroup=/system.slice/nginx.service'), undefined);
  assert.equal(series(families, 'proctop_cgroup_cpu_seconds').get('cgroup=/'), undefined);
});

test('v2: a cgroup deeper than --cgroup-depth is exported as its ancestor, read from the ancestor\'s own files', async (t) => {
  const dir = copy(t, 'v2');
  fs.writeFileSync(path.join(dir, 'sys/fs/cgroup', POD, 'cpu.stat'), 'usage_usec 3000000\nnr_periods 40\nnr_throttled 4\nthrottled_usec 250000\n');
  const families = await collector(dir).collect();
  const cpu = series(families, 'proctop_cgroup_cpu_seconds');
  assert.equal(cpu.get(`cgroup=${POD}`), 3);
  assert.equal(series(families, 'proctop_cgroup_cpu_throttled_seconds').get(`cgroup=${POD}`), 0.25);
  assert.equal([...cpu.keys()].some((k) => cgroupDepth(k.slice('cgroup='.length)) > 3), false);
  // Depth 1 folds everything into the slices.
  const shallow = series(await collector(dir, 1).collect(), 'proctop_cgroup_cpu_seconds');
  assert.deepEqual([...shallow.keys()].sort(), ['cgroup=/init.scope']);
});

test('v1: cpuacct.usage ns and throttled_time ns in seconds, memory.oom_control oom_kill, no PSI', async (t) => {
  const families = await collector(copy(t, 'v1')).collect();
  const key = `cgroup=${DOCKER_V1}`;
  assert.equal(series(families, 'proctop_cgroup_cpu_seconds').get(key), 90);
  assert.equal(series(families, 'proctop_cgroup_cpu_throttled_periods').get(key), 250);
  assert.equal(series(families, 'proctop_cgroup_cpu_throttled_seconds').get(key), 4);
  assert.equal(series(families, 'proctop_cgroup_memory_limit_bytes').get(key), 1073741824);
  assert.equal(series(families, 'proctop_cgroup_oom_kills').get(key), 2);
  assert.equal(families.some((f) => f.name === 'proctop_cgroup_pressure_stalled_seconds'), false);
});

test('hybrid: the throttled v1 cpu cgroup (cfs quota) with usage from cpuacct and throttling from cpu.stat', async (t) => {
  const families = await collector(copy(t, 'hybrid')).collect();
  const key = 'cgroup=/proctop-test-cpu';
  assert.deepEqual([
    series(families, 'proctop_cgroup_cpu_seconds').get(key),
    series(families, 'proctop_cgroup_cpu_periods').get(key),
    series(families, 'proctop_cgroup_cpu_throttled_periods').get(key),
    series(families, 'proctop_cgroup_cpu_throttled_seconds').get(key),
  ], [2.4, 120, 90, 5.4]);
});

test('--cgroup-depth 0 reads no cgroups and exports no cgroup family', async (t) => {
  const families = await collector(copy(t, 'v2'), 0).collect();
  assert.deepEqual(families.filter((f) => f.name.startsWith('proctop_cgroup')), []);
});

test('the cap keeps the cgroups with most CPU time and sums the rest in cgroup="other"', async (t) => {
  const families = await collector(copy(t, 'v2'), 4, 2).collect();
  const cpu = series(families, 'proctop_cgroup_cpu_seconds');
  // Docker 90 s and nginx 5 s kept; the pod (1200 µs), session (777 µs) and init.scope (42 µs) summed.
  assert.deepEqual([...cpu.keys()], [`cgroup=${DOCKER_V2}`, 'cgroup=/system.slice/nginx.service', 'cgroup=other']);
  assert.equal(cpu.get('cgroup=other'), (1200 + 777 + 42) / 1e6);
  assert.equal(series(families, 'proctop_cgroups_summed').get(''), 3);
  assert.equal(series(families, 'proctop_cgroup_memory_bytes').get('cgroup=other'), 8192);
  assert.equal(series(families, 'proctop_cgroup_memory_limit_bytes').get('cgroup=other'), undefined);
});

const row = (p: string, cpuSeconds: number): CgroupRow => ({
  path: p, memoryBytes: undefined, memoryLimitBytes: undefined,
  counters: { cpuSeconds, periods: undefined, throttledPeriods: undefined, throttledSeconds: undefined, oomKills: undefined, cpuSome: undefined, cpuFull: undefined, memorySome: undefined, memoryFull: undefined, ioSome: undefined, ioFull: undefined },
});

test('the other counters never go down as cgroups move out of the rest, into it, or go away', () => {
  const rest = new CgroupRestCounters();
  const scan = (rows: CgroupRow[], cap: number): number => {
    const split = splitRows(rows, cap);
    rest.update(rows, new Set(split.rest.map((r) => r.path)));
    return rest.totals.cpuSeconds ?? 0;
  };
  const seen = [
    scan([row('/a', 100), row('/b', 10), row('/c', 5)], 1), // b, c new: their whole values
    scan([row('/a', 101), row('/b', 200), row('/c', 6)], 1), // b overtakes a: a moves to the rest with its increase only
    scan([row('/a', 102), row('/b', 201)], 1), // c went away: takes nothing back
    scan([row('/a', 103), row('/b', 202), row('/c', 1)], 1), // /c made again under the old path is new: its whole value
  ];
  assert.deepEqual(seen, [15, 17, 18, 20]);
  for (let i = 1; i < seen.length; i++) assert.ok((seen[i] ?? 0) >= (seen[i - 1] ?? 0));
});

const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => fs.existsSync(p));

test('promtool check metrics accepts the cgroup families (text format, v2 with the cap)', { skip: promtool === undefined && 'no promtool' }, async (t) => {
  const text = render(await collector(copy(t, 'v2'), 3, 1).collect(), 'text');
  assert.match(text, /^proctop_cgroup_cpu_throttled_seconds_total\{cgroup="other"\} /m);
  assert.equal(execFileSync(promtool as string, ['check', 'metrics'], { input: text, encoding: 'utf8' }), '');
});
