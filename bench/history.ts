/**
 * `npm run bench:history`: issue 13's budgets for record, replay and rewind,
 * measured side by side in one run on one population of idle processes.
 *
 *   node dist/bench/history.js [--procs N] [--interval S] [--window S] [--store-hours H]
 *                              [--ring-frames N] [--json] [--smoke] [--no-install-atop]
 *
 * 1. recorder CPU and 2. bytes per day: `proctop record` and `atop -w FILE S`
 *    running at once on the population for the window (default 10 min);
 * 3. a store of --store-hours (default 24 h) written through the real writer
 *    with a fake clock from real snapshots of the population, then
 *    `proctop --once --replay DIR --at T` for several T (cold, whole command)
 *    and the same open + seek + decode in-process;
 * 4. one step to the next frame (decode) next to a live refresh;
 * 5. the rewind ring filled with real scans, RSS with and without it.
 * 3's store and 5's scans run in child processes during the window.
 * A script, not a test: it prints figures, it asserts nothing. Load averages
 * are given with every figure (the machine is shared).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { HistoryReader } from '../src/history/store-reader';
import { cleanupAll, onCleanup } from '../test/helpers/cleanup';
import type { GenResult, RingResult } from './history-child';
import { findAtop, recordSideBySide, RecorderRun, segmentStartBytes, SideBySide } from './history-recorders';
import { renderHistory } from './history-render';
import { CommandTiming, seekInProcess, SeekTiming, stepInProcess, timeCommand } from './history-seek';
import { FrameResult, measureFrame, measureSampler, measureView, ViewResult } from './measure';
import { startPopulation } from './population';
import { stats, Stats } from './stats';

export interface HistoryBenchOptions {
  readonly procs: number;
  readonly intervalS: number;
  readonly windowS: number;
  readonly storeHours: number;
  readonly ringFrames: number;
  readonly seekRuns: number;
  readonly steps: number;
  readonly json: boolean;
  readonly smoke: boolean;
  readonly installAtop: boolean;
}

export type Load = readonly [number, number, number];
export const load = (): Load => os.loadavg().map((x) => Math.round(x * 100) / 100) as unknown as Load;

export interface HistoryBenchResult {
  readonly options: HistoryBenchOptions;
  readonly machine: { nproc: number; kernel: string; node: string; atop: string | undefined };
  population: { reached: number; notes: readonly string[]; leftAfterStop?: number };
  recorders?: { proctop: RecorderRun; atop: RecorderRun | { skipped: string }; load: [Load, Load]; proctopSegmentStart: number | undefined; processes: Stats };
  store?: GenResult & { bytes: number; segments: number; load: [Load, Load] };
  seek?: { cold: CommandTiming[]; nodeBaseline: CommandTiming; liveOnce: CommandTiming; inProcess: SeekTiming[]; frames: number; segments: number; warnings: number; load: [Load, Load] };
  step?: { decode: Stats; steps: number; replayView: ViewResult; replayFrame: FrameResult; liveScan: Stats; liveView: ViewResult; liveFrame: FrameResult; load: [Load, Load] };
  ring?: { on: RingResult; off: RingResult; load: [Load, Load] };
  notes: string[];
}

function positive(max: number, integer: boolean) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value.trim()) || n <= 0 || n > max || (integer && !Number.isInteger(n))) throw new InvalidArgumentError(`expected a ${integer ? 'whole ' : ''}number above 0, at most ${max}`);
    return n;
  };
}

export function parseHistoryOptions(argv: readonly string[]): HistoryBenchOptions {
  const program = new Command('bench:history')
    .description("issue 13's budgets: recorder CPU and bytes/day vs atop, 24 h store seek, replay step, rewind memory")
    .option('--procs <n>', 'idle processes to start', positive(100_000, true))
    .option('--interval <s>', 'recording interval, seconds (both recorders)', positive(3600, true))
    .option('--window <s>', 'seconds both recorders run side by side (the issue asks 10 minutes)', positive(86_400, true))
    .option('--store-hours <h>', 'span of the generated store', positive(24 * 7, false))
    .option('--ring-frames <n>', 'real scans pushed into the rewind ring (600 = 10 min at 1 s)', positive(100_000, true))
    .option('--json', 'print JSON instead of the table', false)
    .option('--smoke', 'tiny run (20 processes, 1 s interval, 4 s window, 3 min store, 10 ring frames) so a test can run the script', false)
    .option('--no-install-atop', 'do not apt-get install atop when missing')
    .allowExcessArguments(false);
  program.parse(argv as string[], { from: 'node' });
  const o = program.opts<{ procs?: number; interval?: number; window?: number; storeHours?: number; ringFrames?: number; json: boolean; smoke: boolean; installAtop: boolean }>();
  const smoke = o.smoke;
  return {
    procs: o.procs ?? (smoke ? 20 : 2000),
    intervalS: o.interval ?? (smoke ? 1 : 10),
    windowS: o.window ?? (smoke ? 4 : 600),
    storeHours: o.storeHours ?? (smoke ? 0.05 : 24),
    ringFrames: o.ringFrames ?? (smoke ? 10 : 600),
    seekRuns: smoke ? 1 : 3,
    steps: smoke ? 5 : 60,
    json: o.json,
    smoke,
    installAtop: o.installAtop && !smoke,
  };
}

/** Runs a history-child.js mode and parses its JSON line. */
function child<T>(args: readonly string[], nodeFlags: readonly string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...nodeFlags, path.join(__dirname, 'history-child.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) reject(new Error(`history-child ${args[0] ?? ''} exited ${String(code)}: ${err.trim().slice(0, 500)}`));
      else resolve(JSON.parse(out) as T);
    });
  });
}

function storeBytes(dir: string): { bytes: number; segments: number } {
  let bytes = 0;
  let segments = 0;
  for (const n of fs.readdirSync(dir)) {
    bytes += fs.statSync(path.join(dir, n)).size;
    if (n.endsWith('.seg')) segments++;
  }
  return { bytes, segments };
}

/** Processes per frame in the window's store: what both recorders had to read (other work on the host comes and goes). */
function processesRecorded(dir: string): Stats {
  const opened = HistoryReader.open(dir);
  if (!opened.ok) return stats([]);
  const counts = opened.store.frames.map((f) => opened.store.read(f)?.processCount ?? NaN).filter(Number.isFinite);
  opened.store.close();
  return stats(counts);
}

export async function runHistoryBench(opts: HistoryBenchOptions, log: (line: string) => void): Promise<HistoryBenchResult> {
  const root = path.resolve(__dirname, '..', '..');
  const bin = path.join(root, 'bin', 'proctop');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-bench-history-'));
  onCleanup(`remove ${tmp}`, () => fs.rmSync(tmp, { recursive: true, force: true }));
  const home = path.join(tmp, 'home');
  fs.mkdirSync(home, { recursive: true });
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_STATE_HOME: path.join(home, '.state') };
  const atop = findAtop(opts.installAtop, log);
  const result: HistoryBenchResult = {
    options: opts,
    machine: { nproc: os.availableParallelism(), kernel: `${os.type()} ${os.release()}`, node: process.version, atop: atop.ok ? atop.version : undefined },
    population: { reached: 0, notes: [] },
    notes: [],
  };
  log(`starting ${opts.procs} idle processes…`);
  const population = await startPopulation(opts.procs, log);
  result.population = { reached: population.reached, notes: population.notes };
  try {
    const storeDir = path.join(tmp, 'store-24h');
    const loadWin = load();
    log(`recorders side by side at ${opts.intervalS} s for ${opts.windowS} s (${atop.ok ? 'proctop record + atop -w' : `proctop record alone: ${atop.why}`}); meanwhile the ${opts.storeHours} h store and the ring…`);
    const side: SideBySide = await recordSideBySide({ bin, tmp, intervalS: opts.intervalS, windowS: opts.windowS, atop, env }, log, async () => {
      const l0 = load();
      log(`  writing a ${opts.storeHours} h store at ${opts.intervalS} s (fake clock, real snapshots)…`);
      const gen = await child<GenResult>(['gen', storeDir, String(opts.storeHours), String(opts.intervalS), opts.smoke ? '2' : '12']);
      result.store = { ...gen, ...storeBytes(storeDir), load: [l0, load()] };
      log(`  store: ${gen.frames} frames, ${result.store.segments} segments, ${result.store.bytes} bytes`);
      const l1 = load();
      log(`  rewind ring: ${opts.ringFrames} real scans without the ring, then with it…`);
      const off = await child<RingResult>(['ring', String(opts.ringFrames), 'off'], ['--expose-gc']);
      const on = await child<RingResult>(['ring', String(opts.ringFrames), 'on'], ['--expose-gc']);
      result.ring = { on, off, load: [l1, load()] };
    });
    const steady = side.proctop.samples > 0 ? side.proctop.bytes / side.proctop.samples : NaN;
    result.recorders = { proctop: side.proctop, atop: side.atop, load: [loadWin, load()], proctopSegmentStart: segmentStartBytes(side.storeDir, steady), processes: processesRecorded(side.storeDir) };

    const lSeek = load();
    const gen = result.store as GenResult;
    const span = gen.last - gen.first;
    const times = [gen.first + 5_000, gen.first + span * 0.25, gen.first + span * 0.5, gen.first + span * 0.75, gen.last].map(Math.round);
    log(`cold: proctop --once --replay DIR --at T for ${times.length} times ×${opts.seekRuns}, node -e 0 and a live --once beside…`);
    const cold = times.map((t) => timeCommand(new Date(t).toISOString(), [bin, '--once', '--replay', storeDir, '--at', new Date(t).toISOString()], opts.seekRuns, env));
    const nodeBaseline = timeCommand('node -e 0', [process.execPath, '-e', '0'], opts.seekRuns * 2, env);
    const liveOnce = timeCommand('proctop --once (live)', [bin, '--once'], opts.seekRuns * 2, env);
    const inProc = seekInProcess(storeDir, times, opts.seekRuns);
    result.seek = { cold, nodeBaseline, liveOnce, inProcess: inProc.per, frames: inProc.frames, segments: inProc.segments, warnings: inProc.warnings, load: [lSeek, load()] };
    for (const c of [...cold, nodeBaseline, liveOnce]) result.notes.push(...c.failures);

    const lStep = load();
    log(`step: ${opts.steps} single steps in replay; a live refresh beside (scan + view + frame)…`);
    const step = stepInProcess(storeDir, opts.steps);
    const scan = measureSampler(opts.smoke ? 3 : 10);
    const iterations = opts.smoke ? 3 : 20;
    result.step = {
      decode: step.decode,
      steps: step.steps,
      replayView: measureView(step.pair[1], step.pair[0], iterations, 'sleep'),
      replayFrame: measureFrame(step.pair[1], step.pair[0], iterations),
      liveScan: scan.wall,
      liveView: measureView(scan.snapshot, scan.previous, iterations, 'sleep'),
      liveFrame: measureFrame(scan.snapshot, scan.previous, iterations),
      load: [lStep, load()],
    };
  } finally {
    log('stopping the population…');
    result.population.leftAfterStop = await population.stop();
  }
  return result;
}

async function main(): Promise<number> {
  let opts: HistoryBenchOptions;
  try {
    opts = parseHistoryOptions(process.argv);
  } catch (err) {
    process.stderr.write(`bench:history: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  try {
    const result = await runHistoryBench(opts, log);
    process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${renderHistory(result)}\n`);
    return 0;
  } finally {
    cleanupAll();
  }
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`bench:history: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      cleanupAll();
      process.exitCode = 1;
    },
  );
}
