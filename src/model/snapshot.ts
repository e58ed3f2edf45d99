/**
 * The immutable snapshot: what one sampler tick knows about the system.
 * Everything here is plain data (no methods), so it can be frozen, cloned,
 * printed as JSON and compared in tests.
 */

import type { ProcessState } from '../kernel/process-state';
import type { MemoryInfo } from '../kernel/memory';
import type { Limit, OwnCgroup, PressureSet } from '../kernel/cgroup';

export type { OwnCgroup } from '../kernel/cgroup';

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
  /**
   * The exact bytes of `name`, base64, only when they are not valid UTF-8 (`name` then shows
   * U+FFFD in their place; a comm cut by the kernel inside a character is the common case).
   */
  readonly nameBytes?: string | undefined;
  /** The exact bytes of `command` (argv joined with spaces), base64, only when they are not valid UTF-8. */
  readonly commandBytes?: string | undefined;
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
  /**
   * Swapped-out memory in bytes: /proc/PID/status `VmSwap` (the kernel prints kB). Read only while
   * SWAP is shown, sorted on or queried; undefined then for kernel threads, which have no such line,
   * and whenever it is not read. A thread row carries its process's.
   */
  readonly swap: number | undefined;
  /** The OOM killer's badness, /proc/PID/oom_score (0 … 2000 on current kernels); read only while needed, like swap. */
  readonly oomScore: number | undefined;
  /** /proc/PID/oom_score_adj (−1000 never killed … 1000 first to go); read only while needed, like swap. */
  readonly oomScoreAdj: number | undefined;
  /**
   * Bytes per second this process caused to be fetched from storage: the /proc/PID/io
   * `read_bytes` delta over the time between two scans that both read it (page-cache hits are not
   * counted). Read only while needed; undefined on first sight, for thread rows and when the
   * file is not ours to read (then {@link ProcessInfo.ioDenied} is true).
   */
  readonly ioReadRate: number | undefined;
  /** Bytes per second this process dirtied for storage (`write_bytes`: counted when written to the page cache, not at writeback), as ioReadRate. */
  readonly ioWriteRate: number | undefined;
  /**
   * True when /proc/PID/io was needed but reading it was refused (EACCES: the kernel's ptrace read
   * check, so another user's process without root): the rates are unknown, never 0.
   */
  readonly ioDenied: boolean | undefined;
  /** CPU use since the previous scan, % of one core (100 = one core busy); undefined on the first scan of this process. */
  readonly cpu: number | undefined;
  /** RSS as % of MemTotal, undefined when either is unknown. */
  readonly mem: number | undefined;
  /** Kernel function the process sleeps in (/proc/PID/wchan); read only for D-state processes, else undefined. */
  readonly wchan: string | undefined;
  /**
   * When this process entered its current state, ms since the epoch: for Z, D and T from the
   * kernel (/proc/PID/sched se.exec_start, when it last ran), else from the scan that saw it begin.
   */
  readonly stateSince: number;
  /**
   * True when the state began before proctop first saw the process and the kernel gave no time:
   * `stateSince` is then proctop's first sight and the age a lower bound (shown as `≥38s`).
   * Absent means false (a source that knows no better leaves it out only when it is exact).
   */
  readonly stateSinceLowerBound?: boolean;
  /** True when /proc/PID/exe ends in ` (deleted)`: running a binary that was removed or replaced. Undefined when unreadable. */
  readonly exeDeleted: boolean | undefined;
  /**
   * Orphaned worker: its process group leader is gone and it was adopted by
   * PID 1, or by a subreaper in another session (not a shell's pipeline).
   */
  readonly orphan: boolean;
  /**
   * The process's cgroup path (/proc/PID/cgroup: the v2 `0::` path when below
   * the root or on a pure v2 host, else the v1 `cpu`, `memory` or
   * `name=systemd` path); undefined when cgroups are not being read or the file is unreadable.
   */
  readonly cgroup: string | undefined;
  /** Short container name from the cgroup path (`docker:3f2a9c1b7e4d`, `docker:web-1`, `k8s:burstable/pod1a2b3c4d/containerd:…`); undefined when none. */
  readonly container: string | undefined;
  /** Deepest systemd unit in the cgroup path (`nginx.service`, `user@1000`, `session-3`); undefined when none. */
  readonly unit: string | undefined;
  /**
   * Why the process's cgroup may be hurting it, as space-separated words of
   * {@link CGROUP_FLAGS} (`throttled memlimit`); '' when none or unknown.
   */
  readonly cgroupFlags: string;
}

/**
 * The words of {@link ProcessInfo.cgroupFlags} and {@link CgroupInfo.flags}:
 * `throttled` (CPU-throttled in the last interval), `memlimit` (memory within
 * 10 % of its limit), `oom` (an OOM kill since proctop started watching it),
 * `pressure` (some-PSI avg10 of cpu, memory or io at or above 10 %).
 */
export const CGROUP_FLAGS = ['throttled', 'memlimit', 'oom', 'pressure'] as const;
export type CgroupFlag = (typeof CGROUP_FLAGS)[number];

/**
 * One cgroup that holds processes of the snapshot, with rates over the
 * interval. Files are named for v2 / v1; values from either are in the units given.
 */
export interface CgroupInfo {
  /** The path processes name it by ({@link ProcessInfo.cgroup}). */
  readonly path: string;
  /** Which hierarchy the path is from. */
  readonly version: 1 | 2;
  readonly container: string | undefined;
  readonly unit: string | undefined;
  /** Processes of the snapshot in it (threads not counted). */
  readonly processes: number;
  /** CPU use over the interval, % of one core; from the usage delta (cpu.stat usage_usec / cpuacct.usage). Undefined on the first scan. */
  readonly cpu: number | undefined;
  /** CPU time used since the cgroup was made, µs; cpu.stat usage_usec, v1 cpuacct.usage ÷ 1000. */
  readonly cpuUsageUsec: number | undefined;
  /** CPU limit in CPUs (1.5 = 150 ms per 100 ms); cpu.max, v1 cpu.cfs_quota_us ÷ cpu.cfs_period_us. */
  readonly cpuLimit: Limit | undefined;
  /** % of enforcement periods in the interval that were throttled; cpu.stat nr_throttled / nr_periods deltas. */
  readonly throttledPercent: number | undefined;
  /** Time throttled in the interval, ms; cpu.stat throttled_usec (v1 throttled_time) delta. */
  readonly throttledMs: number | undefined;
  /** Periods and throttled periods since the cgroup was made; cpu.stat nr_periods, nr_throttled. */
  readonly periods: number | undefined;
  readonly throttledPeriods: number | undefined;
  /** Time throttled since the cgroup was made, µs; cpu.stat throttled_usec, v1 throttled_time ÷ 1000. */
  readonly throttledUsec: number | undefined;
  /** Memory charged, bytes; memory.current, v1 memory.usage_in_bytes. */
  readonly memory: number | undefined;
  /** Memory limit, bytes; memory.max, v1 memory.limit_in_bytes. */
  readonly memoryLimit: Limit | undefined;
  /** Swap used, bytes; memory.swap.current, v1 memsw.usage_in_bytes − usage_in_bytes. */
  readonly swap: number | undefined;
  /** OOM kills since the cgroup was made; memory.events oom_kill, v1 memory.oom_control oom_kill. */
  readonly oomKills: number | undefined;
  /** OOM kills since proctop first saw the cgroup. */
  readonly oomKillsSeen: number | undefined;
  /** Tasks in it; pids.current. */
  readonly pids: number | undefined;
  /** pids.max. */
  readonly pidsLimit: Limit | undefined;
  /** The cgroup's own PSI (v2 `*.pressure`); undefined on v1. */
  readonly pressure: PressureSet | undefined;
  /** Space-separated {@link CGROUP_FLAGS}; '' when none. */
  readonly flags: string;
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

/** Whole-disk throughput since the previous scan (/proc/diskstats; partitions, loop, ram, zram, dm and md left out). */
export interface DiskRate {
  /** Bytes read per second (sectors read × 512). */
  readonly read: number;
  /** Bytes written per second. */
  readonly write: number;
  /** Disks counted. */
  readonly disks: number;
}

/** Network throughput since the previous scan (/proc/net/dev of proctop's network namespace, lo left out). */
export interface NetRate {
  /** Bytes received per second. */
  readonly rx: number;
  /** Bytes sent per second. */
  readonly tx: number;
  /** Interfaces counted. */
  readonly interfaces: number;
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
  /** Processes and threads created since boot (/proc/stat `processes`), a counter; undefined when unknown (portable sampler). */
  readonly forks: number | undefined;
  /** Disk throughput; absent on the first scan, without /proc/diskstats (portable sampler) and in frames recorded before it existed. */
  readonly disk?: DiskRate;
  /** Network throughput; absent as {@link SystemInfo.disk} is. */
  readonly net?: NetRate;
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
  /** The cgroups of the listed processes, while cgroups are read (columns, view, --json); else empty. */
  readonly cgroups: readonly CgroupInfo[];
  /** Host PSI from /proc/pressure/*, while the pressure meters are shown or cgroups are read; undefined when the kernel has no PSI. */
  readonly pressure: PressureSet | undefined;
  /**
   * proctop's own cgroup and the tightest limits above it (a container's), while the container
   * meter is shown, MEM% is taken against the cgroup, or --json; undefined otherwise and where
   * /proc/self/cgroup is unreadable (and in frames recorded before it existed).
   */
  readonly ownCgroup: OwnCgroup | undefined;
  /**
   * Set on a monitor's first frame when only the processes on its first screen were read
   * (Sampler.sampleScreen): `processCount` counts every process listed, but `threadCount` and
   * `states` only those read, so the header shows them as not yet counted. The whole frame
   * follows right after the first paint.
   */
  readonly partial?: true;
  /**
   * Set on a live sampler's first scan: which rates, from two scans, come with the next one (the
   * files were read). The header holds their lines (…) so the table does not move down a row when
   * they arrive. Not stored, as `partial` is not.
   */
  readonly ratesNext?: { readonly disk: boolean; readonly net: boolean };
}

/**
 * Processes created (forks and clones) between two scans, from the one
 * counter there is, {@link SystemInfo.forks} (/proc/stat `processes`): a fork
 * storm between two scans shows here even when every child has exited.
 * Undefined when either is unknown or the counter went back (a reboot between them).
 */
export function forksBetween(now: SystemInfo, before: SystemInfo | undefined): number | undefined {
  if (now.forks === undefined || before?.forks === undefined || now.forks < before.forks) return undefined;
  return now.forks - before.forks;
}
