/**
 * The field lists that drive the frame encoding. Each is typed so that a
 * field added to ProcessInfo or Snapshot without an entry here (or with an
 * entry of the wrong kind for its type) does not compile: nothing a sampler
 * learns to report can be silently left out of the recording.
 * Pure data.
 */
import type { ProcessInfo, Snapshot } from '../model/snapshot';

/**
 * How one process field is stored, column by column within a frame.
 * - `text`: interned: each distinct string is stored once per segment, rows hold its number
 *   (command lines, names, users: once per segment, not once per frame).
 * - `num`: an exact number (integers as varints, delta against the row before; others as float64).
 * - `flag`: a boolean (or undefined).
 * - a {@link Derived}: usually computed from other fields and the frame; stored only when it differs.
 */
export type ProcessCodec = 'text' | 'num' | 'flag' | Derived;

/** What a derivation may look at: the row decoded so far (every non-derived field) and the frame's host facts. */
export interface DeriveContext {
  readonly row: Readonly<Record<string, unknown>>;
  readonly snapshot: Pick<Snapshot, 'system' | 'time'>;
  /** Clock ticks per second of the recording host. */
  readonly clockTicks: number;
}

export interface Derived {
  readonly derive: (ctx: DeriveContext) => number | undefined;
}

/** The codec kinds that fit a field's type; `never` (a compile error) for a type the store cannot hold yet. */
type CodecFor<T> = [T] extends [boolean | undefined]
  ? 'flag'
  : [T] extends [string | undefined]
    ? 'text'
    : [T] extends [number | undefined]
      ? 'num' | Derived
      : never;

/** Every field of R, each with a codec that fits its type. */
export type FieldTable<R> = { readonly [K in keyof R]-?: CodecFor<R[K]> };

const num = (ctx: DeriveContext, key: string): number | undefined => {
  const v = ctx.row[key];
  return typeof v === 'number' ? v : undefined;
};

/**
 * The process columns, in storage order. The derivations repeat the
 * sampler's arithmetic; where a value differs (another sampler, a
 * different rounding), the value itself is stored, so the round trip is
 * exact either way.
 */
export const PROCESS_FIELDS = {
  pid: 'num',
  startTicks: 'num',
  ppid: 'num',
  tgid: 'num',
  pgid: 'num',
  sid: 'num',
  tty: 'text',
  state: 'text',
  name: 'text',
  command: 'text',
  nameBytes: 'text',
  commandBytes: 'text',
  kernel: 'flag',
  thread: 'flag',
  uid: 'num',
  user: 'text',
  priority: 'num',
  nice: 'num',
  threads: 'num',
  startTime: { derive: (c) => c.snapshot.system.bootTime + ((num(c, 'startTicks') ?? 0) * 1000) / c.clockTicks },
  cpuTicks: 'num',
  cpuTime: { derive: (c) => (num(c, 'cpuTicks') ?? 0) / c.clockTicks },
  rss: 'num',
  vsz: 'num',
  shared: 'num',
  cpu: 'num',
  mem: {
    derive: (c) => {
      const rss = num(c, 'rss');
      const total = c.snapshot.system.memory.total;
      return rss === undefined || !total ? undefined : (rss * 100) / total;
    },
  },
  wchan: 'text',
  stateSince: 'num',
  stateSinceLowerBound: 'flag',
  exeDeleted: 'flag',
  orphan: 'flag',
  cgroup: 'text',
  container: 'text',
  unit: 'text',
  cgroupFlags: 'text',
  // Read only when asked for (sampler setProcessFiles); unknown, and nearly free to store, otherwise.
  swap: 'num',
  oomScore: 'num',
  oomScoreAdj: 'num',
  ioReadRate: 'num',
  ioWriteRate: 'num',
  ioDenied: 'flag',
} as const satisfies FieldTable<ProcessInfo>;

/**
 * How each snapshot field is stored: `rows` is the process table above;
 * `value` goes through the self-describing value codec (any plain data:
 * numbers, strings, arrays, nested objects), so a new host-wide table such
 * as per-cgroup figures needs only its line here. `partial` and `ratesNext`
 * are not stored: they describe a monitor's first frame (partial: stores and
 * the rewind ring take whole frames; ratesNext: what its header shows next).
 */
export type SnapshotCodec = 'rows' | 'value';

export const SNAPSHOT_FIELDS = {
  time: 'value',
  interval: 'value',
  system: 'value',
  processes: 'rows',
  processCount: 'value',
  threadCount: 'value',
  states: 'value',
  cgroups: 'value',
  pressure: 'value',
  ownCgroup: 'value',
} as const satisfies { readonly [K in Exclude<keyof Snapshot, 'partial' | 'ratesNext'>]-?: Snapshot[K] extends readonly ProcessInfo[] ? 'rows' : 'value' };

export type ProcessField = keyof typeof PROCESS_FIELDS;
export type SnapshotField = keyof typeof SNAPSHOT_FIELDS;

/** The field names in storage order, as the segment header lists them (self-description). */
export const PROCESS_FIELD_NAMES = Object.keys(PROCESS_FIELDS) as ProcessField[];
export const SNAPSHOT_FIELD_NAMES = Object.keys(SNAPSHOT_FIELDS) as SnapshotField[];

/** The codec's name as the header records it. */
export function codecName(c: ProcessCodec): string {
  return typeof c === 'string' ? c : 'derived';
}
