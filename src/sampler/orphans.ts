import { ProcessInfo } from '../model/snapshot';

/**
 * Which pids are processes in the list being marked: one bit per pid, kept between calls and
 * cleared after each (by the same pids), so a scan allocates no set of 2,000 pids to ask whether
 * each group's leader is still there.
 */
let present = new Uint32Array(1024);
/** PID_MAX_LIMIT on 64-bit Linux (4,194,304): no pid reaches it; larger values (a doctored fixture) take the map. */
const BITMAP_PIDS = 4 * 1024 * 1024;
const inBitmap = (pid: number): boolean => Number.isInteger(pid) && pid > 0 && pid < BITMAP_PIDS;

function setPresent(pid: number, on: boolean): void {
  const word = pid >>> 5;
  if (word >= present.length) {
    if (!on) return;
    const grown = new Uint32Array(Math.max(word + 1, present.length * 2));
    grown.set(present);
    present = grown;
  }
  const bit = 1 << (pid & 31);
  present[word] = on ? (present[word] as number) | bit : (present[word] as number) & ~bit;
}

function isPresent(pid: number): boolean {
  const word = pid >>> 5;
  return word < present.length && ((present[word] as number) & (1 << (pid & 31))) !== 0;
}

/**
 * Marks orphaned workers: processes whose process group leader is gone and
 * that were adopted by PID 1, or by a subreaper in another session (e.g.
 * workers left behind after their master crashed). A shell pipeline whose
 * first command exited also loses its group leader, but its members' parent
 * is the shell in the same session, so it is not marked.
 */
export function markOrphans(processes: ProcessInfo[]): ProcessInfo[] {
  const pids = (p: ProcessInfo): boolean => !p.thread && inBitmap(p.pid);
  for (const p of processes) if (pids(p)) setPresent(p.pid, true);
  try {
    // The parent's session is needed only for a process whose group leader is gone: rare.
    let byPid: Map<number, ProcessInfo> | undefined;
    const map = (): Map<number, ProcessInfo> => (byPid ??= new Map(processes.filter((q) => !q.thread).map((q) => [q.pid, q])));
    let out: ProcessInfo[] | undefined;
    for (let i = 0; i < processes.length; i++) {
      const p = processes[i] as ProcessInfo;
      if (p.kernel || p.thread || p.pgid === p.pid || p.pgid <= 0) continue;
      if (inBitmap(p.pgid) ? isPresent(p.pgid) : map().has(p.pgid)) continue;
      const parent = map().get(p.ppid);
      const adopted = p.ppid === 1 || (parent !== undefined && parent.sid !== p.sid);
      if (!adopted) continue;
      out ??= processes.slice();
      out[i] = { ...p, orphan: true };
    }
    return out ?? processes;
  } finally {
    for (const p of processes) if (pids(p)) setPresent(p.pid, false);
  }
}
