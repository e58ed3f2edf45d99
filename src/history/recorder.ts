/**
 * `proctop record`'s loop: a scan every interval, appended to the store. It
 * prints nothing but errors: a write failure (full disk, read-only
 * directory) is reported at most once an hour while sampling goes on into
 * memory, and the waiting frames are written when the disk takes them again.
 * A stop (SIGTERM/SIGINT) lets the frame being taken finish, then exits 0.
 */
import type { Snapshot } from '../model/snapshot';
import { StoreWriter } from './store-writer';

/** How often a continuing write failure is reported again. */
export const REPORT_EVERY_MS = 3_600_000;

export interface RecorderDeps {
  readonly sample: () => Snapshot;
  readonly writer: Pick<StoreWriter, 'append' | 'flush' | 'close' | 'pendingFrames'>;
  readonly dir: string;
  readonly intervalMs: number;
  readonly now: () => number;
  /** Errors only. */
  readonly report: (line: string) => void;
}

export class Recorder {
  private lastReport = -Infinity;
  private failing = false;
  private failedAt = 0;

  constructor(private readonly deps: RecorderDeps) {}

  /** Takes one frame and stores it (or keeps it in memory while the store cannot be written). */
  tick(): void {
    const outcome = this.deps.writer.append(this.deps.sample());
    const now = this.deps.now();
    if (outcome.error) {
      if (!this.failing) this.failedAt = now;
      this.failing = true;
      if (now - this.lastReport >= REPORT_EVERY_MS) {
        this.lastReport = now;
        const e = outcome.error;
        this.deps.report(`proctop record: cannot write to ${this.deps.dir}: ${e.code ?? 'error'} (${e.message.replace(/\s+/g, ' ')}); `
          + `sampling on into memory (${outcome.pendingFrames} frame(s) waiting${outcome.droppedFrames > 0 ? `, ${outcome.droppedFrames} dropped` : ''}); retrying every interval`);
      }
    } else if (this.failing) {
      this.failing = false;
      this.lastReport = -Infinity;
      this.deps.report(`proctop record: writing to ${this.deps.dir} again after ${Math.round((now - this.failedAt) / 1000)} s; the frames kept in memory are written`
        + `${outcome.droppedFrames > 0 ? ` (${outcome.droppedFrames} dropped while waiting)` : ''}`);
    }
  }

  /** Frames that could not be written (only while failing). */
  finish(): number {
    if (this.deps.writer.pendingFrames > 0) this.deps.writer.flush();
    const lost = this.deps.writer.pendingFrames;
    this.deps.writer.close();
    if (lost > 0) this.deps.report(`proctop record: exiting with ${lost} frame(s) that could not be written to ${this.deps.dir}`);
    return lost;
  }

  /**
   * Runs until `stop` resolves: one tick at start, then one per interval on
   * the interval's grid (a slow tick does not shift the ones after it; a
   * missed one is skipped, never run twice).
   */
  async run(stop: Promise<void>): Promise<void> {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let wake: (() => void) | undefined;
    void stop.then(() => {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
    });
    const start = this.deps.now();
    let n = 0;
    while (!stopped) {
      // Ticks are synchronous: a signal is handled between them, so a frame is never cut in half.
      this.tick();
      const elapsed = this.deps.now() - start;
      n = Math.max(n + 1, Math.ceil(elapsed / this.deps.intervalMs));
      const wait = Math.max(0, start + n * this.deps.intervalMs - this.deps.now());
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, wait);
      });
    }
    this.finish();
  }
}
