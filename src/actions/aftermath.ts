import { ProcessIdentity } from '../model/snapshot';

/** What can be read of a process a moment after a signal. */
export interface ProcessCheck {
  readonly startTicks: number;
  readonly state: string;
  readonly ppid: number;
  readonly wchan: string | undefined;
}

export type Inspect = (pid: number) => ProcessCheck | undefined;

/** SIGCONT: running is what it asks for, so a running target is its success, not a refusal. */
const SIGCONT = 18;

/**
 * What became of one target: gone, zombie (whose), stuck in D, stopped, or still running. With
 * `signal`, words that fit it: after SIGCONT a running process has continued, a stopped one has not.
 */
export function fate(target: ProcessIdentity, inspect: Inspect, signal?: number): string {
  const now = inspect(target.pid);
  if (!now || now.startTicks !== target.startTicks) return 'gone';
  switch (now.state) {
    case 'Z':
      return `zombie (parent PID ${now.ppid} has not reaped it)`;
    case 'D':
      return `stuck in D${now.wchan ? ` (wchan ${now.wchan})` : ''}: it will act on the signal when the kernel call returns`;
    case 'T':
      return signal === SIGCONT ? 'still stopped (stopped again since?)' : 'stopped';
    case 't':
      return signal === SIGCONT ? 'still stopped (traced: its tracer holds it, SIGCONT does not resume it)' : 'stopped';
    default:
      return signal === SIGCONT ? 'continued' : 'still running (it handles or ignores the signal)';
  }
}

/** One status line: `after 0.3 s: 2 gone, 1 still running (…) [PID 123]`. */
export function describeAftermath(targets: readonly ProcessIdentity[], inspect: Inspect, seconds: number, signal?: number): string {
  const byFate = new Map<string, number[]>();
  for (const t of targets) {
    const f = fate(t, inspect, signal);
    const list = byFate.get(f);
    if (list) list.push(t.pid);
    else byFate.set(f, [t.pid]);
  }
  const parts = [...byFate].map(([f, pids]) => (f === 'gone' ? `${pids.length} gone` : `${pids.length} ${f} [PID ${pids.slice(0, 4).join(', ')}${pids.length > 4 ? ', …' : ''}]`));
  return `after ${seconds.toFixed(1)} s: ${parts.join('; ')}`;
}
