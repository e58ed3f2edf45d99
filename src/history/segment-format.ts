/**
 * The on-disk layout of a history segment and its index, as pure functions
 * over bytes (the fs code is in segment-file.ts and store-reader.ts).
 *
 * Segment file (`*.seg`):
 *   header  "PROCTOPH" · u16 schema · u32 n · n bytes of JSON (SegmentHeader) · u32 crc32 of all before
 *   record* "PTRC" · u8 kind · u8 compression · u16 0 · u32 payload length · f64 time (ms)
 *           · u32 frame number · u32 crc32 of the 24 bytes before and the payload · payload
 * Index file (`*.idx`), one 32-byte entry per record, written after the record:
 *   f64 time · f64 offset · u32 record length · u8 kind · 3 × 0 · u32 frame number · u32 crc32 of the 28 bytes before
 *
 * Every record carries its own length and checksum, so a record cut by a
 * crash or with a flipped byte is detected and skipped alone; the magic at
 * its start lets a scan find the next record when a length is damaged. The
 * index lets a reader find a time without reading the frames.
 * All integers little-endian.
 */
import { zlib } from '../base/lazy-builtins';

export const SEGMENT_MAGIC = Buffer.from('PROCTOPH', 'latin1');
export const RECORD_MAGIC = Buffer.from('PTRC', 'latin1');
/**
 * Schema of the segment and frame layout. Bump it when a reader of the
 * previous version could not read the new files; fields added to the field
 * tables do not need a bump (the header lists them).
 */
export const SCHEMA_VERSION = 1;

export const RECORD_HEADER_BYTES = 28;
export const INDEX_ENTRY_BYTES = 32;
/** A payload larger than this is a damaged length, not a frame (a frame of 100,000 processes is ~5 MB). */
export const MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;

export const enum RecordKind {
  /** Strings new in the frame that follows (written twice: a damaged copy leaves the other). */
  Strings = 1,
  Frame = 2,
}

export const enum Compression {
  None = 0,
  DeflateRaw = 1,
  Brotli = 2,
}

/** The self-description at the start of every segment. */
export interface SegmentHeader {
  readonly schema: number;
  readonly host: string;
  /** /proc/sys/kernel/random/boot_id: frames of different boots never share a segment. */
  readonly bootId: string;
  /** When the segment was started, ms since the epoch. */
  readonly created: number;
  /** The proctop version that wrote it. */
  readonly writer: string;
  readonly clockTicks: number;
  /** Field names and codecs in storage order (see fields.ts). */
  readonly process: readonly { readonly name: string; readonly codec: string }[];
  readonly snapshot: readonly { readonly name: string; readonly codec: string }[];
}

export function encodeHeader(header: SegmentHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const head = Buffer.alloc(14);
  SEGMENT_MAGIC.copy(head, 0);
  head.writeUInt16LE(header.schema, 8);
  head.writeUInt32LE(json.length, 10);
  const body = Buffer.concat([head, json]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(zlib().crc32(body), 0);
  return Buffer.concat([body, crc]);
}

export type HeaderResult =
  | { readonly ok: true; readonly header: SegmentHeader; readonly length: number }
  | { readonly ok: false; readonly reason: string; readonly schema?: number };

/** The header at the start of `bytes` (which may hold more), or why it is unusable. */
export function decodeHeader(bytes: Uint8Array): HeaderResult {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (buf.length < 18) return { ok: false, reason: 'too short for a segment header' };
  if (!buf.subarray(0, 8).equals(SEGMENT_MAGIC)) return { ok: false, reason: 'not a proctop history segment (bad magic)' };
  const schema = buf.readUInt16LE(8);
  const n = buf.readUInt32LE(10);
  if (buf.length < 14 + n + 4) return { ok: false, reason: 'segment header cut short', schema };
  if (zlib().crc32(buf.subarray(0, 14 + n)) !== buf.readUInt32LE(14 + n)) return { ok: false, reason: 'segment header checksum mismatch', schema };
  let header: SegmentHeader;
  try {
    header = JSON.parse(buf.subarray(14, 14 + n).toString('utf8')) as SegmentHeader;
  } catch {
    return { ok: false, reason: 'segment header is not valid JSON', schema };
  }
  const problem = headerProblem(header);
  if (problem) return { ok: false, reason: problem, schema };
  return { ok: true, header, length: 14 + n + 4 };
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

function headerProblem(h: SegmentHeader): string | undefined {
  const fields = (list: unknown): boolean =>
    Array.isArray(list) && list.every((f: { name?: unknown; codec?: unknown }) => typeof f?.name === 'string' && FIELD_NAME.test(f.name) && typeof f.codec === 'string');
  if (typeof h !== 'object' || h === null) return 'segment header is not an object';
  if (typeof h.host !== 'string' || typeof h.bootId !== 'string' || typeof h.created !== 'number') return 'segment header lacks host, boot id or creation time';
  if (typeof h.clockTicks !== 'number' || !(h.clockTicks > 0)) return 'segment header lacks the clock tick rate';
  if (!fields(h.process) || !fields(h.snapshot)) return 'segment header has a malformed field list';
  return undefined;
}

/** Where one record sits, as the index (or a scan) tells. */
export interface RecordRef {
  readonly kind: RecordKind;
  readonly time: number;
  readonly frame: number;
  readonly offset: number;
  /** Header + payload. */
  readonly length: number;
}

/** A whole record: header and payload. */
export function encodeRecord(kind: RecordKind, compression: Compression, time: number, frame: number, payload: Uint8Array): Buffer {
  const rec = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length);
  RECORD_MAGIC.copy(rec, 0);
  rec.writeUInt8(kind, 4);
  rec.writeUInt8(compression, 5);
  rec.writeUInt16LE(0, 6);
  rec.writeUInt32LE(payload.length, 8);
  rec.writeDoubleLE(time, 12);
  rec.writeUInt32LE(frame, 20);
  rec.set(payload, RECORD_HEADER_BYTES);
  rec.writeUInt32LE(zlib().crc32(payload, zlib().crc32(rec.subarray(0, 24))), 24);
  return rec;
}

/** The fixed part of a record, read before its payload. */
export interface RecordHead {
  readonly kind: RecordKind;
  readonly compression: Compression;
  readonly payloadLength: number;
  readonly time: number;
  readonly frame: number;
  readonly crc: number;
}

/** Parses a record header; undefined when these bytes cannot start a record. */
export function decodeRecordHead(b: Buffer): RecordHead | undefined {
  if (b.length < RECORD_HEADER_BYTES || !b.subarray(0, 4).equals(RECORD_MAGIC)) return undefined;
  const kind = b.readUInt8(4);
  const compression = b.readUInt8(5);
  const payloadLength = b.readUInt32LE(8);
  if ((kind !== RecordKind.Strings && kind !== RecordKind.Frame) || compression > Compression.Brotli || payloadLength > MAX_PAYLOAD_BYTES) return undefined;
  return { kind, compression, payloadLength, time: b.readDoubleLE(12), frame: b.readUInt32LE(20), crc: b.readUInt32LE(24) };
}

/** Whether a whole record (header + payload) matches its checksum. */
export function recordIntact(record: Buffer, head: RecordHead): boolean {
  return zlib().crc32(record.subarray(RECORD_HEADER_BYTES), zlib().crc32(record.subarray(0, 24))) === head.crc;
}

export function encodeIndexEntry(ref: RecordRef): Buffer {
  const b = Buffer.alloc(INDEX_ENTRY_BYTES);
  b.writeDoubleLE(ref.time, 0);
  b.writeDoubleLE(ref.offset, 8);
  b.writeUInt32LE(ref.length, 16);
  b.writeUInt8(ref.kind, 20);
  b.writeUInt32LE(ref.frame, 24);
  b.writeUInt32LE(zlib().crc32(b.subarray(0, 28)), 28);
  return b;
}

/** The index's entries that pass their checksum, in file order (a torn last entry is dropped). */
export function decodeIndex(bytes: Buffer): RecordRef[] {
  const out: RecordRef[] = [];
  for (let at = 0; at + INDEX_ENTRY_BYTES <= bytes.length; at += INDEX_ENTRY_BYTES) {
    const b = bytes.subarray(at, at + INDEX_ENTRY_BYTES);
    if (zlib().crc32(b.subarray(0, 28)) !== b.readUInt32LE(28)) continue;
    const kind = b.readUInt8(20);
    if (kind !== RecordKind.Strings && kind !== RecordKind.Frame) continue;
    out.push({ time: b.readDoubleLE(0), offset: b.readDoubleLE(8), length: b.readUInt32LE(16), kind, frame: b.readUInt32LE(24) });
  }
  return out;
}
