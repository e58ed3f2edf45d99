/**
 * Metric families as plain data: what the exporter knows, before any text
 * format. The families are built by pure functions from a snapshot (see
 * host-families.ts, group-families.ts) and printed by exposition.ts.
 */

/** Prometheus metric types proctop exports. `info` prints as a gauge named `…_info` in the 0.0.4 text format. */
export type MetricType = 'gauge' | 'counter' | 'info';

/** Label name → value pairs, in print order. */
export type Labels = readonly (readonly [string, string])[];

/** One series of a family. */
export interface Sample {
  readonly labels: Labels;
  readonly value: number;
}

/** One metric family: HELP, TYPE and its series. */
export interface MetricFamily {
  /**
   * The OpenMetrics family name: for a counter without its `_total` suffix,
   * for an info metric without `_info` (the formatters add them).
   */
  readonly name: string;
  /** One line, plain text (the formatters escape it). */
  readonly help: string;
  readonly type: MetricType;
  /** Unit suffix of the name (`seconds`, `bytes`) for OpenMetrics' `# UNIT`; the name must end with it. */
  readonly unit?: string;
  readonly samples: readonly Sample[];
}

/** A family of one unlabelled sample. */
export function single(name: string, help: string, type: MetricType, value: number, extra: Partial<Pick<MetricFamily, 'unit'>> = {}): MetricFamily {
  return { name, help, type, ...extra, samples: [{ labels: [], value }] };
}

/**
 * Keeps the `cap` samples with the highest values (ties: the order given) and
 * sums the rest into one series labelled `rest`, so a family never holds more
 * than cap + 1 series whatever the host does.
 */
export function capSamples(samples: readonly Sample[], cap: number, rest: Labels): Sample[] {
  if (samples.length <= cap) return [...samples];
  const ordered = samples.map((s, i) => ({ s, i })).sort((a, b) => b.s.value - a.s.value || a.i - b.i);
  const kept = ordered.slice(0, cap).map((x) => x.s);
  const sum = ordered.slice(cap).reduce((total, x) => total + x.s.value, 0);
  return [...kept, { labels: rest, value: sum }];
}
