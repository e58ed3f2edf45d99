/**
 * The reads a group member needs beyond the snapshot (CPU split, faults,
 * swap, context switches, I/O bytes, file descriptors): only for members,
 * so their cost follows the groups' size, not the host's process count.
 * fs stays in the ProcReader; this only decides what to read.
 */
import { ProcessInfo } from '../model/snapshot';
import { ProcReader } from '../procfs/reader';
import { CLOCK_TICKS } from '../procfs/clock';
import { parseIo } from '../procfs/parse/io';
import { maxOpenFiles } from '../procfs/parse/limits';
import { parseStatusCounters } from '../procfs/parse/status';
import type { MemberReading } from './group-families';

/** Outcome of reading one member: its reading, whether some part failed, or gone (exited or pid reused). */
export type MemberOutcome = { readonly reading: MemberReading; readonly partial: boolean } | { readonly gone: true };

/**
 * Reads one member's extras; `gone` when its stat no longer shows the same
 * process. `knownMaxFds`: its soft `Max open files` as read before (the
 * limits file is then not read; it changes only by prlimit).
 */
export function readMember(reader: ProcReader, p: ProcessInfo, knownMaxFds?: { readonly value: number | undefined }): MemberOutcome {
  const stat = reader.readStat(p.pid);
  if (stat === undefined || stat.startTicks !== p.startTicks) return { gone: true };
  const status = reader.readText(`${p.pid}/status`);
  const details = status === undefined ? undefined : parseStatusCounters(status);
  // io needs ptrace access: another user's process is unreadable unless proctop runs as root.
  const ioText = reader.readText(`${p.pid}/io`);
  const io = ioText === undefined ? undefined : parseIo(ioText);
  const ioOk = io?.ok ? io.value : undefined;
  const fds = reader.listDirOrError(`${p.pid}/fd`);
  const openFds = Array.isArray(fds) ? fds.length : undefined;
  const partial = status === undefined || ioOk === undefined || openFds === undefined;
  return {
    partial,
    reading: {
      counters: {
        cpuUser: stat.utime / CLOCK_TICKS,
        cpuSystem: stat.stime / CLOCK_TICKS,
        minorFaults: stat.minflt,
        majorFaults: stat.majflt,
        voluntarySwitches: details?.contextSwitches?.voluntary,
        involuntarySwitches: details?.contextSwitches?.involuntary,
        readBytes: ioOk?.read_bytes,
        writeBytes: ioOk?.write_bytes,
      },
      swapBytes: details?.swapBytes,
      openFds,
      maxFds: knownMaxFds !== undefined ? knownMaxFds.value : maxOpenFiles(reader.readText(`${p.pid}/limits`)),
    },
  };
}
