import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Collector } from '../../../src/serve/collector';
import type { Snapshot } from '../../../src/model/snapshot';
import type { LiveSource } from '../../../src/sampler/source';
import type { MetricFamily } from '../../../src/serve/metric';
import { makeSnapshot } from '../../helpers/process-fixture';

/** A source whose scans finish when the test says so. */
function fakeSource(): { source: LiveSource; scans: number; finish: (s: Snapshot) => void } {
  const pending: ((s: Snapshot) => void)[] = [];
  const state = {
    scans: 0,
    finish: (s: Snapshot) => pending.shift()?.(s),
    source: {
      name: 'linux', live: true, reader: undefined, close: () => undefined, setThreads: () => undefined, setShared: () => undefined,
      probe: { startTicks: () => undefined, inspect: () => undefined, childrenOf: () => [], groupOf: () => undefined },
      sample: () => {
        state.scans++;
        return new Promise<Snapshot>((resolve) => pending.push(resolve));
      },
    } as unknown as LiveSource,
  };
  return state;
}

const value = (families: readonly MetricFamily[], name: string): number | undefined => families.find((f) => f.name === name)?.samples[0]?.value;
const snap = makeSnapshot([{ pid: 1 }, { pid: 2, ppid: 1, state: 'Z' }]);

function collector(fake: ReturnType<typeof fakeSource>, now: { t: number }, scanTimeoutMs = 50): Collector {
  return new Collector({ source: fake.source, groups: [], stuckAfterMs: 5000, zombieParents: 10, minIntervalMs: 1000, scanTimeoutMs, version: 't', revision: '', clock: () => now.t });
}

test('concurrent scrapes share one scan', async () => {
  const fake = fakeSource();
  const c = collector(fake, { t: 0 }, 5000);
  const scrapes = Promise.all([c.collect(), c.collect(), c.collect()]);
  fake.finish(snap);
  const results = await scrapes;
  assert.equal(fake.scans, 1);
  for (const r of results) assert.equal(value(r, 'proctop_zombies'), 1);
});

test('a scrape within --min-interval of the last scan reuses it; a later one scans again', async () => {
  const fake = fakeSource();
  const now = { t: 0 };
  const c = collector(fake, now, 5000);
  const first = c.collect();
  fake.finish(snap);
  await first;
  now.t = 500;
  await c.collect();
  assert.equal(fake.scans, 1);
  now.t = 1500;
  const third = c.collect();
  fake.finish(snap);
  await third;
  assert.equal(fake.scans, 2);
});

test('a scan slower than --scan-timeout: the scrape gets the previous scan and the timeout is counted', async () => {
  const fake = fakeSource();
  const now = { t: 0 };
  const c = collector(fake, now);
  const first = c.collect();
  fake.finish(snap);
  await first;
  now.t = 5000;
  const started = Date.now();
  const stale = await c.collect();
  assert.ok(Date.now() - started < 2000, 'the scrape did not wait for the scan');
  assert.equal(value(stale, 'proctop_zombies'), 1, 'previous scan served');
  assert.equal(value(stale, 'proctop_exporter_scan_timeouts'), 1);
  assert.equal(value(stale, 'proctop_exporter_snapshot_age_seconds'), 5);
  fake.finish(snap);
});

test('before any scan completes, a timed-out scrape has only the exporter metrics, with the age NaN', async () => {
  const fake = fakeSource();
  const c = collector(fake, { t: 0 });
  const families = await c.collect();
  assert.equal(families.some((f) => f.name === 'proctop_zombies'), false);
  assert.ok(Number.isNaN(value(families, 'proctop_exporter_snapshot_age_seconds')));
  fake.finish(snap);
});

test('a failed scan is counted and the scrape still answers', async () => {
  const fake = fakeSource();
  const failing = { ...fake.source, sample: () => Promise.reject(new Error('boom')) };
  const c = new Collector({ source: failing, groups: [], stuckAfterMs: 5000, zombieParents: 10, minIntervalMs: 0, scanTimeoutMs: 1000, version: 't', revision: '' });
  const families = await c.collect();
  assert.equal(value(families, 'proctop_exporter_scan_errors'), 1);
  assert.equal(value(families, 'namedprocess_scrape_errors'), 1);
});

test('with prefetch, the next round\'s scan starts a lead before it is due and that scrape finds it done', async () => {
  const fake = fakeSource();
  const now = { t: 0 };
  const timers: { run: () => void; ms: number }[] = [];
  const c = new Collector({
    source: fake.source, groups: [], stuckAfterMs: 5000, zombieParents: 10, minIntervalMs: 5000, scanTimeoutMs: 5000, version: 't', revision: '', clock: () => now.t,
    prefetch: (run, ms) => {
      timers.push({ run, ms });
      return () => undefined;
    },
  });
  const first = c.collect();
  fake.finish(snap);
  await first;
  assert.equal(timers.length, 0, 'one scrape tells no interval');
  now.t = 15_000;
  const second = c.collect();
  fake.finish(snap);
  await second;
  // A 15 s interval and a scan that took no time: the lead is its 1 s floor.
  assert.deepEqual(timers.map((x) => x.ms), [14_000]);
  now.t = 29_000;
  timers[0]?.run();
  assert.equal(fake.scans, 3, 'the timer started a scan');
  fake.finish(snap);
  await new Promise((resolve) => setImmediate(resolve));
  now.t = 30_000;
  const third = await c.collect();
  assert.equal(fake.scans, 3, 'the scrape was served the prefetched scan');
  assert.equal(third.find((f) => f.name === 'proctop_exporter_snapshot_age_seconds')?.samples[0]?.value, 1);
  // A second scraper within --min-interval of the round does not change the interval or set another timer.
  now.t = 31_000;
  await c.collect();
  assert.deepEqual(timers.map((x) => x.ms), [14_000, 14_000]);
});
