import type { ProcessIdentity, Snapshot } from './snapshot';

/** A set of identity keys (`pid:startTicks`, see identityKey): a Set or Map of them will do. */
export interface KeySet {
  has(key: string): boolean;
}

const ZERO = 48;
const NINE = 57;

/** Room for row numbers in an {@link IdentityIndex} entry: 2^23 rows, more than pid_max (2^22) allows. */
const ROW_SPAN = 2 ** 23;
/** Pids below this make exact entries (pid × ROW_SPAN + row < 2^53). */
const PID_LIMIT = 2 ** 30;

/**
 * The identities (pid + start time) of a snapshot's rows, asked by row or by key without a key
 * string made per row: a Set of 2,000 keys per frame (twice, with the previous frame's) was over
 * half a MiB of garbage a refresh, and a Map of pids still ~0.16 MiB. One sorted array of
 * `pid × 2^23 + row number` is 8 bytes a row, sorted natively, searched by bisection.
 */
export class IdentityIndex implements KeySet {
  private readonly order: Float64Array;
  /** Keys of rows whose pid cannot make an entry (negative, fractional or huge: a doctored recording). */
  private readonly odd = new Set<string>();

  constructor(private readonly rows: readonly ProcessIdentity[]) {
    const order = new Float64Array(rows.length);
    let n = 0;
    for (let i = 0; i < rows.length; i++) {
      const pid = (rows[i] as ProcessIdentity).pid;
      if (Number.isInteger(pid) && pid >= 0 && pid < PID_LIMIT && i < ROW_SPAN) order[n++] = pid * ROW_SPAN + i;
      else this.odd.add(`${pid}:${(rows[i] as ProcessIdentity).startTicks}`);
    }
    this.order = order.subarray(0, n).sort();
  }

  hasProcess(p: ProcessIdentity): boolean {
    return this.find(p.pid, p.startTicks) || (this.odd.size > 0 && this.odd.has(`${p.pid}:${p.startTicks}`));
  }

  /** Whether `key` is the identity key of a row: its two numbers read from its digits. */
  has(key: string): boolean {
    const colon = key.indexOf(':');
    const pid = digits(key, 0, colon);
    const start = digits(key, colon + 1, key.length);
    if (pid === undefined || start === undefined) return this.odd.size > 0 && this.odd.has(key);
    return this.find(pid, start) || (this.odd.size > 0 && this.odd.has(key));
  }

  private find(pid: number, startTicks: number): boolean {
    if (!(Number.isInteger(pid) && pid >= 0 && pid < PID_LIMIT)) return false;
    const order = this.order;
    const low = pid * ROW_SPAN;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((order[mid] as number) < low) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < order.length; i++) {
      const row = (order[i] as number) - low;
      if (row >= ROW_SPAN) return false;
      if ((this.rows[row] as ProcessIdentity).startTicks === startTicks) return true;
    }
    return false;
  }
}

/** The pid of an identity key, read from its digits (no slice); undefined when it is not one. */
export function pidOfKey(key: string): number | undefined {
  return digits(key, 0, key.indexOf(':'));
}

/** The decimal number key[from, to), or undefined when it is empty or holds anything but digits. */
function digits(key: string, from: number, to: number): number | undefined {
  if (from < 0 || to <= from) return undefined;
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = key.charCodeAt(i);
    if (c < ZERO || c > NINE) return undefined;
    value = value * 10 + (c - ZERO);
  }
  return value;
}

/** Snapshots are immutable: one index each, made when first asked (a frame and the next both ask for it). */
const indexes = new WeakMap<Snapshot, IdentityIndex>();

export function identityIndex(snapshot: Snapshot): IdentityIndex {
  let index = indexes.get(snapshot);
  if (index === undefined) {
    index = new IdentityIndex(snapshot.processes);
    indexes.set(snapshot, index);
  }
  return index;
}
