import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refreshPace } from '../../../src/view/refresh-pace';

test('a scan within half the interval keeps the interval and says nothing', () => {
  assert.deepEqual(refreshPace(500, 1000, false), { waitMs: 1000, backedOff: false, announce: undefined });
});

test('a scan over half the interval backs off to twice the scan and says so', () => {
  const pace = refreshPace(700, 1000, false);
  assert.equal(pace.waitMs, 1400);
  assert.equal(pace.backedOff, true);
  assert.equal(pace.announce, 'A scan took 700 ms; refreshing every 1.4 s instead of 1.0 s');
});

test('while backed off, later slow scans adjust the wait without repeating the message', () => {
  assert.deepEqual(refreshPace(900, 1000, true), { waitMs: 1800, backedOff: true, announce: undefined });
});

test('a fast scan after a back-off returns to the interval, and the next slow one is announced again', () => {
  const back = refreshPace(100, 1000, true);
  assert.deepEqual(back, { waitMs: 1000, backedOff: false, announce: undefined });
  assert.match(refreshPace(800, 1000, back.backedOff).announce ?? '', /^A scan took 800 ms/);
});
