import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Column, DEFAULT_COLUMNS, findColumn } from '../../../src/model/columns';
import { CpuUsage, Snapshot } from '../../../src/model/snapshot';
import { markup } from '../../../src/ui/markup';
import { DEFAULT_THEME } from '../../../src/ui/theme';
import { buildView, frameRows } from '../../../src/view/build-view';
import { ALL_METERS, buildHeader } from '../../../src/view/header';
import { METER_TABLE, MeterRow, SelfCost } from '../../../src/view/meters';
import { METERS } from '../../../src/model/settings';
import { displayWidth } from '../../../src/view/text';
import { Line, lineText, Segment } from '../../../src/view/view-model';
import { makeSnapshot, makeSystem, makeUiState, ProcessSpec } from '../../helpers/process-fixture';

const WIDTH = 120;
/** Two columns: the left one is the first WIDTH/2 − 1 columns, the right one starts after a 2-column gap. */
const LEFT = WIDTH / 2 - 1;
const HOST = 'db-primary-3';
const GiB = 2 ** 30;
const MiB = 2 ** 20;

const cpu = (user: number, system: number, other = 0, steal = 0): CpuUsage => ({ user, system, iowait: 3, steal, other, busy: user + system + other + steal });

/**
 * 10 processes: R 2, S 3, D 1, T 1 + t 1, Z 1, I 1 (a kernel thread);
 * 16 threads of user processes (pid 12 has 8), the kernel thread not counted.
 */
const MIXED: ProcessSpec[] = [
  { pid: 1 },
  { pid: 2, kernel: true, state: 'I', threads: 1 },
  { pid: 10, state: 'R' }, { pid: 11, state: 'R' },
  { pid: 12, threads: 8 }, { pid: 13 },
  { pid: 14, state: 'D' },
  { pid: 15, state: 'T' }, { pid: 16, state: 't' },
  { pid: 17, state: 'Z' },
];

/** Only running and sleeping processes: no Z, no D. */
const CALM: ProcessSpec[] = [{ pid: 1 }, { pid: 10, state: 'R' }, { pid: 11 }];

/** A 2-CPU host: cpu0 75 % busy (user 50, system 15, irq 6, steal 4; iowait 3 is not busy), cpu1 idle; 3 of 8 GiB memory, 512 MiB of 2 GiB swap in use. */
function twoCpuSnapshot(specs: readonly ProcessSpec[] = MIXED): Snapshot {
  return makeSnapshot(specs, {
    system: makeSystem({
      cpu: cpu(30, 7.5),
      cpus: [cpu(50, 15, 6, 4), cpu(0, 0)],
      memory: { total: 8 * GiB, free: 2 * GiB, used: 3 * GiB, buffers: 256 * MiB, cache: 2 * GiB, available: 5 * GiB, swapTotal: 2 * GiB, swapUsed: 512 * MiB },
      load: [1.5, 0.75, 0.1],
      uptime: 3 * 86_400 + 4 * 3600 + 5 * 60 + 6,
    }),
  });
}

const SELF: SelfCost = { cpu: 2.46, rss: 50 * MiB };

function header(s: Snapshot = twoCpuSnapshot(), opts: { width?: number; maxLines?: number; self?: SelfCost; meters?: readonly string[]; hostname?: string } = {}): Line[] {
  const meters = new Set(opts.meters ?? ALL_METERS);
  return buildHeader(s, opts.width ?? WIDTH, opts.maxLines ?? 64, opts.hostname ?? HOST, opts.self, undefined, meters);
}

/** The left and right column texts of a two-column header. */
function columnsOf(lines: readonly Line[]): { left: string[]; right: string[] } {
  const texts = lines.map(lineText);
  return { left: texts.map((t) => t.slice(0, LEFT).trimEnd()).filter((t) => t !== ''), right: texts.map((t) => t.slice(LEFT + 2).trimEnd()).filter((t) => t !== '') };
}

function segment(lines: readonly Line[], text: string): Segment {
  const found = lines.flat().filter((s) => s.text === text);
  assert.equal(found.length, 1, `exactly one segment ${JSON.stringify(text)}`);
  return found[0] as Segment;
}

const bars = (text: string): number => (text.match(/\|/g) ?? []).length;

test('every header line is exactly the screen width', () => {
  for (const width of [WIDTH, 80, 50]) {
    for (const line of header(twoCpuSnapshot(), { width, self: SELF })) assert.equal(displayWidth(lineText(line)), width, `${width}: ${JSON.stringify(lineText(line))}`);
  }
});

test('the left column has one bar per CPU, labelled 0 and 1, with its busy % inside, then Mem and Swp', () => {
  const { left } = columnsOf(header());
  assert.equal(left.length, 4);
  assert.match(left[0] ?? '', /^ {2}0\[\|+ +75\.0%\]$/);
  assert.match(left[1] ?? '', /^ {2}1\[ +0\.0%\]$/);
  assert.match(left[2] ?? '', /^Mem\[/);
  assert.match(left[3] ?? '', /^Swp\[/);
});

test('a first scan (no interval: its CPU times are the shares since boot) draws empty CPU bars reading …', () => {
  const s = twoCpuSnapshot();
  const { left } = columnsOf(header({ ...s, interval: undefined }));
  assert.match(left[0] ?? '', /^ {2}0\[ +…\]$/);
  assert.match(left[1] ?? '', /^ {2}1\[ +…\]$/);
  assert.match(left[2] ?? '', /^Mem\[\|+/, 'memory is a reading, not a rate: shown at once');
});

test('a busier CPU has a longer bar and an idle one none', () => {
  const s = twoCpuSnapshot();
  const half = makeSnapshot(MIXED, { system: { ...s.system, cpus: [cpu(25, 7.5, 5), cpu(0, 0)] } });
  const [full, idle] = columnsOf(header(s)).left;
  const [partial] = columnsOf(header(half)).left;
  assert.equal(bars(idle ?? ''), 0);
  assert.ok(bars(partial ?? '') > 0, partial);
  assert.ok(bars(full ?? '') > bars(partial ?? ''), `${full} vs ${partial}`);
});

/** The fill of one bar line: `|` count per style, and the room the text inside leaves (fill plus blanks). */
function fill(line: Line): { room: number; by: Map<string, number> } {
  const inner = /\[(.*)\]/.exec(lineText(line))?.[1] ?? assert.fail(`no bar in ${JSON.stringify(lineText(line))}`);
  const by = new Map<string, number>();
  for (const seg of line) if (/^\|+$/.test(seg.text)) by.set(seg.style, (by.get(seg.style) ?? 0) + seg.text.length);
  return { room: inner.replace(/[^| ].*$/, '').length, by };
}

/** Asserts that `count` of `room` columns is `percent` % of them, give or take one for rounding. */
function assertShare(count: number | undefined, room: number, percent: number, what: string): void {
  assert.ok(room > 20, `room ${room}`);
  assert.ok(count !== undefined && Math.abs(count - (room * percent) / 100) <= 1, `${what}: ${count} of ${room} is not ${percent} %`);
}

test('a CPU bar is filled by user, system and other (irq + steal) time in their shares of the room beside the text', () => {
  const { room, by } = fill(header()[0] ?? []);
  assertShare(by.get('cpu-user'), room, 50, 'user');
  assertShare(by.get('cpu-system'), room, 15, 'system');
  assertShare(by.get('cpu-other'), room, 10, 'irq + steal');
  assert.equal(by.size, 3);
});

test('the Mem bar is filled by used, buffers and cache memory in their shares of the total, the Swp bar by swap used', () => {
  const [, , mem, swp] = header();
  const m = fill(mem ?? []);
  assertShare(m.by.get('mem-used'), m.room, 37.5, 'used');
  assertShare(m.by.get('mem-buffers'), m.room, 3.125, 'buffers');
  assertShare(m.by.get('mem-cache'), m.room, 25, 'cache');
  const w = fill(swp ?? []);
  assertShare(w.by.get('swap-used'), w.room, 25, 'swap');
});

test('past 8 CPUs every CPU still has its own bar, in side-by-side columns numbered down each column', () => {
  const s = twoCpuSnapshot();
  const busy = Array.from({ length: 12 }, (_, i) => cpu(i * 5, 0));
  const twelve = makeSnapshot(MIXED, { system: { ...s.system, cpus: busy } });
  const { left } = columnsOf(header(twelve));
  // 12 CPUs: two columns of 6 rows, then Mem and Swp.
  assert.equal(left.length, 8);
  const labels = left.slice(0, 6).map((line) => [...line.matchAll(/(\d+)\[/g)].map((m) => Number(m[1])));
  assert.deepEqual(labels, [[0, 6], [1, 7], [2, 8], [3, 9], [4, 10], [5, 11]]);
  const percents = left.slice(0, 6).flatMap((line) => [...line.matchAll(/([\d.]+)%\]/g)].map((m) => Number(m[1])));
  assert.deepEqual([...percents].sort((x, y) => x - y), busy.map((c) => c.busy));
  assert.match(left[6] ?? '', /^Mem\[/);
});

test('with many CPUs on a narrow header the columns of bars are capped so each bar stays readable', () => {
  const s = twoCpuSnapshot();
  const many = makeSnapshot(MIXED, { system: { ...s.system, cpus: Array.from({ length: 64 }, () => cpu(10, 0)) } });
  const lines = header(many, { width: 80 }).map(lineText);
  const cpuLines = lines.filter((t) => /^\s*\d+\[/.test(t));
  const perLine = cpuLines.map((t) => [...t.slice(0, 39).matchAll(/\d+\[/g)].length);
  assert.equal(perLine.reduce((a, b) => a + b, 0), 64, 'all 64 CPUs shown');
  assert.ok(Math.max(...perLine) <= 2, `at most 2 bars per line in 39 columns: ${perLine.join(',')}`);
});

test('the Mem bar shows used/total and the Swp bar swap used/total', () => {
  const { left } = columnsOf(header());
  assert.match(left[2] ?? '', /^Mem\[\|+ +3\.00G\/8\.00G\]$/);
  assert.match(left[3] ?? '', /^Swp\[\|+ +512\.0M\/2\.00G\]$/);
});

test('the Swp bar of a host without swap is empty and reads 0B/0B', () => {
  const s = twoCpuSnapshot();
  const noSwap = makeSnapshot(MIXED, { system: { ...s.system, memory: { ...s.system.memory, swapTotal: 0, swapUsed: 0 } } });
  assert.match(columnsOf(header(noSwap)).left[3] ?? '', /^Swp\[ +0B\/0B\]$/);
});

test('the tasks line counts processes, threads and running processes', () => {
  assert.equal(columnsOf(header()).right[0], 'Tasks: 10, 16 thr; 2 running');
});

test('the states line counts R S D T Z I, with traced (t) counted as T', () => {
  assert.equal(columnsOf(header()).right[1], 'States: R:2 S:3 D:1 T:2 Z:1 I:1');
});

test('a non-zero Z count is styled alert and a non-zero D count warn', () => {
  const lines = header();
  assert.equal(segment(lines, 'Z:1').style, 'alert');
  assert.equal(segment(lines, 'D:1').style, 'warn');
});

test('zero Z and D counts are styled as plain values', () => {
  const lines = header(twoCpuSnapshot(CALM));
  assert.equal(segment(lines, 'Z:0').style, 'value');
  assert.equal(segment(lines, 'D:0').style, 'value');
});

test('non-zero counts of the other states are not highlighted', () => {
  const lines = header();
  assert.deepEqual(['R:2', 'S:3', 'T:2', 'I:1'].map((t) => segment(lines, t).style), ['value', 'value', 'value', 'value']);
});

test('with the default theme a zombie count is drawn white on red and a zero one just bold', () => {
  const alarming = markup(header().find((l) => lineText(l).includes('States:')) ?? [], DEFAULT_THEME);
  const calm = markup(header(twoCpuSnapshot(CALM)).find((l) => lineText(l).includes('States:')) ?? [], DEFAULT_THEME);
  assert.ok(alarming.includes('{white-fg}{red-bg}{bold}Z:1{/bold}{/red-bg}{/white-fg}'), alarming);
  assert.ok(alarming.includes('{black-fg}{yellow-bg}D:1{/yellow-bg}{/black-fg}'), alarming);
  assert.ok(calm.includes('{bold}Z:0{/bold}'), calm);
  assert.ok(!calm.includes('red-bg') && !calm.includes('yellow-bg'), calm);
});

test('the load line shows the 1, 5 and 15 minute averages with two decimals', () => {
  assert.equal(columnsOf(header()).right[2], 'Load average: 1.50 0.75 0.10');
});

test('the uptime line shows days and clock time, then the hostname', () => {
  assert.equal(columnsOf(header()).right[3], `Uptime: 3d 04:05:06  Host: ${HOST}`);
});

test('a hostname with control characters is shown escaped, never raw', () => {
  const text = header(twoCpuSnapshot(), { hostname: 'web\x1b[2J01' }).map(lineText).join('\n');
  assert.ok(!text.includes('\x1b'), text);
  assert.ok(text.includes('Host: web\\x1b[2J01'), text);
});

test('given its own cost, the header shows proctop\'s CPU% and RSS, dimmed', () => {
  const lines = header(twoCpuSnapshot(), { self: SELF });
  assert.equal(columnsOf(lines).right[4], 'proctop: 2.5% CPU, 50.0M RSS');
  assert.equal(segment(lines, '2.5% CPU, 50.0M RSS').style, 'dim');
});

test('without its own cost there is no proctop line; before the first CPU reading the line holds its place', () => {
  const none = header(twoCpuSnapshot(), { self: undefined });
  assert.equal(none.length, 4);
  assert.ok(!none.map(lineText).join('\n').includes('proctop:'));
  assert.equal(columnsOf(header(twoCpuSnapshot(), { self: { cpu: undefined, rss: 50 * MiB } })).right[4], 'proctop: …% CPU, 50.0M RSS');
  assert.equal(columnsOf(header(twoCpuSnapshot(), { self: { cpu: undefined, rss: undefined } })).right[4], 'proctop: …% CPU, … RSS');
});

test('only the chosen meters are shown', () => {
  const lines = header(twoCpuSnapshot(), { self: SELF, meters: ['memory', 'load'] });
  assert.deepEqual(columnsOf(lines), { left: [columnsOf(header()).left[2]], right: ['Load average: 1.50 0.75 0.10'] });
});

test('below 60 columns the meters stack in one column: CPUs, Mem, Swp, then the text lines', () => {
  const starts = header(twoCpuSnapshot(), { width: 50, self: SELF }).map((l) => lineText(l).split(/[[:]/)[0]);
  assert.deepEqual(starts, ['  0', '  1', 'Mem', 'Swp', 'Tasks', 'States', 'Load average', 'Uptime', 'proctop']);
});

test('the header never has more than maxLines lines', () => {
  assert.equal(header(twoCpuSnapshot(), { self: SELF, maxLines: 3 }).length, 3);
  assert.equal(header(twoCpuSnapshot(), { width: 50, self: SELF, maxLines: 3 }).length, 3);
});

test('a frame built by buildView carries this header, own cost included', () => {
  const columns = DEFAULT_COLUMNS.map((id) => findColumn(id) as Column);
  const snapshot = twoCpuSnapshot();
  const state = makeUiState();
  const vm = buildView(state, { snapshot, previous: undefined, width: WIDTH, height: 40, columns, hostname: HOST, self: SELF, tzOffset: 0 }, frameRows(state, snapshot, undefined));
  assert.deepEqual(vm.header, header(snapshot, { self: SELF }));
  assert.ok(vm.header.map(lineText).some((t) => t.includes('proctop: 2.5% CPU, 50.0M RSS')));
});

test('a frame shows only the meters in the UI state', () => {
  const columns = DEFAULT_COLUMNS.map((id) => findColumn(id) as Column);
  const snapshot = twoCpuSnapshot();
  const state = makeUiState({ meters: ['tasks', 'states'] });
  const vm = buildView(state, { snapshot, previous: undefined, width: WIDTH, height: 40, columns, hostname: HOST, self: SELF, tzOffset: 0 }, frameRows(state, snapshot, undefined));
  assert.deepEqual(columnsOf(vm.header), { left: [], right: ['Tasks: 10, 16 thr; 2 running', 'States: R:2 S:3 D:1 T:2 Z:1 I:1'] });
});

test('the meter table has one row per meter id, each naming its own id', () => {
  assert.deepEqual(Object.keys(METER_TABLE), [...METERS]);
  for (const [key, row] of Object.entries(METER_TABLE)) assert.equal(row.id, key);
});

test('a meter is one row: a row added to the table is drawn in its column, and hidden when it says so', () => {
  const extra = (column: MeterRow['column'], hidden: boolean): MeterRow => ({
    id: 'load', column, description: 'test-only', hidden: () => hidden,
    lines: (ctx, width) => [[{ text: `extra ${ctx.snapshot.processCount} in ${width}`, style: 'value' }]],
  });
  const rows = (...more: MeterRow[]): MeterRow[] => [...METERS.map((id) => METER_TABLE[id]), ...more];
  const shown = columnsOf(buildHeader(twoCpuSnapshot(), WIDTH, 64, HOST, SELF, undefined, ALL_METERS, rows(extra('left', false))));
  assert.equal(shown.left[shown.left.length - 1], `extra 10 in ${LEFT}`);
  const right = columnsOf(buildHeader(twoCpuSnapshot(), WIDTH, 64, HOST, SELF, undefined, ALL_METERS, rows(extra('right', false))));
  assert.equal(right.right[right.right.length - 1], `extra 10 in ${WIDTH - WIDTH / 2 - 1}`);
  const hidden = buildHeader(twoCpuSnapshot(), WIDTH, 64, HOST, SELF, undefined, ALL_METERS, rows(extra('left', true)));
  assert.deepEqual(hidden, header(twoCpuSnapshot(), { self: SELF }));
});

test('every bar meter (the left column) draws its lines within the width it is given', () => {
  const ctx = { snapshot: twoCpuSnapshot(), hostname: HOST, self: SELF };
  const bars = METERS.filter((id) => METER_TABLE[id].column === 'left');
  assert.ok(bars.length >= 3);
  for (const id of bars) {
    for (const width of [10, 29, 59]) {
      for (const line of METER_TABLE[id].lines(ctx, width)) assert.ok(displayWidth(lineText(line)) <= width, `${id} at ${width}: ${JSON.stringify(lineText(line))}`);
    }
  }
});

test('disk and net meters: bytes per second read/written and received/sent, in the right column under the uptime', () => {
  const s = makeSnapshot(CALM, { system: makeSystem({ cpus: [cpu(0, 0)], disk: { read: 1536, write: 12 * MiB, disks: 1 }, net: { rx: 300, tx: 2.5 * GiB, interfaces: 2 } }) });
  const right = buildHeader(s, WIDTH, 20, HOST).map((l) => lineText(l).slice(LEFT + 2));
  const uptime = right.findIndex((l) => l.startsWith('Uptime:'));
  assert.ok(uptime >= 0, right.join('\n'));
  assert.match(right[uptime + 1] ?? '', /^Disk: 1\.5K\/s read, 12M\/s write\s/);
  assert.match(right[uptime + 2] ?? '', /^Net: 300B\/s rx, 2\.5G\/s tx\s/);
});

test('a live first frame holds the lines of the rates that come with the second, so nothing below them moves (1 CPU, no PSI: the right column is the taller)', () => {
  const system = makeSystem({ cpus: [cpu(0, 0)] });
  const first = buildHeader(makeSnapshot(CALM, { system, ratesNext: { disk: true, net: true } }), WIDTH, 20, HOST, { cpu: undefined, rss: 50 * MiB });
  const second = buildHeader(makeSnapshot(CALM, { system: { ...system, disk: { read: 1536, write: 0, disks: 1 }, net: { rx: 0, tx: 300, interfaces: 1 } } }), WIDTH, 20, HOST, SELF);
  assert.equal(first.length, second.length, `first:\n${first.map(lineText).join('\n')}\nsecond:\n${second.map(lineText).join('\n')}`);
  assert.deepEqual(columnsOf(first).right.slice(4), ['Disk: … read, … write', 'Net: … rx, … tx', 'proctop: …% CPU, 50.0M RSS']);
  assert.deepEqual(columnsOf(second).right.slice(4).map((l) => l.split(':')[0]), ['Disk', 'Net', 'proctop']);
  const onlyDisk = buildHeader(makeSnapshot(CALM, { system, ratesNext: { disk: true, net: false } }), WIDTH, 20, HOST).map(lineText);
  assert.ok(onlyDisk.some((l) => /Disk: … read/.test(l)) && !onlyDisk.some((l) => /Net:/.test(l)), onlyDisk.join('\n'));
});

test('disk and net meters take no line before their first rate unless a live first scan says it comes, nor when turned off in the meters setting', () => {
  const none = buildHeader(makeSnapshot(CALM, { system: makeSystem({ cpus: [cpu(0, 0)] }) }), WIDTH, 20, HOST).map(lineText);
  assert.ok(!none.some((l) => /Disk:|Net:/.test(l)), none.join('\n'));
  const s = makeSnapshot(CALM, { system: makeSystem({ cpus: [cpu(0, 0)], disk: { read: 0, write: 0, disks: 1 }, net: { rx: 0, tx: 0, interfaces: 1 } }) });
  const off = buildHeader(s, WIDTH, 20, HOST, undefined, undefined, new Set(METERS.filter((m) => m !== 'disk' && m !== 'net'))).map(lineText);
  assert.ok(!off.some((l) => /Disk:|Net:/.test(l)), off.join('\n'));
});

test('a host with no counted disk says so on the disk line', () => {
  const s = makeSnapshot(CALM, { system: makeSystem({ cpus: [cpu(0, 0)], disk: { read: 0, write: 0, disks: 0 } }) });
  assert.ok(buildHeader(s, WIDTH, 20, HOST).map(lineText).some((l) => /Disk: 0\/s read, 0\/s write no disk/.test(l)));
});

test('a partial first frame (only its first screen read) shows the process count, and the threads and states as not yet counted', () => {
  const columns = DEFAULT_COLUMNS.map((id) => findColumn(id) as Column);
  const snapshot = { ...makeSnapshot(MIXED), processCount: 812, partial: true as const };
  const state = makeUiState({ meters: ['tasks', 'states'] });
  const vm = buildView(state, { snapshot, previous: undefined, width: WIDTH, height: 40, columns, hostname: HOST, self: SELF, tzOffset: 0 }, frameRows(state, snapshot, undefined));
  assert.deepEqual(columnsOf(vm.header), { left: [], right: ['Tasks: 812, … thr; … running', 'States: R:… S:… D:… T:… Z:… I:…'] });
  const styles = vm.header.flat().filter((s) => s.text.startsWith('Z:') || s.text.startsWith('D:')).map((s) => s.style);
  assert.deepEqual(styles, ['value', 'value'], 'nothing stands out before it is counted');
});
