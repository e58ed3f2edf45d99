/**
 * Reading a history store from the command line: `--once --replay DIR [--at TIME]`
 * prints one recorded frame through the same printers as a live one.
 */
import { HistoryReader, FrameEntry } from '../history/store-reader';
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
