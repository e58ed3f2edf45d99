import type { ProcessFile } from '../kernel/process-files';
import type { IoBytes } from '../procfs/parse/io';
import type { ProcReader } from '../procfs/reader';

/** The per-process fields read from optional files: see their docs on ProcessInfo. */
export interface OptionalFields {
  readonly swap: number | undefined;
  readonly oomScore: number | undefined;
  readonly oomScoreAdj: number | undefined;
  readonly ioReadRate: number | undefined;
  readonly ioWriteRate: number | undefined;
  readonly ioDenied: boolean | undefined;
}

/** Nothing read: every optional field unknown (also what a thread row gets for I/O). */
export const NOTHING_READ: OptionalFields = Object.freeze({
  swap: undefined, oomScore: undefined, oomScoreAdj: undefined, ioReadRate: undefined, ioWriteRate: undefined, ioDenied: undefined,
});

/** What rates need from the scan: this scan's counters (filled in) and the previous scan's. */
export interface IoScan {
  /** Counters read in this scan, by identity key. */
  readonly now: Map<string, IoBytes>;
  /** Counters of the previous scan, by identity key; undefined on the first scan. */
  readonly before: ReadonlyMap<string, IoBytes> | undefined;
  /** ms between the previous scan and this one. */
  readonly intervalMs: number;
}

/** Bytes per second between two counter readings; undefined without a usable interval. */
function rate(now: number, before: number | undefined, intervalMs: number): number | undefined {
  if (before === undefined || intervalMs <= 0) return undefined;
  // The counters only grow; a smaller value would be a kernel oddity, not negative I/O.
  return (Math.max(0, now - before) * 1000) / intervalMs;
}

/**
 * Reads the optional files `files` of one process (never a thread row: the caller gives those
 * their process's memory fields) and turns /proc/PID/io into rates against the previous scan's
 * counters of the same identity (pid + start time, so a reused PID starts afresh). A kernel
 * thread has no VmSwap line: its status is not read.
 */
export function readOptional(reader: ProcReader, pid: number, key: string, kernel: boolean, files: ReadonlySet<ProcessFile>, io: IoScan): OptionalFields {
  if (files.size === 0) return NOTHING_READ;
  let ioReadRate: number | undefined;
  let ioWriteRate: number | undefined;
  let ioDenied: boolean | undefined;
  if (files.has('io')) {
    const counters = reader.readIo(pid);
    ioDenied = counters === 'denied';
    if (counters !== undefined && counters !== 'denied') {
      io.now.set(key, counters);
      const before = io.before?.get(key);
      ioReadRate = rate(counters.read, before?.read, io.intervalMs);
      ioWriteRate = rate(counters.write, before?.write, io.intervalMs);
    }
  }
  return {
    swap: files.has('status') && !kernel ? reader.readSwap(pid) : undefined,
    oomScore: files.has('oom_score') ? reader.readInteger(pid, 'oom_score') : undefined,
    oomScoreAdj: files.has('oom_score_adj') ? reader.readInteger(pid, 'oom_score_adj') : undefined,
    ioReadRate,
    ioWriteRate,
    ioDenied,
  };
}
