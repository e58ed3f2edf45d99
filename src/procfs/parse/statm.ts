import { Parsed, parseError } from './result';

/** /proc/PID/statm, in pages (proc(5)). */
export interface StatmRecord {
  /** Field 1: total program size. */
  readonly size: number;
  /** Field 2: resident set size. */
  readonly resident: number;
  /** Field 3: resident shared pages (file-backed + shmem). */
  readonly shared: number;
}

export function parseStatm(text: string): Parsed<StatmRecord> {
  // Read by hand, not split(): this runs for every process on every scan while SHR is shown.
  const size = leadingNumber(text, 0);
  const resident = leadingNumber(text, size.next);
  const shared = leadingNumber(text, resident.next);
  if (Number.isNaN(size.value) || Number.isNaN(resident.value) || Number.isNaN(shared.value)) return parseError('statm: need 3 numbers');
  return { size: size.value, resident: resident.value, shared: shared.value };
}

/** The unsigned decimal at `from` (after spaces), and where it ends; NaN when there is none. */
function leadingNumber(text: string, from: number): { readonly value: number; readonly next: number } {
  let i = from;
  while (i < text.length && text.charCodeAt(i) === 32) i++;
  const start = i;
  let value = 0;
  for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) value = value * 10 + (c - 48);
  const end = text.charCodeAt(i);
  // A number ends at a space, a newline or the end of the text: "12x" is not one.
  const ok = i > start && (i === text.length || end === 32 || end === 10);
  return { value: ok ? value : NaN, next: i };
}
