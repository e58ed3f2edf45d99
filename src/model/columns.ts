import { formatAge, formatCpuTime, formatMemory, formatPercent, formatStart } from './format';
import { ProcessInfo } from './snapshot';

/** Context a cell may need besides the process (for START). */
export interface CellContext {
  /** Snapshot time, ms since the epoch. */
  readonly now: number;
  /** Local time zone offset in minutes, as Date#getTimezoneOffset gives it. */
  readonly tzOffset: number;
}

/**
 * One column of the process table: everything about it in one record, so
 * sorting, printing, help and docs can't disagree.
 */
export interface Column {
  /** Stable id used by `--sort-key`, config and docs. */
  readonly id: string;
  /** Header text. */
  readonly title: string;
  readonly description: string;
  /** Display width in columns; 0 = takes the rest of the line (last column only). */
  readonly width: number;
  /**
   * Set on the default columns that can give way on a narrow terminal (lowest first) so the
   * command keeps its room; see `fitColumns`. Columns without it always stay.
   */
  readonly narrowRank?: number;
  readonly align: 'left' | 'right';
  /** Sort high-to-low first (CPU, memory) or low-to-high (PID, user). */
  readonly descending: boolean;
  /** The sortable value; undefined when unknown (sorts last, shows `-`). */
  readonly value: (p: ProcessInfo) => number | string | undefined;
  /** The text of a known value. */
  readonly format: (p: ProcessInfo, ctx: CellContext) => string;
}

type Spec<V> = Omit<Column, 'value' | 'format'> & {
  readonly value: (p: ProcessInfo) => V | undefined;
  readonly format?: (v: V, ctx: CellContext) => string;
};

function column<V extends number | string>(spec: Spec<V>): Column {
  const format = spec.format ?? ((v: V) => String(v));
  return {
    ...spec,
    format: (p, ctx) => {
      const v = spec.value(p);
      return v === undefined ? '-' : format(v, ctx);
    },
  };
}

/** Every column proctop knows, in the order the setup screen lists them. */
export const COLUMNS: readonly Column[] = [
  column<number>({ id: 'pid', title: 'PID', description: 'Process id', width: 7, align: 'right', descending: false, value: (p) => p.pid }),
  column<number>({ id: 'ppid', title: 'PPID', description: 'Parent process id', width: 7, align: 'right', descending: false, value: (p) => p.ppid }),
  column<number>({ id: 'pgrp', title: 'PGRP', description: 'Process group id', width: 7, align: 'right', descending: false, value: (p) => p.pgid }),
  column<number>({ id: 'sid', title: 'SID', description: 'Session id', width: 7, align: 'right', descending: false, value: (p) => p.sid }),
  column<string>({ id: 'tty', title: 'TTY', description: 'Controlling terminal', width: 8, align: 'left', descending: false, value: (p) => p.tty }),
  column<string>({ id: 'user', title: 'USER', description: 'Owner (effective uid) name', width: 9, align: 'left', descending: false, value: (p) => p.user }),
  column<number>({ id: 'uid', title: 'UID', description: 'Owner uid', width: 6, align: 'right', descending: false, value: (p) => p.uid }),
  column<number>({
    id: 'priority', title: 'PRI', description: 'Kernel scheduling priority (RT = real-time)', width: 3, narrowRank: 2, align: 'right', descending: false,
    value: (p) => p.priority, format: (v) => (v <= -100 ? 'RT' : String(v)),
  }),
  column<number>({ id: 'nice', title: 'NI', description: 'Nice value (-20 … 19)', width: 3, narrowRank: 4, align: 'right', descending: false, value: (p) => p.nice }),
  column<number>({ id: 'virt', title: 'VIRT', description: 'Virtual memory size', width: 6, narrowRank: 5, align: 'right', descending: true, value: (p) => p.vsz, format: formatMemory }),
  column<number>({ id: 'res', title: 'RES', description: 'Resident memory (RSS)', width: 6, align: 'right', descending: true, value: (p) => p.rss, format: formatMemory }),
  column<number>({ id: 'shr', title: 'SHR', description: 'Resident shared memory', width: 6, narrowRank: 3, align: 'right', descending: true, value: (p) => p.shared, format: formatMemory }),
  column<string>({ id: 'state', title: 'S', description: 'State: R run, S sleep, D disk wait, T stopped, t traced, Z zombie, I idle', width: 1, align: 'left', descending: false, value: (p) => p.state }),
  column<number>({ id: 'cpu', title: 'CPU%', description: 'CPU use since the last refresh, % of one core', width: 5, align: 'right', descending: true, value: (p) => p.cpu, format: formatPercent }),
  column<number>({ id: 'mem', title: 'MEM%', description: 'Resident memory as % of RAM', width: 5, align: 'right', descending: true, value: (p) => p.mem, format: formatPercent }),
  column<number>({ id: 'time', title: 'TIME+', description: 'CPU time used (user + system)', width: 9, align: 'right', descending: true, value: (p) => p.cpuTime, format: formatCpuTime }),
  column<number>({ id: 'threads', title: 'THR', description: 'Number of threads (NLWP)', width: 4, narrowRank: 1, align: 'right', descending: true, value: (p) => p.threads }),
  column<number>({
    id: 'start', title: 'START', description: 'Start time (HH:MM today, MonDD this year)', width: 5, align: 'right', descending: false,
    value: (p) => p.startTime, format: (v, ctx) => formatStart(v, ctx.now, ctx.tzOffset),
  }),
  column<string>({ id: 'wchan', title: 'WCHAN', description: 'Kernel function a D-state process waits in', width: 14, align: 'left', descending: false, value: (p) => p.wchan }),
  column<number>({
    id: 'stateage', title: 'STATE-AGE', description: 'Time in the current state (tracked since proctop saw it change)', width: 9, align: 'right', descending: true,
    // Sorted by age (−since, so a larger value is older) to keep the header arrow true.
    value: (p) => -p.stateSince, format: (v, ctx) => formatAge((ctx.now + v) / 1000),
  }),
  column<string>({ id: 'name', title: 'NAME', description: 'Kernel short name (comm)', width: 15, align: 'left', descending: false, value: (p) => p.name }),
  column<string>({ id: 'command', title: 'Command', description: 'Full command line', width: 0, align: 'left', descending: false, value: (p) => p.command }),
];

/** htop's default columns. */
export const DEFAULT_COLUMNS: readonly string[] = ['pid', 'user', 'priority', 'nice', 'virt', 'res', 'shr', 'state', 'cpu', 'mem', 'time', 'threads', 'command'];

/** Other names accepted for a column id: htop's sort-key names and the titles. */
const ALIASES: Readonly<Record<string, string>> = {
  percent_cpu: 'cpu', percent_mem: 'mem', m_resident: 'res', m_virt: 'virt', m_share: 'shr', m_size: 'virt',
  st_uid: 'uid', time_plus: 'time', nlwp: 'threads', comm: 'name', cmd: 'command', prio: 'priority',
  ni: 'nice', s: 'state', rss: 'res', vsz: 'virt', pgid: 'pgrp', thr: 'threads', 'cpu%': 'cpu', 'mem%': 'mem', 'time+': 'time',
  pri: 'priority', starttime: 'start', session: 'sid', 'state-age': 'stateage', state_age: 'stateage',
};

const BY_ID: ReadonlyMap<string, Column> = new Map(COLUMNS.map((c) => [c.id, c]));

/** The column for an id, alias or title (case-insensitive); undefined when unknown. */
export function findColumn(name: string): Column | undefined {
  const key = name.toLowerCase();
  return BY_ID.get(key) ?? BY_ID.get(ALIASES[key] ?? '');
}
