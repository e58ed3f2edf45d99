/** cgroup and PSI values as the kernel reports them: parsed in procfs/, carried by the snapshot, shown by the view. */

/**
 * A limit as cgroupfs writes it: a number, or `max` when there is none.
 * v1 has no `max`: it writes a huge number, which the parsers read as `max`.
 */
export type Limit = number | 'max';

/** One line of a PSI file: share of wall time some (or all) runnable tasks were stalled. */
export interface PressureLine {
  /** % of the last 10 s. */
  readonly avg10: number;
  /** % of the last 60 s. */
  readonly avg60: number;
  /** % of the last 300 s. */
  readonly avg300: number;
  /** Total stall time, µs since boot (or since the cgroup was made). */
  readonly total: number;
}

/**
 * A PSI file (/proc/pressure/{cpu,memory,io}, a v2 cgroup's `*.pressure`).
 * `full` is absent for cpu on kernels before 5.13.
 */
export interface Pressure {
  readonly some: PressureLine;
  readonly full: PressureLine | undefined;
}

/** PSI of the three resources; each undefined where the kernel has no such file (no PSI, v1, unreadable). */
export interface PressureSet {
  readonly cpu: Pressure | undefined;
  readonly memory: Pressure | undefined;
  readonly io: Pressure | undefined;
}

/**
 * proctop's own place: the cgroup it runs in and the tightest limits on the way from it to the
 * root of each hierarchy it can see (inside a container, the container's cgroup is the root of
 * its view, so the container's limits are found there).
 */
export interface OwnCgroup {
  /** proctop's cgroup path, chosen as for any process (the v2 path, else v1 cpu, memory, name=systemd). */
  readonly path: string;
  /** Tightest CPU quota in CPUs (cpu.max, v1 cpu.cfs_quota_us ÷ cpu.cfs_period_us); undefined when none. */
  readonly cpuLimit: number | undefined;
  /** The cgroup whose quota {@link OwnCgroup.cpuLimit} is. */
  readonly cpuLimitPath: string | undefined;
  /** Tightest memory limit, bytes (memory.max, v1 memory.limit_in_bytes or hierarchical_memory_limit); undefined when none. */
  readonly memoryLimit: number | undefined;
  /** The cgroup whose limit {@link OwnCgroup.memoryLimit} is. */
  readonly memoryLimitPath: string | undefined;
}
