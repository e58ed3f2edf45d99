/**
 * A self-describing encoding of plain data (undefined, null, booleans,
 * numbers, strings, arrays, plain objects) that round-trips exactly: unlike
 * JSON it keeps `undefined` properties, −0, NaN and ±Infinity, and every
 * double bit for bit. Used for the snapshot's host-wide parts, whose shape
 * may grow (a new field is written and read back without a schema change).
 * Pure.
 */
import { ByteReader, ByteWriter, DecodeError, fitsInt } from './bytes';

const enum Tag {
  Undefined = 0,
  Null = 1,
  False = 2,
  True = 3,
  Int = 4,
  Float = 5,
  String = 6,
  Array = 7,
  Object = 8,
}

/** A number stored as a zigzag varint when that is exact, else as a float64. */
export function writeNumber(w: ByteWriter, n: number): void {
  if (fitsInt(n)) {
    w.byte(Tag.Int);
    w.int(n);
  } else {
    w.byte(Tag.Float);
    w.f64(n);
  }
}

export function writeValue(w: ByteWriter, v: unknown): void {
  if (v === undefined) w.byte(Tag.Undefined);
  else if (v === null) w.byte(Tag.Null);
  else if (v === false) w.byte(Tag.False);
  else if (v === true) w.byte(Tag.True);
  else if (typeof v === 'number') writeNumber(w, v);
  else if (typeof v === 'string') {
    w.byte(Tag.String);
    w.string(v);
  } else if (Array.isArray(v)) {
    w.byte(Tag.Array);
    w.uint(v.length);
    for (const item of v) writeValue(w, item);
  } else if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const entries = Object.entries(v);
    w.byte(Tag.Object);
    w.uint(entries.length);
    for (const [key, item] of entries) {
      w.string(key);
      writeValue(w, item);
    }
  } else {
    // Only plain snapshot data reaches here; a Map or a class instance is a programming error.
    throw new TypeError(`history: cannot encode a ${typeof v}`);
  }
}

/** Nesting deeper than this is corrupt data, not a snapshot (which nests 3 levels). */
const MAX_DEPTH = 32;

export function readValue(r: ByteReader, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new DecodeError('value nested too deeply');
  const tag = r.byte();
  switch (tag) {
    case Tag.Undefined: return undefined;
    case Tag.Null: return null;
    case Tag.False: return false;
    case Tag.True: return true;
    case Tag.Int: return r.int();
    case Tag.Float: return r.f64();
    case Tag.String: return r.string();
    case Tag.Array: {
      const n = r.uint();
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(readValue(r, depth + 1));
      return out;
    }
    case Tag.Object: {
      const n = r.uint();
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const key = r.string();
        // A key such as __proto__ from a damaged frame must not reach the prototype.
        Object.defineProperty(out, key, { value: readValue(r, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    default:
      throw new DecodeError(`unknown value tag ${tag}`);
  }
}

/** A number (or undefined) written by {@link writeNumber} or {@link writeValue}. */
export function readNumber(r: ByteReader): number | undefined {
  const v = readValue(r);
  if (v !== undefined && typeof v !== 'number') throw new DecodeError('expected a number');
  return v;
}
