/**
 * The portable sampler (systeminformation + pidusage) forced on Linux: two
 * samples ~1 s apart with a sleeping child and a CPU-spinning child.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { PROCESS_STATES, ProcessInfo, Snapshot } from '../../src/model/snapshot';
import { PortableSampler } from '../../src/sampler/portable';
import { commandLine, parseStarted, stateLetter, topPriority } from '../../src/sampler/portable-map';

/** Our fds that point into /proc/<pid>/ (what pidusage keeps open on Linux). */
function procFds(): string[] {
  const out: string[] = [];
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      if (/^\/proc\/\d+\//.test(target)) out.push(target);
    } catch {
      // the fd readdir itself used, already closed
    }
  }
  return out;
}

function find(s: Snapshot, pid: number): ProcessInfo {
  const p = s.processes.find((x) => x.pid === pid);
  assert.ok(p, `pid ${pid} in the snapshot`);
  return p;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const children: number[] = [];
let sleeper = 0;
let spinner = 0;
let spawnedAt = 0;
let fdsBefore: string[] = [];
let fdsBetween: string[] = [];
let fdsAfterClose: string[] = [];
let first: Snapshot;
let second: Snapshot;
let closedSample: Promise<Snapshot>;
const ms: Record<string, number> = {};

/**
 * systeminformation.processes() puts every pid on one command line: past a few thousand processes
 * its exec fails with E2BIG inside a callback (uncatchable here). That is its limit, not this test's.
 */
const CROWDED = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length > 3000;
const SKIP = { skip: CROWDED ? 'more than 3,000 processes: systeminformation.processes() fails with E2BIG' : false };

before(async () => {
  if (CROWDED) return;
  fdsBefore = procFds();
  spawnedAt = Date.now();
  const a = spawn('sleep', ['1000'], { stdio: 'ignore' });
  const b = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
  for (const c of [a, b]) {
    assert.ok(c.pid, 'child spawned');
    children.push(c.pid);
    c.unref();
  }
  sleeper = a.pid ?? 0;
  spinner = b.pid ?? 0;
  await sleep(300); // let both exec (ps shows the new argv) and the spinner get going

  const sampler = new PortableSampler({ now: () => Date.now() });
  let t = Date.now();
  first = await sampler.sample();
  ms.first = Date.now() - t;
  await sleep(1000);
  t = Date.now();
  second = await sampler.sample();
  ms.second = Date.now() - t;
  fdsBetween = procFds();
  sampler.close();
  fdsAfterClose = procFds();
  closedSample = sampler.sample();
  closedSample.catch(() => undefined); // asserted below
}, { timeout: 180_000 }); // see 'timings': on a loaded machine with many processes si.processes() is slow

after(() => {
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

test('timings (diagnostic)', SKIP, (t) => {
  t.diagnostic(`processes: ${second.processCount}; first sample ${ms.first} ms, second ${ms.second} ms; load ${os.loadavg()[0]}`);
  // Reported, not asserted: si.processes() forks one `cat` per process, ~0.6 s for 100 processes on an idle
  // 2-core machine, but 4-5 s at load 18 and ~30 s for 540 processes at load 20.
  assert.ok(ms.first > 0 && ms.second > 0);
});

test('the sleeping child appears with pid, ppid, name, state, and CPU only on the second sample', SKIP, () => {
  const p1 = find(first, sleeper);
  const p2 = find(second, sleeper);
  assert.equal(p2.ppid, process.pid);
  assert.equal(p2.name, 'sleep');
  assert.match(p2.command, /sleep 1000$/);
  assert.equal(p2.state, 'S');
  assert.equal(p1.cpu, undefined, 'pidusage has no rate on its first reading');
  assert.equal(typeof p2.cpu, 'number');
  assert.ok((p2.cpu ?? -1) >= 0 && (p2.cpu ?? 99) < 10, `sleeper cpu ${p2.cpu}`);
  assert.equal(p2.startTicks, p1.startTicks, 'identity stable across samples');
  assert.ok(Math.abs(p2.startTime - spawnedAt) <= 3000, `start time ${p2.startTime} vs spawn ${spawnedAt}`);
  assert.equal(p2.user, os.userInfo().username);
  assert.ok(p2.rss !== undefined && p2.rss > 0 && p2.vsz >= p2.rss);
});

test('the spinning child shows about one core (per-core unit) on the second sample', SKIP, (t) => {
  const p1 = find(first, spinner);
  const p2 = find(second, spinner);
  assert.equal(p1.cpu, undefined);
  assert.ok(p2.cpu !== undefined && second.interval !== undefined);
  // What the spinner really got, in % of one core: its CPU time over the time between the readings.
  // A share of all cores would be this divided by the core count.
  const got = ((p2.cpuTime - p1.cpuTime) * 100_000) / second.interval;
  t.diagnostic(`spinner cpu ${p2.cpu.toFixed(1)}; CPU time / interval ${got.toFixed(1)}; ${os.cpus().length} cores; load ${os.loadavg()[0]}`);
  assert.ok(Math.abs(p2.cpu - got) <= 2 + got * 0.2, `cpu ${p2.cpu} vs CPU time / interval ${got}`);
  if (got >= 60) {
    assert.ok(p2.cpu >= 50 && p2.cpu <= 150, `spinner cpu ${p2.cpu}`);
  } else {
    // Other work saturates the CPUs: the spinner did not get a core, so only the unit check above applies.
    t.diagnostic(`machine saturated: the spinner got ${got.toFixed(0)}% of a core, absolute 50-150 check skipped`);
  }
  assert.equal(p2.name, 'node');
  assert.equal(p2.ppid, process.pid);
  assert.ok(p2.cpuTime > 0.5 && p2.cpuTicks > 50, `cpu time ${p2.cpuTime} s`);
  assert.equal(p2.startTicks, p1.startTicks);
});

test('snapshot fields have the right types and totals', SKIP, () => {
  for (const s of [first, second]) {
    assert.equal(typeof s.time, 'number');
    assert.equal(s.processCount, s.processes.length);
    const stateSum = Object.values(s.states).reduce((a, b) => a + b, 0);
    assert.equal(stateSum, s.processCount);
    assert.equal(s.threadCount, s.processes.filter((p) => !p.kernel).length, 'one thread per process (unknown)');
    const sys = s.system;
    assert.equal(sys.cpus.length, os.cpus().length);
    for (const c of [sys.cpu, ...sys.cpus]) {
      for (const v of Object.values(c)) assert.ok(Number.isFinite(v) && v >= 0 && v <= 100.001, `cpu share ${v}`);
      assert.equal(c.iowait, 0);
    }
    assert.ok(sys.memory.total > 0 && sys.memory.used > 0 && sys.memory.used <= sys.memory.total);
    assert.equal(sys.load.length, 3);
    assert.ok(sys.uptime > 0 && Math.abs(sys.bootTime + sys.uptime * 1000 - s.time) < 2000);
    for (const p of s.processes) {
      for (const k of ['pid', 'ppid', 'tgid', 'pgid', 'sid', 'priority', 'nice', 'threads', 'startTicks', 'cpuTicks', 'vsz'] as const) {
        assert.ok(Number.isInteger(p[k]), `${k} of ${p.pid} = ${p[k]}`);
      }
      assert.ok(Number.isFinite(p.startTime) && Number.isFinite(p.cpuTime) && Number.isFinite(p.stateSince));
      assert.ok([...PROCESS_STATES, '?'].includes(p.state), p.state);
      assert.equal(p.pgid, p.pid);
      assert.equal(p.sid, p.pid);
      assert.equal(p.thread, false);
      assert.equal(p.uid, undefined);
      assert.equal(p.shared, undefined);
      assert.equal(p.wchan, undefined);
      assert.equal(p.exeDeleted, undefined);
      assert.equal(p.orphan, false);
      assert.ok(p.cpu === undefined || (Number.isFinite(p.cpu) && p.cpu >= 0));
      assert.ok(p.mem === undefined || (p.mem >= 0 && p.mem <= 100));
      assert.ok(typeof p.name === 'string' && p.name.length > 0 && typeof p.command === 'string');
    }
  }
  assert.equal(first.interval, undefined);
  assert.ok(second.interval !== undefined && second.interval >= 1000, `interval ${second.interval}`);
  assert.equal(find(second, 2).kernel, true, 'kthreadd is a kernel thread');
  assert.equal(find(second, 2).command, '[kthreadd]');
  const self = find(second, process.pid);
  assert.equal(typeof self.cpu, 'number', 'a process seen twice has a CPU%');
});

test('no pidusage fd into /proc/<pid> is held between samples or after close()', SKIP, async () => {
  assert.ok(fdsBetween.length <= fdsBefore.length, `between samples: ${fdsBetween.join(', ')}`);
  assert.deepEqual(fdsAfterClose, fdsBefore);
  await assert.rejects(closedSample, /closed/);
});

test('systeminformation shapes map to snapshot values', SKIP, () => {
  const words: Record<string, string> = { running: 'R', sleeping: 'S', blocked: 'D', stopped: 'T', zombie: 'Z', idle: 'I', dead: 'X' };
  for (const [word, letter] of Object.entries(words)) assert.equal(stateLetter(word), letter);
  for (const word of ['unknown', 'paging', '', 'constructor', 'toString']) assert.equal(stateLetter(word), '?');
  assert.equal(parseStarted('2024-03-05 07:08:09'), new Date(2024, 2, 5, 7, 8, 9).getTime());
  assert.equal(parseStarted(''), undefined);
  assert.equal(topPriority(19, 'linux'), 20, 'ps pri 19 is nice 0, top PR 20');
  assert.equal(topPriority(139, 'linux'), -100, 'SCHED_FIFO 99 shows -100 as in /proc');
  assert.equal(topPriority(31, 'darwin'), 31);
  assert.equal(commandLine({ path: '/usr/bin', command: 'node', params: '-e 1' }), '/usr/bin/node -e 1');
  assert.equal(commandLine({ path: '', command: 'sleep 1000', params: '' }), 'sleep 1000');
});
