import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SEGMENT_NAME, segmentName, segmentsToDelete } from '../../../src/history/retention';

const HOUR = 3_600_000;
const NOW = 1_700_000_000_000;
const seg = (hoursAgo: number, bytes = 100) => ({ name: segmentName(NOW - hoursAgo * HOUR, 0), bytes, lastWrite: NOW - hoursAgo * HOUR + HOUR / 2 });

test('segments past the age limit are deleted, newer ones kept', () => {
  const list = [seg(50), seg(30), seg(10), seg(1)];
  assert.deepEqual(segmentsToDelete(list, { retainMs: 24 * HOUR, maxBytes: 1e9 }, NOW, list[3].name), [list[0].name, list[1].name]);
});

test('over the size limit the oldest segments go first, until it fits', () => {
  const list = [seg(4, 300), seg(3, 300), seg(2, 300), seg(1, 300)];
  assert.deepEqual(segmentsToDelete(list, { retainMs: 1e12, maxBytes: 700 }, NOW, list[3].name), [list[0].name, list[1].name]);
});

test('the segment being written is never deleted, even alone over both limits', () => {
  const list = [seg(100, 5000)];
  assert.deepEqual(segmentsToDelete(list, { retainMs: HOUR, maxBytes: 10 }, NOW, list[0].name), []);
});

test('the order of the listing does not matter: names sort by time', () => {
  const list = [seg(1, 300), seg(3, 300), seg(2, 300)];
  assert.deepEqual(segmentsToDelete(list, { retainMs: 1e12, maxBytes: 600 }, NOW, undefined), [list[1].name]);
});

test('segment names match the pattern the writer deletes by, and nothing else does', () => {
  assert.match(segmentName(NOW, 0), SEGMENT_NAME);
  assert.match(segmentName(NOW, 3), SEGMENT_NAME);
  for (const other of ['notes.txt', '20231114T221320.000Z.seg.bak', 'x20231114T221320.000Z.seg', '20231114T221320.000Z.idx']) assert.doesNotMatch(other, SEGMENT_NAME);
});
