import * as blessed from 'blessed';
import { hostname } from 'node:os';
import { Column, findColumn } from '../model/columns';
import { Snapshot } from '../model/snapshot';
import { buildView, FrameInput, frameRows, FrameRows, frameTableHeight, makeReduceContext, reconcile } from '../view/build-view';
import { KeyContext, lookupKey } from '../view/keymap';
import { Effect, reduce, ReduceContext } from '../view/reduce';
import { ViewModel } from '../view/view-model';
import { DetailsInput } from '../view/details-view';
import type { ProcessDetails } from '../view/details-view';
import { UiState } from '../view/ui-state';
import { Command } from '../view/commands';
import { keyName, KeyEvent } from './keys';
import { alignBlessedWidths } from './blessed-width';
import { createWidgets, paint } from './paint';
import { refreshPace } from '../view/refresh-pace';
import { decodeEveryMouseReport } from './mouse-reports';
import { STATES_LABEL } from '../view/header';
import { Theme } from './theme';

/** What the screen needs from the rest of the program; handed in so ui imports no sampler or actions. */
export interface AppDeps {
  /** The first snapshot, taken before the screen opens. */
  readonly first: Snapshot;
  /** Later snapshots; the portable sampler is asynchronous. */
  readonly sample: () => Promise<Snapshot>;
  readonly setThreads: (on: boolean) => void;
  /** Performs a side effect (signal, renice): the status line now, and optionally a check a moment later. */
  /** The command line to hand the terminal to (strace, lsof), or why not. */
  readonly handOff: (effect: Extract<Effect, { kind: 'hand-off' }>) => { file: string; args: string[] } | { error: string };
  readonly perform: (effect: Exclude<Effect, { kind: 'quit' } | { kind: 'set-threads' } | { kind: 'hand-off' }>) => {
    text: string;
    error: boolean;
    later?: () => { text: string; error: boolean };
  };
  /** proctop's own CPU% and RSS, for the header. */
  readonly selfCost: () => { cpu: number | undefined; rss: number | undefined };
  /** Themes by name; `color: false` (--no-color, NO_COLOR) forces `mono`. */
  readonly themes: Readonly<Record<string, Theme>>;
  readonly color: boolean;
  /** Called after every command that changed a setting (setup screen, sort, tree …), to save it. */
  readonly settingsChanged: (before: UiState, after: UiState) => string | undefined;
  readonly configPath: string | undefined;
  /** Exit after this many refreshes (-n); undefined = run until quit. */
  readonly maxIterations: number | undefined;
  readonly mouse: boolean;
  readonly initial: UiState;
  /** Reads the details panel's data (pid + start time checked); undefined when the process is gone. */
  readonly readDetails: (pid: number, startTicks: number) => ProcessDetails | undefined;
  /** Host facts, resolved in the background (systeminformation); shown when they arrive. */
  readonly hostFacts?: () => Promise<string | undefined>;
}

function contextOf(state: UiState): KeyContext {
  switch (state.mode.kind) {
    case 'normal': return 'table';
    case 'search': case 'filter': case 'input': return 'prompt';
    case 'confirm': return 'confirm';
    case 'help': return 'help';
    case 'zombies': return 'zombies';
    case 'setup': return 'setup';
    case 'details': return 'details';
    default: return 'menu';
  }
}

/**
 * Runs the interactive monitor until the user quits. One loop: sampler ticks,
 * keys, mouse and resize become commands → reduce → buildView → paint → one
 * render. Resolves with the exit status; the caller restores nothing, because
 * every exit path here goes through shutdown(), which destroys the screen first.
 */
export function runApp(deps: AppDeps): Promise<number> {
  return new Promise((resolve) => {
    alignBlessedWidths();
    // forceUnicode: box-drawing guides as Unicode, not the ACS fallback blessed picks when LANG is unset.
    const screen = blessed.screen({ smartCSR: true, fullUnicode: true, forceUnicode: true, autoPadding: false, warnings: false, dockBorders: false });
    // Draw box characters as Unicode: with ACS, copying the screen into an
    // incident report (or tmux capture-pane) gives `tq`/`x` instead of `├─`/`│`.
    (screen.tput as unknown as { brokenACS: boolean }).brokenACS = true;
    const widgets = createWidgets(screen);
    let state = deps.initial;
    let snapshot = deps.first;
    let previous: Snapshot | undefined;
    let rows: FrameRows = frameRows(state, snapshot, undefined);
    let iterations = 0;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    let lastView: ViewModel | undefined;
    const host = hostname();
    let facts: string | undefined;
    const history = { cpu: [] as number[], mem: [] as number[] };

    const shutdown = (code: number, err?: unknown): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      screen.destroy();
      process.off('SIGTERM', onSignal).off('SIGHUP', onSignal).off('SIGINT', onInterrupt);
      process.off('uncaughtException', onCrash).off('unhandledRejection', onCrash);
      if (err !== undefined) process.stderr.write(`proctop: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      resolve(code);
    };
    let handingOff = false;
    const onSignal = (): void => shutdown(0);
    // Ctrl-C while strace/lsof has the terminal is meant for the tool, which shares our process group.
    const onInterrupt = (): void => {
      if (!handingOff) shutdown(0);
    };
    const onCrash = (err: unknown): void => shutdown(1, err);
    process.on('SIGTERM', onSignal).on('SIGHUP', onSignal).on('SIGINT', onInterrupt);
    process.on('uncaughtException', onCrash).on('unhandledRejection', onCrash);

    const frameInput = (): FrameInput => ({
      snapshot, previous, width: screen.width as number, height: screen.height as number, columns: columns(), configPath: deps.configPath,
      hostname: host, host: facts, self: deps.selfCost(), tzOffset: new Date().getTimezoneOffset(), graph: history,
    });
    const tableHeight = (): number => frameTableHeight(state, frameInput());
    const columns = (): Column[] => state.columns.map((id) => findColumn(id)).filter((c): c is Column => c !== undefined);
    const theme = (): Theme => (deps.color ? deps.themes[state.theme] : undefined) ?? (deps.themes.mono as Theme);
    let details: { key: string; current: ProcessDetails | undefined; previous: ProcessDetails | undefined; at: number; elapsed: number } | undefined;
    // Read on opening and once per refresh, never per key press: one read scans every stat file for children.
    const detailsInput = (fresh: boolean): DetailsInput | undefined => {
      const mode = state.mode;
      if (mode.kind !== 'details') {
        details = undefined;
        return undefined;
      }
      const key = `${mode.target.pid}:${mode.target.startTicks}`;
      if (!details || details.key !== key || fresh) {
        const now = Date.now();
        const current = deps.readDetails(mode.target.pid, mode.target.startTicks);
        details = details && details.key === key ? { key, current, previous: details.current, at: now, elapsed: now - details.at } : { key, current, previous: undefined, at: now, elapsed: 0 };
      }
      const process = snapshot.processes.find((p) => p.pid === mode.target.pid && p.startTicks === mode.target.startTicks);
      return { details: details.current, previous: details.previous, elapsedMs: details.elapsed, process, now: snapshot.time, tzOffset: new Date(snapshot.time).getTimezoneOffset() };
    };
    let freshTick = false;
    // Rows depend on the snapshot and a few settings, not on the selection: a key that only moves
    // the selection reuses them (a sort over 20,000 processes per key press would lag typing).
    let rowsFor: readonly unknown[] = [];
    const currentRows = (): FrameRows => {
      const key = [snapshot, previous, state.sortKey, state.descending, state.tree, state.filter, state.uid, state.pids, state.showKernel, state.showThreads, state.collapsed, state.highlight];
      if (key.length !== rowsFor.length || key.some((k, i) => k !== rowsFor[i])) {
        rows = frameRows(state, snapshot, previous);
        rowsFor = key;
      }
      return rows;
    };
    const render = (): void => {
      if (done) return;
      rows = currentRows();
      state = reconcile(state, rows.rows, tableHeight(), rows.present);
      const vm = buildView(state, { ...frameInput(), details: detailsInput(freshTick) }, rows);
      lastView = vm;
      paint(widgets, vm, theme());
      screen.render();
    };
    const record = (s: Snapshot): void => {
      history.cpu.push(s.system.cpu.busy);
      history.mem.push(s.system.memory.total ? (s.system.memory.used * 100) / s.system.memory.total : 0);
      if (history.cpu.length > 300) { history.cpu.shift(); history.mem.shift(); }
    };
    let sampling = false;
    /** The last scan was slow and the refresh is backed off (announced once, when it starts). */
    let backedOff = false;
    const tick = (): void => {
      if (done || sampling) return;
      if (timer) clearTimeout(timer);
      const interval = state.delay * 100;
      const started = Date.now();
      const after = (next: Snapshot | undefined): void => {
        sampling = false;
        if (done) return;
        let wait = interval;
        if (next) {
          const took = Date.now() - started;
          previous = snapshot;
          snapshot = next;
          record(snapshot);
          iterations++;
          const pace = refreshPace(took, interval, backedOff);
          wait = pace.waitMs;
          backedOff = pace.backedOff;
          if (pace.announce) state = { ...state, status: { text: pace.announce, error: true } };
        }
        freshTick = true;
        render();
        freshTick = false;
        if (deps.maxIterations !== undefined && iterations >= deps.maxIterations) return shutdown(0);
        // Scheduled after the scan finishes, so a slow scan can never pile up.
        timer = setTimeout(tick, wait);
      };
      if (state.paused) return after(undefined);
      sampling = true;
      deps.sample().then(after, (err: unknown) => shutdown(1, err));
    };
    const reduceContext = (): ReduceContext => makeReduceContext(rows, snapshot, tableHeight(), process.pid, lastView?.dialog?.scroll);
    const dispatch = (command: Command): void => {
      const before = state;
      const result = reduce(state, command, reduceContext());
      state = result.state;
      const saveError = deps.settingsChanged(before, state);
      if (saveError) state = { ...state, status: { text: saveError, error: true } };
      let resample = false;
      for (const effect of result.effects) {
        if (effect.kind === 'quit') return shutdown(0);
        if (effect.kind === 'hand-off') {
          const command = deps.handOff(effect);
          if ('error' in command) {
            state = { ...state, status: { text: command.error, error: true } };
            continue;
          }
          if (timer) clearTimeout(timer);
          // blessed leaves the alternate screen, runs the tool on the real terminal, and comes back when it exits.
          handingOff = true;
          screen.exec(command.file, command.args, {}, () => {
            handingOff = false;
            state = { ...state, status: { text: `${effect.tool} exited; back in proctop`, error: false } };
            screen.alloc();
            tick();
          });
          return;
        }
        if (effect.kind === 'set-threads') {
          deps.setThreads(effect.on);
          resample = true;
          continue;
        }
        const outcome = deps.perform(effect);
        state = { ...state, status: { text: outcome.text, error: outcome.error } };
        const later = outcome.later;
        if (later) {
          setTimeout(() => {
            if (done) return;
            state = { ...state, status: later() };
            render();
          }, 300);
        }
        resample = true;
      }
      render();
      if (resample) {
        // Show the effect of a signal or renice soon, not a whole interval later.
        if (timer) clearTimeout(timer);
        timer = setTimeout(tick, Math.min(state.delay * 100, 250));
      }
    };

    screen.on('keypress', (ch: string | undefined, key: KeyEvent) => {
      const command = lookupKey(contextOf(state), keyName(ch, key ?? {}));
      if (command) dispatch(command);
    });
    screen.on('resize', () => render());
    if (deps.mouse) {
      screen.enableMouse();
      decodeEveryMouseReport(screen);
      screen.on('mouse', (data: { action: string; x: number; y: number }) => {
        if (state.mode.kind !== 'normal') return;
        const tableTop = widgets.table.atop as number;
        if (data.action === 'wheelup' || data.action === 'wheeldown') return dispatch({ kind: 'scroll', delta: data.action === 'wheelup' ? -3 : 3 });
        if (data.action !== 'mousedown') return;
        // The state counts line: a click on it opens the zombie view (the Z count is the shortcut).
        // Found by its label: the host facts line, when it has arrived, moves it down one.
        const statesLine = lastView?.header.findIndex((line) => line.some((seg) => seg.text === STATES_LABEL)) ?? -1;
        if (statesLine >= 0 && data.y === (widgets.header.atop as number) + statesLine && data.x >= Math.floor((screen.width as number) / 2)) return dispatch({ kind: 'zombies' });
        if (data.y === (widgets.columns.atop as number)) {
          const span = lastView?.columnSpans.find((s) => data.x >= s.start && data.x < s.end);
          if (span) dispatch({ kind: 'sort-by', column: span.id });
        } else if (data.y >= tableTop && data.y < tableTop + (widgets.table.height as number)) {
          dispatch({ kind: 'select-row', row: data.y - tableTop });
        }
      });
    }
    record(snapshot);
    render();
    // Asked only after the first frame is on screen: loading systeminformation alone costs ~60 ms.
    setImmediate(() => {
      deps.hostFacts?.().then((f) => {
        facts = f;
        render();
      }, () => undefined);
    });
    // The first CPU% needs a second scan; take it sooner than a whole interval.
    timer = setTimeout(tick, Math.min(state.delay * 100, 500));
  });
}

