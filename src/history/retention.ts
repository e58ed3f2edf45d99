/**
 * Which segments to delete: those older than the age limit, then the
 * oldest while the store is over its size limit. Whole segments only, oldest
 * first, never the one being written. Pure: the writer lists and deletes.
 */

export interface SegmentFileInfo {
  /** File name of the segment (`*.seg`); names sort in time order. */
  readonly name: string;
  /** Bytes of the segment and its index together. */
  readonly bytes: number;
  /** When it was last written, ms since the epoch. */
  readonly lastWrite: number;
}

export interface RetentionLimits {
  /** Delete segments whose last write is older than this, ms. */
  readonly retainMs: number;
  /** Delete the oldest segments while all together exceed this, bytes. */
  readonly maxBytes: number;
}

export function segmentsToDelete(segments: readonly SegmentFileInfo[], limits: RetentionLimits, now: number, current: string | undefined): string[] {
  const ordered = [...segments].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const doomed = new Set<string>();
  for (const s of ordered) if (s.name !== current && now - s.lastWrite > limits.retainMs) doomed.add(s.name);
  let total = ordered.reduce((sum, s) => sum + (doomed.has(s.name) ? 0 : s.bytes), 0);
  for (const s of ordered) {
    if (total <= limits.maxBytes) break;
    if (s.name === current || doomed.has(s.name)) continue;
    doomed.add(s.name);
    total -= s.bytes;
  }
  return ordered.filter((s) => doomed.has(s.name)).map((s) => s.name);
}

/** Segment file names: `20261204T153800.123Z.seg`, with `-N` when two start in the same millisecond. */
export const SEGMENT_NAME = /^\d{8}T\d{6}\.\d{3}Z(?:-\d+)?\.seg$/;

export function segmentName(created: number, attempt: number): string {
  const iso = new Date(created).toISOString().replace(/[-:]/g, '');
  return `${iso}${attempt > 0 ? `-${attempt}` : ''}.seg`;
}

/** When a segment was started (its writer's clock), from its name; undefined for another name. */
export function segmentStart(name: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z(?:-\d+)?\.seg$/.exec(name);
  if (!m) return undefined;
  const t = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`);
  return Number.isNaN(t) ? undefined : t;
}

export function indexName(segment: string): string {
  return segment.replace(/\.seg$/, '.idx');
}
