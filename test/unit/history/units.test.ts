import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseSize, parseTimeSpec } from '../../../src/history/units';

const NOW = Date.UTC(2026, 11, 4, 15, 30, 0);

test('durations take s m h d w, a bare number being seconds', () => {
  assert.equal(parseDuration('90'), 90_000);
  assert.equal(parseDuration('10m'), 600_000);
  assert.equal(parseDuration('7d'), 7 * 86_400_000);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  for (const bad of ['', 'm', '10x', '-5m', '1e3']) assert.equal(parseDuration(bad), undefined, bad);
});

test('sizes take K M G T as powers of 1024', () => {
  assert.equal(parseSize('256M'), 256 * 1024 * 1024);
  assert.equal(parseSize('2GiB'), 2 * 1024 ** 3);
  assert.equal(parseSize('512k'), 512 * 1024);
  assert.equal(parseSize('100'), 100);
  for (const bad of ['', 'M', '12Q', '-1M']) assert.equal(parseSize(bad), undefined, bad);
});

test('HH:MM is today in the viewer\'s zone, or yesterday when still to come', () => {
  assert.equal(parseTimeSpec('14:05', NOW, 0), Date.UTC(2026, 11, 4, 14, 5));
  assert.equal(parseTimeSpec('16:00', NOW, 0), Date.UTC(2026, 11, 3, 16, 0));
  // UTC+2 (offset −120): 14:05 local is 12:05 UTC.
  assert.equal(parseTimeSpec('14:05:30', NOW, -120), Date.UTC(2026, 11, 4, 12, 5, 30));
  assert.equal(parseTimeSpec('24:00', NOW, 0), undefined);
});

test('-10m is ten minutes before now; now is now', () => {
  assert.equal(parseTimeSpec('-10m', NOW, 0), NOW - 600_000);
  assert.equal(parseTimeSpec('now', NOW, 0), NOW);
});

test('ISO 8601 with Z, an offset, or none (local time)', () => {
  assert.equal(parseTimeSpec('2026-12-04T14:05:00Z', NOW, 0), Date.UTC(2026, 11, 4, 14, 5));
  assert.equal(parseTimeSpec('2026-12-04T14:05:00.250+01:00', NOW, 0), Date.UTC(2026, 11, 4, 13, 5, 0, 250));
  assert.equal(parseTimeSpec('2026-12-04 14:05', NOW, -60), Date.UTC(2026, 11, 4, 13, 5));
  for (const bad of ['2026-13-01', '2026-12-04T25:00', 'yesterday', '14h05']) assert.equal(parseTimeSpec(bad, NOW, 0), undefined, bad);
});
