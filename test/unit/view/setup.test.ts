/**
 * The setup screen (F2): which keys reach it (src/view/reduce.ts routes setup mode to
 * reduceSetup) and what each setting does to the UI state. Every change must touch the
 * field it names and nothing else: the app saves what changed to the config file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { METERS, THEME_NAMES } from '../../../src/model/settings';
import { COLUMNS, DEFAULT_COLUMNS } from '../../../src/model/columns';
import { frameRows, makeReduceContext } from '../../../src/view/build-view';
import { Command } from '../../../src/view/commands';
import { lookupKey } from '../../../src/view/keymap';
import { reduce, Reduced, ReduceContext } from '../../../src/view/reduce';
import { reduceSetup, setupDialog, setupItems } from '../../../src/view/setup';
import { lineText } from '../../../src/view/view-model';
import { UiState } from '../../../src/view/ui-state';
import { makeSnapshot, makeUiState } from '../../helpers/process-fixture';

/** A list sorted by CPU% high first, 1.5 s, default theme, no user threads, kernel threads shown. */
const BASE = makeUiState({ sortKey: 'cpu', descending: true, delay: 15, theme: 'default', showThreads: false, showKernel: true });

const SNAPSHOT = makeSnapshot([{ pid: 1 }, { pid: 2, ppid: 1 }, { pid: 3, ppid: 1 }]);
const CTX: ReduceContext = makeReduceContext(frameRows(BASE, SNAPSHOT, undefined), SNAPSHOT, 10, 99_999);

/** Index of the setup line whose label is `label` (exactly). */
function indexOf(s: UiState, label: string): number {
  const i = setupItems(s).findIndex((item) => item.label === label);
  assert.ok(i >= 0, `a setup line "${label}" in ${setupItems(s).map((it) => it.label).join(' | ')}`);
  return i;
}

/** The label of a column's setup line: `[x] TITLE` when shown, `[ ] TITLE` when hidden. */
const column = (s: UiState, title: string): string => `${s.columns.some((id) => COLUMNS.find((c) => c.id === id)?.title === title) ? '[x]' : '[ ]'} ${title}`;

/** `s` (BASE by default) with the setup screen open on the line labelled `label`. */
function on(label: string, s: UiState = BASE): UiState {
  return { ...s, mode: { kind: 'setup', index: indexOf(s, label) } };
}

/** Presses a key as the app does: looked up in the setup key context, then reduced. */
function press(s: UiState, key: string): Reduced {
  const command = lookupKey('setup', key);
  assert.ok(command, `"${key}" is bound in setup`);
  return reduce(s, command, CTX);
}

/** Presses keys in turn; the last state. */
function pressAll(s: UiState, ...keys: string[]): UiState {
  return keys.reduce((cur, key) => press(cur, key).state, s);
}

/** The UiState fields that differ. */
function changed(before: UiState, after: UiState): string[] {
  return (Object.keys(before) as (keyof UiState)[]).filter((k) => !isDeepStrictEqual(before[k], after[k]));
}

const setupIndex = (s: UiState): number => {
  assert.equal(s.mode.kind, 'setup');
  return (s.mode as { index: number }).index;
};

// Routing

test('F2 and S in the table open setup on its first line and change nothing else', () => {
  for (const key of ['f2', 'S']) {
    const command = lookupKey('table', key);
    assert.deepEqual(command, { kind: 'setup' }, key);
    const r = reduce(BASE, command as Command, CTX);
    assert.deepEqual(r.state.mode, { kind: 'setup', index: 0 }, key);
    assert.deepEqual(changed(BASE, r.state), ['mode'], key);
    assert.deepEqual(r.effects, []);
  }
});

test('in setup, commands of the table do nothing: no quit, no tree toggle, no sort change', () => {
  const s = on('Tree view');
  for (const command of [{ kind: 'quit' }, { kind: 'toggle-tree' }, { kind: 'invert-sort' }, { kind: 'toggle-threads' }, { kind: 'sort-by', column: 'pid' }] as Command[]) {
    const r = reduce(s, command, CTX);
    assert.deepEqual(changed(s, r.state), [], command.kind);
    assert.deepEqual(r.effects, [], command.kind);
  }
});

test('Esc, q, F2 and F10 close setup with "Settings saved", changing only mode and status', () => {
  for (const key of ['escape', 'q', 'f2', 'f10']) {
    const s = on('Sort by');
    const r = press(s, key);
    assert.deepEqual(r.state.mode, { kind: 'normal' }, key);
    assert.deepEqual(r.state.status, { text: 'Settings saved', error: false }, key);
    assert.deepEqual(changed(s, r.state).sort(), ['mode', 'status'], key);
    assert.deepEqual(r.effects, [], `${key}: q closes setup, it does not quit`);
  }
});

test('up and down move between setup lines and stop at the first and the last; page keys move ten', () => {
  const last = setupItems(BASE).length - 1;
  const top = { ...BASE, mode: { kind: 'setup', index: 0 } } as UiState;
  assert.equal(setupIndex(press(top, 'up').state), 0);
  assert.equal(setupIndex(press(top, 'down').state), 1);
  assert.equal(setupIndex(press(top, 'pagedown').state), 10);
  assert.equal(setupIndex(pressAll(top, 'pagedown', 'pageup')), 0);
  const bottom = { ...BASE, mode: { kind: 'setup', index: last } } as UiState;
  assert.equal(setupIndex(press(bottom, 'down').state), last);
  assert.equal(setupIndex(press(bottom, 'pagedown').state), last);
  assert.deepEqual(changed(top, press(top, 'down').state), ['mode']);
});

test('reduceSetup leaves a state that is not in setup mode alone', () => {
  assert.equal(reduceSetup(BASE, { kind: 'accept' }), BASE);
  assert.equal(reduceSetup(BASE, { kind: 'cycle-scope', delta: 1 }), BASE);
});

// Display settings

test('Space on "Tree view" turns the tree on and off, changing only tree', () => {
  const s = on('Tree view');
  const once = press(s, 'space');
  assert.equal(once.state.tree, true);
  assert.deepEqual(changed(s, once.state), ['tree']);
  assert.deepEqual(once.effects, []);
  const twice = press(once.state, 'enter').state;
  assert.deepEqual(twice, s);
});

test('Right and Left on "Sort by" step the sort key through the columns in order, changing only sortKey', () => {
  const ids = COLUMNS.map((c) => c.id);
  const s = on('Sort by');
  const cpu = ids.indexOf('cpu');
  const right = press(s, 'right').state;
  assert.equal(right.sortKey, ids[cpu + 1]);
  // The direction stays as it was: only the key changes.
  assert.deepEqual(changed(s, right), ['sortKey']);
  assert.equal(press(s, 'left').state.sortKey, ids[cpu - 1]);
  // Space steps like Right.
  assert.equal(press(s, 'space').state.sortKey, ids[cpu + 1]);
  assert.equal(pressAll(s, 'right', 'left').sortKey, 'cpu');
});

test('"Sort by" wraps around: Left from the first column gives the last, Right from the last the first', () => {
  const first = on('Sort by', { ...BASE, sortKey: COLUMNS[0]?.id as string });
  assert.equal(press(first, 'left').state.sortKey, COLUMNS[COLUMNS.length - 1]?.id);
  const last = on('Sort by', { ...BASE, sortKey: COLUMNS[COLUMNS.length - 1]?.id as string });
  assert.equal(press(last, 'right').state.sortKey, COLUMNS[0]?.id);
});

test('Space, Right and Left on "Sort direction" flip descending, changing only descending', () => {
  for (const key of ['space', 'right', 'left']) {
    const s = on('Sort direction');
    const after = press(s, key).state;
    assert.equal(after.descending, false, key);
    assert.deepEqual(changed(s, after), ['descending'], key);
    assert.equal(press(after, key).state.descending, true, key);
  }
});

test('"Sort direction" shows high first or low first as it is set', () => {
  const s = on('Sort direction');
  const line = (st: UiState): string | undefined => setupItems(st).find((it) => it.label === 'Sort direction')?.value;
  assert.equal(line(s), 'high first');
  assert.equal(line(press(s, 'space').state), 'low first');
});

test('Right and Left on "Refresh delay" step by 0.1 s below 2 s and by 0.5 s from 2 s, changing only delay', () => {
  const delayAfter = (delay: number, key: string): number => {
    const s = on('Refresh delay', { ...BASE, delay });
    const after = press(s, key).state;
    assert.deepEqual(changed(s, after), after.delay === delay ? [] : ['delay'], `${delay} ${key}`);
    return after.delay;
  };
  assert.equal(delayAfter(10, 'right'), 11);
  assert.equal(delayAfter(10, 'left'), 9);
  assert.equal(delayAfter(19, 'right'), 20);
  assert.equal(delayAfter(20, 'right'), 25);
  assert.equal(delayAfter(30, 'left'), 25);
  assert.equal(setupItems(on('Refresh delay')).find((it) => it.label === 'Refresh delay')?.value, '1.5 s');
});

test('"Refresh delay" stays within 0.1 s and 60 s', () => {
  assert.equal(press(on('Refresh delay', { ...BASE, delay: 1 }), 'left').state.delay, 1);
  assert.equal(press(on('Refresh delay', { ...BASE, delay: 600 }), 'right').state.delay, 600);
  assert.equal(press(on('Refresh delay', { ...BASE, delay: 598 }), 'right').state.delay, 600);
});

test('Right on "Colour theme" cycles default, light, mono and back; Left goes the other way; only theme changes', () => {
  const s = on('Colour theme');
  const seen: string[] = [];
  let cur = s;
  for (let i = 0; i < 3; i++) {
    cur = press(cur, 'right').state;
    seen.push(cur.theme);
  }
  assert.deepEqual(seen, ['light', 'mono', 'default']);
  const left = press(s, 'left').state;
  assert.equal(left.theme, 'mono');
  assert.deepEqual(changed(s, left), ['theme']);
});

test('the setup screen offers exactly the themes --theme accepts and the meters the config file knows', () => {
  const items = setupItems(makeUiState());
  const theme = items.find((i) => i.id === 'Colour theme');
  let s = makeUiState();
  const seen: string[] = [];
  for (let i = 0; i < THEME_NAMES.length; i++) seen.push((s = theme?.cycle?.(s, 1) ?? s).theme);
  assert.deepEqual(seen.sort(), [...THEME_NAMES].sort());
  assert.deepEqual(items.filter((i) => i.id.startsWith('meter:')).map((i) => i.id), METERS.map((m) => `meter:${m}`));
});

test('Space on "Show user threads" toggles showThreads only, and tells the sampler', () => {
  const s = on('Show user threads');
  const on1 = press(s, 'space');
  assert.equal(on1.state.showThreads, true);
  assert.deepEqual(changed(s, on1.state), ['showThreads']);
  assert.deepEqual(on1.effects, [{ kind: 'set-threads', on: true }]);
  const off = press(on1.state, 'space');
  assert.equal(off.state.showThreads, false);
  assert.deepEqual(off.effects, [{ kind: 'set-threads', on: false }]);
});

test('Space on "Show kernel threads" toggles showKernel only, with nothing for the sampler', () => {
  const s = on('Show kernel threads');
  const r = press(s, 'space');
  assert.equal(r.state.showKernel, false);
  assert.deepEqual(changed(s, r.state), ['showKernel']);
  assert.deepEqual(r.effects, []);
  assert.equal(press(r.state, 'space').state.showKernel, true);
});

test('only the threads setting asks the sampler for anything', () => {
  for (const label of ['Tree view', 'Sort by', 'Sort direction', 'Refresh delay', 'Colour theme', 'Show kernel threads', '[x] memory', column(BASE, 'PID')]) {
    for (const key of ['space', 'right', 'left', '+', '-']) assert.deepEqual(press(on(label), key).effects, [], `${label} ${key}`);
  }
});

test('Space on a header meter hides it, and again puts it back in its place; only meters change', () => {
  const s = on('[x] swap');
  const hidden = press(s, 'space').state;
  assert.deepEqual(hidden.meters, METERS.filter((m) => m !== 'swap'));
  assert.deepEqual(changed(s, hidden), ['meters']);
  // The line keeps its place (meters are listed in a fixed order), so Space again undoes it.
  assert.deepEqual(press(hidden, 'space').state.meters, [...METERS]);
});

// Columns

test('Space on a shown column hides it and the cursor stays on it (now among the hidden); only columns and the cursor change', () => {
  const s = on(column(BASE, 'USER'));
  const after = press(s, 'space').state;
  assert.deepEqual(after.columns, DEFAULT_COLUMNS.filter((id) => id !== 'user'));
  assert.deepEqual(new Set(changed(s, after)), new Set(['mode', 'columns']));
  assert.equal(setupIndex(after), indexOf(after, column(after, 'USER')));
  // A second Space shows it again, instead of hiding the column that slid under the cursor.
  assert.ok(press(after, 'space').state.columns.includes('user'));
});

test('Space on a hidden column shows it just before Command, which stays last; the cursor follows it', () => {
  assert.ok(!BASE.columns.includes('ppid'));
  const s = on(column(BASE, 'PPID'));
  const after = press(s, 'space').state;
  assert.deepEqual(after.columns, [...DEFAULT_COLUMNS.filter((id) => id !== 'command'), 'ppid', 'command']);
  assert.equal(setupIndex(after), indexOf(after, column(after, 'PPID')));
  // Space twice is show then hide of PPID: Command is never hidden by the second press.
  const twice = press(after, 'space').state;
  assert.deepEqual(twice.columns, DEFAULT_COLUMNS);
});

test('the last shown column cannot be hidden', () => {
  const only = { ...BASE, columns: ['command'] };
  const s = on(column(only, 'Command'), only);
  assert.deepEqual(press(s, 'space').state.columns, ['command']);
});

test('+ moves a column one place right and the cursor follows it; - moves it back; only columns and the cursor change', () => {
  const s = on(column(BASE, 'PID'));
  const at = setupIndex(s);
  const moved = press(s, '+').state;
  assert.deepEqual(moved.columns, ['user', 'pid', ...DEFAULT_COLUMNS.slice(2)]);
  assert.deepEqual(changed(s, moved).sort(), ['columns', 'mode']);
  assert.equal(setupIndex(moved), at + 1);
  assert.equal(setupItems(moved)[at + 1]?.label, '[x] PID', 'the cursor is still on PID');
  // So + again keeps moving the same column.
  assert.deepEqual(press(moved, '=').state.columns, ['user', 'priority', 'pid', ...DEFAULT_COLUMNS.slice(3)]);
  const back = press(moved, '-').state;
  assert.deepEqual(back.columns, DEFAULT_COLUMNS);
  assert.equal(setupIndex(back), at);
});

test('moving a column past either end, onto Command, moving Command or a hidden column changes nothing', () => {
  const cases: [string, string][] = [
    [column(BASE, 'PID'), '-'],
    [column(BASE, 'THR'), '+'],
    [column(BASE, 'Command'), '-'],
    [column(BASE, 'Command'), '+'],
    [column(BASE, 'PPID'), '+'],
    [column(BASE, 'PPID'), '-'],
  ];
  for (const [label, key] of cases) {
    const s = on(label);
    assert.deepEqual(changed(s, press(s, key).state), [], `${label} ${key}`);
  }
});

test('- and + on a line that is not a column change nothing', () => {
  for (const label of ['Tree view', 'Sort by', 'Refresh delay', '[x] cpus']) {
    for (const key of ['-', '+']) {
      const s = on(label);
      assert.deepEqual(changed(s, press(s, key).state), [], `${label} ${key}`);
    }
  }
});

test('setup on a narrow screen says which chosen columns have no room, instead of a bare [x]', () => {
  const state = { ...BASE, columns: [...DEFAULT_COLUMNS], mode: { kind: 'setup', index: 0 } } as UiState;
  const column = (width: number, title: string): string => {
    const all = setupItems(state);
    const index = all.findIndex((it) => it.label === `[x] ${title}`);
    // Put the cursor on it so the setup window shows that line.
    const text = setupDialog(state, index, width, 200, undefined).lines.map(lineText);
    return text.find((l) => l.includes(`[x] ${title}`)) ?? '';
  };
  assert.match(column(80, 'THR'), /\(no room at 80 columns\) Number of threads/);
  assert.match(column(80, 'PRI'), /\(no room at 80 columns\)/);
  assert.doesNotMatch(column(80, 'NI'), /no room/, 'NI still fits at 80');
  assert.doesNotMatch(column(80, 'CPU%'), /no room/);
  assert.doesNotMatch(column(200, 'THR'), /no room/, 'every column fits at 200');
});
