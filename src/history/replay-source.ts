/**
 * `proctop --replay DIR`: the TUI's source over a history store. Never live
 * (nothing on screen may be signalled: the processes may be long gone or
 * their PIDs reused). The cursor moves with the time keys; at the newest frame
 * (opened without --at, or after L) it follows the store: when a recorder
 * still writes to it, each refresh reopens the store once its mark changed
 * and shows the newest frame, as the live screen follows /proc. A step back
 * stops following, so a frame stays on screen until the user moves.
 */
import type { Snapshot } from '../model/snapshot';
import type { SnapshotSource, TimelineInfo, TimeTravel, TravelResult, TravelTo } from '../model/snapshot-source';
import { findGaps } from '../model/timeline';
import { HistoryReader, type OpenResult } from './store-reader';

/** Opens a store again (HistoryReader.open; a test may count or fake it). */
export type Reopen = (dir: string) => OpenResult;

export class ReplaySource implements SnapshotSource {
  readonly name = 'recorded';
  readonly live = false;
  readonly travel: TimeTravel;
  private gaps: [number, number][] = [];
  private reboots: number[] = [];

  /**
   * `index`: the frame on screen (its snapshot already read by the caller); `following`: new
   * frames of the store replace it as they are written.
   */
  private constructor(private store: HistoryReader, private index: number, private following: boolean, private readonly reopen: Reopen) {
    this.travel = { travel: (to) => this.go(to), timeline: () => this.timeline() };
    this.survey();
  }

  /** Gaps and reboots of the frames held. */
  private survey(): void {
    const frames = this.store.frames;
    this.gaps = findGaps(frames.map((f) => f.time));
    this.reboots = [];
    for (let i = 1; i < frames.length; i++) {
      const f = frames[i];
      const before = frames[i - 1];
      if (f && before && f.segment.header.bootId !== before.segment.header.bootId) this.reboots.push(f.time);
    }
  }

  /**
   * Opens the replay at the frame at or before `at` (default: the last); a damaged frame gives way
   * to the one before it. A one-line reason when there is none.
   */
  static open(store: HistoryReader, at: number | undefined, reopen: Reopen = (dir) => HistoryReader.open(dir)): { source: ReplaySource; first: Snapshot; previous: Snapshot | undefined } | string {
    const frames = store.frames;
    if (frames.length === 0) return `no frames in ${store.dir}`;
    const entry = at === undefined ? frames[frames.length - 1] : store.frameAtOrBefore(at);
    if (!entry) return `no frame at or before ${new Date(at as number).toISOString()}: ${store.dir} starts at ${new Date((frames[0] as { time: number }).time).toISOString()}`;
    const source = new ReplaySource(store, frames.indexOf(entry), at === undefined, reopen);
    const found = source.readFrom(source.index, -1);
    if (!found) return `every frame at or before ${new Date(entry.time).toISOString()} in ${store.dir} is damaged`;
    source.index = found.index;
    return { source, first: found.snapshot, previous: source.previousOf(found.index) };
  }

  /** The store's host name (of the segment on screen), for the header. */
  get host(): string {
    return this.store.frames[this.index]?.segment.header.host ?? '?';
  }

  /** While following: the newest frame when the store has grown since the last look; else nothing newer. */
  sample(): Promise<Snapshot | undefined> {
    if (!this.following || !this.refresh()) return Promise.resolve(undefined);
    const found = this.readFrom(this.store.frames.length - 1, -1);
    if (!found || found.index <= this.index) return Promise.resolve(undefined);
    this.index = found.index;
    return Promise.resolve(found.snapshot);
  }

  /**
   * Reopens the store when its mark has changed (a recorder wrote, or retention deleted a
   * segment) and keeps the cursor on the same frame time. False when nothing changed or the new
   * open failed (the store read so far stays).
   */
  private refresh(): boolean {
    const mark = HistoryReader.mark(this.store.dir);
    if (mark === undefined || mark === this.store.mark) return false;
    const opened = this.reopen(this.store.dir);
    if (!opened.ok || opened.store.frames.length === 0) {
      if (opened.ok) opened.store.close();
      return false;
    }
    const shown = (this.store.frames[this.index] as { time: number }).time;
    this.store.close();
    this.store = opened.store;
    this.index = Math.max(0, this.store.indexAtOrBefore(shown));
    this.survey();
    return true;
  }

  /** A recording holds the rows it was recorded with; the view hides or shows threads among them. */
  setThreads(): void {}

  close(): void {
    this.store.close();
  }

  /** The first readable frame from `index` on in direction `dir` (damaged frames are skipped). */
  private readFrom(index: number, dir: 1 | -1): { index: number; snapshot: Snapshot } | undefined {
    for (let i = index; i >= 0 && i < this.store.frames.length; i += dir) {
      const snapshot = this.store.read(this.store.frames[i] as NonNullable<HistoryReader['frames'][number]>);
      if (snapshot) return { index: i, snapshot };
    }
    return undefined;
  }

  private previousOf(index: number): Snapshot | undefined {
    return index > 0 ? this.readFrom(index - 1, -1)?.snapshot : undefined;
  }

  private landOn(target: number, dir: 1 | -1): TravelResult | string {
    const n = this.store.frames.length;
    const clamped = Math.max(0, Math.min(n - 1, target));
    let note = target < 0 ? 'the start of the recording' : target > n - 1 ? 'the end of the recording' : undefined;
    const found = this.readFrom(clamped, dir) ?? this.readFrom(clamped, dir === 1 ? -1 : 1);
    if (!found) return `no readable frame near ${new Date((this.store.frames[clamped] as { time: number }).time).toISOString()}`;
    if (found.index !== clamped) note = `skipped ${Math.abs(found.index - clamped)} damaged frame(s)`;
    this.index = found.index;
    return { snapshot: found.snapshot, previous: this.previousOf(found.index), note };
  }

  private go(to: TravelTo): TravelResult | string {
    // L follows the store again (and sees what was written meanwhile); any other move stops following.
    this.following = to.kind === 'live';
    if (this.following) this.refresh();
    const frames = this.store.frames;
    const shown = (frames[this.index] as { time: number }).time;
    switch (to.kind) {
      case 'live': {
        const result = this.landOn(frames.length - 1, -1);
        return typeof result === 'string' ? result : { ...result, note: 'a recording has no live system: this is its newest frame, and new frames show as they are recorded' };
      }
      case 'step':
        return this.landOn(this.index + to.frames, to.frames < 0 ? -1 : 1);
      case 'shift': {
        const entry = this.store.frameAtOrBefore(shown + to.ms);
        const i = entry ? frames.indexOf(entry) : -1;
        return this.landOn(to.ms < 0 ? Math.min(i, this.index - 1) : Math.max(i, this.index + 1), to.ms < 0 ? -1 : 1);
      }
      case 'time': {
        const entry = this.store.frameAtOrBefore(to.time);
        if (!entry) return this.landOn(-1, 1);
        return this.landOn(frames.indexOf(entry), -1);
      }
    }
  }

  private timeline(): TimelineInfo {
    const frames = this.store.frames;
    return {
      kind: 'replay',
      atLive: this.following,
      shown: (frames[this.index] as { time: number }).time,
      first: (frames[0] as { time: number }).time,
      last: (frames[frames.length - 1] as { time: number }).time,
      count: frames.length,
      index: this.index,
      gaps: this.gaps,
      reboots: this.reboots,
      origin: this.store.dir,
    };
  }
}
