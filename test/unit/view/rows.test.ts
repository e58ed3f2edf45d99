import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COLUMNS, Column, DEFAULT_COLUMNS, findColumn } from '../../../src/model/columns';
import { identityKey, ProcessInfo } from '../../../src/model/snapshot';
import { cellText, COMMAND_KEEP, COMMAND_MIN, commandWidth, fitColumns, layoutWidths, orderedRows, Row, shiftGuides } from '../../../src/view/rows';
import { frameRows } from '../../../src/view/build-view';
import { makeProcess, makeSnapshot, ProcessSpec, makeUiState } from '../../helpers/process-fixture';

const ctx = { now: 1_700_000_100_000, tzOffset: 0 };

function col(id: string): Column {
  const c = findColumn(id);
  if (!c) throw new Error(`no column ${id}`);
  return c;
}

function sorted(specs: readonly ProcessSpec[], id: string, descending: boolean): number[] {
  return orderedRows(specs.map(makeProcess), { order: { column: col(id), descending }, tree: false }).map((r) => r.process.pid);
}

const state = makeUiState;

const pidsOf = (rows: readonly Row[]): number[] => rows.map((r) => r.process.pid);

/**
 * For each column: three partial processes in the column's ascending order.
 * Numbers are 9 < 10 < 100 (text order would put "10" first); text values
 * differ in case (code-unit order would put the capital first) or hold
 * numbers (a numeric-aware order would put "9" before "10").
 */
const ASCENDING: Readonly<Record<string, readonly Partial<ProcessInfo>[]>> = {
  pid: [{ pid: 9 }, { pid: 10 }, { pid: 100 }],
  ppid: [{ ppid: 9 }, { ppid: 10 }, { ppid: 100 }],
  pgrp: [{ pgid: 9 }, { pgid: 10 }, { pgid: 100 }],
  sid: [{ sid: 9 }, { sid: 10 }, { sid: 100 }],
  tty: [{ tty: 'pts/10' }, { tty: 'pts/9' }, { tty: 'tty1' }],
  user: [{ user: 'alice' }, { user: 'Bob' }, { user: 'carol' }],
  uid: [{ uid: 9 }, { uid: 10 }, { uid: 100 }],
  priority: [{ priority: -100 }, { priority: 9 }, { priority: 10 }],
  nice: [{ nice: -5 }, { nice: 9 }, { nice: 10 }],
  virt: [{ vsz: 9 }, { vsz: 10 }, { vsz: 100 }],
  res: [{ rss: 9 }, { rss: 10 }, { rss: 100 }],
  shr: [{ shared: 9 }, { shared: 10 }, { shared: 100 }],
  swap: [{ swap: 9 }, { swap: 10 }, { swap: 100 }],
  oomscore: [{ oomScore: 9 }, { oomScore: 10 }, { oomScore: 100 }],
  oomadj: [{ oomScoreAdj: -1000 }, { oomScoreAdj: 9 }, { oomScoreAdj: 10 }],
  ioread: [{ ioReadRate: 0.5 }, { ioReadRate: 10 }, { ioReadRate: 100 }],
  iowrite: [{ ioWriteRate: 9 }, { ioWriteRate: 10 }, { ioWriteRate: 1e9 }],
  state: [{ state: 'S' }, { state: 't' }, { state: 'Z' }],
  cpu: [{ cpu: 9 }, { cpu: 10 }, { cpu: 100 }],
  mem: [{ mem: 0.9 }, { mem: 10 }, { mem: 100 }],
  time: [{ cpuTime: 9 }, { cpuTime: 10 }, { cpuTime: 100 }],
  threads: [{ threads: 9 }, { threads: 10 }, { threads: 100 }],
  start: [{ startTime: 9 }, { startTime: 10 }, { startTime: 100 }],
  wchan: [{ wchan: 'blk_mq_get_tag' }, { wchan: 'Do_wait' }, { wchan: 'io_schedule' }],
  // STATE-AGE sorts by age, i.e. by −stateSince: a later stateSince is younger.
  stateage: [{ stateSince: 100 }, { stateSince: 10 }, { stateSince: 9 }],
  cgroup: [{ cgroup: '/' }, { cgroup: '/System.slice/a.service' }, { cgroup: '/user.slice' }],
  container: [{ container: 'docker:3f2a' }, { container: 'K8s:burstable/pod1/containerd:9e8d' }, { container: 'lxc:web' }],
  unit: [{ unit: 'init.scope' }, { unit: 'Nginx.service' }, { unit: 'session-3' }],
  name: [{ name: 'alpha' }, { name: 'Beta' }, { name: 'gamma' }],
  command: [{ command: '/bin/a10' }, { command: '/bin/a9' }, { command: '/bin/B' }],
};

/** What makes each column's value unknown, for the columns that can be unknown. */
const UNKNOWN: Readonly<Record<string, Partial<ProcessInfo>>> = {
  tty: { tty: undefined },
  user: { user: undefined },
  uid: { uid: undefined },
  res: { rss: undefined },
  shr: { shared: undefined },
  swap: { swap: undefined },
  oomscore: { oomScore: undefined },
  oomadj: { oomScoreAdj: undefined },
  ioread: { ioReadRate: undefined },
  iowrite: { ioWriteRate: undefined },
  cpu: { cpu: undefined },
  mem: { mem: undefined },
  wchan: { wchan: undefined },
  cgroup: { cgroup: undefined },
  container: { container: undefined },
  unit: { unit: undefined },
};

/** The three processes of ASCENDING[id], given pids in the opposite order so pid order can't fake the result. */
function ranked(id: string): ProcessSpec[] {
  const values = ASCENDING[id] ?? [];
  return values.map((v, i) => ({ pid: 300 - i, ...v }));
}

test('every column has a sort fixture', () => {
  assert.deepEqual(Object.keys(ASCENDING).sort(), COLUMNS.map((c) => c.id).sort());
});

for (const c of COLUMNS) {
  const kind = typeof c.value(makeProcess({ pid: 1, ...ASCENDING[c.id]?.[0] })) === 'string' ? 'text case-insensitively' : 'numbers numerically';
  test(`sorting by ${c.id} ascending orders ${kind}`, () => {
    const specs = ranked(c.id);
    const expected = specs.map((s) => s.pid);
    assert.deepEqual(sorted([specs[2], specs[0], specs[1]] as ProcessSpec[], c.id, false), expected);
  });

  test(`sorting by ${c.id} descending is the exact reverse`, () => {
    const specs = ranked(c.id);
    const expected = specs.map((s) => s.pid).reverse();
    assert.deepEqual(sorted([specs[1], specs[2], specs[0]] as ProcessSpec[], c.id, true), expected);
  });

  test(`sorting by ${c.id}: equal values are ordered by pid in both directions`, () => {
    const value = ASCENDING[c.id]?.[1] ?? {};
    // For the pid column, equal values means the same pid: that case is the thread-row case, skipped here.
    if (c.id === 'pid') return;
    const specs: ProcessSpec[] = [{ pid: 30, ...value }, { pid: 10, ...value }, { pid: 20, ...value }];
    assert.deepEqual(sorted(specs, c.id, false), [10, 20, 30]);
    assert.deepEqual(sorted(specs, c.id, true), [10, 20, 30]);
  });
}

for (const [id, unknown] of Object.entries(UNKNOWN)) {
  test(`sorting by ${id}: unknown values sort last in both directions, by pid among themselves`, () => {
    const known = ranked(id);
    const specs: ProcessSpec[] = [{ pid: 2, ...unknown }, ...known, { pid: 1, ...unknown }];
    const knownPids = known.map((s) => s.pid);
    assert.deepEqual(sorted(specs, id, false), [...knownPids, 1, 2]);
    assert.deepEqual(sorted(specs, id, true), [...[...knownPids].reverse(), 1, 2]);
  });

  test(`column ${id} reports an unknown value as undefined and shows "-"`, () => {
    const p = makeProcess({ pid: 1, ...unknown });
    assert.equal(col(id).value(p), undefined);
    assert.equal(col(id).format(p, ctx), '-');
  });
}

test('sorting is stable: the input order does not change the result', () => {
  const specs: ProcessSpec[] = [
    { pid: 5, cpu: 1 }, { pid: 3, cpu: 2 }, { pid: 4, cpu: 1 }, { pid: 1, cpu: undefined }, { pid: 2, cpu: 2 },
  ];
  const forward = sorted(specs, 'cpu', true);
  assert.deepEqual(sorted([...specs].reverse(), 'cpu', true), forward);
  assert.deepEqual(forward, [2, 3, 4, 5, 1]);
});

test('sorting leaves the input array alone', () => {
  const processes = [makeProcess({ pid: 2 }), makeProcess({ pid: 1 })];
  orderedRows(processes, { order: { column: col('pid'), descending: false }, tree: false });
  assert.deepEqual(processes.map((p) => p.pid), [2, 1]);
});

// Filter text

test('the filter matches the name case-insensitively', () => {
  const snap = makeSnapshot([{ pid: 1, name: 'Nginx', command: '/usr/sbin/web' }, { pid: 2, name: 'sshd' }]);
  assert.deepEqual(pidsOf(frameRows(state({ filter: 'NGINX' }), snap, undefined).rows), [1]);
});

test('the filter matches the command line case-insensitively', () => {
  const snap = makeSnapshot([{ pid: 1, name: 'python3', command: '/usr/bin/python3 /srv/Worker.py' }, { pid: 2 }]);
  assert.deepEqual(pidsOf(frameRows(state({ filter: 'worker.PY' }), snap, undefined).rows), [1]);
});

test('an empty filter keeps every process', () => {
  const snap = makeSnapshot([{ pid: 1 }, { pid: 2 }, { pid: 3 }]);
  assert.deepEqual(pidsOf(frameRows(state({ filter: '' }), snap, undefined).rows), [1, 2, 3]);
});

test('in tree view the filter keeps the ancestors of a match, marked as not matched', () => {
  const snap = makeSnapshot([{ pid: 1, name: 'init' }, { pid: 2, ppid: 1, name: 'bash' }, { pid: 3, ppid: 2, name: 'vim' }, { pid: 4, ppid: 1, name: 'cron' }]);
  const rows = frameRows(state({ tree: true, filter: 'vim' }), snap, undefined).rows;
  assert.deepEqual(rows.map((r) => [r.process.pid, r.matched]), [[1, false], [2, false], [3, true]]);
});

// Tree flattening

const family: ProcessSpec[] = [
  { pid: 1 }, { pid: 2, ppid: 1 }, { pid: 3, ppid: 1 }, { pid: 4, ppid: 2 }, { pid: 5, ppid: 2 }, { pid: 6, ppid: 3 },
];

test('tree view lists processes pre-order with pstree guides', () => {
  const rows = frameRows(state({ tree: true }), makeSnapshot(family), undefined).rows;
  assert.deepEqual(rows.map((r) => [r.process.pid, r.guide]), [
    [1, ''], [2, '├─ '], [4, '│  ├─ '], [5, '│  └─ '], [3, '└─ '], [6, '   └─ '],
  ]);
});

test('a collapsed node (by identity key) hides its descendants and is marked collapsed', () => {
  const snap = makeSnapshot(family);
  const two = snap.processes.find((p) => p.pid === 2) as ProcessInfo;
  const rows = frameRows(state({ tree: true, collapsed: new Set([identityKey(two)]) }), snap, undefined).rows;
  assert.deepEqual(pidsOf(rows), [1, 2, 3, 6]);
  assert.equal(rows[1]?.collapsed, true);
  assert.equal(rows[1]?.hasChildren, true);
});

test('a collapsed node shows + before its command', () => {
  const snap = makeSnapshot(family);
  const rows = frameRows(state({ tree: true, collapsed: new Set(['2:1002']) }), snap, undefined).rows;
  assert.equal(cellText(rows[1] as Row, col('command'), undefined, ctx), '├─ +/bin/p2');
});

test('a collapsed key of an earlier process with the same pid does not collapse a new one', () => {
  const snap = makeSnapshot(family);
  const rows = frameRows(state({ tree: true, collapsed: new Set(['2:42']) }), snap, undefined).rows;
  assert.deepEqual(pidsOf(rows), [1, 2, 4, 5, 3, 6]);
});

test('collapsing a process without children changes nothing', () => {
  const rows = frameRows(state({ tree: true, collapsed: new Set(['4:1004']) }), makeSnapshot(family), undefined).rows;
  assert.deepEqual(pidsOf(rows), [1, 2, 4, 5, 3, 6]);
  assert.equal(rows[2]?.collapsed, false);
});

test('tree view sorts siblings by the sort column', () => {
  const snap = makeSnapshot([{ pid: 1 }, { pid: 2, ppid: 1, cpu: 1 }, { pid: 3, ppid: 1, cpu: 50 }]);
  const rows = frameRows(state({ tree: true, sortKey: 'cpu', descending: true }), snap, undefined).rows;
  assert.deepEqual(pidsOf(rows), [1, 3, 2]);
});

// Deep trees in a narrow command column

/** A chain 1 → 2 → … → n, flattened in tree view. */
const chainRows = (n: number): readonly Row[] =>
  frameRows(state({ tree: true }), makeSnapshot(Array.from({ length: n }, (_, i) => ({ pid: i + 1, ppid: i }))), undefined).rows;

test('shiftGuides leaves rows alone when the deepest guide fits, or the width is unknown', () => {
  const rows = chainRows(6);
  assert.equal(shiftGuides(rows, 80), rows);
  assert.equal(shiftGuides(rows, undefined), rows);
  const deep = chainRows(40);
  assert.equal(shiftGuides(deep, undefined), deep, 'a pipe keeps the whole tree, as pstree does');
});

test('shiftGuides shifts every guide by the same whole levels so the deepest row keeps COMMAND_KEEP columns', () => {
  const rows = chainRows(30); // the leaf's guide: 28 columns of 3 + "└─ " = 87 characters; 31 at one column a level
  const width = 50;
  const shifted = shiftGuides(rows, width);
  const leaf = shifted[shifted.length - 1] as Row;
  assert.ok(width - leaf.guide.length >= COMMAND_KEEP, `leaf guide ${leaf.guide.length} columns leaves < ${COMMAND_KEEP}`);
  assert.ok(leaf.guide.startsWith('…') && leaf.guide.endsWith('└─ '), leaf.guide);
  // Nesting still reads for the rows deeper than the shift: each one column-level right of its parent.
  const lengths = shifted.map((r) => r.guide.length);
  const cut = lengths.findIndex((l, i) => i > 0 && l > (lengths[i - 1] as number) && (lengths[i - 1] as number) > 0 && l - (lengths[i - 1] as number) === 1);
  assert.ok(cut > 0, `some rows keep their relative depth: ${lengths.join(',')}`);
  for (let i = cut; i < lengths.length; i++) assert.equal(lengths[i], (lengths[i - 1] as number) + 1, `row ${i} is one level (one column, narrowed) right of row ${i - 1}`);
  // The root has no guide and keeps none; a shallow row keeps its own branch after the "…".
  assert.equal(shifted[0]?.guide, '');
  assert.equal(shifted[1]?.guide, '…└─ ');
  // The command is there, not cut off by the guide.
  assert.match(cellText(leaf, col('command'), width, ctx), /^…[│ ]*└─ \/bin\/p30\s*$/);
});

test('shiftGuides gives a narrow cell half its width, and drops the 100-level cap\'s own "…" into its own', () => {
  const rows = chainRows(120);
  const leaf = shiftGuides(rows, 20).at(-1) as Row;
  assert.ok(leaf.guide.length <= 10, leaf.guide);
  assert.equal(leaf.guide.split('…').length, 2, `one "…": ${leaf.guide}`);
  assert.ok(leaf.guide.endsWith('└─ '));
});

// Narrow terminals

const DEFAULTS = DEFAULT_COLUMNS.map((id) => col(id));
const ids = (cs: readonly Column[]): string[] => cs.map((c) => c.id);
/** What the command column gets on a line of `total` with these columns. */
const commandRoom = (cs: readonly Column[], total: number): number => total - cs.reduce((n, c) => n + (c.flex ? 0 : c.width + 1), 0);

test('fitColumns keeps every column where the command has room, and on a pipe', () => {
  assert.deepEqual(ids(fitColumns(DEFAULTS, 120)), ids(DEFAULTS));
  assert.deepEqual(ids(fitColumns(DEFAULTS, undefined)), ids(DEFAULTS));
  assert.ok(commandRoom(DEFAULTS, 120) >= COMMAND_MIN);
});

test('fitColumns on 80 columns: THR, PRI and SHR give way (in that order) so the command keeps COMMAND_MIN', () => {
  assert.ok(commandRoom(DEFAULTS, 80) < 10, 'the default columns leave an 80-column command almost nothing');
  const shown = fitColumns(DEFAULTS, 80);
  assert.deepEqual(ids(shown), ids(DEFAULTS).filter((id) => !['threads', 'priority', 'shr'].includes(id)));
  assert.ok(commandRoom(shown, 80) >= COMMAND_MIN, `command gets ${commandRoom(shown, 80)}`);
  assert.equal(layoutWidths(shown, 80).at(-1), commandRoom(shown, 80));
});

test('fitColumns keeps the sort column whatever its rank, and never drops columns without a rank', () => {
  const shown = fitColumns(DEFAULTS, 80, 'threads');
  assert.ok(ids(shown).includes('threads'), 'sorted by THR: THR stays');
  assert.ok(!ids(shown).includes('priority'));
  // Very narrow: every ranked column goes, the rest stay even though the command is short.
  const tiny = fitColumns(DEFAULTS, 40);
  assert.deepEqual(ids(tiny), ['pid', 'user', 'res', 'state', 'cpu', 'mem', 'time', 'command']);
  // Without a command column nothing needs room.
  const noCommand = DEFAULTS.filter((c) => c.id !== 'command');
  assert.deepEqual(ids(fitColumns(noCommand, 40)), ids(noCommand));
});

// frameRows filters

test('frameRows hides kernel threads when showKernel is off', () => {
  const snap = makeSnapshot([{ pid: 1 }, { pid: 2, kernel: true, name: 'kthreadd' }, { pid: 3, ppid: 2, kernel: true }]);
  assert.deepEqual(pidsOf(frameRows(state({ showKernel: false }), snap, undefined).rows), [1]);
  assert.deepEqual(pidsOf(frameRows(state({ showKernel: true }), snap, undefined).rows), [1, 2, 3]);
});

test('frameRows hides thread rows when showThreads is off', () => {
  const snap = makeSnapshot([{ pid: 10, threads: 2 }, { pid: 11, tgid: 10, thread: true }]);
  assert.deepEqual(pidsOf(frameRows(state({ showThreads: false }), snap, undefined).rows), [10]);
  assert.deepEqual(pidsOf(frameRows(state({ showThreads: true }), snap, undefined).rows), [10, 11]);
});

test('frameRows keeps only the chosen uid', () => {
  const snap = makeSnapshot([{ pid: 1, uid: 0 }, { pid: 2, uid: 1000, user: 'alice' }, { pid: 3, uid: undefined, user: undefined }]);
  assert.deepEqual(pidsOf(frameRows(state({ uid: 1000 }), snap, undefined).rows), [2]);
});

test('frameRows keeps only the chosen pids, with their threads', () => {
  const snap = makeSnapshot([{ pid: 1 }, { pid: 2 }, { pid: 3 }, { pid: 4, tgid: 2, thread: true }]);
  assert.deepEqual(pidsOf(frameRows(state({ pids: [2, 3] }), snap, undefined).rows), [2, 3, 4]);
});

test('frameRows sorts by the state sort key and direction', () => {
  const snap = makeSnapshot([{ pid: 1, cpu: 5 }, { pid: 2, cpu: 50 }, { pid: 3, cpu: 0 }]);
  assert.deepEqual(pidsOf(frameRows(state({ sortKey: 'cpu', descending: true }), snap, undefined).rows), [2, 1, 3]);
  assert.deepEqual(pidsOf(frameRows(state({ sortKey: 'cpu', descending: false }), snap, undefined).rows), [3, 1, 2]);
});

// Highlighting new and exited processes

test('with highlight on, a process absent from the previous snapshot is fresh', () => {
  const before = makeSnapshot([{ pid: 1 }, { pid: 2 }]);
  const now = makeSnapshot([{ pid: 1 }, { pid: 2 }, { pid: 3 }]);
  const fr = frameRows(state({ highlight: true }), now, before);
  assert.deepEqual([...fr.fresh], ['3:1003']);
});

test('with highlight on, an exited process is kept one frame, in exited', () => {
  const before = makeSnapshot([{ pid: 1 }, { pid: 2 }]);
  const now = makeSnapshot([{ pid: 1 }]);
  const fr = frameRows(state({ highlight: true }), now, before);
  assert.deepEqual([...fr.exited], ['2:1002']);
  assert.deepEqual(pidsOf(fr.rows), [1, 2]);
  const next = frameRows(state({ highlight: true }), now, now);
  assert.deepEqual(pidsOf(next.rows), [1]);
  assert.equal(next.exited.size, 0);
});

test('with highlight on, a reused pid is both a fresh process and an exited one', () => {
  const before = makeSnapshot([{ pid: 7, startTicks: 100 }]);
  const now = makeSnapshot([{ pid: 7, startTicks: 900 }]);
  const fr = frameRows(state({ highlight: true }), now, before);
  assert.deepEqual([...fr.fresh], ['7:900']);
  assert.deepEqual([...fr.exited], ['7:100']);
});

test('with highlight off, nothing is fresh or exited and exited processes are gone at once', () => {
  const before = makeSnapshot([{ pid: 1 }, { pid: 2 }]);
  const now = makeSnapshot([{ pid: 1 }, { pid: 3 }]);
  const fr = frameRows(state({ highlight: false }), now, before);
  assert.equal(fr.fresh.size, 0);
  assert.equal(fr.exited.size, 0);
  assert.deepEqual(pidsOf(fr.rows), [1, 3]);
});

test('on the first frame (no previous snapshot) nothing is fresh', () => {
  const fr = frameRows(state({ highlight: true }), makeSnapshot([{ pid: 1 }]), undefined);
  assert.equal(fr.fresh.size, 0);
});

/**
 * The tree of the field report at 80 columns: init, a tmux server (depth 1) whose shell (2) runs
 * proctop (3) under more levels, a sibling of the server (depth 1), and a parent with two zombies.
 */
function fieldTree(): readonly Row[] {
  const specs: ProcessSpec[] = [
    { pid: 1, ppid: 0, name: 'init' },
    { pid: 10, ppid: 1, name: 'tmux: server' },
    { pid: 11, ppid: 10, name: 'bash' },
    { pid: 12, ppid: 11, name: 'sh' },
    { pid: 13, ppid: 12, name: 'node' },
    { pid: 14, ppid: 13, name: 'proctop' },
    { pid: 15, ppid: 14, name: 'strace' },
    { pid: 20, ppid: 1, name: 'zombie-factory' },
    { pid: 21, ppid: 20, state: 'Z' },
    { pid: 22, ppid: 20, state: 'Z' },
    { pid: 30, ppid: 1, name: 'sshd' },
  ];
  return frameRows(state({ tree: true }), makeSnapshot(specs), undefined).rows;
}

/** Column of the branch (├ or └) of a guide: where a row's own level is drawn. */
const branchAt = (guide: string): number => guide.length - 3;

test('shiftGuides at 80 columns keeps depth 1, depth 2 and a depth-1 sibling apart, and zombies right of their parent', () => {
  const columns = fitColumns(DEFAULTS, 80);
  const width = commandWidth(columns, layoutWidths(columns, 80));
  assert.ok(width !== undefined && width < 40, `the command cell at 80 columns: ${width}`);
  const rows = fieldTree();
  assert.ok(rows.some((r) => r.guide.length > width - Math.min(COMMAND_KEEP, Math.floor(width / 2))), 'the tree is too deep to draw unshifted');
  const shifted = shiftGuides(rows, width);
  const guide = new Map(shifted.map((r) => [r.process.pid, r.guide]));
  assert.notEqual(guide.get(11), guide.get(10), `depth 2 ${guide.get(11)} vs depth 1 ${guide.get(10)}`);
  assert.notEqual(guide.get(11), guide.get(30), `depth 2 ${guide.get(11)} vs the depth-1 sibling ${guide.get(30)}`);
  // Every row's branch is right of its parent's: relative depth reads on every row, zombies included.
  const byPid = new Map(shifted.map((r) => [r.process.pid, r]));
  for (const r of shifted) {
    const parent = byPid.get(r.process.ppid);
    if (parent === undefined || parent.guide === '') continue;
    assert.ok(branchAt(r.guide) > branchAt(parent.guide), `PID ${r.process.pid} '${r.guide}' is not right of its parent's '${parent.guide}'`);
  }
  // ...and the deepest row still leaves COMMAND_KEEP columns (or half a narrow cell) to its command.
  const deepest = Math.max(...shifted.map((r) => r.guide.length));
  assert.ok(width - deepest >= Math.min(COMMAND_KEEP, Math.floor(width / 2)), `deepest guide ${deepest} of ${width}`);
});

test('shiftGuides narrows ancestor levels (3, 2, then 1 column) before it cuts any', () => {
  const rows = chainRows(8); // leaf guide: 6 levels of 3 + "└─ " = 21
  const two = shiftGuides(rows, 40); // budget 40 - 20 = 20: 6 × 2 + 3 = 15 fits
  assert.equal(two.at(-1)?.guide, `${'  '.repeat(6)}└─ `);
  const one = shiftGuides(rows, 24); // budget 12: 6 × 1 + 3 = 9 fits, 15 does not
  assert.equal(one.at(-1)?.guide, `${' '.repeat(6)}└─ `);
  assert.ok(one.every((r) => !r.guide.includes('…')), 'nothing cut');
});
