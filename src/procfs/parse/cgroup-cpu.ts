import { Limit, parseKeyed } from './cgroup-value';
import { err, ok, Result } from '../../base/result';

/**
 * CPU counters of one cgroup, in microseconds and periods. v2's cpu.stat has
 * all of them; on v1 usage comes from cpuacct.usage (ns) and the throttling
 * counters from the cpu controller's cpu.stat (throttled_time in ns).
 */
export interface CpuCounters {
  /** CPU time used by the cgroup, µs; v2 cpu.stat `usage_usec`, v1 cpuacct.usage ÷ 1000. Undefined when not reported. */
  readonly usageUsec: number | undefined;
  /** Enforcement periods that had runnable tasks; cpu.stat `nr_periods` (v1 and v2). */
  readonly periods: number | undefined;
  /** Periods in which the cgroup hit its quota; cpu.stat `nr_throttled`. */
  readonly throttled: number | undefined;
  /** Time spent throttled, µs; v2 `throttled_usec`, v1 `throttled_time` (ns) ÷ 1000. */
  readonly throttledUsec: number | undefined;
}

/**
 * cpu.stat of either version. v2 without the cpu controller enabled (the
 * hybrid `unified` mount) still has usage_usec but no throttling keys: those
 * stay undefined rather than 0, since nothing is being enforced.
 */
export function parseCpuStat(text: string): CpuCounters {
  const keys = parseKeyed(text);
  const ns = keys.get('throttled_time');
  return {
    usageUsec: keys.get('usage_usec'),
    periods: keys.get('nr_periods'),
    throttled: keys.get('nr_throttled'),
    throttledUsec: keys.get('throttled_usec') ?? (ns === undefined ? undefined : Math.floor(ns / 1000)),
  };
}

/** A CPU quota: `quota` µs of CPU time per `period` µs; quota `max` = no limit. */
export interface CpuQuota {
  readonly quota: Limit;
  readonly period: number;
}

/** v2 cpu.max: `max 100000` or `150000 100000`. */
export function parseCpuMax(text: string): Result<CpuQuota> {
  const match = /^(max|\d+) (\d+)\s*$/.exec(text);
  if (!match) return err(`cpu.max: bad value ${JSON.stringify(text.slice(0, 40))}`);
  const period = Number(match[2]);
  if (period === 0) return err('cpu.max: zero period');
  return ok({ quota: match[1] === 'max' ? 'max' : Number(match[1]), period });
}

/** v1 cpu.cfs_quota_us (-1 = no limit) and cpu.cfs_period_us. */
export function parseCfsQuota(quotaText: string, periodText: string): Result<CpuQuota> {
  const quota = quotaText.trim();
  const period = periodText.trim();
  if (!/^-?\d+$/.test(quota) || !/^\d+$/.test(period) || Number(period) === 0) {
    return err(`cpu.cfs_quota_us/cfs_period_us: bad values ${JSON.stringify(`${quota} ${period}`.slice(0, 40))}`);
  }
  return ok({ quota: Number(quota) < 0 ? 'max' : Number(quota), period: Number(period) });
}

/** The limit in CPUs (1.5 = one and a half cores' worth of time), or `max`. */
export function quotaCpus(q: CpuQuota): Limit {
  return q.quota === 'max' ? 'max' : q.quota / q.period;
}
