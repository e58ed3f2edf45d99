/**
 * The sampler's held /proc/PID/stat and statm descriptors on the live /proc, with processes the
 * test starts and kills (by pid): an exited process's descriptors are closed, a zombie still
 * reads, a cap of 0 and a large cap give the same rows, a real EMFILE falls back, nothing leaks
 * past close(), and no child inherits a held descriptor.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Landscape, waitFor } from '../helpers/landscape';
import { signalIgnoringGone } from '../helpers/janitor';
import { Sampler, SamplerOptions } from '../../src/sampler/sampler';
import type { ProcessInfo, Snapshot } from '../../src/model/snapshot';

const land = new Landscape();
after(() => land.cleanup());

const options = (extra: Partial<SamplerOptions> = {}): SamplerOptions => ({ root: '/proc', passwdPath: '/etc/passwd', threads: false, now: Date.now, ...extra });

/** Targets of this process's descriptors that are a /proc/PID/stat or statm. */
function heldTargets(): string[] {
  const out: string[] = [];
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      if (/^\/proc\/\d+\/statm?$/.test(target)) out.push(target);
    } catch {
      // the directory listing's own descriptor
    }
  }
  return out;
}

const row = (s: Snapshot, pid: number): ProcessInfo | undefined => s.processes.find((p) => p.pid === pid && !p.thread);

test('a process that exits between scans leaves the snapshot and its descriptors are closed', async () => {
  const pid = await land.sleeper();
  const sampler = new Sampler(options());
  try {
    assert.ok(row(sampler.sample(), pid));
    assert.ok(heldTargets().includes(`/proc/${pid}/stat`), 'its stat is held after the scan');
    assert.ok(heldTargets().includes(`/proc/${pid}/statm`), 'and its statm (the TUI reads it every scan)');
    signalIgnoringGone(pid, 'SIGKILL');
    await waitFor(() => !fs.existsSync(`/proc/${pid}`), 5000, `pid ${pid} reaped`);
    assert.equal(row(sampler.sample(), pid), undefined);
    assert.deepEqual(heldTargets().filter((t) => t.startsWith(`/proc/${pid}/`)), []);
  } finally {
    sampler.close();
  }
});

test('a zombie still reads through its held descriptor', async () => {
  const { zombies } = await land.zombieFactory(1);
  const zombie = zombies[0] as number;
  const sampler = new Sampler(options());
  try {
    assert.equal(row(sampler.sample(), zombie)?.state, 'Z');
    assert.ok(heldTargets().includes(`/proc/${zombie}/stat`));
    const again = row(sampler.sample(), zombie);
    assert.equal(again?.state, 'Z');
    assert.ok(heldTargets().includes(`/proc/${zombie}/stat`), 'still held');
  } finally {
    sampler.close();
  }
});

/** Fields that move between two scans of a live process (CPU time, memory of the busy ones, state timing). */
const VOLATILE = new Set(['cpu', 'cpuTicks', 'cpuTime', 'rss', 'shared', 'mem', 'vsz', 'state', 'stateSince', 'stateSinceLowerBound', 'threads', 'wchan', 'exeDeleted', 'priority']);

test('a cap of 0 (open/read/close) and a large cap give the same rows on one population', async () => {
  // Only processes this test owns (and PIDs 1 and 2) are compared: any other process on the host
  // may exit or exec between the two scans (CI once saw another test's `sleep 0.31` become a zombie).
  const sleepers = await Promise.all([land.sleeper(), land.sleeper()]);
  const stopped = await land.stopped();
  const factory = await land.zombieFactory(2);
  const threaded = await land.threaded(3);
  const hostile = await land.withComm('a) R 1 (\x1b[2J');
  const chain = await land.chain(3);
  const ours = [...sleepers, stopped, factory.parent, ...factory.zombies, threaded, hostile, ...chain, 1, 2];
  const plain = new Sampler(options({ heldFdCap: 0 }));
  const held = new Sampler(options({ heldFdCap: 100_000 }));
  try {
    held.sample();
    plain.sample();
    const a = held.sample(); // through the held descriptors
    const b = plain.sample();
    assert.ok(held.heldFds().held > 0);
    assert.equal(plain.heldFds().held, 0);
    // Every field of an idle process but when each sampler first saw its state.
    const seen = (p: ProcessInfo | undefined) => p && { ...p, stateSince: 0 };
    for (const pid of [...sleepers, stopped, ...factory.zombies, hostile]) {
      assert.ok(row(a, pid), `pid ${pid} scanned`);
      assert.deepEqual(seen(row(a, pid)), seen(row(b, pid)), `pid ${pid}: every field`);
    }
    for (const pid of ours) {
      const p = row(a, pid);
      const q = row(b, pid);
      assert.ok(p && q, `pid ${pid} in both scans`);
      // A kworker's name is its current work item's.
      for (const [k, v] of Object.entries(p)) if (!VOLATILE.has(k) && !(p.kernel && (k === 'name' || k === 'command'))) assert.deepEqual(v, q[k as keyof ProcessInfo], `pid ${pid} ${k}`);
    }
    assert.equal(row(a, stopped)?.state, 'T');
    assert.equal(row(a, factory.zombies[0] as number)?.state, 'Z');
    assert.equal(row(a, threaded)?.threads, 3);
  } finally {
    plain.close();
    held.close();
  }
});

test('no descriptor is left open after close(): /proc/self/fd counted before and after', async () => {
  const before = fs.readdirSync('/proc/self/fd').length;
  const pids = await Promise.all([land.sleeper(), land.sleeper()]);
  const sampler = new Sampler(options());
  sampler.sample();
  signalIgnoringGone(pids[0] as number, 'SIGKILL');
  await waitFor(() => !fs.existsSync(`/proc/${pids[0]}`), 5000, 'first sleeper reaped');
  sampler.sample();
  assert.ok(sampler.heldFds().held > 0);
  sampler.close();
  assert.equal(sampler.heldFds().held, 0);
  assert.equal(fs.readdirSync('/proc/self/fd').length, before);
  assert.deepEqual(heldTargets(), []);
});

test('held descriptors are close-on-exec: a child process inherits none', async () => {
  await land.sleeper();
  const sampler = new Sampler(options());
  try {
    sampler.sample();
    assert.ok(sampler.heldFds().held > 0);
    let checked = 0;
    for (const fd of fs.readdirSync('/proc/self/fd')) {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        continue;
      }
      if (!/^\/proc\/\d+\/statm?$/.test(target)) continue;
      const flags = /^flags:\s+([0-7]+)/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
      assert.ok(flags !== undefined && (parseInt(flags, 8) & 0o2000000) !== 0, `fd ${fd} (${target}) has O_CLOEXEC: flags ${flags}`);
      checked++;
    }
    assert.ok(checked > 0);
    const child = spawnSync('sh', ['-c', 'for f in /proc/$$/fd/*; do readlink "$f" || true; done'], { encoding: 'utf8' });
    assert.equal(child.status, 0);
    assert.deepEqual(child.stdout.split('\n').filter((t) => /^\/proc\/\d+\/statm?$/.test(t)), []);
  } finally {
    sampler.close();
  }
});

test('a real EMFILE (RLIMIT_NOFILE 64, cap forced high) falls back: the scan lists every process', async () => {
  await Promise.all([land.sleeper(), land.sleeper(), land.sleeper()]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-emfile-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const script = path.join(dir, 'emfile.js');
  const sampler = require.resolve('../../src/sampler/sampler');
  fs.writeFileSync(script, `
const { Sampler } = require(${JSON.stringify(sampler)});
const make = (cap) => new Sampler({ root: '/proc', passwdPath: '/etc/passwd', threads: false, now: Date.now, heldFdCap: cap });
const pids = (s) => s.sample().processes.map((p) => p.pid);
const a = pids(make(0));
const held = make(100000);
const b = held.sample().processes.map((p) => p.pid);
const b2 = pids(held);
const c = pids(make(0));
process.stdout.write(JSON.stringify({ a, b, b2, c, fds: held.heldFds() }));
`);
  const r = spawnSync('sh', ['-c', `ulimit -n 64 && exec "${process.execPath}" "${script}"`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { a: number[]; b: number[]; b2: number[]; c: number[]; fds: { held: number; cap: number } };
  assert.ok(out.a.length > 64, `more processes (${out.a.length}) than descriptors`);
  for (const scan of [out.b, out.b2]) {
    const listed = new Set(scan);
    // Processes in both plain scans around it existed throughout.
    for (const pid of out.a) if (out.c.includes(pid)) assert.ok(listed.has(pid), `pid ${pid} missing from a held scan`);
  }
  assert.ok(out.fds.cap < 64, `cap shrunk to ${out.fds.cap}`);
  assert.ok(out.fds.held <= out.fds.cap);
});
