import { STATE_NAMES } from '../model/snapshot';
import { KeyContext, keyHint, KEYMAP, keyLabel } from './keymap';
import { sanitize } from './text';
import { Dialog, fitLine, dialogScroll, Line } from './view-model';

/** The help's scrolling part: one line per key binding of the screen it was opened from, then what the state letters mean. */
function helpBody(context: KeyContext): { keys: string; text: string }[] {
  const body = KEYMAP.filter((k) => k.context === context).map((b) => ({ keys: b.keys.map(keyLabel).join(' ').padEnd(16), text: b.help }));
  const states = (['R', 'S', 'D', 'T', 't', 'Z', 'I'] as const).map((s) => `${s} ${STATE_NAMES[s]}`).join(', ');
  return [...body, { keys: 'States: ', text: states }];
}

/** Key bindings of the table, scrollable: on a 24-line terminal they do not fit at once. */
export function helpDialog(scroll: number, screenW: number, screenH: number, host: string | undefined, context: KeyContext = 'table'): Dialog {
  const body = helpBody(context);
  const width = Math.min(screenW, Math.max(40, ...body.map((b) => b.keys.length + b.text.length + 2)));
  const lines: Line[] = [];
  if (host) lines.push(fitLine([{ text: sanitize(host), style: 'dim' }], width - 2));
  const room = Math.max(1, screenH - 3 - lines.length);
  const start = Math.max(0, Math.min(scroll, body.length - room));
  for (const b of body.slice(start, start + room)) lines.push(fitLine([{ text: b.keys, style: 'label' }, { text: b.text, style: 'dialog' }], width - 2));
  const where = body.length > room ? `↑/↓ PgUp/PgDn: scroll (${start + 1}–${Math.min(body.length, start + room)} of ${body.length})   ` : '';
  lines.push(fitLine([{ text: `${where}${keyHint('help')}`, style: 'dim' }], width - 2));
  return { title: 'proctop help', lines, width, height: lines.length + 2, scroll: dialogScroll(body.length, room) };
}
