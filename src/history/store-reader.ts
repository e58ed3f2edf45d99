/**
 * Opens a history store for reading: every segment's header and index (no
 * frames), so a time is found by a binary search and only that frame is
 * read. Damage is reported as warnings and costs only what it hit.
 * With fs: this and store-writer.ts are the store's only file-system code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Snapshot } from '../model/snapshot';
import { DecodeError } from './bytes';
import { FrameLayout, StringTable } from './frame-codec';
import { indexName, SEGMENT_NAME } from './retention';
import { decodeHeader, decodeIndex, RecordKind, RecordRef, SCHEMA_VERSION, SegmentHeader } from './segment-format';
import { ByteSource, listRecords, loadStrings, readFrame } from './segment-scan';

/** One frame of the store, located but not yet read. */
export interface FrameEntry {
  readonly time: number;
  readonly segment: SegmentHandle;
  readonly ref: RecordRef;
}

export interface SegmentHandle {
  readonly name: string;
  readonly header: SegmentHeader;
  readonly layout: FrameLayout;
  readonly records: readonly RecordRef[];
}

/** The oldest schema this build still reads (older segments are refused with the reason). */
export const OLDEST_READABLE_SCHEMA = 1;

export type OpenResult = { readonly ok: true; readonly store: HistoryReader } | { readonly ok: false; readonly message: string };

/** A segment file read on demand through one descriptor. */
class FileSource implements ByteSource {
  private fd: number | undefined;
  readonly size: number;

  constructor(private readonly file: string) {
    this.fd = fs.openSync(file, 'r');
    this.size = fs.fstatSync(this.fd).size;
  }

  read(offset: number, length: number): Buffer {
    const fd = (this.fd ??= fs.openSync(this.file, 'r'));
    const n = Math.max(0, Math.min(length, this.size - offset));
    const buf = Buffer.allocUnsafe(n);
    let done = 0;
    while (done < n) {
      const got = fs.readSync(fd, buf, done, n - done, offset + done);
      if (got === 0) break;
      done += got;
    }
    return buf.subarray(0, done);
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Bytes read for a segment header at first: a header is a few KB (its field list); a longer one is read whole. */
const HEADER_FIRST_READ = 16 * 1024;
const HEADER_MAX = 1024 * 1024;

/**
 * The segment's header. Reading 1 MiB of every segment for it cost ~24 MiB of reads (and
 * buffers) to open a day's store; now 16 KiB, and the header's own length when it says more.
 */
function readHeader(source: FileSource): ReturnType<typeof decodeHeader> {
  const first = source.read(0, HEADER_FIRST_READ);
  if (first.length >= 14) {
    const whole = 14 + first.readUInt32LE(10) + 4;
    if (whole > first.length && whole <= HEADER_MAX && whole <= source.size) return decodeHeader(source.read(0, whole));
  }
  return decodeHeader(first);
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  if (e.code === 'ENOENT') return 'no such directory';
  if (e.code === 'ENOTDIR') return 'not a directory';
  return e.message ?? String(err);
}

/**
 * The index of the last entry with time ≤ `time` in entries sorted by time (ties: the last of
 * them), or -1. A binary search: it reads about log2(n) entries, so a seek in a day of frames
 * (8,640 at 10 s, 86,400 at 1 s) touches 14–17 of them.
 */
export function lastAtOrBefore(entries: ArrayLike<{ readonly time: number }>, time: number): number {
  let lo = 0;
  let hi = entries.length;
  // Invariant: entries[< lo] are ≤ time, entries[≥ hi] are > time.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid].time <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The index of the last entry with time < `time`, or -1 (see {@link lastAtOrBefore}). */
export function lastBefore(entries: ArrayLike<{ readonly time: number }>, time: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid].time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export class HistoryReader {
  /** Every frame of every segment, by time. */
  readonly frames: readonly FrameEntry[];
  readonly segments: readonly SegmentHandle[];
  /** What was skipped and why (damaged records, unreadable segments). */
  readonly warnings: string[];
  private readonly sources = new Map<SegmentHandle, FileSource>();
  private readonly tables = new Map<SegmentHandle, StringTable>();

  /**
   * What the directory looked like just before it was read ({@link HistoryReader.mark}): when the
   * mark of the directory differs, a recorder has written since and a new open sees more.
   */
  readonly mark: string | undefined;

  private constructor(readonly dir: string, segments: SegmentHandle[], sources: Map<SegmentHandle, FileSource>, warnings: string[], mark: string | undefined) {
    this.mark = mark;
    this.segments = segments;
    this.sources = sources;
    this.warnings = warnings;
    const frames: FrameEntry[] = [];
    for (const segment of segments) for (const ref of segment.records) if (ref.kind === RecordKind.Frame) frames.push({ time: ref.time, segment, ref });
    this.frames = frames.sort((a, b) => a.time - b.time);
  }

  /**
   * A cheap fingerprint of what the store holds now: the segment names and the newest one's size
   * (a recorder appends to the newest segment or starts a new one). One readdir and one stat, so
   * a replay following a recorder can ask every refresh; undefined when the directory is unreadable.
   */
  static mark(dir: string): string | undefined {
    try {
      const names = fs.readdirSync(dir).filter((n) => SEGMENT_NAME.test(n)).sort();
      const last = names[names.length - 1];
      return last === undefined ? '' : `${names.join('/')}:${fs.statSync(path.join(dir, last)).size}`;
    } catch {
      return undefined;
    }
  }

  /**
   * Opens the store in `dir`, or says in one line why it cannot. `pick` chooses which of the
   * segments (names, oldest first) to read; all of them by default.
   */
  static open(dir: string, pick?: (names: readonly string[]) => readonly string[]): OpenResult {
    // Taken first: a frame written while the segments are read changes the mark, so it is not missed.
    const mark = HistoryReader.mark(dir);
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => SEGMENT_NAME.test(n)).sort();
    } catch (err) {
      return { ok: false, message: `cannot read the history store ${dir}: ${reason(err)}` };
    }
    if (names.length === 0) return { ok: false, message: `no history in ${dir} (no segments; record with: proctop record --dir ${dir})` };
    if (pick) names = [...pick(names)];
    const segments: SegmentHandle[] = [];
    const sources = new Map<SegmentHandle, FileSource>();
    const warnings: string[] = [];
    for (const name of names) {
      let source: FileSource;
      try {
        source = new FileSource(path.join(dir, name));
      } catch (err) {
        return { ok: false, message: `cannot read the history store ${dir}: ${name}: ${reason(err)}` };
      }
      const head = readHeader(source);
      if (!head.ok) {
        if (head.schema !== undefined && head.schema > SCHEMA_VERSION) {
          source.close();
          return { ok: false, message: `${path.join(dir, name)} was written by a newer proctop (store schema ${head.schema}; this one reads up to ${SCHEMA_VERSION}): use that version to read it` };
        }
        warnings.push(`${name}: ${head.reason}; segment skipped`);
        source.close();
        continue;
      }
      const { header } = head;
      if (header.schema > SCHEMA_VERSION) {
        source.close();
        return { ok: false, message: `${path.join(dir, name)} was written by a newer proctop (store schema ${header.schema}; this one reads up to ${SCHEMA_VERSION}): use that version to read it` };
      }
      if (header.schema < OLDEST_READABLE_SCHEMA) {
        source.close();
        return { ok: false, message: `${path.join(dir, name)} uses store schema ${header.schema}, older than this proctop reads (${OLDEST_READABLE_SCHEMA}..${SCHEMA_VERSION})` };
      }
      let index: RecordRef[] = [];
      try {
        index = decodeIndex(fs.readFileSync(path.join(dir, indexName(name))));
      } catch {
        warnings.push(`${name}: no readable index; scanning the segment`);
      }
      const listed = listRecords(source, head.length, index);
      for (const w of listed.warnings) warnings.push(`${name}: ${w}`);
      const handle: SegmentHandle = { name, header, layout: { process: header.process, snapshot: header.snapshot, clockTicks: header.clockTicks }, records: listed.records };
      segments.push(handle);
      sources.set(handle, source);
    }
    if (segments.length === 0) return { ok: false, message: `no readable history in ${dir}: ${warnings.join('; ')}` };
    return { ok: true, store: new HistoryReader(dir, segments, sources, warnings, mark) };
  }

  /** The index in {@link frames} of the last frame at or before `time`; -1 when the store starts later. O(log n). */
  indexAtOrBefore(time: number): number {
    return lastAtOrBefore(this.frames, time);
  }

  /** The last frame at or before `time`; undefined when the store starts later. */
  frameAtOrBefore(time: number): FrameEntry | undefined {
    const i = this.indexAtOrBefore(time);
    return i < 0 ? undefined : this.frames[i];
  }

  /** Frames with from ≤ time ≤ to, in order (two binary searches, then a slice). */
  framesBetween(from: number, to: number): FrameEntry[] {
    return this.frames.slice(lastBefore(this.frames, from) + 1, lastAtOrBefore(this.frames, to) + 1);
  }

  /** The snapshot of a frame; undefined (with a warning) when it is damaged. */
  read(entry: FrameEntry): Snapshot | undefined {
    const source = this.sources.get(entry.segment) as FileSource;
    try {
      let table = this.tables.get(entry.segment);
      if (!table) {
        const warnings: string[] = [];
        table = loadStrings(source, entry.segment.records, warnings);
        for (const w of warnings) this.warnings.push(`${entry.segment.name}: ${w}`);
        this.tables.set(entry.segment, table);
      }
      return readFrame(source, entry.ref, entry.segment.layout, table);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      this.warnings.push(`${entry.segment.name}: frame at ${new Date(entry.time).toISOString()} (offset ${entry.ref.offset}) is damaged (${err.message}); skipped`);
      return undefined;
    }
  }

  close(): void {
    for (const s of this.sources.values()) s.close();
  }
}
