/**
 * A growable byte writer and a bounds-checked reader for the history store's
 * binary encoding: unsigned LEB128 varints (exact up to 2^53), zigzag for
 * signed integers, little-endian float64, and length-prefixed UTF-8.
 * Pure: no fs, no clock.
 */

/** Thrown by {@link ByteReader} when the bytes end early or hold an impossible value. */
export class DecodeError extends Error {}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether {@link ByteWriter.int} holds `n` exactly: zigzag doubles the magnitude, which must stay a safe integer. */
export function fitsInt(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 52 && !Object.is(n, -0);
}

export class ByteWriter {
  private buf = Buffer.allocUnsafe(4096);
  private pos = 0;

  get length(): number {
    return this.pos;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  /** A non-negative integer ≤ 2^53 − 1. */
  uint(n: number): void {
    this.room(8);
    // Above 2^31 the bitwise operators would wrap: divide instead.
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }

  /** An integer of either sign with |n| < 2^52 ({@link fitsInt}) (zigzag: 0, −1, 1, −2 … → 0, 1, 2, 3 …). */
  int(n: number): void {
    this.uint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  f64(n: number): void {
    this.room(8);
    this.buf.writeDoubleLE(n, this.pos);
    this.pos += 8;
  }

  bytes(b: Uint8Array): void {
    this.uint(b.length);
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /**
   * Strings read from /proc are decoded UTF-8 (invalid bytes became U+FFFD),
   * so UTF-8 holds them exactly. A string with a lone surrogate cannot
   * round-trip through UTF-8: it goes as UTF-16 code units instead.
   */
  string(s: string): void {
    if (!LONE_SURROGATE.test(s)) {
      this.byte(0);
      this.bytes(Buffer.from(s, 'utf8'));
    } else {
      this.byte(1);
      this.uint(s.length);
      for (let i = 0; i < s.length; i++) this.uint(s.charCodeAt(i));
    }
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

export class ByteReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  byte(): number {
    if (this.pos >= this.buf.length) throw new DecodeError('unexpected end of data');
    return this.buf[this.pos++];
  }

  uint(): number {
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (!Number.isSafeInteger(n)) throw new DecodeError('varint out of range');
        return n;
      }
      scale *= 0x80;
    }
    throw new DecodeError('varint too long');
  }

  int(): number {
    const z = this.uint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  f64(): number {
    if (this.pos + 8 > this.buf.length) throw new DecodeError('unexpected end of data');
    const n = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.pos, 8).readDoubleLE(0);
    this.pos += 8;
    return n;
  }

  bytes(): Uint8Array {
    const n = this.uint();
    if (this.pos + n > this.buf.length) throw new DecodeError('unexpected end of data');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    const form = this.byte();
    if (form === 0) return Buffer.from(this.bytes()).toString('utf8');
    if (form !== 1) throw new DecodeError(`unknown string form ${form}`);
    const n = this.uint();
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.uint());
    return s;
  }
}
