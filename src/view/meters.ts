import { type Meter } from '../model/settings';
import { formatBytes, formatDuration, formatRate } from '../model/format';
import { CpuUsage, Snapshot } from '../model/snapshot';
import type { OwnCgroup, Pressure } from '../kernel/cgroup';
import { formatCpuLimit, formatMemoryLimit } from '../model/cgroup-columns';
import { sanitize } from './text';
import { fitLine, Segment } from './view-model';

/** proctop's own cost, shown so a user sees what watching costs. */
export interface SelfCost {
  readonly cpu: number | undefined;
  readonly rss: number | undefined;
}

/** What a meter may draw from: one frame's facts, nothing mutable. */
export interface MeterContext {
  readonly snapshot: Snapshot;
  readonly hostname: string;
  /** proctop's own cost; undefined in callers that do not measure it (--once, tests). */
  readonly self: SelfCost | undefined;
}

/**
 * One header meter. The header is two columns (one stacked column below 60
 * terminal columns): each meter's lines go down its column, in METERS order.
 */
export interface MeterRow {
  /** Config, setup-screen and docs name (one of METERS). */
  readonly id: Meter;
  /** What it shows, for the docs. */
  readonly description: string;
  readonly column: 'left' | 'right';
  /** True when there is nothing to show this frame (the meter takes no line then). */
  readonly hidden?: (ctx: MeterContext) => boolean;
  /** The meter's lines for a column `width` wide: bars fill it; the header cuts a longer text line. */
  readonly lines: (ctx: MeterContext, width: number) => Segment[][];
}

/** What a count of a partial first frame (Snapshot.partial) shows until the whole frame is read, and a rate or a CPU bar until its second reading. */
export const NOT_COUNTED = '…';

/** htop's bar: `  0[|||||     12.3%]`, parts coloured by kind, the text right-aligned inside. */
export function bar(label: string, parts: readonly (readonly [number, Segment['style']])[], text: string, width: number): Segment[] {
  const inner = Math.max(0, width - label.length - 2);
  const room = Math.max(0, inner - text.length);
  const segs: Segment[] = [{ text: `${label}[`, style: 'label' }];
  let used = 0;
  for (const [share, style] of parts) {
    const n = Math.max(0, Math.min(room - used, Math.round((share / 100) * room)));
    if (n > 0) segs.push({ text: '|'.repeat(n), style });
    used += n;
  }
  segs.push({ text: ' '.repeat(Math.max(0, room - used)), style: 'normal' });
  segs.push({ text: inner >= text.length ? text : text.slice(0, inner), style: 'value' });
  segs.push({ text: ']', style: 'label' });
  return segs;
}

/** `measured`: the frame has an interval; a first scan's CPU times are the shares since boot, not shown. */
function cpuBar(label: string, c: CpuUsage, width: number, measured: boolean): Segment[] {
  if (!measured) return bar(label, [], NOT_COUNTED, width);
  return bar(label, [[c.user, 'cpu-user'], [c.system, 'cpu-system'], [c.other + c.steal, 'cpu-other']], `${c.busy.toFixed(1)}%`, width);
}

/** CPUs per column of bars before a second column starts, as htop lays out many CPUs. */
const CPUS_PER_COLUMN = 8;
/** Narrowest useful CPU bar: `123[||| 100.0%]`. */
const MIN_CPU_BAR = 16;

/**
 * One bar per CPU, numbered from 0 as htop does. Past 8 CPUs the bars go into
 * side-by-side columns (CPU 0..k-1 down the first, k.. down the next), as many
 * as fit at MIN_CPU_BAR wide; the rows then hold the rest. No CPU is averaged away.
 */
function cpuBars(cpus: readonly CpuUsage[], width: number, measured: boolean): Segment[][] {
  const columns = Math.max(1, Math.min(Math.ceil(cpus.length / CPUS_PER_COLUMN), Math.floor((width + 1) / (MIN_CPU_BAR + 1))));
  const rows = Math.ceil(cpus.length / columns);
  const barWidth = Math.floor((width + 1) / columns) - 1;
  const label = (i: number): string => String(i).padStart(Math.max(3, String(cpus.length - 1).length));
  const lines: Segment[][] = [];
  for (let r = 0; r < rows; r++) {
    const line: Segment[] = [];
    for (let c = 0; c < columns; c++) {
      const i = c * rows + r;
      const cpu = cpus[i];
      if (cpu === undefined) break;
      if (c > 0) line.push({ text: ' ', style: 'normal' });
      line.push(...fitLine(cpuBar(label(i), cpu, barWidth, measured), barWidth));
    }
    lines.push(line);
  }
  return lines;
}

/** Label of the state counts line; the app finds the line by it (a click there opens the zombie view). */
export const STATES_LABEL = 'States: ';

/** The state counts: R S D T Z I, traced (t) counted as T; Z and D stand out when non-zero. */
function stateCounts(s: Snapshot): Segment[] {
  const st = s.states;
  const segs: Segment[] = [{ text: STATES_LABEL, style: 'label' }];
  for (const letter of ['R', 'S', 'D', 'T', 'Z', 'I'] as const) {
    if (s.partial) {
      segs.push({ text: `${letter}:${NOT_COUNTED}`, style: 'value' }, { text: ' ', style: 'normal' });
      continue;
    }
    const n = letter === 'T' ? st.T + st.t : st[letter];
    const alert = n > 0 && (letter === 'Z' || letter === 'D');
    segs.push({ text: `${letter}:${n}`, style: alert ? (letter === 'Z' ? 'alert' : 'warn') : 'value' }, { text: ' ', style: 'normal' });
  }
  return segs;
}

/** A share of a total in percent, 0 when the total is 0 (a host without swap). */
const share = (n: number, total: number): number => (total > 0 ? (n * 100) / total : 0);

/** `Label: value` in the header's label and value styles. */
const labelled = (label: string, value: string, style: Segment['style'] = 'value'): Segment[] => [{ text: label, style: 'label' }, { text: value, style }];

/** The bar of one host PSI file: `full` (all tasks stalled) inside `some`, avg10, % of the last 10 s. */
function pressureBar(label: string, p: Pressure, withFull: boolean, width: number): Segment[] {
  const some = p.some.avg10;
  const full = withFull ? p.full?.avg10 : undefined;
  const text = full === undefined ? `some ${some.toFixed(2)}%` : `some ${some.toFixed(2)}% full ${full.toFixed(2)}%`;
  return bar(label, [[full ?? 0, 'cpu-system'], [Math.max(0, some - (full ?? 0)), 'cpu-user']], text, width);
}

/** One pressure meter row: hidden when the kernel has no such PSI file (no PSI at all, or unreadable). */
function pressureRow<K extends 'pressure-cpu' | 'pressure-memory' | 'pressure-io'>(id: K, resource: 'cpu' | 'memory' | 'io', label: string): MeterRow & { readonly id: K } {
  const withFull = resource !== 'cpu';
  return {
    id, column: 'left',
    description: `host ${resource} pressure (/proc/pressure/${resource}): % of the last 10 s that some task${withFull ? ' (and, full, every task)' : ''} stalled on ${resource}; hidden without PSI`,
    hidden: ({ snapshot }) => snapshot.pressure?.[resource] === undefined,
    lines: ({ snapshot }, width) => {
      const p = snapshot.pressure?.[resource];
      return p === undefined ? [] : [pressureBar(label, p, withFull, width)];
    },
  };
}

/**
 * Whether proctop runs under a limit worth saying: a CPU quota, or a memory limit below the
 * host's memory (a limit above it limits nothing).
 */
export function ownLimited(own: OwnCgroup | undefined, memTotal: number): boolean {
  if (own === undefined) return false;
  return own.cpuLimit !== undefined || (own.memoryLimit !== undefined && (memTotal <= 0 || own.memoryLimit < memTotal));
}

/** `2 CPUs, 4.0G`: the limits proctop runs under, `no CPU limit` / `no memory limit` for the other. */
function ownLimits(own: OwnCgroup, memTotal: number): string {
  const memory = own.memoryLimit !== undefined && (memTotal <= 0 || own.memoryLimit < memTotal) ? formatMemoryLimit(own.memoryLimit) : 'no memory limit';
  return `${own.cpuLimit === undefined ? 'no CPU limit' : formatCpuLimit(own.cpuLimit)}, ${memory}`;
}

/**
 * A two-rate line, `Disk: 1.5K/s read, 12M/s write`, or `Disk r 1.5K/s w 12M/s` where that does
 * not fit `width` (the left column of a narrow terminal), cut to `width` at worst; `note` after it, dimmed.
 */
function rates(label: string, a: number | undefined, aName: string, b: number | undefined, bName: string, note: string | undefined, width: number): Segment[] {
  const ra = a === undefined ? NOT_COUNTED : `${formatRate(a)}/s`;
  const rb = b === undefined ? NOT_COUNTED : `${formatRate(b)}/s`;
  const long = `${ra} ${aName}, ${rb} ${bName}`;
  const segs = label.length + 2 + long.length <= width ? labelled(`${label}: `, long) : labelled(`${label} `, `${aName[0] ?? ''} ${ra} ${bName[0] ?? ''} ${rb}`);
  if (note !== undefined) segs.push({ text: ' ', style: 'normal' }, { text: note, style: 'dim' });
  return fitLine(segs, Math.min(width, segs.reduce((n, seg) => n + seg.text.length, 0)));
}

/**
 * Every header meter: adding a meter is one id in METERS (model/settings.ts,
 * where it sits in the order) and one row here; the mapped type makes a
 * missing or unknown row a compile error.
 */
export const METER_TABLE: { readonly [K in Meter]: MeterRow & { readonly id: K } } = {
  cpus: {
    id: 'cpus', column: 'left', description: 'one bar per CPU: user, system, other (irq, steal) time, busy %; … until the second refresh (a first scan has only the shares since boot)',
    lines: ({ snapshot }, width) => cpuBars(snapshot.system.cpus, width, snapshot.interval !== undefined),
  },
  memory: {
    id: 'memory', column: 'left', description: 'memory bar: used, buffers, cache; used/total',
    lines: ({ snapshot: { system: { memory: m } } }, width) =>
      [bar('Mem', [[share(m.used, m.total), 'mem-used'], [share(m.buffers, m.total), 'mem-buffers'], [share(m.cache, m.total), 'mem-cache']], `${formatBytes(m.used)}/${formatBytes(m.total)}`, width)],
  },
  swap: {
    id: 'swap', column: 'left', description: 'swap bar: used/total',
    lines: ({ snapshot: { system: { memory: m } } }, width) => [bar('Swp', [[share(m.swapUsed, m.swapTotal), 'swap-used']], `${formatBytes(m.swapUsed)}/${formatBytes(m.swapTotal)}`, width)],
  },
  'pressure-cpu': pressureRow('pressure-cpu', 'cpu', 'PSI cpu'),
  'pressure-memory': pressureRow('pressure-memory', 'memory', 'PSI mem'),
  'pressure-io': pressureRow('pressure-io', 'io', 'PSI io '),
  tasks: {
    id: 'tasks', column: 'right', description: 'processes, threads of user processes, running processes',
    lines: ({ snapshot: s }) => [labelled('Tasks: ', s.partial ? `${s.processCount}, ${NOT_COUNTED} thr; ${NOT_COUNTED} running` : `${s.processCount}, ${s.threadCount} thr; ${s.states.R} running`)],
  },
  states: {
    id: 'states', column: 'right', description: 'processes per state (R S D T Z I); Z and D stand out when non-zero; a click opens the zombie view',
    lines: ({ snapshot }) => [stateCounts(snapshot)],
  },
  load: {
    id: 'load', column: 'right', description: 'load average over 1, 5 and 15 minutes',
    lines: ({ snapshot: { system: { load: [l1, l5, l15] } } }) => [labelled('Load average: ', `${l1.toFixed(2)} ${l5.toFixed(2)} ${l15.toFixed(2)}`)],
  },
  uptime: {
    id: 'uptime', column: 'right', description: 'time since boot and the host name',
    lines: ({ snapshot, hostname }) => [[...labelled('Uptime: ', formatDuration(snapshot.system.uptime)), ...labelled('  Host: ', sanitize(hostname))]],
  },
  disk: {
    id: 'disk', column: 'right', description: 'whole-disk read and write bytes per second (/proc/diskstats; partitions, loop, ram, zram, dm and md devices left out, so a byte is counted once); … until the second refresh',
    hidden: ({ snapshot }) => snapshot.system.disk === undefined && snapshot.ratesNext?.disk !== true,
    lines: ({ snapshot: { system: { disk } } }, width) => [rates('Disk', disk?.read, 'read', disk?.write, 'write', disk?.disks === 0 ? 'no disk' : undefined, width)],
  },
  net: {
    id: 'net', column: 'right', description: 'network bytes received and sent per second over all interfaces but lo (/proc/net/dev of proctop\'s network namespace); … until the second refresh',
    hidden: ({ snapshot }) => snapshot.system.net === undefined && snapshot.ratesNext?.net !== true,
    lines: ({ snapshot: { system: { net } } }, width) => [rates('Net', net?.rx, 'rx', net?.tx, 'tx', net?.interfaces === 0 ? 'no interface' : undefined, width)],
  },
  container: {
    id: 'container', column: 'right',
    description: "the limits of the cgroup proctop runs in (a container's), the tightest on the way to the root: CPUs from cpu.max / cfs quota, memory from memory.max / limit_in_bytes; hidden when there are none",
    hidden: ({ snapshot }) => !ownLimited(snapshot.ownCgroup, snapshot.system.memory.total),
    lines: ({ snapshot }) => (snapshot.ownCgroup === undefined ? [] : [labelled('container: ', ownLimits(snapshot.ownCgroup, snapshot.system.memory.total))]),
  },
  self: {
    id: 'self', column: 'right', description: "proctop's own CPU% (… until its second refresh) and RSS",
    hidden: ({ self }) => self === undefined,
    lines: ({ self }) => [labelled('proctop: ', `${self?.cpu?.toFixed(1) ?? NOT_COUNTED}% CPU, ${self?.rss === undefined ? NOT_COUNTED : formatBytes(self.rss)} RSS`, 'dim')],
  },
};
