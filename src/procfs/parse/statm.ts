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
  const parts = text.trim().split(' ').map(Number);
  if (parts.length < 3 || parts.slice(0, 3).some((n) => !Number.isFinite(n))) return parseError('statm: need 3 numbers');
  return { size: parts[0] as number, resident: parts[1] as number, shared: parts[2] as number };
}
