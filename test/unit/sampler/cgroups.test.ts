/**
 * The sampler's cgroup half on a copy of the hybrid fixture: rates between
 * two scans, flags on processes, the slow re-read of /proc/PID/cgroup, OOM
 * kills since the first scan, and nothing read while cgroups are off.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deepFreeze } from '../../helpers/freeze';
import { CgroupInfo, Snapshot } from '../../../src/model/snapshot';
import { CGROUP_RECHECK_MS, LIMITS_RECHECK_MS } from '../../../src/sampler/cgroup-tracker';
import { Sampler } from '../../../src/sampler/sampler';
import { recordRecheckMs } from '../../../src/cli/record';
import { REPO_ROOT } from '../procfs/fixtures';

const T1 = 1_795_783_433_710;

/** A writable copy of a cgroup fixture scenario and a sampler over it with a settable clock. */
function setup(t: { after: (fn: () => void) => void }, scenario = 'hybrid') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-cgroup-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'cgroup', scenario), dir, { recursive: true });
  const clock = { now: T1 };
  const sampler = new Sampler({ root: path.join(dir, 'proc'), passwdPath: path.join(dir, 'proc', 'passwd'), threads: false, now: () => clock.now, pageSize: 4096 });
  const write = (rel: string, text: string) => fs.writeFileSync(path.join(dir, rel), text);
  return { dir, clock, sampler, write };
}

const CPU = 'sys/fs/cgroup/cpu/proctop-test-cpu';
const ACCT = 'sys/fs/cgroup/cpuacct/proctop-test-cpu/cpuacct.usage';

function group(s: Snapshot, p: string): CgroupInfo {
  const c = s.cgroups.find((g) => g.path === p);
  if (!c) assert.fail(`no cgroup ${p} in ${s.cgroups.map((g) => g.path).join(', ')}`);
  return c;
}

test('cgroups off: no cgroup fields, no table, no pressure', (t) => {
  const { sampler } = setup(t);
  const s = sampler.sample();
  assert.deepEqual([s.cgroups.length, s.pressure, s.processes[0]?.cgroup], [0, undefined, undefined]);
});

test('CPU% from the usage delta, throttled % of periods and ms in the interval, and the throttled flag on members', (t) => {
  const { clock, sampler, write } = setup(t);
  sampler.setCgroups(true);
  const first = sampler.sample();
  const before = group(first, '/proctop-test-cpu');
  assert.deepEqual([before.cpu, before.throttledPercent, before.throttledMs, before.flags], [undefined, undefined, undefined, '']);
  assert.deepEqual([before.cpuLimit, before.processes, before.periods, before.throttledPeriods], [0.2, 1, 120, 90]);
  // One second later: 0.5 s of CPU, 10 periods of which 4 throttled for 200 ms in all.
  clock.now += 1000;
  write(ACCT, '2900000000\n');
  write(`${CPU}/cpu.stat`, 'nr_periods 130\nnr_throttled 94\nthrottled_time 5600000000\n');
  const second = deepFreeze(sampler.sample());
  const c = group(second, '/proctop-test-cpu');
  assert.deepEqual([c.cpu, c.throttledPercent, c.throttledMs, c.flags], [50, 40, 200, 'throttled']);
  assert.equal(second.processes.find((p) => p.pid === 11)?.cgroupFlags, 'throttled');
  assert.equal(second.processes.find((p) => p.pid === 10)?.cgroupFlags, '');
});

test('no periods in the interval is 0 % throttled, not unknown', (t) => {
  const { clock, sampler } = setup(t);
  sampler.setCgroups(true);
  sampler.sample();
  clock.now += 1000;
  const c = group(sampler.sample(), '/proctop-test-cpu');
  assert.deepEqual([c.cpu, c.throttledPercent, c.throttledMs, c.flags], [0, 0, 0, '']);
});

test('a process that moved is seen in its new cgroup only after the slow re-read', (t) => {
  const { clock, sampler, write } = setup(t);
  sampler.setCgroups(true);
  assert.equal(sampler.sample().processes.find((p) => p.pid === 11)?.cgroup, '/proctop-test-cpu');
  write('proc/11/cgroup', '1:cpu:/elsewhere\n0::/\n');
  clock.now += 1000;
  assert.equal(sampler.sample().processes.find((p) => p.pid === 11)?.cgroup, '/proctop-test-cpu', 'not re-read every scan');
  clock.now += CGROUP_RECHECK_MS + 10_000;
  assert.equal(sampler.sample().processes.find((p) => p.pid === 11)?.cgroup, '/elsewhere');
});

test('with recheckMs (record at 10 s: six intervals) a moved process is re-read after that period, not the default one', (t) => {
  const { dir, clock, write } = setup(t);
  const sampler = new Sampler({ root: path.join(dir, 'proc'), passwdPath: path.join(dir, 'proc', 'passwd'), threads: false, now: () => clock.now, pageSize: 4096, recheckMs: recordRecheckMs(10) });
  sampler.setCgroups(true);
  const cgroupOf11 = (): string | undefined => sampler.sample().processes.find((p) => p.pid === 11)?.cgroup;
  assert.equal(cgroupOf11(), '/proctop-test-cpu');
  write('proc/11/cgroup', '1:cpu:/elsewhere\n0::/\n');
  // Past the default period (10 s, up to 19.5 s spread over pids): still the old placement.
  clock.now += 2 * CGROUP_RECHECK_MS;
  assert.equal(cgroupOf11(), '/proctop-test-cpu', 'not re-read after the default period');
  // Past 60 s + 11/20 of it (pid 11's spread).
  clock.now += 2 * recordRecheckMs(10);
  assert.equal(cgroupOf11(), '/elsewhere');
});

test('OOM kills count from the first scan; a new one flags oom, and memory at 90 % of the limit flags memlimit', (t) => {
  const { clock, sampler, write } = setup(t);
  sampler.setCgroups(true);
  const ssh = '/system.slice/ssh.service';
  const first = group(sampler.sample(), ssh);
  assert.deepEqual([first.oomKills, first.oomKillsSeen, first.flags], [1, 0, '']);
  write(`sys/fs/cgroup/memory${ssh}/memory.oom_control`, 'oom_kill_disable 0\nunder_oom 0\noom_kill 3\n');
  write(`sys/fs/cgroup/memory${ssh}/memory.usage_in_bytes`, `${Math.ceil(4194304 * 0.9)}\n`);
  clock.now += 1000;
  const s = sampler.sample();
  const c = group(s, ssh);
  assert.deepEqual([c.oomKills, c.oomKillsSeen, c.flags], [3, 2, 'memlimit oom']);
  assert.equal(s.processes.find((p) => p.pid === 16)?.cgroupFlags, 'memlimit oom');
});

test('host pressure comes with the cgroup table; a v2 cgroup at 10 % some-PSI flags pressure', (t) => {
  const { sampler } = setup(t, 'v2');
  sampler.setCgroups(true);
  const s = sampler.sample();
  assert.equal(s.pressure?.io?.some.avg10, 12.25);
  assert.equal(s.processes.find((p) => p.pid === 11)?.cgroupFlags, 'pressure');
  assert.equal(s.processes.find((p) => p.pid === 11)?.container, 'docker:3f2a9c1b7e4d');
});

test("a Docker container's human name comes from its config.v2.json when readable", (t) => {
  const { dir, sampler } = setup(t, 'v2');
  const id = '3f2a9c1b7e4d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
  fs.mkdirSync(path.join(dir, 'var/lib/docker/containers', id), { recursive: true });
  fs.writeFileSync(path.join(dir, 'var/lib/docker/containers', id, 'config.v2.json'), '{"Name":"/web-1"}');
  sampler.setCgroups(true);
  const s = sampler.sample();
  assert.equal(s.processes.find((p) => p.pid === 11)?.container, 'docker:web-1');
  assert.equal(group(s, `/system.slice/docker-${id}.scope`).container, 'docker:web-1');
});

test('limits are re-read every LIMITS_RECHECK_MS, not every scan', (t) => {
  const { clock, sampler, write } = setup(t);
  sampler.setCgroups(true);
  assert.equal(group(sampler.sample(), '/proctop-test-cpu').cpuLimit, 0.2);
  write(`${CPU}/cpu.cfs_quota_us`, '50000\n');
  clock.now += 1000;
  assert.equal(group(sampler.sample(), '/proctop-test-cpu').cpuLimit, 0.2, 'cached');
  clock.now += LIMITS_RECHECK_MS;
  assert.equal(group(sampler.sample(), '/proctop-test-cpu').cpuLimit, 0.5);
});
