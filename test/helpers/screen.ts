/**
 * Reading proctop's process table back from text: a tmux screen capture or `--once` output.
 * Cells are located by the column header's titles, so tests keep working when columns are
 * added, removed or resized.
 */

/** The parts of a captured proctop screen. */
export interface ScreenTable {
  /** The column header line (`PID USER … Command`). */
  readonly header: string;
  /** Non-blank lines between the column header and the status line, top to bottom. */
  readonly rows: readonly string[];
  /** The line above the footer. */
  readonly status: string;
  /** The last non-blank line: the F-key bar or an open search/filter prompt. */
  readonly footer: string;
}

const HEADER = /(^|\s)PID[▽△]?\s+USER(\s|$)/;

/** Splits a capture into lines without the empty string after the final newline. */
export function screenLines(screen: string): string[] {
  const lines = screen.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Finds the column header, the rows, the status line and the footer; undefined if no table is drawn. */
export function parseScreen(screen: string): ScreenTable | undefined {
  const lines = screenLines(screen);
  const headerAt = lines.findIndex((l) => HEADER.test(l));
  let footerAt = lines.length - 1;
  while (footerAt >= 0 && (lines[footerAt] ?? '').trim() === '') footerAt--;
  if (headerAt < 0 || footerAt <= headerAt + 1) return undefined;
  return {
    header: lines[headerAt] ?? '',
    rows: lines.slice(headerAt + 1, footerAt - 1).filter((l) => l.trim() !== ''),
    status: lines[footerAt - 1] ?? '',
    footer: lines[footerAt] ?? '',
  };
}

/** The header line and rows of `--once` table output. */
export function parseOnceTable(text: string): { header: string; rows: string[] } {
  const [header = '', ...rows] = screenLines(text);
  return { header, rows };
}

/** Start and end (exclusive) of a column title in the header, the sort mark included. */
function titleSpan(header: string, title: string): { start: number; end: number } | undefined {
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(^|\\s)(${escaped}[▽△]?)(?=\\s|$)`).exec(header);
  if (!match) return undefined;
  const start = match.index + (match[1] ?? '').length;
  return { start, end: start + (match[2] ?? '').length };
}

/** The sort mark (▽ or △) after `title` in the header, '' when that column is not the sort column. */
export function sortMark(header: string, title: string): string {
  const span = titleSpan(header, title);
  if (!span) return '';
  const last = header.slice(span.start, span.end).slice(-1);
  return last === '▽' || last === '△' ? last : '';
}

/**
 * The text of a right-aligned cell (PID, CPU%, MEM%, …): the last word of the row ending at
 * the title's last column.
 */
export function rightCell(header: string, row: string, title: string): string | undefined {
  const span = titleSpan(header, title);
  if (!span) return undefined;
  return /(\S+)$/.exec(row.slice(0, span.end))?.[1];
}

/** The text of a left-aligned cell from the title's first column to the next space. */
export function leftCell(header: string, row: string, title: string): string | undefined {
  const span = titleSpan(header, title);
  if (!span) return undefined;
  return /^(\S*)/.exec(row.slice(span.start))?.[1];
}

/** The PID of a row (a tag or exit mark in column 0 is not part of it). */
export function rowPid(header: string, row: string): number | undefined {
  const cell = rightCell(header, row, 'PID');
  const digits = cell === undefined ? undefined : /(\d+)$/.exec(cell)?.[1];
  return digits === undefined ? undefined : Number(digits);
}

/** The Command cell: everything from the Command title's column on (tree guides included). */
export function commandCell(header: string, row: string): string {
  const span = titleSpan(header, 'Command');
  return span ? row.slice(span.start) : '';
}

/** Column of the tree guide (`├─` or `└─`) inside the Command cell, -1 when the row has none. */
export function guideColumn(header: string, row: string): number {
  const match = /[├└]─/.exec(commandCell(header, row));
  return match ? match.index : -1;
}

/** The first full frame of the TUI (meters, column header, rows, F-key bar), else false: for waitForScreen. */
export function firstFrame(screen: string): ScreenTable | false {
  const table = parseScreen(screen);
  return table !== undefined && /Tasks:/.test(screen) && /F10\s*Quit/.test(table.footer) && table.rows.length > 0 && table;
}

/** The text inside a dialog box whose top border matches title, one string per line; undefined while none is whole. */
export function boxLines(screen: string, title: RegExp): string[] | undefined {
  const lines = screenLines(screen);
  const top = lines.findIndex((l) => /┌/.test(l) && title.test(l));
  if (top < 0) return undefined;
  const left = (lines[top] ?? '').indexOf('┌');
  const body: string[] = [];
  for (const line of lines.slice(top + 1)) {
    if (line[left] === '└') return body;
    if (line[left] !== '│') return undefined;
    const right = line.indexOf('│', left + 1);
    body.push(line.slice(left + 1, right < 0 ? undefined : right));
  }
  return undefined;
}
