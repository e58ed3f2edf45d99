import { CpuUsage } from '../model/snapshot';
import { CpuTimes } from '../procfs/parse/system-stat';

/** Sum of all counters of a cpu line: the jiffies that passed on that CPU. */
export function totalJiffies(t: CpuTimes): number {
  return t.user + t.nice + t.system + t.idle + t.iowait + t.irq + t.softirq + t.steal;
}

const ZERO: CpuTimes = { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0 };

/**
 * Busy shares between two readings of one cpu line. Without a previous
 * reading the shares since boot are returned (what `top` shows first).
 * Counters that went backwards (CPU hot-plug) count as zero.
 */
export function cpuUsage(now: CpuTimes, before: CpuTimes = ZERO): CpuUsage {
  const d = (k: keyof CpuTimes): number => Math.max(0, now[k] - before[k]);
  const period = d('user') + d('nice') + d('system') + d('idle') + d('iowait') + d('irq') + d('softirq') + d('steal');
  if (period === 0) return { user: 0, system: 0, iowait: 0, steal: 0, other: 0, busy: 0 };
  const pct = (jiffies: number): number => (jiffies * 100) / period;
  const user = pct(d('user') + d('nice'));
  const system = pct(d('system'));
  const steal = pct(d('steal'));
  const other = pct(d('irq') + d('softirq'));
  return { user, system, iowait: pct(d('iowait')), steal, other, busy: user + system + steal + other };
}
