/**
 * Minimal, dependency-free readers of /proc used by the test helpers and by the
 * tests that check them. They deliberately do not reuse src/ so that a bug in the
 * production parser cannot hide itself in the tests that are meant to catch it.
 *
 * Every reader returns `undefined` when the process (or the file) is gone instead of
 * throwing: processes in a landscape die and get reaped concurrently with the reads.
 */
import * as fs from 'node:fs';

/** Fields of /proc/PID/stat the helpers need. */
export interface ProcStat {
  /** raw bytes of field 2 (between the first '(' and the LAST ')'); may hold ')', spaces, newlines, ESC */
  comm: Buffer;
  /** field 3, e.g. 'S', 'R', 'Z', 'T', 't' */
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  numThreads: number;
  /** field 22 in clock ticks since boot; together with the pid it identifies one process across pid reuse */
  starttime: number;
}

/** Reads a whole /proc file as bytes; undefined if the process or file is gone. */
export function readProcFile(pid: number | 'self', name: string): Buffer | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/${name}`);
  } catch (err) {
    // ESRCH can surface for a task that died between open() and read().
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/**
 * Parses /proc/PID/stat. comm is taken between the first '(' and the LAST ')' because
 * comm itself may contain ')' (the helpers create such processes on purpose).
 */
export function readStat(pid: number | 'self'): ProcStat | undefined {
  const raw = readProcFile(pid, 'stat');
  if (raw === undefined) return undefined;
  const open = raw.indexOf('(');
  const close = raw.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  // After ") " come fields 3..N separated by single spaces; index 0 here is field 3.
  const rest = raw.subarray(close + 2).toString('latin1').trim().split(' ');
  const field = (n: number): number => Number(rest[n - 3]);
  return {
    comm: Buffer.from(raw.subarray(open + 1, close)),
    state: rest[0] ?? '',
    ppid: field(4),
    pgrp: field(5),
    session: field(6),
    numThreads: field(20),
    starttime: field(22),
  };
}

/** State letter from /proc/PID/stat (split at the LAST ')'), undefined if the process is gone. */
export function procState(pid: number): string | undefined {
  return readStat(pid)?.state;
}

/** Parent pid from /proc/PID/stat, undefined if the process is gone. */
export function procPpid(pid: number): number | undefined {
  return readStat(pid)?.ppid;
}

/** One "Key:\tvalue" line of /proc/PID/status (value trimmed), undefined if gone or absent. */
export function readStatusField(pid: number, key: string): string | undefined {
  const raw = readProcFile(pid, 'status');
  if (raw === undefined) return undefined;
  for (const line of raw.toString('latin1').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon) === key) return line.slice(colon + 1).trim();
  }
  return undefined;
}

/** Raw bytes of /proc/PID/cmdline (each argument NUL-terminated). */
export function readCmdline(pid: number): Buffer | undefined {
  return readProcFile(pid, 'cmdline');
}

/** Raw bytes of /proc/PID/comm without the single trailing newline the kernel appends. */
export function readComm(pid: number): Buffer | undefined {
  const raw = readProcFile(pid, 'comm');
  if (raw === undefined) return undefined;
  // Strip exactly one '\n': comm itself may end in a newline byte.
  return raw.length > 0 && raw[raw.length - 1] === 0x0a ? raw.subarray(0, raw.length - 1) : raw;
}

/** Every numeric entry of /proc, i.e. every visible process. */
export function allPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/**
 * Direct children of `pid`. Uses /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN) for every
 * thread when available, else scans /proc for matching ppids.
 */
export function childrenOf(pid: number): number[] {
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const found = new Set<number>();
  let haveChildrenFile = true;
  for (const tid of tids) {
    const raw = readProcFile(pid, `task/${tid}/children`);
    if (raw === undefined) {
      // Either the thread just exited or the kernel lacks CONFIG_PROC_CHILDREN; the scan covers both.
      haveChildrenFile = false;
      break;
    }
    for (const word of raw.toString('latin1').split(' ')) if (word !== '') found.add(Number(word));
  }
  if (!haveChildrenFile) {
    found.clear();
    for (const p of allPids()) if (readStat(p)?.ppid === pid) found.add(p);
  }
  return [...found].sort((a, b) => a - b);
}
