/**
 * `npm run bench`: what proctop costs, measured next to references in the
 * same run on the same population of idle processes.
 *
 *   node dist/bench/bench.js [--procs N] [--json] [--quick] [--tui-seconds S] [--no-install]
 *
 * A script, not a test: it prints figures, it asserts nothing. Progress goes
 * to stderr; the table (or JSON) to stdout. The record/replay/rewind budgets
 * (issue 13) are bench/history.ts (`npm run bench:history`), listed at the end.
 */
import { Command, InvalidArgumentError } from 'commander';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanupAll, onCleanup } from '../test/helpers/cleanup';
import {
  CpuSplit, FloorResult, FrameResult, measureFloor, measureFrame, measurePs, measureSampler, measureSamplerExeRecheck, measureView,
  PS_ARGS, PsResult, ScanResult, Skipped, ViewResult,
} from './measure';
import { Limits, readLimits, startPopulation } from './population';
import { fmt, ratio, Stats } from './stats';
import { btopConfig, btopFrameShown, findTool, hasCommand, measureTuisInterleaved, toolVersion, TuiResult, TuiTool } from './tui';

interface BenchOptions {
  readonly procs: number;
  readonly json: boolean;
  readonly quick: boolean;
  readonly tuiSeconds: number;
  /** apt-get install htop and btop when missing (root): the issue's references, in every run. */
  readonly install: boolean;
}

const SCANS = 20;
const PS_RUNS = 10;
const VIEW_ITERATIONS = 30;
/** A frame costs well under a millisecond: many rounds keep a GC pause or a busy neighbour out of the median. */
const FRAME_ITERATIONS = 200;
/** First frames per tool, in rounds that take each tool in turn (bench/tui.ts measureTuisInterleaved). */
const FIRST_FRAME_RUNS = 5;
const SETTLE_S = 3;
const FILTER = 'sleep';

function positiveInt(max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
    return Number(value);
  };
}

function parseOptions(argv: readonly string[]): BenchOptions {
  const program = new Command('bench')
    .description('proctop benchmark: sampler scan vs a C floor and ps, view and frame cost, TUI CPU, first frame and RSS vs htop and btop')
    .option('--procs <n>', 'idle processes to start (one process group)', positiveInt(100_000), 2000)
    .option('--json', 'print JSON instead of the table', false)
    .option('--quick', 'skip the TUI CPU/RSS windows (first frame is still measured)', false)
    .option('--tui-seconds <s>', 'length of each TUI CPU window, seconds', positiveInt(3600), 30)
    .option('--no-install', 'do not apt-get install htop or btop when missing (installing needs root)')
    .option('--install-htop', 'accepted for older scripts: installing is the default now')
    .allowExcessArguments(false);
  program.parse(argv as string[], { from: 'node' });
  const o = program.opts<{ procs: number; json: boolean; quick: boolean; tuiSeconds: number; install: boolean }>();
  return { procs: o.procs, json: o.json, quick: o.quick, tuiSeconds: o.tuiSeconds, install: o.install };
}

interface Machine {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly kernel: string;
  readonly node: string;
  readonly memTotalMb: number;
  /** The proctop tree measured: commit, plus uncommitted changes under src/ (the bench measures the working tree). */
  readonly source: string;
  readonly loadStart: readonly number[];
  loadEnd: readonly number[];
}

function sourceState(): string {
  const root = path.resolve(__dirname, '..', '..');
  const head = spawnSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  if (head.status !== 0) return 'not a git checkout';
  const dirty = spawnSync('git', ['-C', root, 'status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).length;
  return `${head.stdout.trim()}${dirty ? ` + ${dirty} uncommitted file(s) under src/` : ''}`;
}

function machine(): Machine {
  let model = 'unknown';
  try {
    model = /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? model;
  } catch {
    // keep unknown
  }
  return {
    nproc: os.availableParallelism(),
    cpuModel: model,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    memTotalMb: Math.round(os.totalmem() / 2 ** 20),
    source: sourceState(),
    loadStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    loadEnd: [],
  };
}

interface Result {
  readonly machine: Machine;
  readonly options: BenchOptions;
  readonly limits: Limits;
  population: { requested: number; reached: number; visibleProcesses: number | undefined; spawnMs: number; leftAfterStop: number | undefined; notes: readonly string[] };
  scan?: {
    proctop: { wall: Stats; cpu: Stats; split: CpuSplit; cpuUsPerProcess: number; coldWallMs: number; coldCpuMs: number; processes: number };
    exeRecheck: { wall: Stats; cpu: Stats };
    floor: (FloorResult & { cpuUsPerProcess: number }) | Skipped;
    ps: (PsResult & { cpuUsPerProcess: number | undefined; command: string }) | Skipped;
  };
  view?: ViewResult;
  frame?: FrameResult;
  tui: {
    harness?: TuiResult; proctop?: TuiResult; htop?: TuiResult | Skipped; htopVersion?: string;
    btop?: TuiResult | Skipped; btopVersion?: string; skipped?: string;
  };
  ratios: Record<string, number | undefined>;
  notes: string[];
}

/**
 * A copy of the build taken now (bin/, dist/bundle/ that bin/proctop runs, dist/src/, package.json;
 * node_modules linked), so the TUI measured is the code the in-process figures came from
 * even if dist/ is rebuilt while the bench runs.
 */
function freezeBuild(root: string, tmp: string): string {
  const copy = path.join(tmp, 'proctop');
  fs.cpSync(path.join(root, 'dist', 'src'), path.join(copy, 'dist', 'src'), { recursive: true });
  fs.cpSync(path.join(root, 'dist', 'bundle'), path.join(copy, 'dist', 'bundle'), { recursive: true });
  fs.cpSync(path.join(root, 'bin'), path.join(copy, 'bin'), { recursive: true });
  fs.copyFileSync(path.join(root, 'package.json'), path.join(copy, 'package.json'));
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  return copy;
}

const isSkipped = <T extends object>(x: T | Skipped | undefined): x is Skipped => x !== undefined && 'skipped' in x;

async function run(opts: BenchOptions, log: (line: string) => void): Promise<Result> {
  const root = path.resolve(__dirname, '..', '..');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-bench-'));
  onCleanup(`remove ${tmp}`, () => fs.rmSync(tmp, { recursive: true, force: true }));
  const frozen = freezeBuild(root, tmp);
  // A private HOME for both TUIs, so neither reads nor writes the user's settings.
  const home = path.join(tmp, 'home');
  fs.mkdirSync(home, { recursive: true });
  const privateHome = ['env', `HOME=${home}`, `XDG_CONFIG_HOME=${path.join(home, '.config')}`];
  const result: Result = {
    machine: machine(),
    options: opts,
    limits: readLimits(),
    population: { requested: opts.procs, reached: 0, visibleProcesses: undefined, spawnMs: 0, leftAfterStop: undefined, notes: [] },
    tui: {},
    ratios: {},
    notes: [],
  };

  log(`starting ${opts.procs} idle processes (sleep 100000) in one new process group…`);
  const population = await startPopulation(opts.procs, log);
  result.population = { ...result.population, reached: population.reached, spawnMs: population.spawnMs, notes: population.notes };
  log(`  ${population.reached} sleeping in process group ${population.pgid} after ${(population.spawnMs / 1000).toFixed(1)} s`);
  try {
    log('C floor: cc -O2 bench/floor.c, 20 scans…');
    const floor = measureFloor(root, tmp, SCANS);
    log(`proctop sampler: 1 warm-up + ${SCANS} scans…`);
    const scan: ScanResult = measureSampler(SCANS);
    const n = scan.processes;
    result.population.visibleProcesses = n;
    log('proctop sampler with every exe re-read (the 10 s re-check)…');
    const exe = measureSamplerExeRecheck(10);
    log(`ps ${PS_ARGS.join(' ')}: ${PS_RUNS} runs…`);
    const ps = measurePs(PS_RUNS);
    result.scan = {
      proctop: { wall: scan.wall, cpu: scan.cpu, split: scan.split, cpuUsPerProcess: (scan.cpu.median * 1000) / n, coldWallMs: scan.coldWallMs, coldCpuMs: scan.coldCpuMs, processes: n },
      exeRecheck: exe,
      floor: isSkipped(floor) ? floor : { ...floor, cpuUsPerProcess: (floor.cpu.median * 1000) / floor.processes },
      ps: isSkipped(ps) ? ps : { ...ps, cpuUsPerProcess: ps.cpu ? (ps.cpu.median * 1000) / ps.lines : undefined, command: `ps ${PS_ARGS.join(' ')}` },
    };
    log('view: frameRows + reconcile + buildView (tree, filter)…');
    result.view = measureView(scan.snapshot, scan.previous, VIEW_ITERATIONS, FILTER);
    log('frame: buildView + markup, 200×50…');
    result.frame = measureFrame(scan.snapshot, scan.previous, FRAME_ITERATIONS);

    if (!hasCommand('tmux')) {
      result.tui.skipped = 'tmux not installed: TUI CPU and first frame not measured';
    } else {
      const windowS = opts.quick ? 0 : opts.tuiSeconds;
      const tools: TuiTool[] = [
        { name: 'harness', command: ['sh', '-c', 'printf "    PID USER\\n      1 root\\n"; exec sleep 600'], window: false },
        { name: 'proctop', command: [...privateHome, path.join(frozen, 'bin', 'proctop'), '-d', '10'] },
      ];
      const htop = findTool('htop', opts.install, log);
      if (!htop.ok) result.tui.htop = { skipped: htop.why };
      else {
        result.tui.htopVersion = toolVersion('htop');
        tools.push({ name: 'htop', command: [...privateHome, 'htop', '-d', '10'] });
      }
      const btop = findTool('btop', opts.install, log);
      if (!btop.ok) result.tui.btop = { skipped: btop.why };
      else {
        result.tui.btopVersion = toolVersion('btop');
        // Its own config home: update_ms = 1000 (btop has no flag for it), nothing of the user's.
        const btopHome = path.join(tmp, 'btop-home');
        btopConfig(path.join(btopHome, '.config'));
        const btopEnv = ['env', `HOME=${btopHome}`, `XDG_CONFIG_HOME=${path.join(btopHome, '.config')}`];
        tools.push({ name: 'btop', command: [...btopEnv, 'btop', '--utf-force'], frameShown: btopFrameShown });
      }
      log(`${tools.map((x) => x.name).join(', ')} in tmux, in turn: first frame ×${FIRST_FRAME_RUNS}${windowS ? `, then ${windowS} s each at -d 10 (btop: update_ms 1000)` : ''}…`);
      const measured = await measureTuisInterleaved(tools, FIRST_FRAME_RUNS, windowS, SETTLE_S, log);
      for (const [i, tool] of tools.entries()) {
        const res = measured[i];
        if (res === undefined) continue;
        if (tool.name === 'harness') result.tui.harness = res;
        else if (tool.name === 'proctop') result.tui.proctop = res;
        else if (tool.name === 'htop') result.tui.htop = res;
        else result.tui.btop = res;
      }
    }
  } finally {
    log(`killing process group ${population.pgid}…`);
    result.population.leftAfterStop = await population.stop();
  }
  result.machine.loadEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);

  const s = result.scan;
  const floorCpu = s && !isSkipped(s.floor) ? s.floor.cpu.median : undefined;
  const psRes = s && !isSkipped(s.ps) ? s.ps : undefined;
  const htopRes = result.tui.htop && !isSkipped(result.tui.htop) ? result.tui.htop : undefined;
  const btopRes = result.tui.btop && !isSkipped(result.tui.btop) ? result.tui.btop : undefined;
  result.ratios = {
    scanCpuOverFloorCpu: ratio(s?.proctop.cpu.median, floorCpu),
    scanWallOverFloorWall: ratio(s?.proctop.wall.median, s && !isSkipped(s.floor) ? s.floor.wall.median : undefined),
    scanWallOverPsWall: ratio(s?.proctop.wall.median, psRes?.wall.median),
    scanCpuOverPsCpu: ratio(s?.proctop.cpu.median, psRes?.cpu?.median),
    tuiCpuOverHtopCpu: ratio(result.tui.proctop?.cpuPercent, htopRes?.cpuPercent),
    tuiCpuPerRefreshOverHtop: ratio(result.tui.proctop?.cpuMsPerRefresh, htopRes?.cpuMsPerRefresh),
    firstFrameOverHtop: ratio(result.tui.proctop?.firstFrame.median, htopRes?.firstFrame.median),
    firstFrameCpuOverHtop: ratio(result.tui.proctop?.cpuToFirstFrame.median, htopRes?.cpuToFirstFrame.median),
    rssOverHtopRss: ratio(result.tui.proctop?.vmRssKb, htopRes?.vmRssKb),
    tuiCpuOverBtopCpu: ratio(result.tui.proctop?.cpuPercent, btopRes?.cpuPercent),
    firstFrameOverBtop: ratio(result.tui.proctop?.firstFrame.median, btopRes?.firstFrame.median),
    firstFrameCpuOverBtop: ratio(result.tui.proctop?.cpuToFirstFrame.median, btopRes?.cpuToFirstFrame.median),
    rssOverBtopRss: ratio(result.tui.proctop?.vmRssKb, btopRes?.vmRssKb),
  };
  if (result.population.leftAfterStop) result.notes.push(`${result.population.leftAfterStop} members of the group still listed 20 s after SIGKILL`);
  return result;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  const line = (r: readonly string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - [...c].length))).join('  ').trimEnd();
  const out = [line(rows[0] as string[]), widths.map((w) => '─'.repeat(w)).join('  ')];
  for (const r of rows.slice(1)) out.push(line(r));
  return out.join('\n');
}

const ms = (x: number | undefined): string => (x === undefined ? '–' : `${fmt(x)} ms`);
const times = (x: number | undefined): string => (x === undefined ? '–' : `${fmt(x, 2)}×`);
const mb = (kb: number | undefined): string => (kb === undefined ? '–' : `${(kb / 1024).toFixed(1)} MiB`);

function render(r: Result): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`proctop bench — ${m.nproc} CPUs × ${m.cpuModel}, ${m.kernel}, node ${m.node}, ${m.memTotalMb} MiB RAM`);
  out.push(`proctop ${m.source}; load average ${m.loadStart.join(' ')} at start, ${m.loadEnd.join(' ')} at end`);
  out.push(`population: ${r.population.reached} of ${r.population.requested} idle processes reached (started in ${(r.population.spawnMs / 1000).toFixed(1)} s); ` +
    `${r.population.visibleProcesses ?? '?'} processes in /proc during the scans`);
  out.push('');
  const rows: string[][] = [['measure', 'proctop', 'reference', 'ratio', 'note']];
  const s = r.scan;
  if (s) {
    const n = s.proctop.processes;
    const floor = isSkipped(s.floor) ? undefined : s.floor;
    const ps = isSkipped(s.ps) ? undefined : s.ps;
    rows.push(['scan /proc, wall (median)', ms(s.proctop.wall.median), ps ? `ps: ${ms(ps.wall.median)}` : `ps: skipped`, times(r.ratios.scanWallOverPsWall),
      ps ? `proctop ${SCANS} scans in-process; ps ${PS_RUNS} runs incl. fork+exec, ${ps.lines} lines` : (s.ps as Skipped).skipped]);
    rows.push(['scan /proc, CPU (median)', `${ms(s.proctop.cpu.median)} = ${fmt(s.proctop.cpuUsPerProcess)} µs/proc`,
      floor ? `C floor: ${ms(floor.cpu.median)} = ${fmt(floor.cpuUsPerProcess)} µs/proc` : 'C floor: skipped', times(r.ratios.scanCpuOverFloorCpu),
      floor ? `floor: cc -O2 bench/floor.c, openat/read/close stat+statm, ${SCANS} scans, getrusage` : (s.floor as Skipped).skipped]);
    rows.push(['  user + system CPU', `${ms(s.proctop.split.user)} + ${ms(s.proctop.split.sys)}`, floor ? `C floor: ${ms(floor.split.user)} + ${ms(floor.split.sys)}` : '–', '',
      'medians of each; the kernel part is the cost of the syscalls and of formatting /proc']);
    rows.push(['  same, wall vs C floor', ms(s.proctop.wall.median), floor ? `C floor: ${ms(floor.wall.median)}` : '–', times(r.ratios.scanWallOverFloorWall), '']);
    rows.push(['  same, CPU vs ps', ms(s.proctop.cpu.median), ps?.cpu ? `ps: ${ms(ps.cpu.median)} = ${fmt(ps.cpuUsPerProcess)} µs/proc` : 'ps: –', times(r.ratios.scanCpuOverPsCpu),
      ps ? `ps CPU: ${ps.how}` : '']);
    rows.push(['  first scan (cold caches)', `${ms(s.proctop.coldWallMs)} wall, ${ms(s.proctop.coldCpuMs)} CPU`, '', '', 'new Sampler: argv, uid, exe read for every process']);
    rows.push(['  scan with exe re-check', `${ms(s.exeRecheck.wall.median)} wall, ${ms(s.exeRecheck.cpu.median)} CPU`, '', '',
      'readlink /proc/PID/exe for every process (each process once per 10 s)']);
    rows.push(['tree+sort+filter+view (median)', `${ms(r.view?.ms.median)} wall, ${ms(r.view?.cpu.median)} CPU`, '', '',
      r.view ? `${n} processes, tree on, filter "${r.view.filter}" → ${r.view.rows} rows; frameRows+reconcile+buildView` : '']);
    rows.push(['frame 200×50 (median)', `${ms(r.frame?.ms.median)} wall, ${ms(r.frame?.cpu.median)} CPU`, '', '',
      `buildView+markup of ${r.frame?.lines ?? '?'} lines, list view; blessed's render needs a TTY: not here, but in the TUI CPU below`]);
  }
  // Scan rows have no btop cells: two empty ones before the note.
  for (const row of rows.slice(1)) row.splice(4, 0, '', '');
  rows[0] = ['measure', 'proctop', 'reference (htop)', 'ratio', 'btop', 'ratio', 'note'];
  const t = r.tui;
  const htop = t.htop && !isSkipped(t.htop) ? t.htop : undefined;
  const btop = t.btop && !isSkipped(t.btop) ? t.btop : undefined;
  const htopNote = t.htop && isSkipped(t.htop) ? `htop: ${t.htop.skipped}` : t.htopVersion ?? '';
  const btopNote = t.btop && isSkipped(t.btop) ? `btop: ${t.btop.skipped}` : t.btopVersion ? `${t.btopVersion} (update_ms 1000)` : '';
  if (t.skipped) {
    rows.push(['TUI', '–', '–', '–', '–', '–', t.skipped]);
  } else {
    const p = t.proctop;
    /** One TUI row: proctop's cell, htop's and btop's with their ratios, the note. */
    const tuiRow = (measure: string, cell: (x: TuiResult | undefined) => string, htopRatio: number | undefined, btopRatio: number | undefined, note: string): void => {
      rows.push([measure, cell(p), htop ? `htop: ${cell(htop)}` : 'htop: –', times(htopRatio), btop ? `btop: ${cell(btop)}` : 'btop: –', times(btopRatio), note]);
    };
    const cpuLine = (x: TuiResult | undefined): string => (x?.cpuPercent === undefined ? '–' : `${fmt(x.cpuPercent, 2)}% of a core`);
    const window = p?.windowS ? `${p.windowS.toFixed(1)} s at -d 10 in tmux 200×50, after ${SETTLE_S} s settling` : r.options.quick ? 'skipped (--quick)' : '';
    tuiRow('TUI CPU (-d 10)', cpuLine, r.ratios.tuiCpuOverHtopCpu, r.ratios.tuiCpuOverBtopCpu, [window, htopNote, btopNote].filter(Boolean).join('; '));
    const perRefresh = (x: TuiResult | undefined): string =>
      x?.cpuMsPerRefresh === undefined ? '–' : `${ms(x.cpuMsPerRefresh)} × ${x.refreshes ?? '?'} refreshes`;
    if (p?.windowS) {
      tuiRow('  CPU per refresh drawn', perRefresh, r.ratios.tuiCpuPerRefreshOverHtop, ratio(p.cpuMsPerRefresh, btop?.cpuMsPerRefresh),
        'screen changes seen by capture-pane every 250 ms; proctop waits -d after each tick ends, so a slow tick lowers its rate; btop redraws its clock and graphs too');
    }
    const waited = (x: TuiResult | undefined): string => (x?.runQueueWaitS === undefined ? '–' : `${fmt(x.runQueueWaitS, 2)} s`);
    if (p?.windowS) {
      tuiRow('  waiting for a CPU', waited, undefined, undefined,
        `main thread runnable but not running, of ${p.windowS.toFixed(0)} s (/proc/PID/schedstat); large = CPU% capped by a busy machine`);
    }
    const runs = (x: TuiResult | undefined): string => x?.firstFrameRuns.map((v) => v.toFixed(0)).join(', ') ?? '–';
    tuiRow(`time to first frame (median of ${FIRST_FRAME_RUNS})`, (x) => ms(x?.firstFrame.median), r.ratios.firstFrameOverHtop, r.ratios.firstFrameOverBtop,
      `tmux new-session → header + a process row in capture-pane (10 ms polls); harness alone ${ms(t.harness?.firstFrame.median)}; runs: proctop ${runs(p)}; htop ${runs(htop)}; btop ${runs(btop)}`);
    tuiRow('  CPU used by then (median)', (x) => ms(x?.cpuToFirstFrame.median), r.ratios.firstFrameCpuOverHtop, r.ratios.firstFrameCpuOverBtop,
      'utime+stime of the program when its first frame showed (10 ms ticks); less sensitive to a busy machine than wall');
    tuiRow('RSS after the window', (x) => (x?.vmRssKb === undefined ? '–' : `${mb(x.vmRssKb)} (HWM ${mb(x.vmHwmKb)})`), r.ratios.rssOverHtopRss, r.ratios.rssOverBtopRss,
      'VmRSS (VmHWM) from /proc/PID/status');
  }
  out.push(table(rows));
  out.push('');
  out.push('more, each its own script: npm run bench:history (issue 13: recorder CPU and bytes/day next to atop, 24 h store seek, replay step, rewind memory), bench:cgroups, bench:serve, soak, scale');
  const notes = [...r.population.notes, ...r.notes, ...(t.proctop?.notes ?? []), ...(htop?.notes ?? []), ...(btop?.notes ?? []), ...(t.harness?.notes ?? [])];
  if (notes.length) {
    out.push('');
    for (const n of notes) out.push(`note: ${n}`);
  }
  return out.join('\n');
}

async function main(): Promise<number> {
  let opts: BenchOptions;
  try {
    opts = parseOptions(process.argv);
  } catch (err) {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  try {
    const result = await run(opts, log);
    process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${render(result)}\n`);
    return 0;
  } finally {
    cleanupAll();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    cleanupAll();
    process.exitCode = 1;
  },
);
