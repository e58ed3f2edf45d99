import { CellContext, Column } from '../model/columns';
import { ProcessInfo } from '../model/snapshot';
import { comparator, SortOrder } from '../model/sort';
import { buildForest, flattenForest } from '../model/tree';
import { fit, sanitize } from './text';

/** One process as a row of the table, in display order. */
export interface Row {
  readonly process: ProcessInfo;
  /** Tree guide drawn before the command (`│  ├─ `); empty in list view. */
  readonly guide: string;
  readonly depth: number;
  readonly hasChildren: boolean;
  readonly collapsed: boolean;
  /** False for an ancestor kept only so a filtered tree still reads. */
  readonly matched: boolean;
}

export interface RowQuery {
  readonly order: SortOrder;
  readonly tree: boolean;
  /** Rows to keep; in tree view their ancestors are kept too (matched = false). */
  readonly include?: (p: ProcessInfo) => boolean;
  readonly isCollapsed?: (p: ProcessInfo) => boolean;
}

/** The processes to show, in order: sorted list, or a forest walked pre-order with siblings sorted. */
export function orderedRows(processes: readonly ProcessInfo[], query: RowQuery): Row[] {
  const compare = comparator(query.order);
  const include = query.include;
  if (!query.tree) {
    const kept = include ? processes.filter(include) : [...processes];
    return kept.sort(compare).map((process) => ({ process, guide: '', depth: 0, hasChildren: false, collapsed: false, matched: true }));
  }
  const forest = buildForest(processes, compare);
  return flattenForest(forest, query.isCollapsed, include).map((r) => ({
    process: r.node.process,
    guide: r.guide,
    depth: r.depth,
    hasChildren: r.hasChildren,
    collapsed: r.collapsed,
    matched: include ? include(r.node.process) : true,
  }));
}

/**
 * The row nearest `index` the selection may rest on, looking in direction `toward` first and then
 * back: a row the filter matched (never a dimmed ancestor kept for context, which actions must
 * not reach) that `skip` does not refuse. -1 when there is none.
 */
export function selectableIndex(rows: readonly Row[], index: number, toward: 1 | -1 = 1, skip?: (row: Row) => boolean): number {
  const ok = (i: number): boolean => {
    const row = rows[i];
    return row !== undefined && row.matched && !(skip?.(row) ?? false);
  };
  const start = Math.max(0, Math.min(rows.length - 1, index));
  for (let i = start; i >= 0 && i < rows.length; i += toward) if (ok(i)) return i;
  for (let i = start - toward; i >= 0 && i < rows.length; i -= toward) if (ok(i)) return i;
  return -1;
}

/** Columns the command keeps on a narrow terminal before the default extras (THR, PRI, SHR, NI, VIRT) give way. */
export const COMMAND_MIN = 20;

/**
 * The columns to draw on a line of `total` columns: all of them, unless the command would get
 * fewer than {@link COMMAND_MIN}; then the columns with a `narrowRank` are left out, lowest rank
 * first, until it fits or none is left (on an 80-column ssh session the default columns leave the
 * command 4). The sort column stays whatever its rank. A pipe (no total) keeps every column.
 */
export function fitColumns(columns: readonly Column[], total: number | undefined, sortId?: string): readonly Column[] {
  if (total === undefined || !columns.some((c) => c.flex)) return columns;
  const fixed = (cs: readonly Column[]): number => cs.reduce((sum, c) => sum + (c.flex ? 0 : c.width + 1), 0);
  const givers = columns.filter((c) => c.narrowRank !== undefined && c.id !== sortId).sort((a, b) => (a.narrowRank ?? 0) - (b.narrowRank ?? 0));
  let shown = columns;
  for (const giver of givers) {
    if (total - fixed(shown) >= COMMAND_MIN) break;
    shown = shown.filter((c) => c !== giver);
  }
  return shown;
}

/**
 * Widths of each column for a line of `total` columns: fixed widths as
 * declared, the flexible column gets what is left, at least its own width.
 * With no total (output to a pipe) the flexible column is unlimited.
 */
export function layoutWidths(columns: readonly Column[], total: number | undefined, sortId?: string): (number | undefined)[] {
  const own = (c: Column): number => (c.id === sortId ? sortedWidth(c) : c.width);
  const fixed = columns.reduce((sum, c) => sum + (c.flex ? 0 : own(c) + 1), 0);
  return columns.map((c) => (!c.flex ? own(c) : total === undefined ? undefined : Math.max(c.width, total - fixed)));
}

/**
 * A sort column is wide enough for its title and the ▽/△ after it: `S` (one column) sorted
 * showed a bare `△`, and `PRI` showed `PR△`.
 */
function sortedWidth(c: Column): number {
  return Math.max(c.width, c.title.length + 1);
}

/** Columns of the command cell a deep tree guide must leave to the command (half the cell when it is narrower). */
export const COMMAND_KEEP = 24;

/**
 * The guide with each ancestor column narrowed to `width` characters (3, 2 or 1: `│  ` → `│ ` → `│`);
 * the branch (`├─ `/`└─ `) and a leading "…" (the 100-level cap of tree.ts) are kept.
 */
function narrowGuide(guide: string, width: number): string {
  if (width >= 3 || guide === '') return guide;
  const ellipsis = guide.startsWith('…') ? '…' : '';
  const body = guide.slice(ellipsis.length);
  let columns = '';
  for (let i = 0; i + 3 < body.length; i += 3) columns += body.slice(i, i + width);
  return ellipsis + columns + body.slice(-3);
}

/**
 * The rows with their tree guides made to fit a narrow command cell, so that the deepest of them
 * leaves {@link COMMAND_KEEP} columns to its command while every row stays right of its parent.
 * First each ancestor level is drawn narrower (3 columns, then 2, then 1: `││├─ `), which keeps
 * every level, shallow ones included, apart; only a tree still too deep at one column a level is
 * seen through a horizontal scroll: all guides shifted left together, with "…" where columns were
 * cut (one shift for all the rows keeps the deep ones' nesting readable). The shift flattens only
 * the rows shallower than itself. Rows are returned unchanged when the guides fit or the width is
 * unknown (a pipe).
 */
export function shiftGuides(rows: readonly Row[], commandWidth: number | undefined): readonly Row[] {
  if (commandWidth === undefined) return rows;
  // Guides hold only single-column characters (box drawing, space, "…"), so length is width.
  const budget = commandWidth - Math.min(COMMAND_KEEP, Math.floor(commandWidth / 2));
  const deepestAt = (width: number): number => rows.reduce((max, r) => Math.max(max, narrowGuide(r.guide, width).length), 0);
  if (deepestAt(3) <= budget) return rows;
  const width = deepestAt(2) <= budget ? 2 : 1;
  const narrowed = rows.map((row) => (row.guide === '' ? row : { ...row, guide: narrowGuide(row.guide, width) }));
  const deepest = deepestAt(width);
  if (deepest <= budget) return narrowed;
  // Whole levels, plus one column for the "…".
  const drop = Math.ceil((deepest - budget + 1) / width) * width;
  return narrowed.map((row) => {
    if (row.guide === '') return row;
    const body = row.guide.startsWith('…') ? row.guide.slice(1) : row.guide;
    // A row shallower than the shift keeps its own branch ("├─ "), after the "…".
    return { ...row, guide: `…${body.slice(Math.min(drop, body.length - 3))}` };
  });
}

/** The width given to the flexible (command) column, when it is shown and the line width is known. */
export function commandWidth(columns: readonly Column[], widths: readonly (number | undefined)[]): number | undefined {
  const at = columns.findIndex((c) => c.flex);
  return at < 0 ? undefined : widths[at];
}

/** The text of one cell: sanitized, the tree guide before the flexible column's text (the command), fitted to its width. */
export function cellText(row: Row, column: Column, width: number | undefined, ctx: CellContext): string {
  let text = sanitize(column.format(row.process, ctx));
  if (column.flex) text = row.guide + (row.collapsed ? '+' : '') + marks(row.process) + text;
  return width === undefined ? text : fit(text, width, column.align);
}

/**
 * Words before the command for what colour alone must not carry: orphaned
 * workers, replaced binaries, and a cgroup that is throttling, near its memory
 * limit, OOM-killing or under pressure (`[throttled memlimit]`).
 */
function marks(p: ProcessInfo): string {
  return (p.orphan ? '[orphan] ' : '') + (p.exeDeleted ? '[deleted] ' : '') + (p.cgroupFlags === '' ? '' : `[${p.cgroupFlags}] `);
}

/** One row as a line of text, cells separated by one space. */
export function rowLine(row: Row, columns: readonly Column[], widths: readonly (number | undefined)[], ctx: CellContext): string {
  return columns.map((c, i) => cellText(row, c, widths[i], ctx)).join(' ').trimEnd();
}

/** The header line; the sort column's title carries ▽ (descending) or △ (ascending) when `order` is given. */
export function headerLine(columns: readonly Column[], widths: readonly (number | undefined)[], order?: SortOrder): string {
  return columns
    .map((c, i) => {
      const w = widths[i];
      const title = order && order.column.id === c.id ? markSort(c, order.descending, w) : c.title;
      return w === undefined ? title : fit(title, w, c.align);
    })
    .join(' ')
    .trimEnd();
}

function markSort(c: Column, descending: boolean, width: number | undefined): string {
  const arrow = descending ? '▽' : '△';
  // Keep the mark inside the column's width (layoutWidths makes room for it): drop a title character only if still needed.
  return !c.flex && width !== undefined && c.title.length >= width ? `${c.title.slice(0, Math.max(0, width - 1))}${arrow}` : `${c.title}${arrow}`;
}
