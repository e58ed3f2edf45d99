/**
 * The live TUI's source with a past: every live frame also goes into a
 * {@link FrameRing}; the time keys move a cursor over the ring. While the
 * cursor is in the past the live scans go on (the ring keeps filling, so
 * "back to live" shows the present) but `sample()` returns undefined (the
 * screen keeps the old frame) and `live` is false: nothing on screen may
 * be acted on.
 */
import type { Snapshot } from '../model/snapshot';
import type { SnapshotSource, TimelineInfo, TimeTravel, TravelResult, TravelTo } from '../model/snapshot-source';
import { findGaps } from '../model/timeline';
import { FrameRing } from './frame-ring';

/** Frames decoded recently, by time: stepping back and forth over a few frames decodes each once. */
const DECODED_CACHE = 4;

export class RewindSource implements SnapshotSource {
  readonly name = 'rewind';
  readonly travel: TimeTravel;
  /** Time of the frame on screen while in the past; undefined while following live. */
  private cursor: number | undefined;
  private latest: Snapshot | undefined;
  private beforeLatest: Snapshot | undefined;
  private readonly decoded = new Map<number, Snapshot>();
  /** Frames sampled but not yet encoded into the ring (see `later`). */
  private pending: Snapshot[] = [];

  /**
   * @param later runs the ring's encoding after the frame is drawn (the live TUI passes setImmediate:
   *   encoding and compressing a frame of 2,000 processes took 20-90 ms of the first frame's time);
   *   without it each frame is encoded as it is sampled. Travelling encodes what is pending first.
   */
  constructor(private readonly inner: SnapshotSource, private readonly ring: FrameRing, private readonly later?: (run: () => void) => void) {
    this.travel = { travel: (to) => this.go(to), timeline: () => this.timeline() };
  }

  /** True while the screen follows the live system. */
  get live(): boolean {
    return this.cursor === undefined && this.inner.live;
  }

  async sample(): Promise<Snapshot | undefined> {
    const next = await this.inner.sample();
    return next && this.take(next);
  }

  /**
   * A live frame sampled outside `sample()` (the first frame, read in two steps by the live source):
   * kept as if sampled. Returns it, or undefined while the cursor is in the past.
   */
  take(next: Snapshot): Snapshot | undefined {
    if (this.later) {
      if (this.pending.length === 0) this.later(() => this.flush());
      this.pending.push(next);
    } else {
      this.ring.push(next);
    }
    this.beforeLatest = this.latest;
    this.latest = next;
    return this.cursor === undefined ? next : undefined;
  }

  setThreads(on: boolean): void {
    this.inner.setThreads(on);
  }

  close(): void {
    this.inner.close();
  }

  /** Encodes the frames sampled since the last flush into the ring. */
  private flush(): void {
    const frames = this.pending;
    this.pending = [];
    for (const frame of frames) this.ring.push(frame);
  }

  private read(index: number): Snapshot {
    const time = this.ring.timeAt(index);
    const cached = this.decoded.get(time);
    if (cached) return cached;
    const snapshot = this.ring.read(index);
    this.decoded.set(time, snapshot);
    if (this.decoded.size > DECODED_CACHE) this.decoded.delete(this.decoded.keys().next().value as number);
    return snapshot;
  }

  /** Index of the frame on screen (the newest while live; the oldest when the shown one has been evicted). */
  private shownIndex(): number {
    if (this.cursor === undefined) return this.ring.length - 1;
    return Math.max(0, this.ring.indexAtOrBefore(this.cursor));
  }

  private backToLive(note: string | undefined): TravelResult | string {
    if (!this.latest) return 'nothing recorded yet';
    this.cursor = undefined;
    return { snapshot: this.latest, previous: this.beforeLatest, note };
  }

  private landOn(index: number, note: string | undefined): TravelResult | string {
    const last = this.ring.length - 1;
    if (index >= last) return this.backToLive(note);
    const i = Math.max(0, index);
    this.cursor = this.ring.timeAt(i);
    const oldest = index < 0 ? `the oldest frame in memory (rewind keeps ${Math.round(this.ring.maxAgeMs / 60_000)} min)` : undefined;
    return { snapshot: this.read(i), previous: i > 0 ? this.read(i - 1) : undefined, note: note ?? oldest };
  }

  private go(to: TravelTo): TravelResult | string {
    this.flush();
    if (this.ring.length === 0 || !this.latest) return 'nothing recorded yet';
    const at = this.shownIndex();
    const shown = this.cursor ?? this.latest.time;
    switch (to.kind) {
      case 'live':
        return this.backToLive(undefined);
      case 'step':
        return this.landOn(at + to.frames, undefined);
      case 'shift': {
        if (shown + to.ms >= this.latest.time) return this.backToLive(undefined);
        const i = this.ring.indexAtOrBefore(shown + to.ms);
        // A shift always moves at least one frame (frames further apart than the shift).
        return this.landOn(to.ms < 0 ? Math.min(i, at - 1) : Math.max(i, at + 1), undefined);
      }
      case 'time': {
        if (to.time >= this.latest.time) return this.backToLive(undefined);
        return this.landOn(this.ring.indexAtOrBefore(to.time), undefined);
      }
    }
  }

  private timeline(): TimelineInfo {
    // Drawn on every frame: the pending frames count by their times, without encoding them now.
    const times = [...this.ring.times(), ...this.pending.map((f) => f.time)];
    const first = times[0] ?? this.latest?.time ?? 0;
    const last = times[times.length - 1] ?? first;
    return {
      kind: 'rewind',
      atLive: this.cursor === undefined,
      shown: this.cursor ?? last,
      first,
      last,
      count: times.length,
      index: this.cursor === undefined ? times.length - 1 : this.shownIndex(),
      gaps: findGaps(times),
      reboots: [],
      origin: `the last ${Math.round(this.ring.maxAgeMs / 60_000)} min in memory`,
    };
  }
}
