import { ProcessIdentity } from '../model/snapshot';
import { KillFn, sendSignal, SignalResult, StartTimeProbe } from './send-signal';

const SIGSTOP = 19;
const SIGCONT = 18;
const SIGTSTP = 20;

const defaultKill: KillFn = (pid, signal) => {
  process.kill(pid, signal);
};

/**
 * `kill -SIG -PGID`: one call reaches every member, including any forked
 * since the dialog listed them. Sent only when the group is > 1 and at least
 * one listed member is still the same process (pid + start time) in it.
 */
export function signalGroup(
  pgid: number,
  members: readonly ProcessIdentity[],
  signal: number,
  probe: StartTimeProbe,
  groupOf: (pid: number) => number | undefined,
  kill: KillFn = defaultKill,
): SignalResult[] {
  const refuse = (message: string): SignalResult[] => [{ target: { pid: -pgid, startTicks: 0 }, signal, outcome: 'refused', message }];
  if (!Number.isInteger(pgid) || pgid <= 1) return refuse(`refused: process group ${pgid} (never a group ≤ 1)`);
  const alive = members.filter((m) => probe(m.pid) === m.startTicks && groupOf(m.pid) === pgid);
  if (alive.length === 0) return [{ target: { pid: -pgid, startTicks: 0 }, signal, outcome: 'gone', message: `group ${pgid}: no listed member is left` }];
  try {
    kill(-pgid, signal);
    return alive.map((m) => ({ target: m, signal, outcome: 'sent', message: `PID ${m.pid}: sent (group ${pgid})` }));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const outcome = code === 'EPERM' ? 'permission-denied' : code === 'ESRCH' ? 'gone' : 'refused';
    return [{ target: { pid: -pgid, startTicks: 0 }, signal, outcome, message: `group ${pgid}: ${code === 'EPERM' ? 'permission denied' : (code ?? String(err))}` }];
  }
}

/**
 * Signals a whole subtree so that a forking tree cannot escape: every member
 * is stopped first (SIGSTOP), children that appeared meanwhile are found and
 * stopped too, then the chosen signal goes to all, then SIGCONT to the
 * survivors (not after STOP/TSTP, which are meant to leave them stopped).
 */
export function signalSubtree(
  members: readonly ProcessIdentity[],
  signal: number,
  probe: StartTimeProbe,
  childrenOf: (pid: number) => readonly ProcessIdentity[],
  kill: KillFn = defaultKill,
): SignalResult[] {
  const frozen = new Map<number, ProcessIdentity>();
  const freeze = (m: ProcessIdentity): void => {
    if (frozen.has(m.pid) || m.pid <= 1) return;
    if (sendSignal(m, SIGSTOP, probe, kill).outcome === 'sent') frozen.set(m.pid, m);
  };
  members.forEach(freeze);
  // A member may have forked between the listing and its SIGSTOP; a few rounds catch those.
  for (let round = 0; round < 8; round++) {
    const before = frozen.size;
    for (const m of [...frozen.values()]) childrenOf(m.pid).forEach(freeze);
    if (frozen.size === before) break;
  }
  const listed = new Set(members.map((m) => m.pid));
  const targets = [...members, ...[...frozen.values()].filter((m) => !listed.has(m.pid))];
  const results = targets.map((m) => sendSignal(m, signal, probe, kill));
  if (signal !== SIGSTOP && signal !== SIGTSTP) {
    for (const m of frozen.values()) sendSignal(m, SIGCONT, probe, kill);
  }
  return results;
}
