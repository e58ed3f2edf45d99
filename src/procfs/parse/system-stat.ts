import { err, ok, Result } from '../../base/result';

/** Cumulative jiffies of one `cpu` line of /proc/stat (proc(5)). */
export interface CpuTimes {
  readonly user: number;
  readonly nice: number;
  readonly system: number;
  readonly idle: number;
  readonly iowait: number;
  readonly irq: number;
  readonly softirq: number;
  readonly steal: number;
}

/** The parts of /proc/stat proctop uses. */
export interface SystemStat {
  /** The aggregate `cpu` line. */
  readonly total: CpuTimes;
  /** `cpu0`, `cpu1`, … in order. */
  readonly cpus: readonly CpuTimes[];
  /** `btime`: boot time, seconds since the epoch. */
  readonly bootTime: number;
  /** `procs_running`: runnable tasks right now. */
  readonly running: number | undefined;
  /** `processes`: forks since boot; undefined when the line is missing. */
  readonly forks: number | undefined;
}

function cpuTimes(fields: readonly string[]): CpuTimes {
  // Older kernels omit the trailing fields; missing counters are zero.
  const n = (i: number): number => Number(fields[i] ?? 0) || 0;
  return { user: n(1), nice: n(2), system: n(3), idle: n(4), iowait: n(5), irq: n(6), softirq: n(7), steal: n(8) };
}

export function parseSystemStat(text: string): Result<SystemStat> {
  let total: CpuTimes | undefined;
  const cpus: CpuTimes[] = [];
  let bootTime: number | undefined;
  let running: number | undefined;
  let forks: number | undefined;
  for (const line of text.split('\n')) {
    const fields = line.split(/\s+/);
    const key = fields[0] ?? '';
    if (key === 'cpu') total = cpuTimes(fields);
    else if (/^cpu\d+$/.test(key)) cpus.push(cpuTimes(fields));
    else if (key === 'btime') bootTime = Number(fields[1]);
    else if (key === 'procs_running') running = Number(fields[1]);
    else if (key === 'processes') forks = Number(fields[1]);
  }
  if (!total || bootTime === undefined || !Number.isFinite(bootTime)) return err('stat: no cpu or btime line');
  return ok({ total, cpus, bootTime, running, forks: forks !== undefined && Number.isSafeInteger(forks) ? forks : undefined });
}
