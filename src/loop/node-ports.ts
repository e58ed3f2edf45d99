import { Clock, ExitHandlers, InstallExitHooks } from './ports';

/** Node's clock and timers. */
export const nodeClock: Clock = {
  now: () => Date.now(),
  tzOffset: (time) => new Date(time).getTimezoneOffset(),
  setTimer: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(timer) };
  },
};

/** The part of `process` the exit hooks use (an EventEmitter in tests). */
export interface SignalEmitter {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * Wires SIGTERM and SIGHUP to `terminate`, SIGINT to `interrupt`, and uncaught exceptions and
 * unhandled rejections to `crash`, on `proc` (the process); returns what removes them again.
 */
export function processExitHooks(proc: SignalEmitter = process as unknown as SignalEmitter): InstallExitHooks {
  return (handlers: ExitHandlers) => {
    const terminate = (): void => handlers.terminate();
    const interrupt = (): void => handlers.interrupt();
    const crash = (err: unknown): void => handlers.crash(err);
    const wiring: [string, (...args: unknown[]) => void][] = [
      ['SIGTERM', terminate], ['SIGHUP', terminate], ['SIGINT', interrupt], ['uncaughtException', crash], ['unhandledRejection', crash],
    ];
    for (const [event, listener] of wiring) proc.on(event, listener);
    return () => {
      for (const [event, listener] of wiring) proc.off(event, listener);
    };
  };
}
