import { err, ok, Result } from '../../base/result';

/**
 * `se.exec_start` from /proc/PID/sched (CONFIG_SCHED_DEBUG): when the task last ran, in ms on the
 * scheduler's clock (`2549321.454066`: ms since boot, ns after the point). For a zombie that is
 * when it exited, for a stopped or D-state task when it went to sleep. Comparable only with the
 * same field of a task running now (the reading process's own /proc/self/sched).
 */
export function parseSchedExecStart(text: string): Result<number> {
  const match = /^se\.exec_start\s*:\s*(\d+)\.(\d{1,9})\s*$/m.exec(text);
  if (!match) return err('sched: no se.exec_start line');
  // Whole ms and the fraction kept apart, so a large clock keeps its sub-millisecond digits.
  const ms = Number(match[1]);
  const fraction = Number(`0.${match[2] ?? '0'}`);
  return Number.isSafeInteger(ms) ? ok(ms + fraction) : err('sched: se.exec_start out of range');
}
