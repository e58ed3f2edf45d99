import { err, ok, Result } from '../../base/result';

/** /proc/PID/statm, in pages (proc(5)). */
export interface StatmRecord {
  /** Field 1: total program size. */
  readonly size: number;
  /** Field 2: resident set size. */
  readonly resident: number;
  /** Field 3: resident shared pages (file-backed + shmem). */
  readonly shared: number;
}

export function parseStatm(text: string): Result<StatmRecord> {
  // Read by hand, not split(), and without an object per number: this runs for every process
  // on every scan while SHR is shown.
  let i = 0;
  const next = (): number => {
    while (text.charCodeAt(i) === 32) i++;
    const start = i;
    let value = 0;
    for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) value = value * 10 + (c - 48);
    const end = text.charCodeAt(i);
    // A number ends at a space, a newline or the end of the text: "12x" is not one.
    return i > start && (i === text.length || end === 32 || end === 10) ? value : NaN;
  };
  const size = next();
  const resident = next();
  const shared = next();
  if (Number.isNaN(size) || Number.isNaN(resident) || Number.isNaN(shared)) return err('statm: need 3 numbers');
  return ok({ size, resident, shared });
}
