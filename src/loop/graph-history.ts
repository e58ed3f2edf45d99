import { Snapshot } from '../model/snapshot';

/** Points the history graph keeps: five minutes at the default 1 s delay. */
export const GRAPH_POINTS = 300;

/** CPU busy % and memory used % of the last {@link GRAPH_POINTS} frames, oldest first, for the graph. */
export class GraphHistory {
  readonly cpu: number[] = [];
  readonly mem: number[] = [];

  /** Adds one frame's system totals; a first scan's (no interval: its CPU times are since boot) is left out. */
  record(s: Snapshot): void {
    if (s.interval === undefined) return;
    this.cpu.push(s.system.cpu.busy);
    this.mem.push(s.system.memory.total ? (s.system.memory.used * 100) / s.system.memory.total : 0);
    if (this.cpu.length > GRAPH_POINTS) {
      this.cpu.shift();
      this.mem.shift();
    }
  }
}
