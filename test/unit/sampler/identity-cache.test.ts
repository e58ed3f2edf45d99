import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identityKey, ProcessIdentity } from '../../../src/model/snapshot';
import { IdentityCache } from '../../../src/sampler/identity-cache';
import { cpuUsage, totalJiffies } from '../../../src/sampler/cpu-usage';

const id = (pid: number, startTicks: number): ProcessIdentity => ({ pid, startTicks });
const always = (): boolean => true;

/** A loader that counts its calls and returns a new value each time. */
function counter(): { load: () => string; calls: () => number } {
  let n = 0;
  return { load: () => `v${++n}`, calls: () => n };
}

test('IdentityCache loads once per identity and then returns the cached value', () => {
  const cache = new IdentityCache<string>();
  const c = counter();
  assert.equal(cache.get(id(7, 100), always, c.load), 'v1');
  assert.equal(cache.get(id(7, 100), always, c.load), 'v1');
  assert.equal(c.calls(), 1);
});

test('IdentityCache reloads when fresh() rejects the cached value', () => {
  const cache = new IdentityCache<string>();
  const c = counter();
  cache.get(id(7, 100), always, c.load);
  assert.equal(cache.get(id(7, 100), () => false, c.load), 'v2');
  assert.equal(cache.size, 1);
});

test('IdentityCache keeps a reused pid (new start time) apart from the old process', () => {
  const cache = new IdentityCache<string>();
  const c = counter();
  cache.get(id(7, 100), always, c.load);
  assert.equal(cache.get(id(7, 900), always, c.load), 'v2');
  assert.equal(cache.size, 2);
});

test('IdentityCache.retainOnly evicts the entries of processes that are gone', () => {
  const cache = new IdentityCache<string>();
  const c = counter();
  for (const pid of [1, 2, 3]) cache.get(id(pid, 10), always, c.load);
  cache.retainOnly(new Map([[identityKey(id(2, 10)), 0]]));
  assert.equal(cache.size, 1);
  assert.equal(cache.get(id(2, 10), always, c.load), 'v2', 'the survivor is still cached');
  assert.equal(cache.get(id(1, 10), always, c.load), 'v4', 'an evicted process is loaded anew');
});

test('IdentityCache.retainOnly with the old pid alive but a new start time evicts the old entry', () => {
  const cache = new IdentityCache<string>();
  cache.get(id(7, 100), always, () => 'old');
  cache.retainOnly(new Map([[identityKey(id(7, 900)), 0]]));
  assert.equal(cache.size, 0);
});

// cpu-usage

const times = (user: number, idle: number, over: Partial<Record<'nice' | 'system' | 'iowait' | 'irq' | 'softirq' | 'steal', number>> = {}) =>
  ({ user, nice: 0, system: 0, idle, iowait: 0, irq: 0, softirq: 0, steal: 0, ...over });

test('totalJiffies sums all eight counters', () => {
  assert.equal(totalJiffies({ user: 1, nice: 2, system: 3, idle: 4, iowait: 5, irq: 6, softirq: 7, steal: 8 }), 36);
});

test('cpuUsage counts nice as user time', () => {
  assert.equal(cpuUsage(times(30, 50, { nice: 20 }), times(0, 0)).user, 50);
});

test('cpuUsage of counters that did not move is all zero', () => {
  assert.deepEqual(cpuUsage(times(5, 5), times(5, 5)), { user: 0, system: 0, iowait: 0, steal: 0, other: 0, busy: 0 });
});

test('cpuUsage counts a counter that went backwards (hot-plug) as zero', () => {
  assert.deepEqual(cpuUsage(times(10, 100), times(50, 0)), { user: 0, system: 0, iowait: 0, steal: 0, other: 0, busy: 0 });
});
