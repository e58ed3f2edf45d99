import type { PressureSet } from '../kernel/cgroup';
import type { CgroupInfo, CgroupFlag } from '../model/snapshot';
import type { CgroupRawStats } from '../procfs/cgroup-reader';
import { quotaCpus } from '../procfs/parse/cgroup-cpu';

/** Memory within this share of its limit flags `memlimit` (the "within 10 %"). */
export const MEMLIMIT_SHARE = 0.9;
/** A some-PSI avg10 (%) at or above this flags `pressure`. */
export const PRESSURE_FLAG_PERCENT = 10;

/** What one scan keeps of a cgroup to turn the next scan's counters into rates. */
export interface CgroupCounters {
  /** Scan time, ms since the epoch. */
  readonly time: number;
  readonly usageUsec: number | undefined;
  readonly periods: number | undefined;
  readonly throttled: number | undefined;
  readonly throttledUsec: number | undefined;
}

/** The counters of a raw read, stamped with the scan time. */
export function countersOf(raw: CgroupRawStats, time: number): CgroupCounters {
  return { time, usageUsec: raw.cpu?.usageUsec, periods: raw.cpu?.periods, throttled: raw.cpu?.throttled, throttledUsec: raw.cpu?.throttledUsec };
}

/** b − a when both are known and the counter did not go back (a cgroup removed and made again). */
function delta(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b < a ? undefined : b - a;
}

/** Identity facts of a cgroup row: its path, hierarchy, names and how many processes it holds. */
export interface CgroupIdentity {
  readonly path: string;
  readonly version: 1 | 2;
  readonly container: string | undefined;
  readonly unit: string | undefined;
  readonly processes: number;
}

/**
 * One cgroup row from this scan's raw read and the previous scan's counters:
 * CPU% from the usage delta over wall time, throttled % of the periods that
 * passed, throttled ms, OOM kills since `oomBaseline`, and the flags.
 */
export function cgroupInfo(id: CgroupIdentity, raw: CgroupRawStats, now: CgroupCounters, prev: CgroupCounters | undefined, oomBaseline: number | undefined): CgroupInfo {
  const elapsedUs = prev === undefined ? undefined : (now.time - prev.time) * 1000;
  const used = delta(prev?.usageUsec, now.usageUsec);
  const periods = delta(prev?.periods, now.periods);
  const throttled = delta(prev?.throttled, now.throttled);
  const throttledUs = delta(prev?.throttledUsec, now.throttledUsec);
  const cpu = used === undefined || elapsedUs === undefined || elapsedUs <= 0 ? undefined : (used * 100) / elapsedUs;
  const oomKillsSeen = raw.oomKills === undefined ? undefined : Math.max(0, raw.oomKills - (oomBaseline ?? raw.oomKills));
  const info: Omit<CgroupInfo, 'flags'> = {
    ...id,
    cpu,
    cpuUsageUsec: now.usageUsec,
    cpuLimit: raw.quota === undefined ? undefined : quotaCpus(raw.quota),
    throttledPercent: periods === undefined || throttled === undefined ? undefined : periods === 0 ? 0 : Math.min(100, (throttled * 100) / periods),
    throttledMs: throttledUs === undefined ? undefined : throttledUs / 1000,
    periods: now.periods,
    throttledPeriods: now.throttled,
    throttledUsec: now.throttledUsec,
    memory: raw.memory,
    memoryLimit: raw.memoryLimit,
    swap: raw.swap,
    oomKills: raw.oomKills,
    oomKillsSeen,
    pids: raw.pids,
    pidsLimit: raw.pidsLimit,
    pressure: raw.pressure,
  };
  return { ...info, flags: cgroupFlags(info, throttled) };
}

/** The flag words of a cgroup row; see CGROUP_FLAGS in model/snapshot.ts. */
export function cgroupFlags(c: Omit<CgroupInfo, 'flags'>, throttledInInterval: number | undefined): string {
  const flags: CgroupFlag[] = [];
  if (throttledInInterval !== undefined && throttledInInterval > 0) flags.push('throttled');
  if (typeof c.memoryLimit === 'number' && c.memory !== undefined && c.memory >= c.memoryLimit * MEMLIMIT_SHARE) flags.push('memlimit');
  if (c.oomKillsSeen !== undefined && c.oomKillsSeen > 0) flags.push('oom');
  if (underPressure(c.pressure)) flags.push('pressure');
  return flags.join(' ');
}

function underPressure(p: PressureSet | undefined): boolean {
  if (p === undefined) return false;
  return [p.cpu, p.memory, p.io].some((r) => r !== undefined && r.some.avg10 >= PRESSURE_FLAG_PERCENT);
}
