/** In-process and child-process measurements of one /proc scan and of one frame. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { Column, DEFAULT_COLUMNS, findColumn } from '../src/model/columns';
import { Snapshot } from '../src/model/snapshot';
import { Sampler } from '../src/sampler/sampler';
import { markup } from '../src/ui/markup';
import { DEFAULT_THEME } from '../src/ui/theme';
import { buildView, FrameInput, frameRows, layout, reconcile } from '../src/view/build-view';
import { buildHeader } from '../src/view/header';
import { initialState, UiState } from '../src/view/ui-state';
import { ViewModel } from '../src/view/view-model';
import { cpuMs, msSince, Stats, stats } from './stats';

/** Median user and system CPU ms, beside the total. */
export interface CpuSplit {
  readonly user: number;
  readonly sys: number;
}

export interface ScanResult {
  readonly wall: Stats;
  readonly cpu: Stats;
  readonly split: CpuSplit;
  /** The first scan of a new Sampler: argv, uid and exe read for every process. */
  readonly coldWallMs: number;
  readonly coldCpuMs: number;
  /** Processes in the last snapshot (threads not counted). */
  readonly processes: number;
  readonly snapshot: Snapshot;
  readonly previous: Snapshot;
}

/** Warm one scan, then `scans` timed scans of the real sampler on /proc. */
export function measureSampler(scans: number): ScanResult {
  const make = (): Sampler => new Sampler({ root: '/proc', passwdPath: '/etc/passwd', threads: false, now: Date.now });
  const sampler = make();
  const c0 = cpuMs();
  const t0 = process.hrtime.bigint();
  let previous = sampler.sample();
  const coldWallMs = msSince(t0);
  const coldCpuMs = cpuMs() - c0;
  let snapshot = previous;
  const wall: number[] = [];
  const cpu: number[] = [];
  const user: number[] = [];
  const sys: number[] = [];
  for (let i = 0; i < scans; i++) {
    const u = process.cpuUsage();
    const t = process.hrtime.bigint();
    const next = sampler.sample();
    wall.push(msSince(t));
    const d = process.cpuUsage(u);
    cpu.push((d.user + d.system) / 1000);
    user.push(d.user / 1000);
    sys.push(d.system / 1000);
    previous = snapshot;
    snapshot = next;
  }
  return { wall: stats(wall), cpu: stats(cpu), split: { user: stats(user).median, sys: stats(sys).median }, coldWallMs, coldCpuMs, processes: snapshot.processCount, snapshot, previous };
}

/**
 * Scans where every process's /proc/PID/exe is re-read (the sampler does that
 * once per process every 10 s): a clock that jumps 10 s per scan.
 */
export function measureSamplerExeRecheck(scans: number): { wall: Stats; cpu: Stats } {
  let fake = Date.now();
  const sampler = new Sampler({ root: '/proc', passwdPath: '/etc/passwd', threads: false, now: () => (fake += 10_001) });
  sampler.sample();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < scans; i++) {
    const c = cpuMs();
    const t = process.hrtime.bigint();
    sampler.sample();
    wall.push(msSince(t));
    cpu.push(cpuMs() - c);
  }
  return { wall: stats(wall), cpu: stats(cpu) };
}

export type Skipped = { readonly skipped: string };

export interface FloorResult {
  readonly wall: Stats;
  readonly cpu: Stats;
  readonly split: CpuSplit;
  readonly processes: number;
}

/** Compiles bench/floor.c with `cc -O2` into `dir` and runs it for `scans` scans. */
export function measureFloor(root: string, dir: string, scans: number): FloorResult | Skipped {
  const cc = spawnSync('sh', ['-c', 'command -v cc'], { encoding: 'utf8' });
  if (cc.status !== 0) return { skipped: 'no C compiler (cc) on PATH' };
  const source = path.join(root, 'bench', 'floor.c');
  const binary = path.join(dir, 'floor');
  const build = spawnSync('cc', ['-O2', '-o', binary, source], { encoding: 'utf8' });
  if (build.status !== 0) return { skipped: `cc -O2 failed: ${(build.stderr || build.error?.message || '').trim().split('\n')[0]}` };
  const run = spawnSync(binary, [String(scans)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) return { skipped: `floor exited ${String(run.status)}: ${run.stderr.trim()}` };
  const out = JSON.parse(run.stdout) as { procs: number; wallMs: number[]; userMs: number[]; sysMs: number[] };
  const cpu = out.userMs.map((u, i) => u + (out.sysMs[i] ?? 0));
  return { wall: stats(out.wallMs), cpu: stats(cpu), split: { user: stats(out.userMs).median, sys: stats(out.sysMs).median }, processes: out.procs };
}

export const PS_ARGS = ['-e', '-o', 'pid,ppid,user,stat,pcpu,pmem,rss,vsz,nlwp,args'];

export interface PsResult {
  readonly wall: Stats;
  /** user + system of the ps child, from bash's `time` (getrusage of the child); undefined without bash. */
  readonly cpu: Stats | undefined;
  readonly lines: number;
  readonly how: string;
}

/**
 * `ps -e -o …` run `runs` times. With bash, each run is `time ps … >/dev/null`
 * inside bash, whose TIMEFORMAT prints the child's real, user and system time
 * (µs-accurate getrusage, printed to the ms). Without bash: spawnSync wall only.
 */
export function measurePs(runs: number): PsResult | Skipped {
  const which = spawnSync('sh', ['-c', 'command -v ps; command -v bash'], { encoding: 'utf8' });
  const found = which.stdout.split('\n').filter(Boolean);
  if (!found.some((p) => p.endsWith('/ps'))) return { skipped: 'ps not found' };
  const once = spawnSync('ps', PS_ARGS, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const lines = once.stdout.split('\n').filter(Boolean).length - 1;
  const wall: number[] = [];
  if (found.some((p) => p.endsWith('/bash'))) {
    const cpu: number[] = [];
    const command = `TIMEFORMAT='%3R %3U %3S'; time ps ${PS_ARGS.map((a) => `'${a}'`).join(' ')} >/dev/null`;
    for (let i = 0; i < runs; i++) {
      const r = spawnSync('bash', ['-c', command], { encoding: 'utf8' });
      const m = /(\d+\.\d+) (\d+\.\d+) (\d+\.\d+)\s*$/.exec(r.stderr);
      if (r.status !== 0 || !m) return { skipped: `bash time ps failed: ${r.stderr.trim().split('\n')[0] ?? ''}` };
      wall.push(Number(m[1]) * 1000);
      cpu.push((Number(m[2]) + Number(m[3])) * 1000);
    }
    return { wall: stats(wall), cpu: stats(cpu), lines, how: 'bash time (fork+exec+run, output to /dev/null)' };
  }
  const devnull = fs.openSync('/dev/null', 'w');
  try {
    for (let i = 0; i < runs; i++) {
      const t = process.hrtime.bigint();
      spawnSync('ps', PS_ARGS, { stdio: ['ignore', devnull, 'ignore'] });
      wall.push(msSince(t));
    }
  } finally {
    fs.closeSync(devnull);
  }
  return { wall: stats(wall), cpu: undefined, lines, how: 'spawnSync wall (no bash: CPU not measured)' };
}

const COLS: readonly Column[] = DEFAULT_COLUMNS.map((id) => findColumn(id) as Column);

function frameInput(snapshot: Snapshot, previous: Snapshot, width: number, height: number): FrameInput {
  return {
    snapshot,
    previous,
    width,
    height,
    columns: COLS,
    hostname: hostname(),
    self: { cpu: 2.5, rss: process.memoryUsage.rss() },
    tzOffset: new Date().getTimezoneOffset(),
  };
}

function tableHeight(snapshot: Snapshot, width: number, height: number, state: UiState): number {
  return layout(height, buildHeader(snapshot, width, 64, hostname()).length, state.showGraph).table;
}

/**
 * The TUI's initial state (highlight on, as `proctop` starts). The settings are
 * a variable, not a literal, so they also satisfy a wider InitialSettings
 * (columns, delay, theme, meters) without tripping excess-property checks on
 * an older one.
 */
function uiState(tree: boolean, filter: string | undefined): UiState {
  const settings = {
    tree,
    filter,
    highlight: true,
    readonly: true,
    showThreads: false,
    columns: DEFAULT_COLUMNS,
    delay: 10,
    theme: 'default',
    meters: ['cpus', 'memory', 'swap', 'tasks', 'states', 'load', 'uptime', 'self'],
  };
  return initialState(settings);
}

export interface ViewResult {
  readonly ms: Stats;
  readonly cpu: Stats;
  readonly rows: number;
  readonly filter: string;
}

/** frameRows (tree, sort, filter) + reconcile + buildView over the whole snapshot, as the TUI does every tick. */
export function measureView(snapshot: Snapshot, previous: Snapshot, iterations: number, filter: string): ViewResult {
  const width = 200;
  const height = 50;
  let state = uiState(true, filter);
  const input = frameInput(snapshot, previous, width, height);
  const th = tableHeight(snapshot, width, height, state);
  const samples: number[] = [];
  const cpu: number[] = [];
  let rows = 0;
  for (let i = 0; i < iterations + 3; i++) {
    const c = cpuMs();
    const t = process.hrtime.bigint();
    const fr = frameRows(state, snapshot, previous);
    state = reconcile(state, fr.rows, th);
    const vm = buildView(state, input, fr);
    const ms = msSince(t);
    const used = cpuMs() - c;
    rows = fr.rows.length;
    if (vm.rows.length === 0 && rows > 0) throw new Error('buildView returned no rows');
    // 3 warm-up rounds: the TUI runs this every second, so it is warm.
    if (i >= 3) {
      samples.push(ms);
      cpu.push(used);
    }
  }
  return { ms: stats(samples), cpu: stats(cpu), rows, filter };
}

function markupAll(vm: ViewModel): number {
  const lines = [...vm.header, vm.columnHeader, ...vm.rows, vm.status, vm.footer];
  // As paint() does: one string per box, lines joined.
  return lines.map((l) => markup(l, DEFAULT_THEME)).join('\n').length;
}

export interface FrameResult {
  readonly ms: Stats;
  readonly cpu: Stats;
  readonly lines: number;
}

/**
 * One frame for a 200×50 screen in the default view (list sorted by CPU%):
 * buildView + markup of every line. The rows were already filtered and
 * ordered (that is measureView); blessed's own render needs a TTY, so it is not here.
 */
export function measureFrame(snapshot: Snapshot, previous: Snapshot, iterations: number): FrameResult {
  const width = 200;
  const height = 50;
  let state = uiState(false, undefined);
  const input = frameInput(snapshot, previous, width, height);
  const fr = frameRows(state, snapshot, previous);
  state = reconcile(state, fr.rows, tableHeight(snapshot, width, height, state));
  const samples: number[] = [];
  const cpu: number[] = [];
  let lines = 0;
  for (let i = 0; i < iterations + 3; i++) {
    const c = cpuMs();
    const t = process.hrtime.bigint();
    const vm = buildView(state, input, fr);
    const chars = markupAll(vm);
    const ms = msSince(t);
    const used = cpuMs() - c;
    if (chars === 0) throw new Error('empty frame');
    lines = vm.header.length + 1 + vm.rows.length + 2;
    if (i >= 3) {
      samples.push(ms);
      cpu.push(used);
    }
  }
  return { ms: stats(samples), cpu: stats(cpu), lines };
}
