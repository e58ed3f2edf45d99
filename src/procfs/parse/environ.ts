import { isUtf8 } from 'node:buffer';

/**
 * One variable of /proc/PID/environ (NUL-separated `KEY=value` entries, as the process was
 * started; later setenv calls do not show). Undefined when absent.
 */
export function environValue(text: string, key: string): string | undefined {
  const prefix = `${key}=`;
  for (const entry of text.split('\0')) if (entry.startsWith(prefix)) return entry.slice(prefix.length);
  return undefined;
}

/** A host name as DNS allows it (letters, digits, `-`, `.`; ≤ 253): anything else is not a pod name. */
export function isHostName(name: string): boolean {
  return /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(name);
}


/**
 * /proc/PID/environ (proc(5)): the environment the process was started with, `NAME=value`
 * entries each ended by a NUL, as bytes (no encoding is promised). Each entry is decoded as
 * UTF-8; an entry that is not valid UTF-8 keeps its valid characters and shows every byte that
 * is not part of one as `\xHH`, so nothing is lost or silently replaced. Control characters are
 * left for the view's sanitizer. A process that rewrote its environment area may leave no final
 * NUL: the last entry is kept.
 */
export function parseEnviron(bytes: Uint8Array): string[] {
  const entries: string[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0) continue;
    if (i > start) entries.push(decodeEntry(bytes.subarray(start, i)));
    start = i + 1;
  }
  return entries;
}

/** Bytes of a UTF-8 sequence led by `lead`, 0 for a byte that cannot lead one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function decodeEntry(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (isUtf8(buffer)) return buffer.toString('utf8');
  let out = '';
  for (let i = 0; i < buffer.length; ) {
    const n = sequenceLength(buffer[i] ?? 0);
    const seq = n > 0 ? buffer.subarray(i, i + n) : undefined;
    if (seq !== undefined && seq.length === n && isUtf8(seq)) {
      out += seq.toString('utf8');
      i += n;
    } else {
      out += `\\x${(buffer[i] ?? 0).toString(16).padStart(2, '0')}`;
      i += 1;
    }
  }
  return out;
}
