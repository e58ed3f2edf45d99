import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Column, COLUMNS, DEFAULT_COLUMNS, findColumn } from '../../../src/model/columns';
import { identityKey, ProcessInfo, Snapshot } from '../../../src/model/snapshot';
import { buildView, frameRows, layout, makeReduceContext, reconcile } from '../../../src/view/build-view';
import { buildHeader } from '../../../src/view/header';
import { DIALOG_MIN_MARGIN } from '../../../src/view/dialogs';
import { reduce } from '../../../src/view/reduce';
import { Row } from '../../../src/view/rows';
import { displayWidth } from '../../../src/view/text';
import { UiState } from '../../../src/view/ui-state';
import { Line, lineText, Segment, ViewModel } from '../../../src/view/view-model';
import { makeProcess, makeSnapshot, manyProcesses, ProcessSpec, makeUiState } from '../../helpers/process-fixture';

const columns: readonly Column[] = DEFAULT_COLUMNS.map((id) => findColumn(id) as Column);
const HOST = 'build-host';
const SELF_PID = 99_999;

const state = makeUiState;

function rowsOf(pids: readonly number[]): Row[] {
  return pids.map((pid) => ({ process: makeProcess({ pid }), guide: '', depth: 0, hasChildren: false, collapsed: false, matched: true }));
}

/** The table height buildView will use for this state (same header meters, no self cost, no host facts). */
function tableHeightFor(s: UiState, snapshot: Snapshot, width: number, height: number): number {
  return layout(height, buildHeader(snapshot, width, 64, HOST, undefined, undefined, new Set(s.meters)).length).table;
}

/** One frame as the app builds it: frameRows → reconcile → buildView. */
function frame(
  s: UiState, snapshot: Snapshot, width: number, height: number,
  opts: { previous?: Snapshot; columns?: readonly Column[] } = {},
): { vm: ViewModel; state: UiState } {
  const fr = frameRows(s, snapshot, opts.previous);
  const next = reconcile(s, fr.rows, tableHeightFor(s, snapshot, width, height));
  const vm = buildView(next, { snapshot, previous: opts.previous, width, height, columns: opts.columns ?? columns, hostname: HOST, tzOffset: 0 }, fr);
  return { vm, state: next };
}

function allLines(vm: ViewModel): { where: string; line: Line }[] {
  return [
    ...vm.header.map((line, i) => ({ where: `header ${i}`, line })),
    { where: 'column header', line: vm.columnHeader },
    ...vm.rows.map((line, i) => ({ where: `row ${i}`, line })),
    { where: 'status', line: vm.status },
    { where: 'footer', line: vm.footer },
  ];
}

function allSegments(vm: ViewModel): Segment[] {
  const lines = allLines(vm).map((l) => l.line);
  if (vm.dialog) lines.push(...vm.dialog.lines, [{ text: vm.dialog.title, style: 'dialog-title' }]);
  return lines.flat();
}

const CONTROL = /[\x00-\x1f\x7f-\x9f]/;
const HOSTILE = '\x1b[2J{red-fg}x';

/** A mixed bag: tree, wide and combining characters, a zombie, a hostile name, unknown values. */
const varied: ProcessSpec[] = [
  { pid: 1, name: 'systemd', command: '/sbin/init splash' },
  { pid: 2, name: 'kthreadd', kernel: true, command: '[kthreadd]' },
  { pid: 3, ppid: 2, name: 'kworker/0:1', kernel: true, command: '[kworker/0:1]' },
  { pid: 120, ppid: 1, name: 'sshd', command: '/usr/sbin/sshd -D', user: 'root' },
  { pid: 121, ppid: 120, name: '日本語プロセス', command: '日本語プロセス --オプション 漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字', user: 'ユーザー' },
  { pid: 122, ppid: 120, name: 'emoji', command: '🔥🔥🔥 fire 🔥 e\u0301 combining', cpu: undefined, rss: undefined, mem: undefined },
  { pid: 123, ppid: 1, name: HOSTILE, command: `${HOSTILE} --title \x1b]0;pwned\x07 \x9b31m`, user: `ev\x1bil` },
  { pid: 124, ppid: 1, name: 'defunct', state: 'Z', command: '[defunct]' },
  { pid: 125, ppid: 1, name: 'dd', state: 'D', command: 'dd if=/dev/sda of=/dev/null', cpu: 99.9, mem: 12.5, cpuTime: 360_000 },
  { pid: 4_194_304, ppid: 1, name: 'bigpid', command: 'x'.repeat(500), vsz: 2 ** 50, rss: 2 ** 40, threads: 9999 },
];

for (const [width, height] of [[120, 40], [40, 10]] as const) {
  for (const tree of [false, true]) {
    test(`at ${width}×${height} (${tree ? 'tree' : 'list'}) every line is exactly ${width} columns wide`, () => {
      const { vm } = frame(state({ tree, tagged: new Set(['122:1122']) }), makeSnapshot(varied), width, height);
      for (const { where, line } of allLines(vm)) assert.equal(displayWidth(lineText(line)), width, `${where}: ${JSON.stringify(lineText(line))}`);
    });
  }

  test(`at ${width}×${height} header, table and bars fill exactly the height`, () => {
    const { vm } = frame(state(), makeSnapshot(varied), width, height);
    assert.equal(vm.header.length + 1 + vm.tableHeight + 2, height);
  });

  test(`at ${width}×${height} with 5,000 processes only the visible slice is built`, () => {
    let formatted = 0;
    const counting = columns.map((c) => (c.id === 'pid' ? { ...c, format: (...args: Parameters<Column['format']>): string => { formatted++; return c.format(...args); } } : c));
    const snapshot = makeSnapshot(manyProcesses(5000));
    const { vm } = frame(state({ sortKey: 'cpu', descending: true }), snapshot, width, height, { columns: counting });
    assert.ok(vm.rows.length <= vm.tableHeight, `${vm.rows.length} rows > ${vm.tableHeight}`);
    assert.equal(vm.rows.length, vm.tableHeight);
    assert.ok(formatted <= vm.tableHeight, `formatted ${formatted} rows`);
  });

  test(`at ${width}×${height} a hostile process name never reaches a segment raw`, () => {
    const snapshot = makeSnapshot(varied);
    const s = state({ selected: '123:1123', tagged: new Set(['123:1123']) });
    // The table, then the confirm dialog listing the hostile process as a target.
    const table = frame(s, snapshot, width, height).vm;
    const fr = frameRows(s, snapshot, undefined);
    const ctx = makeReduceContext(fr, snapshot, 5, SELF_PID);
    const menu = reduce(s, { kind: 'kill' }, ctx).state;
    const confirm = reduce(menu, { kind: 'accept' }, ctx).state;
    assert.equal(confirm.mode.kind, 'confirm');
    const dialog = frame(confirm, snapshot, width, height).vm;
    for (const seg of [...allSegments(table), ...allSegments(dialog)]) {
      assert.doesNotMatch(seg.text, CONTROL, JSON.stringify(seg.text));
    }
    if (width >= 120) assert.ok(allSegments(table).some((seg) => seg.text.includes('\\x1b[2J')), 'the escape is shown as text');
  });
}

test('user-chosen text on the status line is sanitized (user name in the user menu)', () => {
  const snapshot = makeSnapshot([{ pid: 1, uid: 1000, user: `ev\x1b]0;x\x07il` }]);
  const s = state();
  const fr = frameRows(s, snapshot, undefined);
  const ctx = makeReduceContext(fr, snapshot, 5, SELF_PID);
  const opened = reduce(s, { kind: 'user-menu' }, ctx).state;
  const chosen = reduce(reduce(opened, { kind: 'move', delta: 1 }, ctx).state, { kind: 'accept' }, ctx).state;
  const { vm } = frame(chosen, snapshot, 120, 40);
  assert.doesNotMatch(lineText(vm.status), CONTROL);
  assert.match(lineText(vm.status), /ev\\x1b\]0;x\\x07il/);
});

test('typed search text with a C1 control is sanitized on the status line', () => {
  const snapshot = makeSnapshot([{ pid: 1 }]);
  const s = state({ mode: { kind: 'search', text: '' } });
  const ctx = makeReduceContext(frameRows(s, snapshot, undefined), snapshot, 5, SELF_PID);
  const typed = reduce(s, { kind: 'type', text: '\x9b' }, ctx).state;
  const { vm } = frame(typed, snapshot, 120, 40);
  for (const seg of allSegments(vm)) assert.doesNotMatch(seg.text, CONTROL);
});

test('the paused marker is on the status line', () => {
  const { vm } = frame(state({ paused: true }), makeSnapshot([{ pid: 1 }]), 120, 40);
  assert.match(lineText(vm.status), /^\[PAUSED\] /);
});

// Column header

test('the sort column header carries ▽ when descending', () => {
  const { vm } = frame(state({ sortKey: 'cpu', descending: true }), makeSnapshot([{ pid: 1 }]), 120, 40);
  const sortSegs = vm.columnHeader.filter((s) => s.style === 'sort-column');
  assert.equal(sortSegs.length, 1);
  assert.equal(sortSegs[0]?.text.trim(), 'CPU%▽');
});

test('the sort column header carries △ when ascending', () => {
  const { vm } = frame(state({ sortKey: 'pid', descending: false }), makeSnapshot([{ pid: 1 }]), 120, 40);
  const sortSegs = vm.columnHeader.filter((s) => s.style === 'sort-column');
  assert.equal(sortSegs[0]?.text.trim(), 'PID△');
});

test('a one-character sort column (S) keeps its name beside the mark: the column widens to S△, its cells with it', () => {
  const { vm } = frame(state({ sortKey: 'state', descending: false }), makeSnapshot([{ pid: 1, state: 'R' }]), 80, 24);
  const sortSegs = vm.columnHeader.filter((s) => s.style === 'sort-column');
  assert.equal(sortSegs[0]?.text, 'S△');
  const span = vm.columnSpans.find((s) => s.id === 'state');
  assert.deepEqual(span && [span.end - span.start, lineText(vm.columnHeader).slice(span.start, span.end)], [2, 'S△']);
  assert.equal(lineText(vm.rows[0] as Line).slice(span?.start, span?.end), 'R ', 'the state letter stays under its title');
  // PRI (3 columns) keeps all three letters too.
  const pri = frame(state({ sortKey: 'priority', descending: true, columns: [...DEFAULT_COLUMNS] }), makeSnapshot([{ pid: 1 }]), 200, 24).vm;
  assert.equal(pri.columnHeader.find((s) => s.style === 'sort-column')?.text.trim(), 'PRI▽');
});

test('no column is marked when sorting by a column that is not shown', () => {
  const { vm } = frame(state({ sortKey: 'ppid' }), makeSnapshot([{ pid: 1 }]), 120, 40);
  assert.equal(vm.columnHeader.filter((s) => s.style === 'sort-column').length, 0);
  assert.doesNotMatch(lineText(vm.columnHeader), /[▽△]/);
});

test('column spans line up with the column header text', () => {
  const { vm } = frame(state(), makeSnapshot([{ pid: 1 }]), 200, 40);
  const text = lineText(vm.columnHeader);
  const user = vm.columnSpans.find((s) => s.id === 'user');
  assert.ok(user);
  assert.equal(text.slice(user.start, user.end).trim(), 'USER');
});

// Row styles

function styleOf(vm: ViewModel, s: UiState, pid: number): string | undefined {
  const fr = frameRows(s, makeSnapshot(varied), undefined);
  const i = fr.rows.findIndex((r) => r.process.pid === pid) - s.scroll;
  return vm.rows[i]?.[0]?.style;
}

test('a zombie row is styled zombie', () => {
  const s = state({ selected: '1:1001' });
  const { vm, state: r } = frame(s, makeSnapshot(varied), 120, 40);
  assert.equal(styleOf(vm, r, 124), 'zombie');
});

test('a D-state row is styled blocked', () => {
  const { vm, state: r } = frame(state({ selected: '1:1001' }), makeSnapshot(varied), 120, 40);
  assert.equal(styleOf(vm, r, 125), 'blocked');
});

test('a stopped row is styled blocked', () => {
  const snap = makeSnapshot([{ pid: 1 }, { pid: 2, state: 'T' }]);
  const { vm } = frame(state({ selected: '1:1001' }), snap, 120, 40);
  assert.equal(vm.rows[1]?.[0]?.style, 'blocked');
});

test('the selected row is styled selected, even when it is a zombie', () => {
  const { vm, state: r } = frame(state({ selected: '124:1124' }), makeSnapshot(varied), 120, 40);
  assert.equal(styleOf(vm, r, 124), 'selected');
});

test('a tagged row is styled tagged and marked with *', () => {
  const { vm, state: r } = frame(state({ selected: '1:1001', tagged: new Set(['120:1120']) }), makeSnapshot(varied), 120, 40);
  assert.equal(styleOf(vm, r, 120), 'tagged');
  const fr = frameRows(r, makeSnapshot(varied), undefined);
  const line = vm.rows[fr.rows.findIndex((row) => row.process.pid === 120)] as Line;
  assert.equal(lineText(line)[0], '*');
});

test('a kernel thread row is styled kernel', () => {
  const { vm, state: r } = frame(state({ selected: '1:1001' }), makeSnapshot(varied), 120, 40);
  assert.equal(styleOf(vm, r, 2), 'kernel');
});

test('with highlight on, new rows are styled new and exited rows dead with an x', () => {
  const before = makeSnapshot([{ pid: 1 }, { pid: 2 }]);
  const now = makeSnapshot([{ pid: 1 }, { pid: 3 }]);
  const { vm } = frame(state({ highlight: true, selected: '1:1001' }), now, 120, 40, { previous: before });
  // Rows by pid: 1, 2 (ghost), 3 (new).
  assert.equal(vm.rows[1]?.[0]?.style, 'dead');
  assert.equal(lineText(vm.rows[1] as Line)[0], 'x');
  assert.equal(vm.rows[2]?.[0]?.style, 'new');
});

test('in a filtered tree, kept ancestors are styled ancestor', () => {
  const snap = makeSnapshot([{ pid: 1, name: 'init' }, { pid: 2, ppid: 1, name: 'vim' }]);
  const { vm } = frame(state({ tree: true, filter: 'vim', selected: '2:1002' }), snap, 120, 40);
  assert.equal(vm.rows[0]?.[0]?.style, 'ancestor');
});

// layout

test('layout at height 10 keeps at least 3 table rows and shrinks the header', () => {
  const { header, table } = layout(10, 8);
  assert.ok(table >= 3, `table ${table}`);
  assert.ok(header < 8, `header ${header}`);
  assert.equal(header + table + 3, 10);
});

test('layout gives the header its natural height when there is room', () => {
  assert.deepEqual(layout(40, 6), { header: 6, graph: 0, table: 31 });
});

test('layout gives the graph room only when the table keeps 8 rows', () => {
  const roomy = layout(40, 6, true);
  assert.ok(roomy.graph > 0);
  assert.equal(roomy.header + roomy.graph + roomy.table + 3, 40);
  assert.equal(layout(20, 6, true).graph, 0);
});

test('layout never gives a negative header or an empty table', () => {
  const { header, table } = layout(3, 6);
  assert.equal(header, 0);
  assert.ok(table >= 1);
});

// reconcile

test('reconcile keeps the selection on its process across a re-sort', () => {
  const s = state({ selected: '3:1003', selectedIndex: 2 });
  const next = reconcile(s, rowsOf([3, 2, 1]), 10);
  assert.equal(next.selected, '3:1003');
  assert.equal(next.selectedIndex, 0);
  assert.equal(next.status, s.status);
});

test('reconcile keeps the selection on its process when a refresh moves its row', () => {
  const s = state({ selected: '5:1005', selectedIndex: 1 });
  const next = reconcile(s, rowsOf([1, 2, 3, 4, 5]), 10);
  assert.equal(next.selected, '5:1005');
  assert.equal(next.selectedIndex, 4);
});

test('reconcile follows the selection through a full re-sort in the app loop', () => {
  const snapshot = makeSnapshot([{ pid: 1, cpu: 10 }, { pid: 2, cpu: 30 }, { pid: 3, cpu: 20 }]);
  let s = state({ sortKey: 'pid', descending: false, selected: '3:1003', selectedIndex: 2 });
  s = reconcile(s, frameRows(s, snapshot, undefined).rows, 10);
  s = reduce(s, { kind: 'sort-by', column: 'cpu' }, makeReduceContext(frameRows(s, snapshot, undefined), snapshot, 10, SELF_PID)).state;
  s = reconcile(s, frameRows(s, snapshot, undefined).rows, 10);
  assert.equal(s.selected, '3:1003');
  assert.equal(s.selectedIndex, 1);
});

test('reconcile drops the tags and collapses of exited processes and keeps those of live ones', () => {
  const s = state({ selected: '1:1001', tagged: new Set(['1:1001', '3:1003', '9:1009']), collapsed: new Set(['2:1002', '8:1008']) });
  const next = reconcile(s, rowsOf([1, 2, 3]), 10, new Set(['1:1001', '2:1002', '3:1003']));
  assert.deepEqual([...next.tagged], ['1:1001', '3:1003']);
  assert.deepEqual([...next.collapsed], ['2:1002']);
});

test('reconcile keeps the same tag and collapse sets when every marked process is alive', () => {
  const s = state({ selected: '1:1001', tagged: new Set(['1:1001']), collapsed: new Set(['2:1002']) });
  const next = reconcile(s, rowsOf([1, 2]), 10, new Set(['1:1001', '2:1002']));
  assert.equal(next.tagged, s.tagged);
  assert.equal(next.collapsed, s.collapsed);
});

test('when the selected process exits, the neighbour at the same index is selected and the status says so', () => {
  const s = state({ selected: '3:1003', selectedIndex: 2 });
  const next = reconcile(s, rowsOf([1, 2, 4, 5]), 10);
  assert.equal(next.selected, '4:1004');
  assert.equal(next.selectedIndex, 2);
  assert.match(next.status.text, /PID 3 exited/);
  assert.equal(next.status.error, false);
});

test('when the last row was selected and exits, the new last row is selected', () => {
  const s = state({ selected: '5:1005', selectedIndex: 4 });
  const next = reconcile(s, rowsOf([1, 2, 3, 4]), 10);
  assert.equal(next.selected, '4:1004');
  assert.equal(next.selectedIndex, 3);
  assert.match(next.status.text, /PID 5 exited/);
});

test('when the selected process exits, following stops', () => {
  const next = reconcile(state({ selected: '9:1009', selectedIndex: 0, follow: true }), rowsOf([1, 2]), 10);
  assert.equal(next.follow, false);
});

test('a reused pid (same pid, other start time) is not taken for the selected process', () => {
  const s = state({ selected: '5:1005', selectedIndex: 0 });
  const rows: Row[] = [...rowsOf([1, 2]), { ...(rowsOf([5])[0] as Row), process: makeProcess({ pid: 5, startTicks: 99_999 }) }];
  const next = reconcile(s, rows, 10);
  assert.equal(next.selected, '1:1001');
  assert.match(next.status.text, /PID 5 exited/);
});

test('with no selection yet, reconcile selects the first row without a status message', () => {
  const s = state();
  const next = reconcile(s, rowsOf([4, 5]), 10);
  assert.equal(next.selected, '4:1004');
  assert.equal(next.status, s.status);
});

test('with no rows, reconcile clears the selection', () => {
  const next = reconcile(state({ selected: '1:1001', selectedIndex: 3, scroll: 2 }), [], 10);
  assert.equal(next.selected, undefined);
  assert.equal(next.scroll, 0);
});

const hundred = rowsOf(Array.from({ length: 100 }, (_, i) => i + 1));

test('reconcile scrolls down so a selection below the window is visible', () => {
  const next = reconcile(state({ selected: '51:1051', scroll: 0 }), hundred, 10);
  assert.equal(next.selectedIndex, 50);
  assert.equal(next.scroll, 41);
});

test('reconcile scrolls up so a selection above the window is visible', () => {
  const next = reconcile(state({ selected: '5:1005', scroll: 60 }), hundred, 10);
  assert.equal(next.scroll, 4);
});

test('reconcile leaves the scroll alone while the selection is visible', () => {
  const next = reconcile(state({ selected: '25:1025', scroll: 20 }), hundred, 10);
  assert.equal(next.scroll, 20);
});

test('reconcile pulls the scroll back when the list shrinks', () => {
  const next = reconcile(state({ selected: '3:1003', scroll: 90 }), rowsOf([1, 2, 3, 4, 5]), 10);
  assert.equal(next.scroll, 0);
});

test('reconcile centres the followed process', () => {
  const next = reconcile(state({ selected: '51:1051', follow: true }), hundred, 10);
  assert.equal(next.scroll, 45);
});

test('the selection stays visible in the built view after moving to the end', () => {
  const snapshot = makeSnapshot(manyProcesses(300));
  let s = state();
  s = frame(s, snapshot, 120, 40).state;
  const ctx = makeReduceContext(frameRows(s, snapshot, undefined), snapshot, 10, SELF_PID);
  s = reduce(s, { kind: 'end' }, ctx).state;
  const { vm, state: after } = frame(s, snapshot, 120, 40);
  assert.equal(after.selected, identityKey(makeProcess({ pid: 300 })));
  assert.equal(vm.rows.at(-1)?.[0]?.style, 'selected');
});

test('every column in COLUMNS can be shown without breaking the line width', () => {
  const { vm } = frame(state(), makeSnapshot(varied), 300, 40, { columns: COLUMNS });
  for (const { where, line } of allLines(vm)) assert.equal(displayWidth(lineText(line)), 300, where);
});

test('a tagged process with a 7-digit pid keeps every digit of its pid', () => {
  const snap = makeSnapshot([{ pid: 1 }, { pid: 4_194_304 }]);
  const { vm } = frame(state({ selected: '1:1001', tagged: new Set(['4194304:4195304']) }), snap, 120, 40);
  assert.equal(vm.rows[1]?.[0]?.style, 'tagged');
  assert.match(lineText(vm.rows[1] as Line), /^4194304 /);
});

test('an exited process with a 7-digit pid keeps every digit of its pid', () => {
  const before = makeSnapshot([{ pid: 1 }, { pid: 1_234_567 }]);
  const now = makeSnapshot([{ pid: 1 }]);
  const { vm } = frame(state({ highlight: true, selected: '1:1001' }), now, 120, 40, { previous: before });
  assert.equal(vm.rows[1]?.[0]?.style, 'dead');
  assert.match(lineText(vm.rows[1] as Line), /^1234567 /);
});

test('a selected process hidden by the filter is not reported as exited', () => {
  const snapshot = makeSnapshot([{ pid: 1, name: 'alpha' }, { pid: 2, name: 'beta' }, { pid: 3, name: 'alpha2' }]);
  let s = reconcile(state({ selected: '2:1002' }), frameRows(state(), snapshot, undefined).rows, 10);
  s = { ...s, filter: 'alpha' };
  const fr = frameRows(s, snapshot, undefined);
  s = reconcile(s, fr.rows, 10, fr.present);
  assert.doesNotMatch(s.status.text, /exited/);
  assert.match(s.status.text, /PID 2 is hidden/);
});

test('a deep chain in tree view: the rows in view shift their guides together and the leaf\'s command shows', () => {
  const snapshot = makeSnapshot(Array.from({ length: 60 }, (_, i) => ({ pid: i + 1, ppid: i })));
  const width = 120;
  const end = frame(state({ tree: true }), snapshot, width, 40).state;
  // Select the leaf: the screen scrolls to the bottom of the chain.
  const { vm } = frame({ ...end, selectedIndex: 59, selected: identityKey(snapshot.processes[59] as ProcessInfo) }, snapshot, width, 40);
  const texts = vm.rows.map(lineText);
  const leaf = texts.at(-1) ?? '';
  assert.match(leaf, /…[│ ]*└─ \/bin\/p60/, leaf);
  // Every row in view shows its command; 30 levels cannot fit in the cell even at one column a
  // level, so the deepest rows keep their nesting (each one narrowed level right of the one above)
  // and the shallower ones line up after "…".
  for (const text of texts) assert.match(text, /…[│ ]*└─ \/bin\/p\d+ *$/);
  const at = texts.map((t) => t.search(/└─/));
  for (let i = at.length - 5; i < at.length; i++) assert.equal(at[i], (at[i - 1] as number) + 1, `row ${i}: ${texts[i]}`);
  assert.equal(at[0], at[1], 'rows shallower than the shift line up');
});

test('typing a filter: the process selected before it gets the selection back when the query shows it again, without "is hidden" noise', () => {
  const snapshot = makeSnapshot([
    { pid: 1, name: 'init', command: '/sbin/init' },
    { pid: 2, ppid: 1, name: 'nginx', command: 'nginx: master' },
    { pid: 3, ppid: 1, name: 'nginx', command: 'nginx: worker' },
    { pid: 4, ppid: 1, name: 'cron', command: '/usr/sbin/cron' },
  ]);
  const key = (pid: number): string => identityKey(snapshot.processes.find((p) => p.pid === pid) as ProcessInfo);
  // As the app does after each command: rows for the new state, then reconcile (with what exists).
  const settle = (st: UiState): UiState => {
    const fr = frameRows(st, snapshot, undefined);
    return reconcile(st, fr.rows, 10, fr.present);
  };
  let s: UiState = settle(state({ selected: key(4) }));
  const step = (command: Parameters<typeof reduce>[1]): void => {
    s = settle(reduce(s, command, makeReduceContext(frameRows(s, snapshot, undefined), snapshot, 10, SELF_PID)).state);
  };
  step({ kind: 'filter' });
  for (const ch of 'ngi') step({ kind: 'type', text: ch });
  // "ngi" hides cron: the selection moves to a visible row, quietly.
  assert.notEqual(s.selected, key(4));
  assert.doesNotMatch(s.status.text, /is hidden/);
  step({ kind: 'erase', what: 'line' });
  assert.equal(s.selected, key(4), 'cleared in the bar: cron is shown again and selected again');
  for (const ch of 'cro') step({ kind: 'type', text: ch });
  assert.equal(s.selected, key(4));
  for (const ch of 'xx') step({ kind: 'type', text: ch });
  step({ kind: 'cancel' });
  assert.equal(s.filter, '');
  assert.equal(s.selected, key(4), 'Esc clears the filter and returns to cron');
  // Outside the filter bar a hidden selection is still reported.
  assert.match(settle({ ...s, pids: [1, 2, 3] }).status.text, /^PID 4 is hidden; selected PID \d$/);
});

test('signal dialog on [tagged]: it says how many tagged processes the filter hides, in the menu and the confirmation', () => {
  const snapshot = makeSnapshot([{ pid: 1, name: 'web' }, { pid: 2, name: 'web' }, { pid: 3, name: 'db' }, { pid: 4, name: 'db' }, { pid: 5, name: 'db' }]);
  const tagged = new Set(['1:1001', '3:1003', '4:1004', '5:1005']);
  const menu = state({ filter: 'web', tagged, selected: '1:1001', mode: { kind: 'signal-menu', index: 0, typed: '', scope: 'tagged', subject: undefined, returnTo: 'normal' } });
  const text = (vm: ViewModel): string => (vm.dialog?.lines ?? []).map(lineText).join('\n');
  const shown = text(frame(menu, snapshot, 100, 30).vm);
  assert.match(shown, /\[tagged: 4, 3 hidden\]/, shown);
  const targets = [1, 3, 4, 5].map((pid) => ({ pid, startTicks: 1000 + pid, user: 'root', command: `/bin/p${pid}` }));
  const confirm = state({ filter: 'web', tagged, selected: '1:1001', mode: { kind: 'confirm', signal: 15, scope: 'tagged', targets, group: undefined, mustType: undefined, typed: '', returnTo: 'normal' } });
  assert.match(text(frame(confirm, snapshot, 100, 30).vm), /3 of them hidden from the table/);
  // Nothing hidden: no count of hidden ones.
  const all = text(frame({ ...menu, filter: '' }, snapshot, 100, 30).vm);
  assert.match(all, /\[tagged: 4\]/);
});

test('a dialog almost as wide as the screen takes all of it: no column of the table shows beside its border (┐0)', () => {
  const snapshot = makeSnapshot([{ pid: 1 }, { pid: 20, ppid: 1 }, { pid: 21, ppid: 20, state: 'Z' }]);
  const targets = [{ pid: 20, startTicks: 1020, user: 'root', command: '/bin/p20' }];
  const confirm = state({ selected: '20:1020', mode: { kind: 'confirm', signal: 15, scope: 'process', targets, group: undefined, mustType: undefined, typed: '', returnTo: 'normal' } });
  for (const s of [confirm, state({ mode: { kind: 'zombies', index: 0 } })]) {
    const d = frame(s, snapshot, 80, 24).vm.dialog;
    assert.ok(d !== undefined);
    assert.ok(d.width === 80 || 80 - d.width >= 2 * DIALOG_MIN_MARGIN, `${s.mode.kind}: a ${d.width}-column dialog on 80 columns`);
    for (const line of d.lines) assert.equal(displayWidth(lineText(line)), d.width - 2, `${s.mode.kind}: every line fills the inside`);
  }
  // A small dialog stays small.
  const menu = frame(state({ mode: { kind: 'sort-menu', index: 0 } }), snapshot, 200, 40).vm.dialog;
  assert.ok(menu !== undefined && menu.width < 200);
});

test('an active filter stays on the F-key bar once its bar closes (F4[query]), F10 Quit still there at 80 columns', () => {
  const snapshot = makeSnapshot([{ pid: 1, name: 'nginx' }]);
  const bar = (filter: string, width = 80): string => lineText(frame(state({ filter }), snapshot, width, 24).vm.footer);
  assert.doesNotMatch(bar(''), /\[/);
  const shown = bar('user:www-data nginx');
  assert.match(shown, /F4\[user:www-data nginx\]/);
  assert.match(shown, /F10Quit/);
  assert.equal(displayWidth(shown), 80);
  // A long query is cut with "…", never F10.
  const long = bar(`cmd~${'x'.repeat(100)}`);
  assert.match(long, /F4\[cmd~x+…\]/);
  assert.match(long, /F10Quit/);
});

test('the filter bar says how it reads a flag word, and so does the status line once it closes', () => {
  const snapshot = makeSnapshot([{ pid: 1, name: 'stopped-tracer' }, { pid: 2, state: 'T' }]);
  const typing = state({ filter: 'stopped', mode: { kind: 'filter', text: 'stopped', previous: '' } });
  assert.match(lineText(frame(typing, snapshot, 120, 24).vm.footer), /^Filter: stopped_ +stopped: state T or t or name\/cmd contains 'stopped'/);
  const ctx = makeReduceContext(frameRows(typing, snapshot, undefined), snapshot, 10, 999_999);
  const closed = reduce(typing, { kind: 'accept' }, ctx).state;
  assert.match(closed.status.text, /^Filter: stopped \(stopped: state T or t or name\/cmd contains 'stopped'\)/);
  // Both rows match: the stopped one by its state, stopped-tracer by its name.
  assert.deepEqual(frameRows(closed, snapshot, undefined).rows.map((r) => r.process.pid), [1, 2]);
});

test('a search without a match says so in its bar; a match clears it', () => {
  const snapshot = makeSnapshot([{ pid: 1, name: 'init' }, { pid: 2, ppid: 1, name: 'sshd' }]);
  const bar = (text: string): string => lineText(frame(state({ search: text, mode: { kind: 'search', text } }), snapshot, 80, 24).vm.footer);
  assert.match(bar('zzqq'), /^Search: zzqq_ {2}no match/);
  assert.doesNotMatch(bar('ssh'), /no match/);
  assert.doesNotMatch(bar(''), /no match/);
});
