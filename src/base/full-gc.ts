/**
 * A full garbage collection on demand, for a daemon that sleeps between small bursts of work.
 * V8 collects old space when it reaches a limit set far above such a daemon's live heap, so the
 * recorder's promoted garbage piled up for as long as it ran: heap in use rising ~0.8 MiB a minute
 * over a live set of ~8.6 MiB (2,000 processes, 10 s interval), RSS with it. `--expose-gc` set at
 * run time puts `gc` on contexts made afterwards (not on this one), hence the new context; it is
 * set here rather than on the launcher's command line so that `node bin/proctop.js record` and
 * the single-file build collect the same way.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** The collector, or undefined when this Node does not give one (then nothing is collected). */
export function fullGc(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? () => void gc() : undefined;
  } catch {
    return undefined;
  }
}
