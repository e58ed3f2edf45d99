/**
 * Keys of the cgroup view: move, sort, collapse, Enter (the process table
 * filtered to the selected cgroup), back. Pure, like reduce.ts.
 */
import { CGROUP_COLUMNS, findCgroupColumn } from '../model/cgroup-columns';
import { cgroupQuery } from '../model/cgroup-query';
import { MAX_QUERY_LENGTH } from '../model/query';
import { sanitize } from './text';
import { Command } from './commands';
import type { CgroupRow } from '../model/cgroup-tree';
import { CgroupViewState, UiState } from './ui-state';

/** What the cgroup keys need of the frame. */
export interface CgroupReduceContext {
  /** The view's rows in display order (all, not only the visible slice). */
  readonly rows: readonly CgroupRow[];
  /** Rows on screen. */
  readonly pageSize: number;
}

/** What a cgroup key did: the next state, and whether a scan should come soon (cgroups just turned on). */
export interface CgroupReduced {
  readonly state: UiState;
  readonly rescan: boolean;
}

const say = (state: UiState, text: string, error = false): UiState => ({ ...state, status: { text, error } });
const withView = (state: UiState, view: Partial<CgroupViewState>): UiState => ({ ...state, cgroupView: { ...state.cgroupView, ...view } });

/** The status line while the view is open: its keys, since the F-key bar is the table's. */
export const CGROUP_VIEW_HINT = 'Cgroups: Enter its processes  X act  -/+ collapse  P M T N F6 sort  v/Esc back';

/** `v` from the process table: opens the view where it was left. Cgroups are read from the next scan on. */
export function openCgroupView(state: UiState): CgroupReduced {
  return { state: say(withView(state, { open: true }), CGROUP_VIEW_HINT), rescan: true };
}

function select(state: UiState, ctx: CgroupReduceContext, index: number): UiState {
  if (ctx.rows.length === 0) return state;
  const i = Math.max(0, Math.min(ctx.rows.length - 1, index));
  return withView(state, { selected: (ctx.rows[i] as CgroupRow).node.path, selectedIndex: i });
}

function sortBy(state: UiState, id: string, keepDirection = false): UiState {
  const column = findCgroupColumn(id);
  if (column === undefined) return state;
  const view = state.cgroupView;
  const descending = view.sortKey === column.id && !keepDirection ? !view.descending : column.descending;
  return say(withView(state, { sortKey: column.id, descending }), `Cgroups sorted by ${column.title} ${descending ? '(high first)' : '(low first)'}`);
}

/** Enter: the process table filtered to the selected cgroup and those below it; the filter shows in the bar. */
function showProcesses(state: UiState): UiState {
  const path = state.cgroupView.selected;
  if (path === undefined) return say(state, 'No cgroup selected', true);
  const query = cgroupQuery(path);
  if (query.length > MAX_QUERY_LENGTH) return say(state, 'This cgroup path is too long for a filter query', true);
  const shown = sanitize(path);
  // The process selection starts afresh: the one from before is most likely filtered out, and
  // reconcile's "PID n is hidden" would take the status line that says what the filter is.
  return say({ ...withView(state, { open: false }), filter: query, selected: undefined, selectedIndex: 0, scroll: 0 }, `Processes of cgroup ${shown} and below (filter ${sanitize(query)}; F4 then Esc removes it, v back to cgroups)`);
}

function toggleCollapse(state: UiState, collapse: boolean | undefined): UiState {
  const path = state.cgroupView.selected;
  if (path === undefined) return state;
  const collapsed = new Set(state.cgroupView.collapsed);
  const hide = collapse ?? !collapsed.has(path);
  if (hide) collapsed.add(path);
  else collapsed.delete(path);
  return withView(state, { collapsed });
}

/** One key in the cgroup view. Unknown commands leave the state as it is. */
export function reduceCgroupView(state: UiState, command: Command, ctx: CgroupReduceContext): CgroupReduced {
  const view = state.cgroupView;
  const at = Math.max(0, ctx.rows.findIndex((r) => r.node.path === view.selected));
  const done = (s: UiState): CgroupReduced => ({ state: s, rescan: false });
  switch (command.kind) {
    case 'move':
    case 'scroll':
      return done(select(state, ctx, at + command.delta));
    case 'page':
      return done(select(state, ctx, at + command.delta * Math.max(1, ctx.pageSize - 1)));
    case 'select-row':
      return done(select(state, ctx, view.scroll + command.row));
    case 'home':
      return done(select(state, ctx, 0));
    case 'end':
      return done(select(state, ctx, ctx.rows.length - 1));
    case 'sort-by':
      return done(sortBy(state, command.column));
    case 'sort-cycle': {
      const i = CGROUP_COLUMNS.findIndex((c) => c.id === view.sortKey);
      const n = CGROUP_COLUMNS.length;
      return done(sortBy(state, (CGROUP_COLUMNS[(((i + command.delta) % n) + n) % n] as { id: string }).id, true));
    }
    case 'invert-sort':
      return done(withView(state, { descending: !view.descending }));
    case 'collapse':
    case 'expand':
      return done(toggleCollapse(state, command.kind === 'collapse'));
    case 'expand-all':
      return done(withView(state, { collapsed: new Set() }));
    case 'accept':
      return done(showProcesses(state));
    case 'cancel':
    case 'cgroups':
      return done(say(withView(state, { open: false }), 'Process table'));
    case 'help':
      return done({ ...state, mode: { kind: 'help', scroll: 0 } });
    default:
      return done(state);
  }
}
