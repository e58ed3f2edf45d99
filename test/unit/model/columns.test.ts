import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CellContext, COLUMNS, DEFAULT_COLUMNS, findColumn } from '../../../src/model/columns';
import type { ProcessInfo } from '../../../src/model/snapshot';
import { displayWidth } from '../../../src/view/text';

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const CTX: CellContext = { now: NOW, tzOffset: 0 };
const TIB = 2 ** 40;

function proc(over: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid: 1234, startTicks: 5000, ppid: 1, tgid: 1234, pgid: 1234, sid: 1234, tty: 'pts/0', state: 'S',
    name: 'bash', command: '/bin/bash', kernel: false, thread: false, uid: 1000, user: 'alice',
    priority: 20, nice: 0, threads: 1, startTime: NOW - 3_600_000, cpuTicks: 150, cpuTime: 1.5,
    rss: 4_194_304, vsz: 8_867_840, shared: 2_097_152, cpu: 2.5, mem: 0.1,
    wchan: undefined, stateSince: NOW - 5000, exeDeleted: false, orphan: false, cgroup: undefined, container: undefined, unit: undefined, cgroupFlags: '', swap: undefined, oomScore: undefined, oomScoreAdj: undefined, ioReadRate: undefined, ioWriteRate: undefined, ioDenied: undefined, ...over,
  };
}

/** Ordinary and extreme processes; every fixed-width column must fit all of them. */
const SAMPLES: readonly ProcessInfo[] = [
  proc(),
  proc({ cpu: undefined, mem: undefined, uid: undefined, user: undefined, tty: undefined, shared: undefined, rss: undefined }),
  proc({ pid: 4_194_304, ppid: 4_194_303, pgid: 4_194_304, sid: 4_194_304, tgid: 4_194_304 }), // pid_max on 64-bit
  proc({ vsz: TIB, rss: TIB, shared: TIB }), // 1 TB
  proc({ vsz: 128 * TIB, rss: 99.96 * 1024 ** 3, shared: 9999.6 * 1024 ** 2 }), // 47-bit address space, rounding edges
  proc({ cpuTime: 36_000_000, cpuTicks: 3_600_000_000 }), // 10,000 h
  proc({ cpuTime: 359_999.99 }), // 99h59:59
  proc({ cpu: 9999, mem: 100 }),
  proc({ cpu: 99.96, mem: 99.949 }),
  proc({ priority: -100, nice: -20 }), // real-time
  proc({ priority: -51, nice: 19 }),
  proc({ priority: 39 }),
  proc({ threads: 9999 }),
  proc({ uid: 65534, user: 'nobody' }),
  proc({ uid: 165_536, user: '165536' }), // rootless container subuid
  proc({ tty: 'pts/300' }),
  proc({ state: 'Z' }),
  proc({ startTime: NOW - 40 * 86_400_000 }),
  proc({ startTime: Date.UTC(2019, 0, 1) }),
  proc({ name: 'kworker/u8:0-ev' }),
  proc({ name: '日本語プロ' }),
  proc({ state: 'D', wchan: 'do_sys_poll' }),
  proc({ stateSince: NOW - 99 * 86_400_000 - 3_600_000 }), // 99d01h
  proc({ stateSince: NOW - 10_000 * 86_400_000 }), // 10000d
  proc({ swap: 99.96 * 1024 ** 3, oomScore: 2000, oomScoreAdj: -1000, ioReadRate: 999.4 * 1024 ** 3, ioWriteRate: 1023.9 * 1024 }),
  proc({ oomScore: 0, oomScoreAdj: 1000, ioReadRate: 0, ioWriteRate: 0.3 }),
  proc({ ioDenied: true }),
];

test('column ids are unique', () => {
  const ids = COLUMNS.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
});

test('every default column id names a column', () => {
  for (const id of DEFAULT_COLUMNS) assert.ok(findColumn(id), id);
});

test('only the last column of the table flexes to fill the line', () => {
  assert.deepEqual(COLUMNS.filter((c) => c.flex).map((c) => c.id), ['command']);
});

test('findColumn finds every column by id, case-insensitively', () => {
  for (const c of COLUMNS) {
    assert.equal(findColumn(c.id), c);
    assert.equal(findColumn(c.id.toUpperCase()), c);
  }
});

test('findColumn finds every column by its title, case-insensitively', () => {
  for (const c of COLUMNS) {
    assert.equal(findColumn(c.title), c, c.title);
    assert.equal(findColumn(c.title.toLowerCase()), c, c.title);
  }
});

test('findColumn finds columns by htop and ps aliases', () => {
  const pairs = [['PERCENT_CPU', 'cpu'], ['m_resident', 'res'], ['rss', 'res'], ['VSZ', 'virt'], ['comm', 'name'], ['cmd', 'command'], ['nlwp', 'threads'], ['Time+', 'time']];
  for (const [alias, id] of pairs) assert.equal(findColumn(alias)?.id, id, alias);
});

test('findColumn of an unknown name is undefined', () => {
  assert.equal(findColumn('nosuch'), undefined);
  assert.equal(findColumn(''), undefined);
});

test('findColumn of Object.prototype names (constructor, __proto__, toString) is undefined', () => {
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) assert.equal(findColumn(name), undefined, name);
});

test('an unknown value is shown as -', () => {
  const p = SAMPLES[1];
  for (const id of ['cpu', 'mem', 'uid', 'user', 'tty', 'shr', 'res']) assert.equal(findColumn(id)?.format(p, CTX), '-', id);
});

test('every fixed-width column\'s formatted value of every sample process fits its width', () => {
  for (const c of COLUMNS.filter((col) => !col.flex)) {
    for (const p of SAMPLES) {
      const text = c.format(p, CTX);
      assert.ok(displayWidth(text) <= c.width, `${c.id}: ${JSON.stringify(text)} is wider than ${c.width}`);
    }
  }
});

test('every column title fits its width', () => {
  for (const c of COLUMNS.filter((col) => !col.flex)) assert.ok(c.title.length <= c.width, c.id);
});

test('the PRI column shows RT for real-time priority -100', () => {
  assert.equal(findColumn('priority')?.format(proc({ priority: -100 }), CTX), 'RT');
});

test('VIRT of 1 TB is 1024G', () => {
  assert.equal(findColumn('virt')?.format(proc({ vsz: TIB }), CTX), '1024G');
});

test('TIME+ of 10,000 hours is 10000h', () => {
  assert.equal(findColumn('time')?.format(proc({ cpuTime: 36_000_000 }), CTX), '10000h');
});

test('CPU% of 9999 is 9999', () => {
  assert.equal(findColumn('cpu')?.format(proc({ cpu: 9999 }), CTX), '9999');
});

test('property: memory columns fit their width for any size up to 128 TiB', () => {
  const virt = findColumn('virt');
  assert.ok(virt);
  fc.assert(fc.property(fc.integer({ min: 0, max: 128 * TIB }), (bytes) => displayWidth(virt.format(proc({ vsz: bytes }), CTX)) <= virt.width));
});

test('property: CPU% and MEM% fit 5 columns for any value up to 9999', () => {
  const cpu = findColumn('cpu');
  assert.ok(cpu);
  fc.assert(fc.property(fc.double({ min: 0, max: 9999, noNaN: true }), (v) => displayWidth(cpu.format(proc({ cpu: v }), CTX)) <= cpu.width));
});

test('property: TIME+ fits 9 columns for any CPU time up to 10,000 hours', () => {
  const time = findColumn('time');
  assert.ok(time);
  fc.assert(fc.property(fc.integer({ min: 0, max: 3_600_000_000 }), (ticks) => displayWidth(time.format(proc({ cpuTime: ticks / 100 }), CTX)) <= time.width));
});

test('no two columns claim the same name (id, alias or query name)', () => {
  const seen = new Map<string, string>();
  for (const c of COLUMNS) {
    const names = new Set([c.id, ...(c.aliases ?? []), ...(c.query?.names ?? []), ...(c.query?.extraNames ?? [])].map((n) => n.toLowerCase()));
    for (const n of names) {
      assert.equal(seen.get(n), undefined, `${n} is claimed by ${seen.get(n) ?? ''} and ${c.id}`);
      seen.set(n, c.id);
    }
  }
});

test('aliases are lower case (lookups lower-case the name)', () => {
  for (const c of COLUMNS) for (const a of c.aliases ?? []) assert.equal(a, a.toLowerCase(), a);
});

test('READ/s and WRITE/s say denied when /proc/PID/io was refused, - when unknown, 0 when idle', () => {
  for (const id of ['ioread', 'iowrite']) {
    const c = findColumn(id);
    assert.ok(c);
    assert.equal(c.format(proc({ ioDenied: true }), CTX), 'denied', id);
    assert.equal(c.value(proc({ ioDenied: true })), undefined, `${id}: denied sorts with the unknowns`);
    assert.equal(c.format(proc({ ioDenied: false }), CTX), '-', id);
    assert.equal(c.format(proc({ ioReadRate: 0, ioWriteRate: 0, ioDenied: false }), CTX), '0', id);
  }
});

test('READ/s shows a rate in binary units: 1.5K, 12K, 980M', () => {
  const c = findColumn('ioread');
  assert.ok(c);
  assert.deepEqual([1536, 12 * 1024, 980 * 1024 ** 2].map((r) => c.format(proc({ ioReadRate: r }), CTX)), ['1.5K', '12K', '980M']);
});

test('SWAP, OOM and OOMADJ show their values; htop\'s names find them', () => {
  assert.equal(findColumn('swap')?.format(proc({ swap: 2048 * 1024 }), CTX), '2048');
  assert.equal(findColumn('OOM')?.id, 'oomscore');
  assert.equal(findColumn('m_swap')?.id, 'swap');
  assert.equal(findColumn('oomadj')?.format(proc({ oomScoreAdj: -1000 }), CTX), '-1000');
});

test('the SWAP, OOM and I/O columns declare the /proc files they need', () => {
  assert.deepEqual(['swap', 'oomscore', 'oomadj', 'ioread', 'iowrite'].map((id) => findColumn(id)?.needs), [['status'], ['oom_score'], ['oom_score_adj'], ['io'], ['io']]);
});
