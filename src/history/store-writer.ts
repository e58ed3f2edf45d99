/**
 * Appends frames to the store: one segment file and its index at a time,
 * created 0600 in a 0700 directory, written at known offsets only. A write
 * that fails (ENOSPC, EROFS, EIO …) is cut back to the last whole record, so
 * a written frame is never damaged; the records not yet written stay in
 * memory (bounded) and go out, in order, once a write succeeds again.
 * With fs: this and store-reader.ts are the store's only file-system code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Snapshot } from '../model/snapshot';
import { BuiltRecord, SegmentBuilder, SegmentIdentity } from './segment-builder';
import { encodeHeader, encodeIndexEntry, RecordKind } from './segment-format';
import { indexName, RetentionLimits, SEGMENT_NAME, segmentName, segmentsToDelete } from './retention';

export interface StoreWriterOptions extends RetentionLimits {
  readonly dir: string;
  readonly identity: SegmentIdentity;
  readonly now: () => number;
  /** Start a new segment past this size … */
  readonly segmentMaxBytes: number;
  /** … or this age, so retention has whole segments to delete. */
  readonly segmentMaxAgeMs: number;
  /** Records kept in memory while writes fail; past it the oldest frames are dropped. */
  readonly pendingMaxBytes: number;
}

export interface AppendOutcome {
  /** The error that stopped writing, when records are waiting in memory. */
  readonly error: NodeJS.ErrnoException | undefined;
  /** Frames waiting in memory. */
  readonly pendingFrames: number;
  /** Frames dropped from memory so far (the bound was reached while writes failed). */
  readonly droppedFrames: number;
}

interface OpenSegment {
  readonly name: string;
  readonly segFd: number;
  readonly idxFd: number;
  segEnd: number;
  idxEnd: number;
}

export class StoreWriter {
  private builder: SegmentBuilder | undefined;
  private file: OpenSegment | undefined;
  private pending: BuiltRecord[] = [];
  private pendingBytes = 0;
  private dropped = 0;
  private lastRetention = -Infinity;

  constructor(private readonly options: StoreWriterOptions) {}

  /** Encodes a snapshot and writes it (with anything still waiting). */
  append(snapshot: Snapshot): AppendOutcome {
    const now = this.options.now();
    if (this.pending.length === 0 && this.builder && this.file && this.full(this.file, now)) this.rotate();
    this.builder ??= new SegmentBuilder(this.options.identity, now);
    for (const r of this.builder.build(snapshot)) {
      this.pending.push(r);
      this.pendingBytes += r.bytes.length;
    }
    const error = this.flush();
    if (error) this.trimPending();
    if (!error && now - this.lastRetention >= 60_000) {
      this.lastRetention = now;
      this.applyRetention(now);
    }
    return { error, pendingFrames: this.pending.filter((r) => r.kind === RecordKind.Frame).length, droppedFrames: this.dropped };
  }

  /** Tries to write what is waiting; undefined when all is on disk. */
  flush(): NodeJS.ErrnoException | undefined {
    if (this.pending.length === 0) return undefined;
    try {
      this.file ??= this.create();
      while (this.pending.length > 0) {
        this.writeRecord(this.file, this.pending[0]);
        const done = this.pending.shift() as BuiltRecord;
        this.pendingBytes -= done.bytes.length;
      }
      return undefined;
    } catch (err) {
      return err as NodeJS.ErrnoException;
    }
  }

  /** Frames waiting in memory. */
  get pendingFrames(): number {
    return this.pending.filter((r) => r.kind === RecordKind.Frame).length;
  }

  close(): void {
    if (this.file) {
      closeQuietly(this.file.segFd);
      closeQuietly(this.file.idxFd);
    }
    this.file = undefined;
  }

  private full(file: OpenSegment, now: number): boolean {
    return file.segEnd >= this.options.segmentMaxBytes || now - (this.builder?.header.created ?? now) >= this.options.segmentMaxAgeMs;
  }

  private rotate(): void {
    this.close();
    this.builder = undefined;
  }

  /** The segment and index files for the current builder, header written. */
  private create(): OpenSegment {
    const builder = this.builder as SegmentBuilder;
    fs.mkdirSync(this.options.dir, { recursive: true, mode: 0o700 });
    for (let attempt = 0; ; attempt++) {
      const name = segmentName(builder.header.created, attempt);
      let segFd: number;
      try {
        segFd = fs.openSync(path.join(this.options.dir, name), 'wx', 0o600);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 1000) continue;
        throw err;
      }
      let idxFd: number | undefined;
      try {
        idxFd = fs.openSync(path.join(this.options.dir, indexName(name)), 'w', 0o600);
        const header = encodeHeader(builder.header);
        writeAll(segFd, header, 0);
        return { name, segFd, idxFd, segEnd: header.length, idxEnd: 0 };
      } catch (err) {
        // A segment without its whole header is no use to anyone: remove it and try again later.
        closeQuietly(segFd);
        if (idxFd !== undefined) closeQuietly(idxFd);
        unlinkQuietly(path.join(this.options.dir, name));
        unlinkQuietly(path.join(this.options.dir, indexName(name)));
        throw err;
      }
    }
  }

  private writeRecord(file: OpenSegment, r: BuiltRecord): void {
    try {
      writeAll(file.segFd, r.bytes, file.segEnd);
      writeAll(file.idxFd, encodeIndexEntry({ kind: r.kind, time: r.time, frame: r.frame, offset: file.segEnd, length: r.bytes.length }), file.idxEnd);
    } catch (err) {
      // Cut back whatever part of the record (or its index entry) got written; truncating frees space, so it works on a full disk.
      truncateQuietly(file.segFd, file.segEnd);
      truncateQuietly(file.idxFd, file.idxEnd);
      throw err;
    }
    file.segEnd += r.bytes.length;
    file.idxEnd += 32;
  }

  /** Drops the oldest waiting frames beyond the bound; strings records stay (later frames use them). */
  private trimPending(): void {
    while (this.pendingBytes > this.options.pendingMaxBytes) {
      const i = this.pending.findIndex((r) => r.kind === RecordKind.Frame);
      if (i < 0 || this.pending.filter((r) => r.kind === RecordKind.Frame).length <= 1) return;
      this.pendingBytes -= this.pending[i].bytes.length;
      this.pending.splice(i, 1);
      this.dropped++;
    }
  }

  private applyRetention(now: number): void {
    let names: string[];
    try {
      names = fs.readdirSync(this.options.dir).filter((n) => SEGMENT_NAME.test(n));
    } catch {
      return;
    }
    const infos = names.flatMap((name) => {
      try {
        const seg = fs.statSync(path.join(this.options.dir, name));
        let idx = 0;
        try {
          idx = fs.statSync(path.join(this.options.dir, indexName(name))).size;
        } catch {
          // An index may be missing (the reader scans instead).
        }
        return [{ name, bytes: seg.size + idx, lastWrite: seg.mtimeMs }];
      } catch {
        return [];
      }
    });
    for (const name of segmentsToDelete(infos, this.options, now, this.file?.name)) {
      unlinkQuietly(path.join(this.options.dir, name));
      unlinkQuietly(path.join(this.options.dir, indexName(name)));
    }
  }
}

function writeAll(fd: number, bytes: Buffer, position: number): void {
  let done = 0;
  while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done, position + done);
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Already closed or the device is gone: nothing left to release.
  }
}

function truncateQuietly(fd: number, length: number): void {
  try {
    fs.ftruncateSync(fd, length);
  } catch {
    // The reader skips a torn tail by its checksum; the next write starts at `length` anyway.
  }
}

function unlinkQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // Gone already.
  }
}
