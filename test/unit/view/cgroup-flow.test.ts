/**
 * The cgroup actions' planning and dialog flow, pure: root refused, --readonly refused, proctop's
 * own cgroup (or an ancestor) needs its path typed, the preview lists members and descendants,
 * and only a confirmed plan becomes an effect.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planCgroupAction, isAtOrBelow } from '../../../src/model/cgroup-action';
import { CgroupInfo } from '../../../src/model/snapshot';
import { frameCgroupRows, frameRows, makeReduceContext } from '../../../src/view/build-view';
import { reconcileCgroups } from '../../../src/view/cgroup-view';
import { buildDialog } from '../../../src/view/dialogs';
import { lookupKey } from '../../../src/view/keymap';
import { keyContextOf } from '../../../src/loop/key-context';
import { Command } from '../../../src/view/commands';
import { Effect, reduce } from '../../../src/view/reduce';
import { UiState } from '../../../src/view/ui-state';
import { cgroupsNeeded } from '../../../src/view/reads';
import { makeSnapshot, makeUiState, ProcessSpec } from '../../helpers/process-fixture';

const SELF = 500;
const APP = '/system.slice/app.service';
const SPECS: ProcessSpec[] = [
  { pid: 1, cgroup: '/init.scope' },
  { pid: 10, cgroup: APP, command: '/usr/bin/app --serve' },
  { pid: 11, cgroup: APP, command: '/usr/bin/app --worker' },
  { pid: 12, cgroup: `${APP}/helper`, command: '/usr/bin/helper' },
  { pid: 13, cgroup: '/system.slice/app.service-other', command: 'not a member' },
  { pid: 20, cgroup: '/' },
  { pid: 21, cgroup: undefined },
  { pid: SELF, cgroup: '/user.slice/session-3.scope', command: 'proctop' },
];
const CGROUPS = [APP, `${APP}/helper`, '/init.scope', '/user.slice/session-3.scope'].map((path) => ({ path, version: 2 }) as unknown as CgroupInfo);
const snapshot = (specs = SPECS) => makeSnapshot(specs, { cgroups: CGROUPS });
const PLAN_CTX = { selfPid: SELF };
const proc = (pid: number, specs = SPECS) => snapshot(specs).processes.find((p) => p.pid === pid);

test('isAtOrBelow: the cgroup itself and those below, not a sibling sharing a prefix', () => {
  assert.deepEqual([isAtOrBelow(APP, APP), isAtOrBelow(`${APP}/x`, APP), isAtOrBelow(`${APP}-other`, APP)], [true, true, false]);
});

test('a plan lists the cgroup, its members and those in cgroups below it, and no sibling', () => {
  const plan = planCgroupAction('freeze', proc(10), snapshot().processes, CGROUPS, PLAN_CTX);
  assert.ok(!('error' in plan));
  assert.deepEqual([plan.path, plan.version, plan.members.map((m) => m.pid), plan.below, plan.mustType], [APP, 2, [10, 11, 12], 1, undefined]);
});

test('the root cgroup is never a target', () => {
  const plan = planCgroupAction('kill', proc(20), snapshot().processes, CGROUPS, PLAN_CTX);
  assert.ok('error' in plan && /root cgroup/.test(plan.error), JSON.stringify(plan));
});

test('an unknown cgroup (not read yet) is not acted on', () => {
  const plan = planCgroupAction('freeze', proc(21), snapshot().processes, CGROUPS, PLAN_CTX);
  assert.ok('error' in plan && /not known yet/.test(plan.error));
});

test("proctop's own cgroup, and an ancestor of it, need the path typed to freeze or kill; thaw does not", () => {
  const own = planCgroupAction('kill', proc(SELF), snapshot().processes, CGROUPS, PLAN_CTX);
  assert.ok(!('error' in own));
  assert.equal(own.mustType, '/user.slice/session-3.scope');
  const specs = [...SPECS, { pid: 30, cgroup: '/user.slice' }];
  const ancestor = planCgroupAction('freeze', proc(30, specs), snapshot(specs).processes, [...CGROUPS, { path: '/user.slice', version: 2 } as unknown as CgroupInfo], PLAN_CTX);
  assert.ok(!('error' in ancestor));
  assert.equal(ancestor.mustType, '/user.slice');
  assert.match(ancestor.danger.join(), /proctop itself is below it/);
  const thaw = planCgroupAction('thaw', proc(SELF), snapshot().processes, CGROUPS, PLAN_CTX);
  assert.ok(!('error' in thaw));
  assert.equal(thaw.mustType, undefined);
});

test('a cgroup holding PID 1 needs its path typed', () => {
  const plan = planCgroupAction('kill', proc(1), snapshot().processes, CGROUPS, PLAN_CTX);
  assert.ok(!('error' in plan));
  assert.deepEqual([plan.mustType, plan.danger], ['/init.scope', ['PID 1 (init) is in it']]);
});

/** Drives reduce with key names, as the loop does. */
function keys(s: UiState, names: readonly string[], specs = SPECS): { state: UiState; effects: Effect[] } {
  const snap = snapshot(specs);
  const ctx = makeReduceContext(frameRows(s, snap, undefined), snap, 20, SELF);
  let cur = s;
  const effects: Effect[] = [];
  for (const name of names) {
    const command: Command | undefined = lookupKey(keyContextOf(cur), name);
    if (!command) continue;
    const r = reduce(cur, command, ctx);
    cur = r.state;
    effects.push(...r.effects);
  }
  return { state: cur, effects };
}

const selected = (pid: number): UiState => makeUiState({ selected: `${pid}:${1000 + pid}` });

test('X f y freezes the selected process’s cgroup: one effect with the listed members', () => {
  const { state, effects } = keys(selected(11), ['X', 'f', 'y']);
  assert.equal(state.mode.kind, 'normal');
  assert.equal(effects.length, 1);
  const e = effects[0];
  assert.ok(e?.kind === 'cgroup');
  assert.deepEqual([e.action, e.path, e.version, e.subject.pid, e.members.map((m) => m.pid), e.typed], ['freeze', APP, 2, 11, [10, 11, 12], false]);
});

test('X Down Down Enter picks kill; n cancels without an effect', () => {
  const opened = keys(selected(10), ['X', 'down', 'down', 'enter']);
  assert.ok(opened.state.mode.kind === 'cgroup-confirm' && opened.state.mode.plan.kind === 'kill');
  const cancelled = keys(selected(10), ['X', 'down', 'down', 'enter', 'n']);
  assert.deepEqual([cancelled.state.mode.kind, cancelled.effects.length], ['normal', 0]);
});

test("own cgroup: y alone does not confirm; the typed path does, letters y and n included", () => {
  const path = '/user.slice/session-3.scope';
  const noTyping = keys(selected(SELF), ['X', 'K', 'y', 'enter']);
  assert.equal(noTyping.effects.length, 0);
  assert.equal(noTyping.state.mode.kind, 'cgroup-confirm');
  assert.match(noTyping.state.status.text, /Type the cgroup's path exactly/);
  const typed = keys(selected(SELF), ['X', 'K', ...path, 'enter']);
  assert.equal(typed.effects.length, 1);
  const e = typed.effects[0];
  assert.ok(e?.kind === 'cgroup');
  assert.deepEqual([e.action, e.path, e.typed], ['kill', path, true]);
});

test('X in --readonly is refused by the one policy place and opens nothing', () => {
  const { state, effects } = keys(makeUiState({ selected: '10:1010', readonly: true }), ['X', 'f', 'y']);
  assert.deepEqual([state.mode.kind, effects.length], ['normal', 0]);
  assert.match(state.status.text, /--readonly/);
});

test('X on a process whose cgroup is unknown asks the sampler to read cgroups from then on', () => {
  const s = makeUiState({ selected: '21:1021', columns: ['pid', 'command'] });
  assert.equal(cgroupsNeeded(s), false);
  const { state } = keys(s, ['X']);
  assert.deepEqual([state.mode.kind, state.cgroupsAsked, cgroupsNeeded(state)], ['normal', true, true]);
});

test('the menu and confirmation dialogs show the path, the count and the members', () => {
  const data = { users: [], zombieGroups: [], now: 0, followUp: undefined, host: undefined };
  const menu = buildDialog(keys(selected(10), ['X']).state, data, 100, 30);
  const text = (menu?.lines ?? []).map((l) => l.map((s) => s.text).join('')).join('\n');
  assert.match(text, /cgroup \/system\.slice\/app\.service \(v2\)/);
  assert.match(text, /3 processes \(1 in cgroups below it\)/);
  assert.match(text, /\s11 root\s+\/usr\/bin\/app --worker/);
  const confirm = buildDialog(keys(selected(SELF), ['X', 'K', '/', 'u']).state, data, 100, 30);
  const ctext = (confirm?.lines ?? []).map((l) => l.map((s) => s.text).join('')).join('\n');
  assert.match(confirm?.title ?? '', /Kill every process in this cgroup/);
  assert.match(ctext, /Careful: proctop itself is in this cgroup/);
  assert.match(ctext, /Type the path and Enter to confirm: \/u_/);
});

/** Drives the cgroup view as the loop does: rows from the frame, the selection reconciled after each key. */
function viewKeys(s: UiState, names: readonly string[], specs = SPECS): { state: UiState; effects: Effect[] } {
  const snap = snapshot(specs);
  let cur = s;
  const effects: Effect[] = [];
  for (const name of names) {
    const command: Command | undefined = lookupKey(keyContextOf(cur), name);
    if (!command) continue;
    const ctx = makeReduceContext(frameRows(cur, snap, undefined), snap, 20, SELF, undefined, frameCgroupRows(cur, snap));
    const r = reduce(cur, command, ctx);
    cur = r.state;
    effects.push(...r.effects);
    if (cur.cgroupView.open) cur = reconcileCgroups(cur, frameCgroupRows(cur, snap), 20);
  }
  return { state: cur, effects };
}

const inView = (path: string, extra: Partial<UiState> = {}): UiState => {
  const s = makeUiState(extra);
  return { ...s, cgroupView: { ...s.cgroupView, open: true, selected: path } };
};

test('X in the cgroup view acts on the selected row: X f y freezes it with its members and those below', () => {
  const { state, effects } = viewKeys(inView(APP), ['X', 'f', 'y']);
  assert.equal(state.mode.kind, 'normal');
  const e = effects[0];
  assert.ok(effects.length === 1 && e?.kind === 'cgroup');
  assert.deepEqual([e.action, e.path, e.version, e.subject.pid, e.members.map((m) => m.pid), e.typed], ['freeze', APP, 2, 10, [10, 11, 12], false]);
});

test('X on a row the view joined in (no process of its own) reaches every cgroup below it, in their version', () => {
  const opened = viewKeys(inView('/system.slice'), ['X']);
  assert.ok(opened.state.mode.kind === 'cgroup-menu', opened.state.status.text);
  assert.deepEqual([opened.state.mode.preview.path, opened.state.mode.preview.version, opened.state.mode.preview.members.map((m) => m.pid), opened.state.mode.preview.below], ['/system.slice', 2, [10, 11, 12, 13], 4]);
  const { effects } = viewKeys(inView('/system.slice'), ['X', 'K', 'y']);
  const e = effects[0];
  assert.ok(e?.kind === 'cgroup');
  assert.deepEqual([e.action, e.path, e.members.length], ['kill', '/system.slice', 4]);
});

test('X in the cgroup view: the root row is refused, --readonly refuses, and proctop\'s own cgroup needs its path typed', () => {
  const root = viewKeys(inView('/'), ['X']);
  assert.deepEqual([root.state.mode.kind, root.state.status.error], ['normal', true]);
  assert.match(root.state.status.text, /root cgroup is never a target/);
  const ro = viewKeys(inView(APP, { readonly: true }), ['X', 'f', 'y']);
  assert.deepEqual([ro.state.mode.kind, ro.effects.length], ['normal', 0]);
  assert.match(ro.state.status.text, /--readonly/);
  const own = viewKeys(inView('/user.slice'), ['X', 'f', 'y']);
  assert.ok(own.state.mode.kind === 'cgroup-confirm' && own.state.mode.plan.mustType === '/user.slice');
  assert.equal(own.effects.length, 0);
});

test('the members are planned again when the action is picked: one that left the cgroup is not listed', () => {
  const opened = viewKeys(inView(APP), ['X']);
  assert.equal(opened.state.mode.kind, 'cgroup-menu');
  const moved = SPECS.map((p) => (p.pid === 11 ? { ...p, cgroup: '/elsewhere' } : p));
  const { effects } = viewKeys(opened.state, ['f', 'y'], moved);
  const e = effects[0];
  assert.ok(e?.kind === 'cgroup');
  assert.deepEqual(e.members.map((m) => m.pid), [10, 12]);
});
