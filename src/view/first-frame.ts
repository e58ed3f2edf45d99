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
