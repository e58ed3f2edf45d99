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
