/**
 * Gaps in a run of frame times: where frames were due and none came (the
 * recorder was down, the monitor was paused or suspended). Pure.
 */

/** The median spacing of `times` (sorted, ms); undefined with fewer than two frames. */
export function typicalSpacing(times: readonly number[]): number | undefined {
  if (times.length < 2) return undefined;
  const deltas: number[] = [];
  for (let i = 1; i < times.length; i++) deltas.push((times[i] as number) - (times[i - 1] as number));
  deltas.sort((a, b) => a - b);
  return deltas[Math.floor(deltas.length / 2)];
}

/**
 * Spans between consecutive frames longer than 2.5× the typical spacing (and at least 2 s longer
 * than it, so a slow scan or a timer late by a moment is no gap): `[last frame before, first after]`.
 */
export function findGaps(times: readonly number[]): [number, number][] {
  const typical = typicalSpacing(times);
  if (typical === undefined) return [];
  const limit = Math.max(typical * 2.5, typical + 2000);
  const gaps: [number, number][] = [];
  for (let i = 1; i < times.length; i++) {
    const a = times[i - 1] as number;
    const b = times[i] as number;
    if (b - a > limit) gaps.push([a, b]);
  }
  return gaps;
}
