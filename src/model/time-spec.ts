/**
 * Durations and points in time as people type them (`10m`, `14:05`, `-2h`,
 * ISO 8601): the one parser behind `--at`, `record --retain`, `dump --from`
 * and the TUI's go-to-time prompt. Pure: "now" and the time zone offset are passed in.
 */

const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90s`, `10m`, `12h`, `7d`, `2w` (a bare number is seconds) → ms; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([smhdw]?)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * DURATION_UNITS[m[2] === '' ? 's' : m[2]];
}

/**
 * A point in time → ms since the epoch:
 * - `14:05` or `14:05:30`: that wall-clock time today, or yesterday when it is still to come;
 * - `-10m`, `-2h`, `-90s`, `-1d`: that long before now; `now`;
 * - ISO 8601 (`2026-12-04T14:05:00Z`, `2026-12-04 14:05`, with or without an offset: local time without one).
 * `tzOffsetMinutes` is Date#getTimezoneOffset() of the viewer (minutes to add to local time to get UTC).
 */
export function parseTimeSpec(text: string, now: number, tzOffsetMinutes: number): number | undefined {
  const t = text.trim();
  if (t === 'now') return now;
  const ago = /^-(.+)$/.exec(t);
  if (ago) {
    const ms = parseDuration(ago[1]);
    return ms === undefined ? undefined : now - ms;
  }
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (clock) {
    const [h, m, s] = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)];
    if (h > 23 || m > 59 || s > 59) return undefined;
    const day = 86_400_000;
    const localNow = now - tzOffsetMinutes * 60_000;
    const midnight = localNow - (((localNow % day) + day) % day);
    let at = midnight + ((h * 60 + m) * 60 + s) * 1000 + tzOffsetMinutes * 60_000;
    if (at > now) at -= day;
    return at;
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (!iso) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = iso;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), frac ? Math.round(Number(frac) * 1000) : 0);
  if (Number.isNaN(utc) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (zone === undefined) return utc + tzOffsetMinutes * 60_000;
  if (zone === 'Z') return utc;
  const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone) as RegExpExecArray;
  const offset = (Number(z[2]) * 60 + Number(z[3])) * (z[1] === '+' ? 1 : -1);
  return utc - offset * 60_000;
}

/** The accepted forms, for error messages. */
export const TIME_FORMS = 'HH:MM[:SS], -10m (ago: s m h d), now, or ISO 8601 (2026-12-04T14:05:00Z)';
