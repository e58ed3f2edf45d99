import { COLUMNS } from '../model/columns';
import { signalByNumber, SIGNALS } from '../model/signals';
import { FKEY_BAR, keyHint } from './keymap';
import { displayWidth, fit, sanitize, truncate } from './text';
import { SignalScope, SIGNAL_SCOPES, UiState } from './ui-state';
import { ZombieGroup } from './zombies';
import { formatStateAge } from '../model/format';
import { describeQuery, parseQuery } from '../model/query';
import { isStuck, stateAgeMs } from '../model/stuck';
import { setupDialog } from './setup';
import { DetailsInput, detailsDialog } from './details-view';
import { environDialog, EnvironInput } from './environ-view';
import { Dialog, fitLine, Line, Segment } from './view-model';
import { helpDialog } from './help';
import { cgroupDialog } from './cgroup-dialogs';

/** Host facts shown in the help screen, when known ('': on their way). */
export type HostFacts = string | undefined;

/** Data the overlays show besides the UI state. */
export interface DialogData {
  readonly users: readonly { uid: number; name: string }[];
  readonly zombieGroups: readonly ZombieGroup[];
  /** Snapshot time, ms. */
  readonly now: number;
  /** A parent in D counts as STUCK after this long in it (`--stuck-after`), as the `stuck` term does. */
  readonly stuckAfterMs?: number;
  /** What became of the zombies after the last action in the zombie view. */
  readonly followUp: { readonly text: string; readonly warn: boolean } | undefined;
  readonly host: HostFacts;
  /** Where settings are saved, for the setup screen. */
  readonly configPath?: string;
  /** The details panel's data, read by the app while the panel is open. */
  readonly details?: DetailsInput;
  /** Tagged processes the table does not show (filter, user, collapse): a signal to the tagged reaches them too. */
  readonly taggedHidden?: number;
  /** The environment view's data, read by the app when the view opens. */
  readonly environ?: EnvironInput;
}

const SCOPE_WORDS: Readonly<Record<SignalScope, string>> = {
  process: 'this process', group: 'its process group', session: 'its session', subtree: 'its subtree', tagged: 'tagged processes',
};

function windowAround<T>(items: readonly T[], index: number, size: number): { start: number; items: readonly T[] } {
  const start = Math.max(0, Math.min(items.length - size, index - Math.floor(size / 2)));
  return { start, items: items.slice(start, start + size) };
}

function menu(title: string, entries: readonly string[], index: number, screenW: number, screenH: number, footer: string, minWidth = 30): Dialog {
  const width = Math.min(screenW, Math.max(minWidth, ...entries.map((e) => e.length + 4), footer.length + 4));
  const visible = Math.max(1, Math.min(entries.length, screenH - 5));
  const win = windowAround(entries, index, visible);
  const lines: Line[] = win.items.map((e, i) => fitLine([{ text: ` ${e}`, style: win.start + i === index ? 'dialog-selected' : 'dialog' }], width - 2));
  lines.push(fitLine([{ text: footer, style: 'dim' }], width - 2));
  return { title, lines, width, height: Math.min(screenH, lines.length + 2) };
}

/** `5` or `5, 3 hidden`: the tagged a signal would reach, and how many of them are off the table. */
function taggedCount(tagged: number, hidden: number): string {
  return hidden > 0 ? `${tagged}, ${hidden} hidden` : String(tagged);
}

function confirmDialog(state: UiState, screenW: number, screenH: number, taggedHidden: number): Dialog | undefined {
  const mode = state.mode;
  if (mode.kind !== 'confirm') return undefined;
  const spec = signalByNumber(mode.signal);
  const name = spec ? `${spec.name} (${spec.number})` : `signal ${mode.signal}`;
  const width = Math.min(screenW, 78);
  const count = mode.targets.length;
  const how = mode.scope === 'group' ? `(kill -${spec?.number ?? mode.signal} -${mode.group ?? ''})` : mode.scope === 'subtree' ? '(frozen with SIGSTOP first, survivors continued after)' : '';
  // The how and the typed-PID prompt get lines of their own: at 78 columns they were cut off.
  const lines: Line[] = [fitLine([{ text: `Send ${name} to ${SCOPE_WORDS[mode.scope]}: ${count === 1 ? '1 process' : `${count} processes`}`, style: 'dialog' }], width - 2)];
  if (how) lines.push(fitLine([{ text: how, style: 'dialog' }], width - 2));
  const hidden = mode.scope === 'tagged' ? taggedHidden : 0;
  if (hidden > 0) lines.push(fitLine([{ text: `${hidden} of them hidden from the table (filter, user or collapse): listed below`, style: 'warn' }], width - 2));
  const room = Math.max(1, screenH - 6 - (how ? 1 : 0) - (hidden > 0 ? 1 : 0) - (mode.mustType !== undefined ? 1 : 0));
  const listed = mode.targets.slice(0, count > room ? room - 1 : room);
  for (const t of listed) {
    const segs: Segment[] = [{ text: `${String(t.pid).padStart(7)} `, style: 'value' }, { text: `${fit(sanitize(t.user), 9, 'left')} `, style: 'dialog' }, { text: sanitize(t.command), style: 'dialog' }];
    lines.push(fitLine(segs, width - 2));
  }
  if (listed.length < count) lines.push(fitLine([{ text: `… and ${count - listed.length} more`, style: 'dim' }], width - 2));
  if (mode.mustType !== undefined) {
    const who = mode.mustType === 1 ? 'PID 1 (init: the whole system depends on it)' : `PID ${mode.mustType} (proctop itself)`;
    lines.push(fitLine([{ text: `This includes ${who}.`, style: 'alert' }], width - 2));
    lines.push(fitLine([{ text: `Type ${mode.mustType} and Enter to confirm: ${mode.typed}_`, style: 'alert' }], width - 2));
    lines.push(fitLine([{ text: 'Esc: cancel', style: 'label' }], width - 2));
  } else {
    lines.push(fitLine([{ text: keyHint('confirm'), style: 'label' }], width - 2));
  }
  return { title: `Send ${name}?`, lines, width, height: lines.length + 2 };
}

/** A signal (or renice, or a tool) asked for while the screen shows the past: return to live first? */
function goLiveDialog(mode: Extract<UiState['mode'], { kind: 'go-live' }>, screenW: number): Dialog {
  const width = Math.min(screenW, 78);
  const subject = mode.subject;
  // The command on a line of its own: a long one is cut there, never the sentence (it was, at 80 columns).
  const texts: [string, Segment['style']][] = [
    ['The screen shows the past. Nothing from an old frame is signalled:', 'dialog'],
    ['its processes may have exited, and their PIDs may belong to others now.', 'dialog'],
    [`Return to live first? Then ${subject ? `PID ${subject.pid}` : 'the selection'} is checked again`, 'dialog'],
    ['(same PID and start time) before anything is sent.', 'dialog'],
    ...(subject ? [[`PID ${subject.pid}: ${sanitize(subject.command)}`, 'dim'] as [string, Segment['style']]] : []),
    ['y/Enter: back to live    n/Esc: stay in the past', 'label'],
  ];
  const lines = texts.map(([text, style]) => fitLine([{ text, style }], width - 2));
  return { title: 'Return to live?', lines, width, height: lines.length + 2 };
}

/** Columns of the table a dialog may leave beside it on each side before it takes the whole width. */
export const DIALOG_MIN_MARGIN = 3;

/**
 * A dialog almost as wide as the screen takes all of it: a centred one two columns short left
 * the table's last column showing through beside its border (`┐0`), read as part of the dialog.
 */
function widened(d: Dialog | undefined, screenW: number): Dialog | undefined {
  if (d === undefined || d.width >= screenW || (screenW - d.width) / 2 >= DIALOG_MIN_MARGIN) return d;
  return { ...d, width: screenW, lines: d.lines.map((l) => fitLine(l, screenW - 2)) };
}

/** The overlay for the current mode, or undefined when the table has the keyboard. */
export function buildDialog(state: UiState, data: DialogData, screenW: number, screenH: number): Dialog | undefined {
  return widened(modeDialog(state, data, screenW, screenH), screenW);
}

function modeDialog(state: UiState, data: DialogData, screenW: number, screenH: number): Dialog | undefined {
  const mode = state.mode;
  const users = data.users;
  switch (mode.kind) {
    case 'help':
      return helpDialog(mode.scroll, screenW, screenH, data.host, state.cgroupView.open ? 'cgroups' : 'table');
    case 'zombies':
      return zombieDialog(data, mode.index, screenW, screenH);
    case 'setup':
      return setupDialog(state, mode.index, screenW, screenH, data.configPath);
    case 'details':
      return data.details ? detailsDialog(data.details, mode.scroll, screenW, screenH) : undefined;
    case 'environ':
      return data.environ ? environDialog(data.environ, mode.scroll, screenW, screenH) : undefined;
    case 'sort-menu':
      return menu('Sort by', COLUMNS.map((c) => `${c.title.padEnd(8)} ${c.description}`), mode.index, screenW, screenH, keyHint('sort-menu'));
    case 'user-menu':
      return menu('Show user', ['All users', ...users.map((u) => sanitize(u.name))], mode.index, screenW, screenH, keyHint('user-menu'));
    case 'signal-menu': {
      const title = mode.typed ? `Send signal: ${mode.typed}` : 'Send signal';
      const subject = mode.subject ? `PID ${mode.subject.pid}` : 'the selection';
      const scopes = SIGNAL_SCOPES.map((sc) => {
        const word = sc === 'tagged' && state.tagged.size > 0 ? `tagged: ${taggedCount(state.tagged.size, data.taggedHidden ?? 0)}` : sc;
        return sc === mode.scope ? `[${word}]` : word;
      }).join(' ');
      const to = `To (${subject}): `;
      const dialog = menu(title, SIGNALS.map((s) => `${String(s.number).padStart(2)} ${s.name.padEnd(10)} ${s.description}`), mode.index, screenW, screenH - 1, keyHint('signal-menu'), to.length + scopes.length + 2);
      const scopeLine = fitLine([{ text: to, style: 'label' }, { text: scopes, style: 'value' }], dialog.width - 2);
      return { ...dialog, lines: [scopeLine, ...dialog.lines], height: Math.min(screenH, dialog.height + 1) };
    }
    case 'confirm':
      return confirmDialog(state, screenW, screenH, data.taggedHidden ?? 0);
    case 'go-live':
      return goLiveDialog(mode, screenW);
    case 'cgroup-menu':
    case 'cgroup-confirm':
      return cgroupDialog(state, screenW, screenH);
    default:
      return undefined;
  }
}

/** htop's F-key bar, or the prompt of an open search/filter bar. */
export function buildFooter(state: UiState, width: number, noMatch = false): Line {
  const mode = state.mode;
  if (mode.kind === 'input') {
    const label = mode.tool === 'taskset' ? `CPU list for PID ${mode.target.pid} (e.g. 0-3,6): ` : `I/O class and level for PID ${mode.target.pid} (1 realtime, 2 best-effort 0-7, 3 idle; e.g. "2 7"): `;
    return fitLine([{ text: label, style: 'fkey' }, { text: sanitize(mode.text), style: 'prompt' }, { text: '_', style: 'prompt' }, { text: `  ${keyHint('input')}`, style: 'dim' }], width);
  }
  if (mode.kind === 'goto') {
    return fitLine([{ text: 'Go to time: ', style: 'fkey' }, { text: sanitize(mode.text), style: 'prompt' }, { text: '_', style: 'prompt' }, { text: '  14:05, 14:05:30, -10m, 2026-12-04T14:05:00Z, now   Enter: go  Esc: cancel', style: 'dim' }], width);
  }
  if (mode.kind === 'filter') {
    const parsed = parseQuery(mode.text);
    // How a flag word was read comes first: it decides what the rows mean; the key hint can be cut.
    const reading = parsed.ok ? describeQuery(mode.text) : '';
    const tail: Segment[] = parsed.ok
      ? [...(reading ? [{ text: `  ${sanitize(reading)}`, style: 'value' as const }] : []), { text: `  ${keyHint('filter')}`, style: 'dim' }]
      : [{ text: `  ${parsed.error} (at ${parsed.position + 1})`, style: 'status-error' }];
    return fitLine([{ text: 'Filter: ', style: parsed.ok ? 'fkey' : 'alert' }, { text: sanitize(mode.text), style: 'prompt' }, { text: '_', style: 'prompt' }, ...tail], width);
  }
  if (mode.kind === 'search') {
    // The bar itself says so: the status line above it is easy to miss while typing.
    const miss: Segment[] = noMatch ? [{ text: '  no match', style: 'status-error' }] : [];
    return fitLine([{ text: 'Search: ', style: noMatch ? 'alert' : 'fkey' }, { text: sanitize(mode.text), style: 'prompt' }, { text: '_', style: 'prompt' }, ...miss, { text: `  ${keyHint('search')}`, style: 'dim' }], width);
  }
  return fitLine(fkeyBar(state.filter.trim(), width), width);
}

/** F-keys that give their place on the bar to an active filter's text, first to last. */
const YIELD_TO_FILTER: readonly string[] = ['F7', 'F8', 'F2'];

/** Columns the bar tries to give an active filter's text before it cuts it with "…". */
const FILTER_ROOM = 24;

/**
 * htop's F-key bar. With a filter set, F4's label is the filter itself (`F4[nginx]`), as htop
 * shows it once its bar closes: the labels lose their padding, Nice-/Nice+/Setup give their
 * place when the filter needs it (their keys still work), and a long filter is cut with "…".
 */
function fkeyBar(filter: string, width: number): Segment[] {
  const segs: Segment[] = [];
  if (filter === '') {
    for (const [key, label] of FKEY_BAR) segs.push({ text: key, style: 'fkey' }, { text: label.padEnd(6), style: 'fkey-label' });
    return segs;
  }
  const text = sanitize(filter);
  const want = Math.min(displayWidth(text), FILTER_ROOM);
  let keys = FKEY_BAR;
  const used = (ks: typeof FKEY_BAR): number => ks.reduce((n, [key, label]) => n + key.length + (key === 'F4' ? 3 : label.length + 1), 0);
  for (const drop of YIELD_TO_FILTER) {
    if (width - used(keys) >= want) break;
    keys = keys.filter(([key]) => key !== drop);
  }
  const room = Math.max(4, width - used(keys));
  for (const [key, label] of keys) {
    segs.push({ text: key, style: 'fkey' });
    segs.push(key === 'F4' ? { text: `[${truncate(text, room, '…')}] `, style: 'prompt' } : { text: `${label} `, style: 'fkey-label' });
  }
  return segs;
}

function zombieDialog(data: DialogData, index: number, screenW: number, screenH: number): Dialog {
  const width = Math.max(20, screenW - 4);
  const inner = width - 2;
  const groups = data.zombieGroups;
  const total = groups.reduce((n, g) => n + g.zombies.length, 0);
  const room = Math.max(1, screenH - 8);
  const win = windowAround(groups, index, room);
  const parentState = (p: ZombieGroup['parent']): string => {
    if (!p) return 'not visible';
    if (p.state === 'T' || p.state === 't') return 'STOPPED';
    if (p.state !== 'D') return p.state;
    return `${isStuck(p, data.now, data.stuckAfterMs) ? 'STUCK ' : ''}(D ${formatStateAge(stateAgeMs(p, data.now), p.stateSinceLowerBound === true)})`;
  };
  const states = win.items.map((g) => parentState(g.parent));
  // As wide as the widest state shown, so COMMAND starts in one column on every row.
  const stateWidth = Math.max('PARENT STATE'.length, ...states.map((s) => s.length));
  const lines: Line[] = [fitLine([{ text: `${'PARENT'.padStart(7)} ${'USER'.padEnd(9)} ${'ZOMBIES'.padStart(7)} ${'OLDEST'.padStart(7)} ${'PARENT STATE'.padEnd(stateWidth)}  COMMAND`, style: 'column-header' }], inner)];
  win.items.forEach((g, i) => {
    const p = g.parent;
    const text = `${String(g.parentPid).padStart(7)} ${fit(sanitize(p?.user ?? '-'), 9, 'left')} ${String(g.zombies.length).padStart(7)} ${formatStateAge(data.now - g.oldestSince, g.oldestLowerBound).padStart(7)} ${(states[i] ?? '').padEnd(stateWidth)}  ${sanitize(p?.command ?? '?')}`;
    lines.push(fitLine([{ text, style: win.start + i === index ? 'dialog-selected' : 'dialog' }], inner));
  });
  lines.push(fitLine([{ text: keyHint('zombie-reap'), style: 'dim' }], inner));
  lines.push(fitLine([{ text: keyHint('zombie-signal'), style: 'dim' }], inner));
  if (data.followUp) lines.push(fitLine([{ text: data.followUp.text, style: data.followUp.warn ? 'warn' : 'value' }], inner));
  return { title: `Zombies: ${total} under ${groups.length} parent${groups.length === 1 ? '' : 's'}`, lines, width, height: Math.min(screenH, lines.length + 2) };
}
