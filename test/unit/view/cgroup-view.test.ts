/**
 * The cgroup view on the fixture trees (v2, v1, hybrid) through the real
 * sampler: the tree, the numbers as the kernel's files give them, blanks
 * where a layout has no such file, and the hostile-name gate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CgroupInfo, Snapshot } from '../../../src/model/snapshot';
import { Sampler } from '../../../src/sampler/sampler';
import { buildCgroupTable, cgroupViewRows, reconcileCgroups } from '../../../src/view/cgroup-view';
import { initialState, UiState } from '../../../src/view/ui-state';
import { displayWidth } from '../../../src/view/text';
import { INITIAL_CGROUP_VIEW, CgroupViewState } from '../../../src/view/ui-state';
import { lineText } from '../../../src/view/view-model';
import { REPO_ROOT } from '../procfs/fixtures';

const T1 = 1_795_783_433_710;

/** Two scans of a copy of a fixture scenario, one second apart (so rates exist); `change` runs between them. */
function twoScans(t: { after: (fn: () => void) => void }, scenario: string, change?: (dir: string) => void): Snapshot {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-cgview-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'cgroup', scenario), dir, { recursive: true });
  const clock = { now: T1 };
  const sampler = new Sampler({ root: path.join(dir, 'proc'), passwdPath: path.join(dir, 'proc', 'passwd'), threads: false, now: () => clock.now, pageSize: 4096 });
  sampler.setCgroups(true);
  sampler.sample();
  change?.(dir);
  clock.now += 1000;
  return sampler.sample();
}

function table(s: Snapshot, width = 200, view: CgroupViewState = { ...INITIAL_CGROUP_VIEW, open: true }): string[] {
  const rows = cgroupViewRows(s.cgroups, view);
  const t = buildCgroupTable(view, rows, width, 50);
  return [lineText(t.columnHeader), ...t.rows.map(lineText)].map((l) => l.trimEnd());
}

/** Header titles and the cells of one row, as a record (name column left out). */
function cells(lines: readonly string[], name: string): Record<string, string> {
  const header = lines[0] ?? '';
  // After the guide and the flags in brackets, if any.
  const line = lines.find((l) => l.includes(`─ ${name}`) || l.includes(`] ${name}`) || l.startsWith(`${name} `));
  if (line === undefined) assert.fail(`no row ${name} in\n${lines.join('\n')}`);
  // Right-aligned columns: a cell ends where its title ends.
  const out: Record<string, string> = {};
  const titles = [...header.matchAll(/\S+/g)].slice(1);
  let start = (titles[0]?.index ?? 0);
  for (const t of titles) {
    const end = (t.index ?? 0) + t[0].length;
    out[t[0].replace(/[▽△]$/, '')] = line.slice(start, end).trim();
    start = end;
  }
  return out;
}

test('v2: a tree rooted at /, ancestors without numbers, PROCS counting the subtree', (t) => {
  const lines = table(twoScans(t, 'v2'));
  const names = lines.slice(1).map((l) => l.split(/\s{2,}/)[0]?.trim());
  assert.deepEqual(names.slice(0, 3), ['/', '├─ init.scope', '├─ kubepods.slice']);
  assert.equal(cells(lines, 'system.slice').PROCS, '3');
  assert.equal(cells(lines, 'system.slice')['CPU%'], '', 'an ancestor proctop did not read shows no number');
  assert.equal(cells(lines, '/').PROCS, '6');
});

test('v2: the Docker container shows its quota, memory against its limit, swap, OOM kills, pids and PSI as the files give them', (t) => {
  const lines = table(twoScans(t, 'v2'));
  assert.ok(lines.some((l) => l.includes('─ [pressure] docker-3f2a')), 'its flags in words before its name');
  const c = cells(lines, 'docker-3f2a9c1b7e4d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b');
  assert.deepEqual(
    [c['CPU-LIM'], c.MEM, c['MEM-LIM'], c['M%LIM'], c.SWAP, c.OOM, c.PIDS, c['PSI-CPU'], c['PSI-MEM']],
    ['1.5 CPUs', '922M', '1.0G', '90.0', '1.0M', '2', '7/100', '25.5/20.0', '3.0/1.0'],
  );
  assert.equal(c['PSI-IO'], '', 'io.pressure is absent for this container: blank, not 0');
  assert.equal(cells(lines, 'nginx.service')['CPU-LIM'], 'none');
});

test('v1: numbers from the v1 files, and every PSI cell blank (v1 has none)', (t) => {
  const lines = table(twoScans(t, 'v1'));
  const c = cells(lines, '3f2a9c1b7e4d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b');
  assert.deepEqual([c['CPU-LIM'], c.MEM, c['MEM-LIM'], c.OOM, c.PIDS], ['1.5 CPUs', '922M', '1.0G', '2', '7/100']);
  assert.deepEqual([c['PSI-CPU'], c['PSI-MEM'], c['PSI-IO']], ['', '', '']);
  assert.equal(cells(lines, 'ssh.service')['MEM-LIM'], 'none', "v1's huge 'unlimited' value reads as none");
});

test('hybrid: throttling in the interval from the v1 cpu controller; PSI from the unified mount only where a v2 cgroup exists', (t) => {
  const lines = table(twoScans(t, 'hybrid', (dir) => {
    fs.writeFileSync(path.join(dir, 'sys/fs/cgroup/cpuacct/proctop-test-cpu/cpuacct.usage'), '2900000000\n');
    fs.writeFileSync(path.join(dir, 'sys/fs/cgroup/cpu/proctop-test-cpu/cpu.stat'), 'nr_periods 130\nnr_throttled 94\nthrottled_time 5600000000\n');
  }));
  const c = cells(lines, '[throttled] proctop-test-cpu');
  assert.deepEqual([c['CPU%'], c['CPU-LIM'], c['THR%'], c['THR-T']], ['50.0', '0.2 CPUs', '40.0', '200ms']);
  assert.deepEqual([c.MEM, c['PSI-CPU']], ['', ''], 'memory:/ and no v2 cgroup: not this cgroup\'s to show');
  assert.equal(cells(lines, 'ssh.service')['PSI-CPU'], '0.5/0.0');
});

/** A cgroup row with only a path and a process count, for the tree and gate tests. */
function bare(p: string, processes = 1): CgroupInfo {
  return {
    path: p, version: 2, container: undefined, unit: undefined, processes, cpu: undefined, cpuUsageUsec: undefined, cpuLimit: undefined,
    throttledPercent: undefined, throttledMs: undefined, periods: undefined, throttledPeriods: undefined, throttledUsec: undefined, memory: undefined, memoryLimit: undefined,
    swap: undefined, oomKills: undefined, oomKillsSeen: undefined, pids: undefined, pidsLimit: undefined, pressure: undefined, flags: '',
  };
}

test('hostile cgroup names: escape sequences and C1 bytes never reach the screen, and the row keeps its width', () => {
  const evil = '/evil\u001b[2J\u001b]0;pwned\u0007\u009b31m{red-fg}';
  const s = { cgroups: [bare(evil)] } as unknown as Snapshot;
  const lines = table(s, 80);
  for (const l of lines) {
    assert.doesNotMatch(l, /[\u0000-\u001f\u007f-\u009f]/);
    assert.equal(displayWidth(l.padEnd(80)), 80);
  }
  assert.ok(lines.some((l) => l.includes('evil')));
});

test('at 80 columns the name keeps room and the limit and throttling columns stay', (t) => {
  const lines = table(twoScans(t, 'v2'), 80);
  assert.match(lines[0] ?? '', /CGROUP.*PROCS +CPU% +CPU-LIM +THR% +THR-T +MEM +MEM-LIM/);
  for (const l of lines) assert.ok(displayWidth(l) <= 80, l);
});

test('collapsing a subtree hides it and marks the row with +; the selection follows its cgroup by path across scans', (t) => {
  const s = twoScans(t, 'v2');
  const view = { ...INITIAL_CGROUP_VIEW, open: true, collapsed: new Set(['/system.slice']) };
  const lines = table(s, 200, view);
  assert.ok(lines.some((l) => l.startsWith('├─ +system.slice')), lines.join('\n'));
  assert.ok(!lines.some((l) => l.includes('nginx.service')));
  let state: UiState = { ...initialState({ tree: false, highlight: false, readonly: false, showThreads: false, columns: [], delay: 10, theme: 'default', meters: [] }), cgroupView: { ...INITIAL_CGROUP_VIEW, open: true, selected: '/user.slice', selectedIndex: 99 } };
  state = reconcileCgroups(state, cgroupViewRows(s.cgroups, state.cgroupView), 5);
  const rows = cgroupViewRows(s.cgroups, state.cgroupView);
  assert.equal(rows[state.cgroupView.selectedIndex]?.node.path, '/user.slice');
  assert.ok(state.cgroupView.scroll <= state.cgroupView.selectedIndex && state.cgroupView.selectedIndex < state.cgroupView.scroll + 5);
  // The cgroup goes: the row that took its place is selected.
  const gone = reconcileCgroups({ ...state, cgroupView: { ...state.cgroupView, selected: '/gone' } }, rows, 5);
  assert.equal(gone.cgroupView.selected, rows[state.cgroupView.selectedIndex]?.node.path);
});

test('no cgroups in the snapshot: one line saying why, not an empty screen', () => {
  const lines = table({ cgroups: [] } as unknown as Snapshot, 200);
  assert.match(lines[1] ?? '', /No cgroups in this snapshot/);
});
