import { METERS } from '../model/settings';
import { formatBytes, formatDuration } from '../model/format';
import { CpuUsage, Snapshot } from '../model/snapshot';
import { displayWidth, sanitize, truncate } from './text';
import { Line, Segment } from './view-model';

/** proctop's own cost, shown so a user sees what watching costs. */
export interface SelfCost {
  readonly cpu: number | undefined;
  readonly rss: number | undefined;
}

/** Fits a list of segments into exactly `width` columns by display width (cutting or padding the tail). */
export function fitLine(segments: readonly Segment[], width: number): Segment[] {
  const out: Segment[] = [];
  let left = width;
  for (const s of segments) {
    if (left <= 0) break;
    const text = truncate(s.text, left);
    out.push({ text, style: s.style });
    left -= displayWidth(text);
  }
  if (left > 0) out.push({ text: ' '.repeat(left), style: 'normal' });
  return out;
}

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

function cpuBar(label: string, c: CpuUsage, width: number): Segment[] {
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
function cpuBars(cpus: readonly CpuUsage[], width: number): Segment[][] {
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
      line.push(...fitLine(cpuBar(label(i), cpu, barWidth), barWidth));
    }
    lines.push(line);
  }
  return lines;
}

/** Left column: one bar per CPU, then Mem and Swap. */
function leftColumn(s: Snapshot, width: number, meters: ReadonlySet<string>): Segment[][] {
  const { cpus, memory: m } = s.system;
  const lines: Segment[][] = [];
  if (meters.has('cpus')) lines.push(...cpuBars(cpus, width));
  const memShare = (n: number): number => (m.total > 0 ? (n * 100) / m.total : 0);
  if (meters.has('memory')) {
    lines.push(bar('Mem', [[memShare(m.used), 'mem-used'], [memShare(m.buffers), 'mem-buffers'], [memShare(m.cache), 'mem-cache']], `${formatBytes(m.used)}/${formatBytes(m.total)}`, width));
  }
  const swapShare = m.swapTotal > 0 ? (m.swapUsed * 100) / m.swapTotal : 0;
  if (meters.has('swap')) lines.push(bar('Swp', [[swapShare, 'swap-used']], `${formatBytes(m.swapUsed)}/${formatBytes(m.swapTotal)}`, width));
  return lines;
}

/** Label of the state counts line; the app finds the line by it (a click there opens the zombie view). */
export const STATES_LABEL = 'States: ';

/** Right column: tasks, state counts (Z and D stand out when non-zero), load, uptime, host, own cost. */
function rightColumn(s: Snapshot, hostname: string, self: SelfCost | undefined, meters: ReadonlySet<string>): Segment[][] {
  const st = s.states;
  const stateSegs: Segment[] = [{ text: STATES_LABEL, style: 'label' }];
  for (const letter of ['R', 'S', 'D', 'T', 'Z', 'I'] as const) {
    const n = letter === 'T' ? st.T + st.t : st[letter];
    const alert = n > 0 && (letter === 'Z' || letter === 'D');
    stateSegs.push({ text: `${letter}:${n}`, style: alert ? (letter === 'Z' ? 'alert' : 'warn') : 'value' }, { text: ' ', style: 'normal' });
  }
  const [l1, l5, l15] = s.system.load;
  const lines: Segment[][] = [];
  if (meters.has('tasks')) lines.push([{ text: 'Tasks: ', style: 'label' }, { text: `${s.processCount}, ${s.threadCount} thr; ${st.R} running`, style: 'value' }]);
  if (meters.has('states')) lines.push(stateSegs);
  if (meters.has('load')) lines.push([{ text: 'Load average: ', style: 'label' }, { text: `${l1.toFixed(2)} ${l5.toFixed(2)} ${l15.toFixed(2)}`, style: 'value' }]);
  if (meters.has('uptime')) {
    lines.push([{ text: 'Uptime: ', style: 'label' }, { text: formatDuration(s.system.uptime), style: 'value' }, { text: '  Host: ', style: 'label' }, { text: sanitize(hostname), style: 'value' }]);
  }
  if (meters.has('self') && self && self.cpu !== undefined) {
    lines.push([{ text: 'proctop: ', style: 'label' }, { text: `${self.cpu.toFixed(1)}% CPU, ${formatBytes(self.rss ?? 0)} RSS`, style: 'dim' }]);
  }
  return lines;
}

/** The meters above the table, at most `maxLines` lines of exactly `width` columns. */
/** Every meter, for callers that show them all (the default). */
export const ALL_METERS: ReadonlySet<string> = new Set(METERS);

export function buildHeader(s: Snapshot, width: number, maxLines: number, hostname: string, self?: SelfCost, facts?: string, meters: ReadonlySet<string> = ALL_METERS): Line[] {
  const half = Math.floor(width / 2);
  const factsLine: Line[] = facts ? [fitLine([{ text: sanitize(facts), style: 'dim' }], width)] : [];
  const left = leftColumn(s, Math.max(10, half - 1), meters);
  const right = rightColumn(s, hostname, self, meters);
  const lines: Line[] = [...factsLine];
  for (let i = 0; i < Math.max(left.length, right.length) && lines.length < maxLines; i++) {
    if (width < 60) {
      // Too narrow for two columns: CPUs/Mem first, then the text lines.
      continue;
    }
    lines.push([...fitLine(left[i] ?? [], half - 1), { text: '  ', style: 'normal' }, ...fitLine(right[i] ?? [], width - half - 1)]);
  }
  if (width < 60) {
    for (const l of [...left, ...right]) if (lines.length < maxLines) lines.push(fitLine(l, width));
  }
  return lines;
}
