/**
 * The immutable snapshot: what one sampler tick knows about the system.
 * Everything here is plain data (no methods), so it can be frozen, cloned,
 * printed as JSON and compared in tests.
 */

import type { ProcessState } from '../kernel/process-state';
import type { MemoryInfo } from '../kernel/memory';

// The state letters and the memory record live in kernel/, below both procfs/ and model/.
export { PROCESS_STATES, STATE_NAMES, type ProcessState } from '../kernel/process-state';
export type { MemoryInfo } from '../kernel/memory';

/** Identity of a process across scans: a PID alone is reused by the kernel. */
export interface ProcessIdentity {
  /** Process (or thread) id. */
  readonly pid: number;
  /** Start time in clock ticks after boot; /proc/PID/stat field 22. */
  readonly startTicks: number;
}

/** The key used for maps keyed by identity. */
export function identityKey(id: ProcessIdentity): string {
  return `${id.pid}:${id.startTicks}`;
}

/** One process (or, when threads are shown, one thread) in a snapshot. */
export interface ProcessInfo extends ProcessIdentity {
  /** Parent pid; /proc/PID/stat field 4. */
  readonly ppid: number;
  /** Thread group id: equals pid for a process, the owning process's pid for a thread. */
  readonly tgid: number;
  /** Process group id; stat field 5. */
  readonly pgid: number;
  /** Session id; stat field 6. */
  readonly sid: number;
  /** Controlling terminal as a name (`pts/3`, `tty1`), undefined when none; from stat field 7. */
  readonly tty: string | undefined;
  /** State letter; stat field 3. */
  readonly state: ProcessState;
  /** Kernel's short name (comm, up to 15 bytes), exactly as read; stat field 2. */
  readonly name: string;
  /** argv joined with spaces; `[comm]` for kernel threads and processes without argv. */
  readonly command: string;
  /** True for kernel threads (PF_KTHREAD in stat field 9). */
  readonly kernel: boolean;
  /** True when this row is a thread of process `tgid` rather than a process. */
  readonly thread: boolean;
  /** Owner of /proc/PID: the effective uid, as ps's USER and htop show; undefined when unreadable. */
  readonly uid: number | undefined;
  /** User name from the passwd file, or the uid as text when it has no name; undefined when the uid is unknown. */
  readonly user: string | undefined;
  /** Kernel priority as shown by top/htop (stat field 18); negative for real-time. */
  readonly priority: number;
  /** Nice value -20..19; stat field 19. */
  readonly nice: number;
  /** Number of threads; stat field 20. */
  readonly threads: number;
  /** Start time, milliseconds since the Unix epoch (boot time + startTicks). */
  readonly startTime: number;
  /** utime + stime in clock ticks; stat fields 14 and 15. */
  readonly cpuTicks: number;
  /** utime + stime in seconds. */
  readonly cpuTime: number;
  /**
   * Resident set size in bytes: /proc/PID/statm field 2 × page size, as top and htop (and VmRSS);
   * stat field 24 (an approximate per-CPU sum on current kernels) only when statm was unreadable.
   */
  readonly rss: number | undefined;
  /** Virtual memory size in bytes; stat field 23. */
  readonly vsz: number;
  /** Resident shared pages in bytes (/proc/PID/statm field 3), undefined when unreadable. */
  readonly shared: number | undefined;
  /** CPU use since the previous scan, % of one core (100 = one core busy); undefined on the first scan of this process. */
  readonly cpu: number | undefined;
  /** RSS as % of MemTotal, undefined when either is unknown. */
  readonly mem: number | undefined;
  /** Kernel function the process sleeps in (/proc/PID/wchan); read only for D-state processes, else undefined. */
  readonly wchan: string | undefined;
  /** When this process was first seen in its current state, ms since the epoch (tracked across scans). */
  readonly stateSince: number;
  /** True when /proc/PID/exe ends in ` (deleted)`: running a binary that was removed or replaced. Undefined when unreadable. */
  readonly exeDeleted: boolean | undefined;
  /**
   * Orphaned worker: its process group leader is gone and it was adopted by
   * PID 1, or by a subreaper in another session (not a shell's pipeline).
   */
  readonly orphan: boolean;
}

/** Busy shares of one CPU (or of all CPUs together) since the previous scan, in percent of that CPU. */
export interface CpuUsage {
  readonly user: number;
  readonly system: number;
  readonly iowait: number;
  readonly steal: number;
  /** irq + softirq. */
  readonly other: number;
  /** user + system + steal + other (iowait is idle time waiting, as htop counts it apart). */
  readonly busy: number;
}

/** Host-wide facts of one scan. */
export interface SystemInfo {
  /** All CPUs together. */
  readonly cpu: CpuUsage;
  /** One entry per CPU, in /proc/stat order. */
  readonly cpus: readonly CpuUsage[];
  readonly memory: MemoryInfo;
  /** 1, 5 and 15 minute load averages. */
  readonly load: readonly [number, number, number];
  /** Seconds since boot. */
  readonly uptime: number;
  /** Boot time, milliseconds since the Unix epoch. */
  readonly bootTime: number;
}

/** Count of processes per state letter. */
export type StateCounts = Readonly<Record<ProcessState, number>>;

/** One scan of the system. */
export interface Snapshot {
  /** Wall-clock time of the scan, milliseconds since the Unix epoch. */
  readonly time: number;
  /** Milliseconds since the previous scan; undefined for the first. */
  readonly interval: number | undefined;
  readonly system: SystemInfo;
  /** Processes (and threads, when asked for), in the order read. */
  readonly processes: readonly ProcessInfo[];
  /** Number of processes (threads not counted). */
  readonly processCount: number;
  /** Number of threads of all processes (sum of `threads`, kernel threads excluded). */
  readonly threadCount: number;
  /** Processes per state (threads not counted). */
  readonly states: StateCounts;
  /**
   * Processes created (forks and clones) since the previous scan, from the
   * /proc/stat `processes` counter: a fork storm between two scans shows here
   * even when every child has exited. Undefined on the first scan or when unknown.
   */
  readonly forks: number | undefined;
}
