import type { Limit, OwnCgroup, Pressure, PressureLine, PressureSet } from '../kernel/cgroup';
import { DEFAULT_STUCK_AFTER_MS } from '../model/settings';
import { isStuck } from '../model/stuck';
import { CgroupInfo, ProcessInfo, Snapshot } from '../model/snapshot';

/** Schema version of `--json`; bumped only on an incompatible change. */
export const JSON_SCHEMA_VERSION = 1;

/** One process in `--json`; documented field by field in README.md. */
export interface JsonProcess {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly sid: number;
  readonly tgid: number;
  readonly tty: string | null;
  readonly state: string;
  readonly name: string;
  readonly command: string;
  /** Base64 of the exact bytes of `name` when they are not valid UTF-8, else null. */
  readonly nameBytes: string | null;
  /** Base64 of the exact bytes of `command` when they are not valid UTF-8, else null. */
  readonly commandBytes: string | null;
  readonly user: string | null;
  readonly uid: number | null;
  readonly threads: number;
  readonly nice: number;
  readonly priority: number;
  readonly startTime: string;
  readonly cpu: number | null;
  readonly mem: number | null;
  readonly rss: number | null;
  readonly vsz: number;
  readonly shared: number | null;
  readonly cpuTime: number;
  readonly kernel: boolean;
  readonly thread: boolean;
  readonly orphan: boolean;
  /** In D state for longer than the stuck threshold. */
  readonly stuck: boolean;
  readonly wchan: string | null;
  /** Seconds in the current state: for Z, D, T the kernel's word; see stateAgeLowerBound. */
  readonly stateAge: number;
  /** stateAge is a lower bound: the state began before proctop first saw the process, and the kernel gave no time. */
  readonly stateAgeLowerBound: boolean;
  readonly exeDeleted: boolean | null;
  /** cgroup path, container and unit; null when cgroups are unreadable (or on the portable sampler). */
  readonly cgroup: string | null;
  readonly container: string | null;
  readonly unit: string | null;
  /** The cgroup's trouble words (CGROUP_FLAGS). */
  readonly cgroupFlags: readonly string[];
  /** VmSwap bytes; null for kernel threads and when unread. */
  readonly swap: number | null;
  readonly oomScore: number | null;
  readonly oomScoreAdj: number | null;
  /** Storage bytes per second between the two scans (/proc/PID/io); null when unknown, see ioUnreadable. */
  readonly ioReadRate: number | null;
  readonly ioWriteRate: number | null;
  /** /proc/PID/io was refused (another user's process without root): the rates are null for that reason. */
  readonly ioUnreadable: boolean;
}

/** A limit: a number, `"max"` when there is none, null when unknown. */
type JsonLimit = number | 'max' | null;

/** One cgroup in `--json`; documented field by field in README.md. */
export interface JsonCgroup {
  readonly path: string;
  readonly version: 1 | 2;
  readonly container: string | null;
  readonly unit: string | null;
  readonly processes: number;
  readonly cpu: number | null;
  readonly cpuUsageUsec: number | null;
  readonly cpuLimit: JsonLimit;
  readonly throttledPercent: number | null;
  readonly throttledMs: number | null;
  readonly periods: number | null;
  readonly throttledPeriods: number | null;
  readonly memory: number | null;
  readonly memoryLimit: JsonLimit;
  readonly swap: number | null;
  readonly oomKills: number | null;
  readonly oomKillsSeen: number | null;
  readonly pids: number | null;
  readonly pidsLimit: JsonLimit;
  readonly pressure: JsonPressureSet | null;
  readonly flags: readonly string[];
}

/** A PSI file: `some` and `full` lines (full null where the kernel has none). */
interface JsonPressure {
  readonly some: PressureLine;
  readonly full: PressureLine | null;
}

interface JsonPressureSet {
  readonly cpu: JsonPressure | null;
  readonly memory: JsonPressure | null;
  readonly io: JsonPressure | null;
}

const words = (flags: string): string[] => (flags === '' ? [] : flags.split(' '));
const limit = (l: Limit | undefined, digits?: number): JsonLimit => (l === undefined ? null : l === 'max' ? 'max' : digits === undefined ? l : Number(l.toFixed(digits)));

function jsonPressure(p: PressureSet | undefined): JsonPressureSet | null {
  if (p === undefined) return null;
  const one = (r: Pressure | undefined): JsonPressure | null => (r === undefined ? null : { some: r.some, full: r.full ?? null });
  return { cpu: one(p.cpu), memory: one(p.memory), io: one(p.io) };
}

export function jsonCgroup(c: CgroupInfo): JsonCgroup {
  return {
    path: c.path,
    version: c.version,
    container: c.container ?? null,
    unit: c.unit ?? null,
    processes: c.processes,
    cpu: round(c.cpu, 2),
    cpuUsageUsec: c.cpuUsageUsec ?? null,
    cpuLimit: limit(c.cpuLimit, 3),
    throttledPercent: round(c.throttledPercent, 2),
    throttledMs: round(c.throttledMs, 3),
    periods: c.periods ?? null,
    throttledPeriods: c.throttledPeriods ?? null,
    memory: c.memory ?? null,
    memoryLimit: limit(c.memoryLimit),
    swap: c.swap ?? null,
    oomKills: c.oomKills ?? null,
    oomKillsSeen: c.oomKillsSeen ?? null,
    pids: c.pids ?? null,
    pidsLimit: limit(c.pidsLimit),
    pressure: jsonPressure(c.pressure),
    flags: words(c.flags),
  };
}

/** proctop's own cgroup in `--json`: its path and the tightest limits above it, null where none. */
export interface JsonOwnCgroup {
  readonly path: string;
  readonly cpuLimit: number | null;
  readonly cpuLimitPath: string | null;
  readonly memoryLimit: number | null;
  readonly memoryLimitPath: string | null;
}

function jsonOwnCgroup(o: OwnCgroup | undefined): JsonOwnCgroup | null {
  if (o === undefined) return null;
  return { path: o.path, cpuLimit: round(o.cpuLimit, 3), cpuLimitPath: o.cpuLimitPath ?? null, memoryLimit: o.memoryLimit ?? null, memoryLimitPath: o.memoryLimitPath ?? null };
}

const round = (n: number | undefined, digits: number): number | null => (n === undefined ? null : Number(n.toFixed(digits)));

export function jsonProcess(p: ProcessInfo, now: number, stuckAfterMs: number): JsonProcess {
  const stateAgeMs = Math.max(0, now - p.stateSince);
  return {
    pid: p.pid,
    ppid: p.ppid,
    pgid: p.pgid,
    sid: p.sid,
    tgid: p.tgid,
    tty: p.tty ?? null,
    state: p.state,
    name: p.name,
    command: p.command,
    nameBytes: p.nameBytes ?? null,
    commandBytes: p.commandBytes ?? null,
    user: p.user ?? null,
    uid: p.uid ?? null,
    threads: p.threads,
    nice: p.nice,
    priority: p.priority,
    startTime: new Date(p.startTime).toISOString(),
    cpu: round(p.cpu, 2),
    mem: round(p.mem, 2),
    rss: p.rss ?? null,
    vsz: p.vsz,
    shared: p.shared ?? null,
    cpuTime: round(p.cpuTime, 2) ?? 0,
    kernel: p.kernel,
    thread: p.thread,
    orphan: p.orphan,
    stuck: isStuck(p, now, stuckAfterMs),
    wchan: p.wchan ?? null,
    stateAge: round(stateAgeMs / 1000, 1) ?? 0,
    stateAgeLowerBound: p.stateSinceLowerBound === true,
    exeDeleted: p.exeDeleted ?? null,
    cgroup: p.cgroup ?? null,
    container: p.container ?? null,
    unit: p.unit ?? null,
    cgroupFlags: words(p.cgroupFlags),
    swap: p.swap ?? null,
    oomScore: p.oomScore ?? null,
    oomScoreAdj: p.oomScoreAdj ?? null,
    ioReadRate: round(p.ioReadRate, 0),
    ioWriteRate: round(p.ioWriteRate, 0),
    ioUnreadable: p.ioDenied === true,
  };
}

/** Where a replayed frame came from (`--once --replay --json`). */
export interface ReplayOrigin {
  readonly store: string;
  /** The frame's time; the requested time may lie after it. */
  readonly frameTime: number;
  readonly host: string;
  readonly bootId: string;
}

/**
 * `--once --json`: one object. Strings carry /proc's exact text (JSON.stringify
 * escapes control characters, so the output is still terminal-safe).
 */
export function renderJson(snapshot: Snapshot, processes: readonly ProcessInfo[], stuckAfterMs = DEFAULT_STUCK_AFTER_MS, replay?: ReplayOrigin): string {
  const zombieGroups: Record<string, number[]> = {};
  for (const p of snapshot.processes) if (p.state === 'Z' && !p.thread) (zombieGroups[String(p.ppid)] ??= []).push(p.pid);
  const s = snapshot.system;
  const doc = {
    version: JSON_SCHEMA_VERSION,
    time: new Date(snapshot.time).toISOString(),
    interval: snapshot.interval ?? null,
    ...(replay ? { replay: { store: replay.store, frameTime: new Date(replay.frameTime).toISOString(), host: replay.host, bootId: replay.bootId } } : {}),
    system: {
      uptime: s.uptime,
      bootTime: new Date(s.bootTime).toISOString(),
      load: s.load,
      cpu: s.cpu,
      cpus: s.cpus,
      memory: s.memory,
      disk: s.disk ?? null,
      net: s.net ?? null,
    },
    processCount: snapshot.processCount,
    threadCount: snapshot.threadCount,
    states: snapshot.states,
    zombieGroups,
    processes: processes.map((p) => jsonProcess(p, snapshot.time, stuckAfterMs)),
    cgroups: snapshot.cgroups.map(jsonCgroup),
    pressure: jsonPressure(snapshot.pressure),
    ownCgroup: jsonOwnCgroup(snapshot.ownCgroup),
  };
  return `${escapeUnsafe(JSON.stringify(doc, null, 2))}\n`;
}

/**
 * JSON.stringify escapes C0 controls but leaves DEL, C1 controls (0x9b is a
 * CSI to some terminals), line separators and bidi overrides raw. They can
 * only occur inside strings, where a \u escape keeps the JSON identical.
 */
export function escapeUnsafe(json: string): string {
  return json.replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
