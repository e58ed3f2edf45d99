/**
 * RES against the kernel's exact figures: /proc/PID/statm and VmRSS, read by the test itself
 * around one scan of the sampler, for processes the test starts. On current kernels stat's
 * field 24 is an approximate per-CPU sum that runs tens of pages low.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Landscape } from '../helpers/landscape';
import { Sampler } from '../../src/sampler/sampler';

const PAGE = 4096;
const land = new Landscape();
after(() => land.cleanup());

/** statm's resident and shared pages, read here without src/. */
function statm(pid: number): { resident: number; shared: number } {
  const [, resident, shared] = fs.readFileSync(`/proc/${pid}/statm`, 'utf8').trim().split(' ').map(Number);
  return { resident: resident ?? NaN, shared: shared ?? NaN };
}

/** VmRSS in pages. */
function vmRss(pid: number): number {
  const kb = /\nVmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return (Number(kb) * 1024) / PAGE;
}

test('RES of a spawned process equals statm and VmRSS (within two pages), from the first scan; SHR ≤ RES', async () => {
  const pids = [await land.sleeper(), await land.sleeper(), await land.stopped()];
  const sampler = new Sampler({ root: '/proc', passwdPath: '/etc/passwd', threads: false, now: Date.now });
  for (const scan of ['first', 'second']) {
    const before = pids.map(statm);
    const snapshot = sampler.sample();
    const after = pids.map(statm);
    const rss = pids.map(vmRss);
    pids.forEach((pid, i) => {
      const p = snapshot.processes.find((q) => q.pid === pid);
      assert.ok(p, `PID ${pid} in the ${scan} scan`);
      const res = (p.rss ?? NaN) / PAGE;
      const low = Math.min(before[i]?.resident ?? NaN, after[i]?.resident ?? NaN, rss[i] ?? NaN) - 2;
      const high = Math.max(before[i]?.resident ?? NaN, after[i]?.resident ?? NaN, rss[i] ?? NaN) + 2;
      assert.ok(res >= low && res <= high, `${scan} scan, PID ${pid}: RES ${res} pages, statm ${before[i]?.resident}/${after[i]?.resident}, VmRSS ${rss[i]}`);
      assert.ok(p.shared !== undefined && p.shared <= (p.rss ?? 0), `${scan} scan, PID ${pid}: SHR ${String(p.shared)} ≤ RES ${String(p.rss)}`);
    });
  }
});
