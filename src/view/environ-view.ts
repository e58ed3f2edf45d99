import type { EnvironRead } from '../kernel/environ';
import { ProcessInfo } from '../model/snapshot';
import { wrap } from './details-view';
import { displayWidth, sanitize } from './text';
import { Dialog, dialogScroll, fitLine, Line } from './view-model';

export type { EnvironRead };

/** The environment view's data: the read (undefined while not live: a replay or the past) and the process as the frame has it. */
export interface EnvironInput {
  readonly read: EnvironRead | undefined;
  readonly pid: number;
  readonly process: ProcessInfo | undefined;
}

/** The view's text, one string per line before wrapping: every entry sanitized (escapes, C1, bidi controls shown as \xHH or \u{…}). */
export function environText(input: EnvironInput): string[] {
  const r = input.read;
  if (r === undefined) return ['The environment is read from the live process: not available in a replay or in the past.'];
  switch (r.kind) {
    case 'read':
      return [`${r.entries.length} variables (/proc/${input.pid}/environ: as the process was started; changes it made since are not seen)`, '', ...r.entries.map(sanitize)];
    case 'none':
      return [r.why === 'empty' ? 'No environment: the process has emptied it.' : `No environment: a ${r.why} has none.`];
    case 'denied':
      return [`Permission denied: only the process's owner and root may read /proc/${input.pid}/environ.`];
    case 'gone':
      return ['The process is gone (or its PID now belongs to another process).'];
    case 'unavailable':
      return [`Cannot read /proc/${input.pid}/environ: ${sanitize(r.reason)}`];
  }
}

/** The environment dialog: scrollable, nearly full screen, as the details panel. */
export function environDialog(input: EnvironInput, scroll: number, screenW: number, screenH: number): Dialog {
  const width = Math.max(20, screenW - 2);
  const inner = width - 2;
  const text = environText(input).flatMap((l) => (displayWidth(l) > inner ? wrap(l, inner, 50) : [l]));
  const room = Math.max(1, screenH - 3);
  const start = Math.max(0, Math.min(scroll, text.length - room));
  const lines: Line[] = text.slice(start, start + room).map((l) => fitLine([{ text: l, style: 'dialog' }], inner));
  lines.push(fitLine([{ text: `↑/↓ PgUp/PgDn: scroll (${start + 1}–${Math.min(text.length, start + room)} of ${text.length})   Esc/e: back`, style: 'dim' }], inner));
  const name = input.process ? ` ${sanitize(input.process.name)}` : '';
  return { title: `Environment of PID ${input.pid}${name}`, lines, width, height: Math.min(screenH, lines.length + 2), scroll: dialogScroll(text.length, room) };
}
