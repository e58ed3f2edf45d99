/**
 * Reading a history store from the command line: `--once --replay DIR [--at TIME]`
 * prints one recorded frame through the same printers as a live one.
 */
import { HistoryReader, FrameEntry } from '../history/store-reader';
import { segmentStart } from '../history/retention';
import { parseTimeSpec, TIME_FORMS } from '../history/units';
import type { Snapshot } from '../model/snapshot';
import { sanitize } from '../view/text';

/** Opens a store, or writes its one-line reason to `err` and returns undefined. */
export function openStore(dir: string, err: NodeJS.WritableStream): HistoryReader | undefined {
  const opened = HistoryReader.open(dir);
  if (opened.ok) return opened.store;
  err.write(`proctop: ${sanitize(opened.message)}\n`);
  return undefined;
}

/**
 * How long after T a segment may start and still hold the frame at or before T: a frame is timed
 * at its scan's start, a little before the append that starts its segment.
 */
export const SEGMENT_START_SLACK_MS = 60_000;

/**
 * The segments (names, oldest first) to read for the frame at or before `at` (the last frame when
 * undefined): the last one started by `at` (+ {@link SEGMENT_START_SLACK_MS}) and `earlier` more
 * before it; the first one when none had started by then.
 */
export function segmentsFor(names: readonly string[], at: number | undefined, earlier: number): readonly string[] {
  let last = names.length - 1;
  if (at !== undefined) while (last > 0 && (segmentStart(names[last] as string) ?? -Infinity) > at + SEGMENT_START_SLACK_MS) last--;
  return names.slice(Math.max(0, last - earlier), last + 1);
}

/**
 * The frame at or before `at` (the last frame without it), reading only the segments that can
 * hold it: the one started by then, then more before it while it has no such frame (whole
 * damaged segments, a frame timed before its segment's start). A day's store is 24 segments and
 * opening all of them (their indexes) was ~60 ms of the cold `--once --replay --at` (budget
 * 300 ms). A one-line error (written to `err`) when the store has nothing there.
 */
export function seekFrame(dir: string, at: number | undefined, err: NodeJS.WritableStream): { entry: FrameEntry; snapshot: Snapshot } | undefined {
  for (let earlier = 0; ; earlier = earlier * 2 + 1) {
    // Whether the oldest segment is in: segments after the picked ones start too late to help.
    let whole = true;
    const opened = HistoryReader.open(dir, (names) => {
      const picked = segmentsFor(names, at, earlier);
      whole = picked[0] === names[0];
      return picked;
    });
    if (!opened.ok && !whole) continue;
    if (!opened.ok) {
      err.write(`proctop: ${sanitize(opened.message)}\n`);
      return undefined;
    }
    const store = opened.store;
    try {
      const found = frameAt(store, at);
      if (typeof found === 'string' && !whole) continue;
      reportWarnings(store, err);
      if (typeof found === 'string') {
        err.write(`proctop: ${sanitize(found)}\n`);
        return undefined;
      }
      return found;
    } finally {
      store.close();
    }
  }
}

/** Each store warning once on stderr (damaged records skipped and the like). */
export function reportWarnings(store: HistoryReader, err: NodeJS.WritableStream, seen = new Set<string>()): void {
  for (const w of store.warnings) {
    if (seen.has(w)) continue;
    seen.add(w);
    err.write(`proctop: warning: ${sanitize(w)}\n`);
  }
}

/** A time flag as ms since the epoch, or a one-line error. */
export function resolveTime(spec: string, flag: string, now = Date.now()): number | string {
  const t = parseTimeSpec(spec, now, new Date(now).getTimezoneOffset());
  return t === undefined ? `${flag}: cannot read ${JSON.stringify(spec)}; expected ${TIME_FORMS}` : t;
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

/**
 * The frame at or before `at` (the last frame without it) and its snapshot; a damaged frame
 * gives way to the one before it. A one-line error when the store has nothing there.
 */
export function frameAt(store: Pick<HistoryReader, 'frames' | 'dir' | 'read' | 'indexAtOrBefore'>, at: number | undefined): { entry: FrameEntry; snapshot: Snapshot } | string {
  const first = store.frames[0];
  const last = store.frames[store.frames.length - 1];
  if (!first || !last) return `no frames in ${store.dir}`;
  let i = at === undefined ? store.frames.length - 1 : store.indexAtOrBefore(at);
  if (i < 0) return `no frame at or before ${iso(at as number)}: ${store.dir} starts at ${iso(first.time)}`;
  for (; i >= 0; i--) {
    const snapshot = store.read(store.frames[i]);
    if (snapshot) return { entry: store.frames[i], snapshot };
  }
  return `every frame at or before ${iso(at ?? last.time)} in ${store.dir} is damaged`;
}
