/** One signal the dialog offers. */
export interface SignalSpec {
  readonly number: number;
  readonly name: string;
  readonly description: string;
}

/** Linux x86/arm signal numbers 1–31 (signal(7)); the numbers the dialog shows and accepts. */
export const SIGNALS: readonly SignalSpec[] = [
  { number: 1, name: 'SIGHUP', description: 'hangup; many daemons reload their config' },
  { number: 2, name: 'SIGINT', description: 'interrupt, as Ctrl-C' },
  { number: 3, name: 'SIGQUIT', description: 'quit and dump core' },
  { number: 4, name: 'SIGILL', description: 'illegal instruction' },
  { number: 5, name: 'SIGTRAP', description: 'trace/breakpoint trap' },
  { number: 6, name: 'SIGABRT', description: 'abort and dump core' },
  { number: 7, name: 'SIGBUS', description: 'bus error' },
  { number: 8, name: 'SIGFPE', description: 'floating-point exception' },
  { number: 9, name: 'SIGKILL', description: 'kill at once; cannot be caught' },
  { number: 10, name: 'SIGUSR1', description: 'user-defined 1' },
  { number: 11, name: 'SIGSEGV', description: 'segmentation fault' },
  { number: 12, name: 'SIGUSR2', description: 'user-defined 2' },
  { number: 13, name: 'SIGPIPE', description: 'broken pipe' },
  { number: 14, name: 'SIGALRM', description: 'alarm clock' },
  { number: 15, name: 'SIGTERM', description: 'terminate politely (the default)' },
  { number: 16, name: 'SIGSTKFLT', description: 'stack fault' },
  { number: 17, name: 'SIGCHLD', description: 'child changed state; a nudge to reap zombies' },
  { number: 18, name: 'SIGCONT', description: 'continue a stopped process' },
  { number: 19, name: 'SIGSTOP', description: 'stop; cannot be caught' },
  { number: 20, name: 'SIGTSTP', description: 'stop from the terminal, as Ctrl-Z' },
  { number: 21, name: 'SIGTTIN', description: 'background read from the terminal' },
  { number: 22, name: 'SIGTTOU', description: 'background write to the terminal' },
  { number: 23, name: 'SIGURG', description: 'urgent data on a socket' },
  { number: 24, name: 'SIGXCPU', description: 'CPU time limit exceeded' },
  { number: 25, name: 'SIGXFSZ', description: 'file size limit exceeded' },
  { number: 26, name: 'SIGVTALRM', description: 'virtual alarm clock' },
  { number: 27, name: 'SIGPROF', description: 'profiling timer' },
  { number: 28, name: 'SIGWINCH', description: 'window size changed' },
  { number: 29, name: 'SIGIO', description: 'I/O possible' },
  { number: 30, name: 'SIGPWR', description: 'power failure' },
  { number: 31, name: 'SIGSYS', description: 'bad system call' },
];

export const DEFAULT_SIGNAL = 15;

export function signalByNumber(n: number): SignalSpec | undefined {
  return SIGNALS.find((s) => s.number === n);
}
