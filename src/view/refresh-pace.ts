/**
 * How long to wait before the next scan. A scan that eats more than half the
 * interval would keep a core busy: the wait becomes twice the scan, and the
 * status line says so once, as the back-off starts (saying it on every slow
 * tick hid what a signal or a refusal had just reported).
 */
export function refreshPace(tookMs: number, intervalMs: number, wasBackedOff: boolean): { waitMs: number; backedOff: boolean; announce: string | undefined } {
  if (tookMs <= intervalMs / 2) return { waitMs: intervalMs, backedOff: false, announce: undefined };
  const waitMs = Math.ceil(tookMs * 2);
  const announce = wasBackedOff ? undefined : `A scan took ${tookMs} ms; refreshing every ${(waitMs / 1000).toFixed(1)} s instead of ${(intervalMs / 1000).toFixed(1)} s`;
  return { waitMs, backedOff: true, announce };
}
