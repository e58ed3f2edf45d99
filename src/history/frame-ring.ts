/**
 * The live TUI's recent past in memory: the last N minutes of frames, each
 * kept encoded (the history store's columnar frame codec, then deflate-raw),
 * so ten minutes of 2,000 processes cost megabytes, not the hundreds a
 * list of live snapshot objects would. Pure computation (compression is
 * computation): no file system, no clock.
 *
 * Strings (command lines, names, users) are interned per chunk of
 * {@link CHUNK_FRAMES} frames, as the store interns them per segment: a
 * chunk's table is dropped with its last frame, so the strings of processes
 * long gone do not pile up in a monitor left running for days.
 */
import { zlib } from '../base/lazy-builtins';
import type { Snapshot } from '../model/snapshot';
import { currentLayout, decodeFrame, encodeFrame, FrameLayout, StringTable } from './frame-codec';

/** How much past the ring keeps. */
export interface RingLimits {
  /** Frames older than the newest by more than this are dropped (ms; 0 keeps only the newest). */
  readonly maxAgeMs: number;
  /** The ring's own memory (encoded frames + interned strings, bytes): oldest frames go first past it. */
  readonly maxBytes: number;
}

/** Default: the last 10 minutes. */
export const DEFAULT_REWIND_MS = 10 * 60_000;
/**
 * The memory bound of the ring. At the figures measured for the README (about 6 KB a frame at
 * 2,000 idle processes) 10 minutes at 1 s take about 4 MB; the bound matters only for far larger
 * hosts or very long rewind settings, where the oldest frames then go first.
 */
export const REWIND_MAX_BYTES = 32 * 1024 * 1024;
/** Frames per string table (see the file comment). */
export const CHUNK_FRAMES = 100;

/** Bytes a slot costs besides its payload (the slot object, its array entry, the Buffer object). */
const SLOT_OVERHEAD = 120;
/** Bytes an interned string costs besides its characters (map entry, array slot, string header). */
const STRING_OVERHEAD = 64;

interface Chunk {
  readonly table: StringTable;
  /** Memory the table's strings take (estimated from their lengths). */
  stringBytes: number;
  /** Frames written into it, and those of them still in the ring. */
  written: number;
  held: number;
}

interface Slot {
  readonly time: number;
  readonly bytes: Buffer;
  readonly chunk: Chunk;
}

export class FrameRing {
  private readonly slots: Slot[] = [];
  private readonly layout: FrameLayout;
  private chunk: Chunk | undefined;
  /** Chunks with frames in the ring, and the one being written; oldest first. */
  private chunks: Chunk[] = [];
  private frameBytes = 0;

  constructor(private limits: RingLimits, private readonly clockTicks: number) {
    this.layout = currentLayout(clockTicks);
  }

  /** Frames held. */
  get length(): number {
    return this.slots.length;
  }

  /** Memory the ring accounts for: encoded frames, their slots and the interned strings (bytes). */
  get bytes(): number {
    return this.frameBytes + this.chunks.reduce((n, c) => n + c.stringBytes, 0);
  }

  /** Encoded payload bytes only (what a frame costs compressed). */
  get payloadBytes(): number {
    return this.slots.reduce((n, s) => n + s.bytes.length, 0);
  }

  get maxAgeMs(): number {
    return this.limits.maxAgeMs;
  }

  /** Changes the limits; the next push (or this call) drops what no longer fits. */
  setLimits(limits: RingLimits): void {
    this.limits = limits;
    this.evict();
  }

  /** Adds the newest frame and drops what falls outside the limits (never the frame just added). */
  push(snapshot: Snapshot): void {
    // A wall clock stepped back: frames "after" this one would break the order lookups rely on.
    while (this.slots.length > 0 && (this.slots[this.slots.length - 1] as Slot).time >= snapshot.time) this.dropNewest();
    if (!this.chunk || this.chunk.written >= CHUNK_FRAMES) {
      this.chunk = { table: new StringTable(), stringBytes: 0, written: 0, held: 0 };
      this.chunks.push(this.chunk);
      this.pruneChunks();
    }
    const chunk = this.chunk;
    const encoded = encodeFrame(snapshot, chunk.table, this.clockTicks);
    for (const [, s] of encoded.added) chunk.stringBytes += s.length * 2 + STRING_OVERHEAD;
    // Level 1: a frame is compressed on every refresh and read back only when someone rewinds.
    const bytes = zlib().deflateRawSync(encoded.bytes, { level: 1 });
    this.slots.push({ time: snapshot.time, bytes, chunk });
    chunk.written++;
    chunk.held++;
    this.frameBytes += bytes.length + SLOT_OVERHEAD;
    this.evict();
  }

  /** Time of the frame at `index` (0 = oldest). */
  timeAt(index: number): number {
    const slot = this.slots[index];
    if (!slot) throw new RangeError(`no frame ${index} (ring holds ${this.slots.length})`);
    return slot.time;
  }

  /** Frame times, oldest first. */
  times(): number[] {
    return this.slots.map((s) => s.time);
  }

  /** Index of the last frame at or before `time`; -1 when every frame is later. */
  indexAtOrBefore(time: number): number {
    let lo = 0;
    let hi = this.slots.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.slots[mid] as Slot).time <= time) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** The snapshot of the frame at `index`, decoded. */
  read(index: number): Snapshot {
    const slot = this.slots[index];
    if (!slot) throw new RangeError(`no frame ${index} (ring holds ${this.slots.length})`);
    return decodeFrame(zlib().inflateRawSync(slot.bytes), this.layout, slot.chunk.table);
  }

  private evict(): void {
    const newest = this.slots[this.slots.length - 1];
    if (!newest) return;
    const oldestKept = newest.time - this.limits.maxAgeMs;
    while (this.slots.length > 1 && ((this.slots[0] as Slot).time < oldestKept || this.bytes > this.limits.maxBytes)) this.dropOldest();
  }

  private dropOldest(): void {
    const slot = this.slots.shift();
    if (slot) this.release(slot);
  }

  private dropNewest(): void {
    const slot = this.slots.pop();
    if (slot) this.release(slot);
  }

  private release(slot: Slot): void {
    this.frameBytes -= slot.bytes.length + SLOT_OVERHEAD;
    slot.chunk.held--;
    if (slot.chunk.held === 0) this.pruneChunks();
  }

  /** Drops the string tables no frame refers to (the one being written stays: the next frames intern into it). */
  private pruneChunks(): void {
    this.chunks = this.chunks.filter((c) => c.held > 0 || c === this.chunk);
  }

  /** String tables alive (for tests of the release of old strings). */
  get chunkCount(): number {
    return this.chunks.length;
  }
}
