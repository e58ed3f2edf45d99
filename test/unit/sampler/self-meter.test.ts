import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SelfMeter } from '../../../src/sampler/self-meter';

/**
 * Keeps the CPU busy for `ms` of wall time and at least 1 ms of this
 * process's CPU time (on a busy host the second can lag the first).
 */
function burnCpu(ms: number): void {
  const start = process.cpuUsage();
  const until = performance.now() + ms;
  let x = 0;
  while (performance.now() < until || process.cpuUsage(start).user + process.cpuUsage(start).system < 1000) x += Math.sqrt(x + 1);
  assert.ok(x > 0);
}

test('a reading right after the meter starts has no CPU% yet, but the RSS of this process', () => {
  const reading = new SelfMeter().read();
  assert.equal(reading.cpu, undefined);
  assert.ok(reading.rss > 1024 * 1024, `rss ${reading.rss}`);
});

test('a reading over 100 ms after the start, with CPU used meanwhile, shows a positive CPU%', () => {
  const meter = new SelfMeter();
  burnCpu(110);
  const { cpu } = meter.read();
  assert.ok(cpu !== undefined && Number.isFinite(cpu) && cpu > 0, `cpu ${cpu}`);
});

test('a second reading within 100 ms keeps the previous CPU% figure', () => {
  const meter = new SelfMeter();
  burnCpu(110);
  const first = meter.read().cpu;
  assert.notEqual(first, undefined);
  assert.equal(meter.read().cpu, first);
});
