import { DEFAULT_STUCK_AFTER_MS } from './settings';
import type { ProcessInfo } from './snapshot';

/** Milliseconds `p` has been in its current state at `now` (as proctop tracked it). */
export function stateAgeMs(p: Pick<ProcessInfo, 'stateSince'>, now: number): number {
  return now - p.stateSince;
}

/**
 * The one rule for "stuck", used by the `stuck` query word, `--once --json`'s
 * `stuck` and the zombie view: in D (uninterruptible sleep) for longer than `afterMs`.
 */
export function isStuck(p: Pick<ProcessInfo, 'state' | 'stateSince'>, now: number, afterMs: number = DEFAULT_STUCK_AFTER_MS): boolean {
  return p.state === 'D' && stateAgeMs(p, now) > afterMs;
}
