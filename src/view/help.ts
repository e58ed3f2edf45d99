import { QUERY_HELP } from '../model/query';
import { STATE_NAMES } from '../model/snapshot';
import { KeyContext, keyHint, KEYMAP, keyLabel } from './keymap';
import { sanitize } from './text';
import { Dialog, fitLine, dialogScroll, Line } from './view-model';

const KEYS_WIDTH = 16;

/** The help's scrolling part: one line per key binding of the screen it was opened from, then what the state letters mean. */
function helpBody(context: KeyContext): { keys: string; text: string }[] {
  const body = KEYMAP.filter((k) => k.context === context).map((b) => ({ keys: b.keys.map(keyLabel).join(' ').padEnd(KEYS_WIDTH), text: b.help }));
  const states = (['R', 'S', 'D', 'T', 't', 'Z', 'I'] as const).map((s) => `${s} ${STATE_NAMES[s]}`).join(', ');
  return [...body, { keys: 'States: ', text: states }];
}

/**
 * The filter's query language in a few lines (the table's help only): every kind of term of
 * QUERY_HELP, the table the man page and README list in full, wrapped to `room` columns.
 */
function querySummary(room: number): { keys: string; text: string }[] {
  const terms = [...QUERY_HELP.map((r) => r.syntax), '(man proctop: what each means)'];
  const lines: string[] = [];
  for (const term of terms) {
    const last = lines.length - 1;
    if (last >= 0 && (lines[last] as string).length + 3 + term.length <= room) lines[last] += `   ${term}`;
    else lines.push(term);
  }
  return lines.map((text, i) => ({ keys: (i === 0 ? 'Query (F4 \\):' : '').padEnd(KEYS_WIDTH), text }));
}

/** Key bindings of the table, scrollable: on a 24-line terminal they do not fit at once. */
export function helpDialog(scroll: number, screenW: number, screenH: number, host: string | undefined, context: KeyContext = 'table'): Dialog {
  const keys = helpBody(context);
  const width = Math.min(screenW, Math.max(40, ...keys.map((b) => b.keys.length + b.text.length + 2)));
  // After the state letters: the table's help ends with what its filter understands.
  const body = context === 'table' ? [...keys, ...querySummary(Math.max(20, width - 2 - KEYS_WIDTH))] : keys;
  const lines: Line[] = [];
  if (host) lines.push(fitLine([{ text: sanitize(host), style: 'dim' }], width - 2));
  const room = Math.max(1, screenH - 3 - lines.length);
  const start = Math.max(0, Math.min(scroll, body.length - room));
  for (const b of body.slice(start, start + room)) lines.push(fitLine([{ text: b.keys, style: 'label' }, { text: b.text, style: 'dialog' }], width - 2));
  const where = body.length > room ? `↑/↓ PgUp/PgDn: scroll (${start + 1}–${Math.min(body.length, start + room)} of ${body.length})   ` : '';
  lines.push(fitLine([{ text: `${where}${keyHint('help')}`, style: 'dim' }], width - 2));
  return { title: 'proctop help', lines, width, height: lines.length + 2, scroll: dialogScroll(body.length, room) };
}
