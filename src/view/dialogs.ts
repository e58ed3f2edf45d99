import { COLUMNS } from '../model/columns';
import { STATE_NAMES } from '../model/snapshot';
import { signalByNumber, SIGNALS } from '../model/signals';
import { fitLine } from './header';
import { FKEY_BAR, KEYMAP } from './keymap';
import { sanitize } from './text';
import { UiState } from './ui-state';
import { Dialog, Line, Segment } from './view-model';

/** Host facts shown in the help screen, when known. */
export type HostFacts = string | undefined;

function windowAround<T>(items: readonly T[], index: number, size: number): { start: number; items: readonly T[] } {
  const start = Math.max(0, Math.min(items.length - size, index - Math.floor(size / 2)));
  return { start, items: items.slice(start, start + size) };
}

function menu(title: string, entries: readonly string[], index: number, screenW: number, screenH: number, footer: string): Dialog {
  const width = Math.min(screenW, Math.max(30, ...entries.map((e) => e.length + 4), footer.length + 4));
  const visible = Math.max(1, Math.min(entries.length, screenH - 5));
  const win = windowAround(entries, index, visible);
  const lines: Line[] = win.items.map((e, i) => fitLine([{ text: ` ${e}`, style: win.start + i === index ? 'dialog-selected' : 'dialog' }], width - 2));
  lines.push(fitLine([{ text: footer, style: 'dim' }], width - 2));
  return { title, lines, width, height: Math.min(screenH, lines.length + 2) };
}

function helpDialog(screenW: number, screenH: number, host: HostFacts): Dialog {
  const width = Math.min(screenW, 78);
  const lines: Line[] = [];
  if (host) lines.push(fitLine([{ text: sanitize(host), style: 'dim' }], width - 2));
  for (const b of KEYMAP.filter((k) => k.context === 'table')) {
    const keys = b.keys.map((k) => (k === 'space' ? 'Space' : k.replace(/^f(\d+)$/, 'F$1').replace(/^M-/, 'Alt-').replace(/^C-/, 'Ctrl-'))).join(' ');
    lines.push(fitLine([{ text: keys.padEnd(16), style: 'label' }, { text: b.help, style: 'dialog' }], width - 2));
  }
  const states = (['R', 'S', 'D', 'T', 't', 'Z', 'I'] as const).map((s) => `${s} ${STATE_NAMES[s]}`).join(', ');
  lines.push(fitLine([{ text: `States: ${states}`, style: 'dim' }], width - 2));
  lines.push(fitLine([{ text: 'Press any key to close.', style: 'dim' }], width - 2));
  const shown = lines.slice(0, Math.max(1, screenH - 2));
  return { title: 'proctop help', lines: shown, width, height: shown.length + 2 };
}

function confirmDialog(state: UiState, screenW: number, screenH: number): Dialog | undefined {
  const mode = state.mode;
  if (mode.kind !== 'confirm') return undefined;
  const spec = signalByNumber(mode.signal);
  const name = spec ? `${spec.name} (${spec.number})` : `signal ${mode.signal}`;
  const width = Math.min(screenW, 78);
  const count = mode.targets.length;
  const lines: Line[] = [fitLine([{ text: `Send ${name} to ${count === 1 ? 'this process' : `these ${count} processes`}:`, style: 'dialog' }], width - 2)];
  const room = Math.max(1, screenH - 6);
  const listed = mode.targets.slice(0, count > room ? room - 1 : room);
  for (const t of listed) {
    const segs: Segment[] = [{ text: `${String(t.pid).padStart(7)} `, style: 'value' }, { text: `${sanitize(t.user).slice(0, 9).padEnd(9)} `, style: 'dialog' }, { text: sanitize(t.command), style: 'dialog' }];
    lines.push(fitLine(segs, width - 2));
  }
  if (listed.length < count) lines.push(fitLine([{ text: `… and ${count - listed.length} more`, style: 'dim' }], width - 2));
  lines.push(fitLine([{ text: 'y/Enter: send    n/Esc: cancel', style: 'label' }], width - 2));
  return { title: `Send ${name}?`, lines, width, height: lines.length + 2 };
}

/** The overlay for the current mode, or undefined when the table has the keyboard. */
export function buildDialog(state: UiState, users: readonly { uid: number; name: string }[], screenW: number, screenH: number, host: HostFacts): Dialog | undefined {
  const mode = state.mode;
  switch (mode.kind) {
    case 'help':
      return helpDialog(screenW, screenH, host);
    case 'sort-menu':
      return menu('Sort by', COLUMNS.map((c) => `${c.title.padEnd(8)} ${c.description}`), mode.index, screenW, screenH, 'Enter: sort  Esc: cancel');
    case 'user-menu':
      return menu('Show user', ['All users', ...users.map((u) => sanitize(u.name))], mode.index, screenW, screenH, 'Enter: choose  Esc: cancel');
    case 'signal-menu': {
      const title = mode.typed ? `Send signal: ${mode.typed}` : 'Send signal';
      return menu(title, SIGNALS.map((s) => `${String(s.number).padStart(2)} ${s.name.padEnd(10)} ${s.description}`), mode.index, screenW, screenH, 'Type a number or move; Enter: choose  Esc: cancel');
    }
    case 'confirm':
      return confirmDialog(state, screenW, screenH);
    default:
      return undefined;
  }
}

/** htop's F-key bar, or the prompt of an open search/filter bar. */
export function buildFooter(state: UiState, width: number): Line {
  const mode = state.mode;
  if (mode.kind === 'search' || mode.kind === 'filter') {
    const label = mode.kind === 'search' ? 'Search: ' : 'Filter: ';
    const keys = mode.kind === 'search' ? '  F3/n: next  Enter: done  Esc: close' : '  Enter: keep  Esc: clear';
    return fitLine([{ text: label, style: 'fkey' }, { text: sanitize(mode.text), style: 'prompt' }, { text: '_', style: 'prompt' }, { text: keys, style: 'dim' }], width);
  }
  const segs: Segment[] = [];
  for (const [key, label] of FKEY_BAR) segs.push({ text: key, style: 'fkey' }, { text: label.padEnd(6), style: 'fkey-label' });
  return fitLine(segs, width);
}
