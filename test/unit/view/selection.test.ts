/**
 * Where the selection may rest: only on rows the filter matched (never on the dimmed ancestors a
 * filtered tree keeps for context), and only on the process it names (pid + start time), never on
 * a newcomer that got a gone process's PID.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Snapshot } from '../../../src/model/snapshot';
import { frameRows, makeReduceContext, reconcile } from '../../../src/view/build-view';
import { Command } from '../../../src/view/commands';
import { reduce, ReduceContext } from '../../../src/view/reduce';
import { UiState } from '../../../src/view/ui-state';
import { makeSnapshot, makeUiState, ProcessSpec } from '../../helpers/process-fixture';

const SELF_PID = 99_999;

/** 1 (init) → 10 → 11 → 15 "worker"; 10 → 12 "worker"; 10 → 13. */
const TREE: ProcessSpec[] = [
  { pid: 1, ppid: 0, name: 'init', command: '/sbin/init' },
  { pid: 10, ppid: 1, name: 'svc10', command: '/usr/sbin/svc10' },
  { pid: 11, ppid: 10, name: 'svc11', command: '/usr/sbin/svc11' },
  { pid: 12, ppid: 10, name: 'worker', command: 'worker --id 12' },
  { pid: 13, ppid: 10, name: 'svc13', command: '/usr/sbin/svc13' },
  { pid: 15, ppid: 11, name: 'worker', command: 'worker --id 15' },
];

const key = (pid: number): string => `${pid}:${1000 + pid}`;

/** One frame of the app loop: rows of `s`, reconciled, and the context reduce gets. */
function frame(s: UiState, snapshot: Snapshot = makeSnapshot(TREE)): { state: UiState; ctx: ReduceContext } {
  const fr = frameRows(s, snapshot, undefined);
  const state = reconcile(s, fr.rows, 20, fr.present);
  return { state, ctx: makeReduceContext(frameRows(state, snapshot, undefined), snapshot, 20, SELF_PID) };
}

/** Applies commands, reconciling after each as the app does. */
function run(s: UiState, commands: readonly Command[], snapshot: Snapshot = makeSnapshot(TREE)): UiState {
  let cur = frame(s, snapshot);
  for (const c of commands) cur = frame(reduce(cur.state, c, cur.ctx).state, snapshot);
  return cur.state;
}

const treeFiltered = (filter: string, over: Partial<UiState> = {}): UiState => makeUiState({ tree: true, filter, ...over });

test('tree view filtered to one pid selects that pid, not the ancestor kept above it', () => {
  const s = frame(treeFiltered('pid:15')).state;
  assert.equal(s.selected, key(15));
});

test('a filter typed while PID 1 was selected does not give the selection back to PID 1 as context', () => {
  const s = makeUiState({ tree: true, selected: key(1), filter: 'pid:15', mode: { kind: 'filter', text: 'pid:15', previous: '', anchor: key(1) } });
  assert.equal(frame(s).state.selected, key(15));
});

test('a selection that becomes a context row moves to a matched row', () => {
  const s = frame(treeFiltered('worker', { selected: key(10), selectedIndex: 1 })).state;
  assert.ok(s.selected === key(15) || s.selected === key(12), `selected ${String(s.selected)}`);
});

test('moving up from the first matched row does not select the ancestors above it', () => {
  // Rows: 1 (context), 10 (context), 11 (context), 15, 12.
  const s = run(treeFiltered('worker', { selected: key(15) }), [{ kind: 'move', delta: -1 }, { kind: 'move', delta: -1 }]);
  assert.equal(s.selected, key(15));
});

test('Home and a page up land on the first matched row, not on PID 1', () => {
  assert.equal(run(treeFiltered('worker', { selected: key(12) }), [{ kind: 'home' }]).selected, key(15));
  assert.equal(run(treeFiltered('worker', { selected: key(12) }), [{ kind: 'page', delta: -1 }]).selected, key(15));
});

test('the wheel scrolls past context rows to the next matched row', () => {
  assert.equal(run(treeFiltered('worker', { selected: key(15) }), [{ kind: 'scroll', delta: 1 }]).selected, key(12));
  assert.equal(run(treeFiltered('worker', { selected: key(12) }), [{ kind: 'scroll', delta: -3 }]).selected, key(15));
});

test('a click on a context row leaves the selection where it was and says why', () => {
  const s = run(treeFiltered('worker', { selected: key(12) }), [{ kind: 'select-row', row: 0 }]);
  assert.equal(s.selected, key(12));
  assert.match(s.status.text, /PID 1 is shown for context only/);
});

test('search does not stop on a context row', () => {
  // "svc" matches the names of 10 and 11, both context rows under the filter "worker".
  const s = run(treeFiltered('worker', { selected: key(15) }), [{ kind: 'search' }, { kind: 'type', text: 's' }, { kind: 'type', text: 'v' }, { kind: 'type', text: 'c' }]);
  assert.equal(s.selected, key(15));
});

test('k in a filtered tree targets the matched process, never the ancestor above it', () => {
  const s = run(treeFiltered('pid:15'), [{ kind: 'kill' }]);
  assert.equal(s.mode.kind, 'signal-menu');
  assert.equal(s.mode.kind === 'signal-menu' ? s.mode.subject?.pid : undefined, 15);
});

test('actions refuse a selection that names a context row (no signal menu, no hand-off for PID 1)', () => {
  const s = treeFiltered('pid:15', { selected: key(1) });
  const fr = frameRows(s, makeSnapshot(TREE), undefined);
  const ctx = makeReduceContext(fr, makeSnapshot(TREE), 20, SELF_PID);
  const kill = reduce(s, { kind: 'kill' }, ctx);
  assert.ok(kill.state.mode.kind !== 'signal-menu' || kill.state.mode.subject?.pid !== 1);
  const strace = reduce(s, { kind: 'hand-off', tool: 'strace' }, ctx);
  assert.deepEqual(strace.effects, []);
  const renice = reduce(s, { kind: 'nice', delta: 1 }, ctx);
  assert.deepEqual(renice.effects, []);
});

// PID reuse

/** pids 3..7 in a list sorted by pid, `reused` started again with a new start time. */
function reusedSnapshot(reused: number): Snapshot {
  const specs: ProcessSpec[] = [3, 4, 5, 6, 7].map((pid) => ({ pid, ppid: 1 }));
  return makeSnapshot(specs.map((p) => (p.pid === reused ? { ...p, startTicks: 500_000 } : p)));
}

test('when the selected pid is reused by a new process, the selection goes to a neighbour, not to the newcomer', () => {
  const first = frame(makeUiState({ selected: key(5) }), makeSnapshot([3, 4, 5, 6, 7].map((pid) => ({ pid, ppid: 1 })))).state;
  assert.equal(first.selected, key(5));
  assert.equal(first.selectedIndex, 2);
  const next = frame(first, reusedSnapshot(5)).state;
  assert.notEqual(next.selected, '5:500000');
  assert.ok(next.selected === key(6) || next.selected === key(4), `selected ${String(next.selected)}`);
  assert.match(next.status.text, /PID 5 exited; selected PID [46]\b/);
});

test('when the newcomer with the reused pid is the only row left, nothing is selected on its behalf', () => {
  const s = makeUiState({ selected: key(5), selectedIndex: 0 });
  const next = frame(s, makeSnapshot([{ pid: 5, startTicks: 500_000 }])).state;
  assert.equal(next.selected, undefined);
});

test('tag-shown in a filtered tree tags the matched workers and never the dimmed ancestors (1, 10, 11)', () => {
  const s = run(treeFiltered('worker'), [{ kind: 'tag-shown' }]);
  assert.deepEqual([...s.tagged].sort(), [key(12), key(15)]);
  assert.match(s.status.text, /3 dimmed tree ancestors not tagged/);
});

test('tag-shown then k and Enter in a filtered tree confirms for the workers only, never PID 1', () => {
  const s = run(treeFiltered('worker'), [{ kind: 'tag-shown' }, { kind: 'kill' }, { kind: 'accept' }]);
  assert.equal(s.mode.kind, 'confirm');
  if (s.mode.kind !== 'confirm') return;
  assert.deepEqual(s.mode.targets.map((t) => t.pid).sort((a, b) => a - b), [12, 15]);
  assert.equal(s.mode.mustType, undefined);
});
