/**
 * The sampler against the live /proc, on a landscape of real processes: zombies, a stopped and
 * a traced process, a chain, a threaded process, a hostile argv and a hostile comm. Each test
 * checks one behaviour against what the kernel says (read by the helpers' own /proc readers).
 * `ps` agreement, vanishing processes and frozen snapshots: sampler-live-ps.test.ts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Landscape } from '../helpers/landscape';
import { readStat, readStatusField } from '../helpers/proc-read';
import { Sampler } from '../../src/sampler/sampler';
import { identityKey, type Snapshot } from '../../src/model/snapshot';
import { buildForest, flattenForest } from '../../src/model/tree';
import { sanitize } from '../../src/view/text';
import {
  CONTROL, ESCAPE_ARGV, HOSTILE_COMM, proc, samplerOptions, spawnedPids, spawnLandscape, table, type LivePids,
} from './live-landscape';

/** Name of `uid` in /etc/passwd, read here without src/ so a parser bug can't hide. */
function passwdName(uid: number): string | undefined {
  for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const fields = line.split(':');
    if (fields.length >= 3 && Number(fields[2]) === uid && fields[2] !== '') return fields[0];
  }
  return undefined;
}

interface Live extends LivePids {
  /** Two samples of one threads:false sampler, ~200 ms apart (the runner spinning in between). */
  readonly first: Snapshot;
  readonly second: Snapshot;
  /** One sample of a threads:true sampler. */
  readonly withThreads: Snapshot;
  /** Bounds of this process's CPU% between `first` and `second`, from process.cpuUsage(). */
  readonly runnerCpu: { readonly low: number; readonly high: number };
}

const land = new Landscape();
let live: Live;

before(async () => {
  const pids = await spawnLandscape(land);
  const sampler = new Sampler(samplerOptions(false));
  // The runner spins rather than sleeps between the scans, and measures its own CPU time
  // around them, so its CPU% can be checked (see the cpu test).
  const clock = (): { cpu: number; wall: number } => {
    const { user, system } = process.cpuUsage();
    return { cpu: (user + system) / 1e6, wall: performance.now() / 1000 };
  };
  const t0 = clock();
  const first = sampler.sample();
  const t1 = clock();
  while (performance.now() / 1000 - t1.wall < 0.2) {
    // busy on purpose
  }
  const t2 = clock();
  const second = sampler.sample();
  const t3 = clock();
  // proctop's window (between its reads of /proc/self/stat, and of /proc/stat for the period)
  // lies between the spin [t1, t2] and the whole [t0, t3]; ticks and jiffies add 40 ms / 10 ms.
  const runnerCpu = {
    low: (100 * (t2.cpu - t1.cpu - 0.04)) / (t3.wall - t0.wall + 0.01),
    high: (100 * (t3.cpu - t0.cpu + 0.04)) / (t2.wall - t1.wall - 0.01),
  };
  const withThreads = new Sampler(samplerOptions(true)).sample();
  live = { ...pids, first, second, withThreads, runnerCpu };
});

after(() => land.cleanup());

test('zombies: state Z with the factory as ppid, counted in states.Z, grouped under the factory', () => {
  const { second: snap, factory, zombies } = live;
  for (const pid of zombies) {
    const z = proc(snap, pid);
    assert.equal(z.state, 'Z', `zombie ${pid}`);
    assert.equal(z.ppid, factory, `zombie ${pid}`);
    assert.equal(z.command, `[${z.name}]`, 'a zombie has no argv: [comm]');
  }
  assert.ok(snap.states.Z >= 3, `states.Z = ${snap.states.Z}`);
  const grouped = buildForest(snap.processes).zombiesByParent.get(factory);
  assert.deepEqual(grouped?.map((p) => p.pid), [...zombies].sort((a, b) => a - b));
  assert.equal(proc(snap, factory).state, 'S');
});

test('stopped: state T, counted in states.T', () => {
  assert.equal(proc(live.second, live.stopped).state, 'T');
  assert.ok(live.second.states.T >= 1);
});

test('traced: the tracee is S or t with its tracer attached, and the tracer is sampled too', (t) => {
  const traced = live.traced;
  if (traced === undefined) {
    t.skip('neither strace nor python3 ptrace is usable here');
    return;
  }
  assert.equal(readStatusField(traced.tracee, 'TracerPid'), String(traced.tracer), 'still attached');
  for (const snap of [live.second, live.withThreads]) {
    assert.match(proc(snap, traced.tracee).state, /^[St]$/);
    assert.equal(proc(snap, traced.tracer).ppid, process.pid);
  }
  assert.match(table(live.second, true, 120), new RegExp(`^ *${traced.tracee} `, 'm'));
});

test('chain: ppids link root → mid → leaf and the flattened forest nests them one level each', () => {
  const [root, mid, leaf] = live.chain;
  const snap = live.second;
  assert.equal(proc(snap, root).ppid, process.pid);
  assert.equal(proc(snap, mid).ppid, root);
  assert.equal(proc(snap, leaf).ppid, mid);
  assert.equal(proc(snap, leaf).command, 'sleep 1000');
  const rows = flattenForest(buildForest(snap.processes));
  const at = (pid: number): number => rows.findIndex((r) => r.node.process.pid === pid);
  const [r, m, l] = [at(root), at(mid), at(leaf)];
  assert.ok(r >= 0, 'root row');
  assert.deepEqual([m, l], [r + 1, r + 2], 'pre-order: each level right below its parent');
  assert.equal(rows[m].depth, rows[r].depth + 1);
  assert.equal(rows[l].depth, rows[m].depth + 1);
  assert.ok(rows[m].guide.endsWith('└─ ') && rows[l].guide.endsWith('└─ '), 'only children');
  assert.equal(rows[l].guide.length, rows[m].guide.length + 3);
});

test('threaded: the process row says 20 threads', () => {
  assert.equal(proc(live.second, live.threaded).threads, 20);
  assert.equal(live.second.processes.filter((p) => p.thread).length, 0, 'threads:false has no thread rows');
});

test('threads:true: exactly 19 thread rows with tgid = the process, one per non-main task', () => {
  const pid = live.threaded;
  const rows = live.withThreads.processes.filter((p) => p.thread && p.tgid === pid);
  assert.equal(rows.length, 19);
  const tids = rows.map((p) => p.pid).sort((a, b) => a - b);
  const tasks = fs.readdirSync(`/proc/${pid}/task`).map(Number).filter((tid) => tid !== pid).sort((a, b) => a - b);
  assert.deepEqual(tids, tasks);
  assert.equal(proc(live.withThreads, pid).threads, 20);
  // Threads hang below their process in the forest.
  const forest = buildForest(live.withThreads.processes);
  assert.deepEqual(forest.byPid.get(pid)?.children.filter((c) => c.process.thread).length, 19);
});

test('escape-sequence argv: the snapshot carries the exact text', () => {
  const p = proc(live.second, live.argv);
  assert.equal(p.command, ESCAPE_ARGV.join(' '));
  assert.equal(sanitize(p.command), '\\x1b]0;pwned\\x07\\x1b[2J x');
});

test('escape-sequence argv: sanitize() and the rendered table and tree hold no control character', () => {
  const p = proc(live.second, live.argv);
  assert.doesNotMatch(sanitize(p.command), CONTROL);
  for (const tree of [false, true]) {
    for (const width of [undefined, 200]) {
      const out = table(live.second, tree, width);
      assert.ok(out.endsWith('\n'));
      const lines = out.slice(0, -1).split('\n');
      for (const line of lines) assert.doesNotMatch(line, CONTROL, JSON.stringify(line));
      const row = lines.find((l) => l.trimStart().startsWith(`${live.argv} `));
      assert.ok(row?.includes(width === undefined ? '\\x1b]0;pwned\\x07\\x1b[2J x' : '\\x1b'), `tree=${tree} width=${width}: ${row}`);
    }
  }
});

test('comm "a) R 1 (b": name is exact and the fields after it parse sanely', () => {
  const p = proc(live.second, live.comm);
  assert.equal(p.name, HOSTILE_COMM);
  assert.equal(p.state, 'S');
  assert.equal(p.ppid, process.pid);
  assert.equal(p.pgid, live.comm, 'detached: own process group');
  assert.equal(p.sid, live.comm, 'detached: own session');
  assert.equal(p.tty, undefined);
  assert.equal(p.threads, 1);
  assert.equal(p.nice, os.getPriority(), 'inherited from the runner');
  assert.equal(p.startTicks, readStat(live.comm)?.starttime);
  assert.equal(p.command, 'sleep 1000');
  assert.equal(p.kernel, false);
});

test('user and uid are ours, named as /etc/passwd names them', () => {
  const uid = process.getuid?.();
  assert.ok(uid !== undefined);
  const name = passwdName(uid) ?? String(uid);
  for (const pid of [live.sleeper, live.comm, live.chain[2], live.factory]) {
    const p = proc(live.second, pid);
    assert.equal(p.uid, uid, `pid ${pid}`);
    assert.equal(p.user, name, `pid ${pid}`);
  }
});

test('startTime is within a few seconds of when the sleeper was spawned', () => {
  const slack = 3000; // /proc/stat btime has whole seconds; the rest is scheduling
  for (const pid of [live.sleeper, live.comm, live.threaded]) {
    const started = proc(live.second, pid).startTime;
    assert.ok(started >= live.spawnedFrom - slack && started <= live.spawnedTo + slack,
      `pid ${pid} started ${new Date(started).toISOString()}, spawned between ` +
      `${new Date(live.spawnedFrom).toISOString()} and ${new Date(live.spawnedTo).toISOString()}`);
  }
});

test('rss, vsz and mem are positive for a live sleeper; a zombie has no memory', () => {
  const p = proc(live.second, live.sleeper);
  assert.ok(p.rss !== undefined && p.rss > 0, `rss ${p.rss}`);
  assert.ok(p.vsz > 0 && p.mem !== undefined && p.mem > 0 && p.mem < 100, `vsz ${p.vsz}, mem ${p.mem}`);
  const z = proc(live.second, live.zombies[0]);
  assert.equal(z.rss, 0);
});

test('cpu: undefined or a number on the first sample, a number ≥ 0 on the second for every survivor', () => {
  const bound = 200 * Math.max(1, live.second.system.cpus.length);
  for (const p of live.first.processes) {
    assert.ok(p.cpu === undefined || (Number.isFinite(p.cpu) && p.cpu >= 0), `first: pid ${p.pid} cpu ${p.cpu}`);
  }
  const before = new Set(live.first.processes.map((p) => identityKey(p)));
  let compared = 0;
  for (const p of live.second.processes) {
    if (!before.has(identityKey(p))) {
      assert.equal(p.cpu, undefined, `new pid ${p.pid}: no rate without a previous reading`);
      continue;
    }
    compared += 1;
    assert.ok(typeof p.cpu === 'number' && p.cpu >= 0 && p.cpu <= bound, `second: pid ${p.pid} cpu ${p.cpu}`);
  }
  assert.ok(compared >= spawnedPids(live).length, `${compared} processes in both samples`);
  assert.equal(typeof proc(live.second, live.sleeper).cpu, 'number');
  // The runner spun between the scans: its CPU% must lie within what process.cpuUsage() bounds.
  const runner = proc(live.second, process.pid).cpu;
  const { low, high } = live.runnerCpu;
  assert.ok(runner !== undefined && runner >= low && runner <= high,
    `runner: proctop says ${runner}%, process.cpuUsage() bounds it to ${low.toFixed(1)}…${high.toFixed(1)}%`);
  assert.ok(live.second.interval !== undefined && live.second.interval >= 150, `interval ${live.second.interval}`);
});

test('a split first scan: argv, uid and statm for the picked pids first, then the rest; the whole equals an unsplit scan', async () => {
  const sampler = new Sampler(samplerOptions(true));
  const picked = [live.threaded, live.argv];
  let partialRows = 0;
  const { first, rest } = await sampler.sampleFirstInSlices(async () => undefined, (partial) => {
    partialRows = partial.processes.length;
    const sleeper = proc(partial, live.sleeper);
    assert.equal(sleeper.command, `[${sleeper.name}]`, 'before its fill a row holds its comm as command');
    assert.equal(sleeper.user, undefined, 'and no owner');
    return picked;
  });
  assert.equal(first.processes.length, partialRows, 'the fill changes rows, never adds or drops one');
  const whole = new Sampler(samplerOptions(true)).sample();
  const same = (p: { command: string; user?: string; uid?: number }) => ({ command: p.command, user: p.user, uid: p.uid });
  for (const pid of picked) assert.deepEqual(same(proc(first, pid)), same(proc(whole, pid)), `picked pid ${pid} is whole in the first frame`);
  const threadRows = first.processes.filter((p) => p.thread && p.tgid === live.threaded);
  assert.ok(threadRows.length >= 2, 'the threaded process has thread rows');
  for (const t of threadRows) assert.equal(t.command, proc(whole, live.threaded).command, 'a thread row shows its process argv');
  assert.equal(proc(first, live.sleeper).user, undefined, 'a pid not picked waits for the rest');
  const all = rest();
  assert.equal(all.time, first.time, 'the rest completes the same frame');
  for (const pid of spawnedPids(live)) {
    assert.deepEqual(same(proc(all, pid)), same(proc(whole, pid)), `pid ${pid} after the rest`);
    assert.equal(proc(all, pid).rss, proc(whole, pid).rss, `pid ${pid}: RES from statm`);
  }
  assert.equal(proc(all, process.pid).user, passwdName(process.getuid?.() ?? 0));
});
