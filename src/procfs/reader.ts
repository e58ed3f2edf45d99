import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { commBytesOfStat, parseCmdline } from './parse/cmdline';
import { LoadAvg, parseLoadavg, parseUptime } from './parse/loadavg';
import { parseMeminfo } from './parse/meminfo';
import { parsePasswd } from './parse/passwd';
import { orUndefined, Result } from '../base/result';
import { parseStat, StatRecord } from './parse/stat';
import { parseStatm, StatmRecord } from './parse/statm';
import { parseSchedExecStart } from './parse/sched';
import { parseStatus, parseVmSwap, StatusRecord } from './parse/status';
import { parseInteger } from './parse/integer';
import { maxOpenFiles } from './parse/limits';
import { IoBytes, ioBytes, parseIo } from './parse/io';
import { parseSystemStat, SystemStat } from './parse/system-stat';
import { MemoryInfo } from '../kernel/memory';
import { DiskCounters, parseDiskstats } from './parse/diskstats';
import { NetCounters, parseNetDev } from './parse/net-dev';

/** Host-wide files of one scan, parsed. Undefined where a file was unreadable or malformed. */
export interface RawSystem {
  readonly stat: SystemStat | undefined;
  readonly memory: MemoryInfo | undefined;
  readonly loadavg: LoadAvg | undefined;
  readonly uptime: number | undefined;
  /** /proc/diskstats: every block device's counters. */
  readonly disks: DiskCounters[] | undefined;
  /** /proc/net/dev: every interface's byte counters (of this process's network namespace). */
  readonly net: NetCounters[] | undefined;
}

/**
 * The only code that touches the file system for process data. Every read
 * tolerates a pid that vanished (ENOENT, ESRCH) or a file it may not read
 * (EACCES under hidepid, other users' files): it returns undefined and the
 * scan goes on. Reads go through one reused buffer with open/read/close,
 * because procfs reports size 0 and readFileSync allocates 64 KiB per file.
 */
export class ProcReader {
  private buffer = Buffer.allocUnsafe(64 * 1024);

  /** @param root the procfs mount (normally `/proc`; a fixture tree in tests). */
  constructor(readonly root: string) {}

  /** Numeric entries of the root: the pids visible to us. */
  listPids(): number[] {
    return numericEntries(this.root);
  }

  /** Thread ids of a process (entries of /proc/PID/task); empty when it vanished. */
  listTasks(pid: number): number[] {
    return numericEntries(`${this.root}/${pid}/task`);
  }

  /** /proc/PID/stat, or /proc/PID/task/TID/stat when tid is given. */
  readStat(pid: number, tid?: number): StatRecord | undefined {
    const text = this.readText(tid === undefined ? `${pid}/stat` : `${pid}/task/${tid}/stat`);
    if (text === undefined) return undefined;
    const parsed = parseStat(text);
    return orUndefined(parsed);
  }

  readStatm(pid: number): StatmRecord | undefined {
    const text = this.readText(`${pid}/statm`);
    if (text === undefined) return undefined;
    const parsed = parseStatm(text);
    return orUndefined(parsed);
  }

  /**
   * When the process last ran, ms on the scheduler clock (/proc/PID/sched se.exec_start); `self`
   * gives the clock now. Undefined when the kernel has no sched file or it is unreadable.
   */
  readSchedExecStart(pid: number | 'self'): number | undefined {
    const text = this.readText(`${pid}/sched`);
    if (text === undefined) return undefined;
    const parsed = parseSchedExecStart(text);
    return orUndefined(parsed);
  }

  /** argv of the process; undefined when unreadable, [] for kernel threads and zombies. */
  readArgv(pid: number): string[] | undefined {
    const text = this.readText(`${pid}/cmdline`);
    return text === undefined ? undefined : parseCmdline(text);
  }

  /**
   * argv, and a copy of the cmdline's exact bytes when they are not valid UTF-8 (the text then
   * holds U+FFFD where they were): checked only when the text has a U+FFFD, so the usual
   * command line costs one `includes`.
   */
  readArgvExact(pid: number): { readonly argv: string[]; readonly invalid: Buffer | undefined } | undefined {
    const length = this.readRaw(`${this.root}/${pid}/cmdline`);
    if (length === undefined) return undefined;
    const text = this.buffer.toString('utf8', 0, length);
    const raw = this.buffer.subarray(0, length);
    const invalid = text.includes('\ufffd') && !isUtf8(raw) ? Buffer.from(raw) : undefined;
    return { argv: parseCmdline(text), invalid };
  }

  /** comm's exact bytes, from a fresh read of /proc/PID/stat; for a comm that decoded with U+FFFD. */
  readCommBytes(pid: number): Buffer | undefined {
    const length = this.readRaw(`${this.root}/${pid}/stat`);
    return length === undefined ? undefined : commBytesOfStat(this.buffer.subarray(0, length));
  }

  readStatus(pid: number): StatusRecord | undefined {
    const text = this.readText(`${pid}/status`);
    return text === undefined ? undefined : parseStatus(text);
  }

  /** `VmSwap` of /proc/PID/status in bytes; undefined when unreadable or absent (kernel threads). */
  readSwap(pid: number): number | undefined {
    const text = this.readText(`${pid}/status`);
    return text === undefined ? undefined : parseVmSwap(text);
  }

  /** A one-number file of the process (`oom_score`, `oom_score_adj`); undefined when unreadable or malformed. */
  readInteger(pid: number, file: 'oom_score' | 'oom_score_adj'): number | undefined {
    const text = this.readText(`${pid}/${file}`);
    if (text === undefined) return undefined;
    const parsed = parseInteger(text);
    return orUndefined(parsed);
  }

  /**
   * The storage byte counters of /proc/PID/io; `'denied'` when the kernel refused the read
   * (EACCES/EPERM: /proc/PID/io needs ptrace read access, checked at read(), so another user's
   * process without root); undefined when gone, malformed or without task I/O accounting.
   */
  readIo(pid: number): IoBytes | 'denied' | undefined {
    const text = this.readTextOrError(`${pid}/io`);
    if (typeof text !== 'string') return text.error === 'EACCES' || text.error === 'EPERM' ? 'denied' : undefined;
    const parsed = parseIo(text);
    return parsed.ok ? ioBytes(parsed.value) : undefined;
  }

  /**
   * Owner uid of /proc/PID: one stat() call, cheaper than formatting the
   * 1.4 KB status file, and the kernel sets it to the process's euid.
   */
  readUid(pid: number): number | undefined {
    try {
      return fs.statSync(`${this.root}/${pid}`).uid;
    } catch {
      return undefined;
    }
  }

  /**
   * Child pids from /proc/PID/task/TID/children (every thread's), or
   * undefined when the kernel lacks CONFIG_PROC_CHILDREN: then the caller has
   * to scan every stat file for the ppid.
   */
  readChildren(pid: number): number[] | undefined {
    const kids: number[] = [];
    for (const tid of this.listTasks(pid)) {
      const text = this.readText(`${pid}/task/${tid}/children`);
      if (text === undefined) return tid === pid ? undefined : kids;
      for (const word of text.split(' ')) if (word !== '' && word !== '\n') kids.push(Number(word));
    }
    return kids.filter((n) => Number.isInteger(n) && n > 0);
  }

  /** Kernel function a sleeping process waits in; undefined when unreadable, '' when running. */
  readWchan(pid: number): string | undefined {
    const text = this.readText(`${pid}/wchan`);
    return text === undefined ? undefined : text === '0' ? '' : text;
  }

  /** Target of /proc/PID/exe; undefined for kernel threads and when not permitted. */
  readExe(pid: number): string | undefined {
    try {
      return fs.readlinkSync(`${this.root}/${pid}/exe`);
    } catch {
      return undefined;
    }
  }

  /** Whether the root is a procfs mount (statfs type PROC_SUPER_MAGIC), not a fixture tree of plain files. */
  isProcfs(): boolean {
    try {
      return fs.statfsSync(this.root).type === PROC_SUPER_MAGIC;
    } catch {
      return false;
    }
  }

  /** proctop's own soft `Max open files` (RLIMIT_NOFILE) from `<root>/self/limits`; undefined when unreadable. */
  ownMaxOpenFiles(): number | undefined {
    return maxOpenFiles(this.readText('self/limits'));
  }

  /** /proc/sys/kernel/random/boot_id: changes at every boot; undefined when unreadable. */
  readBootId(): string | undefined {
    return this.readText('sys/kernel/random/boot_id')?.trim() || undefined;
  }

  readSystem(): RawSystem {
    const parse = <T>(name: string, parser: (text: string) => Result<T>): T | undefined => {
      const text = this.readText(name);
      if (text === undefined) return undefined;
      const parsed = parser(text);
      return orUndefined(parsed);
    };
    return {
      stat: parse('stat', parseSystemStat),
      memory: parse('meminfo', parseMeminfo),
      loadavg: parse('loadavg', parseLoadavg),
      uptime: parse('uptime', parseUptime),
      disks: parse('diskstats', parseDiskstats),
      net: parse('net/dev', parseNetDev),
    };
  }

  /**
   * Bytes per page, derived once from this process's own statm and status
   * (VmRSS in kB ÷ resident pages), so arm64/ppc64 kernels with 64 KiB pages
   * are handled without spawning `getconf`. Falls back to 4096 (fixture roots).
   */
  pageSize(): number {
    const statm = this.readStatm(process.pid);
    const status = this.readText(`${process.pid}/status`);
    const rssKb = status === undefined ? undefined : /\nVmRSS:\s+(\d+)/.exec(status)?.[1];
    if (!statm || !rssKb || statm.resident === 0) return 4096;
    const ratio = (Number(rssKb) * 1024) / statm.resident;
    const power = 2 ** Math.round(Math.log2(ratio));
    return power >= 4096 && power <= 65536 ? power : 4096;
  }

  /** Reads a file under the root as UTF-8 (invalid bytes become U+FFFD); undefined on any error. */
  readText(relative: string): string | undefined {
    return this.readPath(`${this.root}/${relative}`);
  }

  /** Like {@link ProcReader.readText} for a path outside the root (cgroupfs files), through the same buffer. */
  readPath(path: string): string | undefined {
    const length = this.readRaw(path);
    return length === undefined ? undefined : this.buffer.toString('utf8', 0, length);
  }

  /** Reads a whole file into the reused buffer; its length, or undefined on any error. */
  private readRaw(path: string): number | undefined {
    let fd: number;
    try {
      fd = fs.openSync(path, 'r');
    } catch {
      return undefined;
    }
    try {
      return this.readInto(fd);
    } catch {
      return undefined;
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * Like {@link ProcReader.readText} but says why a read failed (the errno
   * code, e.g. `EACCES`), for the details panel, which prints the reason.
   * The error can come from open() or from read(): /proc/PID/io checks
   * ptrace access only when read, and a task that died in between gives ESRCH.
   */
  readTextOrError(relative: string): string | ReadError {
    return this.readOrError(relative, (length) => this.buffer.toString('utf8', 0, length));
  }

  /** Like {@link ProcReader.readTextOrError}, the exact bytes (a copy): for files whose bytes are not text (environ). */
  readBytesOrError(relative: string): Buffer | ReadError {
    return this.readOrError(relative, (length) => Buffer.from(this.buffer.subarray(0, length)));
  }

  /** Reads a file under the root into the reused buffer and takes `take` of its length, or says why it could not. */
  private readOrError<T>(relative: string, take: (length: number) => T): T | ReadError {
    let fd: number;
    try {
      fd = fs.openSync(`${this.root}/${relative}`, 'r');
    } catch (err) {
      return readError(err);
    }
    try {
      return take(this.readInto(fd));
    } catch (err) {
      return readError(err);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Target of a symlink under the root (/proc/PID/exe, cwd, ns/*), or why it could not be read. */
  readLinkOrError(relative: string): string | ReadError {
    try {
      return fs.readlinkSync(`${this.root}/${relative}`);
    } catch (err) {
      return readError(err);
    }
  }

  /** Entry names of a directory under the root (/proc/PID/fd, task, ns), or why it could not be listed. */
  listDirOrError(relative: string): string[] | ReadError {
    return this.listPath(`${this.root}/${relative}`);
  }

  /** Entry names of any directory (cgroupfs, Docker's state), or why it could not be listed. */
  listPath(path: string): string[] | ReadError {
    try {
      return fs.readdirSync(path);
    } catch (err) {
      return readError(err);
    }
  }

  private readInto(fd: number): number {
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, this.buffer, length, this.buffer.length - length, null);
      length += n;
      // procfs returns everything it has in one read when the buffer is large
      // enough, so a read that leaves space is the end (saves a syscall per file).
      if (n === 0 || length < this.buffer.length) break;
      const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
      this.buffer.copy(bigger, 0, 0, length);
      this.buffer = bigger;
    }
    return length;
  }
}

/** statfs f_type of a procfs mount (linux/magic.h). */
const PROC_SUPER_MAGIC = 0x9fa0;

/** Why a read under the root failed: the errno code (`EACCES`, `ENOENT`, …), or `EUNKNOWN`. */
export interface ReadError {
  readonly error: string;
}

function readError(err: unknown): ReadError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return { error: typeof code === 'string' ? code : 'EUNKNOWN' };
}

/** Reads a passwd file into uid → name; an unreadable file gives an empty map. */
export function readPasswd(path: string): Map<number, string> {
  try {
    return parsePasswd(fs.readFileSync(path, 'utf8'));
  } catch {
    return new Map();
  }
}

function numericEntries(dir: string): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const name of names) {
    const code = name.charCodeAt(0);
    if (code >= 48 && code <= 57) pids.push(Number(name));
  }
  return pids;
}

/** True when `<root>/self/stat` can be read: a Linux procfs is mounted there (or a fixture tree stands in). */
export function procfsReadable(root: string): boolean {
  try {
    fs.accessSync(`${root}/self/stat`, fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
