import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDialog, DialogData } from '../../../src/view/dialogs';
import { FKEY_BAR, hintedKeys, HintMode, HINTS, keyHint, KEYMAP, lookupKey } from '../../../src/view/keymap';
import { keyContextOf } from '../../../src/loop/key-context';
import { reduce } from '../../../src/view/reduce';
import { makeReduceContext, frameRows } from '../../../src/view/build-view';
import { Command } from '../../../src/view/commands';
import { Mode, UiState } from '../../../src/view/ui-state';
import { Dialog, lineText } from '../../../src/view/view-model';
import { makeSnapshot, makeUiState } from '../../helpers/process-fixture';
import { QUERY_HELP } from '../../../src/model/query';

const SNAPSHOT = makeSnapshot([{ pid: 1 }, { pid: 2, ppid: 1 }]);
const DATA: DialogData = { users: [], zombieGroups: [], now: SNAPSHOT.time, stuckAfterMs: 5000, followUp: undefined, host: 'Debian GNU/Linux 12 · kernel 6.1' };
const TABLE_BINDINGS = KEYMAP.filter((k) => k.context === 'table');

/** The help dialog at `scroll` on a width×height screen. */
function helpDialogAt(scroll: number, width: number, height: number, host: string | undefined = DATA.host): Dialog {
  const dialog = buildDialog(makeUiState({ mode: { kind: 'help', scroll } }), { ...DATA, host }, width, height);
  assert.ok(dialog, 'a help dialog');
  assert.ok(dialog.height <= height, `dialog height ${dialog.height} fits ${height} lines`);
  return dialog;
}

const helpText = (scroll: number, width: number, height: number): string[] => helpDialogAt(scroll, width, height).lines.map(lineText);

/** Commands on the help overlay of an 80×`height` screen, each with the scroll range of the frame before it, as the app does. */
function run(commands: readonly Command[], height: number | undefined): UiState {
  let s: UiState = makeUiState({ mode: { kind: 'help', scroll: 0 } });
  for (const c of commands) {
    const range = height === undefined || s.mode.kind !== 'help' ? undefined : helpDialogAt(s.mode.scroll, 80, height).scroll;
    s = reduce(s, c, makeReduceContext(frameRows(s, SNAPSHOT, undefined), SNAPSHOT, 10, 99_999, range)).state;
  }
  return s;
}

const scrollOf = (s: UiState): number => (s.mode.kind === 'help' ? s.mode.scroll : -1);

test('on a tall screen the help shows every table binding at once, and says how to close it', () => {
  const lines = helpText(0, 200, 100);
  for (const b of TABLE_BINDINGS) assert.ok(lines.some((l) => l.includes(b.help)), `"${b.help}" is shown`);
  assert.match(lines.at(-1) ?? '', /^Esc\/q: close/);
  assert.doesNotMatch(lines.join('\n'), /scroll \(/, 'no scroll hint when everything fits');
});

/** Lines of the help body at 80 columns: the bindings, the state letters, the query summary. */
const BODY_80 = TABLE_BINDINGS.length + 1 + QUERY_LINES_80();

function QUERY_LINES_80(): number {
  const all = helpText(0, 80, 1000);
  return all.length - 1 - all.findIndex((l) => l.startsWith('Query (F4'));
}

test('on an 80×24 screen the help shows a page with its position, and the last page ends with the state letters and the query language', () => {
  const first = helpText(0, 80, 24);
  assert.equal(first.length, 22, 'host line + 20 body lines + footer inside the border');
  assert.match(first.at(-1) ?? '', new RegExp(`scroll \\(1–20 of ${BODY_80}\\)`));
  const max = helpDialogAt(0, 80, 24).scroll?.max ?? 0;
  assert.equal(max, BODY_80 - 20);
  const last = helpText(max, 80, 24);
  assert.ok(last.some((l) => /^States: R running/.test(l)));
  assert.match(last.at(-2) ?? '', /man proctop/);
  assert.match(last.at(-1) ?? '', new RegExp(`of ${BODY_80}\\)`));
  // Past the end it stays on the last page rather than showing a short one.
  assert.deepEqual(helpText(999, 80, 24), last);
});

test('help lines are not cut when the screen is wide enough: the longest binding text is whole', () => {
  const longest = TABLE_BINDINGS.reduce((a, b) => (b.help.length > a.length ? b.help : a), '');
  assert.ok(helpText(0, 200, 100).some((l) => l.includes(longest)), longest);
});

test('help scroll keys: down/page/end stop at the last page, up/home at the top, cancel closes', () => {
  const range = helpDialogAt(0, 80, 24).scroll;
  assert.deepEqual(range, { max: BODY_80 - 20, page: 19 }, '20 body lines on a 24-line screen; a page keeps one line');
  const max = range?.max ?? 0;
  assert.equal(scrollOf(run([{ kind: 'move', delta: 1 }], 24)), 1);
  assert.equal(scrollOf(run([{ kind: 'move', delta: -1 }], 24)), 0);
  assert.equal(scrollOf(run([{ kind: 'page', delta: 1 }], 24)), Math.min(max, 19));
  assert.equal(scrollOf(run(Array.from({ length: 50 }, () => ({ kind: 'move', delta: 1 }) as const), 24)), max);
  assert.ok(scrollOf(run([{ kind: 'end' }], 24)) >= max, 'End: the last page, however long the help is when drawn');
  assert.equal(scrollOf(run([{ kind: 'end' }, { kind: 'move', delta: -1 }], 24)), max - 1, 'one Up from the end moves at once');
  assert.equal(scrollOf(run([{ kind: 'end' }, { kind: 'home' }], 24)), 0);
  assert.equal(run([{ kind: 'cancel' }], 24).mode.kind, 'normal');
  // Before a frame has drawn the overlay there is no range: Down still moves.
  assert.equal(scrollOf(run([{ kind: 'move', delta: 1 }], undefined)), 1);
});

test('End stays at the end when the help gains a line (the host facts arrive after End was pressed)', () => {
  // Pressed while the frame had no host facts line (one more body line of room)…
  let s: UiState = makeUiState({ mode: { kind: 'help', scroll: 0 } });
  const before = helpDialogAt(0, 80, 24, undefined).scroll;
  s = reduce(s, { kind: 'end' }, makeReduceContext(frameRows(s, SNAPSHOT, undefined), SNAPSHOT, 10, 99_999, before)).state;
  // …drawn with it: the last line is still on screen.
  const after = helpDialogAt(scrollOf(s), 80, 24).lines.map(lineText);
  assert.match(after.at(-2) ?? '', /man proctop/, after.join('\n'));
  // And one Up from there moves one line at once.
  const up = reduce(s, { kind: 'move', delta: -1 }, makeReduceContext(frameRows(s, SNAPSHOT, undefined), SNAPSHOT, 10, 99_999, helpDialogAt(scrollOf(s), 80, 24).scroll)).state;
  assert.equal(scrollOf(up), (helpDialogAt(0, 80, 24).scroll?.max ?? 0) - 1);
});

test('the F-key bar is htop\'s, generated from the table bindings that carry a bar label', () => {
  assert.deepEqual(FKEY_BAR, [['F1', 'Help'], ['F2', 'Setup'], ['F3', 'Search'], ['F4', 'Filter'], ['F5', 'Tree'], ['F6', 'SortBy'], ['F7', 'Nice-'], ['F8', 'Nice+'], ['F9', 'Kill'], ['F10', 'Quit']]);
  for (const [key] of FKEY_BAR) {
    const bound = KEYMAP.find((b) => b.context === 'table' && b.keys.includes(key.toLowerCase()));
    assert.ok(bound?.bar !== undefined, `${key} is labelled by the binding it runs`);
  }
});

test('the bars and dialogs hint the keys KEYMAP binds in them, with each mode\'s word', () => {
  assert.equal(keyHint('filter'), 'Enter: keep  Esc: clear');
  assert.equal(keyHint('input'), 'Enter: apply  Esc: cancel');
  assert.equal(keyHint('search'), 'Enter: done  Esc: close  F3: next');
  assert.equal(keyHint('sort-menu'), 'Enter: sort  Esc: cancel');
  assert.equal(keyHint('user-menu'), 'Enter: choose  Esc: cancel');
  assert.equal(keyHint('confirm'), 'y/Enter: send    n/Esc: cancel');
  assert.equal(keyHint('help'), 'Esc/q: close');
  assert.equal(keyHint('signal-menu'), 'Number or arrows; Tab: target; Enter: choose; Esc: cancel');
  assert.equal(keyHint('zombie-reap'), 'c: SIGCHLD to the parent (asks it to reap)  t: SIGTERM the parent (init then adopts and reaps)');
  assert.equal(keyHint('zombie-signal'), 'K: SIGKILL the parent  F9/k: choose a signal  Esc: back');
  assert.equal(keyHint('start'), 'F1 help  F9 kill  z zombies  F10 quit');
});

/** The UI mode each hint is shown in: its keys must work in the key context of that mode. */
const SHOWN_IN: Record<HintMode, Mode['kind']> = {
  search: 'search', filter: 'filter', input: 'input', 'sort-menu': 'sort-menu', 'user-menu': 'user-menu', 'signal-menu': 'signal-menu',
  confirm: 'confirm', help: 'help', 'zombie-reap': 'zombies', 'zombie-signal': 'zombies', start: 'normal',
};

test('each hinted key runs the hinted command in the mode the hint is shown in', () => {
  for (const [mode, line] of Object.entries(HINTS) as [HintMode, (typeof HINTS)[HintMode]][]) {
    const context = keyContextOf(makeUiState({ mode: { kind: SHOWN_IN[mode] } as Mode }));
    for (const item of line.items) {
      const keys = hintedKeys(line.context, item);
      assert.ok(keys.length > 0, `${mode}: no binding runs ${JSON.stringify(item.command)}`);
      for (const key of keys) assert.deepEqual(lookupKey(context, key), item.command, `${mode}: ${key}`);
    }
  }
});

test('F1 help summarises the query language from QUERY_HELP: every kind of term is on it', () => {
  const text = helpText(0, 80, 1000).join('\n');
  assert.match(text, /Query \(F4 \\\):/);
  for (const row of QUERY_HELP) assert.ok(text.includes(row.syntax), `'${row.syntax}' in the help`);
});
