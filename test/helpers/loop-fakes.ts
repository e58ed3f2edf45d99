/**
 * Fakes for driving the monitor loop (src/loop/) without a terminal: a painter that keeps every
 * frame, a snapshot source fed by the test, a clock whose time moves only when the test says, and
 * exit hooks the test can fire. Nothing here touches /proc, a tty or the real timers.
 */
import { Snapshot } from '../../src/model/snapshot';
import { SnapshotSource } from '../../src/model/snapshot-source';
import { Clock, ExitHandlers, InstallExitHooks, OpenTerminal, ProgramLine, RunningProgram, SystemActions, Terminal, TerminalEvents, Timer } from '../../src/loop/ports';
import { Command } from '../../src/view/commands';
import { lineText, ViewModel } from '../../src/view/view-model';

/** A clock that stands still until {@link FakeClock.advance}. */
export class FakeClock implements Clock {
  private time: number;
  private timers: { at: number; seq: number; fn: () => void; live: boolean }[] = [];
  private seq = 0;

  constructor(start = 1_700_000_100_000) {
    this.time = start;
  }

  now = (): number => this.time;
  tzOffset = (): number => 0;
  setTimer = (fn: () => void, ms: number): Timer => {
    const timer = { at: this.time + ms, seq: this.seq++, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => { timer.live = false; } };
  };

  /** Timers still to fire. */
  get pending(): number {
    return this.timers.filter((t) => t.live).length;
  }

  /** Moves time on by `ms`, firing due timers in order (and letting promise callbacks run between them). */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      due.live = false;
      this.time = Math.max(this.time, due.at);
      due.fn();
      await settle();
    }
    this.time = end;
  }
}

/** Lets pending promise callbacks run (a few turns of the microtask queue and one macrotask). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A source whose frames the test queues; `sample()` waits for one when none is queued. */
export class FakeSource implements SnapshotSource {
  readonly name: string;
  readonly live: boolean;
  samples = 0;
  threads: boolean[] = [];
  private queue: (Snapshot | undefined | Error)[] = [];
  private waiting: ((s: Snapshot | undefined | Error) => void) | undefined;

  constructor(live = true, name = live ? 'linux' : 'recorded') {
    this.live = live;
    this.name = name;
  }

  /** The next sample resolves with `frame` (undefined: nothing newer), or rejects with an Error. */
  push(frame: Snapshot | undefined | Error): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w(frame);
    } else {
      this.queue.push(frame);
    }
  }

  sample(): Promise<Snapshot | undefined> {
    this.samples++;
    const next = this.queue.length > 0 ? Promise.resolve(this.queue.shift()) : new Promise<Snapshot | undefined | Error>((resolve) => { this.waiting = resolve; });
    return next.then((f) => (f instanceof Error ? Promise.reject(f) : f));
  }

  setThreads(on: boolean): void {
    this.threads.push(on);
  }

  close(): void {}
}

/** A program handed the terminal; the test ends it with {@link FakeProgram.exit}. */
export interface FakeProgram extends RunningProgram {
  readonly line: ProgramLine;
  exit(): void;
}

/** A terminal that keeps what was painted and lets the test type keys and click. */
export class FakeTerminal {
  readonly frames: { vm: ViewModel; theme: string }[] = [];
  readonly programs: FakeProgram[] = [];
  closed = 0;
  width = 100;
  height = 30;
  private events: TerminalEvents | undefined;

  readonly open: OpenTerminal = (events) => {
    this.events = events;
    const terminal: Terminal = {
      size: () => ({ width: this.width, height: this.height }),
      paint: (vm, theme) => {
        if (this.closed > 0) throw new Error('painted after close');
        this.frames.push({ vm, theme });
      },
      handOff: (line) => this.handOff(line),
      close: () => { this.closed++; },
    };
    return terminal;
  };

  private handOff(line: ProgramLine): RunningProgram {
    let exit = (): void => undefined;
    const exited = new Promise<void>((resolve) => { exit = resolve; });
    const program: FakeProgram = { line, pid: 4242 + this.programs.length, exited, exit: () => exit() };
    this.programs.push(program);
    return program;
  }

  /** Types keys by their KEYMAP names. */
  keys(...names: string[]): void {
    for (const name of names) this.events?.key(name);
  }

  mouse(command: Command): void {
    this.events?.mouse(command);
  }

  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.events?.resize();
  }

  get last(): ViewModel {
    const frame = this.frames[this.frames.length - 1];
    if (!frame) throw new Error('nothing painted');
    return frame.vm;
  }

  /** The table rows of the last frame as plain text. */
  rows(): string[] {
    return this.last.rows.map(lineText);
  }

  status(): string {
    return lineText(this.last.status);
  }
}

/** Exit hooks the test fires by hand; counts installs and removals. */
export class FakeExitHooks {
  handlers: ExitHandlers | undefined;
  installed = 0;
  removed = 0;

  readonly install: InstallExitHooks = (handlers) => {
    this.handlers = handlers;
    this.installed++;
    return () => { this.removed++; };
  };
}

/** Actions that record what they were asked and change nothing. */
export class FakeActions implements SystemActions {
  performed: unknown[] = [];
  handOffs: unknown[] = [];

  perform(effect: Parameters<SystemActions['perform']>[0]): ReturnType<SystemActions['perform']> {
    this.performed.push(effect);
    return { text: `performed ${effect.kind}`, error: false };
  }

  cgroup(effect: Parameters<SystemActions['cgroup']>[0]): ReturnType<SystemActions['cgroup']> {
    this.performed.push(effect);
    return Promise.resolve({ text: `performed cgroup ${effect.action} ${effect.path}`, error: false });
  }

  handOffCommand(effect: Parameters<SystemActions['handOffCommand']>[0]): ReturnType<SystemActions['handOffCommand']> {
    this.handOffs.push(effect);
    return { ok: true, value: { file: '/usr/bin/strace', args: ['-f', '-p', String(effect.target.pid)] } };
  }

  /** Pids whose details were read from the (fake) live system. */
  detailsRead: number[] = [];

  readDetails(pid: number): undefined {
    this.detailsRead.push(pid);
    return undefined;
  }

  readEnviron(): undefined {
    return undefined;
  }

  /** Every pid is "alive" with start time 7. */
  identify(pid: number): { pid: number; startTicks: number } {
    return { pid, startTicks: 7 };
  }

  /** Hand-offs ended, in order: the wrapper's pid and whether SIGKILL was asked for. */
  ended: { pid: number; force: boolean }[] = [];

  endHandOff(wrapper: { pid: number }, force: boolean): void {
    this.ended.push({ pid: wrapper.pid, force });
  }
}
