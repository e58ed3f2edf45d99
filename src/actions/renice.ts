import * as os from 'node:os';
import { ProcessIdentity } from '../model/snapshot';
import { StartTimeProbe } from './send-signal';

export interface ReniceResult {
  readonly ok: boolean;
  readonly message: string;
}

/** Sets the nice value of a process after checking it is still the same process (pid + start time). */
export function renice(target: ProcessIdentity, nice: number, probe: StartTimeProbe, setPriority: (pid: number, n: number) => void = os.setPriority): ReniceResult {
  const value = Math.max(-20, Math.min(19, nice));
  if (target.pid <= 0) return { ok: false, message: `refused: PID ${target.pid}` };
  const start = probe(target.pid);
  if (start === undefined) return { ok: false, message: `PID ${target.pid}: no such process (already gone)` };
  if (start !== target.startTicks) return { ok: false, message: `PID ${target.pid}: not changed, the PID now belongs to another process` };
  try {
    setPriority(target.pid, value);
    return { ok: true, message: `PID ${target.pid}: nice set to ${value}` };
  } catch (err) {
    const code = (err as { code?: string; info?: { code?: string } }).info?.code ?? (err as NodeJS.ErrnoException).code;
    // setpriority(2): EACCES is a lower nice (higher priority) without the privilege; EPERM is a
    // process of another user, whichever way the nice value goes (`[` on it was said to raise priority).
    if (code === 'EACCES') {
      return { ok: false, message: `PID ${target.pid}: permission denied (raising priority, nice < current, needs root or CAP_SYS_NICE)` };
    }
    if (code === 'EPERM') {
      return { ok: false, message: `PID ${target.pid}: permission denied (another user's process: changing its nice value needs root or CAP_SYS_NICE)` };
    }
    if (code === 'ESRCH') return { ok: false, message: `PID ${target.pid}: no such process (already gone)` };
    return { ok: false, message: `PID ${target.pid}: ${String(err)}` };
  }
}
