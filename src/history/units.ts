/**
 * Durations, sizes and points in time as the record, replay and dump flags
 * take them. Pure. Durations and times are parsed in model/time-spec.ts
 * (the TUI's go-to-time prompt uses the same parser); sizes here.
 */
export { parseDuration, parseTimeSpec, TIME_FORMS } from '../model/time-spec';

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** `500K`, `256M`, `2G` (powers of 1024; a bare number is bytes; a trailing `B`/`iB` is allowed) → bytes. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(text.trim());
  if (!m) return undefined;
  return Math.floor(Number(m[1]) * SIZE_UNITS[m[2].toUpperCase()]);
}
