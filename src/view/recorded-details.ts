/**
 * The details panel on a frame from the past (rewind or replay): what the frame holds for the
 * process, and, said plainly, what it does not. The live panel reads /proc (exe, cwd, files,
 * limits, threads, PSS …); none of that is in a frame, and the process may be long gone, so
 * nothing here reads anything. Pure.
 */
import { formatAge, formatBytes, formatCpuTime, formatPercent, formatRate, formatStateAge, formatTimestamp } from '../model/format';
import { ProcessInfo, ProcessState, STATE_NAMES } from '../model/snapshot';
import { sanitize } from './text';

/** What the live panel shows that no frame records: read from /proc at the moment the panel opens. */
export const NOT_RECORDED = [
  'exe', 'cwd', 'open files', 'environment', 'limits', 'per-thread CPU', 'uid/gid sets', 'CPUs allowed',
  'namespaces', 'PSS (smaps_rollup)', 'I/O totals', 'context switches', 'tracer',
] as const;

/** The panel in the past: the frame's rows (for the parent chain and children as they were then) and whose panel it is. */
export interface PastDetails {
  /** Time of the frame, ms since the epoch (the "now" of its ages). */
  readonly time: number;
  readonly processes: readonly ProcessInfo[];
  /** The pid the panel was opened on (the frame may not hold it). */
  readonly pid: number;
}

const known = <T>(v: T | undefined, format: (v: T) => string): string => (v === undefined ? 'not recorded' : format(v));
const label = (p: ProcessInfo): string => `${p.pid} ${sanitize(p.name)}`;

/** Parents up to the root as the frame had them (`1234 bash ← 1 systemd`); a loop in bad data stops at 64. */
function parentChain(p: ProcessInfo, byPid: ReadonlyMap<number, ProcessInfo>): string {
  const chain: string[] = [];
  let at = byPid.get(p.ppid);
  while (at !== undefined && chain.length < 64 && at.pid !== p.pid) {
    chain.push(label(at));
    at = at.ppid === at.pid ? undefined : byPid.get(at.ppid);
  }
  return chain.join(' ← ') || (p.ppid === 0 ? '(none)' : `${p.ppid} (not in this frame)`);
}

/**
 * The panel's lines for process `p` as `frame` recorded it (before wrapping), or one line
 * saying that the frame does not hold it (it had not started yet, or had exited by then).
 */
export function recordedDetailsText(p: ProcessInfo | undefined, frame: PastDetails, tzOffset: number | undefined, wrapCommand: (text: string) => string[]): string[] {
  const at = formatTimestamp(frame.time, tzOffset);
  if (!p) return [`PID ${frame.pid} is not in the frame of ${at}: it had not started yet, or had exited by then.`];
  const byPid = new Map(frame.processes.filter((q) => !q.thread).map((q) => [q.pid, q]));
  const children = frame.processes.filter((q) => !q.thread && q.ppid === p.pid && q.pid !== p.pid);
  const state = `${p.state} (${STATE_NAMES[p.state as ProcessState] ?? 'unknown'})`;
  const exeGone = p.exeDeleted === true ? '   binary deleted since it started' : '';
  const cgroup = p.cgroup === undefined ? 'not recorded (cgroups were not being read)' : sanitize(p.cgroup);
  const extra = [p.container && `container ${sanitize(p.container)}`, p.unit && `unit ${sanitize(p.unit)}`, p.cgroupFlags && sanitize(p.cgroupFlags)].filter((s) => s);
  return [
    `Recorded in the frame of ${at}: the fields below are as they were then.`,
    'command:', ...wrapCommand(p.command).map((l) => `  ${l}`),
    `state: ${state} for ${formatStateAge(frame.time - p.stateSince, p.stateSinceLowerBound === true)}   wchan: ${p.wchan === undefined ? '-' : sanitize(p.wchan) || '-'}${p.orphan ? '   orphan' : ''}${exeGone}`,
    `PID ${p.pid}   start ticks ${p.startTicks}   PPID ${p.ppid}   PGID ${p.pgid}   SID ${p.sid}   TTY ${p.tty === undefined ? '-' : sanitize(p.tty)}${p.kernel ? '   kernel thread' : ''}`,
    `parents: ${parentChain(p, byPid)}`,
    `children (${children.length}): ${children.slice(0, 30).map((c) => `${label(c)} ${c.state}`).join(', ') || '(none)'}`,
    `started: ${formatTimestamp(p.startTime, tzOffset)} (${formatAge((frame.time - p.startTime) / 1000)} before the frame)`,
    `user: ${sanitize(p.user ?? '-')}   uid: ${p.uid ?? '-'}`,
    `CPU: ${known(p.cpu, (c) => `${formatPercent(c)}%`)}   CPU time: ${formatCpuTime(p.cpuTime)}   threads: ${p.threads}   nice: ${p.nice}   priority: ${p.priority}`,
    `memory: RSS ${known(p.rss, formatBytes)}   virtual ${formatBytes(p.vsz)}   shared ${known(p.shared, formatBytes)}   MEM ${known(p.mem, (m) => `${formatPercent(m)}%`)}   swap ${known(p.swap, formatBytes)}`,
    `OOM score: ${known(p.oomScore, String)} (adj ${known(p.oomScoreAdj, String)})   I/O: ${p.ioDenied === true ? 'permission denied' : `read ${known(p.ioReadRate, (r) => `${formatRate(r)}/s`)}, write ${known(p.ioWriteRate, (r) => `${formatRate(r)}/s`)}`}`,
    `cgroup: ${cgroup}${extra.length > 0 ? `   ${extra.join('   ')}` : ''}`,
    '',
    `Not recorded (read from /proc live only): ${NOT_RECORDED.join(', ')}.`,
  ];
}
