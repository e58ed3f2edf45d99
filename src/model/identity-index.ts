import type { ProcessIdentity, Snapshot } from './snapshot';

/** A set of identity keys (`pid:startTicks`, see identityKey): a Set or Map of them will do. */
export interface KeySet {
  has(key: string): boolean;
}

const ZERO = 48;
const NINE = 57;

/**
 * The identities (pid + start time) of a snapshot's rows, asked by row or by key without a key
 * string made per row: a Set of 2,000 keys per frame (twice, with the previous frame's) was over
 * half a MiB of garbage a refresh.
 */
export class IdentityIndex implements KeySet {
  private readonly starts = new Map<number, number>();
  /** Keys of rows that share a pid with another row (never in a live scan; a doctored recording may). */
  private readonly shared = new Set<string>();

  constructor(rows: readonly ProcessIdentity[]) {
    for (const p of rows) {
      const start = this.starts.get(p.pid);
      if (start === undefined) this.starts.set(p.pid, p.startTicks);
      else if (start !== p.startTicks) this.shared.add(`${p.pid}:${start}`).add(`${p.pid}:${p.startTicks}`);
    }
  }

  hasProcess(p: ProcessIdentity): boolean {
    return this.starts.get(p.pid) === p.startTicks || (this.shared.size > 0 && this.shared.has(`${p.pid}:${p.startTicks}`));
  }

  /** Whether `key` is the identity key of a row: its two numbers read from its digits. */
  has(key: string): boolean {
    const colon = key.indexOf(':');
    const pid = digits(key, 0, colon);
    const start = digits(key, colon + 1, key.length);
    if (pid === undefined || start === undefined) return false;
    return this.starts.get(pid) === start || (this.shared.size > 0 && this.shared.has(key));
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
