import { ProcessIdentity, Snapshot } from './snapshot';

/**
 * Where the frames of a monitor come from. The loop (src/loop/) knows a source, not which kind:
 *
 * - **live**: the /proc sampler or the portable one (src/sampler/source.ts). Every sample is a new
 *   scan of the system as it is now; processes on screen may be acted on (signals, renice,
 *   hand-offs), each act re-checking pid + start time against the system.
 * - **recorded**: frames read back from disk. The store keeps its own time cursor: `sample()`
 *   returns the frame after the cursor and moves it on; at the end of the recording it returns
 *   undefined ("nothing newer"). `live` is false.
 * - **rewind**: an in-memory ring of the last N live frames, stepped through the same way; `live`
 *   is false while it shows the past.
 *
 * A frame's own `time` (ms since the epoch, taken when it was sampled) is the "now" of that frame:
 * ages, clocks and the stuck rule are computed from it, never from the wall clock, so a recorded
 * frame shows the ages it had when it was taken.
 */
export interface SnapshotSource {
  /** What kind of source, for messages (`linux`, `portable`, `recorded`, `rewind`). */
  readonly name: string;
  /**
   * True when its frames are the system now: only then may the loop run effects that change the
   * system (signals, renice, taskset/ionice, hand-offs to strace/lsof) or read the details panel
   * from /proc. A recorded or rewound frame describes processes that may be long gone or reused.
   */
  readonly live: boolean;
  /**
   * The next frame. A live source scans now; a recorded one returns the frame after its cursor.
   * Resolves undefined when the source has nothing newer (end of a recording, a paused ring): the
   * loop keeps the frame it shows. Rejects only on a failure the monitor cannot go on from.
   */
  sample(): Promise<Snapshot | undefined>;
  /** Whether frames list threads as rows. A recorded source without threads ignores it. */
  setThreads(on: boolean): void;
  /** Releases what the source holds (open files, the portable sampler's fds). Idempotent. */
  close(): void;
  /** Present when the source can show its past (time keys); absent for a plain live sampler. */
  readonly travel?: TimeTravel;
}

/**
 * What the actions need to check that a process is still the one the user chose, read from the
 * live system right before acting. Only live sources have one.
 */
export interface ProcessProbe {
  /** Current start time of a pid (clock ticks after boot; the identity check before a signal); undefined when gone. */
  readonly startTicks: (pid: number) => number | undefined;
  /** State, parent and wait channel, for "what became of it" after a signal. */
  readonly inspect: (pid: number) => { startTicks: number; state: string; ppid: number; wchan: string | undefined } | undefined;
  /** Direct children of a pid with their start times. */
  readonly childrenOf: (pid: number) => ProcessIdentity[];
  /** Process group of a pid; undefined when gone. */
  readonly groupOf: (pid: number) => number | undefined;
}

/** Where a time key asks to go. */
export type TravelTo =
  /** ±n frames from the one on screen. */
  | { readonly kind: 'step'; readonly frames: number }
  /** ±ms from the time of the frame on screen (a minute back: −60,000). */
  | { readonly kind: 'shift'; readonly ms: number }
  /** The frame at or before this time (ms since the epoch). */
  | { readonly kind: 'time'; readonly time: number }
  /** Back to the present: the newest live frame (a recording: its last frame). */
  | { readonly kind: 'live' };

/** The frame a travel landed on, with the one before it (for new/exited highlights). */
export interface TravelResult {
  readonly snapshot: Snapshot;
  readonly previous: Snapshot | undefined;
  /** A note for the status line (clamped to the oldest frame, end of the recording, …). */
  readonly note: string | undefined;
}

/**
 * Where the frame on screen sits in what the source holds, for the header's PAUSED/REPLAY line
 * and the timeline. Times are ms since the epoch.
 */
export interface TimelineInfo {
  /** `rewind` (the live TUI's in-memory ring) or `replay` (a store on disk). */
  readonly kind: 'rewind' | 'replay';
  /**
   * True when the screen follows the newest frame: a rewind at the live present; a replay at the
   * store's newest frame, showing new ones as a recorder writes them.
   */
  readonly atLive: boolean;
  /** Time of the frame on screen. */
  readonly shown: number;
  readonly first: number;
  readonly last: number;
  /** Frames held, and the 0-based position of the one on screen. */
  readonly count: number;
  readonly index: number;
  /** Spans with no frames although frames were due (the recorder down, the monitor paused): [from, to]. */
  readonly gaps: readonly (readonly [number, number])[];
  /** Times of the first frame after a reboot (the boot id changed). */
  readonly reboots: readonly number[];
  /** Where the frames come from, for the header (`the last 10 min in memory`, a store directory). */
  readonly origin: string;
}

/** A source whose past can be shown: the rewind ring and the history store. */
export interface TimeTravel {
  /** Moves the cursor; a string says why not (nothing recorded yet, rewind off …). */
  travel(to: TravelTo): TravelResult | string;
  timeline(): TimelineInfo;
}
