/**
 * The real TUI inside tmux, driven through the tests' driver (test/helpers/tmux, a private server
 * per run, `bare`: the argv as given, tmux's own TERM and status line, as before the move): time to
 * first frame (poll capture-pane every 10 ms until the PID/USER column header and one process row
 * show), then CPU% of one core over a window (utime + stime from /proc/PID/stat at start and end)
 * and RSS (VmRSS, VmHWM) at the end.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { TmuxSession } from '../test/helpers/tmux';
import { cpuTicks, readStat, statusKb } from './population';
import { msSince, sleep, Stats, stats } from './stats';

export interface TuiTool {
  readonly name: string;
  /** argv run in the pane (tmux execs it directly when given as several arguments). */
  readonly command: readonly string[];
  /** Whether a capture of the pane shows the first frame; default: a PID … USER header line and a process row under it (proctop, htop). */
  readonly frameShown?: (screen: string) => boolean;
  /** False for a tool measured for its first frame only (the harness alone). */
  readonly window?: boolean;
}

export interface TuiResult {
  readonly tool: string;
  readonly firstFrame: Stats;
  readonly firstFrameRuns: readonly number[];
  /** CPU (utime + stime, ms, 10 ms resolution) the program had used when its first frame showed: robust to a busy machine. */
  readonly cpuToFirstFrame: Stats;
  readonly cpuToFirstFrameRuns: readonly number[];
  /** % of one core over the window; undefined when the window was skipped. */
  readonly cpuPercent: number | undefined;
  readonly windowS: number | undefined;
  readonly cpuTicks: number | undefined;
  /**
   * Seconds the main thread spent runnable but waiting for a CPU during the
   * window (/proc/PID/schedstat): when large, the CPU% is capped by a busy
   * machine, not by what the program asks for.
   */
  readonly runQueueWaitS: number | undefined;
  /**
   * Screen changes seen in the window by capture-pane every 250 ms: the
   * refreshes actually drawn. proctop schedules its next tick `delay` after
   * the previous one ends, so a slow scan lowers its rate; CPU per refresh
   * compares like with like.
   */
  readonly refreshes: number | undefined;
  readonly cpuMsPerRefresh: number | undefined;
  readonly vmRssKb: number | undefined;
  readonly vmHwmKb: number | undefined;
  readonly notes: readonly string[];
}

const USER_HZ = 100;
const HEADER = /\bPID\b.*\bUSER\b/;
const ROW = /^\s*\d+\s+\S/;

export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
}


/** /proc/PID/schedstat: [on-CPU ns, run-queue wait ns] of the main thread. */
function schedstat(pid: number): [number, number] | undefined {
  try {
    const [run, wait] = fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    return run === undefined || wait === undefined ? undefined : [run, wait];
  } catch {
    return undefined;
  }
}

/** proctop's and htop's first frame: the column header (PID … USER) and a process row under it. */
export function firstFrameShown(screen: string): boolean {
  const lines = screen.split('\n');
  const h = lines.findIndex((l) => HEADER.test(l));
  return h >= 0 && ROW.test(lines[h + 1] ?? '');
}

const BTOP_HEADER = /\bPid:.*\bUser:/;

/**
 * btop's first frame: its proc box, which shares lines with the boxes on its left, has the
 * header `Pid: Program: … User:` and a process row under it (`│   1234 name …`). The row is read
 * from the proc box's left border on, so the mem and net boxes beside it cannot match.
 */
export function btopFrameShown(screen: string): boolean {
  const lines = screen.split('\n');
  const h = lines.findIndex((l) => BTOP_HEADER.test(l));
  if (h < 0) return false;
  const header = lines[h] as string;
  const border = header.lastIndexOf('│', header.indexOf('Pid:'));
  return border >= 0 && /^\s*\d+\s+\S/.test((lines[h + 1] ?? '').slice(border + 1));
}

/** A scan of thousands of processes is synchronous: SIGHUP is handled when it ends, so the program gets this long. */
const END_GRACE_MS = 15_000;

/** Ends a session and makes sure its program is gone (SIGKILL by pid, same start time, as a last resort). */
async function endSession(term: TmuxSession, name: string): Promise<string | undefined> {
  const forced = await term.kill(END_GRACE_MS);
  return forced.length === 0 ? undefined : `${name}: pid ${forced.join(', ')} still ran ${END_GRACE_MS / 1000} s after tmux kill-server (SIGHUP); SIGKILLed`;
}

/**
 * The screen, one capture-pane (not the driver's confirmed capture: a poll costs one tmux call, as
 * it did); empty once the program and its server are gone.
 */
function screenOf(term: TmuxSession): string {
  try {
    return term.tmux(['capture-pane', '-p']);
  } catch {
    return '';
  }
}

/**
 * Starts `tool` `runs` times, one after the other, in a private tmux server;
 * measures time to first frame each time, and on the last run (when
 * windowS > 0) the CPU and memory over windowS seconds after settleS seconds.
 */
export async function measureTui(tool: TuiTool, runs: number, windowS: number, settleS: number, log: (line: string) => void): Promise<TuiResult> {
  const notes: string[] = [];
  const firstFrames: number[] = [];
  const firstFrameCpu: number[] = [];
  let cpuPercent: number | undefined;
  let ticksUsed: number | undefined;
  let vmRssKb: number | undefined;
  let vmHwmKb: number | undefined;
  let measuredWindow: number | undefined;
  let runQueueWaitS: number | undefined;
  let refreshes: number | undefined;
  for (let run = 0; run < runs; run++) {
    const session = `${tool.name}-${run}`;
    const t0 = process.hrtime.bigint();
    let term: TmuxSession;
    try {
      term = TmuxSession.start(tool.command, { width: 200, height: 50, bare: true });
    } catch (err) {
      notes.push(`tmux new-session failed: ${String(err)}`);
      break;
    }
    try {
      const panePid = term.startedPid();
      const pid = panePid !== undefined && Number.isInteger(panePid) && panePid > 1 ? panePid : undefined;
      let shown: number | undefined;
      let screen = '';
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        screen = screenOf(term);
        if ((tool.frameShown ?? firstFrameShown)(screen)) {
          shown = msSince(t0);
          const ticks = pid === undefined ? undefined : cpuTicks(pid);
          if (ticks !== undefined) firstFrameCpu.push((ticks * 1000) / USER_HZ);
          break;
        }
        await sleep(10);
      }
      const start = pid === undefined ? undefined : readStat(pid)?.starttime;
      if (shown === undefined) {
        notes.push(`${tool.name} run ${run + 1}: no first frame within 30 s; screen: ${JSON.stringify(screen.trim().slice(0, 300))}`);
      } else {
        firstFrames.push(shown);
        log(`  ${tool.name}: first frame ${shown.toFixed(0)} ms, ${firstFrameCpu[firstFrameCpu.length - 1] ?? '?'} ms CPU (run ${run + 1}/${runs})`);
      }
      if (run === runs - 1 && windowS > 0 && pid !== undefined && shown !== undefined) {
        const comm = readStat(pid)?.comm;
        log(`  ${tool.name}: pid ${pid} (${comm ?? '?'}), settling ${settleS} s, then measuring ${windowS} s`);
        await sleep(settleS * 1000);
        const a = cpuTicks(pid);
        const q0 = schedstat(pid);
        const w0 = process.hrtime.bigint();
        let changes = 0;
        let last = screenOf(term);
        while (msSince(w0) < windowS * 1000) {
          await sleep(Math.min(250, Math.max(0, windowS * 1000 - msSince(w0))));
          const now = screenOf(term);
          if (now !== last) changes++;
          last = now;
        }
        const b = cpuTicks(pid);
        const q1 = schedstat(pid);
        const wallS = msSince(w0) / 1000;
        const same = readStat(pid)?.starttime === start;
        if (a === undefined || b === undefined || !same) {
          notes.push(`${tool.name} exited during the CPU window`);
        } else {
          ticksUsed = b - a;
          cpuPercent = ((b - a) / USER_HZ / wallS) * 100;
          measuredWindow = wallS;
          if (q0 && q1) runQueueWaitS = (q1[1] - q0[1]) / 1e9;
          refreshes = changes;
          vmRssKb = statusKb(pid, 'VmRSS');
          vmHwmKb = statusKb(pid, 'VmHWM');
        }
      }
    } finally {
      const killed = await endSession(term, session);
      if (killed) notes.push(killed);
    }
    await sleep(300); // runs spaced as before (the next server starts after this one has gone)
  }
  return {
    tool: tool.name,
    firstFrame: stats(firstFrames),
    firstFrameRuns: firstFrames,
    cpuToFirstFrame: stats(firstFrameCpu),
    cpuToFirstFrameRuns: firstFrameCpu,
    cpuPercent,
    windowS: measuredWindow,
    cpuTicks: ticksUsed,
    runQueueWaitS,
    refreshes,
    cpuMsPerRefresh: refreshes && ticksUsed !== undefined ? (ticksUsed * 1000) / USER_HZ / refreshes : undefined,
    vmRssKb,
    vmHwmKb,
    notes,
  };
}

/**
 * First frames of several tools measured in rounds (each tool once per round, in turn), so a VM
 * that slows down or speeds up during the bench moves every tool's figures alike; then, when
 * `windowS` is set, each tool's CPU and RSS window from one more run. Returns one result per tool,
 * in the order given.
 */
export async function measureTuisInterleaved(tools: readonly TuiTool[], runs: number, windowS: number, settleS: number, log: (line: string) => void): Promise<TuiResult[]> {
  const parts: TuiResult[][] = tools.map(() => []);
  for (let run = 0; run < runs; run++) {
    log(`  round ${run + 1}/${runs}`);
    for (const [i, tool] of tools.entries()) parts[i]?.push(await measureTui(tool, 1, 0, 0, log));
  }
  const results: TuiResult[] = [];
  for (const [i, tool] of tools.entries()) {
    const window = windowS > 0 && tool.window !== false ? await measureTui(tool, 1, windowS, settleS, log) : undefined;
    results.push(mergeRuns(tool.name, parts[i] ?? [], window));
  }
  return results;
}

/** One result from single-run ones: first frames and their CPU from `runs`, the window's figures from `window`. */
export function mergeRuns(name: string, runs: readonly TuiResult[], window: TuiResult | undefined): TuiResult {
  const firstFrames = runs.flatMap((r) => r.firstFrameRuns);
  const cpu = runs.flatMap((r) => r.cpuToFirstFrameRuns);
  return {
    tool: name,
    firstFrame: stats(firstFrames),
    firstFrameRuns: firstFrames,
    cpuToFirstFrame: stats(cpu),
    cpuToFirstFrameRuns: cpu,
    cpuPercent: window?.cpuPercent,
    windowS: window?.windowS,
    cpuTicks: window?.cpuTicks,
    runQueueWaitS: window?.runQueueWaitS,
    refreshes: window?.refreshes,
    cpuMsPerRefresh: window?.cpuMsPerRefresh,
    vmRssKb: window?.vmRssKb,
    vmHwmKb: window?.vmHwmKb,
    notes: [...runs.flatMap((r) => r.notes), ...(window?.notes ?? [])],
  };
}

/**
 * Whether a reference TUI (htop, btop: Debian packages of the same name) can run, installing it
 * with apt-get when it is missing and `install` is set (root only).
 */
export function findTool(name: 'htop' | 'btop', install: boolean, log: (line: string) => void): { ok: true } | { ok: false; why: string } {
  if (hasCommand(name)) return { ok: true };
  if (!install) return { ok: false, why: `${name} not installed (run the bench as root without --no-install to apt-get it)` };
  if (process.getuid?.() !== 0) return { ok: false, why: `${name} not installed and not root, so the bench cannot apt-get it` };
  if (!hasCommand('apt-get')) return { ok: false, why: `${name} not installed and no apt-get` };
  log(`  installing ${name}: apt-get install -y ${name}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', name], { stdio: ['ignore', 2, 2], env });
  if (r.status !== 0) {
    // A fresh machine's package lists may not know it yet.
    spawnSync('apt-get', ['update'], { stdio: ['ignore', 2, 2], env });
    r = spawnSync('apt-get', ['install', '-y', name], { stdio: ['ignore', 2, 2], env });
  }
  if (r.status !== 0 || !hasCommand(name)) return { ok: false, why: `apt-get install -y ${name} failed (status ${String(r.status)})` };
  return { ok: true };
}

/** The first line of `htop --version` / `btop --version`. */
export function toolVersion(name: 'htop' | 'btop'): string | undefined {
  const r = spawnSync(name, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0]?.trim() : undefined;
}

/**
 * A config directory for btop under `configHome` (its XDG_CONFIG_HOME): btop has no flag for its
 * refresh interval, so `update_ms = 1000` there matches the others' `-d 10`; every other setting is
 * btop's default. Removed with the bench's temporary directory.
 */
export function btopConfig(configHome: string): void {
  fs.mkdirSync(`${configHome}/btop`, { recursive: true });
  fs.writeFileSync(`${configHome}/btop/btop.conf`, 'update_ms = 1000\n');
}
