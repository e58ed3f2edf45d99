/**
 * The first frame sooner (issue 15): the live source may read argv, uid and statm for the rows on
 * screen first and for the rest right after the first paint. Which starts allow it, and which rows.
 */
import { findColumn } from '../model/columns';
import { Snapshot } from '../model/snapshot';
import { frameRows } from './build-view';
import { UiState } from './ui-state';

/**
 * Columns whose values come from argv, uid or statm, which a split first scan leaves unread on
 * rows off screen until its rest (command, owner, RES, SHR, MEM%): sorting on one needs them on
 * every row. A unit test checks this set against the column table.
 */
export const FIRST_SCAN_UNREAD: ReadonlySet<string> = new Set(['user', 'uid', 'command', 'res', 'shr', 'mem']);

/**
 * Whether the first frame can be read in two steps: its order and its selection must need nothing
 * left unread. Any filter, -u or -p reads everything first (a filter may name cmd or user).
 */
export function firstScanSplits(state: Pick<UiState, 'filter' | 'uid' | 'pids' | 'sortKey'>): boolean {
  if (state.filter.trim() !== '' || state.uid !== undefined || state.pids !== undefined) return false;
  return !FIRST_SCAN_UNREAD.has(findColumn(state.sortKey)?.id ?? state.sortKey);
}

/**
 * The pids whose rows can be on the first screen: the first `lines` rows of the frame in the
 * state's order (a thread row stands for its process, whose reads it shows). `lines` is the
 * terminal's height, more than the table gets.
 */
export function firstScreenPids(state: UiState, partial: Snapshot, lines: number): number[] {
  return frameRows(state, partial, undefined).rows.slice(0, Math.max(0, lines)).map(({ process: p }) => (p.thread ? p.tgid : p.pid));
}

/**
 * Sorts whose first frame is in pid order whatever the processes hold: PID itself, and CPU%, which
 * no first frame knows (it needs two scans: every row ties, and ties go by pid, ascending in either
 * direction: model/sort.ts).
 */
const PID_ORDER_ON_FIRST_FRAME: ReadonlySet<string> = new Set(['pid', 'cpu']);

/**
 * Whether the first screen's rows are known from the pid list alone, and in which order: a list
 * (not the tree, which needs every parent), no thread rows, kernel threads shown, nothing that
 * hides rows (filter, -u, -p), no cgroup reads (their table counts every process), in pid order
 * ({@link PID_ORDER_ON_FIRST_FRAME}). Then only those rows are read before the first paint, and
 * the rest right after it; the header's counts wait for the rest.
 */
export function screenFirstOrder(state: Pick<UiState, 'filter' | 'uid' | 'pids' | 'sortKey' | 'descending' | 'tree' | 'showThreads' | 'showKernel'>, cgroups: boolean): 'ascending' | 'descending' | undefined {
  if (state.tree || state.showThreads || !state.showKernel || cgroups) return undefined;
  if (state.filter.trim() !== '' || state.uid !== undefined || state.pids !== undefined) return undefined;
  const id = findColumn(state.sortKey)?.id;
  if (id === undefined || !PID_ORDER_ON_FIRST_FRAME.has(id)) return undefined;
  return id === 'pid' && state.descending ? 'descending' : 'ascending';
}

/** The first `lines` of these pids in that order (`lines`: the terminal's height, more than the table gets). */
export function screenFirstPids(pids: readonly number[], order: 'ascending' | 'descending', lines: number): number[] {
  const sorted = [...pids].sort((a, b) => (order === 'ascending' ? a - b : b - a));
  return sorted.slice(0, Math.max(0, lines));
}
