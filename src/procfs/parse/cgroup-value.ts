import type { Limit } from '../../kernel/cgroup';
import { err, ok, Result } from '../../base/result';

export type { Limit };

/**
 * v1 reports "no memory limit" as PAGE_COUNTER_MAX pages in bytes
 * (9223372036854771712 with 4 KiB pages, 2^63 rounded down to a page); any
 * value at or above 2^62 is that, whatever the page size.
 */
export const V1_UNLIMITED = 2 ** 62;

/** One non-negative integer on a line (memory.current, pids.current, cpuacct.usage). */
export function parseCount(text: string, file: string): Result<number> {
  const word = text.trim();
  if (!/^\d+$/.test(word)) return err(`${file}: not a count: ${JSON.stringify(word.slice(0, 40))}`);
  return ok(Number(word));
}

/** One limit on a line: a count or `max` (memory.max, memory.swap.max, pids.max). */
export function parseLimit(text: string, file: string): Result<Limit> {
  const word = text.trim();
  if (word === 'max') return ok('max');
  const n = parseCount(word, file);
  return n.ok && n.value >= V1_UNLIMITED ? ok('max') : n;
}

/**
 * Flat keyed files, `key value` per line (cpu.stat, memory.events,
 * memory.oom_control, memory.stat). Lines that are not `word integer` are
 * skipped: kernels add keys, and a partial file still says what it has.
 */
export function parseKeyed(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const value = line.slice(space + 1).trim();
    if (/^\d+$/.test(value)) values.set(line.slice(0, space), Number(value));
  }
  return values;
}
