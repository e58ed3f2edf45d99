/**
 * Keys of the cgroup view through reduce, as the app dispatches them: in and
 * out with `v`, Enter filtering the process table to the selected cgroup
 * (and those below it) with the filter in the bar, sorting, collapsing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CgroupInfo } from '../../../src/model/snapshot';
import { frameCgroupRows, frameRows, makeReduceContext } from '../../../src/view/build-view';
import { reconcileCgroups } from '../../../src/view/cgroup-view';
import { Command } from '../../../src/view/commands';
import { KEYMAP, lookupKey } from '../../../src/view/keymap';
import { helpDialog } from '../../../src/view/help';
import { keyContextOf } from '../../../src/loop/key-context';
import { reduce } from '../../../src/view/reduce';
import { UiState } from '../../../src/view/ui-state';
import { lineText } from '../../../src/view/view-model';
import { makeSnapshot, makeUiState, ProcessSpec } from '../../helpers/process-fixture';

function info(p: string, processes: number, cpu?: number): CgroupInfo {
  return {
    path: p, version: 2, container: undefined, unit: undefined, processes, cpu, cpuUsageUsec: undefined, cpuLimit: undefined,
    throttledPercent: undefined, throttledMs: undefined, periods: undefined, throttledPeriods: undefined, throttledUsec: undefined, memory: undefined, memoryLimit: undefined,
    swap: undefined, oomKills: undefined, oomKillsSeen: undefined, pids: undefined, pidsLimit: undefined, pressure: undefined, flags: '',
  };
}

const SPECS: ProcessSpec[] = [
  { pid: 1, cgroup: '/init.scope' },
  { pid: 10, ppid: 1, cgroup: '/system.slice/web.service' },
  { pid: 11, ppid: 10, cgroup: '/system.slice/web.service/workers' },
  { pid: 12, ppid: 1, cgroup: '/system.slice/web.services' },
  { pid: 13, ppid: 1, cgroup: '/system.slice/db.service' },
];
const SNAPSHOT = makeSnapshot(SPECS, {
  cgroups: [info('/init.scope', 1, 1), info('/system.slice/web.service', 1, 30), info('/system.slice/web.service/workers', 1, 5), info('/system.slice/web.services', 1, 2), info('/system.slice/db.service', 1, 80)],
});

/** Dispatches key names as the loop does (context from the state, reconcile after each). */
function keys(start: UiState, names: readonly string[]): { state: UiState; effects: string[] } {
  let s = start;
  const effects: string[] = [];
  for (const name of names) {
    const command = lookupKey(keyContextOf(s), name) as Command;
    assert.ok(command, `${name} is bound in ${keyContextOf(s)}`);
    const ctx = makeReduceContext(frameRows(s, SNAPSHOT, undefined), SNAPSHOT, 10, 99_999, undefined, frameCgroupRows(s, SNAPSHOT));
    const r = reduce(s, command, ctx);
    effects.push(...r.effects.map((e) => e.kind));
    s = r.state;
    if (s.cgroupView.open) s = reconcileCgroups(s, frameCgroupRows(s, SNAPSHOT), 10);
  }
  return { state: s, effects };
}

const shownPids = (s: UiState): number[] => frameRows(s, SNAPSHOT, undefined).rows.map((r) => r.process.pid);

test('v opens the cgroup view with the root selected and asks for a scan soon; v again goes back to the table', () => {
  const opened = keys(makeUiState(), ['v']);
  assert.deepEqual([opened.state.cgroupView.open, opened.state.cgroupView.selected, opened.effects], [true, '/', ['rescan']]);
  assert.equal(keys(opened.state, ['v']).state.cgroupView.open, false);
  assert.equal(keys(opened.state, ['escape']).state.cgroupView.open, false);
});

test('Enter on a cgroup: the table shows its processes and those of the cgroups below, not a sibling sharing its prefix; the filter is in the bar', () => {
  // Name order: / , init.scope, system.slice, db.service, web.service, workers, web.services
  const { state } = keys(makeUiState(), ['v', 'down', 'down', 'down', 'down', 'enter']);
  assert.equal(state.cgroupView.open, false);
  assert.equal(state.cgroupView.selected, '/system.slice/web.service', 'the selection stays for coming back (and for cgroup actions)');
  assert.deepEqual(shownPids(state), [10, 11]);
  assert.match(state.filter, /^cgroup~/);
  assert.match(state.status.text, /F4 then Esc removes it/);
  // The filter is an ordinary one: F4 and Esc in the bar remove it.
  const cleared = keys(state, ['f4', 'escape']).state;
  assert.deepEqual([cleared.filter, shownPids(cleared)], ['', [1, 10, 11, 12, 13]]);
  // Back to the cgroup view: the same cgroup is selected.
  assert.equal(keys(state, ['v']).state.cgroupView.selected, '/system.slice/web.service');
});

test('sorting: P by CPU% high first, I inverts, N back to names; F6 steps through the columns', () => {
  const byCpu = keys(makeUiState(), ['v', 'P']).state;
  const order = (s: UiState): string[] => frameCgroupRows(s, SNAPSHOT).map((r) => r.node.name);
  // system.slice has no numbers of its own: it sorts by its busiest cgroup (db.service, 80 %).
  assert.deepEqual(order(byCpu), ['/', 'system.slice', 'db.service', 'web.service', 'workers', 'web.services', 'init.scope']);
  const low = keys(byCpu, ['I']).state;
  assert.equal(low.cgroupView.descending, false);
  assert.deepEqual(order(low), ['/', 'init.scope', 'system.slice', 'web.services', 'web.service', 'workers', 'db.service']);
  assert.equal(keys(byCpu, ['N']).state.cgroupView.sortKey, 'name');
  assert.equal(keys(makeUiState(), ['v', 'f6']).state.cgroupView.sortKey, 'procs');
  assert.equal(keys(makeUiState(), ['v', '<']).state.cgroupView.sortKey, 'psi-io');
});

test('- collapses the selected subtree, + expands it; the process table tree is untouched', () => {
  const collapsed = keys(makeUiState(), ['v', 'down', 'down', '-']).state;
  assert.deepEqual([...collapsed.cgroupView.collapsed], ['/system.slice']);
  assert.equal(frameCgroupRows(collapsed, SNAPSHOT).length, 3);
  assert.equal(collapsed.collapsed.size, 0);
  assert.equal(keys(collapsed, ['+']).state.cgroupView.collapsed.size, 0);
});

test('F1 in the cgroup view lists the cgroup keys, and closing help returns to the view', () => {
  const help = keys(makeUiState(), ['v', 'f1']).state;
  assert.equal(help.mode.kind, 'help');
  const text = helpDialog(0, 120, 60, undefined, 'cgroups').lines.map(lineText).join('\n');
  assert.match(text, /The selected cgroup's processes/);
  assert.equal(keys(help, ['escape']).state.cgroupView.open, true);
});

test("the cgroup view's key is free of htop's bindings and bound once in the table", () => {
  // htop 3.3's Action_setBindings: the keys a user of htop has in their fingers.
  const htop = [' ', '#', '*', '+', ',', '-', '.', '/', '<', '=', '>', '?', 'C', 'F', 'H', 'I', 'K', 'M', 'N', 'O', 'P', 'S', 'T', 'U', 'Y', 'Z', '[', '\\', ']', 'a', 'b', 'c', 'e', 'h', 'k', 'l', 'm', 'p', 'q', 's', 't', 'u', 'w', 'x'];
  const bound = KEYMAP.filter((b) => b.context === 'table' && b.command.kind === 'cgroups').flatMap((b) => b.keys);
  assert.deepEqual(bound, ['v']);
  assert.ok(!htop.includes('v'));
});
