/**
 * Finding a time in the store: a binary search over the frames' times, so a seek in a day of
 * frames reads a handful of index entries, not all of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { frameAt } from '../../../src/cli/replay';
import { FrameEntry, HistoryReader, lastAtOrBefore, lastBefore } from '../../../src/history/store-reader';
import { StoreWriter } from '../../../src/history/store-writer';
import { makeSnapshot } from '../../helpers/process-fixture';

const sortedTimes = fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 60 }).map((a) => a.sort((x, y) => x - y).map((time) => ({ time })));

test('lastAtOrBefore finds the last entry at or before a time, ties included, as a linear scan does', () => {
  fc.assert(fc.property(sortedTimes, fc.integer({ min: -2, max: 52 }), (entries, t) => {
    let expected = -1;
    entries.forEach((e, i) => { if (e.time <= t) expected = i; });
    assert.equal(lastAtOrBefore(entries, t), expected);
  }));
});

test('lastBefore finds the last entry strictly before a time', () => {
  fc.assert(fc.property(sortedTimes, fc.integer({ min: -2, max: 52 }), (entries, t) => {
    let expected = -1;
    entries.forEach((e, i) => { if (e.time < t) expected = i; });
    assert.equal(lastBefore(entries, t), expected);
  }));
});

/** A day of frames at 1 s as a store would list them, counting how many entries are read. */
function countingFrames(n: number): { frames: FrameEntry[]; reads: () => number } {
  const entries = Array.from({ length: n }, (_, i) => ({ time: 1_700_000_000_000 + i * 1000 }) as unknown as FrameEntry);
  let reads = 0;
  const frames = new Proxy(entries, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { frames, reads: () => reads };
}

test('frameAt in a day of frames reads about log2(n) index entries, not n', () => {
  const day = 86_400;
  const { frames, reads } = countingFrames(day);
  const snapshot = makeSnapshot([{ pid: 1 }]);
  const read = (e: FrameEntry): typeof snapshot | undefined => (e === frames[60] ? snapshot : undefined);
  const fake = { frames, dir: '/store', read, indexAtOrBefore: (t: number) => lastAtOrBefore(frames, t) };
  const before = reads();
  // One minute into the day: the old search (lastIndexOf from the end) walked ~86,000 entries to get here.
  const found = frameAt(fake as unknown as HistoryReader, 1_700_000_060_500);
  assert.ok(typeof found !== 'string');
  assert.equal(found.entry, frames[60]);
  assert.ok(reads() - before <= 2 * Math.ceil(Math.log2(day)) + 6, `read ${reads() - before} entries`);
});

test('framesBetween and frameAtOrBefore on a written store agree with the frame times', (t) => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-seek-'));
  t.after(() => fs.rmSync(base, { recursive: true, force: true }));
  const dir = path.join(base, 'store');
  const writer = new StoreWriter({
    dir, identity: { host: 'h', bootId: 'b', writer: 'test', clockTicks: 100 }, now: () => 1_700_000_000_000,
    segmentMaxBytes: 1e9, segmentMaxAgeMs: 1e9, pendingMaxBytes: 1e9, retainMs: 1e12, maxBytes: 1e12,
  });
  const times = [0, 10, 10, 20, 30, 40].map((s) => 1_700_000_000_000 + s * 1000);
  for (const time of times) assert.equal(writer.append(makeSnapshot([{ pid: 1 }], { time })).error, undefined);
  writer.close();
  const opened = HistoryReader.open(dir);
  if (!opened.ok) return assert.fail(opened.message);
  const store = opened.store;
  t.after(() => store.close());
  const at = (s: number): number => 1_700_000_000_000 + s * 1000;
  assert.deepEqual(store.framesBetween(at(10), at(30)).map((f) => f.time), [at(10), at(10), at(20), at(30)]);
  assert.deepEqual(store.framesBetween(at(11), at(19)), []);
  assert.deepEqual(store.framesBetween(-Infinity, Infinity).map((f) => f.time), times);
  assert.equal(store.frameAtOrBefore(at(-1)), undefined);
  assert.equal(store.frameAtOrBefore(at(15))?.time, at(10));
  assert.equal(store.indexAtOrBefore(at(10)), 2, 'the last of equal times');
  assert.equal(store.indexAtOrBefore(at(99)), times.length - 1);
});

test('a segment whose header is longer than the first read (a 40 KB host name) opens, and its frames read back', (t) => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-seek-'));
  t.after(() => fs.rmSync(base, { recursive: true, force: true }));
  const dir = path.join(base, 'store');
  const host = 'h'.repeat(40_000);
  const writer = new StoreWriter({
    dir, identity: { host, bootId: 'b', writer: 'test', clockTicks: 100 }, now: () => 1_700_000_000_000,
    segmentMaxBytes: 1e9, segmentMaxAgeMs: 1e9, pendingMaxBytes: 1e9, retainMs: 1e12, maxBytes: 1e12,
  });
  assert.equal(writer.append(makeSnapshot([{ pid: 7 }], { time: 1_700_000_000_000 })).error, undefined);
  writer.close();
  const opened = HistoryReader.open(dir);
  if (!opened.ok) return assert.fail(opened.message);
  t.after(() => opened.store.close());
  assert.equal(opened.store.segments[0]?.header.host, host);
  const entry = opened.store.frameAtOrBefore(1_700_000_000_000);
  assert.deepEqual(entry && opened.store.read(entry)?.processes.map((p) => p.pid), [7]);
});
