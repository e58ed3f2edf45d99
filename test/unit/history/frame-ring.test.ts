/**
 * The rewind ring: frames kept encoded in memory, bounded by age and by bytes, found by time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHUNK_FRAMES, FrameRing } from '../../../src/history/frame-ring';
import type { Snapshot } from '../../../src/model/snapshot';
import { makeSnapshot, makeSystem, manyProcesses } from '../../helpers/process-fixture';

const T0 = 1_700_000_100_000;
const TICKS = 100;
const BIG = 1024 ** 3;

/** Frame n: pid 100 + n is a newcomer in each frame, so every frame differs. */
function frame(n: number, everyMs = 1000): Snapshot {
  return makeSnapshot([{ pid: 1, command: '/sbin/init' }, { pid: 100 + n, name: `job${n}`, command: `job --number ${n}`, cpu: n / 3 }], { time: T0 + n * everyMs, system: makeSystem({ forks: n }) });
}

test('a frame read back from the ring equals the snapshot pushed', () => {
  const ring = new FrameRing({ maxAgeMs: 600_000, maxBytes: BIG }, TICKS);
  const frames = [0, 1, 2].map((n) => frame(n));
  for (const f of frames) ring.push(f);
  assert.equal(ring.length, 3);
  frames.forEach((f, i) => assert.deepStrictEqual(ring.read(i), f));
});

test('frames older than the age limit are dropped, oldest first; the newest is always kept', () => {
  const ring = new FrameRing({ maxAgeMs: 10_000, maxBytes: BIG }, TICKS);
  for (let n = 0; n <= 30; n++) ring.push(frame(n));
  // 10 s at 1 s: frames 20..30 (the one exactly 10 s old stays).
  assert.deepEqual(ring.times(), Array.from({ length: 11 }, (_, i) => T0 + (20 + i) * 1000));
  assert.equal(ring.read(0).system.forks, 20);
  const none = new FrameRing({ maxAgeMs: 0, maxBytes: BIG }, TICKS);
  none.push(frame(0));
  none.push(frame(1));
  assert.deepEqual(none.times(), [T0 + 1000]);
});

test('the byte bound drops the oldest frames and holds: the ring never accounts for more than it', () => {
  const big = (n: number): Snapshot => makeSnapshot(manyProcesses(300).map((p, i) => ({ ...p, cpu: (i * n) % 97, rss: (i * 7919 * (n + 1)) % 1_000_003, command: `worker ${i}` })), { time: T0 + n * 1000 });
  const probe = new FrameRing({ maxAgeMs: 600_000, maxBytes: BIG }, TICKS);
  probe.push(big(0));
  const first = probe.bytes;
  probe.push(big(1));
  // The strings come with the first frame; each frame after adds its encoded bytes only.
  const bound = first + Math.floor((probe.bytes - first) * 4.5);
  const ring = new FrameRing({ maxAgeMs: 600_000, maxBytes: bound }, TICKS);
  for (let n = 0; n < 40; n++) {
    ring.push(big(n));
    assert.ok(ring.bytes <= bound || ring.length === 1, `${ring.bytes} bytes held over a bound of ${bound}`);
  }
  assert.ok(ring.length >= 3 && ring.length <= 6, `held ${ring.length}`);
  assert.equal(ring.timeAt(ring.length - 1), T0 + 39_000, 'the newest frame is kept');
  assert.deepStrictEqual(ring.read(ring.length - 1), big(39));
});

test('the string tables of evicted chunks are released, so old command lines do not pile up', () => {
  const ring = new FrameRing({ maxAgeMs: 5_000, maxBytes: BIG }, TICKS);
  for (let n = 0; n < CHUNK_FRAMES * 5; n++) ring.push(frame(n));
  // Frames of at most two chunks are in the ring (6 frames span a chunk boundary at most once).
  assert.ok(ring.chunkCount <= 2, `${ring.chunkCount} string tables alive`);
  const last = CHUNK_FRAMES * 5 - 1;
  assert.equal(ring.read(ring.length - 1).processes[1]?.command, `job --number ${last}`);
});

test('lookup by time: the last frame at or before, -1 before the first', () => {
  const ring = new FrameRing({ maxAgeMs: 600_000, maxBytes: BIG }, TICKS);
  for (let n = 0; n < 10; n++) ring.push(frame(n, 1500));
  assert.equal(ring.indexAtOrBefore(T0 - 1), -1);
  assert.equal(ring.indexAtOrBefore(T0), 0);
  assert.equal(ring.indexAtOrBefore(T0 + 1499), 0);
  assert.equal(ring.indexAtOrBefore(T0 + 1500), 1);
  assert.equal(ring.indexAtOrBefore(T0 + 4 * 1500 + 10), 4);
  assert.equal(ring.indexAtOrBefore(T0 + 10 ** 9), 9);
});

test('a wall clock stepped back drops the frames that would now be in the future', () => {
  const ring = new FrameRing({ maxAgeMs: 600_000, maxBytes: BIG }, TICKS);
  for (let n = 0; n < 5; n++) ring.push(frame(n));
  ring.push(makeSnapshot([{ pid: 1 }], { time: T0 + 2500 }));
  assert.deepEqual(ring.times(), [T0, T0 + 1000, T0 + 2000, T0 + 2500]);
});

test('shrinking the age limit drops at once what no longer fits', () => {
  const ring = new FrameRing({ maxAgeMs: 600_000, maxBytes: BIG }, TICKS);
  for (let n = 0; n < 10; n++) ring.push(frame(n));
  ring.setLimits({ maxAgeMs: 3000, maxBytes: BIG });
  assert.deepEqual(ring.times(), [T0 + 6000, T0 + 7000, T0 + 8000, T0 + 9000]);
});
