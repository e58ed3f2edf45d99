import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCounters, CounterReading } from '../../../src/serve/group-counters';
import { assignGroups, groupFamilies, MemberReading } from '../../../src/serve/group-families';
import { identityKey } from '../../../src/model/snapshot';
import { makeSnapshot } from '../../helpers/process-fixture';

const NOW = 1_700_000_100_000;
const ctx = { now: NOW, stuckAfterMs: 5000 };
const reading = (over: Partial<CounterReading> = {}): CounterReading => ({
  cpuUser: 1, cpuSystem: 2, minorFaults: 3, majorFaults: 4, voluntarySwitches: 5, involuntarySwitches: 6, readBytes: 7, writeBytes: 8, ...over,
});

test('a process joins the first group whose query matches it, as in process-exporter', () => {
  const snap = makeSnapshot([{ pid: 1, name: 'nginx', user: 'www-data' }, { pid: 2, name: 'nginx', user: 'root' }, { pid: 3, name: 'celery' }], { time: NOW });
  const groups = assignGroups(snap, [{ name: 'web', query: 'name:nginx user:www-data' }, { name: 'any-nginx', query: 'name:nginx' }, { name: 'none', query: 'name:absent' }], ctx);
  assert.deepEqual([...groups].map(([g, ps]) => [g, ps.map((p) => p.pid)]), [['web', [1]], ['any-nginx', [2]], ['none', []]]);
});

test('thread rows never join a group', () => {
  const snap = makeSnapshot([{ pid: 1, name: 'w', threads: 2 }, { pid: 2, tgid: 1, thread: true, name: 'w' }], { time: NOW });
  assert.deepEqual(assignGroups(snap, [{ name: 'w', query: 'name:w' }], ctx).get('w')?.map((p) => p.pid), [1]);
});

test("group families use process-exporter's names, labels and state names", () => {
  const snap = makeSnapshot([
    { pid: 1, name: 'w', state: 'S', threads: 3, rss: 100, vsz: 1000, startTime: 5_000 },
    { pid: 2, name: 'w', state: 'D', threads: 1, rss: 50, vsz: 500, startTime: 3_000 },
    { pid: 3, name: 'w', state: 'Z', threads: 1, rss: 0, vsz: 0, startTime: 9_000 },
  ], { time: NOW });
  const members = assignGroups(snap, [{ name: 'work', query: 'name:w' }, { name: 'idle', query: 'name:nothing' }], ctx);
  const readings = new Map<string, MemberReading>(snap.processes.map((p) => [identityKey(p), { counters: reading(), swapBytes: 10, openFds: p.pid * 10, maxFds: 100 }]));
  const counters = new GroupCounters();
  counters.update(new Map([...members].map(([g, ps]) => [g, new Map(ps.map((p) => [identityKey(p), reading()]))])));
  const families = groupFamilies(members, readings, (g) => counters.totalsOf(g));
  const get = (name: string, group: string, label?: [string, string]): number | undefined =>
    families.find((f) => f.name === `namedprocess_namegroup_${name}`)?.samples
      .find((s) => s.labels[0]?.[1] === group && (label === undefined || s.labels.some(([k, v]) => k === label[0] && v === label[1])))?.value;
  assert.equal(get('num_procs', 'work'), 3);
  assert.equal(get('num_procs', 'idle'), 0);
  assert.equal(get('num_threads', 'work'), 5);
  assert.equal(get('memory_bytes', 'work', ['memtype', 'resident']), 150);
  assert.equal(get('memory_bytes', 'work', ['memtype', 'virtual']), 1500);
  assert.equal(get('memory_bytes', 'work', ['memtype', 'swapped']), 30);
  assert.equal(get('states', 'work', ['state', 'Sleeping']), 1);
  assert.equal(get('states', 'work', ['state', 'Waiting']), 1);
  assert.equal(get('states', 'work', ['state', 'Zombie']), 1);
  assert.equal(get('oldest_start_time_seconds', 'work'), 3);
  assert.equal(get('oldest_start_time_seconds', 'idle'), 0);
  assert.equal(get('open_filedesc', 'work'), 60);
  assert.equal(get('worst_fd_ratio', 'work'), 0.3);
  assert.equal(get('cpu_seconds', 'work', ['mode', 'user']), 3);
  assert.equal(get('cpu_seconds', 'work', ['mode', 'system']), 6);
  assert.equal(get('context_switches', 'work', ['ctxswitchtype', 'voluntary']), 15);
  for (const f of families) assert.ok(f.samples.every((s) => s.labels[0]?.[0] === 'groupname'), f.name);
  const types = Object.fromEntries(families.map((f) => [f.name, f.type]));
  assert.equal(types.namedprocess_namegroup_cpu_seconds, 'counter');
  assert.equal(types.namedprocess_namegroup_memory_bytes, 'gauge');
});

test('a group counter never goes down when a member exits', () => {
  const c = new GroupCounters();
  c.update(new Map([['g', new Map([['1:1', reading({ cpuUser: 10 })], ['2:2', reading({ cpuUser: 5 })]])]]));
  assert.equal(c.totalsOf('g').cpuUser, 15);
  c.update(new Map([['g', new Map([['1:1', reading({ cpuUser: 12 })]])]]));
  assert.equal(c.totalsOf('g').cpuUser, 17);
});

test('a new member (or a reused pid with a new start time) adds its whole value', () => {
  const c = new GroupCounters();
  c.update(new Map([['g', new Map([['1:1', reading({ readBytes: 100 })]])]]));
  c.update(new Map([['g', new Map([['1:2', reading({ readBytes: 40 })]])]]));
  assert.equal(c.totalsOf('g').readBytes, 140);
});

test('an unreadable counter adds nothing and a later reading starts from its whole value', () => {
  const c = new GroupCounters();
  c.update(new Map([['g', new Map([['1:1', reading({ readBytes: undefined })]])]]));
  assert.equal(c.totalsOf('g').readBytes, 0);
  c.update(new Map([['g', new Map([['1:1', reading({ readBytes: 9 })]])]]));
  assert.equal(c.totalsOf('g').readBytes, 9);
});

test('members come and go over 1,000 scans and the total keeps every increase; a group dropped from the config loses its totals', () => {
  const c = new GroupCounters();
  for (let i = 0; i < 1000; i++) c.update(new Map([['g', new Map([[`${i}:1`, reading()]])]]));
  assert.equal(c.totalsOf('g').cpuUser, 1000);
  c.retainGroups([]);
  assert.equal(c.totalsOf('g').cpuUser, 0);
});
