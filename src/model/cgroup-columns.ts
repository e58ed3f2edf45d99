/**
 * The columns of the cgroup view: one record per column (id, title, width,
 * sort value, cell text), as columns.ts is for processes, so the view, its
 * sort keys, the help and the README cannot disagree.
 */
import type { Limit, Pressure, PressureSet } from '../kernel/cgroup';
import type { CgroupNode } from './cgroup-tree';
import { compactBytes, formatPercent } from './format';
import type { CgroupInfo } from './snapshot';

export interface CgroupColumn {
  /** Stable id (sort key). */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Display width; for the flexible name column, the least it gets. */
  readonly width: number;
  readonly align: 'left' | 'right';
  /** Default direction when sorted by this column (numbers: high first). */
  readonly descending: boolean;
  /** The name column: takes the rest of the line and carries the tree guide. */
  readonly flex?: true;
  /** On a narrow terminal, columns with a rank give way, lowest first (the sort column stays). */
  readonly narrowRank?: number;
  /** What sorting compares; undefined = unknown, sorted last. */
  readonly value: (n: CgroupNode) => number | string | undefined;
  /** The cell, unsanitized (names come from the kernel); '' when unknown: blank is honest, 0 is not. */
  readonly text: (n: CgroupNode) => string;
}

/** A CPU limit as people say it: `1.5 CPUs`, `1 CPU`, `0.25 CPUs`; `none` for `max`. */
export function formatCpuLimit(limit: Limit): string {
  if (limit === 'max') return 'none';
  const n = Number(limit.toFixed(2));
  return `${n} CPU${n === 1 ? '' : 's'}`;
}

/** A memory limit: `4.0G`, or `none` for `max`. */
export function formatMemoryLimit(limit: Limit): string {
  return limit === 'max' ? 'none' : compactBytes(limit);
}

/** A time in the interval, from ms: `0ms`, `850ms`, `1.2s`, `12s`. */
export function formatThrottledTime(ms: number): string {
  if (ms < 999.5) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  return s < 9.95 ? `${s.toFixed(1)}s` : `${Math.round(s)}s`;
}

/** A PSI share, one decimal below 100. */
function psiPercent(v: number): string {
  return v >= 99.95 ? '100' : v.toFixed(1);
}

/** PSI `some/full` avg10 of one resource; only `some` when the kernel gives no `full` (cpu before 5.13). */
export function formatPressure(p: Pressure): string {
  return p.full === undefined ? psiPercent(p.some.avg10) : `${psiPercent(p.some.avg10)}/${psiPercent(p.full.avg10)}`;
}

/** A Limit as a sort value: no limit sorts above every number. */
function limitValue(l: Limit | undefined): number | undefined {
  return l === undefined ? undefined : l === 'max' ? Number.POSITIVE_INFINITY : l;
}

const info = (n: CgroupNode): CgroupInfo | undefined => n.info;
const num = (v: number | undefined, format: (v: number) => string): string => (v === undefined ? '' : format(v));

/** Memory used as a share of the limit, %; undefined without a limit. */
export function memoryOfLimit(c: CgroupInfo | undefined): number | undefined {
  if (c?.memory === undefined || typeof c.memoryLimit !== 'number' || c.memoryLimit <= 0) return undefined;
  return (c.memory * 100) / c.memoryLimit;
}

function pressureColumn(resource: keyof PressureSet, narrowRank: number): CgroupColumn {
  const of = (n: CgroupNode): Pressure | undefined => n.info?.pressure?.[resource];
  return {
    id: `psi-${resource}`, title: `PSI-${resource === 'memory' ? 'MEM' : resource.toUpperCase()}`, width: 9, align: 'right', descending: true, narrowRank,
    description: `${resource}.pressure some/full avg10, % of the last 10 s stalled (v2 only; blank on v1 and where the kernel has no PSI)`,
    value: (n) => of(n)?.some.avg10,
    text: (n) => { const p = of(n); return p === undefined ? '' : formatPressure(p); },
  };
}

/** Every column of the cgroup view, in display order. */
export const CGROUP_COLUMNS: readonly CgroupColumn[] = [
  {
    id: 'name', title: 'CGROUP', width: 12, align: 'left', descending: false, flex: true,
    description: 'The cgroup, as a tree of path components (the v2 path, else the v1 cpu/memory path, as the CGROUP column)',
    value: (n) => n.name, text: (n) => n.name,
  },
  {
    id: 'procs', title: 'PROCS', width: 5, align: 'right', descending: true,
    description: 'Processes in the cgroup and below it (threads not counted)',
    value: (n) => n.processes, text: (n) => String(n.processes),
  },
  {
    id: 'cpu', title: 'CPU%', width: 5, align: 'right', descending: true,
    description: 'CPU used in the interval, % of one core (cpu.stat usage_usec; v1 cpuacct.usage)',
    value: (n) => info(n)?.cpu, text: (n) => num(info(n)?.cpu, formatPercent),
  },
  {
    id: 'cpulimit', title: 'CPU-LIM', width: 9, align: 'right', descending: true,
    description: 'CPU limit in CPUs (cpu.max; v1 cfs_quota_us ÷ cfs_period_us); none = no limit',
    value: (n) => limitValue(info(n)?.cpuLimit),
    text: (n) => { const l = info(n)?.cpuLimit; return l === undefined ? '' : formatCpuLimit(l); },
  },
  {
    id: 'throttled', title: 'THR%', width: 5, align: 'right', descending: true,
    description: '% of the CPU periods in the interval that were throttled (cpu.stat nr_throttled ÷ nr_periods)',
    value: (n) => info(n)?.throttledPercent, text: (n) => num(info(n)?.throttledPercent, formatPercent),
  },
  {
    id: 'throttledtime', title: 'THR-T', width: 6, align: 'right', descending: true,
    description: 'Time throttled in the interval (cpu.stat throttled_usec; v1 throttled_time)',
    value: (n) => info(n)?.throttledMs, text: (n) => num(info(n)?.throttledMs, formatThrottledTime),
  },
  {
    id: 'mem', title: 'MEM', width: 5, align: 'right', descending: true,
    description: 'Memory charged (memory.current; v1 memory.usage_in_bytes)',
    value: (n) => info(n)?.memory, text: (n) => num(info(n)?.memory, compactBytes),
  },
  {
    id: 'memlimit', title: 'MEM-LIM', width: 7, align: 'right', descending: true,
    description: 'Memory limit (memory.max; v1 memory.limit_in_bytes); none = no limit',
    value: (n) => limitValue(info(n)?.memoryLimit),
    text: (n) => { const l = info(n)?.memoryLimit; return l === undefined ? '' : formatMemoryLimit(l); },
  },
  {
    id: 'memofmax', title: 'M%LIM', width: 5, align: 'right', descending: true, narrowRank: 6,
    description: 'Memory used as % of the limit (blank without one): near 100 the cgroup reclaims, then OOM-kills',
    // Above the limit happens briefly (v1 charges before it reclaims); past 999 % the cell says so rather than overflow.
    value: (n) => memoryOfLimit(info(n)), text: (n) => num(memoryOfLimit(info(n)), (v) => (v >= 999.5 ? '>999' : formatPercent(v))),
  },
  {
    id: 'swap', title: 'SWAP', width: 5, align: 'right', descending: true, narrowRank: 3,
    description: 'Swap used (memory.swap.current; v1 memsw.usage_in_bytes − usage_in_bytes)',
    value: (n) => info(n)?.swap, text: (n) => num(info(n)?.swap, compactBytes),
  },
  {
    id: 'oom', title: 'OOM', width: 4, align: 'right', descending: true, narrowRank: 4,
    description: 'OOM kills since the cgroup was made (memory.events oom_kill; v1 memory.oom_control)',
    value: (n) => info(n)?.oomKills, text: (n) => num(info(n)?.oomKills, String),
  },
  {
    id: 'pids', title: 'PIDS', width: 10, align: 'right', descending: true, narrowRank: 5,
    description: 'Tasks in the cgroup against pids.max (pids.current/pids.max)',
    value: (n) => info(n)?.pids,
    text: (n) => {
      const c = info(n);
      if (c?.pids === undefined) return '';
      return c.pidsLimit === undefined ? String(c.pids) : `${c.pids}/${c.pidsLimit}`;
    },
  },
  pressureColumn('cpu', 2),
  pressureColumn('memory', 1),
  pressureColumn('io', 0),
];

/** The column of a sort key, or undefined. */
export function findCgroupColumn(id: string): CgroupColumn | undefined {
  return CGROUP_COLUMNS.find((c) => c.id === id);
}

/**
 * Sort values of the ancestors proctop has no numbers for: the first, in
 * the sort direction, of their descendants' values, so that a slice holding
 * the busiest service sorts where that service would (its cell stays blank).
 * Iterative post-order over the whole tree.
 */
function ancestorKeys(root: CgroupNode, column: CgroupColumn, descending: boolean): Map<CgroupNode, number | string | undefined> {
  const keys = new Map<CgroupNode, number | string | undefined>();
  const order: CgroupNode[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop() as CgroupNode;
    order.push(n);
    stack.push(...n.children);
  }
  const better = (a: number | string | undefined, b: number | string | undefined): number | string | undefined => {
    if (a === undefined) return b;
    if (b === undefined || typeof a !== 'number' || typeof b !== 'number') return a;
    return descending ? Math.max(a, b) : Math.min(a, b);
  };
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i] as CgroupNode;
    let key = column.value(n);
    if (n.info === undefined && key === undefined) for (const c of n.children) key = better(key, keys.get(c));
    keys.set(n, key);
  }
  return keys;
}

/**
 * A comparator over a column: numbers numerically, text case-insensitively,
 * unknowns last either way, ties by path so rows keep their places. Given
 * the tree's root, an ancestor without numbers sorts by its descendants'.
 */
export function cgroupComparator(column: CgroupColumn, descending: boolean, root?: CgroupNode): (a: CgroupNode, b: CgroupNode) => number {
  const sign = descending ? -1 : 1;
  const keys = root === undefined || column.flex ? undefined : ancestorKeys(root, column, descending);
  const valueOf = (n: CgroupNode): number | string | undefined => (keys === undefined ? column.value(n) : keys.get(n));
  return (a, b) => {
    const va = valueOf(a);
    const vb = valueOf(b);
    if (va === undefined || vb === undefined) {
      if (va !== vb) return va === undefined ? 1 : -1;
    } else if (va !== vb) {
      const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : compareText(String(va), String(vb));
      if (c !== 0) return sign * c;
    }
    return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  };
}

function compareText(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
