/**
 * `node --max-semi-space-size=64 --min-semi-space-size=64 dist/bench/alloc-stages.js [--procs N] [--frames F]`:
 * bytes allocated per refresh by each stage of the live TUI's pipeline at N idle processes: the
 * sampler's scan, frameRows (filter, sort, rows), buildView (the visible slice as text) and the
 * rewind ring's encoding. Measured as the growth of V8's used heap across a stage with the young
 * generation made large enough that no GC runs inside one (a stage a GC interrupted is left out;
 * the count is printed). Allocation per refresh decides the young generation's size (at more than
 * ~1 MB a second V8 keeps it at its 32 MiB maximum), hence the TUI's RSS.
 *
 * A script, not a test: it prints figures and asserts nothing.
 */
import { Command } from 'commander';
import { PerformanceObserver } from 'node:perf_hooks';
import { cleanupAll } from '../test/helpers/cleanup';
import { FrameRing, REWIND_MAX_BYTES } from '../src/history/frame-ring';
import { CLOCK_TICKS } from '../src/procfs/clock';
import { Sampler } from '../src/sampler/sampler';
import { buildView, frameRows, FrameRows } from '../src/view/build-view';
import { findColumn, DEFAULT_COLUMNS, Column } from '../src/model/columns';
import { initialState } from '../src/view/ui-state';
import type { Snapshot } from '../src/model/snapshot';
import { startPopulation } from './population';
import { stats } from './stats';

let gcs = 0;
new PerformanceObserver((list) => {
  gcs += list.getEntries().length;
}).observe({ entryTypes: ['gc'] });

/** Bytes the heap grew by across `run`, or undefined when a GC ran inside it. */
async function measured<T>(run: () => T | Promise<T>): Promise<{ value: T; bytes: number | undefined }> {
  const g = gcs;
  const before = process.memoryUsage().heapUsed;
  const value = await run();
  const bytes = process.memoryUsage().heapUsed - before;
  // PerformanceObserver reports asynchronously: give it a turn before trusting the figure.
  await new Promise((resolve) => setImmediate(resolve));
  return { value, bytes: gcs === g ? bytes : undefined };
}

async function main(): Promise<void> {
  const program = new Command('alloc-stages').option('--procs <n>', 'idle processes', '2000').option('--frames <n>', 'frames measured', '20').option('--no-population', 'use the host as it is');
  program.parse(process.argv);
  const o = program.opts<{ procs: string; frames: string; population: boolean }>();
  const log = (l: string): void => void process.stderr.write(`${l}\n`);
  const population = o.population ? await startPopulation(Number(o.procs), log) : undefined;
  try {
    const sampler = new Sampler({ root: '/proc', passwdPath: '/etc/passwd', threads: false, now: Date.now });
    const ring = new FrameRing({ maxAgeMs: 600_000, maxBytes: REWIND_MAX_BYTES }, CLOCK_TICKS);
    const state = initialState({ tree: false, highlight: true, readonly: false, showThreads: false, columns: DEFAULT_COLUMNS, delay: 10, theme: 'default', meters: [] });
    const columns = DEFAULT_COLUMNS.map((id) => findColumn(id)).filter((c): c is Column => c !== undefined);
    const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    const figures: Record<string, number[]> = { scan: [], frameRows: [], buildView: [], ring: [] };
    let skipped = 0;
    let previous: Snapshot | undefined;
    let processes = 0;
    const frames = Number(o.frames);
    for (let i = 0; i < frames + 5; i++) {
      const scan = await measured(() => sampler.sampleInSlices(pause));
      const snap = scan.value;
      processes = snap.processes.length;
      const fr = await measured<FrameRows>(() => frameRows(state, snap, previous));
      const vm = await measured(() => buildView(state, { snapshot: snap, previous, width: 200, height: 50, columns, hostname: 'h', tzOffset: 0 }, fr.value));
      const rg = await measured(() => ring.push(snap));
      void vm.value;
      previous = snap;
      if (i < 5) continue; // warm-up: caches fill, code gets optimized
      for (const [name, m] of [['scan', scan], ['frameRows', fr], ['buildView', vm], ['ring', rg]] as const) {
        if (m.bytes === undefined) skipped++;
        else figures[name]?.push(m.bytes);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const line = Object.entries(figures).map(([k, v]) => `${k} ${(stats(v).median / 1024).toFixed(0)} KiB (${(stats(v).median / processes).toFixed(0)} B/process, n=${v.length})`).join('; ');
    const total = Object.values(figures).reduce((s, v) => s + stats(v).median, 0);
    process.stdout.write(`alloc-stages at ${processes} processes, median per refresh: ${line}; sum ${(total / 1024).toFixed(0)} KiB; ${skipped} stage(s) with a GC left out\n`);
  } finally {
    await population?.stop();
  }
}

main().then(() => cleanupAll(), (err: unknown) => {
  process.stderr.write(`alloc-stages: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  cleanupAll();
  process.exitCode = 1;
});
