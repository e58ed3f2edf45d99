/** bench/tui.ts mergeRuns: single-run results of the interleaved rounds folded into one per tool. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeRuns, TuiResult } from '../../../bench/tui';
import { stats } from '../../../bench/stats';

function run(frameMs: number, cpuMs: number, extra: Partial<TuiResult> = {}): TuiResult {
  return {
    tool: 'x', firstFrame: stats([frameMs]), firstFrameRuns: [frameMs], cpuToFirstFrame: stats([cpuMs]), cpuToFirstFrameRuns: [cpuMs],
    cpuPercent: undefined, windowS: undefined, cpuTicks: undefined, runQueueWaitS: undefined, refreshes: undefined,
    cpuMsPerRefresh: undefined, vmRssKb: undefined, vmHwmKb: undefined, notes: [], ...extra,
  };
}

test('mergeRuns: first frames and their CPU from every round, in order; the window only from the window run', () => {
  const window = run(999, 990, { cpuPercent: 4.2, windowS: 30, vmRssKb: 80_000, notes: ['window note'] });
  const merged = mergeRuns('proctop', [run(300, 280), run(250, 240, { notes: ['slow'] }), run(270, 260)], window);
  assert.equal(merged.tool, 'proctop');
  assert.deepEqual(merged.firstFrameRuns, [300, 250, 270]);
  assert.equal(merged.firstFrame.median, 270);
  assert.deepEqual(merged.cpuToFirstFrameRuns, [280, 240, 260]);
  assert.equal(merged.cpuToFirstFrame.median, 260);
  assert.equal(merged.cpuPercent, 4.2);
  assert.equal(merged.vmRssKb, 80_000);
  assert.deepEqual(merged.notes, ['slow', 'window note']);
});

test('mergeRuns: a run without a first frame adds none; no window leaves the window figures unset', () => {
  const missing = { ...run(0, 0), firstFrameRuns: [], cpuToFirstFrameRuns: [], notes: ['no first frame within 30 s'] };
  const merged = mergeRuns('htop', [run(200, 100), missing], undefined);
  assert.deepEqual(merged.firstFrameRuns, [200]);
  assert.equal(merged.firstFrame.n, 1);
  assert.equal(merged.cpuPercent, undefined);
  assert.equal(merged.vmRssKb, undefined);
  assert.deepEqual(merged.notes, ['no first frame within 30 s']);
});
