/**
 * Turns snapshots into the records of one segment: for each frame, the
 * strings it adds to the segment's table (twice) and the frame itself, each
 * compressed and checksummed. Pure (compression is computation): the
 * writer decides where the bytes go.
 */
import { zlib } from '../base/lazy-builtins';
import type { Snapshot } from '../model/snapshot';
import { ByteReader, ByteWriter, DecodeError } from './bytes';
import { currentLayout, encodeFrame, StringTable } from './frame-codec';
import { Compression, encodeRecord, RecordKind, SCHEMA_VERSION, SegmentHeader } from './segment-format';

/** One encoded record, with what its index entry needs. */
export interface BuiltRecord {
  readonly kind: RecordKind;
  readonly time: number;
  readonly frame: number;
  readonly bytes: Buffer;
}

/** The compression the recorder uses; chosen by measurement (README, "History store"). */
export const DEFAULT_COMPRESSION = Compression.Brotli;

export function compress(method: Compression, raw: Buffer): Buffer {
  if (method === Compression.DeflateRaw) return zlib().deflateRawSync(raw, { level: 6 });
  if (method === Compression.Brotli) {
    return zlib().brotliCompressSync(raw, { params: { [zlib().constants.BROTLI_PARAM_QUALITY]: 5, [zlib().constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
  }
  return raw;
}

/** Inflates a payload; a bound on the output keeps a damaged length field from allocating gigabytes. */
export function decompress(method: Compression, payload: Buffer): Buffer {
  const maxOutputLength = 512 * 1024 * 1024;
  try {
    if (method === Compression.DeflateRaw) return zlib().inflateRawSync(payload, { maxOutputLength });
    if (method === Compression.Brotli) return zlib().brotliDecompressSync(payload, { maxOutputLength });
  } catch (err) {
    throw new DecodeError(`cannot decompress: ${err instanceof Error ? err.message : String(err)}`);
  }
  return payload;
}

export function encodeStrings(added: readonly (readonly [number, string])[]): Buffer {
  const w = new ByteWriter();
  w.uint(added.length);
  for (const [id, s] of added) {
    w.uint(id);
    w.string(s);
  }
  return w.finish();
}

export function decodeStrings(raw: Uint8Array): [number, string][] {
  const r = new ByteReader(raw);
  const n = r.uint();
  const out: [number, string][] = [];
  for (let i = 0; i < n; i++) {
    const id = r.uint();
    if (id === 0) throw new DecodeError('string id 0 is reserved');
    out.push([id, r.string()]);
  }
  if (!r.done) throw new DecodeError('trailing bytes after the strings');
  return out;
}

export interface SegmentIdentity {
  readonly host: string;
  readonly bootId: string;
  readonly writer: string;
  readonly clockTicks: number;
}

/** The encoder state of one segment: its string table and frame count. */
export class SegmentBuilder {
  readonly header: SegmentHeader;
  private readonly table = new StringTable();
  private frames = 0;

  constructor(identity: SegmentIdentity, created: number, private readonly compression: Compression = DEFAULT_COMPRESSION) {
    const layout = currentLayout(identity.clockTicks);
    this.header = { schema: SCHEMA_VERSION, ...identity, created, process: layout.process, snapshot: layout.snapshot };
  }

  get frameCount(): number {
    return this.frames;
  }

  /** The records for one snapshot, in the order they must be written. */
  build(snapshot: Snapshot): BuiltRecord[] {
    const frame = this.frames++;
    const encoded = encodeFrame(snapshot, this.table, this.header.clockTicks);
    const records: BuiltRecord[] = [];
    if (encoded.added.length > 0) {
      const strings = encodeRecord(RecordKind.Strings, this.compression, snapshot.time, frame, compress(this.compression, encodeStrings(encoded.added)));
      // Twice: the frames after this one need these strings too, so one flipped byte must not take them.
      records.push({ kind: RecordKind.Strings, time: snapshot.time, frame, bytes: strings });
      records.push({ kind: RecordKind.Strings, time: snapshot.time, frame, bytes: strings });
    }
    const payload = compress(this.compression, encoded.bytes);
    records.push({ kind: RecordKind.Frame, time: snapshot.time, frame, bytes: encodeRecord(RecordKind.Frame, this.compression, snapshot.time, frame, payload) });
    return records;
  }
}
