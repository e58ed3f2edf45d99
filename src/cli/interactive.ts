import { findColumn } from '../model/columns';
import { cgroupsNeeded, hostReadsNeeded, processFilesNeeded } from '../view/reads';
import { firstScanSplits, firstScreenPids, screenFirstOrder, screenFirstPids } from '../view/first-frame';
import { Config } from '../config/schema';
import { configPath, loadConfig, saveConfig } from '../config/store';
import { openSource } from '../sampler/source';
import { SelfMeter } from '../sampler/self-meter';
import { hostFacts } from '../sampler/host-facts';
import { hostname } from 'node:os';
import type { BlessedOptions } from '../ui/app';
import { firstPaintSupported, firstPaintThen } from '../ui/first-paint';
import { THEMES, themeFor } from '../ui/theme';
import { initialState, UiState } from '../view/ui-state';
import { liveActions } from '../loop/live-actions';
import { runLoop } from '../loop/monitor-loop';
import { nodeClock, processExitHooks } from '../loop/node-ports';
import { userOption } from './once';
import { Options } from './options';
import { Snapshot } from '../model/snapshot';
import { SnapshotSource } from '../model/snapshot-source';
import { rewindMs } from '../model/settings';
import { OpenTerminal, SystemActions } from '../loop/ports';
import { replayActions } from '../loop/replay-actions';
import { FrameRing, REWIND_MAX_BYTES } from '../history/frame-ring';
import { RewindSource } from '../history/rewind-source';
import { ReplaySource } from '../history/replay-source';
import { CLOCK_TICKS } from '../procfs/clock';
import { sanitize } from '../view/text';
import { openStore, reportWarnings, resolveTime } from './replay';
import { traceStart } from './start-trace';

/** The UI state fields that the config file keeps, and their config names. */
function settingsOf(s: UiState): Partial<Config> {
  return {
    columns: s.columns, meters: s.meters as Config['meters'], sortKey: s.sortKey, sortDescending: s.descending, tree: s.tree,
    delay: s.delay, theme: s.theme, showThreads: s.showThreads, showKernel: s.showKernel, memPercentOf: s.memBase,
  };
}

/**
 * Saves what the user changed interactively, merged into what was loaded:
 * a value that came from a flag for this run is not written unless the user
 * changes it on screen.
 */
function settingsSaver(loaded: Config, file: string): (before: UiState, after: UiState) => string | undefined {
  let saved = loaded;
  return (before, after) => {
    const a = settingsOf(before);
    const b = settingsOf(after);
    const changed = (Object.keys(b) as (keyof Config)[]).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    if (changed.length === 0) return undefined;
    saved = { ...saved, ...Object.fromEntries(changed.map((k) => [k, b[k]])) };
    return saveConfig(saved, file);
  };
}

/**
 * The sort the monitor opens with: `-s` (in its column's direction); `-t`
 * without `-s` sorts the tree by PID, as `--once -t` does; otherwise the saved
 * key and direction. Undefined leaves the choice to initialState.
 */
export function startingSort(options: Pick<Options, 'explicit' | 'sortKey' | 'tree'>, config: Pick<Config, 'sortKey' | 'sortDescending'>): { sortKey: string | undefined; descending: boolean | undefined } {
  if (options.explicit.has('sortKey')) return { sortKey: options.sortKey, descending: undefined };
  if (options.explicit.has('tree')) return { sortKey: options.tree ? undefined : config.sortKey, descending: undefined };
  return { sortKey: config.sortKey, descending: config.sortDescending };
}

/** Why this terminal cannot run the monitor (printed, exit 2), or undefined when it can. */
function unusableTerminal(): string | undefined {
  if (!process.stdout.isTTY || !process.stdin.isTTY) return 'not a terminal; use --once (or --once --json) for a snapshot';
  if (process.env.TERM === 'dumb') return 'TERM=dumb cannot draw a full-screen display; set TERM (e.g. xterm-256color) or use --once';
  return undefined;
}

/** The UI state the monitor opens with: flags for this run win over the saved settings. */
function startingState(options: Options, config: Config, uid: number | undefined, warning: string | undefined): UiState {
  const pick = <K extends keyof Options, V>(key: K, fromFlag: V, fromConfig: V): V => (options.explicit.has(key) ? fromFlag : fromConfig);
  const defaults = initialState({
    ...startingSort(options, config),
    tree: pick('tree', options.tree, config.tree),
    filter: options.filter,
    uid,
    pids: options.pids,
    highlight: options.highlightChanges,
    readonly: options.readonly,
    showThreads: pick('threads', options.threads, config.showThreads),
    showKernel: config.showKernel,
    stuckAfterMs: options.stuckAfter * 1000,
    columns: pick('columns', options.columns, config.columns).filter((id) => findColumn(id) !== undefined),
    delay: pick('delay', options.delay, config.delay),
    theme: pick('theme', options.theme, config.theme),
    meters: config.meters,
    memBase: pick('memPercentOf', options.memPercentOf, config.memPercentOf),
  });
  // The warning on stderr is hidden by the full screen a moment later: the status line repeats it.
  return warning ? { ...defaults, status: { text: `Settings: ${warning}`, error: true } } : defaults;
}

/** What the monitor shows: the live system (with its rewind ring), or a recorded store. */
interface Opened {
  readonly source: SnapshotSource;
  readonly first: Snapshot;
  /** The rest of a first frame read in part (see LoopDeps.completeFirst). */
  readonly completeFirst?: () => Snapshot;
  readonly actions: SystemActions;
  readonly hostname: string;
  readonly hostFacts: (() => Promise<string | undefined>) | undefined;
  /**
   * Tells the live sampler what to read for what `state` shows: cgroups, and the optional
   * per-process files (SWAP, OOM, I/O). A no-op in a replay, whose frames hold what was recorded.
   */
  readonly setReads: (state: UiState) => void;
}

/** The live sampler, wrapped in the rewind ring unless rewind is 0. */
async function openLive(options: Options, config: Config, initial: UiState): Promise<Opened> {
  const live = openSource(options.sampler, options.procRoot, options.passwd, initial.showThreads);
  const setReads = (state: UiState): void => {
    live.setCgroups(cgroupsNeeded(state));
    live.setProcessFiles(processFilesNeeded(state));
    live.setHostReads(hostReadsNeeded(state));
    live.setMemBase(state.memBase);
  };
  // Before the first scan: a `-F container:web` start shows its matches on the first frame.
  setReads(initial);
  const rewind = options.explicit.has('rewind') ? options.rewind : (rewindMs(config.rewind) ?? 0);
  // The ring encodes each frame after it is drawn (setImmediate), not before.
  const ring = rewind > 0 ? new RewindSource(live, new FrameRing({ maxAgeMs: rewind, maxBytes: REWIND_MAX_BYTES }, CLOCK_TICKS), (run) => setImmediate(run)) : undefined;
  const source = ring ?? live;
  const opened = { source, actions: liveActions(live), hostname: hostname(), hostFacts, setReads };
  const lines = process.stdout.rows ?? 24;
  // The whole first frame, read right after the first paint; the ring keeps whole frames only.
  const completing = (rest: () => Snapshot) => (): Snapshot => {
    const whole = rest();
    ring?.take(whole);
    return whole;
  };
  const order = screenFirstOrder(initial, cgroupsNeeded(initial));
  if (live.screenFirst !== undefined && order !== undefined) {
    // Only the processes on the first screen are read before the first paint.
    const { first, rest } = live.screenFirst((pids) => screenFirstPids(pids, order, lines));
    return { ...opened, first, completeFirst: completing(rest) };
  }
  if (!firstScanSplits(initial)) {
    const first = await source.sample();
    if (!first) throw new Error('the sampler returned no first frame');
    return { ...opened, first };
  }
  // The rows on screen first: argv, uid and statm of the others are read right after the first paint.
  const { first, rest } = await live.sampleFirst((partial) => firstScreenPids(initial, partial, lines));
  return { ...opened, first, completeFirst: completing(rest) };
}

/** `--replay DIR [--at TIME]`: the store's frames; a one-line reason (exit 1 or 2) when it cannot open. */
function openReplay(dir: string, at: string | undefined): Opened | number {
  const store = openStore(dir, process.stderr);
  if (!store) return 1;
  reportWarnings(store, process.stderr);
  const time = at === undefined ? undefined : resolveTime(at, '--at');
  if (typeof time === 'string') {
    process.stderr.write(`proctop: ${time}\n`);
    store.close();
    return 2;
  }
  const opened = ReplaySource.open(store, time);
  if (typeof opened === 'string') {
    process.stderr.write(`proctop: ${sanitize(opened)}\n`);
    store.close();
    return 1;
  }
  return { source: opened.source, first: opened.first, actions: replayActions, hostname: opened.source.host, hostFacts: undefined, setReads: () => undefined };
}

/**
 * The monitor's terminal: blessed, after a first paint of its own where the terminal's sequences
 * are known (ui/first-paint.ts). blessed is required here, not imported: it loads after that paint.
 * NO_COLOR and --no-color win over any theme: colour is never the only signal.
 */
function openTerminal(options: BlessedOptions): OpenTerminal {
  const blessed = (): OpenTerminal => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { blessedTerminal } = require('../ui/app') as typeof import('../ui/app');
    return blessedTerminal(options);
  };
  if (!firstPaintSupported(process.env.TERM)) {
    return (events) => {
      const terminal = blessed()(events);
      traceStart('screen');
      return terminal;
    };
  }
  const holdMs = Number(process.env.PROCTOP_TEST_HOLD_FIRST_PAINT_MS);
  return firstPaintThen(blessed, {
    output: process.stdout,
    input: process.stdin,
    theme: (name) => themeFor(options.themes, options.color, name),
    // Hidden hook for the end-to-end tests of the first paint: blessed takes over this much later.
    soon: holdMs > 0 ? (fn) => setTimeout(fn, holdMs) : (fn) => setImmediate(fn),
    opened: () => traceStart('screen'),
  });
}

/** `proctop` with no --once: the interactive monitor, wired to the sampler, config and actions. */
export async function runInteractive(options: Options): Promise<number> {
  traceStart('interactive-loaded');
  const unusable = unusableTerminal();
  if (unusable) {
    process.stderr.write(`proctop: ${unusable}\n`);
    return 2;
  }
  const uid = userOption(options);
  if (uid === null) return 2;
  const file = configPath();
  const { config, warning } = loadConfig(file);
  if (warning) process.stderr.write(`proctop: ${warning}\n`);
  const initial = startingState(options, config, uid, warning);
  const opened = options.replay === undefined ? await openLive(options, config, initial) : openReplay(options.replay, options.at);
  if (typeof opened === 'number') return opened;
  traceStart('first-scan');
  const { source, first } = opened;
  const self = new SelfMeter();
  const save = settingsSaver(config, file);
  // Hidden hook for the end-to-end test of the crash path: the terminal must be restored and the error shown.
  const crashAfter = Number(process.env.PROCTOP_TEST_CRASH_AFTER_MS);
  if (crashAfter > 0) {
    setTimeout(() => {
      throw new Error('test crash (PROCTOP_TEST_CRASH_AFTER_MS)');
    }, crashAfter);
  }
  const loop = runLoop({
    source,
    first,
    completeFirst: opened.completeFirst,
    openTerminal: openTerminal({ themes: THEMES, color: options.color, mouse: options.mouse }),
    clock: nodeClock,
    exitHooks: processExitHooks(),
    errorOut: (text) => process.stderr.write(text),
    selfPid: process.pid,
    actions: opened.actions,
    selfCost: () => self.read(),
    hostname: opened.hostname,
    hostFacts: opened.hostFacts,
    settingsChanged: (before, after) => {
      opened.setReads(after);
      return save(before, after);
    },
    configPath: file,
    maxIterations: options.maxIterations,
    initial,
  });
  // The loop paints its first frame before runLoop returns.
  traceStart('first-frame');
  const code = await loop;
  source.close();
  return code;
}
