import type { ProcessFile } from '../kernel/process-files';
import { compactCgroupPath } from './cgroup-names';
import { formatStateAge, formatCpuTime, formatMemory, formatPercent, formatRate, formatStart } from './format';
import { ProcessInfo } from './snapshot';

/** Context a cell may need besides the process (for START). */
export interface CellContext {
  /** Snapshot time, ms since the epoch. */
  readonly now: number;
  /** Local time zone offset in minutes, as Date#getTimezoneOffset gives it. */
  readonly tzOffset: number;
}

/** What a query value of a number field is written in: `cpu>50`, `res>1G`, `age<5m`, `threads>100`. */
export type QueryUnit = 'percent' | 'bytes' | 'duration' | 'count';

/** The value a query compares; durations in milliseconds. `now` is the snapshot time. */
export type QueryGetter = (p: ProcessInfo, ctx: { readonly now: number }) => number | string | undefined;

/**
 * How the filter query reads a column. Its names are the column's id and
 * aliases (so `pgrp`, `res`, `virt` and the older `pgid`, `rss`, `vsz` all
 * work) unless `names` replaces them.
 */
export type QueryField = (
  | { readonly kind: 'number'; readonly unit: QueryUnit; readonly get?: QueryGetter }
  | { readonly kind: 'text'; readonly get?: QueryGetter }
  /** Special equality rules: state letters (case-sensitive), user name or uid, terminal or `none`. */
  | { readonly kind: 'state' | 'user' | 'tty' }
) & {
  /** Query names instead of the column's id and aliases, when the query reads another quantity (START is queried as `age`). */
  readonly names?: readonly string[];
  /** Query-only names, after the id and aliases. */
  readonly extraNames?: readonly string[];
};

/**
 * One column of the process table: everything about it in one record, so
 * sorting, printing, filtering, reading, help and docs can't disagree.
 */
export interface Column {
  /** Stable id used by `--sort-key`, config, JSON and the query language. */
  readonly id: string;
  /** Other names for the id (htop's sort keys, ps field names, older query names), lower case. */
  readonly aliases?: readonly string[];
  /** Header text. */
  readonly title: string;
  readonly description: string;
  /** Display width in columns; for the `flex` column, the least it gets. */
  readonly width: number;
  /**
   * Takes the rest of the line, carries the tree guide and the [orphan]/[deleted] marks,
   * and is always drawn last. At most one column flexes (an invariant test checks).
   */
  readonly flex?: true;
  /**
   * Set on the default columns that can give way on a narrow terminal (lowest first) so the
   * flexible column keeps its room; see `fitColumns`. Columns without it always stay.
   */
  readonly narrowRank?: number;
  readonly align: 'left' | 'right';
  /** Sort high-to-low first (CPU, memory) or low-to-high (PID, user). */
  readonly descending: boolean;
  /** Per-process files beyond stat that a scan must read while this column is shown. */
  readonly needs?: readonly ProcessFile[];
  /** How the filter query reads this column; absent = not a query field. */
  readonly query?: QueryField;
  /** The sortable value; undefined when unknown (sorts last, shows `-`). */
  readonly value: (p: ProcessInfo) => number | string | undefined;
  /** The text of a known value. */
  readonly format: (p: ProcessInfo, ctx: CellContext) => string;
}

type Spec<V> = Omit<Column, 'value' | 'format'> & {
  readonly value: (p: ProcessInfo) => V | undefined;
  readonly format?: (v: V, ctx: CellContext) => string;
};

/** A column record from its typed spec: `format` gets known values only, unknown ones show `-`. */
export function column<V extends number | string>(spec: Spec<V>): Column {
  const format = spec.format ?? ((v: V) => String(v));
  return {
    ...spec,
    format: (p, ctx) => {
      const v = spec.value(p);
      return v === undefined ? '-' : format(v, ctx);
    },
  };
}

const COUNT = { kind: 'number', unit: 'count' } as const;
const PERCENT = { kind: 'number', unit: 'percent' } as const;
const BYTES = { kind: 'number', unit: 'bytes' } as const;
const TEXT = { kind: 'text' } as const;

/**
 * A disk I/O rate column: unknown on a process's first scan (`-`, like CPU%), and `denied` when
 * /proc/PID/io was refused, which must never read as an idle 0.
 */
function ioColumn(id: string, aliases: readonly string[], title: string, description: string, value: (p: ProcessInfo) => number | undefined): Column {
  return {
    ...column<number>({ id, aliases, title, description, width: 7, align: 'right', descending: true, needs: ['io'], query: BYTES, value, format: formatRate }),
    format: (p) => {
      const v = value(p);
      return v !== undefined ? formatRate(v) : p.ioDenied === true ? 'denied' : '-';
    },
  };
}

/** Every column proctop knows, in the order the setup screen lists them. */
export const COLUMNS: readonly Column[] = [
  column<number>({ id: 'pid', title: 'PID', description: 'Process id', width: 7, align: 'right', descending: false, query: COUNT, value: (p) => p.pid }),
  column<number>({ id: 'ppid', title: 'PPID', description: 'Parent process id', width: 7, align: 'right', descending: false, query: COUNT, value: (p) => p.ppid }),
  column<number>({ id: 'pgrp', aliases: ['pgid'], title: 'PGRP', description: 'Process group id', width: 7, align: 'right', descending: false, query: COUNT, value: (p) => p.pgid }),
  column<number>({ id: 'sid', aliases: ['session'], title: 'SID', description: 'Session id', width: 7, align: 'right', descending: false, query: COUNT, value: (p) => p.sid }),
  column<string>({ id: 'tty', title: 'TTY', description: 'Controlling terminal', width: 8, align: 'left', descending: false, query: { kind: 'tty' }, value: (p) => p.tty }),
  column<string>({ id: 'user', title: 'USER', description: 'Owner (effective uid) name', width: 9, align: 'left', descending: false, query: { kind: 'user' }, value: (p) => p.user }),
  column<number>({ id: 'uid', aliases: ['st_uid'], title: 'UID', description: 'Owner uid', width: 6, align: 'right', descending: false, value: (p) => p.uid }),
  column<number>({
    id: 'priority', aliases: ['pri', 'prio'], title: 'PRI', description: 'Kernel scheduling priority (RT = real-time)', width: 3, narrowRank: 2, align: 'right', descending: false,
    query: COUNT, value: (p) => p.priority, format: (v) => (v <= -100 ? 'RT' : String(v)),
  }),
  column<number>({ id: 'nice', aliases: ['ni'], title: 'NI', description: 'Nice value (-20 … 19)', width: 3, narrowRank: 4, align: 'right', descending: false, query: COUNT, value: (p) => p.nice }),
  column<number>({
    id: 'virt', aliases: ['vsz', 'm_virt', 'm_size'], title: 'VIRT', description: 'Virtual memory size', width: 6, narrowRank: 5, align: 'right', descending: true,
    query: BYTES, value: (p) => p.vsz, format: formatMemory,
  }),
  column<number>({ id: 'res', aliases: ['rss', 'm_resident'], title: 'RES', description: 'Resident memory (RSS)', width: 6, align: 'right', descending: true, query: BYTES, value: (p) => p.rss, format: formatMemory }),
  column<number>({
    id: 'shr', aliases: ['m_share'], title: 'SHR', description: 'Resident shared memory', width: 6, narrowRank: 3, align: 'right', descending: true,
    needs: ['statm'], query: BYTES, value: (p) => p.shared, format: formatMemory,
  }),
  column<number>({
    id: 'swap', aliases: ['m_swap', 'vmswap'], title: 'SWAP', description: 'Swapped-out memory (VmSwap in /proc/PID/status; read while shown)', width: 6, align: 'right', descending: true,
    needs: ['status'], query: BYTES, value: (p) => p.swap, format: formatMemory,
  }),
  column<string>({
    id: 'state', aliases: ['s'], title: 'S', description: 'State: R run, S sleep, D disk wait, T stopped, t traced, Z zombie, I idle', width: 1, align: 'left', descending: false,
    query: { kind: 'state' }, value: (p) => p.state,
  }),
  column<number>({ id: 'cpu', aliases: ['percent_cpu', 'cpu%'], title: 'CPU%', description: 'CPU use since the last refresh, % of one core', width: 5, align: 'right', descending: true, query: PERCENT, value: (p) => p.cpu, format: formatPercent }),
  column<number>({ id: 'mem', aliases: ['percent_mem', 'mem%'], title: 'MEM%', description: 'Resident memory as % of RAM', width: 5, align: 'right', descending: true, query: PERCENT, value: (p) => p.mem, format: formatPercent }),
  column<number>({
    id: 'oomscore', aliases: ['oom_score'], title: 'OOM', description: "OOM killer's score, 0 … 2000: the highest dies first (/proc/PID/oom_score)", width: 4, align: 'right', descending: true,
    needs: ['oom_score'], query: COUNT, value: (p) => p.oomScore,
  }),
  column<number>({
    id: 'oomadj', aliases: ['oom_score_adj', 'oom_adj'], title: 'OOMADJ', description: 'OOM score adjustment, −1000 (never killed) … 1000 (/proc/PID/oom_score_adj)', width: 6, align: 'right', descending: true,
    needs: ['oom_score_adj'], query: COUNT, value: (p) => p.oomScoreAdj,
  }),
  ioColumn('ioread', ['io_read_rate', 'rbytes'], 'READ/s', 'Bytes/s read from storage (/proc/PID/io read_bytes; page-cache hits not counted; "denied": not ours to read without root)', (p) => p.ioReadRate),
  ioColumn('iowrite', ['io_write_rate', 'wbytes'], 'WRITE/s', 'Bytes/s written toward storage (/proc/PID/io write_bytes, counted as the page cache is dirtied; "denied" as READ/s)', (p) => p.ioWriteRate),
  column<number>({
    id: 'time', aliases: ['time_plus', 'time+'], title: 'TIME+', description: 'CPU time used (user + system)', width: 9, align: 'right', descending: true,
    query: { kind: 'number', unit: 'duration', get: (p) => p.cpuTime * 1000 }, value: (p) => p.cpuTime, format: formatCpuTime,
  }),
  column<number>({ id: 'threads', aliases: ['nlwp', 'thr'], title: 'THR', description: 'Number of threads (NLWP)', width: 4, narrowRank: 1, align: 'right', descending: true, query: COUNT, value: (p) => p.threads }),
  column<number>({
    id: 'start', aliases: ['starttime'], title: 'START', description: 'Start time (HH:MM today, MonDD this year)', width: 5, align: 'right', descending: false,
    // A query compares how long ago it started (`age<5m`), not the clock time the cell shows.
    query: { kind: 'number', unit: 'duration', names: ['age'], get: (p, ctx) => ctx.now - p.startTime },
    value: (p) => p.startTime, format: (v, ctx) => formatStart(v, ctx.now, ctx.tzOffset),
  }),
  column<string>({ id: 'wchan', title: 'WCHAN', description: 'Kernel function a D-state process waits in', width: 14, align: 'left', descending: false, query: TEXT, value: (p) => p.wchan }),
  {
    ...column<number>({
      id: 'stateage', aliases: ['state-age', 'state_age'], title: 'STATE-AGE', description: 'Time in the current state: Z, D, T from the kernel; else since proctop saw it begin (≥ when earlier)', width: 9, align: 'right', descending: true,
      query: { kind: 'number', unit: 'duration', get: (p, ctx) => ctx.now - p.stateSince },
      // Sorted by age (−since, so a larger value is older) to keep the header arrow true.
      value: (p) => -p.stateSince,
    }),
    format: (p, ctx) => formatStateAge(ctx.now - p.stateSince, p.stateSinceLowerBound === true),
  },
  column<string>({
    id: 'cgroup', title: 'CGROUP', description: 'cgroup path (v2, else the v1 cpu/memory path), shortened: .slice dropped, ids cut to 12', width: 24, align: 'left', descending: false,
    needs: ['cgroup'], query: TEXT, value: (p) => p.cgroup, format: compactCgroupPath,
  }),
  column<string>({
    id: 'container', title: 'CONTAINER', description: 'Container from the cgroup path (docker:, podman:, k8s:qos/pod/…, lxc:, nspawn:)', width: 22, align: 'left', descending: false,
    needs: ['cgroup'], query: TEXT, value: (p) => p.container,
  }),
  column<string>({
    id: 'unit', title: 'UNIT', description: 'systemd unit from the cgroup path (nginx.service, user@1000, session-3)', width: 18, align: 'left', descending: false,
    needs: ['cgroup'], query: TEXT, value: (p) => p.unit,
  }),
  column<string>({ id: 'name', aliases: ['comm'], title: 'NAME', description: 'Kernel short name (comm)', width: 15, align: 'left', descending: false, query: TEXT, value: (p) => p.name }),
  column<string>({ id: 'command', aliases: ['cmd'], title: 'Command', description: 'Full command line', width: 10, flex: true, align: 'left', descending: false, query: TEXT, value: (p) => p.command }),
];

/** htop's default columns. */
export const DEFAULT_COLUMNS: readonly string[] = ['pid', 'user', 'priority', 'nice', 'virt', 'res', 'shr', 'state', 'cpu', 'mem', 'time', 'threads', 'command'];

/**
 * Lookups over one list of columns: proctop's own, or a list a test extends
 * with a column of its own (which is how a test shows that adding a column
 * takes one record and nothing else).
 */
export interface ColumnTable {
  readonly columns: readonly Column[];
  /** The column for an id, alias or title (case-insensitive); undefined when unknown. */
  find(name: string): Column | undefined;
}

/** A {@link ColumnTable} over `columns`. */
export function columnTable(columns: readonly Column[]): ColumnTable {
  const byName = new Map<string, Column>();
  // Ids win over aliases, aliases over titles, whatever the order of the list.
  for (const c of columns) byName.set(c.title.toLowerCase(), c);
  for (const c of columns) for (const a of c.aliases ?? []) byName.set(a.toLowerCase(), c);
  for (const c of columns) byName.set(c.id.toLowerCase(), c);
  return { columns, find: (name) => byName.get(name.toLowerCase()) };
}

const TABLE = columnTable(COLUMNS);

/** The column for an id, alias or title (case-insensitive); undefined when unknown. */
export function findColumn(name: string): Column | undefined {
  return TABLE.find(name);
}

/** Ids in the order they are drawn: the flexible column (if chosen) last, the rest as given. */
export function flexLast(ids: readonly string[], table: ColumnTable = TABLE): string[] {
  const flexes = (id: string): boolean => table.find(id)?.flex === true;
  return [...ids.filter((id) => !flexes(id)), ...ids.filter(flexes)];
}

/** The per-process files a scan must read to show these columns. */
export function filesNeeded(ids: readonly string[], table: ColumnTable = TABLE): ReadonlySet<ProcessFile> {
  return new Set(ids.flatMap((id) => table.find(id)?.needs ?? []));
}
