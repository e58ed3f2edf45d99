import { ProcessIdentity } from '../model/snapshot';
import { KillFn, sendSignal, SignalResult, StartTimeProbe } from './send-signal';

/** Direct children of a pid with their start times (the probe's childrenOf). */
export type ChildrenOf = (pid: number) => readonly ProcessIdentity[];

/** How deep below the wrapper its tools are looked for (sh → strace; sh → lsof and less). */
const MAX_DEPTH = 4;
/** At most this many processes are ended: a hand-off runs one or two tools, never a tree. */
const MAX_PROCESSES = 64;

/**
 * The processes of a hand-off, the deepest first and the `sh` wrapper last; empty when the
 * wrapper is gone or its pid now belongs to another process (then its children are not ours).
 */
export function handOffProcesses(wrapper: ProcessIdentity, probe: StartTimeProbe, childrenOf: ChildrenOf): ProcessIdentity[] {
  if (probe(wrapper.pid) !== wrapper.startTicks) return [];
  const levels: ProcessIdentity[][] = [[wrapper]];
  let count = 1;
  for (let depth = 0; depth < MAX_DEPTH && count < MAX_PROCESSES; depth++) {
    const next = (levels[depth] ?? []).flatMap((p) => childrenOf(p.pid)).slice(0, MAX_PROCESSES - count);
    if (next.length === 0) break;
    levels.push(next);
    count += next.length;
  }
  return levels.reverse().flat();
}

/**
 * Ends a hand-off that would otherwise outlive proctop: the tool (strace, lsof, less) and the
 * `sh` wrapper that pauses after it. They run in proctop's own process group, so that Ctrl-C on
 * the terminal reaches the tool; signalling that group would signal proctop and whatever started
 * it in the same group, so they are ended one by one instead, by pid, each start time checked
 * right before its signal: the tools first (strace detaches from its tracee on SIGTERM), then
 * the wrapper, which would otherwise wait at `read` on the terminal and take the first line typed
 * to the shell after proctop. `signal` is SIGTERM, or SIGKILL for what did not end in time.
 */
export function endHandOff(wrapper: ProcessIdentity, signal: number, probe: StartTimeProbe, childrenOf: ChildrenOf, kill?: KillFn): SignalResult[] {
  return handOffProcesses(wrapper, probe, childrenOf).map((p) => sendSignal(p, signal, probe, kill));
}
