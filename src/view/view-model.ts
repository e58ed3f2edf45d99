import { displayWidth, truncate } from './text';

/** Style tokens: what a piece of text means. The painter maps them to colours (or none). */
export type Style =
  | 'normal' | 'dim' | 'label' | 'value' | 'alert' | 'warn'
  | 'cpu-user' | 'cpu-system' | 'cpu-other' | 'mem-used' | 'mem-buffers' | 'mem-cache' | 'swap-used'
  | 'column-header' | 'sort-column'
  | 'selected' | 'tagged' | 'zombie' | 'blocked' | 'kernel' | 'thread' | 'new' | 'dead' | 'ancestor'
  | 'fkey' | 'fkey-label' | 'status' | 'status-error' | 'prompt'
  | 'dialog' | 'dialog-title' | 'dialog-selected';

/** A run of finished text (sanitized, fitted by display width, not yet tag-escaped) in one style. */
export interface Segment {
  readonly text: string;
  readonly style: Style;
}

export type Line = readonly Segment[];

/** A centred overlay: menus, confirmations, help. */
export interface Dialog {
  readonly title: string;
  readonly lines: readonly Line[];
  /** Outer size including the border. */
  readonly width: number;
  readonly height: number;
  /** For an overlay that scrolls (help, details): its last useful scroll position and a page's step. */
  readonly scroll?: DialogScroll;
}

export interface DialogScroll {
  readonly max: number;
  readonly page: number;
}

/** The scroll range of `room` visible lines over `total`: a page steps one line short of a screenful. */
export function dialogScroll(total: number, room: number): DialogScroll {
  return { max: Math.max(0, total - room), page: Math.max(1, room - 1) };
}

/** Where each column sits on the header line, for mouse clicks. */
export interface ColumnSpan {
  readonly id: string;
  readonly start: number;
  readonly end: number;
}

/** One finished frame: the painter draws it without deciding anything. */
export interface ViewModel {
  readonly width: number;
  readonly height: number;
  readonly header: readonly Line[];
  readonly columnHeader: Line;
  readonly columnSpans: readonly ColumnSpan[];
  /** The visible slice of the table, exactly `tableHeight` lines or fewer. */
  readonly rows: readonly Line[];
  readonly tableHeight: number;
  readonly status: Line;
  readonly footer: Line;
  readonly dialog: Dialog | undefined;
  /** History series (0–100, one point per refresh) and the lines the graph takes, when it is on. */
  readonly graph: { readonly cpu: readonly number[]; readonly mem: readonly number[]; readonly lines: number } | undefined;
}

/** Total display length of a line (its segments are already fitted). */
export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

/** Fits a list of segments into exactly `width` columns by display width (cutting or padding the tail). */
export function fitLine(segments: readonly Segment[], width: number): Segment[] {
  const out: Segment[] = [];
  let left = width;
  for (const s of segments) {
    if (left <= 0) break;
    const text = truncate(s.text, left);
    out.push({ text, style: s.style });
    left -= displayWidth(text);
  }
  if (left > 0) out.push({ text: ' '.repeat(left), style: 'normal' });
  return out;
}
