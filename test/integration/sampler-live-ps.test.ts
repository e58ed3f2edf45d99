/**
 * The sampler against the live /proc as a whole, with the landscape of live-landscape.ts
 * running: agreement with `ps`, processes vanishing mid-scan, and deep-frozen snapshots.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { setImmediate as tick } from 'node:timers/promises';
import { Landscape, waitFor } from '../helpers/landscape';
import { sleepBinary } from '../helpers/landscape-tools';
import { readStat } from '../helpers/proc-read';
import { deepFreeze } from '../helpers/freeze';
import { Sampler } from '../../src/sampler/sampler';
import { identityKey } from '../../src/model/snapshot';
import { buildForest, countStates, flattenForest } from '../../src/model/tree';
import { sortProcesses } from '../../src/model/sort';
import { orderedRows } from '../../src/view/rows';
import { renderJson } from '../../src/output/json';
import { BY_PID, column, samplerOptions, spawnedPids, spawnLandscape, table, type LivePids } from './live-landscape';

const execFileP = promisify(execFile);

const land = new Landscape();
let live: LivePids;

before(async () => {
  live = await spawnLandscape(land);
});

after(() => land.cleanup());

/** `ps -e` (processes only, no threads): pid → ppid and the first letter of STAT. */
async function psTable(): Promise<Map<number, { ppid: number; state: string }>> {
  const { stdout } = await execFileP('ps', ['-e', '-o', 'pid=,ppid=,stat=']);
  const table = new Map<number, { ppid: number; state: string }>();
  for (const line of stdout.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\S)/.exec(line);
    if (m) table.set(Number(m[1]), { ppid: Number(m[2]), state: m[3] });
  }
  return table;
}

test('the pid set, ppids and states agree with ps -e taken right before and after a sample', async () => {
  // Processes come and go, busy ones flip between R and S within milliseconds, and a neighbour
  // may kill a thousand at once: the scan is bracketed by two ps runs, and the snapshot must
  // agree with what ps saw unchanged in both.
  const psStarted = Date.now();
  const psBefore = await psTable();
  const snap = new Sampler(samplerOptions(false)).sample();
  const psAfter = await psTable();
  const mine = new Map(snap.processes.map((p) => [p.pid, p]));
  assert.equal(mine.size, snap.processes.length, 'one row per pid (ps -e and threads:false show processes only)');
  const show = (pid: number): string =>
    `${pid}: ${mine.get(pid)?.ppid}/${mine.get(pid)?.state} vs ps ${JSON.stringify(psBefore.get(pid))}, ${JSON.stringify(psAfter.get(pid))}`;

  // Alive (same parent) in both ps runs: alive during the scan, so sampled; pid reuse aside.
  const throughout = [...psBefore].filter(([pid, b]) => psAfter.get(pid)?.ppid === b.ppid).map(([pid]) => pid);
  const missing = throughout.filter((pid) => !mine.has(pid));
  assert.ok(missing.length <= 0.02 * throughout.length,
    `in ps before and after but not sampled: ${missing.length}/${throughout.length}: ${missing.slice(0, 20).join(' ')}`);
  // Sampled but seen by neither ps: must have started after the first ps did (btime has whole seconds).
  const unseen = [...mine.values()].filter((p) => !psBefore.has(p.pid) && !psAfter.has(p.pid));
  const old = unseen.filter((p) => p.startTime < psStarted - 2000);
  assert.deepEqual(old.map((p) => `${p.pid} ${p.name} started ${new Date(p.startTime).toISOString()}`), [],
    `sampled, older than the first ps (${new Date(psStarted).toISOString()}), yet seen by neither ps`);

  // Unchanged between the two ps runs: the scan in between must agree on ppid and state.
  const stable = throughout.filter((pid) => mine.has(pid) && psAfter.get(pid)?.state === psBefore.get(pid)?.state);
  const differ = stable.filter((pid) => mine.get(pid)?.ppid !== psAfter.get(pid)?.ppid || mine.get(pid)?.state !== psAfter.get(pid)?.state);
  assert.ok(differ.length <= 0.05 * stable.length, `${differ.length}/${stable.length} disagree: ${differ.slice(0, 20).map(show).join('; ')}`);

  for (const pid of spawnedPids(live)) {
    const [a, b] = [mine.get(pid), psAfter.get(pid)];
    assert.ok(a && b, `our pid ${pid} in both`);
    assert.deepEqual({ ppid: a.ppid, state: a.state }, b, `our pid ${pid}`);
  }
  assert.ok(stable.length >= spawnedPids(live).length, `${stable.length} stable processes compared`);
});

test('vanishing processes: up to 50 scans amid exits never throw, and a process seen gone is absent from the next snapshot', async (t) => {
  const sampler = new Sampler(samplerOptions(false));
  // 50 scans take 1-2 s on a quiet host; on a crowded, overloaded one each scan can take a
  // second, so stop at 5 s once 12 scans (4 killed sleeps) are done.
  const deadline = Date.now() + 5000;
  // A shell starting 10 ms sleeps back to back and reaping each, on another CPU while we scan,
  // so processes vanish between listing /proc and reading their files. The TERM trap lets the
  // shell reap its current child before it exits: no orphan is left behind.
  const churn = spawn('sh', ['-c', `trap 'exit 0' TERM; while :; do ${sleepBinary()} 0.01; done`], { stdio: 'ignore' });
  assert.ok(churn.pid !== undefined);
  const churnPid = land.track(churn.pid);
  const churnExit = new Promise((resolve) => churn.once('exit', resolve));
  /** pid → start ticks of processes to watch: our killed sleeps and the churn's children seen. */
  const watched = new Map<number, number>();
  const killed = new Map<number, number>();
  const checked = new Set<string>();
  let scans = 0;
  try {
    for (let i = 0; i < 50 && (i < 12 || Date.now() < deadline); i++) {
      scans += 1;
      if (i % 3 === 0) {
        // A sleep SIGKILLed right before a scan, dying while /proc is read (Node reaps it after).
        const child = spawn(sleepBinary(), ['1000'], { stdio: 'ignore' });
        assert.ok(child.pid !== undefined);
        const start = readStat(land.track(child.pid))?.starttime;
        child.kill('SIGKILL');
        if (start !== undefined) killed.set(child.pid, start);
      }
      for (const [pid, start] of killed) watched.set(pid, start);
      const gone = [...watched].filter(([pid, start]) => readStat(pid)?.starttime !== start);
      const snap = sampler.sample();
      const pids = snap.processes.map((p) => p.pid);
      assert.equal(new Set(pids).size, pids.length, `scan ${i}: no duplicate pid`);
      assert.equal(snap.processCount, pids.length, `scan ${i}`);
      const sampled = new Set(snap.processes.map((p) => identityKey(p)));
      for (const [pid, startTicks] of gone) {
        const key = identityKey({ pid, startTicks });
        assert.ok(!sampled.has(key), `scan ${i}: pid ${pid} was gone before it`);
        checked.add(key);
      }
      watched.clear();
      for (const p of snap.processes) if (p.ppid === churnPid) watched.set(p.pid, p.startTicks);
      await tick(); // lets Node reap the killed sleeps
    }
  } finally {
    churn.kill('SIGTERM');
  }
  t.diagnostic(`${scans} scans, ${checked.size} processes checked after they vanished`);
  assert.ok(checked.size >= 3, `only ${checked.size} vanished processes checked`);
  await churnExit;
  await waitFor(() => [...killed.keys()].every((pid) => readStat(pid) === undefined), 10_000, 'the killed sleeps to be reaped');
  const next = new Set(sampler.sample().processes.map((p) => p.pid));
  for (const pid of [...killed.keys(), churnPid]) assert.ok(!next.has(pid), `pid ${pid} is gone but sampled`);
});

test('a deep-frozen snapshot builds a forest and renders as table, tree and JSON without being written to', () => {
  const sampler = new Sampler(samplerOptions(true));
  sampler.sample();
  const snap = deepFreeze(sampler.sample());
  assert.ok(Object.isFrozen(snap.processes) && Object.isFrozen(snap.processes[0]) && Object.isFrozen(snap.states));
  assert.ok(Object.isFrozen(snap.system.cpus) && Object.isFrozen(snap.system.load));
  const text = JSON.stringify(snap);

  const forest = buildForest(snap.processes);
  const flat = flattenForest(forest);
  assert.equal(flat.length, snap.processes.length, 'every row in the forest exactly once');
  assert.deepEqual(forest.states, countStates(snap.processes));
  assert.deepEqual(forest.states, snap.states);
  for (const tree of [false, true]) {
    assert.equal(orderedRows(snap.processes, { order: BY_PID, tree }).length, snap.processes.length);
    assert.match(table(snap, tree, 100), new RegExp(`^ *${live.chain[2]} `, 'm'));
  }
  assert.equal(sortProcesses(snap.processes, { column: column('cpu'), descending: true }).length, snap.processes.length);
  const json: unknown = JSON.parse(renderJson(snap, snap.processes));
  assert.ok(typeof json === 'object' && json !== null && 'processes' in json && Array.isArray(json.processes));
  assert.equal(json.processes.length, snap.processes.length);
  assert.equal(JSON.stringify(snap), text, 'unchanged');
});
