/**
 * The cgroup view (`v`): the snapshot's cgroups as a collapsible, sortable
 * tree in the table's place, one row per cgroup with its limits, throttling,
 * memory, OOM kills, pids and pressure. Pure: rows, selection and the lines
 * to draw; keys are in cgroup-reduce.ts.
 */
import { CgroupColumn, cgroupComparator, CGROUP_COLUMNS, findCgroupColumn } from '../model/cgroup-columns';
import { buildCgroupTree, CgroupNode, CgroupRow, cgroupRows } from '../model/cgroup-tree';
import type { CgroupInfo } from '../model/snapshot';
import { fitLine } from './view-model';
import { fit, sanitize } from './text';
import { CgroupViewState, UiState } from './ui-state';
import { Line, Style } from './view-model';

export type { CgroupRow };

/** The view's rows in display order; none when the snapshot has no cgroups (not read, or none mounted). */
export function cgroupViewRows(cgroups: readonly CgroupInfo[], view: CgroupViewState): CgroupRow[] {
  if (cgroups.length === 0) return [];
  const column = findCgroupColumn(view.sortKey) ?? (CGROUP_COLUMNS[0] as CgroupColumn);
  const root = buildCgroupTree(cgroups);
  return cgroupRows(root, cgroupComparator(column, view.descending, root), (path) => view.collapsed.has(path));
}

/**
 * The selected cgroup of the view (its node, with the sampler's numbers),
 * or undefined: what Enter and the cgroup actions take.
 */
export function selectedCgroup(view: CgroupViewState, rows: readonly CgroupRow[]): CgroupNode | undefined {
  return view.selected === undefined ? undefined : rows.find((r) => r.node.path === view.selected)?.node;
}

/**
 * After a new snapshot or a key: the selection stays on its cgroup (by
 * path), or moves to the row that took its place when the cgroup went; the
 * scroll keeps it in view. The root is selected when nothing was.
 */
export function reconcileCgroups(state: UiState, rows: readonly CgroupRow[], tableHeight: number): UiState {
  const view = state.cgroupView;
  if (rows.length === 0) return view.scroll === 0 && view.selectedIndex === 0 ? state : { ...state, cgroupView: { ...view, scroll: 0, selectedIndex: 0 } };
  let index = view.selected === undefined ? -1 : rows.findIndex((r) => r.node.path === view.selected);
  if (index < 0) index = Math.max(0, Math.min(rows.length - 1, view.selectedIndex));
  let scroll = Math.max(0, Math.min(view.scroll, rows.length - tableHeight));
  if (index < scroll) scroll = index;
  if (index >= scroll + tableHeight) scroll = index - tableHeight + 1;
  const selected = (rows[index] as CgroupRow).node.path;
  if (selected === view.selected && index === view.selectedIndex && scroll === view.scroll) return state;
  return { ...state, cgroupView: { ...view, selected, selectedIndex: index, scroll } };
}

/** Columns the name keeps on a narrow terminal before the ranked columns give way. */
export const NAME_MIN = 16;

/** The columns that fit `width`: ranked ones give way, lowest first, until the name has NAME_MIN; the sort column stays. */
export function fitCgroupColumns(width: number, sortId: string): readonly CgroupColumn[] {
  const fixed = (cs: readonly CgroupColumn[]): number => cs.reduce((sum, c) => sum + (c.flex ? 0 : c.width + 1), 0);
  const givers = CGROUP_COLUMNS.filter((c) => c.narrowRank !== undefined && c.id !== sortId).sort((a, b) => (a.narrowRank ?? 0) - (b.narrowRank ?? 0));
  let shown = CGROUP_COLUMNS;
  for (const giver of givers) {
    if (width - fixed(shown) >= NAME_MIN) break;
    shown = shown.filter((c) => c !== giver);
  }
  return shown;
}

function widthsOf(columns: readonly CgroupColumn[], width: number): number[] {
  const fixed = columns.reduce((sum, c) => sum + (c.flex ? 0 : c.width + 1), 0);
  return columns.map((c) => (c.flex ? Math.max(c.width, width - fixed) : c.width));
}

/**
 * The cell of the name column: guide, `+` on a collapsed subtree, the flags
 * in words as the process table marks them (`[throttled memlimit]`: colour is
 * never the only signal), the sanitized name.
 */
function nameCell(row: CgroupRow): string {
  const flags = row.node.info?.flags ?? '';
  return `${row.guide}${row.collapsed ? '+' : ''}${flags === '' ? '' : `[${flags}] `}${sanitize(row.node.name)}`;
}

function rowStyle(row: CgroupRow, selected: boolean): Style {
  if (selected) return 'selected';
  const flags = row.node.info?.flags ?? '';
  if (flags.includes('oom') || flags.includes('memlimit')) return 'alert';
  if (flags !== '') return 'warn';
  // An ancestor proctop did not read: shown so the tree reads, without numbers.
  return row.node.info === undefined ? 'ancestor' : 'normal';
}

/** What the view draws in the table's place: its column header and the visible rows. */
export interface CgroupTable {
  readonly columnHeader: Line;
  readonly rows: readonly Line[];
}

/** The header line and the visible slice of rows, fitted to `width`; a line saying why when there are no rows. */
export function buildCgroupTable(view: CgroupViewState, rows: readonly CgroupRow[], width: number, height: number): CgroupTable {
  const columns = fitCgroupColumns(width, view.sortKey);
  const widths = widthsOf(columns, width);
  const title = (c: CgroupColumn, w: number): string => {
    if (c.id !== view.sortKey) return fit(c.title, w, c.align);
    const arrow = view.descending ? '▽' : '△';
    return fit(!c.flex && c.title.length >= w ? `${c.title.slice(0, w - 1)}${arrow}` : `${c.title}${arrow}`, w, c.align);
  };
  const header: Line = fitLine(columns.map((c, i) => ({ text: `${title(c, widths[i] ?? c.width)} `, style: c.id === view.sortKey ? 'sort-column' : 'column-header' })), width)
    .map((s) => (s.style === 'normal' ? { ...s, style: 'column-header' as const } : s));
  if (rows.length === 0) {
    const why = 'No cgroups in this snapshot: they are read from the next scan on (none when no cgroup hierarchy is mounted).';
    return { columnHeader: header, rows: [fitLine([{ text: why, style: 'dim' }], width)] };
  }
  const lines = rows.slice(view.scroll, view.scroll + height).map((row) => {
    const text = columns.map((c, i) => fit(c.flex ? nameCell(row) : sanitize(c.text(row.node)), widths[i] ?? c.width, c.align)).join(' ');
    return fitLine([{ text, style: rowStyle(row, row.node.path === view.selected) }], width);
  });
  return { columnHeader: header, rows: lines };
}
