import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COLUMNS } from '../../../src/model/columns';
import { identityKey, ProcessInfo, Snapshot } from '../../../src/model/snapshot';
import { DEFAULT_SIGNAL, SIGNALS } from '../../../src/model/signals';
import { frameRows, makeReduceContext } from '../../../src/view/build-view';
import { Command } from '../../../src/view/commands';
import { KeyContext, KEYMAP, lookupKey } from '../../../src/view/keymap';
import { Effect, erased, reduce, ReduceContext } from '../../../src/view/reduce';
import { Mode, UiState } from '../../../src/view/ui-state';
import { makeSnapshot, ProcessSpec, makeUiState } from '../../helpers/process-fixture';

const SELF_PID = 99_999;

/** Ten plain processes, pids 10..19, in a little tree under pid 10; 12 and 15 match "worker". */
const TEN: ProcessSpec[] = Array.from({ length: 10 }, (_, i) => {
  const pid = 10 + i;
  const worker = pid === 12 || pid === 15;
  return {
    pid,
    ppid: pid === 10 ? 0 : pid <= 13 ? 10 : 11,
    pgid: pid <= 13 ? 10 : 14,
    sid: 10,
    name: worker ? 'Worker' : `svc${pid}`,
    command: worker ? `/usr/bin/python3 worker.py --id ${pid}` : `/usr/sbin/svc${pid}`,
    uid: pid % 2 === 0 ? 0 : 1000,
    user: pid % 2 === 0 ? 'root' : 'alice',
    nice: pid === 11 ? 19 : 0,
  };
});

const state = makeUiState;

/** A context for the rows of `s` over `specs`, as the app builds it. */
function contextFor(s: UiState, specs: readonly ProcessSpec[] = TEN, pageSize = 4): { ctx: ReduceContext; snapshot: Snapshot } {
  const snapshot = makeSnapshot(specs);
  return { ctx: makeReduceContext(frameRows(s, snapshot, undefined), snapshot, pageSize, SELF_PID), snapshot };
}

/** Applies commands in order; returns the last state and every effect emitted on the way. */
function run(s: UiState, commands: readonly Command[], ctx: ReduceContext = contextFor(s).ctx): { state: UiState; effects: Effect[] } {
  let cur = s;
  const effects: Effect[] = [];
  for (const c of commands) {
    const r = reduce(cur, c, ctx);
    cur = r.state;
    effects.push(...r.effects);
  }
  return { state: cur, effects };
}

const key = (pid: number): string => `${pid}:${1000 + pid}`;
const type = (text: string): Command[] => [...text].map((ch) => ({ kind: 'type', text: ch }));

function modeOf<K extends Mode['kind']>(s: UiState, kind: K): Extract<Mode, { kind: K }> {
  assert.equal(s.mode.kind, kind);
  return s.mode as Extract<Mode, { kind: K }>;
}

// Movement

test('move down selects the next row', () => {
  assert.equal(run(state({ selected: key(10) }), [{ kind: 'move', delta: 1 }]).state.selected, key(11));
});

test('move up at the first row stays on the first row', () => {
  const r = run(state({ selected: key(10) }), [{ kind: 'move', delta: -1 }]).state;
  assert.equal(r.selected, key(10));
  assert.equal(r.selectedIndex, 0);
});

test('move down at the last row stays on the last row', () => {
  assert.equal(run(state({ selected: key(19) }), [{ kind: 'move', delta: 1 }]).state.selected, key(19));
});

test('moving stops following', () => {
  assert.equal(run(state({ selected: key(12), follow: true }), [{ kind: 'move', delta: 1 }]).state.follow, false);
});

test('page down moves by one screen less one row', () => {
  // pageSize 4 → 3 rows per page.
  assert.equal(run(state({ selected: key(10) }), [{ kind: 'page', delta: 1 }]).state.selected, key(13));
});

test('page down near the end clamps to the last row', () => {
  assert.equal(run(state({ selected: key(18) }), [{ kind: 'page', delta: 1 }]).state.selected, key(19));
});

test('page up near the start clamps to the first row', () => {
  assert.equal(run(state({ selected: key(11) }), [{ kind: 'page', delta: -1 }]).state.selected, key(10));
});

test('home selects the first row and end the last', () => {
  assert.equal(run(state({ selected: key(15) }), [{ kind: 'home' }]).state.selected, key(10));
  assert.equal(run(state({ selected: key(15) }), [{ kind: 'end' }]).state.selected, key(19));
});

test('select-row selects the clicked row counted from the scroll position', () => {
  assert.equal(run(state({ selected: key(10), scroll: 3 }), [{ kind: 'select-row', row: 2 }]).state.selected, key(15));
});

test('scroll (mouse wheel) moves the selection and clamps', () => {
  assert.equal(run(state({ selected: key(10) }), [{ kind: 'scroll', delta: 3 }]).state.selected, key(13));
  assert.equal(run(state({ selected: key(18) }), [{ kind: 'scroll', delta: 3 }]).state.selected, key(19));
});

test('with no rows, moving clears the selection', () => {
  const s = state({ selected: key(10) });
  const { ctx } = contextFor(s, []);
  assert.equal(run(s, [{ kind: 'move', delta: 1 }], ctx).state.selected, undefined);
});

// Sorting

test('sort-by a new column uses its natural direction', () => {
  const cpu = run(state({ sortKey: 'pid', descending: false }), [{ kind: 'sort-by', column: 'cpu' }]).state;
  assert.equal(cpu.sortKey, 'cpu');
  assert.equal(cpu.descending, true);
  const pid = run(state({ sortKey: 'cpu', descending: true }), [{ kind: 'sort-by', column: 'pid' }]).state;
  assert.equal(pid.descending, false);
});

test('sort-by the current column toggles the direction', () => {
  const s = state({ sortKey: 'mem', descending: true });
  assert.equal(run(s, [{ kind: 'sort-by', column: 'mem' }]).state.descending, false);
  assert.equal(run(s, [{ kind: 'sort-by', column: 'mem' }, { kind: 'sort-by', column: 'mem' }]).state.descending, true);
});

test('sort-by accepts an alias and stores the column id', () => {
  assert.equal(run(state(), [{ kind: 'sort-by', column: 'PERCENT_CPU' }]).state.sortKey, 'cpu');
});

test('sort-by an unknown column changes nothing', () => {
  const s = state();
  assert.equal(run(s, [{ kind: 'sort-by', column: 'nope' }]).state, s);
});

test('the sort menu opens on the current column', () => {
  const m = modeOf(run(state({ sortKey: 'mem' }), [{ kind: 'sort-menu' }]).state, 'sort-menu');
  assert.equal(COLUMNS[m.index]?.id, 'mem');
});

test('accepting the sort menu sorts by the chosen column in its natural direction', () => {
  const s = run(state({ sortKey: 'pid', descending: false }), [{ kind: 'sort-menu' }, { kind: 'move', delta: COLUMNS.findIndex((c) => c.id === 'res') }, { kind: 'accept' }]).state;
  assert.equal(s.mode.kind, 'normal');
  assert.equal(s.sortKey, 'res');
  assert.equal(s.descending, true);
});

test('the sort menu clamps at both ends', () => {
  const top = modeOf(run(state({ sortKey: 'pid' }), [{ kind: 'sort-menu' }, { kind: 'move', delta: -5 }]).state, 'sort-menu');
  assert.equal(top.index, 0);
  const bottom = modeOf(run(state({ sortKey: 'pid' }), [{ kind: 'sort-menu' }, { kind: 'page', delta: 10 }]).state, 'sort-menu');
  assert.equal(bottom.index, COLUMNS.length - 1);
});

test('cancelling the sort menu keeps the sort', () => {
  const s = run(state({ sortKey: 'pid' }), [{ kind: 'sort-menu' }, { kind: 'move', delta: 3 }, { kind: 'cancel' }]).state;
  assert.equal(s.mode.kind, 'normal');
  assert.equal(s.sortKey, 'pid');
});

test('invert-sort flips the direction and keeps the column', () => {
  const s = run(state({ sortKey: 'cpu', descending: true }), [{ kind: 'invert-sort' }]).state;
  assert.equal(s.sortKey, 'cpu');
  assert.equal(s.descending, false);
});

// Tree

test('toggle-tree switches between list and tree view', () => {
  const on = run(state({ tree: false }), [{ kind: 'toggle-tree' }]).state;
  assert.equal(on.tree, true);
  assert.equal(run(on, [{ kind: 'toggle-tree' }]).state.tree, false);
});

test('collapse in tree view adds the selected identity key', () => {
  const s = state({ tree: true, selected: key(11) });
  assert.deepEqual([...run(s, [{ kind: 'collapse' }]).state.collapsed], [key(11)]);
});

test('expand in tree view removes the selected identity key', () => {
  const s = state({ tree: true, selected: key(11), collapsed: new Set([key(11), key(12)]) });
  assert.deepEqual([...run(s, [{ kind: 'expand' }]).state.collapsed], [key(12)]);
});

test('collapse in list view changes nothing but the status', () => {
  const s = state({ tree: false, selected: key(11) });
  const r = run(s, [{ kind: 'collapse' }]).state;
  assert.equal(r.collapsed.size, 0);
  assert.match(r.status.text, /tree view/);
});

test('expand-all clears every collapsed node', () => {
  const s = state({ tree: true, collapsed: new Set([key(10), key(11)]) });
  assert.equal(run(s, [{ kind: 'expand-all' }]).state.collapsed.size, 0);
});

// Search

test('search opens an empty search prompt', () => {
  assert.deepEqual(run(state({ selected: key(10) }), [{ kind: 'search' }]).state.mode, { kind: 'search', text: '' });
});

test('typing in search jumps to the first match from the selection, case-insensitively', () => {
  const s = run(state({ selected: key(10) }), [{ kind: 'search' }, ...type('WORK')]).state;
  assert.equal(s.selected, key(12));
  assert.equal(s.search, 'WORK');
  assert.equal(modeOf(s, 'search').text, 'WORK');
});

test('search is incremental: each typed character narrows from the current row', () => {
  const s0 = state({ selected: key(10) });
  const afterS = run(s0, [{ kind: 'search' }, ...type('s')]).state;
  assert.equal(afterS.selected, key(10));
  const afterSvc13 = run(s0, [{ kind: 'search' }, ...type('svc13')]).state;
  assert.equal(afterSvc13.selected, key(13));
});

test('search matches the command line too', () => {
  assert.equal(run(state({ selected: key(10) }), [{ kind: 'search' }, ...type('--id 15')]).state.selected, key(15));
});

test('a search without a match keeps the selection and says so as an error', () => {
  const s = run(state({ selected: key(11) }), [{ kind: 'search' }, ...type('zzz')]).state;
  assert.equal(s.selected, key(11));
  assert.equal(s.status.error, true);
  assert.match(s.status.text, /no match/);
});

test('search-next in the prompt moves to the next match', () => {
  const s = run(state({ selected: key(10) }), [{ kind: 'search' }, ...type('worker'), { kind: 'search-next' }]).state;
  assert.equal(s.selected, key(15));
});

test('search-next wraps around to the first match', () => {
  const s = run(state({ selected: key(10) }), [{ kind: 'search' }, ...type('worker'), { kind: 'search-next' }, { kind: 'search-next' }]).state;
  assert.equal(s.selected, key(12));
});

test('after closing the prompt, search-next in the table finds the next match and wraps', () => {
  const closed = run(state({ selected: key(10) }), [{ kind: 'search' }, ...type('worker'), { kind: 'accept' }]).state;
  assert.equal(closed.mode.kind, 'normal');
  const once = run(closed, [{ kind: 'search-next' }]).state;
  assert.equal(once.selected, key(15));
  assert.equal(run(once, [{ kind: 'search-next' }]).state.selected, key(12));
});

test('search-next with no previous search opens the search prompt', () => {
  assert.equal(run(state({ selected: key(10) }), [{ kind: 'search-next' }]).state.mode.kind, 'search');
});

test('Esc closes the search prompt and keeps the selection on the match', () => {
  const s = run(state({ selected: key(10) }), [{ kind: 'search' }, ...type('worker'), { kind: 'cancel' }]).state;
  assert.equal(s.mode.kind, 'normal');
  assert.equal(s.selected, key(12));
});

// Filter

test('typing in the filter prompt sets the filter as you type', () => {
  const s = run(state(), [{ kind: 'filter' }, ...type('wor')]).state;
  assert.equal(s.filter, 'wor');
  assert.equal(modeOf(s, 'filter').text, 'wor');
});

test('Enter keeps the filter and closes the prompt', () => {
  const s = run(state(), [{ kind: 'filter' }, ...type('worker'), { kind: 'accept' }]).state;
  assert.equal(s.mode.kind, 'normal');
  assert.equal(s.filter, 'worker');
});

test('Enter on an invalid query keeps the bar open and says why nothing is filtered', () => {
  const s = run(state(), [{ kind: 'filter' }, ...type('cpu>'), { kind: 'accept' }]).state;
  assert.equal(modeOf(s, 'filter').text, 'cpu>');
  assert.equal(s.status.error, true);
  assert.match(s.status.text, /^Filter not applied: .+/);
  const fixed = run(s, [...type('50'), { kind: 'accept' }]).state;
  assert.equal(fixed.mode.kind, 'normal');
  assert.equal(fixed.filter, 'cpu>50');
});

test('Esc clears the filter and closes the prompt', () => {
  const s = run(state({ filter: 'old' }), [{ kind: 'filter' }, ...type('x'), { kind: 'cancel' }]).state;
  assert.equal(s.mode.kind, 'normal');
  assert.equal(s.filter, '');
});

test('the filter prompt opens with the current filter', () => {
  assert.equal(modeOf(run(state({ filter: 'ssh' }), [{ kind: 'filter' }]).state, 'filter').text, 'ssh');
});

test('backspace in the filter removes one whole character', () => {
  const s = run(state(), [{ kind: 'filter' }, ...type('a🔥'), { kind: 'backspace' }]).state;
  assert.equal(s.filter, 'a');
});

// User menu

test('the user menu opens on "All users" when no user is chosen', () => {
  assert.equal(modeOf(run(state(), [{ kind: 'user-menu' }]).state, 'user-menu').index, 0);
});

test('the user menu opens on the chosen user', () => {
  const s = state({ uid: 1000 });
  const { ctx } = contextFor(s);
  const m = modeOf(run(s, [{ kind: 'user-menu' }], ctx).state, 'user-menu');
  assert.equal(ctx.users[m.index - 1]?.uid, 1000);
});

test('accepting a user in the user menu keeps only that uid', () => {
  const s = state();
  const { ctx } = contextFor(s);
  const alice = ctx.users.findIndex((u) => u.name === 'alice') + 1;
  const r = run(s, [{ kind: 'user-menu' }, { kind: 'move', delta: alice }, { kind: 'accept' }], ctx).state;
  assert.equal(r.mode.kind, 'normal');
  assert.equal(r.uid, 1000);
});

test('accepting "All users" clears the uid', () => {
  const r = run(state({ uid: 1000 }), [{ kind: 'user-menu' }, { kind: 'move', delta: -9 }, { kind: 'accept' }]).state;
  assert.equal(r.uid, undefined);
});

// Toggles

test('toggle-threads flips showThreads and asks the sampler to follow', () => {
  const r = run(state({ showThreads: false }), [{ kind: 'toggle-threads' }]);
  assert.equal(r.state.showThreads, true);
  assert.deepEqual(r.effects, [{ kind: 'set-threads', on: true }]);
});

test('toggle-kernel flips showKernel', () => {
  assert.equal(run(state({ showKernel: true }), [{ kind: 'toggle-kernel' }]).state.showKernel, false);
});

test('toggle-follow follows the selected process and toggles back', () => {
  const on = run(state({ selected: key(12) }), [{ kind: 'toggle-follow' }]).state;
  assert.equal(on.follow, true);
  assert.equal(run(on, [{ kind: 'toggle-follow' }]).state.follow, false);
});

test('toggle-follow without a selection does nothing', () => {
  assert.equal(run(state(), [{ kind: 'toggle-follow' }]).state.follow, false);
});

test('toggle-pause flips paused', () => {
  assert.equal(run(state(), [{ kind: 'toggle-pause' }]).state.paused, true);
});

test('toggle-graph flips showGraph', () => {
  assert.equal(run(state(), [{ kind: 'toggle-graph' }]).state.showGraph, true);
});

test('help opens the help overlay and cancel closes it', () => {
  const open = run(state(), [{ kind: 'help' }]).state;
  assert.deepEqual(open.mode, { kind: 'help', scroll: 0 });
  assert.equal(run(open, [{ kind: 'cancel' }]).state.mode.kind, 'normal');
});

// Tags

test('tag tags the selected process and moves down', () => {
  const s = run(state({ selected: key(12) }), [{ kind: 'tag' }]).state;
  assert.deepEqual([...s.tagged], [key(12)]);
  assert.equal(s.selected, key(13));
});

test('tag on a tagged process untags it', () => {
  const s = run(state({ selected: key(12), tagged: new Set([key(12)]) }), [{ kind: 'tag' }]).state;
  assert.equal(s.tagged.size, 0);
});

test('tag-subtree tags every process ctx.subtree gives for the selection', () => {
  const s = state({ selected: key(11) });
  const { ctx } = contextFor(s);
  const asked: number[] = [];
  const subtree = (p: ProcessInfo): readonly ProcessInfo[] => {
    asked.push(p.pid);
    return ctx.processes.filter((q) => q.pid === 11 || q.ppid === 11);
  };
  const r = run(s, [{ kind: 'tag-subtree' }], { ...ctx, subtree }).state;
  assert.deepEqual(asked, [11]);
  assert.deepEqual([...r.tagged].sort(), [key(11), key(14), key(15), key(16), key(17), key(18), key(19)].sort());
});

test('tag-subtree with the real context tags the selection and its descendants', () => {
  const r = run(state({ selected: key(11) }), [{ kind: 'tag-subtree' }]).state;
  assert.equal(r.tagged.size, 7);
  assert.ok(r.tagged.has(key(19)));
  assert.ok(!r.tagged.has(key(10)));
});

test('tag-shown with a filter tags exactly the rows the filter matched', () => {
  const s = state({ filter: 'worker', selected: key(12) });
  const r = run(s, [{ kind: 'tag-shown' }], contextFor(s).ctx).state;
  assert.deepEqual([...r.tagged].sort(), [key(12), key(15)]);
  assert.match(r.status.text, /Tagged 2 matching worker \(2 tagged\)/);
});

test('tag-shown adds to the tags already set and counts only the new ones', () => {
  const s = state({ filter: 'worker', tagged: new Set([key(12), key(17)]) });
  const r = run(s, [{ kind: 'tag-shown' }], contextFor(s).ctx).state;
  assert.deepEqual([...r.tagged].sort(), [key(12), key(15), key(17)]);
  assert.match(r.status.text, /Tagged 1 matching worker \(3 tagged\)/);
});

test('tag-shown without a filter tags every process row shown, but no thread row', () => {
  const specs: ProcessSpec[] = [...TEN, { pid: 30, ppid: 12, tgid: 12, thread: true, name: 'Worker' }];
  const s = state();
  const r = run(s, [{ kind: 'tag-shown' }], contextFor(s, specs).ctx).state;
  assert.equal(r.tagged.size, 10);
  assert.ok(!r.tagged.has(key(30)));
});

test('tag-shown with nothing shown says so as an error and tags nothing', () => {
  const s = state({ filter: 'name:nosuchprocess' });
  const r = run(s, [{ kind: 'tag-shown' }], contextFor(s).ctx).state;
  assert.equal(r.tagged.size, 0);
  assert.equal(r.status.error, true);
});

test('after tag-shown, k then Enter confirms for exactly the tagged processes', () => {
  const s = state({ filter: 'worker', selected: key(12) });
  const ctx = contextFor(s).ctx;
  const r = run(s, [{ kind: 'tag-shown' }, { kind: 'kill' }, { kind: 'accept' }], ctx).state;
  const confirm = modeOf(r, 'confirm');
  assert.equal(confirm.scope, 'tagged');
  assert.deepEqual(confirm.targets.map((t) => t.pid).sort(), [12, 15]);
});

test('A is bound to tag-shown and U to untag-all in the table', () => {
  assert.equal(lookupKey('table', 'A')?.kind, 'tag-shown');
  assert.equal(lookupKey('table', 'U')?.kind, 'untag-all');
});

test('untag-all clears every tag', () => {
  assert.equal(run(state({ tagged: new Set([key(10), key(11)]) }), [{ kind: 'untag-all' }]).state.tagged.size, 0);
});

// Signals

test('kill opens the signal menu with SIGTERM preselected for the selected process', () => {
  const m = modeOf(run(state({ selected: key(12) }), [{ kind: 'kill' }]).state, 'signal-menu');
  assert.equal(SIGNALS[m.index]?.number, DEFAULT_SIGNAL);
  assert.equal(SIGNALS[m.index]?.name, 'SIGTERM');
  assert.equal(m.subject?.pid, 12);
});

test('kill with nothing selected and nothing tagged is an error', () => {
  const s = run(state(), [{ kind: 'kill' }]).state;
  assert.equal(s.mode.kind, 'normal');
  assert.equal(s.status.error, true);
});

test('typing 9 in the signal menu selects SIGKILL', () => {
  const m = modeOf(run(state({ selected: key(12) }), [{ kind: 'kill' }, ...type('9')]).state, 'signal-menu');
  assert.equal(SIGNALS[m.index]?.name, 'SIGKILL');
});

test('typing 1 then 9 in the signal menu selects SIGSTOP (19)', () => {
  const m = modeOf(run(state({ selected: key(12) }), [{ kind: 'kill' }, ...type('19')]).state, 'signal-menu');
  assert.equal(SIGNALS[m.index]?.number, 19);
  assert.equal(m.typed, '19');
});

test('typing 1 alone in the signal menu selects SIGHUP', () => {
  const m = modeOf(run(state({ selected: key(12) }), [{ kind: 'kill' }, ...type('1')]).state, 'signal-menu');
  assert.equal(SIGNALS[m.index]?.name, 'SIGHUP');
});

test('a third digit starts a new number', () => {
  const m = modeOf(run(state({ selected: key(12) }), [{ kind: 'kill' }, ...type('192')]).state, 'signal-menu');
  assert.equal(m.typed, '2');
  assert.equal(SIGNALS[m.index]?.number, 2);
});

test('backspace in the signal menu removes the last typed digit', () => {
  const m = modeOf(run(state({ selected: key(12) }), [{ kind: 'kill' }, ...type('19'), { kind: 'backspace' }]).state, 'signal-menu');
  assert.equal(m.typed, '1');
  assert.equal(SIGNALS[m.index]?.number, 1);
});

test('moving in the signal menu clamps to the list', () => {
  const m = modeOf(run(state({ selected: key(12) }), [{ kind: 'kill' }, { kind: 'page', delta: 10 }]).state, 'signal-menu');
  assert.equal(m.index, SIGNALS.length - 1);
});

test('accepting the signal menu asks to confirm the signal for the selected process', () => {
  const m = modeOf(run(state({ selected: key(12) }), [{ kind: 'kill' }, ...type('9'), { kind: 'accept' }]).state, 'confirm');
  assert.equal(m.signal, 9);
  assert.deepEqual(m.targets, [{ pid: 12, startTicks: 1012, user: 'root', command: '/usr/bin/python3 worker.py --id 12' }]);
});

test('with tags, accepting the signal menu asks to confirm for every tagged process', () => {
  const s = state({ selected: key(10), tagged: new Set([key(13), key(17)]) });
  const m = modeOf(run(s, [{ kind: 'kill' }, { kind: 'accept' }]).state, 'confirm');
  assert.deepEqual(m.targets.map((t) => t.pid), [13, 17]);
  assert.equal(m.signal, DEFAULT_SIGNAL);
});

test('yes in the confirmation emits exactly one signal effect with pid and start time', () => {
  const r = run(state({ selected: key(12) }), [{ kind: 'kill' }, ...type('9'), { kind: 'accept' }, { kind: 'yes' }]);
  assert.equal(r.state.mode.kind, 'normal');
  assert.equal(r.effects.length, 1);
  const e = r.effects[0];
  assert.ok(e && e.kind === 'signal');
  assert.equal(e.signal, 9);
  assert.deepEqual(e.targets.map((t) => [t.pid, t.startTicks]), [[12, 1012]]);
});

test('no in the confirmation emits nothing and returns to the table', () => {
  const r = run(state({ selected: key(12) }), [{ kind: 'kill' }, { kind: 'accept' }, { kind: 'no' }]);
  assert.deepEqual(r.effects, []);
  assert.equal(r.state.mode.kind, 'normal');
  assert.match(r.state.status.text, /no signal sent/);
});

test('Esc in the confirmation emits nothing', () => {
  const r = run(state({ selected: key(12) }), [{ kind: 'kill' }, { kind: 'accept' }, { kind: 'cancel' }]);
  assert.deepEqual(r.effects, []);
  assert.equal(r.state.mode.kind, 'normal');
});

test('Esc in the signal menu emits nothing', () => {
  const r = run(state({ selected: key(12) }), [{ kind: 'kill' }, { kind: 'cancel' }]);
  assert.deepEqual(r.effects, []);
  assert.equal(r.state.mode.kind, 'normal');
});

test('no effect is emitted before yes, whatever else is pressed', () => {
  const r = run(state({ selected: key(12) }), [{ kind: 'kill' }, ...type('9'), { kind: 'move', delta: 1 }, { kind: 'accept' }, { kind: 'accept' }, { kind: 'help' }]);
  assert.deepEqual(r.effects, []);
});

test('signalling PID 1 needs its pid typed before yes', () => {
  const specs: ProcessSpec[] = [{ pid: 1, command: '/sbin/init' }, { pid: 2 }];
  const s = state({ selected: key(1) });
  const { ctx } = contextFor(s, specs);
  const confirm = run(s, [{ kind: 'kill' }, { kind: 'accept' }], ctx).state;
  assert.equal(modeOf(confirm, 'confirm').mustType, 1);
  const refused = run(confirm, [{ kind: 'yes' }], ctx);
  assert.deepEqual(refused.effects, []);
  assert.equal(refused.state.status.error, true);
  const sent = run(confirm, [...type('1'), { kind: 'yes' }], ctx);
  assert.equal(sent.effects.length, 1);
});

test('signalling proctop itself needs its pid typed before yes', () => {
  const specs: ProcessSpec[] = [{ pid: SELF_PID }];
  const s = state({ selected: key(SELF_PID) });
  const { ctx } = contextFor(s, specs);
  const confirm = run(s, [{ kind: 'kill' }, { kind: 'accept' }], ctx).state;
  assert.equal(modeOf(confirm, 'confirm').mustType, SELF_PID);
  assert.deepEqual(run(confirm, [...type('1'), { kind: 'yes' }], ctx).effects, []);
});

test('readonly refuses kill with an error status', () => {
  const r = run(state({ readonly: true, selected: key(12) }), [{ kind: 'kill' }]);
  assert.equal(r.state.mode.kind, 'normal');
  assert.equal(r.state.status.error, true);
  assert.match(r.state.status.text, /[Rr]ead-only/);
  assert.deepEqual(r.effects, []);
});

test('readonly refuses nice with an error status and no effect', () => {
  const r = run(state({ readonly: true, selected: key(12) }), [{ kind: 'nice', delta: 1 }]);
  assert.equal(r.state.status.error, true);
  assert.match(r.state.status.text, /[Rr]ead-only/);
  assert.deepEqual(r.effects, []);
});

test('nice +1 emits a renice effect with the selected process and nice + 1', () => {
  const r = run(state({ selected: key(12) }), [{ kind: 'nice', delta: 1 }]);
  assert.deepEqual(r.effects, [{ kind: 'renice', target: { pid: 12, startTicks: 1012, user: 'root', command: '/usr/bin/python3 worker.py --id 12' }, nice: 1 }]);
});

test('nice -1 emits a renice effect with nice - 1', () => {
  const r = run(state({ selected: key(12) }), [{ kind: 'nice', delta: -1 }]);
  const e = r.effects[0];
  assert.ok(e && e.kind === 'renice');
  assert.equal(e.nice, -1);
});

test('nice without a selection is an error and emits nothing', () => {
  const r = run(state(), [{ kind: 'nice', delta: 1 }]);
  assert.equal(r.state.status.error, true);
  assert.deepEqual(r.effects, []);
});

test('quit emits quit', () => {
  assert.deepEqual(run(state(), [{ kind: 'quit' }]).effects, [{ kind: 'quit' }]);
});

test('no table command but quit, nice and toggle-threads emits an effect', () => {
  const quiet: Command[] = [
    { kind: 'move', delta: 1 }, { kind: 'page', delta: 1 }, { kind: 'home' }, { kind: 'end' }, { kind: 'sort-by', column: 'cpu' },
    { kind: 'invert-sort' }, { kind: 'toggle-tree' }, { kind: 'collapse' }, { kind: 'expand' }, { kind: 'expand-all' },
    { kind: 'toggle-kernel' }, { kind: 'toggle-follow' }, { kind: 'toggle-pause' }, { kind: 'toggle-graph' }, { kind: 'tag' },
    { kind: 'tag-subtree' }, { kind: 'tag-shown' }, { kind: 'untag-all' },
  ];
  for (const c of quiet) assert.deepEqual(reduce(state({ selected: key(12) }), c, contextFor(state()).ctx).effects, [], c.kind);
});

// KEYMAP invariants

const CONTEXTS: readonly KeyContext[] = [...new Set(KEYMAP.map((b) => b.context))];

test('no key is bound twice in one context', () => {
  const seen = new Map<string, string>();
  const twice: string[] = [];
  for (const b of KEYMAP) {
    for (const k of b.keys) {
      const id = `${b.context} ${k}`;
      if (seen.has(id)) twice.push(`${id} (${seen.get(id)} and ${b.command.kind})`);
      seen.set(id, b.command.kind);
    }
  }
  assert.deepEqual(twice, []);
});

/**
 * Where each command comes from. A new Command kind fails to compile here
 * until it is placed: reachable from the table (then it needs a key), mouse
 * only, or inside an overlay.
 */
const ORIGIN: Readonly<Record<Command['kind'], 'table' | 'mouse' | 'overlay'>> = {
  move: 'table', page: 'table', home: 'table', end: 'table', 'select-row': 'mouse', scroll: 'mouse',
  'sort-by': 'table', 'sort-menu': 'table', 'invert-sort': 'table', 'toggle-tree': 'table', collapse: 'table',
  expand: 'table', 'expand-all': 'table', search: 'table', 'search-next': 'table', filter: 'table',
  'user-menu': 'table', 'toggle-threads': 'table', 'toggle-kernel': 'table', 'toggle-follow': 'table',
  'toggle-pause': 'table', 'toggle-graph': 'table', tag: 'table', 'tag-subtree': 'table', 'tag-shown': 'table', 'untag-all': 'table',
  kill: 'table', zombies: 'table', 'cgroup-menu': 'table', cgroups: 'table', 'sort-cycle': 'overlay', 'hand-off': 'table', 'ask-tool': 'table', 'cycle-scope': 'overlay',
  'signal-parent': 'overlay', setup: 'table', details: 'table', environ: 'table', shift: 'overlay', nice: 'table', help: 'table', quit: 'table',
  type: 'overlay', backspace: 'overlay', erase: 'overlay', accept: 'overlay', cancel: 'overlay', yes: 'overlay', no: 'overlay',
  'time-step': 'table', 'time-shift': 'table', 'time-goto': 'table', 'time-live': 'table',
};

test('every command reachable from the table is bound to a key in the table', () => {
  const bound = new Set(KEYMAP.filter((b) => b.context === 'table').map((b) => b.command.kind));
  const missing = Object.entries(ORIGIN).filter(([kind, origin]) => origin === 'table' && !bound.has(kind as Command['kind'])).map(([kind]) => kind);
  assert.deepEqual(missing, []);
});

test('every overlay command is bound in some overlay context', () => {
  const bound = new Set(KEYMAP.filter((b) => b.context !== 'table').map((b) => b.command.kind));
  // `type` comes from lookupKey's fallback for printable keys rather than from a binding.
  const missing = Object.entries(ORIGIN).filter(([kind, origin]) => origin === 'overlay' && kind !== 'type' && !bound.has(kind as Command['kind'])).map(([kind]) => kind);
  assert.deepEqual(missing, []);
});

test('every overlay context has a key that leaves it', () => {
  for (const context of CONTEXTS.filter((c) => c !== 'table')) {
    const exits = KEYMAP.filter((b) => b.context === context && (b.command.kind === 'cancel' || b.command.kind === 'no'));
    assert.ok(exits.length > 0, context);
  }
});

test('escape leaves every overlay context', () => {
  for (const context of CONTEXTS.filter((c) => c !== 'table')) {
    const kind = lookupKey(context, 'escape')?.kind;
    assert.ok(kind === 'cancel' || kind === 'no', `${context}: ${String(kind)}`);
  }
});

test('every binding has keys and help text', () => {
  for (const b of KEYMAP) {
    assert.ok(b.keys.length > 0, b.command.kind);
    assert.ok(b.help.trim().length > 0, b.command.kind);
  }
});

test('lookupKey finds bound keys per context', () => {
  assert.deepEqual(lookupKey('table', 'f9'), { kind: 'kill' });
  assert.deepEqual(lookupKey('table', 'k'), { kind: 'kill' });
  assert.deepEqual(lookupKey('confirm', 'y'), { kind: 'yes' });
  assert.deepEqual(lookupKey('prompt', 'enter'), { kind: 'accept' });
});

test('lookupKey types printable characters in prompts, even letters bound in the table', () => {
  for (const ch of ['q', 'k', 'n', 'P', '/', '\\', '9', 'é', '日', '🔥']) {
    assert.deepEqual(lookupKey('prompt', ch), { kind: 'type', text: ch }, ch);
  }
});

test('lookupKey types a space in prompts', () => {
  assert.deepEqual(lookupKey('prompt', 'space'), { kind: 'type', text: ' ' });
});

test('lookupKey does not type key names or control characters in prompts', () => {
  for (const name of ['up', 'f5', 'C-c', 'M-j', '\x1b', '\x07']) assert.equal(lookupKey('prompt', name), undefined, JSON.stringify(name));
});

test('lookupKey types digits in menus (signal numbers)', () => {
  assert.deepEqual(lookupKey('menu', '9'), { kind: 'type', text: '9' });
});

test('lookupKey types digits in the confirmation (the PID to type) but not other characters', () => {
  assert.deepEqual(lookupKey('confirm', '1'), { kind: 'type', text: '1' });
  assert.equal(lookupKey('confirm', 'x'), undefined);
});

test('lookupKey does not type in the table', () => {
  assert.equal(lookupKey('table', 'C-y'), undefined);
  assert.equal(lookupKey('table', 'space')?.kind, 'tag');
});

test('typing a letter bound in the table while a prompt is open types it, and the filter gets it', () => {
  const command = lookupKey('prompt', 'q');
  assert.ok(command);
  const s = run(state(), [{ kind: 'filter' }, command]).state;
  assert.equal(s.filter, 'q');
});

// Zombie view actions

/** Parent 20 (a plain process) with two zombies, and two zombies of PID 1. */
const WITH_ZOMBIES: ProcessSpec[] = [
  { pid: 1, ppid: 0, name: 'init', command: '/sbin/init' },
  { pid: 20, ppid: 1, name: 'leaky', command: '/usr/bin/leaky' },
  { pid: 21, ppid: 20, name: 'child', command: '', state: 'Z' },
  { pid: 22, ppid: 20, name: 'child', command: '', state: 'Z' },
  { pid: 30, ppid: 1, name: 'orphan', command: '', state: 'Z' },
  { pid: 31, ppid: 1, name: 'orphan', command: '', state: 'Z' },
];

/** The zombie view opened on the group whose parent is `parent`. */
function zombieViewOn(parent: number): { s: UiState; ctx: ReduceContext } {
  const s0 = state();
  const { ctx } = contextFor(s0, WITH_ZOMBIES);
  const index = ctx.zombieGroups.findIndex((g) => g.parent?.pid === parent);
  assert.ok(index >= 0, `a zombie group under ${parent}`);
  return { s: { ...s0, mode: { kind: 'zombies', index } }, ctx };
}

test('zombie view: SIGCHLD to an ordinary parent is sent at once (a nudge to reap)', () => {
  const { s, ctx } = zombieViewOn(20);
  const r = run(s, [{ kind: 'signal-parent', signal: 17 }], ctx);
  assert.deepEqual(r.effects.map((e) => e.kind === 'signal' && [e.signal, e.targets.map((t) => t.pid)]), [[17, [20]]]);
});

test('zombie view: SIGCHLD to PID 1 asks for the PID to be typed, and sends only after it', () => {
  const { s, ctx } = zombieViewOn(1);
  const asked = run(s, [{ kind: 'signal-parent', signal: 17 }], ctx);
  assert.deepEqual(asked.effects, [], 'nothing sent without confirmation');
  assert.equal(modeOf(asked.state, 'confirm').mustType, 1);
  assert.deepEqual(run(asked.state, [{ kind: 'yes' }], ctx).effects, [], 'y alone does not send to PID 1');
  const sent = run(asked.state, [...type('1'), { kind: 'yes' }], ctx);
  assert.deepEqual(sent.effects.map((e) => e.kind === 'signal' && [e.signal, e.targets.map((t) => t.pid)]), [[17, [1]]]);
});

test('zombie view: TERM to the parent opens the confirmation, it is not sent at once', () => {
  const { s, ctx } = zombieViewOn(20);
  const r = run(s, [{ kind: 'signal-parent', signal: 15 }], ctx);
  assert.deepEqual(r.effects, []);
  assert.deepEqual(modeOf(r.state, 'confirm').targets.map((t) => t.pid), [20]);
});

test('zombie view with no zombies left: c says there is nothing to signal, and sends nothing', () => {
  const s0 = state();
  const { ctx } = contextFor(s0);
  const r = run({ ...s0, mode: { kind: 'zombies', index: 0 } }, [{ kind: 'signal-parent', signal: 17 }], ctx);
  assert.deepEqual(r.effects, []);
  assert.equal(r.state.status.text, 'No zombies left: nothing to signal');
});

test('zombie view reopened: the last action\'s follow-up is not shown again as if it were news', () => {
  const { s, ctx } = zombieViewOn(20);
  const nudged = run(s, [{ kind: 'signal-parent', signal: 17 }], ctx).state;
  assert.ok(nudged.zombieFollowUp !== undefined, 'the action is followed up while the view is open');
  const reopened = run(nudged, [{ kind: 'cancel' }, { kind: 'zombies' }], ctx).state;
  assert.equal(reopened.mode.kind, 'zombies');
  assert.equal(reopened.zombieFollowUp, undefined);
});

// Zombies and tools

test('s and l on a zombie say it has exited (nothing to trace, no open files) instead of starting the tool', () => {
  const s0 = state();
  const { ctx } = contextFor(s0, WITH_ZOMBIES);
  const at = ctx.rows.findIndex((r) => r.process.pid === 21);
  const onZombie = { ...s0, selected: identityKey(ctx.rows[at]?.process as ProcessInfo), selectedIndex: at };
  const traced = run(onZombie, [{ kind: 'hand-off', tool: 'strace' }], ctx);
  assert.deepEqual(traced.effects, [], 'strace is not started on a zombie');
  assert.match(traced.state.status.text, /PID 21 is a zombie: it has exited, there is nothing left to trace/);
  const listed = run(onZombie, [{ kind: 'hand-off', tool: 'lsof' }], ctx);
  assert.deepEqual(listed.effects, [], 'lsof is not started on a zombie (it opened an empty pager)');
  assert.match(listed.state.status.text, /PID 21 is a zombie: it has exited and closed all its files/);
});

// Prompt editing

test('erased: Ctrl-U clears the line, Ctrl-W deletes the last word and the blanks after it', () => {
  assert.equal(erased('state:Z and user:root', 'line'), '');
  assert.equal(erased('state:Z and user:root', 'word'), 'state:Z and ');
  assert.equal(erased('state:Z and ', 'word'), 'state:Z ');
  assert.equal(erased('   ', 'word'), '');
  assert.equal(erased('', 'word'), '');
});

test('Ctrl-W and Ctrl-U in the filter bar edit the query and refilter at once', () => {
  const typed = run(state(), [{ kind: 'filter' }, ...type('svc12 Worker')]).state;
  assert.equal(typed.filter, 'svc12 Worker');
  const word = run(typed, [{ kind: 'erase', what: 'word' }]).state;
  assert.equal(word.filter, 'svc12 ');
  assert.equal(word.mode.kind === 'filter' ? word.mode.text : undefined, 'svc12 ');
  const line = run(typed, [{ kind: 'erase', what: 'line' }]).state;
  assert.equal(line.filter, '');
  assert.equal(line.mode.kind, 'filter', 'the bar stays open');
  assert.deepEqual(lookupKey('prompt', 'C-u'), { kind: 'erase', what: 'line' });
  assert.deepEqual(lookupKey('prompt', 'C-w'), { kind: 'erase', what: 'word' });
});

// Details overlay scrolling

test('details scroll stays within the range the last frame drew: one Up after holding Down at the end moves at once', () => {
  const target = { pid: 12, startTicks: 1012, user: 'root', command: '/usr/sbin/svc12' };
  const open = state({ mode: { kind: 'details', target, scroll: 0 } });
  const base = contextFor(open).ctx;
  const ctx: ReduceContext = { ...base, dialogScroll: { max: 30, page: 20 } };
  const scrollOf = (s: UiState): number => (s.mode.kind === 'details' ? s.mode.scroll : -1);
  const downs: Command[] = Array.from({ length: 40 }, () => ({ kind: 'move', delta: 1 }));
  assert.equal(scrollOf(run(open, downs, ctx).state), 30);
  assert.equal(scrollOf(run(open, [...downs, { kind: 'move', delta: -1 }], ctx).state), 29);
  assert.equal(scrollOf(run(open, [{ kind: 'page', delta: 1 }], ctx).state), 20);
  assert.ok(scrollOf(run(open, [{ kind: 'end' }], ctx).state) >= 30, 'End: the last page (the view clamps)');
  assert.equal(scrollOf(run(open, [{ kind: 'end' }, { kind: 'move', delta: -1 }], ctx).state), 29);
  assert.equal(scrollOf(run(open, [{ kind: 'end' }, { kind: 'home' }], ctx).state), 0);
  assert.equal(run(open, [{ kind: 'cancel' }], ctx).state.mode.kind, 'normal');
});
