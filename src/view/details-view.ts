import { formatAge, formatBytes, formatTimestamp } from '../model/format';
import { ProcessInfo, STATE_NAMES, ProcessState } from '../model/snapshot';
import type { Field, ProcessDetails } from '../kernel/process-details';

export type { ProcessDetails };
import { sanitize, truncate, displayWidth } from './text';
import { Dialog, fitLine, dialogScroll, Line, Segment } from './view-model';
import { PastDetails, recordedDetailsText } from './recorded-details';

/** Two reads of the details, for thread CPU% (ticks are 1/100 s). */
export interface DetailsInput {
  readonly details: ProcessDetails | undefined;
  readonly previous: ProcessDetails | undefined;
  /** ms between the two reads. */
  readonly elapsedMs: number;
  readonly process: ProcessInfo | undefined;
  readonly now: number;
  /** Local time zone as Date#getTimezoneOffset gives it; UTC when absent. */
  readonly tzOffset?: number;
  /** Set when the screen shows a frame from the past: the panel shows what that frame recorded, and reads nothing. */
  readonly past?: PastDetails | undefined;
}

const show = <T>(f: Field<T>, format: (v: T) => string): string => (f.ok ? format(f.value) : f.reason);

/** Wraps sanitized text to lines of `width` columns (command lines can be 100 KB: at most `max` lines). */
export function wrap(text: string, width: number, max: number): string[] {
  const out: string[] = [];
  let rest = sanitize(text);
  while (rest.length > 0 && out.length < max) {
    const line = truncate(rest, width);
    const taken = line.trimEnd().length || 1;
    out.push(line);
    rest = rest.slice(taken);
  }
  if (rest.length > 0 && out.length > 0) out[out.length - 1] = `${truncate(out[out.length - 1] as string, Math.max(0, width - 2))} …`;
  return out;
}

function threadLines(input: DetailsInput): string[] {
  const d = input.details;
  if (!d) return [];
  if (!d.threads.ok) return [`threads: ${d.threads.reason}`];
  const before = new Map((input.previous?.threads.ok ? input.previous.threads.value : []).map((t) => [t.tid, t.cpuTicks]));
  const rows = d.threads.value.slice(0, 200).map((t) => {
    const prev = before.get(t.tid);
    const cpu = prev === undefined || input.elapsedMs <= 0 ? '-' : (((t.cpuTicks - prev) * 1000) / input.elapsedMs).toFixed(1);
    return `  ${String(t.tid).padStart(7)} ${t.state} ${cpu.padStart(6)}%  ${sanitize(t.name)}`;
  });
  const more = d.threads.value.length > 200 ? [`  … and ${d.threads.value.length - 200} more`] : [];
  return [`threads (${d.threads.value.length}):     TID S   CPU%  NAME`, ...rows, ...more];
}

/**
 * RSS, PSS and its parts from smaps_rollup, and swap: `RSS 5.1M  PSS 1.1M (anon
 * 512K, file 619K, shmem 0B)  swap 0B (PSS 0B)`. smaps_rollup needs ptrace read access: without
 * it the line says so and still gives the table's RSS (statm) and VmSwap, which anyone may read.
 */
function memoryLine(d: ProcessDetails, p: ProcessInfo | undefined): string {
  const rss = p?.rss === undefined ? '' : `RSS ${formatBytes(p.rss)}  `;
  const vmSwap = show(d.swap, formatBytes);
  if (!d.memory.ok) return `${rss}PSS: ${d.memory.reason} (smaps_rollup)  swap ${vmSwap}`;
  const m = d.memory.value;
  const part = (name: string, v: number | undefined): string[] => (v === undefined ? [] : [`${name} ${formatBytes(v)}`]);
  const parts = [...part('anon', m.pssAnon), ...part('file', m.pssFile), ...part('shmem', m.pssShmem)];
  const swapPss = m.swapPss === undefined ? '' : ` (PSS ${formatBytes(m.swapPss)})`;
  return `RSS ${formatBytes(m.rss)}  PSS ${formatBytes(m.pss)}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}  swap ${vmSwap}${swapPss}`;
}

/** The text of the details panel, one string per line (before wrapping to the dialog width). */
export function detailsText(input: DetailsInput, width: number): string[] {
  if (input.past) return recordedDetailsText(input.process, input.past, input.tzOffset, (text) => wrap(text, width - 2, 20));
  const d = input.details;
  if (!d) return ['The process is gone (or its PID now belongs to another process).'];
  const p = input.process;
  const state = `${d.state} (${STATE_NAMES[d.state as ProcessState] ?? 'unknown'})`;
  const lines: string[] = [];
  const argv = show(d.argv, (a) => (a.length === 0 ? `[${p?.name ?? '?'}] (no command line: kernel thread or zombie)` : a.join(' ')));
  lines.push('command:', ...wrap(argv, width - 2, 20).map((l) => `  ${l}`));
  lines.push(`exe: ${show(d.exe, sanitize)}`, `cwd: ${show(d.cwd, sanitize)}`);
  lines.push(`state: ${state}   wchan: ${show(d.wchan, (w) => sanitize(w) || '-')}   traced: ${show(d.tracerPid, (t) => (t === 0 ? 'no' : `yes, by PID ${t}`))}`);
  lines.push(`parents: ${d.parentChain.map((x) => `${x.pid} ${sanitize(x.name)}`).join(' ← ') || '(none)'}`);
  lines.push(`children (${d.children.length}): ${d.children.slice(0, 30).map((c) => `${c.pid} ${sanitize(c.name)} ${c.state}`).join(', ') || '(none)'}`);
  lines.push(`started: ${formatTimestamp(d.startTime, input.tzOffset)} (${formatAge((input.now - d.startTime) / 1000)} ago)`);
  lines.push(`user: ${sanitize(p?.user ?? '-')}   uid r/e/s/fs: ${show(d.uids, (u) => u.join('/'))}   gid: ${show(d.gids, (g) => g.join('/'))}`);
  lines.push(`nice: ${d.nice}   priority: ${d.priority}   CPUs allowed: ${show(d.cpusAllowed, sanitize)}`);
  lines.push(`cgroup: ${show(d.cgroup, sanitize)}`);
  lines.push(`namespaces unlike PID 1's: ${show(d.namespacesDifferingFromInit, (n) => (n.length === 0 ? 'none (same as the host)' : `${n.join(', ')} (container?)`))}`);
  lines.push(`memory: ${memoryLine(d, p)}`);
  lines.push(`open files: ${show(d.openFiles, String)}   OOM score: ${show(d.oomScore, String)} (adj ${show(d.oomScoreAdj, String)})`);
  lines.push(`context switches: ${show(d.contextSwitches, (c) => `${c.voluntary} voluntary, ${c.involuntary} involuntary`)}`);
  lines.push(`I/O: ${show(d.io, (io) => `read ${formatBytes(io.read_bytes ?? 0)}, written ${formatBytes(io.write_bytes ?? 0)}, syscalls r/w ${io.syscr ?? '-'}/${io.syscw ?? '-'}`)}`);
  lines.push(...threadLines(input));
  lines.push(`limits: ${d.limits.ok ? '' : d.limits.reason}`);
  if (d.limits.ok) for (const l of d.limits.value) lines.push(`  ${l.name.padEnd(26)} ${l.soft.padStart(12)} ${l.hard.padStart(12)} ${l.units}`);
  return lines;
}

/** The details dialog: scrollable, nearly full screen. */
export function detailsDialog(input: DetailsInput, scroll: number, screenW: number, screenH: number): Dialog {
  const width = Math.max(20, screenW - 2);
  const inner = width - 2;
  const text = detailsText(input, inner).flatMap((l) => (displayWidth(l) > inner ? wrap(l, inner, 50) : [l]));
  const room = Math.max(1, screenH - 3);
  const start = Math.max(0, Math.min(scroll, text.length - room));
  const lines: Line[] = text.slice(start, start + room).map((l) => fitLine([{ text: l, style: 'dialog' } as Segment], inner));
  lines.push(fitLine([{ text: `↑/↓ PgUp/PgDn: scroll (${start + 1}–${Math.min(text.length, start + room)} of ${text.length})   Esc/Enter: back`, style: 'dim' }], inner));
  const pid = input.details?.pid ?? input.process?.pid ?? input.past?.pid ?? 0;
  return { title: `PID ${pid} ${input.process ? sanitize(input.process.name) : ''}`, lines, width, height: Math.min(screenH, lines.length + 2), scroll: dialogScroll(text.length, room) };
}
