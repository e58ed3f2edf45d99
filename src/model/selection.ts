import { parseQuery } from './query';
import { ProcessInfo } from './snapshot';

/** Which processes a view shows: `-u`, `-p` and a filter query, as --once and the TUI both take them. */
export interface Selection {
  /** Only this user's processes (`-u`, the user menu). */
  readonly uid?: number;
  /** Only these PIDs (`-p`): a listed process with its threads, or a listed thread (TID) alone. */
  readonly pids?: readonly number[];
  /** A query (`--filter`, F4); one that does not parse selects nothing out (the bar shows the error). */
  readonly filter?: string;
  /** Snapshot time, ms, and the stuck rule's threshold: what time-dependent query terms are judged against. */
  readonly now: number;
  readonly stuckAfterMs: number;
}

/** The selection as one predicate, or undefined when it selects everything. */
export function selectionPredicate(sel: Selection): ((p: ProcessInfo) => boolean) | undefined {
  const pids = sel.pids ? new Set(sel.pids) : undefined;
  const query = sel.filter !== undefined && sel.filter.trim() !== '' ? parseQuery(sel.filter) : undefined;
  const matches = query?.ok ? query.predicate : undefined;
  const { uid } = sel;
  if (uid === undefined && !pids && !matches) return undefined;
  const ctx = { now: sel.now, stuckAfterMs: sel.stuckAfterMs };
  // A thread row's pid is its TID and its tgid the process's PID: either listed selects it.
  return (p) => (uid === undefined || p.uid === uid) && (!pids || pids.has(p.pid) || pids.has(p.tgid)) && (!matches || matches(p, ctx));
}
