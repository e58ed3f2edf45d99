/**
 * Cgroup families: CPU seconds, CFS periods and throttling, memory and its
 * limit, OOM kills and PSI per cgroup, to a bounded depth and a bounded
 * count. A cgroup deeper than the depth is exported as its ancestor at that
 * depth (the kernel's counters are hierarchical: the ancestor's include it).
 * Past the cap the cgroups with the least CPU time are summed in one
 * `cgroup="other"` series per family. Pure: rows in, families out; the
 * monotonic sums of the `other` counters are kept by {@link CgroupRestCounters}.
 */
import type { PressureSet } from '../kernel/cgroup';
import type { CgroupInfo } from '../model/snapshot';
import type { CgroupRawStats } from '../procfs/cgroup-reader';
import { MetricFamily, Sample } from './metric';

/** The counters a cgroup row carries, in the units they are exported in (seconds, periods, kills). */
export const CGROUP_COUNTERS = [
  'cpuSeconds', 'periods', 'throttledPeriods', 'throttledSeconds', 'oomKills',
  'cpuSome', 'cpuFull', 'memorySome', 'memoryFull', 'ioSome', 'ioFull',
] as const;
export type CgroupCounter = (typeof CGROUP_COUNTERS)[number];
export type CgroupCounterValues = Readonly<Record<CgroupCounter, number | undefined>>;

/** One exported cgroup: its path, cumulative kernel counters and memory gauges (undefined where the layout has no such file). */
export interface CgroupRow {
  readonly path: string;
  readonly counters: CgroupCounterValues;
  readonly memoryBytes: number | undefined;
  /** A numeric limit only (`max` is no limit and exports nothing). */
  readonly memoryLimitBytes: number | undefined;
}

/** The label value of the summed series; a cgroup path always starts with `/`, so it names no cgroup. */
export const REST_CGROUP = 'other';

/** Components of a cgroup path: `/` is 0, `/system.slice/ssh.service` is 2. */
export function cgroupDepth(path: string): number {
  return path.split('/').filter((s) => s !== '').length;
}

/** The ancestor of `path` at `depth` (the path itself when it is no deeper). */
export function truncateCgroup(path: string, depth: number): string {
  const parts = path.split('/').filter((s) => s !== '');
  return parts.length <= depth ? path : `/${parts.slice(0, depth).join('/')}`;
}

/**
 * The cgroups to export, path → hierarchy: each cgroup holding processes,
 * or its ancestor at `depth` when deeper; never the root (the host families
 * cover it).
 */
export function exportTargets(cgroups: readonly CgroupInfo[], depth: number): Map<string, 1 | 2> {
  const targets = new Map<string, 1 | 2>();
  for (const c of cgroups) {
    const path = truncateCgroup(c.path, depth);
    if (cgroupDepth(path) > 0 && !targets.has(path)) targets.set(path, c.version);
  }
  return targets;
}

const micro = (us: number | undefined): number | undefined => (us === undefined ? undefined : us / 1e6);
const numeric = (limit: number | 'max' | undefined): number | undefined => (typeof limit === 'number' ? limit : undefined);

function pressureCounters(p: PressureSet | undefined): Pick<CgroupCounterValues, 'cpuSome' | 'cpuFull' | 'memorySome' | 'memoryFull' | 'ioSome' | 'ioFull'> {
  return {
    cpuSome: micro(p?.cpu?.some.total), cpuFull: micro(p?.cpu?.full?.total),
    memorySome: micro(p?.memory?.some.total), memoryFull: micro(p?.memory?.full?.total),
    ioSome: micro(p?.io?.some.total), ioFull: micro(p?.io?.full?.total),
  };
}

/** A row from the sampler's reading of a cgroup that holds processes. */
export function rowOfInfo(c: CgroupInfo): CgroupRow {
  return {
    path: c.path,
    counters: {
      cpuSeconds: micro(c.cpuUsageUsec), periods: c.periods, throttledPeriods: c.throttledPeriods,
      throttledSeconds: micro(c.throttledUsec), oomKills: c.oomKills, ...pressureCounters(c.pressure),
    },
    memoryBytes: c.memory,
    memoryLimitBytes: numeric(c.memoryLimit),
  };
}

/** A row from a direct read of a cgroup's files (an ancestor standing for deeper cgroups). */
export function rowOfRaw(path: string, raw: CgroupRawStats): CgroupRow {
  return {
    path,
    counters: {
      cpuSeconds: micro(raw.cpu?.usageUsec), periods: raw.cpu?.periods, throttledPeriods: raw.cpu?.throttled,
      throttledSeconds: micro(raw.cpu?.throttledUsec), oomKills: raw.oomKills, ...pressureCounters(raw.pressure),
    },
    memoryBytes: raw.memory,
    memoryLimitBytes: numeric(raw.memoryLimit),
  };
}

/**
 * The `cap` rows with most CPU time since they were made (ties and unknowns
 * by path), and the rest. Cumulative CPU ranks slowly, so the exported set
 * stays put from scrape to scrape instead of flapping with each burst.
 */
export function splitRows(rows: readonly CgroupRow[], cap: number): { kept: CgroupRow[]; rest: CgroupRow[] } {
  const ordered = [...rows].sort((a, b) => (b.counters.cpuSeconds ?? -1) - (a.counters.cpuSeconds ?? -1) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { kept: ordered.slice(0, cap), rest: ordered.slice(cap) };
}

type Extra = readonly (readonly [string, string])[];
interface CounterFamily {
  readonly name: string;
  readonly help: string;
  readonly unit?: string;
  readonly series: readonly (readonly [CgroupCounter, Extra])[];
}

/** The counter families as data: name, help, and which row counter fills each series. */
export const CGROUP_COUNTER_FAMILIES: readonly CounterFamily[] = [
  { name: 'proctop_cgroup_cpu_seconds', unit: 'seconds', help: 'CPU time used by the cgroup and those below it (cpu.stat usage_usec, v1 cpuacct.usage).', series: [['cpuSeconds', []]] },
  { name: 'proctop_cgroup_cpu_periods', help: 'CFS bandwidth periods with runnable tasks, where a CPU quota is enforced (cpu.stat nr_periods).', series: [['periods', []]] },
  { name: 'proctop_cgroup_cpu_throttled_periods', help: 'CFS periods in which the cgroup used up its CPU quota and was throttled (cpu.stat nr_throttled).', series: [['throttledPeriods', []]] },
  { name: 'proctop_cgroup_cpu_throttled_seconds', unit: 'seconds', help: 'Time the cgroup was throttled for (cpu.stat throttled_usec, v1 throttled_time).', series: [['throttledSeconds', []]] },
  { name: 'proctop_cgroup_oom_kills', help: 'Processes OOM-killed in the cgroup (memory.events oom_kill, below it too; v1 memory.oom_control oom_kill, its own).', series: [['oomKills', []]] },
  {
    name: 'proctop_cgroup_pressure_stalled_seconds', unit: 'seconds',
    help: 'Time some (kind some) or all non-idle (kind full) tasks of the cgroup stalled on the resource (v2 *.pressure total).',
    series: [
      ['cpuSome', [['resource', 'cpu'], ['kind', 'some']]], ['cpuFull', [['resource', 'cpu'], ['kind', 'full']]],
      ['memorySome', [['resource', 'memory'], ['kind', 'some']]], ['memoryFull', [['resource', 'memory'], ['kind', 'full']]],
      ['ioSome', [['resource', 'io'], ['kind', 'some']]], ['ioFull', [['resource', 'io'], ['kind', 'full']]],
    ],
  },
];

/**
 * Every cgroup family: kept rows by path, and the `other` series (counters
 * from `restTotals`, present once the rest has held that counter; memory
 * summed over this scan's rest). Limits have no `other` series: a sum of
 * limits limits nothing. Families without a sample are left out.
 */
export function cgroupFamilies(kept: readonly CgroupRow[], rest: readonly CgroupRow[], restTotals: Readonly<Partial<Record<CgroupCounter, number>>>): MetricFamily[] {
  const families: MetricFamily[] = [];
  const push = (family: Omit<MetricFamily, 'samples'>, samples: Sample[]): void => {
    if (samples.length > 0) families.push({ ...family, samples });
  };
  for (const f of CGROUP_COUNTER_FAMILIES) {
    const samples: Sample[] = [];
    for (const row of kept) {
      for (const [key, extra] of f.series) {
        const value = row.counters[key];
        if (value !== undefined) samples.push({ labels: [['cgroup', row.path], ...extra], value });
      }
    }
    for (const [key, extra] of f.series) {
      const total = restTotals[key];
      if (total !== undefined) samples.push({ labels: [['cgroup', REST_CGROUP], ...extra], value: total });
    }
    push({ name: f.name, help: f.help, type: 'counter', ...(f.unit === undefined ? {} : { unit: f.unit }) }, samples);
  }
  const memory: Sample[] = kept.flatMap((r) => (r.memoryBytes === undefined ? [] : [{ labels: [['cgroup', r.path]] as const, value: r.memoryBytes }]));
  const restMemory = rest.filter((r) => r.memoryBytes !== undefined);
  if (restMemory.length > 0) memory.push({ labels: [['cgroup', REST_CGROUP]], value: restMemory.reduce((sum, r) => sum + (r.memoryBytes ?? 0), 0) });
  push({ name: 'proctop_cgroup_memory_bytes', type: 'gauge', unit: 'bytes', help: 'Memory charged to the cgroup and those below it (memory.current, v1 memory.usage_in_bytes).' }, memory);
  const limits: Sample[] = kept.flatMap((r) => (r.memoryLimitBytes === undefined ? [] : [{ labels: [['cgroup', r.path]] as const, value: r.memoryLimitBytes }]));
  push({ name: 'proctop_cgroup_memory_limit_bytes', type: 'gauge', unit: 'bytes', help: 'Memory limit of the cgroup (memory.max, v1 memory.limit_in_bytes); none where unlimited.' }, limits);
  families.push({ name: 'proctop_cgroups_summed', type: 'gauge', help: 'Cgroups beyond --cgroup-cap, summed in the series labelled cgroup other.', samples: [{ labels: [], value: rest.length }] });
  return families;
}

/**
 * The `other` counters must never go down while cgroups move in and out of
 * the rest (or go away). Like a group's counters: the sum, over scans, of each
 * rest cgroup's increase since the previous scan; a cgroup new to the
 * exporter adds its whole value, one that moved from the kept set only its
 * increase, one that went away takes nothing back.
 */
export class CgroupRestCounters {
  private last = new Map<string, CgroupCounterValues>();
  private readonly sums: Partial<Record<CgroupCounter, number>> = {};

  /** Adds one scan: every exported row (to remember its values) and which of them are in the rest. */
  update(rows: readonly CgroupRow[], rest: ReadonlySet<string>): void {
    const next = new Map<string, CgroupCounterValues>();
    for (const row of rows) {
      const before = this.last.get(row.path);
      if (rest.has(row.path)) {
        for (const key of CGROUP_COUNTERS) {
          const value = row.counters[key];
          if (value === undefined) continue;
          const prior = before?.[key];
          this.sums[key] = (this.sums[key] ?? 0) + (prior === undefined ? value : Math.max(0, value - prior));
        }
      }
      next.set(row.path, row.counters);
    }
    this.last = next;
  }

  /** The sums so far; a counter the rest never held is absent. */
  get totals(): Readonly<Partial<Record<CgroupCounter, number>>> {
    return this.sums;
  }
}
