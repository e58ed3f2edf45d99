import { PROCESS_STATES, ProcessState } from '../../kernel/process-state';
import { err, ok, Result } from '../../base/result';

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
  /** Field 10, minor page faults (no disk read needed), a counter. */
  readonly minflt: number;
  /** Field 12, major page faults (read from disk), a counter. */
  readonly majflt: number;
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
 * Where each field starts in the line being parsed (and, at n + 1, where field n ends):
 * reused, because this runs for every process on every scan and an array of ~50 substrings
 * per call was most of a scan's garbage. Offsets, not values: a value read back from a
 * shared number array comes out as a double, and a double stored in the record makes that
 * field a boxed HeapNumber (16 bytes) in every record, where a small integer is stored inline.
 */
const starts = new Int32Array(KEPT + 1);
/** The numeric fields of a record, checked after parsing. */
const NUMERIC: readonly (keyof StatRecord)[] = [
  'ppid', 'pgrp', 'session', 'ttyNr', 'flags', 'minflt', 'majflt', 'utime', 'stime', 'priority', 'nice', 'numThreads', 'startTicks', 'vsize', 'rssPages', 'argStart',
];
const SPACE = 32;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;

/**
 * The decimal integer text[from, to) ('-' allowed first; empty reads as 0, as Number('')
 * did), or NaN.
 */
function integerAt(text: string, from: number, to: number): number {
  let i = from;
  const negative = i < to && text.charCodeAt(i) === MINUS;
  if (negative && ++i === to) return NaN;
  let value = 0;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return NaN;
    value = value * 10 + (c - ZERO);
  }
  return negative ? -value : value;
}

/**
 * Parses /proc/PID/stat. The comm is the only field that can hold spaces or
 * parentheses, and the kernel prints it inside the first `(` and the LAST `)`,
 * so splitting there recovers any comm (`a) R 1 (b` included).
 */
export function parseStat(text: string): Result<StatRecord> {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return err('stat: no (comm)');
  const pid = Number(text.slice(0, open).trim());
  if (!Number.isFinite(pid)) return err('stat: pid is not a number');
  let end = text.length;
  while (end > close + 2 && text.charCodeAt(end - 1) <= SPACE) end--;
  // Fields after the comm are separated by single spaces.
  let field = FIRST_AFTER_COMM;
  starts[field] = close + 2;
  for (let i = close + 2; i < end; i++) {
    if (text.charCodeAt(i) !== SPACE) continue;
    field++;
    if (field <= KEPT) starts[field] = i + 1;
  }
  const count = field;
  if (field < KEPT) starts[field + 1] = end + 1;
  if (count < LAST_FIELD_USED) return err(`stat: ${count} fields, need ${LAST_FIELD_USED}`);
  const at = (n: number): number => integerAt(text, starts[n] as number, (starts[n + 1] as number) - 1);
  // Optional: kernels before 3.5 print fewer fields.
  const argStart = count >= ARG_START_FIELD ? at(ARG_START_FIELD) : 0;
  const stateEnd = count > FIRST_AFTER_COMM ? (starts[FIRST_AFTER_COMM + 1] as number) - 1 : end;
  const letter = text.slice(close + 2, stateEnd);
  const record: StatRecord = {
    pid,
    comm: text.slice(open + 1, close),
    state: STATE_SET.has(letter) ? (letter as ProcessState) : '?',
    ppid: at(4),
    pgrp: at(5),
    session: at(6),
    ttyNr: at(7),
    flags: at(9),
    minflt: at(10),
    majflt: at(12),
    utime: at(14),
    stime: at(15),
    priority: at(18),
    nice: at(19),
    numThreads: at(20),
    startTicks: at(22),
    vsize: at(23),
    rssPages: at(24),
    argStart,
  };
  // NaN or an infinity in any field makes the sum non-finite; then say which one.
  let sum = 0;
  for (const key of NUMERIC) sum += record[key] as number;
  if (!Number.isFinite(sum)) return err(`stat: ${String(NUMERIC.find((key) => !Number.isFinite(record[key])))} is not a number`);
  return ok(record);
}
