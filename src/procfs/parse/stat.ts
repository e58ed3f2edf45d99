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
const FIRST_AFTER_COMM = 3;
const LAST_FIELD_USED = 24;
const ARG_START_FIELD = 48;
/** Fields this parser keeps (1-based numbers; 0–2 unused). */
const KEPT = ARG_START_FIELD + 1;
/**
 * Field values of the line being parsed, reused: this runs for every process
 * on every scan, and an array of ~50 substrings per call was most of a scan's
 * garbage. NaN marks a field that is not a plain decimal integer.
 */
const values = new Float64Array(KEPT);
const USED: readonly (readonly [keyof StatRecord, number])[] = [
  ['ppid', 4], ['pgrp', 5], ['session', 6], ['ttyNr', 7], ['flags', 9], ['utime', 14], ['stime', 15],
  ['priority', 18], ['nice', 19], ['numThreads', 20], ['startTicks', 22], ['vsize', 23], ['rssPages', 24],
];
const SPACE = 32;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;

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
  if (!Number.isFinite(pid)) return parseError('stat: pid is not a number');
  let end = text.length;
  while (end > close + 2 && text.charCodeAt(end - 1) <= SPACE) end--;
  // Fields after the comm are separated by single spaces; an empty one reads as 0.
  let field = FIRST_AFTER_COMM;
  let stateEnd = end;
  let value = 0;
  let negative = false;
  let valid = true;
  let tokenStart = close + 2;
  for (let i = close + 2; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : SPACE;
    if (c === SPACE) {
      if (field === FIRST_AFTER_COMM) stateEnd = i;
      // A lone '-' is not a number; an empty field is 0, as Number('') was.
      else if (field < KEPT) values[field] = !valid || (negative && i === tokenStart + 1) ? NaN : negative ? -value : value;
      field++;
      tokenStart = i + 1;
      value = 0;
      negative = false;
      valid = true;
    } else if (c >= ZERO && c <= NINE) {
      value = value * 10 + (c - ZERO);
    } else if (c === MINUS && i === tokenStart) {
      negative = true;
    } else {
      valid = false;
    }
  }
  const count = field - 1;
  if (count < LAST_FIELD_USED) return parseError(`stat: ${count} fields, need ${LAST_FIELD_USED}`);
  for (const [key, n] of USED) if (Number.isNaN(values[n])) return parseError(`stat: ${key} is not a number`);
  // Optional: kernels before 3.5 print fewer fields.
  const argStart = count >= ARG_START_FIELD ? (values[ARG_START_FIELD] as number) : 0;
  if (Number.isNaN(argStart)) return parseError('stat: argStart is not a number');
  const letter = text.slice(close + 2, stateEnd);
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: STATE_SET.has(letter) ? (letter as ProcessState) : '?',
    ppid: values[4] as number,
    pgrp: values[5] as number,
    session: values[6] as number,
    ttyNr: values[7] as number,
    flags: values[9] as number,
    utime: values[14] as number,
    stime: values[15] as number,
    priority: values[18] as number,
    nice: values[19] as number,
    numThreads: values[20] as number,
    startTicks: values[22] as number,
    vsize: values[23] as number,
    rssPages: values[24] as number,
    argStart,
  };
}
