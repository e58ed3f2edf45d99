/**
 * The environment view's read of /proc/PID/environ, pid + start time checked before and after,
 * with the kernel's answer in words: the file is readable only with ptrace read access (the
 * process's owner, without a changed identity, or root: PTRACE_MODE_READ_FSCREDS), and a zombie
 * or kernel thread has no memory to hold an environment, so its file is empty.
 */
import { parseEnviron } from './parse/environ';
import { PF_KTHREAD } from './parse/stat';
import { ProcReader } from './reader';
import type { EnvironRead } from '../kernel/environ';

export function readEnviron(reader: ProcReader, pid: number, startTicks: number): EnvironRead {
  const before = reader.readStat(pid);
  if (before?.startTicks !== startTicks) return { kind: 'gone' };
  const bytes = reader.readBytesOrError(`${pid}/environ`);
  const after = reader.readStat(pid);
  if (after?.startTicks !== startTicks) return { kind: 'gone' };
  if (!Buffer.isBuffer(bytes)) {
    if (bytes.error === 'EACCES' || bytes.error === 'EPERM') return { kind: 'denied' };
    return { kind: 'unavailable', reason: bytes.error };
  }
  if (bytes.length === 0) {
    const why = (after.flags & PF_KTHREAD) !== 0 ? 'kernel thread' : after.state === 'Z' || after.state === 'X' ? 'zombie' : 'empty';
    return { kind: 'none', why };
  }
  return { kind: 'read', entries: parseEnviron(bytes) };
}
