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
