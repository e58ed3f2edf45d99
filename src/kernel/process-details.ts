/**
 * What the details panel (Enter on a process) shows, as plain types: read in
 * procfs/details.ts, drawn by view/details-view.ts. They live here, below both,
 * so the view never imports procfs.
 */

/** Why a field is missing: not ours to read, the process exited, or anything else (absent file, odd format). */
export type Unreadable = 'permission denied' | 'gone' | 'unavailable';

/** A field that could not be read says why, so the panel can print "permission denied" instead of crashing or lying. */
export type Field<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: Unreadable };

/** One row of /proc/PID/limits. */
export interface LimitRow {
  /** e.g. `Max open files`. */
  readonly name: string;
  /** A decimal number or `unlimited`, as the kernel prints it. */
  readonly soft: string;
  readonly hard: string;
  /** e.g. `files`, `bytes`; empty for the limits the kernel prints without a unit (nice, realtime priority). */
  readonly units: string;
}

/** The memory sums of /proc/PID/smaps_rollup, in bytes; see procfs/parse/smaps-rollup.ts. */
export interface SmapsRollup {
  readonly rss: number;
  /** Proportional set size: each page divided by the number of processes mapping it. */
  readonly pss: number;
  /** PSS of anonymous, file-backed and shmem pages (Linux 5.9+; undefined before). */
  readonly pssAnon: number | undefined;
  readonly pssFile: number | undefined;
  readonly pssShmem: number | undefined;
  /** Swapped-out bytes, and their proportional share. */
  readonly swap: number | undefined;
  readonly swapPss: number | undefined;
}

/** What the details panel shows for one process; see the field comments for the /proc source of each. */
export interface ProcessDetails {
  readonly pid: number;
  readonly startTicks: number;
  /** /proc/PID/cmdline; [] for kernel threads and zombies. */
  readonly argv: Field<readonly string[]>;
  /** readlink /proc/PID/exe; may end in ' (deleted)' when the binary was replaced. */
  readonly exe: Field<string>;
  /** readlink /proc/PID/cwd. */
  readonly cwd: Field<string>;
  /** State letter, /proc/PID/stat field 3. */
  readonly state: string;
  /** /proc/PID/wchan: kernel function it sleeps in; '' when running. */
  readonly wchan: Field<string>;
  /** Parent, grandparent, … up to PID 1 or a process with no visible parent, from each one's stat. */
  readonly parentChain: readonly { pid: number; name: string }[];
  /** Processes whose stat ppid is this pid, by pid. */
  readonly children: readonly { pid: number; name: string; state: string }[];
  /** /proc/PID/task/TID/stat; cpuTicks = utime + stime, so the caller can take CPU% from two reads. */
  readonly threads: Field<readonly { tid: number; name: string; state: string; cpuTicks: number }[]>;
  /** Start, ms since the epoch (btime of /proc/stat + stat field 22). */
  readonly startTime: number;
  /** status `Uid:` real, effective, saved, fs. */
  readonly uids: Field<readonly number[]>;
  /** status `Gid:` in the same order. */
  readonly gids: Field<readonly number[]>;
  /** stat field 19. */
  readonly nice: number;
  /** stat field 18. */
  readonly priority: number;
  /** status `Cpus_allowed_list`. */
  readonly cpusAllowed: Field<string>;
  /** /proc/PID/cgroup, see {@link cgroupSummary}. */
  readonly cgroup: Field<string>;
  /** Names in /proc/PID/ns whose link target differs from /proc/1/ns: a hint that it runs in a container. */
  readonly namespacesDifferingFromInit: Field<readonly string[]>;
  /** Entries in /proc/PID/fd. */
  readonly openFiles: Field<number>;
  /** /proc/PID/limits rows. */
  readonly limits: Field<readonly LimitRow[]>;
  /** /proc/PID/io counters (rchar, wchar, read_bytes, write_bytes, …). */
  readonly io: Field<Readonly<Record<string, number>>>;
  /** /proc/PID/smaps_rollup: PSS and its parts; needs ptrace read access, like io. */
  readonly memory: Field<SmapsRollup>;
  /** status `VmSwap`. */
  readonly swap: Field<number>;
  /** /proc/PID/oom_score. */
  readonly oomScore: Field<number>;
  /** /proc/PID/oom_score_adj. */
  readonly oomScoreAdj: Field<number>;
  /** status `voluntary_ctxt_switches` and `nonvoluntary_ctxt_switches`. */
  readonly contextSwitches: Field<{ voluntary: number; involuntary: number }>;
  /** status `TracerPid`: who ptrace-attached it (strace, gdb); 0 when nobody. */
  readonly tracerPid: Field<number>;
}
