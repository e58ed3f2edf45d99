/**
 * Named groups (config `groups: {web: "name:nginx"}`), exported under
 * process-exporter's metric names, types and labels so its dashboards and
 * alerts work unchanged. Pure: members, their extra readings and the counter
 * totals in, families out.
 */
import { ProcessInfo, Snapshot, identityKey } from '../model/snapshot';
import { parseQuery, QueryContext } from '../model/query';
import { CounterReading, CounterTotals } from './group-counters';
import { MetricFamily, Sample } from './metric';

/** A configured group: its name (the `groupname` label) and query. */
export interface GroupSpec {
  readonly name: string;
  readonly query: string;
}

/** What a group member's extra reads found beyond the snapshot (each undefined when unreadable). */
export interface MemberReading {
  readonly counters: CounterReading;
  /** VmSwap of /proc/PID/status, bytes. */
  readonly swapBytes: number | undefined;
  /** Entries of /proc/PID/fd. */
  readonly openFds: number | undefined;
  /** Soft `Max open files` of /proc/PID/limits. */
  readonly maxFds: number | undefined;
}

/** process-exporter's state names: R, S, D and Z by name, everything else Other. */
export const GROUP_STATES = ['Running', 'Sleeping', 'Waiting', 'Zombie', 'Other'] as const;
const STATE_OF: Readonly<Record<string, (typeof GROUP_STATES)[number]>> = { R: 'Running', S: 'Sleeping', D: 'Waiting', Z: 'Zombie' };

/**
 * Each process (not thread) of the snapshot in the first group whose query
 * matches, as process-exporter assigns a process to its first matching
 * group. Groups whose query does not parse have no members (the config
 * validator rejects them before this).
 */
export function assignGroups(snapshot: Snapshot, groups: readonly GroupSpec[], ctx: QueryContext): Map<string, ProcessInfo[]> {
  const compiled = groups.map((g) => {
    const parsed = parseQuery(g.query);
    return { name: g.name, predicate: parsed.ok ? parsed.predicate : () => false };
  });
  const members = new Map<string, ProcessInfo[]>(groups.map((g) => [g.name, []]));
  for (const p of snapshot.processes) {
    if (p.thread) continue;
    const group = compiled.find((g) => g.predicate(p, ctx));
    if (group) members.get(group.name)?.push(p);
  }
  return members;
}

interface Acc {
  procs: number;
  threads: number;
  resident: number;
  virtual: number;
  swapped: number;
  oldest: number;
  fds: number;
  worstFdRatio: number;
  readonly states: Map<string, number>;
}

function summarize(members: readonly ProcessInfo[], readings: ReadonlyMap<string, MemberReading>): Acc {
  const acc: Acc = { procs: 0, threads: 0, resident: 0, virtual: 0, swapped: 0, oldest: Infinity, fds: 0, worstFdRatio: 0, states: new Map(GROUP_STATES.map((s) => [s, 0])) };
  for (const p of members) {
    const r = readings.get(identityKey(p));
    acc.procs++;
    acc.threads += p.threads;
    acc.resident += p.rss ?? 0;
    acc.virtual += p.vsz;
    acc.swapped += r?.swapBytes ?? 0;
    acc.oldest = Math.min(acc.oldest, p.startTime / 1000);
    acc.fds += r?.openFds ?? 0;
    if (r?.openFds !== undefined && r.maxFds !== undefined && r.maxFds > 0) acc.worstFdRatio = Math.max(acc.worstFdRatio, r.openFds / r.maxFds);
    const state = STATE_OF[p.state] ?? 'Other';
    acc.states.set(state, (acc.states.get(state) ?? 0) + 1);
  }
  return acc;
}

type Row = { readonly group: string; readonly acc: Acc; readonly totals: CounterTotals };

function family(name: string, type: 'gauge' | 'counter', help: string, rows: readonly Row[], samples: (row: Row) => readonly [readonly (readonly [string, string])[], number][]): MetricFamily {
  const out: Sample[] = [];
  for (const row of rows) for (const [labels, value] of samples(row)) out.push({ labels: [['groupname', row.group], ...labels], value });
  return { name, type, help, samples: out };
}

/** process-exporter's namegroup families for these groups, one series set per configured group (empty groups too). */
export function groupFamilies(
  members: ReadonlyMap<string, readonly ProcessInfo[]>,
  readings: ReadonlyMap<string, MemberReading>,
  totalsOf: (group: string) => CounterTotals,
): MetricFamily[] {
  const rows: Row[] = [...members].map(([group, list]) => ({ group, acc: summarize(list, readings), totals: totalsOf(group) }));
  const ns = 'namedprocess_namegroup_';
  return [
    family(`${ns}num_procs`, 'gauge', 'number of processes in this group', rows, (r) => [[[], r.acc.procs]]),
    family(`${ns}cpu_seconds`, 'counter', 'Cpu user usage in seconds', rows, (r) => [[[['mode', 'system']], r.totals.cpuSystem], [[['mode', 'user']], r.totals.cpuUser]]),
    family(`${ns}memory_bytes`, 'gauge', 'number of bytes of memory in use', rows, (r) => [
      [[['memtype', 'resident']], r.acc.resident], [[['memtype', 'swapped']], r.acc.swapped], [[['memtype', 'virtual']], r.acc.virtual],
    ]),
    family(`${ns}num_threads`, 'gauge', 'Number of threads', rows, (r) => [[[], r.acc.threads]]),
    family(`${ns}states`, 'gauge', 'Number of processes in states Running, Sleeping, Waiting, Zombie, or Other', rows, (r) =>
      GROUP_STATES.map((s) => [[['state', s]], r.acc.states.get(s) ?? 0] as const)),
    // process-exporter reports 0 for a group without processes; so does proctop.
    family(`${ns}oldest_start_time_seconds`, 'gauge', 'start time in seconds since 1970/01/01 of oldest process in group', rows, (r) => [[[], Number.isFinite(r.acc.oldest) ? r.acc.oldest : 0]]),
    family(`${ns}open_filedesc`, 'gauge', 'number of open file descriptors for this group', rows, (r) => [[[], r.acc.fds]]),
    family(`${ns}worst_fd_ratio`, 'gauge', 'the worst (closest to 1) ratio between open fds and max fds among all procs in this group', rows, (r) => [[[], r.acc.worstFdRatio]]),
    family(`${ns}read_bytes`, 'counter', 'number of bytes read by this group', rows, (r) => [[[], r.totals.readBytes]]),
    family(`${ns}write_bytes`, 'counter', 'number of bytes written by this group', rows, (r) => [[[], r.totals.writeBytes]]),
    family(`${ns}major_page_faults`, 'counter', 'Major page faults', rows, (r) => [[[], r.totals.majorFaults]]),
    family(`${ns}minor_page_faults`, 'counter', 'Minor page faults', rows, (r) => [[[], r.totals.minorFaults]]),
    family(`${ns}context_switches`, 'counter', 'Context switches', rows, (r) => [
      [[['ctxswitchtype', 'nonvoluntary']], r.totals.involuntarySwitches], [[['ctxswitchtype', 'voluntary']], r.totals.voluntarySwitches],
    ]),
  ];
}
