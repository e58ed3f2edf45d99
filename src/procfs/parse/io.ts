import { err, ok, Result } from '../../base/result';

/**
 * Parses /proc/PID/io (`rchar: 6976` lines: rchar, wchar, syscr, syscw,
 * read_bytes, write_bytes, cancelled_write_bytes) into key → count. Keys are
 * kept as the kernel names them so a counter added by a newer kernel shows up
 * too. The counters are u64; above 2^53 they lose precision, not meaning.
 */
export function parseIo(text: string): Result<Record<string, number>> {
  const counters: Record<string, number> = {};
  let count = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const match = /^(\w+):\s*(\d+)\s*$/.exec(line);
    if (!match) return err(`io: bad line ${JSON.stringify(line.slice(0, 80))}`);
    counters[match[1] as string] = Number(match[2]);
    count++;
  }
  return count === 0 ? err('io: empty') : ok(counters);
}

/** Bytes a task caused to be read from and written to storage: /proc/PID/io `read_bytes` and `write_bytes`. */
export interface IoBytes {
  readonly read: number;
  readonly write: number;
}

/**
 * The storage counters of a parsed /proc/PID/io; undefined when the kernel lacks them (built
 * without task I/O accounting, which prints only the first four lines).
 */
export function ioBytes(counters: Readonly<Record<string, number>>): IoBytes | undefined {
  const read = counters.read_bytes;
  const write = counters.write_bytes;
  return read === undefined || write === undefined ? undefined : { read, write };
}
