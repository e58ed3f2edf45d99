import { ProcessInfo } from '../model/snapshot';

/**
 * Marks orphaned workers: processes whose process group leader is gone and
 * that were adopted by PID 1, or by a subreaper in another session (e.g.
 * workers left behind after their master crashed). A shell pipeline whose
 * first command exited also loses its group leader, but its members' parent
 * is the shell in the same session, so it is not marked.
 */
export function markOrphans(processes: ProcessInfo[]): ProcessInfo[] {
  const byPid = new Map<number, ProcessInfo>();
  for (const p of processes) if (!p.thread) byPid.set(p.pid, p);
  return processes.map((p) => {
    if (p.kernel || p.thread || p.pgid === p.pid || p.pgid <= 0 || byPid.has(p.pgid)) return p;
    const parent = byPid.get(p.ppid);
    const adopted = p.ppid === 1 || (parent !== undefined && parent.sid !== p.sid);
    return adopted ? { ...p, orphan: true } : p;
  });
}
