import { Snapshot } from '../model/snapshot';
import { refreshPace } from '../view/refresh-pace';
import { LoopDeps, Timer } from './ports';

/** The first CPU% needs a second scan: it comes after at most this long, not a whole interval. */
const FIRST_RESCAN_MS = 500;
/** After a signal or renice the next scan comes this soon, so its effect shows. */
const RESCAN_AFTER_EFFECT_MS = 250;

/** What the refresh asks of the loop. */
export interface RefreshHost {
  /** The refresh interval now, ms (the delay setting). */
  intervalMs(): number;
  /** The user paused the refresh: ticks redraw without sampling. */
  paused(): boolean;
  isDone(): boolean;
  /** A tick's outcome: the new sample (undefined when paused) and a back-off to announce; the loop draws it. */
  sampled(next: Snapshot | undefined, announce: string | undefined): void;
  shutdown(code: number, err?: unknown): void;
}

/**
 * The refresh timer: one sample at a time, the next scheduled only after the previous one
 * finished (a slow scan can never pile up), backed off while scans are slow, ended after -n
 * refreshes.
 */
export class Refresh {
  private timer: Timer | undefined;
  private sampling = false;
  private iterations = 0;
  /** The last scan was slow and the refresh is backed off (announced once, when it starts). */
  private backedOff = false;

  constructor(private readonly deps: Pick<LoopDeps, 'clock' | 'source' | 'maxIterations'>, private readonly host: RefreshHost) {}

  /** The first rescan, sooner than a whole interval. */
  start(): void {
    this.schedule(Math.min(this.host.intervalMs(), FIRST_RESCAN_MS));
  }

  /** The next scan soon, so an effect's result shows. */
  soon(): void {
    this.schedule(Math.min(this.host.intervalMs(), RESCAN_AFTER_EFFECT_MS));
  }

  stop(): void {
    this.timer?.cancel();
  }

  /** Takes the next frame (unless paused), has it drawn and schedules the one after. */
  tick(): void {
    if (this.host.isDone() || this.sampling) return;
    this.timer?.cancel();
    const interval = this.host.intervalMs();
    const started = this.deps.clock.now();
    if (this.host.paused()) return this.afterSample(undefined, started, interval);
    this.sampling = true;
    this.deps.source.sample().then((next) => this.afterSample(next, started, interval), (err: unknown) => this.host.shutdown(1, err));
  }

  private schedule(ms: number): void {
    this.timer?.cancel();
    this.timer = this.deps.clock.setTimer(() => this.tick(), ms);
  }

  private afterSample(next: Snapshot | undefined, started: number, interval: number): void {
    this.sampling = false;
    if (this.host.isDone()) return;
    let wait = interval;
    let announce: string | undefined;
    if (next) {
      this.iterations++;
      const pace = refreshPace(this.deps.clock.now() - started, interval, this.backedOff);
      wait = pace.waitMs;
      this.backedOff = pace.backedOff;
      announce = pace.announce;
    }
    this.host.sampled(next, announce);
    if (this.deps.maxIterations !== undefined && this.iterations >= this.deps.maxIterations) return this.host.shutdown(0);
    this.schedule(wait);
  }
}
