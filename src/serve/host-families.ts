/**
 * Host-wide families: process and thread states, forks, zombies (also by
 * parent), stuck and orphaned processes, pressure stall totals. Pure: a
 * snapshot (and the PSI totals read beside it) in, families out.
 */
import { PROCESS_STATES, ProcessInfo, ProcessState, Snapshot } from '../model/snapshot';
import { parseQuery } from '../model/query';
import type { Pressure as PressureFile } from '../procfs/parse/pressure';
import { capSamples, MetricFamily, Sample, single } from './metric';

/** The three PSI resources, as /proc/pressure names them. */
export const PRESSURE_RESOURCES = ['cpu', 'memory', 'io'] as const;
export type PressureResource = (typeof PRESSURE_RESOURCES)[number];

/** PSI totals per resource; a resource is absent when its file is (kernels without CONFIG_PSI). */
export type Pressure = Partial<Readonly<Record<PressureResource, PressureFile>>>;

export interface HostFamilyOptions {
  /** A process in D longer than this (ms) is stuck: the `stuck` flag of the query language. */
  readonly stuckAfterMs: number;
  /** Parents listed by name in the zombies-by-parent family; the rest are summed in one series. */
  readonly zombieParents: number;
}

const STATE_KEYS: readonly ProcessState[] = [...PROCESS_STATES, '?'];

// The query language owns what "stuck" means; the exporter asks it rather than repeating the rule.
const stuck = (() => {
  const parsed = parseQuery('stuck');
  if (!parsed.ok) throw new Error(`the query language lost its stuck flag: ${parsed.error}`);
  return parsed.predicate;
})();

function perState(rows: Iterable<ProcessInfo>): Sample[] {
  const counts = new Map<ProcessState, number>(STATE_KEYS.map((k) => [k, 0]));
  for (const p of rows) counts.set(counts.has(p.state) ? p.state : '?', (counts.get(p.state) ?? 0) + 1);
  return STATE_KEYS.map((state) => ({ labels: [['state', state]], value: counts.get(state) ?? 0 }));
}

function* processRows(snapshot: Snapshot): Iterable<ProcessInfo> {
  for (const p of snapshot.processes) if (!p.thread) yield p;
}

/** Zombies per parent, the `cap` parents with most zombies by pid, comm and user, the rest summed under ppid="other". */
export function zombiesByParent(snapshot: Snapshot, cap: number): Sample[] {
  const counts = new Map<number, number>();
  const byPid = new Map<number, ProcessInfo>();
  for (const p of processRows(snapshot)) {
    byPid.set(p.pid, p);
    if (p.state === 'Z') counts.set(p.ppid, (counts.get(p.ppid) ?? 0) + 1);
  }
  const samples: Sample[] = [...counts].sort((a, b) => a[0] - b[0]).map(([ppid, value]) => {
    const parent = byPid.get(ppid);
    return { labels: [['ppid', String(ppid)], ['comm', parent?.name ?? ''], ['user', parent?.user ?? '']], value };
  });
  return capSamples(samples, cap, [['ppid', 'other'], ['comm', ''], ['user', '']]);
}

function pressureFamily(pressure: Pressure): MetricFamily | undefined {
  const samples: Sample[] = [];
  for (const resource of PRESSURE_RESOURCES) {
    const totals = pressure[resource];
    if (totals === undefined) continue;
    samples.push({ labels: [['resource', resource], ['kind', 'some']], value: totals.some.total / 1e6 });
    if (totals.full !== undefined) samples.push({ labels: [['resource', resource], ['kind', 'full']], value: totals.full.total / 1e6 });
  }
  if (samples.length === 0) return undefined;
  return {
    name: 'proctop_pressure_stalled_seconds', type: 'counter', unit: 'seconds', samples,
    help: 'Time in which some (kind some) or all non-idle (kind full) tasks stalled on the resource (/proc/pressure).',
  };
}

/** Every host family of one snapshot. */
export function hostFamilies(snapshot: Snapshot, pressure: Pressure, options: HostFamilyOptions): MetricFamily[] {
  const ctx = { now: snapshot.time, stuckAfterMs: options.stuckAfterMs };
  let zombies = 0;
  let stuckCount = 0;
  let orphans = 0;
  for (const p of processRows(snapshot)) {
    if (p.state === 'Z') zombies++;
    if (stuck(p, ctx)) stuckCount++;
    if (p.orphan) orphans++;
  }
  const families: MetricFamily[] = [
    { name: 'proctop_processes', type: 'gauge', help: 'Processes per state letter (R S D T t Z X I, ? for unknown), kernel threads included.', samples: perState(processRows(snapshot)) },
    // Thread rows plus each process's own row (its main thread): every task once.
    { name: 'proctop_threads', type: 'gauge', help: 'Tasks (threads of all processes, kernel threads included) per state letter.', samples: perState(snapshot.processes) },
    single('proctop_zombies', 'Zombie processes (state Z): exited, not yet reaped by their parent.', 'gauge', zombies),
    { name: 'proctop_zombies_by_parent', type: 'gauge', help: 'Zombies per parent process (pid, comm, user), the parents with most zombies; ppid other sums the rest.', samples: zombiesByParent(snapshot, options.zombieParents) },
    single('proctop_stuck_processes', `Processes in state D (uninterruptible) for longer than ${options.stuckAfterMs / 1000} s (--stuck-after).`, 'gauge', stuckCount),
    single('proctop_orphans', 'Orphaned workers: process group leader gone, adopted by init or a subreaper.', 'gauge', orphans),
  ];
  if (snapshot.system.forks !== undefined) families.push(single('proctop_forks', 'Processes and threads created since boot (/proc/stat processes).', 'counter', snapshot.system.forks));
  const psi = pressureFamily(pressure);
  if (psi) families.push(psi);
  return families;
}
