/**
 * Number formats as htop shows them, sized to fit the column widths in
 * columns.ts. Pure and locale-free so output is the same on every host.
 */

/** Memory in bytes → KiB up to 99999, then M, then G with one decimal below 100G, as htop prints VIRT/RES/SHR. */
export function formatMemory(bytes: number): string {
  const kib = Math.round(bytes / 1024);
  if (kib < 100000) return String(kib);
  const mib = kib / 1024;
  if (mib < 10000) return `${Math.round(mib)}M`;
  const gib = mib / 1024;
  if (gib < 100) return `${gib.toFixed(1)}G`;
  if (gib < 10000) return `${Math.round(gib)}G`;
  return `${(gib / 1024).toFixed(1)}T`;
}

const BINARY_UNITS = ['B', 'K', 'M', 'G', 'T', 'P'] as const;

/** bytes scaled by 1024 while at least `from` (and a larger unit is left): the value and its unit's index. */
function scaleBinary(bytes: number, from = 1024): { value: number; unit: number } {
  let value = bytes;
  let unit = 0;
  while (value >= from && unit < BINARY_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return { value, unit };
}

/** Bytes with a binary unit and one decimal (`1.5G`), for header meters. */
export function formatBytes(bytes: number): string {
  const { value, unit } = scaleBinary(bytes);
  return unit === 0 ? `${value}B` : `${value.toFixed(value < 10 ? 2 : 1)}${BINARY_UNITS[unit]}`;
}

/** Bytes in at most 5 characters: `512B`, `4.0K`, `12M`, `1.5G`. */
export function compactBytes(bytes: number): string {
  const { value, unit } = scaleBinary(bytes);
  if (unit === 0) return `${value}B`;
  // 1023.96 would round to "1024M": one more unit then reads "1.0G".
  if (value >= 1023.5 && unit < BINARY_UNITS.length - 1) return `1.0${BINARY_UNITS[unit + 1]}`;
  return value < 9.95 ? `${value.toFixed(1)}${BINARY_UNITS[unit]}` : `${Math.round(value)}${BINARY_UNITS[unit]}`;
}

/**
 * A rate in bytes per second, at most 5 characters (the unit /s is in the column title): `0`,
 * `512B`, `1.5K`, `12K`, `980M`, `2.1G`. Binary units, as the memory columns.
 */
export function formatRate(bytesPerSecond: number): string {
  if (Math.max(0, bytesPerSecond) < 0.5) return '0';
  // From 999.5 on, not 1024: "1000B" would be one character too many.
  const { value, unit } = scaleBinary(bytesPerSecond, 999.5);
  return `${value < 9.95 && unit > 0 ? value.toFixed(1) : Math.round(value)}${BINARY_UNITS[unit]}`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** CPU time as htop's TIME+: `m:ss.cc`, then `HhMM:SS`, then `Hh` from 100 hours on. */
export function formatCpuTime(seconds: number): string {
  // Via whole milliseconds: ticks / 100 * 100 is often just below the tick count (0.29 * 100 = 28.999…).
  const centis = Math.floor(Math.round(seconds * 1000) / 10);
  const totalSeconds = Math.floor(centis / 100);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const secs = totalSeconds % 60;
  if (hours >= 100) return `${hours}h`;
  if (hours > 0) return `${hours}h${pad2(minutes)}:${pad2(secs)}`;
  return `${Math.floor(totalSeconds / 60)}:${pad2(secs)}.${pad2(centis % 100)}`;
}

/** A percentage with one decimal; three digits from 100 on, so `CPU%` stays 5 wide up to 9999%. */
export function formatPercent(value: number): string {
  return value >= 99.95 ? String(Math.round(value)) : value.toFixed(1);
}

/** Seconds as `3d 04:05:06`, `04:05:06` or `05:06`, for uptime and ages. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const clock = `${pad2(Math.floor((s % 86400) / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
  if (days > 0) return `${days}d ${clock}`;
  return s >= 3600 ? clock : clock.slice(3);
}

/** Start time as ps's START: `HH:MM` today, `MonDD` this year, else the year; in UTC unless a zone offset is given. */
export function formatStart(startMs: number, nowMs: number, offsetMinutes = 0): string {
  const shift = offsetMinutes * 60000;
  const start = new Date(startMs - shift);
  const now = new Date(nowMs - shift);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  if (nowMs - startMs < 86400000 && start.getUTCDate() === now.getUTCDate()) {
    return `${pad2(start.getUTCHours())}:${pad2(start.getUTCMinutes())}`;
  }
  if (start.getUTCFullYear() === now.getUTCFullYear()) return `${months[start.getUTCMonth()]}${pad2(start.getUTCDate())}`;
  return String(start.getUTCFullYear());
}

/**
 * A full local timestamp, `2026-11-27 16:35:02 +01:00`, for `offsetMinutes`
 * as Date#getTimezoneOffset gives it (minutes west of UTC).
 */
export function formatTimestamp(ms: number, offsetMinutes = 0): string {
  const t = new Date(ms - offsetMinutes * 60000);
  const east = -offsetMinutes;
  const zone = `${east < 0 ? '-' : '+'}${pad2(Math.floor(Math.abs(east) / 60))}:${pad2(Math.abs(east) % 60)}`;
  return `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())} ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())} ${zone}`;
}

/** A short age for narrow columns: `42s`, `3m12s`, `2h05m`, `3d04h`, `120d`. */
/** A time in a state, ms: `≥38s` when proctop saw only its later part (see ProcessInfo.stateSinceLowerBound). */
export function formatStateAge(ms: number, lowerBound: boolean): string {
  return `${lowerBound ? '≥' : ''}${formatAge(ms / 1000)}`;
}

export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad2(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${pad2(Math.floor((s % 3600) / 60))}m`;
  const days = Math.floor(s / 86400);
  return days < 100 ? `${days}d${pad2(Math.floor((s % 86400) / 3600))}h` : `${days}d`;
}
