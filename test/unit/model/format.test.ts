import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatBytes, formatCpuTime, formatDuration, formatMemory, formatPercent, formatRate, formatStart, formatTimestamp } from '../../../src/model/format';

const KIB = 1024;
const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
const TIB = 1024 ** 4;

// formatMemory

test('formatMemory shows KiB up to 99999', () => {
  assert.deepEqual([formatMemory(0), formatMemory(4096), formatMemory(1536), formatMemory(99_999 * KIB)], ['0', '4', '2', '99999']);
});

test('formatMemory switches to whole MiB from 100000 KiB', () => {
  assert.deepEqual([formatMemory(100_000 * KIB), formatMemory(512 * MIB), formatMemory(9999 * MIB)], ['98M', '512M', '9999M']);
});

test('formatMemory shows GiB with one decimal below 100G', () => {
  assert.deepEqual([formatMemory(10_000 * MIB), formatMemory(24 * GIB), formatMemory(99.9 * GIB)], ['9.8G', '24.0G', '99.9G']);
});

test('formatMemory shows whole GiB from 100G, so 1 TB is 1024G', () => {
  assert.deepEqual([formatMemory(100 * GIB), formatMemory(TIB)], ['100G', '1024G']);
});

test('formatMemory shows TiB with one decimal from 10000G', () => {
  assert.deepEqual([formatMemory(10_000 * GIB), formatMemory(128 * TIB)], ['9.8T', '128.0T']);
});

// formatBytes

test('formatBytes shows bytes below 1 KiB without decimals', () => {
  assert.equal(formatBytes(1023), '1023B');
});

test('formatBytes shows two decimals below 10 and one from 10', () => {
  assert.deepEqual([formatBytes(1.5 * GIB), formatBytes(23.5 * GIB)], ['1.50G', '23.5G']);
});

// formatCpuTime

test('formatCpuTime of 0 is 0:00.00', () => {
  assert.equal(formatCpuTime(0), '0:00.00');
});

test('formatCpuTime shows minutes:seconds.hundredths below an hour', () => {
  assert.deepEqual([formatCpuTime(61.5), formatCpuTime(3599.99)], ['1:01.50', '59:59.99']);
});

test('formatCpuTime of tick counts shows the exact hundredths (0.29 s is 0:00.29)', () => {
  // cpuTime is ticks / 100; 29 / 100 * 100 is 28.999999999999996 in binary floating point.
  assert.deepEqual([formatCpuTime(29 / 100), formatCpuTime(57 / 100), formatCpuTime(113 / 100)], ['0:00.29', '0:00.57', '0:01.13']);
});

test('property: formatCpuTime of ticks / 100 shows the ticks as hundredths exactly', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 359_999 }), (ticks) => {
    const centis = formatCpuTime(ticks / 100).split('.')[1];
    return centis === String(ticks % 100).padStart(2, '0');
  }));
});

test('formatCpuTime truncates, not rounds, sub-hundredths', () => {
  assert.equal(formatCpuTime(1.999), '0:01.99');
});

test('formatCpuTime shows HhMM:SS from one hour', () => {
  assert.deepEqual([formatCpuTime(3600), formatCpuTime(359_999.99)], ['1h00:00', '99h59:59']);
});

test('formatCpuTime shows whole hours from 100 hours, 10,000 h as 10000h', () => {
  assert.deepEqual([formatCpuTime(360_000), formatCpuTime(36_000_000)], ['100h', '10000h']);
});

// formatPercent

test('formatPercent shows one decimal below 99.95', () => {
  assert.deepEqual([formatPercent(0), formatPercent(12.345), formatPercent(99.94)], ['0.0', '12.3', '99.9']);
});

test('formatPercent shows whole numbers from 99.95, up to 9999', () => {
  assert.deepEqual([formatPercent(99.95), formatPercent(150), formatPercent(9999)], ['100', '150', '9999']);
});

// formatDuration

test('formatDuration shows MM:SS below an hour', () => {
  assert.deepEqual([formatDuration(0), formatDuration(59.9), formatDuration(3599)], ['00:00', '00:59', '59:59']);
});

test('formatDuration shows HH:MM:SS from an hour', () => {
  assert.equal(formatDuration(3600), '01:00:00');
});

test('formatDuration shows days before the clock', () => {
  assert.equal(formatDuration(3 * 86400 + 4 * 3600 + 5 * 60 + 6), '3d 04:05:06');
});

test('formatDuration of a negative time is 00:00', () => {
  assert.equal(formatDuration(-5), '00:00');
});

// formatStart

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0); // Nov 27 2026, 12:00 UTC

test('formatStart shows HH:MM for a start earlier today', () => {
  assert.equal(formatStart(Date.UTC(2026, 10, 27, 9, 5), NOW), '09:05');
});

test('formatStart shows MonDD for a start yesterday, less than 24 h ago', () => {
  assert.equal(formatStart(Date.UTC(2026, 10, 26, 23, 0), NOW), 'Nov26');
});

test('formatStart shows MonDD for a start earlier this year', () => {
  assert.equal(formatStart(Date.UTC(2026, 0, 1, 0, 0), NOW), 'Jan01');
});

test('formatStart shows the year for a start in an earlier year', () => {
  assert.equal(formatStart(Date.UTC(2025, 11, 31, 23, 59), NOW), '2025');
});

test('formatStart uses the local zone: 22:30 UTC yesterday is 00:30 today at UTC+2', () => {
  const start = Date.UTC(2026, 10, 26, 22, 30);
  assert.deepEqual([formatStart(start, NOW, 0), formatStart(start, NOW, -120)], ['Nov26', '00:30']);
});

// formatTimestamp

test('formatTimestamp is UTC with +00:00 when no zone is given', () => {
  assert.equal(formatTimestamp(Date.UTC(2026, 10, 27, 16, 35, 2)), '2026-11-27 16:35:02 +00:00');
});

test('formatTimestamp shows local time and the zone: east of UTC (offset -60) and west (offset 330 → -05:30)', () => {
  const t = Date.UTC(2026, 0, 1, 0, 30, 0);
  assert.equal(formatTimestamp(t, -60), '2026-01-01 01:30:00 +01:00');
  assert.equal(formatTimestamp(t, 330), '2025-12-31 19:00:00 -05:30');
});

test('formatRate: 0 for idle, bytes below 1000, one decimal below 10 of a unit, never more than 5 characters', () => {
  assert.deepEqual([0, 0.4, 1, 999, 1000, 1536, 10 * 1024, 999 * 1024, 1024 ** 2 * 2.25, 1024 ** 3 * 500].map(formatRate), ['0', '0', '1B', '999B', '1.0K', '1.5K', '10K', '999K', '2.3M', '500G']);
  for (let v = 0; v < 2 ** 50; v = v * 1.37 + 1) assert.ok(formatRate(v).length <= 5, `${v} → ${formatRate(v)}`);
});
