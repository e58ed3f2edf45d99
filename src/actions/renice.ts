import * as os from 'node:os';
import { err, ok, Result } from '../base/result';
import { ProcessIdentity } from '../model/snapshot';
import { StartTimeProbe } from './send-signal';

/** Sets the nice value of a process after checking it is still the same process (pid + start time); what was done, or why not. */
export function renice(target: ProcessIdentity, nice: number, probe: StartTimeProbe, setPriority: (pid: number, n: number) => void = os.setPriority): Result<string> {
  const value = Math.max(-20, Math.min(19, nice));
  if (target.pid <= 0) return err(`refused: PID ${target.pid}`);
  const start = probe(target.pid);
  if (start === undefined) return err(`PID ${target.pid}: no such process (already gone)`);
  if (start !== target.startTicks) return err(`PID ${target.pid}: not changed, the PID now belongs to another process`);
  try {
    setPriority(target.pid, value);
    return ok(`PID ${target.pid}: nice set to ${value}`);
  } catch (thrown) {
    const code = (thrown as { code?: string; info?: { code?: string } }).info?.code ?? (thrown as NodeJS.ErrnoException).code;
    // setpriority(2): EACCES is a lower nice (higher priority) without the privilege; EPERM is a
    // process of another user, whichever way the nice value goes (`[` on it was said to raise priority).
    if (code === 'EACCES') {
      return err(`PID ${target.pid}: permission denied (raising priority, nice < current, needs root or CAP_SYS_NICE)`);
    }
    if (code === 'EPERM') {
      return err(`PID ${target.pid}: permission denied (another user's process: changing its nice value needs root or CAP_SYS_NICE)`);
    }
    if (code === 'ESRCH') return err(`PID ${target.pid}: no such process (already gone)`);
    return err(`PID ${target.pid}: ${String(thrown)}`);
  }
}
