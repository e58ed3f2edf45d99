/**
 * `proctop dump` lines: one per process per frame, or one per frame with
 * `--summary`, as text, JSON Lines or CSV. Pure: frames in, text out.
 */
import { forksBetween, ProcessInfo, Snapshot, SystemInfo } from '../model/snapshot';
import { escapeUnsafe, jsonProcess } from './json';
import { sanitize } from '../view/text';

export type DumpFormat = 'text' | 'json' | 'csv';

/** The process fields of a text or CSV line, in order (JSON lines carry every `--json` field). */
const PROCESS_COLUMNS: readonly { readonly title: string; readonly value: (p: ProcessInfo) => string | number | undefined }[] = [
  { title: 'pid', value: (p) => p.pid },
  { title: 'ppid', value: (p) => p.ppid },
  { title: 'user', value: (p) => p.user },
  { title: 'state', value: (p) => p.state },
  { title: 'cpu', value: (p) => (p.cpu === undefined ? undefined : Number(p.cpu.toFixed(1))) },
  { title: 'mem', value: (p) => (p.mem === undefined ? undefined : Number(p.mem.toFixed(1))) },
  { title: 'rss', value: (p) => p.rss },
  { title: 'threads', value: (p) => p.threads },
  { title: 'command', value: (p) => p.command },
];

/** One frame's figures for `--summary`. */
export interface FrameSummary {
  readonly time: number;
  readonly processes: number;
  readonly states: Readonly<Record<string, number>>;
  /** Zombies per parent pid, the parents with most first. */
  readonly zombieParents: readonly (readonly [number, number])[];
  readonly forks: number | null;
  readonly load: readonly [number, number, number];
}

/** `before`: the previous frame's host facts, for the forks between the two (null for the first frame). */
export function summarize(snapshot: Snapshot, rows: readonly ProcessInfo[], before?: SystemInfo): FrameSummary {
  const states: Record<string, number> = { R: 0, S: 0, D: 0, Z: 0, T: 0, t: 0, I: 0 };
  const zombies = new Map<number, number>();
  for (const p of rows) {
    if (p.thread) continue;
    states[p.state] = (states[p.state] ?? 0) + 1;
    if (p.state === 'Z') zombies.set(p.ppid, (zombies.get(p.ppid) ?? 0) + 1);
  }
  return {
    time: snapshot.time,
    processes: rows.filter((p) => !p.thread).length,
    states,
    zombieParents: [...zombies].sort((a, b) => b[1] - a[1] || a[0] - b[0]),
    forks: forksBetween(snapshot.system, before) ?? null,
    load: snapshot.system.load,
  };
}

const iso = (t: number): string => new Date(t).toISOString();

/**
 * A CSV cell (RFC 4180). Control characters become U+FFFD (a spreadsheet shows them
 * as garbage at best; JSON keeps them exactly), and a cell a spreadsheet would run as a formula
 * (= + - @ first) gets a leading apostrophe.
 */
export function csvCell(v: string | number | undefined | null): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return String(v);
  let s = v.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function dumpHeader(format: DumpFormat, summary: boolean): string | undefined {
  if (format === 'json') return undefined;
  const titles = summary ? ['time', 'processes', 'R', 'S', 'D', 'Z', 'T', 't', 'I', 'forks', 'load1', 'load5', 'load15', 'zombie_parents'] : ['time', ...PROCESS_COLUMNS.map((c) => c.title)];
  return format === 'csv' ? titles.join(',') : titles.join('\t');
}

/** The lines of one frame (no trailing newline on each). */
export function dumpFrame(snapshot: Snapshot, rows: readonly ProcessInfo[], format: DumpFormat, summary: boolean, stuckAfterMs: number, before?: SystemInfo): string[] {
  if (summary) {
    const s = summarize(snapshot, rows, before);
    if (format === 'json') return [escapeUnsafe(JSON.stringify({ ...s, time: iso(s.time), zombieParents: s.zombieParents.map(([ppid, n]) => ({ ppid, zombies: n })) }))];
    const parents = s.zombieParents.map(([ppid, n]) => `${ppid}:${n}`).join(' ');
    const cells = [iso(s.time), s.processes, ...['R', 'S', 'D', 'Z', 'T', 't', 'I'].map((k) => s.states[k] ?? 0), s.forks ?? '', ...s.load, parents];
    return [format === 'csv' ? cells.map((c) => csvCell(c)).join(',') : cells.join('\t')];
  }
  const time = iso(snapshot.time);
  if (format === 'json') return rows.map((p) => escapeUnsafe(JSON.stringify({ time, ...jsonProcess(p, snapshot.time, stuckAfterMs) })));
  if (format === 'csv') return rows.map((p) => [time, ...PROCESS_COLUMNS.map((c) => csvCell(c.value(p)))].join(','));
  // Text: every /proc string through the terminal gate; tabs inside become spaces so columns hold.
  return rows.map((p) => [time, ...PROCESS_COLUMNS.map((c) => sanitize(String(c.value(p) ?? '-')).replace(/\t/g, ' '))].join('\t'));
}
