/** The cgroupfs parsers on text as the kernel writes it: v1, v2, `max`, missing keys, junk. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { membership, parseCgroup } from '../../../src/procfs/parse/cgroup';
import { parseCfsQuota, parseCpuMax, parseCpuStat, quotaCpus } from '../../../src/procfs/parse/cgroup-cpu';
import { parseOomKills } from '../../../src/procfs/parse/cgroup-memory';
import { parseCount, parseLimit } from '../../../src/procfs/parse/cgroup-value';
import { dockerConfigName } from '../../../src/procfs/parse/docker-config';
import { parseCgroupMounts } from '../../../src/procfs/parse/mountinfo';
import { parsePressure } from '../../../src/procfs/parse/pressure';
import { Result } from '../../../src/base/result';

function ok<T>(parsed: Result<T>): T {
  if (!parsed.ok) assert.fail(`unexpected parse error: ${parsed.error}`);
  return parsed.value;
}

const members = (text: string) => membership(ok(parseCgroup(text)));

test('membership of a pure v2 process is its 0:: path', () => {
  const m = members('0::/system.slice/nginx.service\n');
  assert.deepEqual([m.path, m.version, m.v1.size], ['/system.slice/nginx.service', 2, 0]);
});

test('membership on this VM (0::/ and memory:/process_api/…) names the v1 memory path', () => {
  const m = members('9:name=systemd:/\n4:memory:/process_api/5899bb\n2:cpuacct:/\n1:cpu:/\n0::/\n');
  assert.deepEqual([m.path, m.version, m.v2], ['/process_api/5899bb', 1, '/']);
  assert.equal(m.v1.get('cpuacct'), '/');
});

test('membership prefers cpu over memory over name=systemd among v1 paths below the root', () => {
  assert.equal(members('3:memory:/m\n2:cpu,cpuacct:/c\n1:name=systemd:/s\n').path, '/c');
  assert.equal(members('3:memory:/m\n2:cpu,cpuacct:/\n1:name=systemd:/s\n').path, '/m');
  assert.equal(members('3:memory:/\n2:cpu,cpuacct:/\n1:name=systemd:/user.slice/x.scope\n').path, '/user.slice/x.scope');
});

test('membership splits co-mounted controllers so cpu and cpuacct are found apart', () => {
  const m = members('2:cpu,cpuacct:/docker/abc\n');
  assert.deepEqual([m.v1.get('cpu'), m.v1.get('cpuacct'), m.version], ['/docker/abc', '/docker/abc', 1]);
});

test('membership in the root everywhere is / on v2', () => {
  assert.deepEqual([members('1:cpu:/\n0::/\n').path, members('1:cpu:/\n0::/\n').version], ['/', 2]);
});

test('parseCgroupMounts finds v1 controllers, name=systemd and the v2 mount, skipping other file systems', () => {
  const text = [
    '30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
    '28 25 0:25 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct',
    '26 25 0:23 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,release_agent=/lib/x,name=systemd',
    '40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate',
  ].join('\n');
  assert.deepEqual(parseCgroupMounts(text), [
    { version: 1, mountPoint: '/sys/fs/cgroup/cpu,cpuacct', root: '/', controllers: ['cpu', 'cpuacct'] },
    { version: 1, mountPoint: '/sys/fs/cgroup/systemd', root: '/', controllers: ['name=systemd'] },
    { version: 2, mountPoint: '/sys/fs/cgroup/unified', root: '/', controllers: [] },
  ]);
});

test('parseCgroupMounts decodes octal escapes, keeps the first of a bind-mounted hierarchy and the mount root', () => {
  const text = '1 0 0:1 /docker/abc /sys/fs/cg\\040x rw - cgroup2 cgroup2 rw\n2 0 0:1 / /other rw - cgroup2 cgroup2 rw\n';
  assert.deepEqual(parseCgroupMounts(text), [{ version: 2, mountPoint: '/sys/fs/cg x', root: '/docker/abc', controllers: [] }]);
});

test('parseCgroupMounts on junk lines returns no mounts and does not throw', () => {
  fc.assert(fc.property(fc.string(), (s) => Array.isArray(parseCgroupMounts(s))));
  assert.deepEqual(parseCgroupMounts('garbage - cgroup2\n - cgroup\n'), []);
});

test('parseCpuStat reads v2 usage and throttling in µs', () => {
  assert.deepEqual(parseCpuStat('usage_usec 90\nuser_usec 80\nsystem_usec 10\nnr_periods 1000\nnr_throttled 250\nthrottled_usec 4000\n'),
    { usageUsec: 90, periods: 1000, throttled: 250, throttledUsec: 4000 });
});

test('parseCpuStat converts v1 throttled_time from ns to µs and has no usage', () => {
  assert.deepEqual(parseCpuStat('nr_periods 120\nnr_throttled 90\nthrottled_time 5400001999\n'), { usageUsec: undefined, periods: 120, throttled: 90, throttledUsec: 5400001 });
});

test('parseCpuStat of a controller-less v2 cgroup leaves throttling unknown, not zero', () => {
  assert.deepEqual(parseCpuStat('usage_usec 341760000\nuser_usec 247552000\nsystem_usec 94208000\nnice_usec 0\n'),
    { usageUsec: 341760000, periods: undefined, throttled: undefined, throttledUsec: undefined });
});

test('parseCpuMax reads a quota and max; a zero period or junk is an error value', () => {
  assert.deepEqual(ok(parseCpuMax('150000 100000\n')), { quota: 150000, period: 100000 });
  assert.deepEqual(ok(parseCpuMax('max 100000\n')), { quota: 'max', period: 100000 });
  assert.ok(!parseCpuMax('1 0\n').ok);
  assert.ok(!parseCpuMax('max\n').ok);
  assert.equal(quotaCpus({ quota: 150000, period: 100000 }), 1.5);
  assert.equal(quotaCpus({ quota: 'max', period: 100000 }), 'max');
});

test('parseCfsQuota reads -1 as no limit', () => {
  assert.deepEqual(ok(parseCfsQuota('-1\n', '100000\n')), { quota: 'max', period: 100000 });
  assert.deepEqual(ok(parseCfsQuota('20000\n', '100000\n')), { quota: 20000, period: 100000 });
  assert.ok(!parseCfsQuota('x', '100000').ok);
  assert.ok(!parseCfsQuota('5', '0').ok);
});

test('parseLimit reads max, a number, and v1 unlimited (PAGE_COUNTER_MAX bytes) as max', () => {
  assert.equal(ok(parseLimit('max\n', 'memory.max')), 'max');
  assert.equal(ok(parseLimit('1073741824\n', 'memory.max')), 1073741824);
  assert.equal(ok(parseLimit('9223372036854771712\n', 'memory.limit_in_bytes')), 'max');
  assert.ok(!parseLimit('', 'pids.max').ok);
});

test('parseCount rejects negatives, words and empty files', () => {
  assert.equal(ok(parseCount('5939200\n', 'memory.usage_in_bytes')), 5939200);
  for (const bad of ['-1', 'max', '', '1 2']) assert.ok(!parseCount(bad, 'x').ok, bad);
});

test('parseOomKills reads memory.events and v1 oom_control; an old kernel without the line is an error value', () => {
  assert.equal(ok(parseOomKills('low 0\nhigh 0\nmax 12\noom 3\noom_kill 2\noom_group_kill 0\n')), 2);
  assert.equal(ok(parseOomKills('oom_kill_disable 0\nunder_oom 0\noom_kill 7\n', 'memory.oom_control')), 7);
  assert.ok(!parseOomKills('oom_kill_disable 0\nunder_oom 0\n').ok);
});

test('parsePressure reads some and full lines; cpu without full leaves full undefined', () => {
  const p = ok(parsePressure('some avg10=3.74 avg60=15.88 avg300=14.31 total=81688020\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n'));
  assert.deepEqual(p.some, { avg10: 3.74, avg60: 15.88, avg300: 14.31, total: 81688020 });
  assert.deepEqual(p.full, { avg10: 0, avg60: 0, avg300: 0, total: 0 });
  assert.equal(ok(parsePressure('some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n')).full, undefined);
});

test('parsePressure on junk or a file without a some line is an error value', () => {
  assert.ok(!parsePressure('').ok);
  assert.ok(!parsePressure('full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n').ok);
  assert.ok(!parsePressure('some avg10=x\n').ok);
  fc.assert(fc.property(fc.string(), (s) => { parsePressure(s); return true; }));
});

test('dockerConfigName takes the Name without its slash; junk and nameless files give undefined', () => {
  assert.equal(dockerConfigName('{"ID":"3f2a","Name":"/web-1","Config":{}}'), 'web-1');
  assert.equal(dockerConfigName('{"Name":"/"}'), undefined);
  assert.equal(dockerConfigName('not json'), undefined);
  assert.equal(dockerConfigName('{"Name":5}'), undefined);
});
