/**
 * The header's host facts on the cgroup fixture machines: host PSI as pressure meters (shown on
 * v2 and hybrid, hidden on v1, which has no /proc/pressure, and per resource where a file is
 * unreadable), proctop's own cgroup limits (the tightest on the way to the root) as the
 * container meter and in --json, and MEM% against the cgroup limit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Snapshot } from '../../../src/model/snapshot';
import { Sampler } from '../../../src/sampler/sampler';
import { renderJson } from '../../../src/output/json';
import { buildHeader } from '../../../src/view/header';
import { hostReadsNeeded } from '../../../src/view/reads';
import { lineText } from '../../../src/view/view-model';
import { REPO_ROOT } from '../procfs/fixtures';

const GiB = 2 ** 30;

/** A writable copy of a cgroup fixture scenario and a sampler over it. */
function setup(t: { after: (fn: () => void) => void }, scenario: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-host-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'cgroup', scenario), dir, { recursive: true });
  let now = 1_795_783_433_710;
  const sampler = new Sampler({ root: path.join(dir, 'proc'), passwdPath: path.join(dir, 'proc', 'passwd'), threads: false, now: () => (now += 1000), pageSize: 4096 });
  return { dir, sampler };
}

/** The header's lines as text, 120 columns wide, every meter shown. */
function headerText(s: Snapshot): string[] {
  return buildHeader(s, 120, 40, 'host').map(lineText);
}

const ALL = { pressure: true, ownCgroup: true };

test('pressure meters on a v2 host: some avg10 for cpu, some and full for memory and io', (t) => {
  const { sampler } = setup(t, 'v2');
  sampler.setHostReads(ALL);
  const lines = headerText(sampler.sample());
  const psi = lines.map((l) => /PSI (cpu|mem|io )\[[| ]*([^\]]*)\]/.exec(l)).filter((m) => m !== null).map((m) => `${m[1]}: ${m[2]}`);
  assert.deepEqual(psi, ['cpu: some 1.50%', 'mem: some 0.00% full 0.00%', 'io : some 12.25% full 8.00%']);
});

test('no PSI (v1 fixture, no /proc/pressure): no pressure meter takes a line, and --json says null', (t) => {
  const { sampler } = setup(t, 'v1');
  sampler.setHostReads(ALL);
  const s = sampler.sample();
  assert.equal(s.pressure, undefined);
  assert.ok(!headerText(s).some((l) => l.includes('PSI')), headerText(s).join('\n'));
  assert.equal((JSON.parse(renderJson(s, [])) as { pressure: unknown }).pressure, null);
});

test('an unreadable PSI file hides only its meter (hybrid: pressure/io is a directory)', (t) => {
  const { sampler } = setup(t, 'hybrid');
  sampler.setHostReads(ALL);
  const lines = headerText(sampler.sample());
  assert.ok(lines.some((l) => l.includes('PSI cpu[') && l.includes('some 3.74%')));
  assert.ok(lines.some((l) => l.includes('PSI mem[')));
  assert.ok(!lines.some((l) => l.includes('PSI io')));
});

test('host PSI is read while the pressure meters are shown, even with cgroups off; not when nothing wants it', (t) => {
  const { sampler } = setup(t, 'v2');
  assert.equal(sampler.sample().pressure, undefined);
  sampler.setHostReads(hostReadsNeeded({ meters: ['pressure-io'], memBase: 'host' }));
  assert.equal(sampler.sample().pressure?.io?.full?.avg10, 8);
  sampler.setHostReads(hostReadsNeeded({ meters: ['cpus'], memBase: 'host' }));
  assert.equal(sampler.sample().pressure, undefined);
});

test('own cgroup on v2 (a Docker container with cpu.max 150000 100000 and memory.max 1 GiB): the container meter and --json', (t) => {
  const { sampler } = setup(t, 'v2');
  sampler.setHostReads(ALL);
  const s = sampler.sample();
  const scope = '/system.slice/docker-3f2a9c1b7e4d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b.scope';
  assert.deepEqual(s.ownCgroup, { path: scope, cpuLimit: 1.5, cpuLimitPath: scope, memoryLimit: GiB, memoryLimitPath: scope });
  assert.ok(headerText(s).some((l) => l.includes('container: 1.5 CPUs, 1.0G')), headerText(s).join('\n'));
  const json = JSON.parse(renderJson(s, [])) as { ownCgroup: unknown };
  assert.deepEqual(json.ownCgroup, { path: scope, cpuLimit: 1.5, cpuLimitPath: scope, memoryLimit: GiB, memoryLimitPath: scope });
});

test('own cgroup on v1: quota from the co-mounted cpu,cpuacct, limit from memory; a tighter ancestor wins', (t) => {
  const { dir, sampler } = setup(t, 'v1');
  sampler.setHostReads(ALL);
  const id = '/docker/3f2a9c1b7e4d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
  assert.deepEqual(sampler.sample().ownCgroup, { path: id, cpuLimit: 1.5, cpuLimitPath: id, memoryLimit: GiB, memoryLimitPath: id });
  // /docker itself limited to 0.5 CPUs and 256 MiB: those are what the kernel enforces.
  fs.writeFileSync(path.join(dir, 'sys/fs/cgroup/cpu,cpuacct/docker/cpu.cfs_quota_us'), '50000\n');
  fs.writeFileSync(path.join(dir, 'sys/fs/cgroup/cpu,cpuacct/docker/cpu.cfs_period_us'), '100000\n');
  fs.writeFileSync(path.join(dir, 'sys/fs/cgroup/memory/docker/memory.limit_in_bytes'), `${256 * 2 ** 20}\n`);
  const fresh = new Sampler({ root: path.join(dir, 'proc'), passwdPath: path.join(dir, 'proc', 'passwd'), threads: false, now: Date.now, pageSize: 4096 });
  fresh.setHostReads(ALL);
  const s = fresh.sample();
  assert.deepEqual(s.ownCgroup, { path: id, cpuLimit: 0.5, cpuLimitPath: '/docker', memoryLimit: 256 * 2 ** 20, memoryLimitPath: '/docker' });
  assert.ok(headerText(s).some((l) => l.includes('container: 0.5 CPUs, 256M')), headerText(s).join('\n'));
});

test('v1 hierarchical_memory_limit counts a limit set above what the mount shows', (t) => {
  const { dir } = setup(t, 'v1');
  const leaf = 'sys/fs/cgroup/memory/docker/3f2a9c1b7e4d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
  fs.writeFileSync(path.join(dir, leaf, 'memory.stat'), `cache 0\nrss 4096\nhierarchical_memory_limit ${512 * 2 ** 20}\nhierarchical_memsw_limit 9223372036854771712\n`);
  const sampler = new Sampler({ root: path.join(dir, 'proc'), passwdPath: path.join(dir, 'proc', 'passwd'), threads: false, now: Date.now, pageSize: 4096 });
  sampler.setHostReads(ALL);
  assert.equal(sampler.sample().ownCgroup?.memoryLimit, 512 * 2 ** 20);
});

test('hybrid: a cpu quota (0.2 CPUs) and no memory limit; no limit at all hides the container meter', (t) => {
  const { dir, sampler } = setup(t, 'hybrid');
  sampler.setHostReads(ALL);
  const s = sampler.sample();
  assert.deepEqual([s.ownCgroup?.cpuLimit, s.ownCgroup?.memoryLimit], [0.2, undefined]);
  assert.ok(headerText(s).some((l) => l.includes('container: 0.2 CPUs, no memory limit')));
  fs.writeFileSync(path.join(dir, 'proc/self/cgroup'), '1:cpu:/\n0::/\n');
  const free = new Sampler({ root: path.join(dir, 'proc'), passwdPath: path.join(dir, 'proc', 'passwd'), threads: false, now: Date.now, pageSize: 4096 });
  free.setHostReads(ALL);
  const unlimited = free.sample();
  assert.deepEqual([unlimited.ownCgroup?.path, unlimited.ownCgroup?.cpuLimit, unlimited.ownCgroup?.memoryLimit], ['/', undefined, undefined]);
  assert.ok(!headerText(unlimited).some((l) => l.includes('container:')));
});

test('MEM% against the cgroup limit when asked: the same RSS is 1 GiB / MemTotal of the host, else / 1 GiB', (t) => {
  const { sampler } = setup(t, 'v2');
  const host = sampler.sample();
  const p = host.processes.find((x) => x.rss !== undefined && x.rss > 0);
  assert.ok(p?.rss !== undefined && p.mem !== undefined);
  assert.ok(Math.abs(p.mem - (p.rss * 100) / host.system.memory.total) < 1e-9);
  sampler.setMemBase('cgroup');
  const limited = sampler.sample().processes.find((x) => x.pid === p.pid);
  assert.ok(limited?.rss !== undefined && limited.mem !== undefined);
  assert.ok(Math.abs(limited.mem - (limited.rss * 100) / GiB) < 1e-9, `${limited.mem}`);
  assert.equal(sampler.sample().ownCgroup, undefined, 'the container meter is not shown: the frame does not carry it');
});
