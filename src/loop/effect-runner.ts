import { ProcessIdentity } from '../model/snapshot';
import { CgroupEffect, HandOffEffect, LoopDeps, RunningProgram, SystemEffect, Terminal } from './ports';

/** What running one effect asks of the loop afterwards. */
export type AfterEffect = 'stop' | 'resample' | 'none';

/** A signal's "what became of it" check runs this long after it. */
const AFTERMATH_MS = 300;
/** On exit during a hand-off, the tool and its wrapper get this long after SIGTERM before SIGKILL. */
const HAND_OFF_GRACE_MS = 1500;

/** What the effects ask of the loop that runs them. */
export interface LoopControl {
  /** The loop has shut down: late outcomes are dropped. */
  isDone(): boolean;
  /** Puts a line on the status bar (drawn with the next paint). */
  say(text: string, error: boolean): void;
  /** A signal did not reach these targets: the zombie view's follow-up must not suggest what just failed. */
  notSent(targets: readonly { readonly pid: number; readonly reason: string }[]): void;
  render(): void;
  /** Schedules the next scan soon, so an effect's result shows. */
  rescanSoon(): void;
  /** Stops the refresh timer (a tool has the terminal). */
  pause(): void;
  /** Takes a frame now and restarts the refresh. */
  resume(): void;
  shutdown(code: number, err?: unknown): void;
}

/**
 * Runs the effects that act on the live system (signal, renice, taskset/ionice, cgroup actions,
 * hand-offs to strace/lsof) through {@link LoopDeps.actions}: refuses them on a frame that is not
 * live, reports each outcome on the status line, and owns the hand-off that has the terminal.
 */
export class SystemEffectRunner {
  /** The tool (strace, lsof) that has the terminal, and the identity of its `sh` wrapper. */
  private handingOff: { readonly program: RunningProgram; readonly wrapper: ProcessIdentity | undefined } | undefined;

  constructor(private readonly deps: Pick<LoopDeps, 'source' | 'actions' | 'clock'>, private readonly terminal: Terminal, private readonly loop: LoopControl) {}

  /** A tool has the terminal (Ctrl-C is meant for it). */
  get handedOff(): boolean {
    return this.handingOff !== undefined;
  }

  /** A signal, renice or taskset/ionice: its outcome now, what became of the targets a moment later. */
  perform(effect: SystemEffect): AfterEffect {
    if (this.refusedNotLive(effect.kind)) return 'none';
    const outcome = this.deps.actions.perform(effect);
    this.loop.say(outcome.text, outcome.error);
    if (outcome.notSent !== undefined && outcome.notSent.length > 0) this.loop.notSent(outcome.notSent);
    const later = outcome.later;
    if (later) {
      this.deps.clock.setTimer(() => {
        if (this.loop.isDone()) return;
        const status = later();
        this.loop.say(status.text, status.error);
        this.loop.render();
      }, AFTERMATH_MS);
    }
    return 'resample';
  }

  /**
   * A cgroup action waits for the kernel (a freeze settling, a cgroup emptying) for up to a few
   * seconds: the screen keeps refreshing meanwhile, and the outcome replaces the status line.
   */
  cgroup(effect: CgroupEffect): AfterEffect {
    if (this.refusedNotLive(`cgroup ${effect.action}`)) return 'none';
    this.deps.actions.cgroup(effect).then((outcome) => {
      if (this.loop.isDone()) return;
      this.loop.say(outcome.text, outcome.error);
      this.loop.rescanSoon();
      this.loop.render();
    }, (err: unknown) => this.loop.shutdown(1, err));
    return 'none';
  }

  /** Gives the terminal to strace or lsof until it exits; the refresh stops meanwhile. */
  handOff(effect: HandOffEffect): AfterEffect {
    if (this.refusedNotLive(effect.tool)) return 'none';
    const command = this.deps.actions.handOffCommand(effect);
    if (!command.ok) {
      this.loop.say(command.error, true);
      return 'none';
    }
    this.loop.pause();
    const program = this.terminal.handOff(command.value);
    this.handingOff = { program, wrapper: program.pid === undefined ? undefined : this.deps.actions.identify(program.pid) };
    program.exited.then(() => {
      this.handingOff = undefined;
      if (this.loop.isDone()) return;
      this.loop.say(`${effect.tool} exited; back in proctop`, false);
      this.loop.resume();
    }, (err: unknown) => this.loop.shutdown(1, err));
    return 'stop';
  }

  /**
   * On exit: ends a hand-off still running (the tool and its wrapper must not outlive proctop),
   * then calls `restore` once the wrapper has exited, or after a grace period and SIGKILL. Calls
   * it at once when nothing was handed off.
   */
  endHandOff(restore: () => void): void {
    const wrapper = this.handingOff?.wrapper;
    if (!this.handingOff || !wrapper) return restore();
    this.deps.actions.endHandOff(wrapper, false);
    // The terminal is restored once the wrapper has exited: blessed takes the screen back then.
    const force = this.deps.clock.setTimer(() => {
      this.deps.actions.endHandOff(wrapper, true);
      restore();
    }, HAND_OFF_GRACE_MS);
    this.handingOff.program.exited.then(() => {
      force.cancel();
      restore();
    }, () => restore());
  }

  /** Refuses to act on a frame that is not the system now (a recording, a rewound frame). */
  private refusedNotLive(what: string): boolean {
    if (this.deps.source.live) return false;
    this.loop.say(`${what} refused: the frame on screen is ${this.deps.source.travel ? 'from the past' : this.deps.source.name}, not the live system`, true);
    return true;
  }
}
