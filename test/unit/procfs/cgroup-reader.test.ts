/** The cgroup reader on recorded-shape fixture trees: pure v2, pure v1, hybrid (this VM's layout). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CgroupReader } from '../../../src/procfs/cgroup-reader';
import { ProcReader } from '../../../src/procfs/reader';
import { REPO_ROOT } from './fixtures';

const D = '3f2a9c1b7e4d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';

function reader(scenario: string): CgroupReader {
  const root = path.join(REPO_ROOT, 'test', 'fixtures', 'cgroup', scenario);
  return new CgroupReader(new ProcReader(path.join(root, 'proc')), root);
}

function stats(r: CgroupReader, pid: number) {
  const m = r.membership(pid);
  assert.ok(m, `membership of ${pid}`);
  return { m, s: r.readStats(m) };
}

test('v2: a Docker container with a quota, a memory limit, OOM kills, pids.max and PSI', () => {
  const { m, s } = stats(reader('v2'), 11);
  assert.equal(m.path, `/system.slice/docker-${D}.scope`);
  assert.deepEqual(s.cpu, { usageUsec: 90000000, periods: 1000, throttled: 250, throttledUsec: 4000000 });
  assert.deepEqual(s.quota, { quota: 150000, period: 100000 });
  assert.deepEqual([s.memory, s.memoryLimit, s.swap, s.oomKills, s.pids, s.pidsLimit], [966367641, 1073741824, 1048576, 2, 7, 100]);
  assert.equal(s.pressure?.cpu?.some.avg10, 25.5);
  assert.equal(s.pressure?.memory?.full?.avg10, 1);
  assert.equal(s.pressure?.io, undefined, 'io.pressure is missing in the fixture');
});

test('v2: a unit without limits reads max for every limit', () => {
  const { s } = stats(reader('v2'), 10);
  assert.deepEqual([s.quota?.quota, s.memoryLimit, s.pidsLimit, s.oomKills], ['max', 'max', 'max', 0]);
});

test('v2: a cgroup with no controllers enabled has usage only; memory and pids stay unknown', () => {
  const { s } = stats(reader('v2'), 14);
  assert.deepEqual(s.cpu, { usageUsec: 777, periods: undefined, throttled: undefined, throttledUsec: undefined });
  assert.deepEqual([s.quota, s.memory, s.memoryLimit, s.pids], [undefined, undefined, undefined, undefined]);
});

test('an unreadable /proc/PID/cgroup gives no membership', () => {
  assert.equal(reader('v2').membership(16), undefined);
  assert.equal(reader('v2').membership(99999), undefined);
});

test('host pressure: v2 has all three, v1 has none, hybrid has cpu and memory (io unreadable)', () => {
  const v2 = reader('v2').readHostPressure();
  assert.deepEqual([v2?.cpu?.some.avg10, v2?.io?.some.avg10, v2?.io?.full?.avg10], [1.5, 12.25, 8]);
  assert.equal(reader('v1').readHostPressure(), undefined);
  const hy = reader('hybrid').readHostPressure();
  assert.deepEqual([hy?.cpu?.some.avg10, hy?.memory?.some.avg10, hy?.io], [3.74, 0, undefined]);
});

test('v1: Docker (cgroupfs driver) reads cpuacct.usage in ns, throttled_time, cfs quota, memsw swap and oom_control', () => {
  const { m, s } = stats(reader('v1'), 11);
  assert.deepEqual([m.path, m.version], [`/docker/${D}`, 1]);
  assert.deepEqual(s.cpu, { usageUsec: 90000000, periods: 1000, throttled: 250, throttledUsec: 4000000 });
  assert.deepEqual(s.quota, { quota: 150000, period: 100000 });
  assert.deepEqual([s.memory, s.memoryLimit, s.swap, s.oomKills, s.pids, s.pidsLimit], [966367641, 1073741824, 1048576, 2, 7, 100]);
  assert.equal(s.pressure, undefined, 'v1 has no per-cgroup PSI');
});

test('v1: an unlimited unit reads max, an old oom_control without oom_kill is unknown', () => {
  const { s } = stats(reader('v1'), 10);
  assert.deepEqual([s.quota?.quota, s.memoryLimit, s.oomKills, s.memory], ['max', 'max', undefined, 52428800]);
});

test('v1: a cgroup missing from the memory and pids hierarchies has cpu usage only', () => {
  const { m, s } = stats(reader('v1'), 14);
  assert.equal(m.path, '/user.slice');
  assert.deepEqual([s.cpu?.usageUsec, s.memory, s.pids], [777, undefined, undefined]);
});

test('hybrid: cpu and cpuacct mounted apart; throttling from cpu, usage from cpuacct', () => {
  const { m, s } = stats(reader('hybrid'), 11);
  assert.deepEqual([m.path, m.version], ['/proctop-test-cpu', 1]);
  assert.deepEqual(s.cpu, { usageUsec: 2400000, periods: 120, throttled: 90, throttledUsec: 5400000 });
  assert.deepEqual(s.quota, { quota: 20000, period: 100000 });
});

test('hybrid: this VM layout (0::/ and memory:/process_api/…) reads the v1 memory cgroup', () => {
  const { m, s } = stats(reader('hybrid'), 10);
  assert.equal(m.path, '/process_api/5899bba8fdbe14d6e46820a0d8921ed2');
  assert.deepEqual([s.memory, s.memoryLimit, s.swap, s.oomKills], [5939200, 'max', 0, 0]);
});

test('hybrid systemd: v2 path with usage and PSI from unified, memory, quota and pids from v1', () => {
  const { m, s } = stats(reader('hybrid'), 16);
  assert.deepEqual([m.path, m.version], ['/system.slice/ssh.service', 2]);
  assert.equal(s.cpu?.usageUsec, 3000000);
  assert.deepEqual([s.quota?.quota, s.memory, s.memoryLimit, s.oomKills, s.pids, s.pidsLimit], ['max', 2097152, 4194304, 1, 3, 'max']);
  assert.equal(s.pressure?.cpu?.some.avg10, 0.5);
});

test('a tree without mountinfo has no cgroup hierarchies', () => {
  const r = new CgroupReader(new ProcReader(path.join(REPO_ROOT, 'test', 'fixtures', 'procfs', 'tick1')), '/nonexistent');
  assert.equal(r.available, false);
  assert.equal(r.dir('/x'), undefined);
});

test('a container-rooted mount strips its root from process paths', () => {
  const r = reader('v2');
  assert.equal(r.dir('/system.slice/x'), path.join(REPO_ROOT, 'test', 'fixtures', 'cgroup', 'v2', 'sys', 'fs', 'cgroup', 'system.slice', 'x'));
});

test('hybrid: a v1 controller where the process sits elsewhere (cpu:/ beside memory:/process_api/…) is not read as this cgroup', () => {
  const { s } = stats(reader('hybrid'), 10);
  assert.deepEqual([s.cpu, s.quota], [undefined, undefined]);
});

test('processes with the same /proc/PID/cgroup text share one membership; another text, or a changed file, gets its own', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-cgroup-intern-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (pid: number, text: string): void => {
    fs.mkdirSync(path.join(root, 'proc', String(pid)), { recursive: true });
    fs.writeFileSync(path.join(root, 'proc', String(pid), 'cgroup'), text);
  };
  const hybrid = '12:pids:/\n5:cpu,cpuacct:/process_api\n4:memory:/process_api/x\n1:name=systemd:/\n0::/\n';
  write(1, hybrid);
  write(2, hybrid);
  write(3, '0::/system.slice/ssh.service\n');
  const r = new CgroupReader(new ProcReader(path.join(root, 'proc')), root);
  const [a, b, c] = [r.membership(1), r.membership(2), r.membership(3)];
  assert.ok(a !== undefined && a === b, 'one membership for one text');
  assert.deepEqual([a.path, a.version, a.v1.get('cpuacct'), a.v1.get('memory')], ['/process_api', 1, '/process_api', '/process_api/x']);
  assert.deepEqual([c?.path, c?.version], ['/system.slice/ssh.service', 2]);
  write(2, '0::/user.slice\n');
  assert.deepEqual([r.membership(2)?.path, r.membership(1)?.path], ['/user.slice', '/process_api']);
});
