/**
 * `proctop --replay DIR`: the TUI's source over a history store. Never live
 * (nothing on screen may be signalled: the processes may be long gone or
 * their PIDs reused); the cursor moves only with the time keys, so a frame
 * stays on screen until the user moves.
 */
import type { Snapshot } from '../model/snapshot';
import type { SnapshotSource, TimelineInfo, TimeTravel, TravelResult, TravelTo } from '../model/snapshot-source';
import { findGaps } from '../model/timeline';
import type { HistoryReader } from './store-reader';

export class ReplaySource implements SnapshotSource {
  readonly name = 'recorded';
  readonly live = false;
  readonly travel: TimeTravel;
  private readonly gaps: [number, number][];
  private readonly reboots: number[];

  /** `index`: the frame on screen (its snapshot already read by the caller). */
  private constructor(private readonly store: HistoryReader, private index: number) {
    this.travel = { travel: (to) => this.go(to), timeline: () => this.timeline() };
    const frames = store.frames;
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
  static open(store: HistoryReader, at: number | undefined): { source: ReplaySource; first: Snapshot; previous: Snapshot | undefined } | string {
    const frames = store.frames;
    if (frames.length === 0) return `no frames in ${store.dir}`;
    const entry = at === undefined ? frames[frames.length - 1] : store.frameAtOrBefore(at);
    if (!entry) return `no frame at or before ${new Date(at as number).toISOString()}: ${store.dir} starts at ${new Date((frames[0] as { time: number }).time).toISOString()}`;
    const source = new ReplaySource(store, frames.indexOf(entry));
    const found = source.readFrom(source.index, -1);
    if (!found) return `every frame at or before ${new Date(entry.time).toISOString()} in ${store.dir} is damaged`;
    source.index = found.index;
    return { source, first: found.snapshot, previous: source.previousOf(found.index) };
  }

  /** The store's host name (of the segment on screen), for the header. */
  get host(): string {
    return this.store.frames[this.index]?.segment.header.host ?? '?';
  }

  /** Nothing newer arrives by itself: the time keys move the cursor. */
  sample(): Promise<Snapshot | undefined> {
    return Promise.resolve(undefined);
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
    const frames = this.store.frames;
    const shown = (frames[this.index] as { time: number }).time;
    switch (to.kind) {
      case 'live': {
        const result = this.landOn(frames.length - 1, -1);
        return typeof result === 'string' ? result : { ...result, note: 'a recording has no live system: this is its last frame' };
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
      atLive: false,
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
