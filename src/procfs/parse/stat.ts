import { PROCESS_STATES, ProcessState } from '../../model/snapshot';
import { Parsed, parseError } from './result';

/** The fields proctop uses from /proc/PID/stat (see proc(5); field numbers are 1-based). */
export interface StatRecord {
  /** Field 1. */
  readonly pid: number;
  /** Field 2, without the parentheses; may hold spaces, parentheses and any byte. */
  readonly comm: string;
  /** Field 3. */
  readonly state: ProcessState;
  /** Field 4. */
  readonly ppid: number;
  /** Field 5. */
  readonly pgrp: number;
  /** Field 6. */
  readonly session: number;
  /** Field 7, encoded device number of the controlling terminal (0 = none). */
  readonly ttyNr: number;
  /** Field 9, PF_* kernel flags. */
  readonly flags: number;
  /** Field 14, clock ticks in user mode. */
  readonly utime: number;
  /** Field 15, clock ticks in kernel mode. */
  readonly stime: number;
  /** Field 18. */
  readonly priority: number;
  /** Field 19. */
  readonly nice: number;
  /** Field 20. */
  readonly numThreads: number;
  /** Field 22, clock ticks after boot. */
  readonly startTicks: number;
  /** Field 23, bytes. */
  readonly vsize: number;
  /** Field 24, pages. */
  readonly rssPages: number;
  /** Field 48, address of argv; a new value means the process exec'd. 0 when hidden from us or on old kernels. */
  readonly argStart: number;
}

/** PF_KTHREAD from include/linux/sched.h: set for kernel threads. */
export const PF_KTHREAD = 0x00200000;

const STATE_SET: ReadonlySet<string> = new Set(PROCESS_STATES);
// Index of field N within the fields after the comm: field 3 (state) is index 0.
const AFTER_COMM = 3;
const LAST_FIELD_USED = 24;

/**
 * Parses /proc/PID/stat. The comm is the only field that can hold spaces or
 * parentheses, and the kernel prints it inside the first `(` and the LAST `)`,
 * so splitting there recovers any comm (`a) R 1 (b` included).
 */
export function parseStat(text: string): Parsed<StatRecord> {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return parseError('stat: no (comm)');
  const pid = Number(text.slice(0, open).trim());
  const rest = text.slice(close + 2).trimEnd().split(' ');
  if (rest.length < LAST_FIELD_USED - AFTER_COMM + 1) return parseError(`stat: ${rest.length + 2} fields, need ${LAST_FIELD_USED}`);
  const field = (n: number): number => Number(rest[n - AFTER_COMM]);
  const letter = rest[0] ?? '';
  const record: StatRecord = {
    pid,
    comm: text.slice(open + 1, close),
    state: STATE_SET.has(letter) ? (letter as ProcessState) : '?',
    ppid: field(4),
    pgrp: field(5),
    session: field(6),
    ttyNr: field(7),
    flags: field(9),
    utime: field(14),
    stime: field(15),
    priority: field(18),
    nice: field(19),
    numThreads: field(20),
    startTicks: field(22),
    vsize: field(23),
    rssPages: field(24),
    // Optional: kernels before 3.5 print fewer fields.
    argStart: rest.length >= 48 - AFTER_COMM + 1 ? field(48) : 0,
  };
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'number' && !Number.isFinite(value)) return parseError(`stat: ${key} is not a number`);
  }
  return record;
}
