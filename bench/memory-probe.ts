/**
 * A preload for looking inside a running proctop (`node -r dist/bench/memory-probe.js bin/proctop …`),
 * used by bench/tui-memory.ts with `--probe`. Writes nothing to the terminal; everything goes to
 * files named by the environment:
 *
 *   PROBE_OUT=FILE        one JSON line a second: process.memoryUsage(), V8's heap spaces (size,
 *                         used, physical), malloced memory, GC counts and pause time by kind
 *   PROBE_SAMPLE=A,B      a sampling heap profile from second A to second B after start, including
 *                         objects already collected (so it shows what is allocated, not only what
 *                         lives), written to PROBE_OUT + '.heapprofile'
 *
 * `-r` is a Node option, not a V8 flag: the bundle's code cache is still accepted.
 */
import * as fs from 'node:fs';
import { Session } from 'node:inspector';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import * as v8 from 'node:v8';

const out = process.env.PROBE_OUT;
const started = Date.now();

interface GcTotals { count: number; ms: number }
const gc: Record<string, GcTotals> = {};

function kindName(kind: number | undefined): string {
  switch (kind) {
    case constants.NODE_PERFORMANCE_GC_MINOR: return 'minor';
    case constants.NODE_PERFORMANCE_GC_MAJOR: return 'major';
    case constants.NODE_PERFORMANCE_GC_INCREMENTAL: return 'incremental';
    case constants.NODE_PERFORMANCE_GC_WEAKCB: return 'weakcb';
    default: return String(kind);
  }
}

function line(): string {
  const spaces: Record<string, { size: number; used: number; physical: number }> = {};
  for (const s of v8.getHeapSpaceStatistics()) spaces[s.space_name] = { size: s.space_size, used: s.space_used_size, physical: s.physical_space_size };
  const h = v8.getHeapStatistics();
  return JSON.stringify({ t: Date.now() - started, mem: process.memoryUsage(), malloced: h.malloced_memory, peakMalloced: h.peak_malloced_memory, spaces, gc }) + '\n';
}

if (out !== undefined) {
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = kindName((entry as unknown as { detail?: { kind?: number } }).detail?.kind);
      const t = (gc[kind] ??= { count: 0, ms: 0 });
      t.count++;
      t.ms += entry.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  setInterval(() => fs.appendFileSync(out, line()), 1000).unref();

  const window = process.env.PROBE_SAMPLE?.split(',').map(Number);
  if (window && window.length === 2 && window.every(Number.isFinite)) {
    const [from, to] = window as [number, number];
    const session = new Session();
    session.connect();
    setTimeout(() => {
      session.post('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as object);
    }, from * 1000).unref();
    setTimeout(() => {
      session.post('HeapProfiler.stopSampling', (err, result) => {
        if (!err) fs.writeFileSync(`${out}.heapprofile`, JSON.stringify((result as { profile: unknown }).profile));
      });
    }, to * 1000).unref();
  }
}
