import { Column, findColumn } from '../model/columns';
import { Snapshot } from '../model/snapshot';
import { buildView, frameCgroupRows, FrameInput, FrameRows, frameTableHeight, makeReduceContext, reconcile } from '../view/build-view';
import { reconcileCgroups } from '../view/cgroup-view';
import { ReduceContext } from '../view/reduce';
import { UiState } from '../view/ui-state';
import { ViewModel } from '../view/view-model';
import { DetailsCache } from './details-cache';
import type { EnvironInput, EnvironRead } from '../view/environ-view';
import { GraphHistory } from './graph-history';
import { LoopDeps, Terminal } from './ports';
import { RowsMemo } from './rows-memo';

/** What the frame reads from the loop's dependencies. */
type FrameDeps = Pick<LoopDeps, 'source' | 'actions' | 'clock' | 'configPath' | 'hostname' | 'hostFacts' | 'selfCost' | 'selfPid'>;

/**
 * The frame on screen and what is derived from it: the snapshot shown and the one before it, its
 * rows (memoised), the graph history, the details panel's readings, the host facts line and the
 * last view painted (dialogs scroll against it). The loop decides when; this draws and answers
 * what reduce needs to know about the frame.
 */
export class ScreenFrame {
  private current: Snapshot;
  private before: Snapshot | undefined;
  private rows: FrameRows | undefined;
  private lastView: ViewModel | undefined;
  private facts: string | undefined;
  private readonly history = new GraphHistory();
  private readonly memo = new RowsMemo();
  private readonly details: DetailsCache;
  /** The environment view's read, by target (pid:start ticks). */
  private environ: { readonly key: string; readonly read: EnvironRead | undefined } | undefined;

  constructor(first: Snapshot, private readonly deps: FrameDeps, private readonly terminal: Terminal) {
    this.current = first;
    // Facts on their way hold their line blank: the meters and the table do not move down a row
    // under the user's eyes (or under a click) when the facts arrive.
    this.facts = deps.hostFacts ? '' : undefined;
    // Asked at each read: a rewind source stops being live while the screen shows the past (the cache then shows the frame's fields).
    this.details = new DetailsCache((pid, startTicks) => (deps.source.live ? deps.actions.readDetails(pid, startTicks) : undefined), deps.clock.now);
    this.history.record(first);
  }

  /** The snapshot on screen. */
  get snapshot(): Snapshot {
    return this.current;
  }

  /** A new sample: it goes on screen and into the graph history. */
  /** The same frame read in full (see LoopDeps.completeFirst): on screen in its place, not a new point in the graph. */
  complete(whole: Snapshot): void {
    this.current = whole;
  }

  advance(next: Snapshot): void {
    this.before = this.current;
    this.current = next;
    this.history.record(next);
  }

  /** A frame from elsewhere in time (rewind): on screen, not recorded in the graph. */
  show(snapshot: Snapshot, previous: Snapshot | undefined): void {
    this.current = snapshot;
    this.before = previous;
  }

  /** The host facts line (arrives in the background; undefined: none, the line goes). */
  setHostFacts(facts: string | undefined): void {
    this.facts = facts;
  }

  /**
   * Paints `state` over the frame (one render) and returns it reconciled with the rows on screen
   * (selection and scroll kept in view). `fresh`: the frame follows a new sample, so the details
   * panel reads again.
   */
  paint(state: UiState, fresh: boolean): UiState {
    const rows = this.memo.get(state, this.current, this.before);
    this.rows = rows;
    const input = this.input(state);
    const tableHeight = frameTableHeight(state, input);
    let next = reconcile(state, rows.rows, tableHeight, rows.present);
    if (next.cgroupView.open) next = reconcileCgroups(next, frameCgroupRows(next, this.current), tableHeight);
    const details = this.details.input(next, this.current, fresh, this.deps.clock.tzOffset(this.current.time), !this.deps.source.live);
    const vm = buildView(next, { ...input, details, environ: this.environInput(next) }, rows);
    this.lastView = vm;
    this.terminal.paint(vm, next.theme);
    return next;
  }

  /** The environment view's data: read once when it opens on a process (an environment changes only by exec), dropped when it closes. */
  private environInput(state: UiState): EnvironInput | undefined {
    const mode = state.mode;
    if (mode.kind !== 'environ') {
      this.environ = undefined;
      return undefined;
    }
    const { pid, startTicks } = mode.target;
    const key = `${pid}:${startTicks}`;
    if (this.environ?.key !== key) this.environ = { key, read: this.deps.source.live ? this.deps.actions.readEnviron(pid, startTicks) : undefined };
    return { read: this.environ.read, pid, process: this.current.processes.find((p) => p.pid === pid && p.startTicks === startTicks) };
  }

  /** What reduce needs to know about the frame on screen. */
  reduceContext(state: UiState): ReduceContext {
    const rows = this.rows ?? this.memo.get(state, this.current, this.before);
    const height = frameTableHeight(state, this.input(state));
    const now = this.deps.clock.now();
    return {
      ...makeReduceContext(rows, this.current, height, this.deps.selfPid, this.lastView?.dialog?.scroll, frameCgroupRows(state, this.current)),
      live: this.deps.source.live,
      travel: this.deps.source.travel?.timeline().kind,
      clockNow: now,
      tzOffset: this.deps.clock.tzOffset(now),
    };
  }

  private input(state: UiState): FrameInput {
    const { width, height } = this.terminal.size();
    const { clock, source } = this.deps;
    return {
      snapshot: this.current, previous: this.before, width, height, columns: columnsOf(state), configPath: this.deps.configPath,
      hostname: this.deps.hostname, host: this.facts, self: this.deps.selfCost(), tzOffset: clock.tzOffset(clock.now()), graph: this.history,
      timeline: source.travel?.timeline(), clockNow: clock.now(),
    };
  }
}

function columnsOf(state: UiState): Column[] {
  return state.columns.map((id) => findColumn(id)).filter((c): c is Column => c !== undefined);
}
