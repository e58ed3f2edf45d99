import { CellContext, Column } from '../model/columns';
import { Snapshot } from '../model/snapshot';
import { SortOrder } from '../model/sort';
import { commandWidth, fitColumns, headerLine, layoutWidths, orderedRows, rowLine, shiftGuides } from '../view/rows';
import { truncate } from '../view/text';
import { ProcessInfo } from '../model/snapshot';

export interface TextTableOptions {
  readonly columns: readonly Column[];
  readonly order: SortOrder;
  readonly tree: boolean;
  /** Line width; undefined (a pipe) leaves the command column whole, as ps does. */
  readonly width: number | undefined;
  readonly include?: (p: ProcessInfo) => boolean;
  readonly tzOffset: number;
}

/** `--once` as a table or, with `tree`, a pstree-like forest. Every cell is sanitized. */
export function renderTextTable(snapshot: Snapshot, options: TextTableOptions): string {
  const columns = fitColumns(options.columns, options.width, options.order.column.id);
  const widths = layoutWidths(columns, options.width, options.order.column.id);
  const ctx: CellContext = { now: snapshot.time, tzOffset: options.tzOffset };
  const ordered = orderedRows(snapshot.processes, { order: options.order, tree: options.tree, include: options.include });
  const rows = shiftGuides(ordered, commandWidth(columns, widths));
  const lines = [headerLine(columns, widths, options.order)];
  for (const row of rows) lines.push(rowLine(row, columns, widths, ctx));
  // Fixed columns plus the command's minimum can exceed a narrow terminal: cut there, as the README promises.
  const width = options.width;
  return `${(width === undefined ? lines : lines.map((l) => truncate(l, width))).join('\n')}\n`;
}
