import * as fs from 'node:fs';
import { orUndefined } from '../base/result';
import { parseStat, StatRecord } from './parse/stat';
import { parseStatm, StatmRecord } from './parse/statm';

/**
 * The descriptor calls {@link HeldFiles} makes: the real ones by default, a fake in tests. Each
 * throws an errno error (`code` ESRCH, EMFILE, …) as node:fs does.
 */
export interface FdCalls {
  open(path: string): number;
  /** Reads from offset 0 into `buffer` (pread): the byte count. */
  pread(fd: number, buffer: Buffer): number;
  close(fd: number): void;
}

/**
 * node:fs: openSync opens with O_CLOEXEC (libuv adds it to every open; /proc/self/fdinfo shows
 * flags 02100000 here), so no child proctop spawns (strace, lsof, tmux, $EDITOR) inherits a held
 * descriptor.
 */
export const NODE_FD_CALLS: FdCalls = {
  open: (path) => fs.openSync(path, 'r'),
  pread: (fd, buffer) => fs.readSync(fd, buffer, 0, buffer.length, 0),
  close: (fd) => fs.closeSync(fd),
};

/** The per-process files a scan re-reads and may hold open. */
export type HeldFile = 'stat' | 'statm';

/** Descriptors left to the rest of proctop at least (sockets, stores, tmux, other /proc reads). */
export const FD_RESERVE = 512;
/** Never more held descriptors than this, whatever the limit. */
export const MAX_HELD_FDS = 65_536;

/**
 * How many descriptors the scan may hold for a soft RLIMIT_NOFILE (`Max open files` of
 * /proc/self/limits; Node raises the soft limit to the hard one at start-up): half of it, and
 * {@link FD_RESERVE} left at least; 0 when unknown.
 */
export function heldFdCap(softLimit: number | undefined): number {
  if (softLimit === undefined || !(softLimit > 0)) return 0;
  return Math.max(0, Math.min(MAX_HELD_FDS, Math.floor(softLimit / 2), softLimit - FD_RESERVE));
}

/** The last bytes read from a held file and the record parsed from them. */
interface LastRead<R> {
  /** Room for the bytes (reused while a new reading fits). */
  bytes: Buffer;
  length: number;
  record: R;
}

/** A process's held descriptors (-1: not held), the scan that last read it, and each file's last reading. */
interface Entry {
  stat: number;
  statm: number;
  seen: number;
  lastStat: LastRead<StatRecord> | undefined;
  lastStatm: LastRead<StatmRecord> | undefined;
}

const errnoOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

/**
 * /proc/PID/stat and statm for the scan, read through descriptors kept open from one scan to the
 * next and re-read with pread, instead of an open/read/close per file per scan (about 2/3 of a
 * scan's time at 2,000 idle processes was opening and closing stat).
 *
 * A held descriptor stays bound to the process it was opened on, never to a later process that
 * reuses the pid. Measured here (kernel 6.18, Node 20): pread on a live or zombie process's stat
 * returns its text (a zombie's stat 157 bytes, its statm `0 0 0 0 0 0 0`); once the process is
 * reaped every pread fails with ESRCH (errno 3). A failed or empty pread drops the process's
 * descriptors and opens the path again: the listing still shows the pid, so it is a new process
 * (the sampler tells it apart by start time, as everywhere), or ENOENT says it is gone.
 *
 * At most `cap` descriptors are held; past it, and after {@link HeldFiles.close}, a read is an
 * open/read/close as before. EMFILE or ENFILE on open shrinks the cap below what is held, closes
 * the excess and opens again: the scan never fails for want of descriptors it holds itself.
 * Processes not read in a scan have their descriptors closed at {@link HeldFiles.endScan}.
 */
export class HeldFiles {
  private readonly entries = new Map<number, Entry>();
  private buffer = Buffer.allocUnsafe(4096);
  private scan = 0;
  private count = 0;
  private limit: number;

  /**
   * @param root the procfs mount.
   * @param cap most descriptors to hold (see {@link heldFdCap}); 0 holds none.
   */
  constructor(private readonly root: string, cap: number, private readonly calls: FdCalls = NODE_FD_CALLS) {
    this.limit = Math.max(0, Math.floor(cap));
  }

  /** Descriptors held now. */
  get held(): number {
    return this.count;
  }

  /** Most descriptors held from now on (lowered by EMFILE/ENFILE and by close). */
  get cap(): number {
    return this.limit;
  }

  /** Starts a scan: processes not read from here to {@link HeldFiles.endScan} lose their descriptors then. */
  beginScan(): void {
    this.scan++;
  }

  /** Closes the descriptors of every process not read since {@link HeldFiles.beginScan}. */
  endScan(): void {
    // forEach, not for-of: no [pid, entry] pair per process per scan (deleting the current entry is safe).
    this.entries.forEach((entry, pid) => {
      if (entry.seen !== this.scan) this.drop(pid, entry);
    });
  }

  /** Closes every held descriptor; later reads open, read and close. */
  close(): void {
    this.limit = 0;
    for (const [pid, entry] of this.entries) this.drop(pid, entry);
  }

  /**
   * A held file whose bytes are those of the last read gives back the record parsed then: a record
   * is a function of the bytes alone (pid and start time are among them), and on an idle host most
   * processes' stat and statm do not change between scans. Decoding and parsing them anew was about
   * half of a scan's garbage (1.7 MiB of 3.5 at 2,000 processes), which keeps V8's young generation
   * at its largest.
   */
  readStat(pid: number): StatRecord | undefined {
    const length = this.read(pid, 'stat');
    if (length === undefined) return undefined;
    const entry = this.entries.get(pid);
    const last = entry?.lastStat;
    if (last !== undefined && this.sameBytes(last, length)) return last.record;
    const record = orUndefined(parseStat(this.buffer.toString('utf8', 0, length)));
    if (entry !== undefined && record !== undefined) entry.lastStat = this.remember(last, length, record);
    return record;
  }

  readStatm(pid: number): StatmRecord | undefined {
    const length = this.read(pid, 'statm');
    if (length === undefined) return undefined;
    const entry = this.entries.get(pid);
    const last = entry?.lastStatm;
    if (last !== undefined && this.sameBytes(last, length)) return last.record;
    const record = orUndefined(parseStatm(this.buffer.toString('utf8', 0, length)));
    if (entry !== undefined && record !== undefined) entry.lastStatm = this.remember(last, length, record);
    return record;
  }

  private sameBytes<R>(last: LastRead<R>, length: number): boolean {
    return last.length === length && this.buffer.compare(last.bytes, 0, length, 0, length) === 0;
  }

  /** The buffer's first `length` bytes and their record, in `last`'s room when they fit. */
  private remember<R>(last: LastRead<R> | undefined, length: number, record: R): LastRead<R> {
    // Room for a few more bytes, as counters grow by a digit now and then; a slice of Node's shared
    // pool, not an ArrayBuffer and a malloc of its own per process.
    const room = last !== undefined && last.bytes.length >= length ? last : { bytes: Buffer.allocUnsafe(length + 16), length, record };
    this.buffer.copy(room.bytes, 0, 0, length);
    room.length = length;
    room.record = record;
    return room;
  }

  /** Reads a process's file into the buffer; its length, or undefined when the process is gone or the file unreadable. */
  private read(pid: number, file: HeldFile): number | undefined {
    const entry = this.entries.get(pid);
    if (entry !== undefined && entry[file] >= 0) {
      const length = this.readAll(entry[file]);
      if (length !== undefined && length > 0) {
        entry.seen = this.scan;
        return length;
      }
      // ESRCH (reaped) or nothing read: that process is gone. Its other file goes too, as it was
      // opened on the same process; the path is opened afresh below.
      this.drop(pid, entry);
    }
    return this.openAndRead(pid, file);
  }

  private openAndRead(pid: number, file: HeldFile): number | undefined {
    const fd = this.open(`${this.root}/${pid}/${file}`);
    if (fd === undefined) return undefined;
    const length = this.readAll(fd);
    if (length === undefined || length === 0 || this.count >= this.limit) {
      this.calls.close(fd);
      return length;
    }
    let entry = this.entries.get(pid);
    if (entry === undefined) {
      entry = { stat: -1, statm: -1, seen: this.scan, lastStat: undefined, lastStatm: undefined };
      this.entries.set(pid, entry);
    }
    entry[file] = fd;
    entry.seen = this.scan;
    this.count++;
    return length;
  }

  private open(path: string): number | undefined {
    try {
      return this.calls.open(path);
    } catch (err) {
      const code = errnoOf(err);
      if (code !== 'EMFILE' && code !== 'ENFILE') return undefined;
    }
    // Out of descriptors: hold fewer from now on (an eighth less, at least 16), then try once more.
    this.shrinkTo(Math.max(0, this.count - Math.max(16, Math.floor(this.count / 8))));
    try {
      return this.calls.open(path);
    } catch {
      return undefined;
    }
  }

  private shrinkTo(cap: number): void {
    this.limit = Math.min(this.limit, cap);
    for (const [pid, entry] of this.entries) {
      if (this.count <= this.limit) break;
      this.drop(pid, entry);
    }
  }

  /** pread from offset 0 until the buffer holds the whole file; undefined on an error (ESRCH once reaped). */
  private readAll(fd: number): number | undefined {
    try {
      for (;;) {
        const length = this.calls.pread(fd, this.buffer);
        // procfs hands the whole file to one read that has room for it.
        if (length < this.buffer.length) return length;
        this.buffer = Buffer.allocUnsafe(this.buffer.length * 2);
      }
    } catch {
      return undefined;
    }
  }

  private drop(pid: number, entry: Entry): void {
    for (const file of ['stat', 'statm'] as const) {
      const fd = entry[file];
      if (fd < 0) continue;
      entry[file] = -1;
      this.count--;
      try {
        this.calls.close(fd);
      } catch {
        // EBADF cannot happen for a descriptor we hold; nothing else to do about a failed close.
      }
    }
    this.entries.delete(pid);
  }
}
