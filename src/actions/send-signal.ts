import { ProcessIdentity } from '../model/snapshot';

/** What became of one signal. */
export type SignalOutcome = 'sent' | 'permission-denied' | 'gone' | 'reused' | 'refused';

export interface SignalResult {
  readonly target: ProcessIdentity;
  readonly signal: number;
  readonly outcome: SignalOutcome;
  /** Human text for the status line. */
  readonly message: string;
}

/**
 * Reads a pid's current start time (clock ticks after boot) or undefined if
 * it is gone. Handed in at start-up (wired to the procfs reader) so this
 * module imports nothing above it.
 */
export type StartTimeProbe = (pid: number) => number | undefined;

/** The raw kill(2); injected so tests can record calls instead of sending. */
export type KillFn = (pid: number, signal: number) => void;

const defaultKill: KillFn = (pid, signal) => {
  process.kill(pid, signal);
};

/**
 * Sends `signal` to one process, and only if it is still the process the
 * user chose: its start time must be unchanged (otherwise the PID was
 * reused). Never sends to 0 or negative pids (those address groups or
 * everything). PID 1 is accepted here; the view's typed confirmation guards it.
 */
export function sendSignal(target: ProcessIdentity, signal: number, probe: StartTimeProbe, kill: KillFn = defaultKill): SignalResult {
  const result = (outcome: SignalOutcome, message: string): SignalResult => ({ target, signal, outcome, message });
  const { pid } = target;
  if (!Number.isInteger(pid) || pid <= 0) return result('refused', `refused: PID ${pid} is not a single process`);
  if (!Number.isInteger(signal) || signal < 0 || signal > 64) return result('refused', `refused: ${signal} is not a signal`);
  const start = probe(pid);
  if (start === undefined) return result('gone', `PID ${pid}: no such process (already gone)`);
  if (start !== target.startTicks) return result('reused', `PID ${pid}: not sent, the PID now belongs to another process`);
  try {
    kill(pid, signal);
    return result('sent', `PID ${pid}: sent`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EPERM') return result('permission-denied', `PID ${pid}: permission denied`);
    if (code === 'ESRCH') return result('gone', `PID ${pid}: no such process (already gone)`);
    return result('refused', `PID ${pid}: ${code ?? String(err)}`);
  }
}

/** One status line for several results: `SIGTERM: 3 sent, 1 permission denied (PID 1)`. */
export function summarize(signalName: string, results: readonly SignalResult[]): string {
  if (results.length === 1) return `${signalName} → ${results[0]?.message ?? ''}`;
  const groups = new Map<SignalOutcome, number[]>();
  // Push, not copy: a subtree or session can be tens of thousands of targets, and copying is quadratic.
  for (const r of results) {
    const pids = groups.get(r.outcome);
    if (pids) pids.push(r.target.pid);
    else groups.set(r.outcome, [r.target.pid]);
  }
  const words: Record<SignalOutcome, string> = { sent: 'sent', 'permission-denied': 'permission denied', gone: 'already gone', reused: 'PID reused, not sent', refused: 'refused' };
  const parts = [...groups].map(([o, pids]) => `${pids.length} ${words[o]}${o === 'sent' ? '' : ` (PID ${pids.slice(0, 5).join(', ')}${pids.length > 5 ? ', …' : ''})`}`);
  return `${signalName} → ${parts.join(', ')}`;
}
