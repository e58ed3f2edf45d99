import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyContextOf } from '../../../src/loop/key-context';
import { frameRows, makeReduceContext } from '../../../src/view/build-view';
import { Command } from '../../../src/view/commands';
import { systemChange } from '../../../src/view/command-policy';
import { KEYMAP, lookupKey } from '../../../src/view/keymap';
import { Effect, reduce } from '../../../src/view/reduce';
import { UiState } from '../../../src/view/ui-state';
import { makeSnapshot, makeUiState, ProcessSpec } from '../../helpers/process-fixture';

/**
 * Init, a service with a child, a parent of two zombies, a worker whose
 * parent is PID 1: every flow (signal menu, zombie view, tool prompts) has a
 * target. proctop itself is pid 90.
 */
const SPECS: ProcessSpec[] = [
  { pid: 1 },
  { pid: 10, ppid: 1, pgid: 10, sid: 10 },
  { pid: 11, ppid: 10, pgid: 10, sid: 10 },
  { pid: 20, ppid: 1, pgid: 20, sid: 20 },
  { pid: 21, ppid: 20, state: 'Z' }, { pid: 22, ppid: 20, state: 'Z' },
  { pid: 23, ppid: 1, state: 'Z' },
  { pid: 90, ppid: 1 },
];
const SNAPSHOT = makeSnapshot(SPECS);
const SELF_PID = 90;

/** Every key KEYMAP binds anywhere, the digits (PIDs, signal numbers), a letter and Space: what a user can press. */
const KEYS = [...new Set([...KEYMAP.flatMap((b) => b.keys), ...'0123456789', 'x', 'space'])];
/** Mouse commands, which do not come through KEYMAP. */
const MOUSE: Command[] = [{ kind: 'select-row', row: 0 }, { kind: 'select-row', row: 3 }, { kind: 'scroll', delta: 1 }];

/**
 * Effects that leave the system as it is. Deliberately a list of the harmless ones: an effect
 * kind added later counts as changing the system until it is listed here.
 */
function harmless(e: Effect): boolean {
  return e.kind === 'set-threads' || e.kind === 'rescan' || e.kind === 'quit' || (e.kind === 'hand-off' && e.tool === 'lsof');
}

/** The mode (and whether the cgroup view has the table's place) as a visited-set key; typed text only by its length (capped), so the search stays finite. */
const modeKey = (s: UiState): string => `${s.cgroupView.open ? 'cgroups ' : ''}${JSON.stringify(s.mode, (_k, v: unknown) => (typeof v === 'string' && _k === 'text' ? Math.min(v.length, 2) : v))}`;

/**
 * Breadth-first over the states reachable from `start` by pressed keys and mouse commands,
 * `depth` steps deep; returns every effect that was emitted on the way.
 */
function explore(start: UiState, depth: number): { effects: Effect[]; states: number } {
  const effects: Effect[] = [];
  const seen = new Set([modeKey(start)]);
  let frontier = [start];
  for (let d = 0; d < depth && frontier.length > 0; d++) {
    const next: UiState[] = [];
    for (const s of frontier) {
      const ctx = makeReduceContext(frameRows(s, SNAPSHOT, undefined), SNAPSHOT, 5, SELF_PID);
      const commands = [...KEYS.map((k) => lookupKey(keyContextOf(s), k)).filter((c): c is Command => c !== undefined), ...MOUSE];
      for (const c of commands) {
        const r = reduce(s, c, ctx);
        effects.push(...r.effects);
        const key = modeKey(r.state);
        if (!seen.has(key)) {
          seen.add(key);
          next.push(r.state);
        }
      }
    }
    frontier = next;
  }
  return { effects, states: seen.size };
}

const start = (readonly: boolean): UiState => makeUiState({ readonly, selected: '20:1020', tagged: new Set(['10:1010', '11:1011']) });

test('without --readonly the key walk reaches a signal, a renice, taskset, ionice and strace (so the walk below can find an escape)', () => {
  const { effects } = explore(start(false), 4);
  const found = new Set(effects.filter((e) => !harmless(e)).map((e) => (e.kind === 'hand-off' || e.kind === 'tool' ? e.tool : e.kind)));
  assert.deepEqual([...found].sort(), ['ionice', 'renice', 'signal', 'strace', 'taskset']);
});

test('with --readonly no sequence of keys or clicks emits an effect that changes the system', () => {
  const { effects, states } = explore(start(true), 4);
  assert.ok(states > 5, `explored ${states} modes`);
  assert.deepEqual(effects.filter((e) => !harmless(e)), []);
});

test('with --readonly every system-changing key is refused at once, saying what is disabled', () => {
  const table = KEYMAP.filter((b) => systemChange(b.command) !== undefined);
  assert.ok(table.length >= 6, `${table.length} system-changing bindings`);
  for (const b of table) {
    const s: UiState = b.context === 'zombies' ? { ...start(true), mode: { kind: 'zombies', index: 0 } } : start(true);
    const ctx = makeReduceContext(frameRows(s, SNAPSHOT, undefined), SNAPSHOT, 5, SELF_PID);
    const r = reduce(s, b.command, ctx);
    assert.deepEqual(r.effects, [], b.help);
    assert.equal(r.state.status.error, true, b.help);
    assert.match(r.state.status.text, /^Read-only mode \(--readonly\): (signals are|renice is|strace is|taskset is|ionice is|cgroup actions are) disabled$/, b.help);
  }
});

test('lsof, a read-only tool, still runs under --readonly', () => {
  const s = start(true);
  const ctx = makeReduceContext(frameRows(s, SNAPSHOT, undefined), SNAPSHOT, 5, SELF_PID);
  const r = reduce(s, { kind: 'hand-off', tool: 'lsof' }, ctx);
  assert.deepEqual(r.effects.map((e) => e.kind), ['hand-off']);
});
