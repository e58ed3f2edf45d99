/**
 * Everything the details panel (Enter on a process) shows, read on demand
 * from /proc/PID/* rather than on the sampler's hot path. Each field that
 * could not be read carries the reason, so the panel can print "permission
 * denied" for another user's process instead of crashing or showing blanks.
 */
import { CLOCK_TICKS } from './clock';
import { ok, pick, reasonForErrno, unavailable } from './parse/field';
import { ProcReader, ReadError } from './reader';
import { cgroupSummary, parseCgroup } from './parse/cgroup';
import { parseCmdline } from './parse/cmdline';
import { parseInteger } from './parse/integer';
import { parseIo } from './parse/io';
import { parseLimits } from './parse/limits';
import { parseSmapsRollup } from './parse/smaps-rollup';
import { orUndefined, Result } from '../base/result';
import { StatRecord } from './parse/stat';
import { parseStatusDetails, StatusDetails } from './parse/status-details';
import { parseSystemStat } from './parse/system-stat';

export type { Field, ProcessDetails, Unreadable } from '../kernel/process-details';
import type { Field, ProcessDetails } from '../kernel/process-details';

/** A walk up the parents stops here even without a cycle: pid_max is far above any real depth. */
const MAX_CHAIN = 4096;

/** Reads one process's files as fields, turning errno codes into reasons. */
class FieldReader {
  constructor(
    readonly reader: ProcReader,
    readonly pid: number,
    private readonly startTicks: number,
  ) {}

  text<T>(file: string, parse: (text: string) => Result<T>): Field<T> {
    const text = this.reader.readTextOrError(`${this.pid}/${file}`);
    if (typeof text !== 'string') return this.failed(text);
    const parsed = parse(text);
    return parsed.ok ? parsed : unavailable;
  }

  link(file: string): Field<string> {
    const target = this.reader.readLinkOrError(`${this.pid}/${file}`);
    return typeof target === 'string' ? ok(target) : this.failed(target);
  }

  list(dir: string): Field<string[]> {
    const names = this.reader.listDirOrError(`${this.pid}/${dir}`);
    return Array.isArray(names) ? ok(names) : this.failed(names);
  }

  /**
   * ENOENT also means "this process has no such thing" (exe and cwd of a
   * kernel thread or zombie, io without task accounting), so it says 'gone'
   * only when the process really is.
   */
  private failed(error: ReadError): Field<never> {
    const reason = reasonForErrno(error.error);
    const alive = reason === 'gone' && this.reader.readStat(this.pid)?.startTicks === this.startTicks;
    return { ok: false, reason: alive ? 'unavailable' : reason };
  }
}

function parentChain(reader: ProcReader, stat: StatRecord): { pid: number; name: string }[] {
  const chain: { pid: number; name: string }[] = [];
  const seen = new Set([stat.pid]);
  // ppid 0 marks a root (init, kthreadd, or a process whose parent is outside our pid namespace).
  for (let ppid = stat.ppid; ppid > 0 && !seen.has(ppid) && chain.length < MAX_CHAIN; ) {
    seen.add(ppid);
    const parent = reader.readStat(ppid);
    if (!parent) break; // exited while we walked: the chain ends where we can still see
    chain.push({ pid: ppid, name: parent.comm });
    ppid = parent.ppid;
  }
  return chain;
}

function children(reader: ProcReader, pid: number): { pid: number; name: string; state: string }[] {
  const kids: { pid: number; name: string; state: string }[] = [];
  for (const other of reader.listPids()) {
    const stat = other === pid ? undefined : reader.readStat(other);
    if (stat?.ppid === pid) kids.push({ pid: other, name: stat.comm, state: stat.state });
  }
  return kids.sort((a, b) => a.pid - b.pid);
}

function threads(fields: FieldReader): ProcessDetails['threads'] {
  const names = fields.list('task');
  if (!names.ok) return names;
  const rows: { tid: number; name: string; state: string; cpuTicks: number }[] = [];
  for (const name of names.value) {
    // A thread that exits between the listing and its stat is simply left out.
    const stat = /^\d+$/.test(name) ? fields.reader.readStat(fields.pid, Number(name)) : undefined;
    if (stat) rows.push({ tid: stat.pid, name: stat.comm, state: stat.state, cpuTicks: stat.utime + stat.stime });
  }
  return ok(rows.sort((a, b) => a.tid - b.tid));
}

function namespacesDifferingFromInit(fields: FieldReader): Field<readonly string[]> {
  const names = fields.list('ns');
  if (!names.ok) return names;
  const differing: string[] = [];
  for (const name of [...names.value].sort()) {
    const mine = fields.link(`ns/${name}`);
    if (!mine.ok) return mine;
    const init = fields.reader.readLinkOrError(`1/ns/${name}`);
    // A namespace init lacks cannot be compared; any other failure (EACCES: init is
    // often not ours to inspect) leaves the whole answer unknown.
    if (typeof init !== 'string' && init.error === 'ENOENT') continue;
    if (typeof init !== 'string') return { ok: false, reason: reasonForErrno(init.error) };
    if (init !== mine.value) differing.push(name);
  }
  return ok(differing);
}

/** Boot time in ms since the epoch; 0 when /proc/stat is unreadable, as the sampler does. */
function bootTimeMs(reader: ProcReader): number {
  const text = reader.readText('stat');
  const stat = text === undefined ? undefined : parseSystemStat(text);
  const parsed = stat === undefined ? undefined : orUndefined(stat);
  return parsed === undefined ? 0 : parsed.bootTime * 1000;
}

function fromStatus(status: Field<StatusDetails>): Pick<ProcessDetails, 'uids' | 'gids' | 'cpusAllowed' | 'contextSwitches' | 'tracerPid' | 'swap'> {
  return {
    uids: pick(status, (s) => s.uids),
    gids: pick(status, (s) => s.gids),
    cpusAllowed: pick(status, (s) => s.cpusAllowedList),
    contextSwitches: pick(status, (s) => s.contextSwitches),
    tracerPid: pick(status, (s) => s.tracerPid),
    swap: pick(status, (s) => s.swapBytes),
  };
}

/**
 * The kernel prints `0` both for a running task and for one we may not
 * inspect (the same ptrace check as exe), so a `0` from a task that is not
 * running is reported with exe's reason rather than as "running".
 */
function wchan(fields: FieldReader, state: string, exe: Field<string>): Field<string> {
  const text = fields.text('wchan', ok);
  if (!text.ok || text.value !== '0') return text;
  if (state === 'R') return ok('');
  return exe.ok || exe.reason !== 'permission denied' ? unavailable : exe;
}

type FileFields = Omit<ProcessDetails, 'pid' | 'startTicks' | 'state' | 'nice' | 'priority' | 'startTime' | 'parentChain' | 'children'>;

function fromFiles(fields: FieldReader, state: string): FileFields {
  const exe = fields.link('exe');
  return {
    wchan: wchan(fields, state, exe),
    argv: fields.text('cmdline', (t) => ok(parseCmdline(t))),
    exe,
    cwd: fields.link('cwd'),
    threads: threads(fields),
    ...fromStatus(fields.text('status', (t) => ok(parseStatusDetails(t)))),
    cgroup: pick(fields.text('cgroup', parseCgroup), cgroupSummary),
    namespacesDifferingFromInit: namespacesDifferingFromInit(fields),
    openFiles: pick(fields.list('fd'), (names) => names.length),
    limits: fields.text('limits', parseLimits),
    io: fields.text('io', parseIo),
    memory: fields.text('smaps_rollup', parseSmapsRollup),
    oomScore: fields.text('oom_score', parseInteger),
    oomScoreAdj: fields.text('oom_score_adj', parseInteger),
  };
}

/**
 * Reads the details of process `pid` (from /proc/PID/stat, status, cmdline,
 * exe, cwd, wchan, task/, cgroup, ns/, fd/, limits, io, smaps_rollup, oom_score,
 * oom_score_adj, and the stat of its parents and of every process). Returns
 * undefined when the pid is gone or now belongs to another process (start
 * time differs), checked before and after the reads: fields of two
 * processes must never mix. A process that exits midway keeps what was read,
 * and the rest says 'gone'.
 */
export function readProcessDetails(reader: ProcReader, pid: number, startTicks: number): ProcessDetails | undefined {
  const stat = reader.readStat(pid);
  if (!stat || stat.startTicks !== startTicks) return undefined;
  const details: ProcessDetails = {
    pid,
    startTicks,
    state: stat.state,
    nice: stat.nice,
    priority: stat.priority,
    startTime: bootTimeMs(reader) + (startTicks * 1000) / CLOCK_TICKS,
    parentChain: parentChain(reader, stat),
    children: children(reader, pid),
    ...fromFiles(new FieldReader(reader, pid, startTicks), stat.state),
  };
  const after = reader.readStat(pid);
  return after && after.startTicks !== startTicks ? undefined : details;
}
