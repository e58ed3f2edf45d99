/**
 * `npm run bench:history --smoke` runs end to end, so the script cannot rot:
 * it starts its population, both recorders (atop when installed), writes and
 * seeks a store, steps a frame, fills a ring, prints every figure, and
 * leaves no process of its population behind. No timing is asserted: the
 * figures of a smoke run mean nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { HistoryBenchResult } from '../../bench/history';
import { renderHistory } from '../../bench/history-render';
import { REPO_ROOT } from '../unit/procfs/fixtures';

test('bench:history --smoke measures all five budgets and cleans up its population', { timeout: 600_000 }, () => {
  const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'bench', 'history.js'), '--smoke', '--json'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 580_000 });
  assert.equal(run.status, 0, run.stderr);
  const r = JSON.parse(run.stdout) as HistoryBenchResult;
  assert.equal(r.population.reached, 20);
  assert.equal(r.population.leftAfterStop, 0);
  const rec = r.recorders;
  assert.ok(rec && rec.proctop.samples >= 1 && rec.proctop.bytes > 0 && Number.isFinite(rec.proctop.cpuMs), JSON.stringify(rec?.proctop));
  assert.ok(rec.proctopSegmentStart !== undefined && rec.proctopSegmentStart > 0);
  if (!('skipped' in rec.atop)) assert.ok(rec.atop.samples >= 1 && rec.atop.bytes > 0, JSON.stringify(rec.atop));
  assert.ok(r.store && r.store.frames === 180 && r.store.segments === 1 && r.store.bytes > 0);
  assert.ok(r.seek && r.seek.cold.length === 5);
  for (const c of r.seek.cold) assert.deepEqual(c.failures, []);
  // Each --once --replay printed the frame: a header and at least the population's rows.
  for (const c of r.seek.cold) assert.ok(c.lines > 20, `${c.label}: ${c.lines} lines`);
  assert.ok(r.seek.inProcess.every((s) => s.processes > 20));
  assert.equal(r.seek.frames, 180);
  assert.ok(r.step && r.step.steps === 5);
  assert.ok(r.ring && r.ring.on.ringFrames === 10 && r.ring.on.ringBytes > 0 && r.ring.off.ringFrames === 0);
  const table = renderHistory(r);
  for (const row of ['1. recorder CPU', '2. bytes per day', '3. --once --replay --at T', '4. step one frame', '5. rewind memory']) assert.match(table, new RegExp(row.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')));
});
