/**
 * Soak: proctop's TUI left running under fork churn, to see whether its memory stops growing.
 *
 *   node dist/bench/soak.js [--minutes 30] [--delay 1] [--churn 200] [--sample-seconds 60] [--json]
 *
 * Starts `node bin/proctop -d <delay>` in a private tmux server (160×45, a throw-away HOME and
 * XDG dirs) and a fork-churn generator in its own process group (test/helpers/churn.ts: about
 * `--churn` short-lived processes a second). Every `--sample-seconds` it records proctop's
 * VmRSS, VmHWM and RssAnon (/proc/PID/status), its CPU% of one core (utime + stime delta), the
 * processes on the machine (procs: /proc now; tasks: proctop's header), the churn achieved, and
 * whether the screen still refreshes without an error. RSS is also read every 5 s (or a divisor of the row interval) for the trend. The verdict: RSS growth from minute 2 to
 * the end, and the slope of the last third (least squares, MB per 10 min); below 1 MB/10 min
 * counts as "stopped growing".
 *
 * A script, not a test: it prints figures and a verdict, it asserts nothing. Progress goes to
 * stderr; the table (or JSON) to stdout. The tmux server, the churn group and the temp dirs are
 * removed however it ends (normal exit, exception, SIGINT/SIGTERM/SIGHUP).
 */
import { Command, InvalidArgumentError } from 'commander';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLOCK_TICKS } from '../src/procfs/clock';
import { startChurn, type Churn } from '../test/helpers/churn';
import { privateHome } from '../test/helpers/private-home';
import { parseScreen } from '../test/helpers/screen';
import { TmuxSession } from '../test/helpers/tmux';
import { onCleanup } from '../test/helpers/cleanup';
import { cpuTicks, readStat, statusKb } from './population';
import { fmt, sleep } from './stats';

interface SoakOptions {
  readonly minutes: number;
  readonly delay: number;
  readonly churn: number;
  readonly sampleSeconds: number;
  readonly json: boolean;
}

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.join(REPO, 'bin', 'proctop');
/** Seconds between the RSS readings the trend is fitted to. */
const FINE_S = 5;
/** Below this slope (MB per 10 min) over the last third, RSS counts as no longer growing. */
const FLAT_MB_PER_10MIN = 1;
const STACK = /^\s*at .+:\d+:\d+\)?\s*$/m;
const ERROR = /\b\w*Error\b|Uncaught|unhandled/i;

function number(min: number, max: number, integer: boolean) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`expected ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
    }
    return n;
  };
}

function parseOptions(argv: readonly string[]): SoakOptions {
  const program = new Command('soak')
    .description("proctop's TUI under fork churn for a long time: RSS, HWM, CPU per minute and whether RSS stops growing")
    .option('--minutes <m>', 'length of the run (fractions allowed)', number(0.1, 10_000, false), 30)
    .option('--delay <tenths>', "proctop's -d (refresh interval, tenths of a second)", number(1, 600, true), 1)
    .option('--churn <n>', 'short-lived processes started per second (0: none)', number(0, 5000, true), 200)
    .option('--sample-seconds <s>', 'seconds between table rows', number(1, 3600, true), 60)
    .option('--json', 'print JSON instead of the table', false)
    .allowExcessArguments(false);
  program.parse(argv as string[], { from: 'node' });
  const o = program.opts<{ minutes: number; delay: number; churn: number; sampleSeconds: number; json: boolean }>();
  return { minutes: o.minutes, delay: o.delay, churn: o.churn, sampleSeconds: o.sampleSeconds, json: o.json };
}


function processCount(): number {
  return fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length;
}

interface Row {
  /** Seconds since proctop's first frame. */
  readonly s: number;
  readonly rssMb: number;
  /** Lowest and highest of the 5 s RSS readings since the previous row (the GC sawtooth). */
  readonly rssMinMb: number;
  readonly rssMaxMb: number;
  readonly hwmMb: number;
  readonly anonMb: number;
  /** % of one core since the previous row. */
  readonly cpu: number;
  readonly processes: number;
  /** The process count proctop's own header shows (Tasks: N). */
  readonly tasks: number | undefined;
  /** Churn processes started per second since the previous row. */
  readonly churnRate: number | undefined;
  /** ok, stale (no redraw between two rows), error, dead; `backoff` when proctop said a scan was slow. */
  readonly screen: string;
}

interface Verdict {
  readonly baseS: number;
  readonly baseMb: number;
  readonly endMb: number;
  readonly growthMb: number;
  readonly growthPct: number;
  /** MB per 10 min over the last third of the run (least squares over the 5 s readings). */
  readonly lastThirdSlope: number;
  readonly lastThirdFrom: number;
  /** The same slope fitted to each row's lowest reading (the floor after collections); NaN with < 2 rows. */
  readonly floorSlope: number;
  /** The same slope fitted to each row's highest reading (the peaks before collections). */
  readonly peakSlope: number;
  /** How much VmHWM rose over the last third: about 0 once the heap has found its size. */
  readonly hwmGainLastThird: number | undefined;
  readonly stoppedGrowing: boolean;
  readonly maxRssMb: number;
  readonly hwmMb: number;
  readonly notes: readonly string[];
}

interface Result {
  readonly options: SoakOptions;
  readonly machine: { nproc: number; kernel: string; node: string; loadStart: readonly number[]; loadEnd: readonly number[] };
  readonly proctopPid: number;
  readonly churn: { how: string; spawned: number; failed: number } | undefined;
  readonly rows: readonly Row[];
  readonly fine: readonly { s: number; rssMb: number }[];
  readonly verdict: Verdict | undefined;
  readonly ended: string;
}

/** Least-squares slope of y over x. */
function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

/** VmHWM at the last row vs the last row before `from` (or the first row). */
function hwmGain(rows: readonly Row[], from: number): number | undefined {
  const last = rows[rows.length - 1];
  const before = [...rows].reverse().find((r) => r.s < from) ?? rows[0];
  return last && before && last !== before ? last.hwmMb - before.hwmMb : undefined;
}

function verdictOf(fine: readonly { s: number; rssMb: number }[], rows: readonly Row[], durationS: number, hwmMb: number): Verdict | undefined {
  if (fine.length < 3) return undefined;
  const notes: string[] = [];
  // Minute 2: start-up (first scans, argv of every process, JIT) is over by then.
  const baseAt = durationS >= 240 ? 120 : durationS / 3;
  if (baseAt < 120) notes.push(`run shorter than 4 min: growth measured from ${Math.round(baseAt)} s, not from minute 2`);
  const base = fine.reduce((best, p) => (Math.abs(p.s - baseAt) < Math.abs(best.s - baseAt) ? p : best));
  const end = fine[fine.length - 1] as { s: number; rssMb: number };
  const from = (durationS * 2) / 3;
  const tail = fine.filter((p) => p.s >= from).map((p) => ({ x: p.s, y: p.rssMb }));
  const perSecond = slope(tail);
  const lastThirdSlope = perSecond * 600;
  if (durationS < 30 * 60) notes.push(`the last third is ${((durationS - from) / 60).toFixed(1)} min: the GC sawtooth (see min–max) can dominate a slope over so short a window; VmHWM gain is steadier`);
  return {
    baseS: base.s,
    baseMb: base.rssMb,
    endMb: end.rssMb,
    growthMb: end.rssMb - base.rssMb,
    growthPct: ((end.rssMb - base.rssMb) * 100) / base.rssMb,
    lastThirdSlope,
    lastThirdFrom: Math.round(from),
    floorSlope: slope(rows.filter((r) => r.s >= from).map((r) => ({ x: r.s, y: r.rssMinMb }))) * 600,
    peakSlope: slope(rows.filter((r) => r.s >= from).map((r) => ({ x: r.s, y: r.rssMaxMb }))) * 600,
    hwmGainLastThird: hwmGain(rows, from),
    stoppedGrowing: Number.isFinite(lastThirdSlope) && lastThirdSlope < FLAT_MB_PER_10MIN,
    maxRssMb: Math.max(...fine.map((p) => p.rssMb)),
    hwmMb,
    notes,
  };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

function clock(s: number): string {
  return `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;
}

function table(r: Result): string {
  const out: string[] = [];
  const o = r.options;
  out.push(`proctop soak: ${o.minutes} min, -d ${o.delay}, churn ${o.churn}/s requested, a row every ${o.sampleSeconds} s (pid ${r.proctopPid}; ${r.machine.nproc} CPUs, ${r.machine.kernel}, node ${r.machine.node})`);
  out.push(`load average at start ${r.machine.loadStart.join(' ')}, at end ${r.machine.loadEnd.join(' ')}`);
  if (r.churn) out.push(`churn: ${r.churn.spawned} processes started (${r.churn.how}), ${r.churn.failed} forks failed`);
  out.push('');
  out.push(`${pad('time', 6)} ${pad('RSS MB', 7)} ${pad('min–max', 13)} ${pad('HWM MB', 7)} ${pad('anon MB', 8)} ${pad('CPU %', 6)} ${pad('procs', 6)} ${pad('tasks', 6)} ${pad('churn/s', 8)}  screen`);
  for (const row of r.rows) {
    out.push(`${pad(clock(row.s), 6)} ${pad(fmt(row.rssMb, 1), 7)} ${pad(`${fmt(row.rssMinMb, 1)}–${fmt(row.rssMaxMb, 1)}`, 13)} ${pad(fmt(row.hwmMb, 1), 7)} ${pad(fmt(row.anonMb, 1), 8)} ${pad(fmt(row.cpu, 1), 6)} ${pad(String(row.processes), 6)} ${pad(String(row.tasks ?? '–'), 6)} ${pad(fmt(row.churnRate, 0), 8)}  ${row.screen}`);
  }
  out.push('');
  const v = r.verdict;
  if (!v) {
    out.push(`verdict: not enough readings (${r.ended})`);
  } else {
    out.push(`RSS ${fmt(v.baseMb, 1)} MB at ${clock(v.baseS)} → ${fmt(v.endMb, 1)} MB at the end: ${v.growthMb >= 0 ? '+' : ''}${fmt(v.growthMb, 1)} MB (${v.growthPct >= 0 ? '+' : ''}${fmt(v.growthPct, 1)} %); max ${fmt(v.maxRssMb, 1)} MB, VmHWM ${fmt(v.hwmMb, 1)} MB`);
    out.push(`last third (from ${clock(v.lastThirdFrom)}): slope ${fmt(v.lastThirdSlope, 2)} MB/10 min → ${v.stoppedGrowing ? `stopped growing (< ${FLAT_MB_PER_10MIN} MB/10 min)` : `still growing (≥ ${FLAT_MB_PER_10MIN} MB/10 min)`}`);
    out.push(`  over the same third, fitted to each row's lowest / highest reading: ${fmt(v.floorSlope, 2)} / ${fmt(v.peakSlope, 2)} MB/10 min; VmHWM ${v.hwmGainLastThird === undefined ? '–' : `+${fmt(v.hwmGainLastThird, 1)} MB`}`);
    for (const n of v.notes) out.push(`note: ${n}`);
  }
  if (r.ended !== 'completed') out.push(`ended early: ${r.ended}`);
  return out.join('\n');
}

async function run(opts: SoakOptions, log: (line: string) => void, partial: (r: Result) => void): Promise<Result> {
  const home = privateHome();
  onCleanup(`remove ${home.dir}`, () => home.remove());
  const loadStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
  let churn: Churn | undefined;
  if (opts.churn > 0) {
    log(`starting fork churn: ${opts.churn} processes/s in its own process group…`);
    churn = await startChurn(opts.churn);
    const c = churn;
    onCleanup(`kill churn process group ${c.pgid}`, () => c.stopSync());
    log(`  churn group ${c.pgid} (${c.how})`);
  }
  log(`starting proctop -d ${opts.delay} in tmux (160×45)…`);
  const term = TmuxSession.start([BIN, '-d', String(opts.delay)], { width: 160, height: 45, cwd: REPO, env: home.env });
  onCleanup(`tmux server ${term.socket}`, () => term.killSync());
  await term.waitForText(/Tasks:/, 120_000);
  const pid = term.panePid();
  const start = readStat(pid)?.starttime;
  log(`  proctop pid ${pid} (${readStat(pid)?.comm ?? '?'}); running ${opts.minutes} min…`);

  const rows: Row[] = [];
  const fine: { s: number; rssMb: number }[] = [];
  let ended = 'completed';
  const t0 = Date.now();
  const durationS = opts.minutes * 60;
  // The fine interval divides the row interval, so rows fall on fine readings: 5 s, or less.
  const fineS = [FINE_S, 4, 3, 2, 1].find((d) => d <= opts.sampleSeconds && opts.sampleSeconds % d === 0) ?? 1;
  const perRow = opts.sampleSeconds / fineS;
  let lastRow = { at: t0, ticks: cpuTicks(pid) ?? 0, spawned: churn?.spawned() ?? 0 };
  let lastScreen = term.capture();
  const result = (): Result => ({
    options: opts,
    machine: { nproc: os.availableParallelism(), kernel: `${os.type()} ${os.release()}`, node: process.version, loadStart, loadEnd: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    proctopPid: pid,
    churn: churn ? { how: churn.how, spawned: churn.spawned(), failed: churn.failed() } : undefined,
    rows,
    fine,
    verdict: verdictOf(fine, rows, Math.min(durationS, (Date.now() - t0) / 1000), (statusKb(pid, 'VmHWM') ?? 0) / 1024),
    ended,
  });
  partial(result());
  for (let k = 1; ; k++) {
    const due = t0 + k * fineS * 1000;
    await sleep(Math.max(0, due - Date.now()));
    const s = (Date.now() - t0) / 1000;
    const alive = readStat(pid)?.starttime === start && start !== undefined;
    const rss = alive ? statusKb(pid, 'VmRSS') : undefined;
    if (rss === undefined || term.paneDead()) {
      ended = `proctop exited at ${clock(s)}; last screen:\n${term.capture()}`;
      break;
    }
    fine.push({ s: Math.round(s * 10) / 10, rssMb: rss / 1024 });
    const rowDue = k % perRow === 0 || s >= durationS;
    if (rowDue) {
      const now = Date.now();
      const ticks = cpuTicks(pid) ?? lastRow.ticks;
      const spawned = churn?.spawned() ?? 0;
      const screen = term.capture();
      const parsed = parseScreen(screen);
      let state = 'ok';
      if (!parsed) state = 'no table';
      else if (STACK.test(screen) || ERROR.test(`${screen.slice(0, screen.indexOf(parsed.header))}\n${parsed.status}`)) state = `error: ${parsed.status.trim().slice(0, 60)}`;
      else if (screen === lastScreen) state = 'stale (same screen as the last row)';
      // proctop says "A scan took N ms; refreshing every …" once, when it starts backing off.
      if (parsed && /A scan took/.test(parsed.status)) state += ', backed off';
      lastScreen = screen;
      const wall = (now - lastRow.at) / 1000;
      const window = fine.filter((p) => p.s > (rows[rows.length - 1]?.s ?? -1)).map((p) => p.rssMb);
      rows.push({
        s: Math.round(s),
        rssMb: rss / 1024,
        rssMinMb: Math.min(...window),
        rssMaxMb: Math.max(...window),
        hwmMb: (statusKb(pid, 'VmHWM') ?? 0) / 1024,
        anonMb: (statusKb(pid, 'RssAnon') ?? 0) / 1024,
        cpu: ((ticks - lastRow.ticks) / CLOCK_TICKS / wall) * 100,
        processes: processCount(),
        tasks: Number(/Tasks: (\d+)/.exec(screen)?.[1]) || undefined,
        churnRate: churn ? (spawned - lastRow.spawned) / wall : undefined,
        screen: state,
      });
      lastRow = { at: now, ticks, spawned };
      const r = rows[rows.length - 1] as Row;
      log(`  ${clock(r.s)}  RSS ${fmt(r.rssMb, 1)} MB  HWM ${fmt(r.hwmMb, 1)} MB  CPU ${fmt(r.cpu, 1)} %  procs ${r.processes}  churn ${fmt(r.churnRate, 0)}/s  ${r.screen}`);
      partial(result());
    }
    if (s >= durationS) break;
  }
  const final = result();
  log('stopping: tmux server, churn group…');
  await term.kill();
  const left = churn ? await churn.stop() : 0;
  if (left > 0) log(`  ${left} churn processes still listed after 20 s`);
  home.remove();
  return final;
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv);
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  let latest: Result | undefined;
  let finished = false;
  // Registered first, so it runs last: after an interrupt, print what was measured so far.
  onCleanup('print the partial table', () => {
    if (!finished && latest) process.stdout.write(`${opts.json ? JSON.stringify({ ...latest, ended: 'interrupted' }, null, 2) : table({ ...latest, ended: 'interrupted' })}\n`);
  });
  const result = await run(opts, log, (r) => {
    latest = r;
  });
  finished = true;
  process.stdout.write(`${opts.json ? JSON.stringify(result, null, 2) : table(result)}\n`);
  return result.ended === 'completed' ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`soak: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
