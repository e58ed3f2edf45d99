import { err, ok, Result } from '../../base/result';

/** /proc/loadavg: `0.52 0.58 0.59 2/1186 12345`. */
export interface LoadAvg {
  readonly load: readonly [number, number, number];
  /** Scheduling entities (threads) that exist, the number after the slash. */
  readonly entities: number;
}

export function parseLoadavg(text: string): Result<LoadAvg> {
  const [a, b, c, counts] = text.trim().split(/\s+/);
  const load = [Number(a), Number(b), Number(c)] as const;
  if (load.some((n) => !Number.isFinite(n))) return err('loadavg: need three numbers');
  return ok({ load, entities: Number((counts ?? '').split('/')[1]) || 0 });
}

/** /proc/uptime: seconds since boot (first number). */
export function parseUptime(text: string): Result<number> {
  const word = text.trim().split(/\s+/)[0];
  const seconds = word ? Number(word) : NaN; // Number('') would be 0
  return Number.isFinite(seconds) ? ok(seconds) : err('uptime: not a number');
}
