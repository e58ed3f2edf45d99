import { Snapshot } from '../model/snapshot';
import { DetailsInput, ProcessDetails } from '../view/details-view';
import { UiState } from '../view/ui-state';

/** Reads the details of a process (pid + start time checked); undefined when it is gone. */
export type ReadDetails = (pid: number, startTicks: number) => ProcessDetails | undefined;

interface Reading {
  readonly key: string;
  readonly current: ProcessDetails | undefined;
  readonly previous: ProcessDetails | undefined;
  /** Clock time of the current reading, ms. */
  readonly at: number;
  /** ms between the previous reading and the current one (0 for the first). */
  readonly elapsed: number;
}

/**
 * The details panel's data: read when the panel opens and once per refresh, never per key press
 * (one read scans every stat file for children). Two readings give thread CPU%.
 */
export class DetailsCache {
  private reading: Reading | undefined;

  constructor(private readonly read: ReadDetails, private readonly now: () => number) {}

  /** The panel's input for `state`, reading again when `fresh` (a new frame) or the target changed. */
  input(state: UiState, snapshot: Snapshot, fresh: boolean, tzOffset: number, past = false): DetailsInput | undefined {
    const mode = state.mode;
    if (mode.kind !== 'details') {
      this.reading = undefined;
      return undefined;
    }
    const { pid, startTicks } = mode.target;
    const process = snapshot.processes.find((p) => p.pid === pid && p.startTicks === startTicks);
    if (past) {
      // A frame from the past: what it recorded, nothing read (the process may be gone or its PID reused).
      this.reading = undefined;
      return { details: undefined, previous: undefined, elapsedMs: 0, process, now: snapshot.time, tzOffset, past: { time: snapshot.time, processes: snapshot.processes, pid } };
    }
    const key = `${pid}:${startTicks}`;
    const last = this.reading?.key === key ? this.reading : undefined;
    if (!last || fresh) {
      const at = this.now();
      const current = this.read(pid, startTicks);
      this.reading = last ? { key, current, previous: last.current, at, elapsed: at - last.at } : { key, current, previous: undefined, at, elapsed: 0 };
    }
    const r = this.reading as Reading;
    return { details: r.current, previous: r.previous, elapsedMs: r.elapsed, process, now: snapshot.time, tzOffset };
  }
}
