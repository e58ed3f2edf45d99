import { Snapshot } from '../model/snapshot';
import { frameRows, FrameRows } from '../view/build-view';
import { UiState } from '../view/ui-state';

/**
 * The rows of the frame, rebuilt only when what they depend on changed: the frames and a few
 * settings, not the selection. A key that only moves the selection reuses them (a sort over
 * 20,000 processes per key press would lag typing).
 */
export class RowsMemo {
  private key: readonly unknown[] = [];
  private rows: FrameRows | undefined;

  get(state: UiState, snapshot: Snapshot, previous: Snapshot | undefined): FrameRows {
    const key = [snapshot, previous, state.sortKey, state.descending, state.tree, state.filter, state.uid, state.pids, state.showKernel, state.showThreads, state.collapsed, state.highlight];
    if (!this.rows || key.length !== this.key.length || key.some((k, i) => k !== this.key[i])) {
      this.rows = frameRows(state, snapshot, previous);
      this.key = key;
    }
    return this.rows;
  }
}
