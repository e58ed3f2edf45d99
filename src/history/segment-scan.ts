/**
 * Which records of a segment can be trusted, from its index and, where the
 * index is missing, short or damaged, from a scan of the bytes; and reading
 * one record back with its checksum checked. Pure over a {@link ByteSource}
 * (a file in store-reader.ts, a Buffer in tests).
 */
import { DecodeError } from './bytes';
import { decodeFrame, FrameLayout, StringTable } from './frame-codec';
import { decodeStrings, decompress } from './segment-builder';
import { decodeRecordHead, RECORD_HEADER_BYTES, RECORD_MAGIC, RecordKind, RecordRef, recordIntact } from './segment-format';
import type { Snapshot } from '../model/snapshot';

/** Random access to the bytes of one segment. */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes at `offset` (fewer at the end). */
  read(offset: number, length: number): Buffer;
}

export function bufferSource(buf: Buffer): ByteSource {
  return { size: buf.length, read: (offset, length) => buf.subarray(offset, Math.min(buf.length, offset + length)) };
}

/**
 * The records of a segment whose header ends at `start`: the index entries
 * that fit the file, plus whatever a scan finds where the index has no
 * entries (after a crash between a record and its index entry, or around a
 * damaged entry). Warnings say what was skipped and where.
 */
export function listRecords(source: ByteSource, start: number, index: readonly RecordRef[]): { records: RecordRef[]; warnings: string[] } {
  const records: RecordRef[] = [];
  const warnings: string[] = [];
  let pos = start;
  const sorted = [...index].sort((a, b) => a.offset - b.offset);
  for (const entry of sorted) {
    if (entry.offset < pos || entry.length < RECORD_HEADER_BYTES || entry.offset + entry.length > source.size) continue;
    if (entry.offset > pos) scanRange(source, pos, entry.offset, records, warnings);
    records.push(entry);
    pos = entry.offset + entry.length;
  }
  if (pos < source.size) scanRange(source, pos, source.size, records, warnings);
  return { records, warnings };
}

const SCAN_CHUNK = 64 * 1024;

/** Records found by reading [from, to), each checked; damage is skipped up to the next record magic. */
export function scanRange(source: ByteSource, from: number, to: number, out: RecordRef[], warnings: string[]): void {
  let pos = from;
  while (pos < to) {
    const found = recordAt(source, pos, to);
    if (found) {
      out.push(found);
      pos += found.length;
      continue;
    }
    const next = findMagic(source, pos + 1, to);
    const what = next === undefined && to === source.size ? 'an incomplete record at the end (cut by a crash?)' : 'damaged bytes';
    warnings.push(`skipped ${(next ?? to) - pos} bytes of ${what} at offset ${pos}`);
    if (next === undefined) return;
    pos = next;
  }
}

function recordAt(source: ByteSource, pos: number, to: number): RecordRef | undefined {
  const head = decodeRecordHead(source.read(pos, RECORD_HEADER_BYTES));
  if (!head) return undefined;
  const length = RECORD_HEADER_BYTES + head.payloadLength;
  if (pos + length > to) return undefined;
  if (!recordIntact(source.read(pos, length), head)) return undefined;
  return { kind: head.kind, time: head.time, frame: head.frame, offset: pos, length };
}

function findMagic(source: ByteSource, from: number, to: number): number | undefined {
  for (let at = from; at < to; at += SCAN_CHUNK - RECORD_MAGIC.length) {
    const chunk = source.read(at, Math.min(SCAN_CHUNK, to - at));
    const i = chunk.indexOf(RECORD_MAGIC);
    if (i >= 0) return at + i;
    if (chunk.length < SCAN_CHUNK) return undefined;
  }
  return undefined;
}

/** The payload of a record, decompressed, after checking its checksum; throws DecodeError when damaged. */
export function readPayload(source: ByteSource, ref: RecordRef): Buffer {
  const bytes = source.read(ref.offset, ref.length);
  const head = decodeRecordHead(bytes);
  if (!head || head.kind !== ref.kind || RECORD_HEADER_BYTES + head.payloadLength !== ref.length || bytes.length !== ref.length) {
    throw new DecodeError('record header damaged');
  }
  if (!recordIntact(bytes, head)) throw new DecodeError('checksum mismatch');
  return decompress(head.compression, bytes.subarray(RECORD_HEADER_BYTES));
}

/**
 * The segment's string table from its strings records (each is written
 * twice; a damaged copy is skipped). Strings of a lost record leave their
 * ids undefined, and only frames that use them fail.
 */
export function loadStrings(source: ByteSource, records: readonly RecordRef[], warnings: string[]): StringTable {
  const table = new StringTable();
  const byFrame = new Map<number, RecordRef[]>();
  for (const r of records) if (r.kind === RecordKind.Strings) byFrame.set(r.frame, [...(byFrame.get(r.frame) ?? []), r]);
  for (const [frame, copies] of byFrame) {
    let loaded = false;
    for (const copy of copies) {
      try {
        for (const [id, s] of decodeStrings(readPayload(source, copy))) table.define(id, s);
        loaded = true;
        break;
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
      }
    }
    if (!loaded) warnings.push(`the strings of frame ${frame} are damaged in every copy`);
  }
  return table;
}

/** One frame back as a snapshot; throws DecodeError when damaged. */
export function readFrame(source: ByteSource, ref: RecordRef, layout: FrameLayout, table: StringTable): Snapshot {
  const snapshot = decodeFrame(readPayload(source, ref), layout, table);
  if (snapshot.time !== ref.time) throw new DecodeError('frame time differs from its record');
  return snapshot;
}

