import { Column, findColumn } from '../model/columns';
import { ProcessIdentity, Snapshot } from '../model/snapshot';
import { buildView, frameCgroupRows, FrameInput, FrameRows, frameTableHeight, makeReduceContext, reconcile } from '../view/build-view';
import { reconcileCgroups } from '../view/cgroup-view';
import { Command } from '../view/commands';
import { lookupKey } from '../view/keymap';
import { Effect, reduce, ReduceContext } from '../view/reduce';
import { refreshPace } from '../view/refresh-pace';
import { UiState } from '../view/ui-state';
import type { TravelTo } from '../model/snapshot-source';
import { resumeAfterLive } from '../view/time-travel';
import { ViewModel } from '../view/view-model';
import { DetailsCache } from './details-cache';
import { GraphHistory } from './graph-history';
import { keyContextOf } from './key-context';
import { CgroupEffect, HandOffEffect, LoopDeps, RunningProgram, SystemEffect, Terminal, Timer } from './ports';
import { RowsMemo } from './rows-memo';

/** The status line while in the past. */
const TIME_HINT = '{ } one frame  ( ) one minute  @ go to a time  L back to live';

/** What running one effect asks of the loop afterwards. */
type AfterEffect = 'stop' | 'resample' | 'none';

/** The first CPU% needs a second scan: it comes after at most this long, not a whole interval. */
const FIRST_RESCAN_MS = 500;
/** After a signal or renice the next scan comes this soon, so its effect shows. */
const RESCAN_AFTER_EFFECT_MS = 250;
/** A signal's "what became of it" check runs this long after it. */
const AFTERMATH_MS = 300;
/** On exit during a hand-off, the tool and its wrapper get this long after SIGTERM before SIGKILL. */
const HAND_OFF_GRACE_MS = 1500;

/**
 * The interactive monitor's one loop: ticks of the snapshot source, keys, mouse and resize become
 * commands → reduce → effects → buildView → one paint. It owns the frame on screen, the details
 * cache and the graph history, and is handed everything it touches (see {@link LoopDeps}).
 */
export class MonitorLoop {
  private state: UiState;
  private snapshot: Snapshot;
  private previous: Snapshot | undefined;
  private rows: FrameRows | undefined;
  private lastView: ViewModel | undefined;
  private facts: string | undefined;
  private readonly history = new GraphHistory();
  private readonly memo = new RowsMemo();
  private readonly details: DetailsCache;
  private readonly terminal: Terminal;
  private readonly removeHooks: () => void;
  private timer: Timer | undefined;
  private iterations = 0;
  private sampling = false;
  /** The last scan was slow and the refresh is backed off (announced once, when it starts). */
  private backedOff = false;
  /** The frame being drawn follows a new sample: the details panel reads again. */
  private freshTick = false;
  /** The tool (strace, lsof) that has the terminal, and the identity of its `sh` wrapper. */
  private handingOff: { readonly program: RunningProgram; readonly wrapper: ProcessIdentity | undefined } | undefined;
  private done = false;
  private restored = false;

  /** Opens the terminal and draws the first frame; `finish` gets the exit status, once. */
  constructor(private readonly deps: LoopDeps, private readonly finish: (code: number) => void) {
    this.state = deps.initial;
    this.snapshot = deps.first;
    // Asked at each read: a rewind source stops being live while the screen shows the past.
    this.details = new DetailsCache((pid, startTicks) => (deps.source.live ? deps.actions.readDetails(pid, startTicks) : undefined), deps.clock.now);
    this.terminal = deps.openTerminal({
      key: (name) => this.onKey(name),
      mouse: (command) => this.onMouse(command),
      resize: () => this.render(),
    });
    this.removeHooks = deps.exitHooks({
      terminate: () => this.shutdown(0),
      // Ctrl-C while strace/lsof has the terminal is meant for the tool, which shares our process group.
      interrupt: () => {
        if (this.handingOff === undefined) this.shutdown(0);
      },
      crash: (err) => this.shutdown(1, err),
    });
    this.history.record(this.snapshot);
    this.render();
    // Asked only after the first frame is on screen: loading systeminformation alone costs ~60 ms.
    deps.clock.setTimer(() => this.askHostFacts(), 0);
    this.schedule(Math.min(this.state.delay * 100, FIRST_RESCAN_MS));
  }

  /**
   * The one exit path: stops the timers, ends a hand-off still running (the tool and its wrapper
   * must not outlive proctop), restores the terminal, then reports.
   */
  shutdown(code: number, err?: unknown): void {
    if (this.done) return;
    this.done = true;
    this.timer?.cancel();
    const running = this.handingOff;
    if (!running?.wrapper) return this.restore(code, err);
    const wrapper = running.wrapper;
    this.deps.actions.endHandOff(wrapper, false);
    // The terminal is restored once the wrapper has exited: blessed takes the screen back then.
    const force = this.deps.clock.setTimer(() => {
      this.deps.actions.endHandOff(wrapper, true);
      this.restore(code, err);
    }, HAND_OFF_GRACE_MS);
    running.program.exited.then(() => {
      force.cancel();
      this.restore(code, err);
    }, () => this.restore(code, err));
  }

  private restore(code: number, err: unknown): void {
    if (this.restored) return;
    this.restored = true;
    this.terminal.close();
    this.removeHooks();
    if (err !== undefined) this.deps.errorOut(`proctop: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    this.finish(code);
  }

  private askHostFacts(): void {
    this.deps.hostFacts?.().then((facts) => {
      this.facts = facts;
      this.render();
    }, () => undefined);
  }

  private schedule(ms: number): void {
    this.timer?.cancel();
    this.timer = this.deps.clock.setTimer(() => this.tick(), ms);
  }

  private onKey(name: string): void {
    const command = lookupKey(keyContextOf(this.state), name);
    if (command) this.dispatch(command);
  }

  private onMouse(command: Command): void {
    if (this.state.mode.kind === 'normal') this.dispatch(command);
  }

  private columns(): Column[] {
    return this.state.columns.map((id) => findColumn(id)).filter((c): c is Column => c !== undefined);
  }

  private frameInput(): FrameInput {
    const { width, height } = this.terminal.size();
    return {
      snapshot: this.snapshot, previous: this.previous, width, height, columns: this.columns(), configPath: this.deps.configPath,
      hostname: this.deps.hostname, host: this.facts, self: this.deps.selfCost(), tzOffset: this.deps.clock.tzOffset(this.deps.clock.now()), graph: this.history,
      timeline: this.deps.source.travel?.timeline(), clockNow: this.deps.clock.now(),
    };
  }

  private render(): void {
    if (this.done) return;
    const rows = this.memo.get(this.state, this.snapshot, this.previous);
    this.rows = rows;
    const input = this.frameInput();
    const tableHeight = frameTableHeight(this.state, input);
    this.state = reconcile(this.state, rows.rows, tableHeight, rows.present);
    if (this.state.cgroupView.open) this.state = reconcileCgroups(this.state, frameCgroupRows(this.state, this.snapshot), tableHeight);
    const details = this.details.input(this.state, this.snapshot, this.freshTick, this.deps.clock.tzOffset(this.snapshot.time));
    const vm = buildView(this.state, { ...input, details }, rows);
    this.lastView = vm;
    this.terminal.paint(vm, this.state.theme);
  }

  /** Takes the next frame (unless paused), draws it and schedules the one after. */
  private tick(): void {
    if (this.done || this.sampling) return;
    this.timer?.cancel();
    const interval = this.state.delay * 100;
    const started = this.deps.clock.now();
    if (this.state.paused) return this.afterSample(undefined, started, interval);
    this.sampling = true;
    this.deps.source.sample().then((next) => this.afterSample(next, started, interval), (err: unknown) => this.shutdown(1, err));
  }

  private afterSample(next: Snapshot | undefined, started: number, interval: number): void {
    this.sampling = false;
    if (this.done) return;
    let wait = interval;
    if (next) {
      this.previous = this.snapshot;
      this.snapshot = next;
      this.history.record(next);
      this.iterations++;
      const pace = refreshPace(this.deps.clock.now() - started, interval, this.backedOff);
      wait = pace.waitMs;
      this.backedOff = pace.backedOff;
      if (pace.announce) this.say(pace.announce, true);
    }
    this.freshTick = true;
    this.render();
    this.freshTick = false;
    if (this.deps.maxIterations !== undefined && this.iterations >= this.deps.maxIterations) return this.shutdown(0);
    // Scheduled after the scan finishes, so a slow scan can never pile up.
    this.schedule(wait);
  }

  private say(text: string, error: boolean): void {
    this.state = { ...this.state, status: { text, error } };
  }

  private reduceContext(): ReduceContext {
    const rows = this.rows ?? this.memo.get(this.state, this.snapshot, this.previous);
    const height = frameTableHeight(this.state, this.frameInput());
    const now = this.deps.clock.now();
    return {
      ...makeReduceContext(rows, this.snapshot, height, this.deps.selfPid, this.lastView?.dialog?.scroll, frameCgroupRows(this.state, this.snapshot)),
      live: this.deps.source.live,
      travel: this.deps.source.travel?.timeline().kind,
      clockNow: now,
      tzOffset: this.deps.clock.tzOffset(now),
    };
  }

  /** One command: reduce, save changed settings, run the effects, draw. */
  dispatch(command: Command): void {
    if (this.done) return;
    const before = this.state;
    const result = reduce(this.state, command, this.reduceContext());
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
    if (resample) this.schedule(Math.min(this.state.delay * 100, RESCAN_AFTER_EFFECT_MS));
  }

  /** The one place effects are run. */
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
        return this.handOff(effect);
      case 'travel':
        this.travelTo(effect.to);
        return 'none';
      case 'resume-live':
        return this.resumeLive(effect.pending);
      case 'cgroup':
        return this.actOnCgroup(effect);
      default:
        return this.perform(effect);
    }
  }

  /** Refuses to act on a frame that is not the system now (a recording, a rewound frame). */
  private refusedNotLive(what: string): boolean {
    if (this.deps.source.live) return false;
    this.say(`${what} refused: the frame on screen is ${this.deps.source.travel ? 'from the past' : this.deps.source.name}, not the live system`, true);
    return true;
  }

  /** Moves the frame on screen through time; false (with the reason on the status line) when it cannot. */
  private travelTo(to: TravelTo): boolean {
    const travel = this.deps.source.travel;
    const result = travel ? travel.travel(to) : 'rewind is off';
    if (typeof result === 'string') {
      this.say(`Rewind: ${result}`, true);
      return false;
    }
    this.snapshot = result.snapshot;
    this.previous = result.previous;
    const live = this.deps.source.live;
    this.say(result.note ?? (live ? 'Live again' : TIME_HINT), false);
    return true;
  }

  /** Returns to live for a command asked in the past, then runs it if its process is still the same one. */
  private resumeLive(pending: Extract<UiState['mode'], { kind: 'go-live' }>): AfterEffect {
    if (!this.travelTo({ kind: 'live' })) return 'none';
    const resumed = resumeAfterLive(this.state, pending, this.snapshot);
    this.state = resumed.state;
    if (!resumed.command) return 'none';
    this.render();
    this.dispatch(resumed.command);
    return 'stop';
  }

  private perform(effect: SystemEffect): AfterEffect {
    if (this.refusedNotLive(effect.kind)) return 'none';
    const outcome = this.deps.actions.perform(effect);
    this.say(outcome.text, outcome.error);
    const later = outcome.later;
    if (later) {
      this.deps.clock.setTimer(() => {
        if (this.done) return;
        this.state = { ...this.state, status: later() };
        this.render();
      }, AFTERMATH_MS);
    }
    return 'resample';
  }

  /**
   * A cgroup action waits for the kernel (a freeze settling, a cgroup emptying) for up to a few
   * seconds: the screen keeps refreshing meanwhile, and the outcome replaces the status line.
   */
  private actOnCgroup(effect: CgroupEffect): AfterEffect {
    if (this.refusedNotLive(`cgroup ${effect.action}`)) return 'none';
    this.deps.actions.cgroup(effect).then((outcome) => {
      if (this.done) return;
      this.say(outcome.text, outcome.error);
      this.schedule(Math.min(this.state.delay * 100, RESCAN_AFTER_EFFECT_MS));
      this.render();
    }, (err: unknown) => this.shutdown(1, err));
    return 'none';
  }

  private handOff(effect: HandOffEffect): AfterEffect {
    if (this.refusedNotLive(effect.tool)) return 'none';
    const command = this.deps.actions.handOffCommand(effect);
    if ('error' in command) {
      this.say(command.error, true);
      return 'none';
    }
    this.timer?.cancel();
    const program = this.terminal.handOff(command);
    this.handingOff = { program, wrapper: program.pid === undefined ? undefined : this.deps.actions.identify(program.pid) };
    program.exited.then(() => {
      this.handingOff = undefined;
      if (this.done) return;
      this.say(`${effect.tool} exited; back in proctop`, false);
      this.tick();
    }, (err: unknown) => this.shutdown(1, err));
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
