import type { LimitRow } from '../../kernel/process-details';
import { err, ok, Result } from '../../base/result';

export type { LimitRow } from '../../kernel/process-details';

// The kernel prints each row as "%-25s %-20s %-20s %-10s" (fs/proc/base.c), and
// a name holds spaces, so the row is read from the values inward: the name is
// everything before the two value columns, and the units are optional.
const ROW = /^(\S.*?)\s+(unlimited|\d+)\s+(unlimited|\d+)(?:\s+(\S+))?\s*$/;

/**
 * Parses /proc/PID/limits (header line, then one row per resource limit).
 * A missing header or a row that does not fit the format is an error value:
 * a changed format should show as "unavailable", not as wrong numbers.
 */
export function parseLimits(text: string): Result<LimitRow[]> {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const header = lines.shift();
  if (header === undefined || !/^Limit\s+Soft Limit\s+Hard Limit/.test(header)) return err('limits: no header');
  const rows: LimitRow[] = [];
  for (const line of lines) {
    const match = ROW.exec(line);
    if (!match) return err(`limits: bad row ${JSON.stringify(line.slice(0, 80))}`);
    rows.push({ name: match[1] as string, soft: match[2] as string, hard: match[3] as string, units: match[4] ?? '' });
  }
  return ok(rows);
}

/** The soft `Max open files` of a /proc/PID/limits text; undefined when unreadable, malformed or unlimited. */
export function maxOpenFiles(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const rows = parseLimits(text);
  if (!rows.ok) return undefined;
  const soft = rows.value.find((r) => r.name === 'Max open files')?.soft;
  return soft !== undefined && /^\d+$/.test(soft) ? Number(soft) : undefined;
}
