import { Snapshot } from '../model/snapshot';
import type { TravelTo } from '../model/snapshot-source';
import { Command } from '../view/commands';
import { lookupKey } from '../view/keymap';
import { Effect, reduce } from '../view/reduce';
import { resumeAfterLive } from '../view/time-travel';
import { followUpNotSent } from '../view/zombies';
import { UiState } from '../view/ui-state';
import { AfterEffect, LoopControl, SystemEffectRunner } from './effect-runner';
import { travelFrame } from './frame-travel';
import { keyContextOf } from './key-context';
import { LoopDeps, Terminal } from './ports';
import { Refresh } from './refresh';
import { ScreenFrame } from './screen-frame';

/**
 * The interactive monitor's one loop: ticks of the snapshot source, keys, mouse and resize become
 * commands → reduce → effects → buildView → one paint. It owns the UI state, the refresh timer and
 * time travel; the frame on screen (rows, details cache, graph history) is a {@link ScreenFrame},
 * the effects on the live system a {@link SystemEffectRunner}. It is handed everything it touches
 * (see {@link LoopDeps}).
 */
export class MonitorLoop {
  private state: UiState;
  private readonly frame: ScreenFrame;
  private readonly effects: SystemEffectRunner;
  private readonly terminal: Terminal;
  private readonly removeHooks: () => void;
  private readonly refresh: Refresh;
  private done = false;
  private restored = false;

  /** Opens the terminal and draws the first frame; `finish` gets the exit status, once. */
  constructor(private readonly deps: LoopDeps, private readonly finish: (code: number) => void) {
    this.state = deps.initial;
    this.terminal = deps.openTerminal({
      key: (name) => this.onKey(name),
      mouse: (command) => this.onMouse(command),
      resize: () => this.render(),
    });
    this.frame = new ScreenFrame(deps.first, deps, this.terminal);
    this.effects = new SystemEffectRunner(deps, this.terminal, this.control());
    this.refresh = new Refresh(deps, {
      intervalMs: () => this.state.delay * 100,
      paused: () => this.state.paused,
      isDone: () => this.done,
      sampled: (next, announce) => this.sampled(next, announce),
      shutdown: (code, err) => this.shutdown(code, err),
    });
    this.removeHooks = deps.exitHooks({
      terminate: () => this.shutdown(0),
      // Ctrl-C while strace/lsof has the terminal is meant for the tool, which shares our process group.
      interrupt: () => {
        if (!this.effects.handedOff) this.shutdown(0);
      },
      crash: (err) => this.shutdown(1, err),
    });
    this.render();
    const completeFirst = deps.completeFirst;
    if (completeFirst) deps.clock.setTimer(() => this.completeFirst(completeFirst), 0);
    // Asked only after the first frame is on screen: loading systeminformation alone costs ~60 ms.
    deps.clock.setTimer(() => this.askHostFacts(), 0);
    this.refresh.start();
  }

  /**
   * The one exit path: stops the timers, ends a hand-off still running (the tool and its wrapper
   * must not outlive proctop), restores the terminal, then reports.
   */
  shutdown(code: number, err?: unknown): void {
    if (this.done) return;
    this.done = true;
    this.refresh.stop();
    this.effects.endHandOff(() => this.restore(code, err));
  }

  private restore(code: number, err: unknown): void {
    if (this.restored) return;
    this.restored = true;
    this.terminal.close();
    this.removeHooks();
    if (err !== undefined) this.deps.errorOut(`proctop: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    this.finish(code);
  }

  /** The loop as its effects see it. */
  private control(): LoopControl {
    return {
      isDone: () => this.done,
      say: (text, error) => this.say(text, error),
      notSent: (targets) => {
        this.state = { ...this.state, zombieFollowUp: followUpNotSent(this.state.zombieFollowUp, targets) };
      },
      render: () => this.render(),
      rescanSoon: () => this.refresh.soon(),
      pause: () => this.refresh.stop(),
      resume: () => this.refresh.tick(),
      shutdown: (code, err) => this.shutdown(code, err),
    };
  }

  /** The rest of the first frame's reads, once its rows on screen are drawn; unless a newer frame came first. */
  private completeFirst(complete: () => Snapshot): void {
    if (this.done || this.frame.snapshot !== this.deps.first) return;
    this.frame.complete(complete());
    this.render();
  }

  private askHostFacts(): void {
    // A failure gives the blank line held for the facts back to the table.
    const set = (facts: string | undefined): void => {
      this.frame.setHostFacts(facts);
      this.render();
    };
    this.deps.hostFacts?.().then(set, () => set(undefined));
  }

  private onKey(name: string): void {
    const command = lookupKey(keyContextOf(this.state), name);
    if (command) this.dispatch(command);
  }

  private onMouse(command: Command): void {
    if (this.state.mode.kind === 'normal') this.dispatch(command);
  }

  /** `fresh`: the frame follows a new sample, so the details panel reads again. */
  private render(fresh = false): void {
    if (this.done) return;
    this.state = this.frame.paint(this.state, fresh);
  }

  /** A tick drawn: the new sample on screen (if any), a back-off announced. */
  private sampled(next: Snapshot | undefined, announce: string | undefined): void {
    if (next) this.frame.advance(next);
    if (announce) this.say(announce, true);
    this.render(true);
  }

  private say(text: string, error: boolean): void {
    this.state = { ...this.state, status: { text, error } };
  }

  /** One command: reduce, save changed settings, run the effects, draw. */
  dispatch(command: Command): void {
    if (this.done) return;
    const before = this.state;
    const result = reduce(this.state, command, this.frame.reduceContext(this.state));
    this.state = result.state;
    const saveError = this.deps.settingsChanged(before, this.state);
    if (saveError) this.say(saveError, true);
    let resample = false;
    for (const effect of result.effects) {
      const after = this.runEffect(effect);
      if (after === 'stop') return;
      if (after === 'resample') resample = true;
    }
    this.render();
    // Show the effect of a signal or renice soon, not a whole interval later.
    if (resample) this.refresh.soon();
  }

  /** The one place effects are run: the loop's own here, those on the live system by the runner. */
  private runEffect(effect: Effect): AfterEffect {
    switch (effect.kind) {
      case 'quit':
        this.shutdown(0);
        return 'stop';
      case 'set-threads':
        this.deps.source.setThreads(effect.on);
        return 'resample';
      case 'rescan':
        return 'resample';
      case 'hand-off':
        return this.effects.handOff(effect);
      case 'travel':
        this.travelTo(effect.to);
        return 'none';
      case 'resume-live':
        return this.resumeLive(effect.pending);
      case 'cgroup':
        return this.effects.cgroup(effect);
      default:
        return this.effects.perform(effect);
    }
  }

  /** Moves the frame on screen through time; false (with the reason on the status line) when it cannot. */
  private travelTo(to: TravelTo): boolean {
    const { moved, status } = travelFrame(this.deps.source, this.frame, to);
    this.say(status.text, status.error);
    return moved;
  }

  /** Returns to live for a command asked in the past, then runs it if its process is still the same one. */
  private resumeLive(pending: Extract<UiState['mode'], { kind: 'go-live' }>): AfterEffect {
    if (!this.travelTo({ kind: 'live' })) return 'none';
    const resumed = resumeAfterLive(this.state, pending, this.frame.snapshot);
    this.state = resumed.state;
    if (!resumed.command) return 'none';
    this.render();
    this.dispatch(resumed.command);
    return 'stop';
  }
}

/**
 * Runs the interactive monitor until it quits. Resolves with the exit status; every exit path goes
 * through {@link MonitorLoop.shutdown}, which restores the terminal before anything is printed.
 */
export function runLoop(deps: LoopDeps): Promise<number> {
  return new Promise((resolve) => {
    new MonitorLoop(deps, resolve);
  });
}
