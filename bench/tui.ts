/**
 * The real TUI inside tmux on a private socket: time to first frame (poll
 * capture-pane every 10 ms until the PID/USER column header and one process
 * row show), then CPU% of one core over a window (utime + stime from
 * /proc/PID/stat at start and end) and RSS (VmRSS, VmHWM) at the end.
 */
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { onCleanup } from '../test/helpers/cleanup';
import { cpuTicks, readStat, statusKb } from './population';
import { msSince, sleep, Stats, stats } from './stats';

export interface TuiTool {
  readonly name: string;
  /** argv run in the pane (tmux execs it directly when given as several arguments). */
  readonly command: readonly string[];
}

export interface TuiResult {
  readonly tool: string;
  readonly firstFrame: Stats;
  readonly firstFrameRuns: readonly number[];
  /** CPU (utime + stime, ms, 10 ms resolution) the program had used when its first frame showed: robust to a busy machine. */
  readonly cpuToFirstFrame: Stats;
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

function tmux(socket: string, args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
}

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

function firstFrameShown(screen: string): boolean {
  const lines = screen.split('\n');
  const h = lines.findIndex((l) => HEADER.test(l));
  return h >= 0 && ROW.test(lines[h + 1] ?? '');
}

/** Ends a tmux session and makes sure its program is gone (SIGKILL by pid, same start time, as a last resort). */
async function endSession(socket: string, session: string, pid: number | undefined, start: number | undefined): Promise<string | undefined> {
  tmux(socket, ['kill-session', '-t', session]);
  if (pid === undefined) return undefined;
  // A scan of thousands of processes is synchronous: SIGHUP is handled when it ends.
  const graceMs = 15_000;
  const until = Date.now() + graceMs;
  while (Date.now() < until) {
    const s = readStat(pid);
    if (!s || s.starttime !== start || s.state === 'Z') return undefined;
    await sleep(20);
  }
  const s = readStat(pid);
  if (s && s.starttime === start && pid > 1) {
    process.kill(pid, 'SIGKILL');
    return `${session}: pid ${pid} still ran ${graceMs / 1000} s after tmux kill-session (SIGHUP); SIGKILLed`;
  }
  return undefined;
}

/**
 * Starts `tool` `runs` times, one after the other, in a private tmux server;
 * measures time to first frame each time, and on the last run (when
 * windowS > 0) the CPU and memory over windowS seconds after settleS seconds.
 */
export async function measureTui(tool: TuiTool, socket: string, runs: number, windowS: number, settleS: number, log: (line: string) => void): Promise<TuiResult> {
  const killServer = onCleanup(`tmux server ${socket}`, () => {
    tmux(socket, ['kill-server']);
    // tmux 3.3 leaves the socket file behind; remove ours once no server answers on it.
    const file = path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket);
    if (tmux(socket, ['list-sessions']).status !== 0) fs.rmSync(file, { force: true });
  });
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
  try {
    for (let run = 0; run < runs; run++) {
      const session = `${tool.name}-${run}`;
      const t0 = process.hrtime.bigint();
      const created = tmux(socket, ['new-session', '-d', '-s', session, '-x', '200', '-y', '50', ...tool.command]);
      if (created.status !== 0) {
        notes.push(`tmux new-session failed: ${created.stderr.trim()}`);
        break;
      }
      const panePid = Number(tmux(socket, ['list-panes', '-t', session, '-F', '#{pane_pid}']).stdout.trim());
      const pid = Number.isInteger(panePid) && panePid > 1 ? panePid : undefined;
      let shown: number | undefined;
      let screen = '';
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        screen = tmux(socket, ['capture-pane', '-p', '-t', session]).stdout;
        if (firstFrameShown(screen)) {
          shown = msSince(t0);
          const ticks = pid === undefined ? undefined : cpuTicks(pid);
          if (ticks !== undefined) firstFrameCpu.push((ticks * 1000) / USER_HZ);
          break;
        }
        await sleep(10);
      }
      const start = pid === undefined ? undefined : readStat(pid)?.starttime;
      if (shown === undefined) {
        notes.push(`run ${run + 1}: no PID header within 30 s; screen: ${JSON.stringify(screen.trim().slice(0, 300))}`);
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
        let last = tmux(socket, ['capture-pane', '-p', '-t', session]).stdout;
        while (msSince(w0) < windowS * 1000) {
          await sleep(Math.min(250, Math.max(0, windowS * 1000 - msSince(w0))));
          const now = tmux(socket, ['capture-pane', '-p', '-t', session]).stdout;
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
      const killed = await endSession(socket, session, pid, start);
      if (killed) notes.push(killed);
      await sleep(300); // let the tmux server exit before the next start
    }
  } finally {
    killServer();
  }
  return {
    tool: tool.name,
    firstFrame: stats(firstFrames),
    firstFrameRuns: firstFrames,
    cpuToFirstFrame: stats(firstFrameCpu),
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

/** htop's path, installing it with apt-get when asked to and allowed (root). */
export function findHtop(install: boolean, log: (line: string) => void): { ok: true } | { ok: false; why: string } {
  if (hasCommand('htop')) return { ok: true };
  if (!install) return { ok: false, why: 'htop not installed (pass --install-htop, as root, to apt-get install it)' };
  if (process.getuid?.() !== 0) return { ok: false, why: 'htop not installed and not root, so --install-htop cannot apt-get it' };
  if (!hasCommand('apt-get')) return { ok: false, why: 'htop not installed and no apt-get' };
  log('  installing htop: apt-get install -y htop');
  const r = spawnSync('apt-get', ['install', '-y', 'htop'], { stdio: ['ignore', 2, 2], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0 || !hasCommand('htop')) return { ok: false, why: `apt-get install -y htop failed (status ${String(r.status)})` };
  return { ok: true };
}

export function htopVersion(): string | undefined {
  const r = spawnSync('htop', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0]?.trim() : undefined;
}
