import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { deepFreeze } from '../../helpers/freeze';
import { COLUMNS, findColumn, Column } from '../../../src/model/columns';
import { ProcessInfo, Snapshot } from '../../../src/model/snapshot';
import { sortProcesses } from '../../../src/model/sort';
import { buildForest, flattenForest } from '../../../src/model/tree';
import { renderJson } from '../../../src/output/json';
import { renderTextTable } from '../../../src/output/text-table';
import { Sampler } from '../../../src/sampler/sampler';
import { IS_ROOT, materialize, scenario, tempDir } from '../procfs/fixtures';

const T1 = 1_795_783_433_710;
const T2 = T1 + 1500;
const BTIME_MS = 1_795_782_797 * 1000;
const MEM_TOTAL = 24_683_620 * 1024;
const PAGE = 4096;

function sampler(root: string, passwdDir = root, times: number[] = [T1, T2]): Sampler {
  const clock = [...times];
  return new Sampler({
    root, passwdPath: path.join(passwdDir, 'passwd'), threads: false, now: () => clock.shift() ?? NaN, pageSize: PAGE,
  });
}

function byPid(snapshot: Snapshot): Map<number, ProcessInfo> {
  return new Map(snapshot.processes.map((p) => [p.pid, p]));
}

function proc(snapshot: Snapshot, pid: number): ProcessInfo {
  const p = byPid(snapshot).get(pid);
  if (!p) assert.fail(`pid ${pid} missing from the snapshot`);
  return p;
}

/** One sample of a fixture scenario, taken without copying it. */
const sampleOf = (name: string): Snapshot => sampler(scenario(name)).sample();

// basic: one scan

test('a scan lists every pid directory with a readable stat', () => {
  const pids = sampleOf('basic').processes.map((p) => p.pid).sort((a, b) => a - b);
  assert.deepEqual(pids, [1, 2, 14, 18, 36, 150, 151, 300, 1200, 1300, 1301, 1400, 1500]);
});

test('a scan copies the stat fields of a process', () => {
  const p = proc(sampleOf('basic'), 1300);
  assert.deepEqual(
    { pid: p.pid, ppid: p.ppid, tgid: p.tgid, pgid: p.pgid, sid: p.sid, state: p.state, name: p.name, priority: p.priority, nice: p.nice, threads: p.threads, startTicks: p.startTicks, thread: p.thread },
    { pid: 1300, ppid: 1200, tgid: 1300, pgid: 1300, sid: 1200, state: 'R', name: 'make', priority: 20, nice: 0, threads: 1, startTicks: 40000, thread: false },
  );
});

test('the command of a process is its argv joined with spaces', () => {
  assert.equal(proc(sampleOf('basic'), 150).command, '/sbin/agetty -o -p -- \\u --noclear tty1 linux');
});

test('a kernel thread (PF_KTHREAD) is marked kernel and shows [name]', () => {
  const s = sampleOf('basic');
  assert.deepEqual([2, 14, 18, 36].map((pid) => [proc(s, pid).kernel, proc(s, pid).command]),
    [[true, '[kthreadd]'], [true, '[ksoftirqd/0]'], [true, '[migration/0]'], [true, '[kworker/0:1-events]']]);
});

test('a zombie with an empty cmdline shows [name] and is not a kernel thread', () => {
  const p = proc(sampleOf('basic'), 1301);
  assert.deepEqual([p.state, p.command, p.kernel], ['Z', '[cc1]', false]);
});

test('a stopped process has state T', () => {
  assert.equal(proc(sampleOf('basic'), 1400).state, 'T');
});

test('tty numbers become pts/0, tty1 and ttyS0; no terminal is undefined', () => {
  const s = sampleOf('basic');
  assert.deepEqual([1200, 150, 151, 1].map((pid) => proc(s, pid).tty), ['pts/0', 'tty1', 'ttyS0', undefined]);
});

test('startTime is btime × 1000 + startTicks × 10 ms', () => {
  const s = sampleOf('basic');
  assert.equal(proc(s, 1300).startTime, BTIME_MS + 40000 * 10);
  assert.equal(proc(s, 1).startTime, BTIME_MS + 2 * 10);
});

test('rss and shared come from statm (fields 2 and 3 × page size) from the first scan on, vsz from stat', () => {
  const root = scenario('basic');
  // stat's field 24 says otherwise: RES must be statm's resident, as top, htop and VmRSS.
  const stat = fs.readFileSync(path.join(root, '1', 'stat'), 'utf8').split(' ');
  stat[23] = '3000';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-statm-'));
  try {
    fs.cpSync(root, tmp, { recursive: true });
    fs.writeFileSync(path.join(tmp, '1', 'stat'), stat.join(' '));
    const first = proc(sampler(tmp).sample(), 1);
    assert.deepEqual([first.rss, first.vsz, first.shared], [3072 * PAGE, 22_597_632, 2048 * PAGE]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('rss falls back to stat field 24 when statm is unreadable', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-statm-'));
  try {
    fs.cpSync(scenario('basic'), tmp, { recursive: true });
    fs.rmSync(path.join(tmp, '1', 'statm'));
    const first = proc(sampler(tmp).sample(), 1);
    assert.deepEqual([first.rss, first.shared], [3072 * PAGE, undefined]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('mem is rss as a percentage of MemTotal', () => {
  assert.equal(proc(sampleOf('basic'), 1500).mem, (262_144 * PAGE * 100) / MEM_TOTAL);
});

test('cpuTime is (utime + stime) / 100 s and cpuTicks their sum', () => {
  const p = proc(sampleOf('basic'), 1500);
  assert.deepEqual([p.cpuTicks, p.cpuTime], [372_000, 3720]);
});

test('the first scan has no CPU% and no interval', () => {
  const s = sampleOf('basic');
  assert.equal(s.interval, undefined);
  assert.ok(s.processes.every((p) => p.cpu === undefined));
});

test('processCount counts processes and states per letter', () => {
  const s = sampleOf('basic');
  assert.equal(s.processCount, 13);
  assert.deepEqual(s.states, { R: 1, S: 9, D: 0, T: 1, t: 0, Z: 1, X: 0, I: 1, '?': 0 });
});

test('threadCount sums the threads of user processes, kernel threads excluded', () => {
  assert.equal(sampleOf('basic').threadCount, 50);
});

test('system info carries boot time, uptime, load and memory', () => {
  const { system } = sampleOf('basic');
  assert.deepEqual([system.bootTime, system.uptime, system.load], [BTIME_MS, 636.71, [1.16, 0.7, 0.33]]);
  assert.deepEqual([system.memory.total, system.memory.swapUsed], [MEM_TOTAL, 524_288 * 1024]);
});

// users: the uid is the owner of /proc/PID, which git does not keep

const NEEDS_ROOT = !IS_ROOT && 'needs root to chown the copied fixture (git keeps no file owners)';

test('user names come from the passwd file by the owner uid of /proc/PID', { skip: NEEDS_ROOT }, (t) => {
  const m = materialize('basic');
  t.after(m.cleanup);
  const s = sampler(m.root).sample();
  assert.deepEqual([1200, 1500].map((pid) => [proc(s, pid).uid, proc(s, pid).user]), [[1000, 'alice'], [1001, 'bob']]);
});

test('uid 0 is named by its first passwd entry (root, not toor)', { skip: NEEDS_ROOT }, (t) => {
  const m = materialize('basic');
  t.after(m.cleanup);
  assert.equal(proc(sampler(m.root).sample(), 1).user, 'root');
});

test('a uid without a passwd entry is shown as the number', { skip: NEEDS_ROOT }, (t) => {
  const m = materialize('basic');
  t.after(m.cleanup);
  const p = proc(sampler(m.root).sample(), 300);
  assert.deepEqual([p.uid, p.user], [4242, '4242']);
});

test('a user added to passwd after the first scan is named when its uid is first seen', { skip: NEEDS_ROOT }, (t) => {
  const m = materialize('basic');
  t.after(m.cleanup);
  const s = sampler(m.root);
  s.sample();
  // useradd during an incident, then a process of the new user starts.
  fs.appendFileSync(path.join(m.root, 'passwd'), 'svc:x:5555:5555::/:/bin/false\n');
  fs.cpSync(path.join(m.root, '300'), path.join(m.root, '301'), { recursive: true });
  fs.chownSync(path.join(m.root, '301'), 5555, 5555);
  fs.writeFileSync(path.join(m.root, '301', 'stat'), fs.readFileSync(path.join(m.root, '300', 'stat'), 'latin1').replace(/^300 /, '301 '), 'latin1');
  assert.equal(proc(s.sample(), 301).user, 'svc');
});

// frozen snapshots

test('a deep-frozen snapshot still sorts, builds a tree and prints', () => {
  const s = deepFreeze(sampleOf('basic'));
  assert.ok(Object.isFrozen(s.processes[0]) && Object.isFrozen(s.system.load));
  const order = { column: findColumn('cpu') as Column, descending: true };
  assert.equal(sortProcesses(s.processes, order).length, 13);
  assert.equal(flattenForest(buildForest(s.processes)).length, 13);
  assert.ok(renderTextTable(s, { columns: COLUMNS, order, tree: true, width: undefined, tzOffset: 0 }).includes('[kthreadd]'));
  assert.equal(JSON.parse(renderJson(s, s.processes)).processes.length, 13);
});

test('the sampler keeps working after its previous snapshot was deep-frozen', () => {
  const s = sampler(scenario('basic'));
  deepFreeze(s.sample());
  const next = s.sample();
  assert.equal(next.processCount, 13);
  assert.equal(next.interval, T2 - T1);
});

// a process that exits in the middle of its own reads

test('a process that exits between its stat and its uid read is dropped, not listed nameless', () => {
  const m = materialize('basic');
  try {
    const s = sampler(m.root);
    const readUid = s.reader.readUid.bind(s.reader);
    s.reader.readUid = (pid: number) => {
      if (pid === 300) fs.rmSync(path.join(m.root, '300'), { recursive: true }); // exits right now
      return readUid(pid);
    };
    const snap = s.sample();
    assert.equal(byPid(snap).has(300), false);
    assert.equal(snap.processCount, snap.processes.length);
    assert.equal(s.cacheSizes().identity, snap.processes.length, 'nothing cached for it');
  } finally {
    m.cleanup();
  }
});

test('a process whose uid alone cannot be read stays listed with an unknown user', () => {
  const s = sampler(scenario('basic'));
  const readUid = s.reader.readUid.bind(s.reader);
  s.reader.readUid = (pid: number) => (pid === 300 ? undefined : readUid(pid));
  const p = proc(s.sample(), 300);
  assert.deepEqual([p.uid, p.user, p.command], [undefined, undefined, proc(sampleOf('basic'), 300).command]);
});

// a scan in slices

test('a scan in slices pauses after every slice and gives the same snapshot as one in a go', async () => {
  let pauses = 0;
  const sliced = await sampler(scenario('basic'), scenario('basic'), [T1]).sampleInSlices(() => {
    pauses++;
    return new Promise((resolve) => setImmediate(resolve));
  }, 4);
  const whole = sampler(scenario('basic'), scenario('basic'), [T1]).sample();
  assert.equal(pauses, Math.floor(whole.processCount / 4));
  assert.deepEqual(sliced, whole);
});

// unchanged rows are handed out again

test('a row whose every field is unchanged is the same object in the next snapshot', () => {
  const s = sampler(scenario('basic'), scenario('basic'), [T1, T2, T2 + 1500]);
  s.sample();
  const second = deepFreeze(s.sample());
  const third = s.sample();
  assert.notEqual(third.processes, second.processes);
  assert.equal(third.processes.length, second.processes.length);
  third.processes.forEach((p, i) => assert.equal(p, second.processes[i], `pid ${p.pid} reused`));
  assert.equal(s.cacheSizes().rows, third.processes.length);
});

test('a row with a changed field is a new object; the previous snapshot keeps the old value', () => {
  const m = materialize('basic');
  try {
    const s = sampler(m.root, m.root, [T1, T2, T2 + 1500]);
    s.sample();
    const second = s.sample();
    const statFile = path.join(m.root, '300', 'stat');
    // utime 6000 → 6007: only pid 300 changed.
    fs.writeFileSync(statFile, fs.readFileSync(statFile, 'latin1').replace(' 6000 1500 ', ' 6007 1500 '), 'latin1');
    const third = s.sample();
    const before = proc(second, 300);
    const after = proc(third, 300);
    assert.notEqual(after, before);
    assert.deepEqual([before.cpuTicks, after.cpuTicks], [7500, 7507]);
    for (const p of third.processes) if (p.pid !== 300) assert.equal(p, proc(second, p.pid), `pid ${p.pid} reused`);
  } finally {
    m.cleanup();
  }
});

// tick1 → tick2: CPU% from deltas

/** Two scans: tick1, then tick2 through a symlinked root swapped between them. */
function twoTicks(t: { after: (fn: () => void) => void }): { first: Snapshot; second: Snapshot } {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const root = path.join(dir, 'root');
  fs.symlinkSync(scenario('tick1'), root);
  const s = sampler(root);
  const first = s.sample();
  fs.unlinkSync(root);
  fs.symlinkSync(scenario('tick2'), root);
  return { first, second: s.sample() };
}

test('CPU% is the ticks gained over the jiffies one CPU saw (50 of 100 → 50.0)', (t) => {
  assert.equal(proc(twoTicks(t).second, 10).cpu, 50);
});

test('CPU% of a process on more than one core exceeds 100 (150 of 100 → 150.0)', (t) => {
  assert.equal(proc(twoTicks(t).second, 11).cpu, 150);
});

test('CPU% of a process that gained 1 tick is 1.0 and of one that gained none 0', (t) => {
  const { second } = twoTicks(t);
  assert.deepEqual([proc(second, 15).cpu, proc(second, 1).cpu], [1, 0]);
});

test('a reused pid (new start time) has no CPU%, not a rate across two processes', (t) => {
  const { first, second } = twoTicks(t);
  assert.notEqual(proc(first, 12).startTicks, proc(second, 12).startTicks);
  assert.equal(proc(second, 12).cpu, undefined);
});

test('a reused pid gets the new process\'s command, not the cached one of the old', (t) => {
  assert.equal(proc(twoTicks(t).second, 12).command, 'worker --new');
});

test('a process first seen in the second scan has no CPU%', (t) => {
  assert.equal(proc(twoTicks(t).second, 13).cpu, undefined);
});

test('a process gone by the second scan is not listed', (t) => {
  assert.equal(byPid(twoTicks(t).second).has(14), false);
});

test('a process that exec\'d (new comm) shows its new command', (t) => {
  const p = proc(twoTicks(t).second, 16);
  assert.deepEqual([p.name, p.command, p.cpu], ['python3', 'python3 app.py', 0]);
});

test('interval is the difference of the two now() values', (t) => {
  assert.equal(twoTicks(t).second.interval, 1500);
});

test('the system CPU shares come from the /proc/stat deltas', (t) => {
  const { system } = twoTicks(t).second;
  assert.deepEqual(system.cpu, { user: 35, system: 17.5, iowait: 2.5, steal: 1, other: 1.5, busy: 55 });
  assert.deepEqual(system.cpus, [
    { user: 40, system: 15, iowait: 5, steal: 0, other: 0, busy: 55 },
    { user: 30, system: 20, iowait: 0, steal: 2, other: 3, busy: 55 },
  ]);
});

// vanished, unreadable and missing

test('a pid directory without stat and one with an unparseable, truncated, empty or directory stat are skipped', () => {
  const pids = sampleOf('vanish').processes.map((p) => p.pid).sort((a, b) => a - b);
  assert.deepEqual(pids, [1, 502, 504]);
});

test('a process without statm has shared undefined', () => {
  assert.equal(proc(sampleOf('vanish'), 502).shared, undefined);
});

test('a process without cmdline shows [name]', () => {
  assert.equal(proc(sampleOf('vanish'), 504).command, '[nocmdline]');
});

test('a root that does not exist gives an empty snapshot', () => {
  const s = sampler('/nonexistent/proctop-test', '/nonexistent/proctop-test');
  const snapshot = s.sample();
  assert.deepEqual([snapshot.processes.length, snapshot.processCount, snapshot.threadCount, snapshot.system.memory.total], [0, 0, 0, 0]);
  assert.equal(s.sample().processCount, 0);
});

/** A root with basic's host-wide files, init, and whatever `setup` adds. */
function hiddenRoot(t: { after: (fn: () => void) => void }, setup: (root: string) => void): Snapshot {
  const { dir, cleanup } = tempDir();
  t.after(() => {
    // A mode-000 directory must be opened up again before it can be removed.
    for (const name of fs.readdirSync(dir)) if (!fs.lstatSync(path.join(dir, name)).isSymbolicLink()) fs.chmodSync(path.join(dir, name), 0o755);
    cleanup();
  });
  for (const file of ['stat', 'meminfo', 'loadavg', 'uptime', 'passwd']) fs.copyFileSync(path.join(scenario('basic'), file), path.join(dir, file));
  fs.cpSync(path.join(scenario('basic'), '1'), path.join(dir, '1'), { recursive: true });
  setup(dir);
  return sampler(dir).sample();
}

test('hidepid: a pid entry that is a dangling symlink is skipped without error', (t) => {
  const s = hiddenRoot(t, (root) => fs.symlinkSync(path.join(root, 'gone'), path.join(root, '77')));
  assert.deepEqual(s.processes.map((p) => p.pid), [1]);
});

test('hidepid: a process whose cmdline is unreadable (dangling symlink) shows [name]', (t) => {
  const s = hiddenRoot(t, (root) => {
    fs.cpSync(path.join(scenario('basic'), '1200'), path.join(root, '78'), { recursive: true });
    fs.writeFileSync(path.join(root, '78', 'stat'), fs.readFileSync(path.join(root, '78', 'stat'), 'latin1').replace(/^1200 /, '78 '), 'latin1');
    fs.rmSync(path.join(root, '78', 'cmdline'));
    fs.symlinkSync(path.join(root, 'gone'), path.join(root, '78', 'cmdline'));
  });
  assert.equal(proc(s, 78).command, '[bash]');
});

test('hidepid: a pid directory with mode 000 is skipped without error', { skip: IS_ROOT && 'running as root: mode 000 does not stop root from reading' }, (t) => {
  const s = hiddenRoot(t, (root) => {
    fs.cpSync(path.join(scenario('basic'), '1200'), path.join(root, '1200'), { recursive: true });
    fs.chmodSync(path.join(root, '1200'), 0o000);
  });
  assert.deepEqual(s.processes.map((p) => p.pid), [1]);
});

test('a single-threaded process never shows more than 100 % CPU: 125 ticks over a 100-jiffy period (reads skewed across a sliced scan) is 100', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const second = path.join(dir, 'tick2');
  fs.cpSync(scenario('tick2'), second, { recursive: true });
  // busy (PID 10, one thread): 1200 ticks in tick1; 1325 now, 125 more over 100 jiffies per CPU.
  const stat = path.join(second, '10', 'stat');
  fs.writeFileSync(stat, fs.readFileSync(stat, 'utf8').replace(' 1040 210 ', ' 1105 220 '));
  const root = path.join(dir, 'root');
  fs.symlinkSync(scenario('tick1'), root);
  const s = sampler(root);
  s.sample();
  fs.unlinkSync(root);
  fs.symlinkSync(second, root);
  const after = s.sample();
  assert.equal(proc(after, 10).threads, 1);
  assert.equal(proc(after, 10).cpu, 100);
  // A process with threads may exceed 100, up to one CPU per thread (spinner: 3 threads, 2 CPUs, 150).
  assert.equal(proc(after, 11).cpu, 150);
});

test('sampleScreen: only the pids chosen from the listing, read in full, in a partial frame; the scan after it is the first scan it would have been', () => {
  const root = scenario('basic');
  const s = sampler(root, root, [T1, T2]);
  let listed: number[] = [];
  const lowest = (pids: readonly number[]): number[] => {
    listed = [...pids];
    return [...pids].sort((a, b) => a - b).slice(0, 3);
  };
  const partial = s.sampleScreen(lowest);
  const fresh = sampler(root, root, [T2]).sample();
  assert.equal(partial.partial, true);
  assert.equal(partial.processCount, fresh.processCount, 'every process listed is counted');
  assert.equal(listed.length, fresh.processCount);
  assert.deepEqual(partial.processes.map((p) => p.pid), [...listed].sort((a, b) => a - b).slice(0, 3));
  // What a row shows, as the whole first scan reads it (argv, owner, statm), no CPU% yet.
  const shown = (p: ProcessInfo): unknown[] => [p.pid, p.ppid, p.state, p.user, p.command, p.rss, p.shared, p.mem, p.threads, p.cpuTime, p.cpu];
  for (const p of partial.processes) assert.deepEqual(shown(p), shown(proc(fresh, p.pid)));
  const whole = s.sample();
  assert.equal(whole.partial, undefined);
  assert.deepEqual(whole.processes.map(shown), fresh.processes.map(shown), 'no CPU% from the partial frame, every row read');
  assert.deepEqual(whole.states, fresh.states);
  assert.throws(() => s.sampleScreen(lowest), /only for a first scan/);
});
