/**
 * Process state letters, as the kernel defines them. Both the procfs parsers
 * (which read them) and the model (which counts and filters by them) use this
 * module, so neither has to import the other's layer.
 */

/** Process state letters as the kernel reports them in /proc/PID/stat field 3. */
export const PROCESS_STATES = ['R', 'S', 'D', 'T', 't', 'Z', 'X', 'I'] as const;
/** One state letter; `?` when the kernel reports something this list does not know. */
export type ProcessState = (typeof PROCESS_STATES)[number] | '?';

/** What a state letter means, for help screens and docs. */
export const STATE_NAMES: Readonly<Record<ProcessState, string>> = {
  R: 'running',
  S: 'sleeping',
  D: 'uninterruptible (disk) sleep',
  T: 'stopped',
  t: 'traced',
  Z: 'zombie',
  X: 'dead',
  I: 'idle kernel thread',
  '?': 'unknown',
};
