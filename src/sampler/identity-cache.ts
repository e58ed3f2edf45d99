import { identityKey, ProcessIdentity } from '../model/snapshot';
import type { KeySet } from '../model/identity-index';
import type { StatmRecord } from '../procfs/parse/statm';

/** What the sampler caches per process lifetime. */
export interface IdentityFacts {
  /** The comm when argv was read; a different comm later means an exec. */
  readonly comm: string;
  /** stat's arg_start when argv was read: an exec that keeps the name (sh → sh) still moves it. */
  readonly argStart: number;
  /** Wall time (ms) argv was read, for the slow re-read. */
  readonly readAt: number;
  readonly command: string;
  /** Base64 of the comm's exact bytes when they are not valid UTF-8. */
  readonly nameBytes: string | undefined;
  /** Base64 of the command's exact bytes when they are not valid UTF-8. */
  readonly commandBytes: string | undefined;
  readonly kernel: boolean;
  readonly uid: number | undefined;
  readonly user: string | undefined;
}

/** What the sampler remembers of a process's state across scans. */
export interface StateTrack {
  readonly state: string;
  /** When the state began (ms since the epoch): the kernel's word, or the first scan that saw it. */
  readonly since: number;
  /** The state began at or before `since` (proctop's first sight, no word from the kernel). */
  readonly lowerBound: boolean;
}

/** A statm reading and the /proc/PID/stat fields read beside it, whose change calls for a new one. */
export interface MemoryReading {
  readonly statm: StatmRecord;
  /** stat fields 10 and 12: page faults (a page mapped in comes through one). */
  readonly minflt: number;
  readonly majflt: number;
  /** stat fields 14 + 15, clock ticks. */
  readonly ticks: number;
  /** stat field 23, bytes. */
  readonly vsize: number;
  /** stat field 24, pages. */
  readonly rssPages: number;
  /** Wall time (ms) statm was read. */
  readonly readAt: number;
}

/**
 * Facts that rarely change for one process lifetime (argv, uid, kernel flag),
 * keyed by pid + start time so PID reuse can't mix two processes' facts.
 */
export class IdentityCache<T> {
  private readonly entries = new Map<string, T>();

  /** The cached value when `fresh` accepts it, else a newly loaded one. */
  get(id: ProcessIdentity, fresh: (cached: T) => boolean, load: () => T): T {
    const key = identityKey(id);
    let value = this.entries.get(key);
    if (value === undefined || !fresh(value)) {
      value = load();
      this.entries.set(key, value);
    }
    return value;
  }

  /**
   * The entry under `key` (an {@link identityKey}), without a freshness check. With
   * {@link IdentityCache.put}, the sampler's closure-free form of get(): two closures per
   * cache per process per scan were a tenth of a scan's garbage.
   */
  peek(key: string): T | undefined {
    return this.entries.get(key);
  }

  /** Stores `value` under `key` and returns it. */
  put(key: string, value: T): T {
    this.entries.set(key, value);
    return value;
  }

  /** Drops every entry whose key is not in `alive`: the cache never outgrows the process table. */
  retainOnly(alive: KeySet): void {
    for (const key of this.entries.keys()) if (!alive.has(key)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
