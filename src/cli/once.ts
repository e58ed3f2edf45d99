import { setTimeout as sleep } from 'node:timers/promises';
import { filesNeeded, findColumn, Column } from '../model/columns';
import { queryNeedsCgroups } from '../model/query-needs';
import { selectionPredicate } from '../model/selection';
import { PROCESS_FILES } from '../kernel/process-files';
import { processFilesNeeded } from '../view/reads';
import { readPasswd } from '../procfs/reader';
import { openSource, type LiveSource } from '../sampler/source';
import { renderJson, ReplayOrigin } from '../output/json';
import type { Snapshot } from '../model/snapshot';
import { resolveTime, seekFrame } from './replay';
import { renderTextTable } from '../output/text-table';
import { orderedRows } from '../view/rows';
import { Options } from './options';
import { sanitize } from '../view/text';
import { configPath } from '../config/store';
import { writeFileAtomic } from '../config/atomic-file';
import { BuildInfo, buildInfo } from './build-info';

/** Resolves `-u NAME|UID` to a uid; undefined when no such user. */
export function resolveUser(user: string, passwdPath: string): number | undefined {
  if (/^\d+$/.test(user)) return Number(user);
  for (const [uid, name] of readPasswd(passwdPath)) if (name === user) return uid;
  return undefined;
}

/**
 * The uid of `-u`, undefined when not given, or null (after saying so on
 * stderr) when no such user exists: the caller exits 2.
 */
export function userOption(options: Options): number | undefined | null {
  if (options.user === undefined) return undefined;
  const uid = resolveUser(options.user, options.passwd);
  if (uid !== undefined) return uid;
  process.stderr.write(`proctop: no such user: ${sanitize(JSON.stringify(options.user))}\n`);
  return null;
}

/**
 * `--once --format openmetrics|prometheus`: the metrics `proctop serve`
 * exports, from one scan (counters need no second one), with the groups of
 * the user's settings. Undefined (after one line on stderr) when the groups
 * are unusable.
 */
async function metricsOnce(options: Options, build: BuildInfo): Promise<string | undefined> {
  // Required here, not imported: the exporter's modules (yaml, http, …) cost a table or a replayed
  // frame ~30 ms of a cold start (--once --replay's budget is 300 ms for the whole command).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { render } = require('../serve/exposition') as typeof import('../serve/exposition');
  const { loadGroups, openCollector } = require('./serve') as typeof import('./serve');
  const { DEFAULT_CGROUP_CAP, DEFAULT_CGROUP_DEPTH } = require('./serve-options') as typeof import('./serve-options');
  /* eslint-enable @typescript-eslint/no-require-imports */
  let groups;
  try {
    groups = loadGroups(configPath());
  } catch (err) {
    process.stderr.write(`proctop: ${sanitize(err instanceof Error ? err.message : String(err))}\n`);
    return undefined;
  }
  const collector = openCollector({ ...options, zombieParents: 10, cgroupDepth: DEFAULT_CGROUP_DEPTH, cgroupCap: DEFAULT_CGROUP_CAP, minInterval: 0, scanTimeout: 600 }, groups, build);
  return render(await collector.collect(), options.format === 'openmetrics' ? 'openmetrics' : 'text');
}

/**
 * `--once`: prints (or with `--output`, writes atomically) one snapshot.
 * Returns the exit status.
 */
export async function runOnce(options: Options, out: NodeJS.WritableStream = process.stdout, build: BuildInfo = buildInfo()): Promise<number> {
  let text: string | number | undefined;
  if (options.format === 'openmetrics' || options.format === 'prometheus') text = await metricsOnce(options, build);
  else {
    const target = options.output === undefined ? (out as Partial<NodeJS.WriteStream>) : { isTTY: false };
    text = await snapshotText(options, target);
  }
  if (text === undefined) return 2;
  if (typeof text === 'number') return text;
  if (options.output === undefined) {
    out.write(text);
    return 0;
  }
  try {
    writeFileAtomic(options.output, text);
  } catch (err) {
    process.stderr.write(`proctop: ${sanitize(err instanceof Error ? err.message : String(err))}\n`);
    return 1;
  }
  return 0;
}

/**
 * The frame `--once` prints: a second scan `delayMs` after a first one that is only the CPU
 * baseline (CPU% needs a delta). That first scan reads stat alone (the monitor's split first scan);
 * argv, owners and memory are read right after it, while the delay runs anyway, into the caches the
 * second scan takes them from. The delay is counted from the end of the first scan, as before.
 */
export async function twoScans(source: Pick<LiveSource, 'sampleFirst' | 'sample'>, delayMs: number, wait: (ms: number) => Promise<void>, clock: () => number): Promise<Snapshot> {
  const { rest } = await source.sampleFirst(() => []);
  const baseline = clock();
  rest();
  await wait(Math.max(0, delayMs - (clock() - baseline)));
  return source.sample();
}

/**
 * Two scans `--delay` apart (CPU% needs a delta), or the recorded frame of `--replay`, as a table
 * or JSON; an exit status instead after a one-line error (2 when `-u` names no user).
 */
async function snapshotText(options: Options, out: { readonly isTTY?: boolean; readonly columns?: number }): Promise<string | number> {
  const uid = userOption(options);
  if (uid === null) return 2;
  let snapshot: Snapshot;
  let replay: ReplayOrigin | undefined;
  if (options.replay !== undefined) {
    const recorded = recordedSnapshot(options.replay, options.at);
    if (typeof recorded === 'number') return recorded;
    ({ snapshot, replay } = recorded);
  } else {
    const source = openSource(options.sampler, options.procRoot, options.passwd, options.threads);
    // --json carries every process's cgroup and the cgroup table; text only when a cgroup column is shown.
    source.setCgroups(options.json || filesNeeded(options.columns).has('cgroup') || queryNeedsCgroups(options.filter));
    // --json carries host PSI and proctop's own cgroup limits.
    source.setHostReads({ pressure: options.json, ownCgroup: options.json });
    source.setMemBase(options.memPercentOf);
    // --json carries SWAP, OOM and I/O too; a table reads what its columns, sort and filter use.
    source.setProcessFiles(options.json ? PROCESS_FILES : processFilesNeeded({ columns: options.columns, filter: options.filter ?? '', sortKey: options.sortKey ?? (options.tree ? 'pid' : 'cpu') }));
    try {
      snapshot = await twoScans(source, options.delay * 100, (ms) => sleep(ms), () => performance.now());
    } finally {
      source.close();
    }
  }
  const include = selectionPredicate({ uid, pids: options.pids, filter: options.filter, now: snapshot.time, stuckAfterMs: options.stuckAfter * 1000 });
  const column = findColumn(options.sortKey ?? (options.tree ? 'pid' : 'cpu')) as Column;
  const order = { column, descending: column.descending };
  if (options.json) {
    const rows = orderedRows(snapshot.processes, { order, tree: options.tree, include });
    return renderJson(snapshot, rows.map((r) => r.process), options.stuckAfter * 1000, replay);
  }
  return renderTextTable(snapshot, {
    columns: options.columns.map((id) => findColumn(id) as Column),
    order,
    tree: options.tree,
    width: outputWidth(out, process.env),
    include,
    tzOffset: new Date().getTimezoneOffset(),
  });
}

/** `--replay DIR [--at TIME]`: the recorded frame, or the exit status after a one-line error (1: no such frame or store; 2: bad time). */
function recordedSnapshot(dir: string, atSpec: string | undefined, err: NodeJS.WritableStream = process.stderr): { snapshot: Snapshot; replay: ReplayOrigin } | number {
  const at = atSpec === undefined ? undefined : resolveTime(atSpec, '--at');
  if (typeof at === 'string') {
    err.write(`proctop: ${sanitize(at)}\n`);
    return 2;
  }
  const found = seekFrame(dir, at, err);
  if (!found) return 1;
  const { header } = found.entry.segment;
  return { snapshot: found.snapshot, replay: { store: dir, frameTime: found.snapshot.time, host: header.host, bootId: header.bootId } };
}

/**
 * The line width for `--once` text: the terminal's, or none (whole lines) on a pipe. A terminal
 * that reports 0 columns (a pty nobody sized: `script`, some CI runners and serial consoles) would
 * cut every line to nothing; there `$COLUMNS` is used when set, else whole lines, as on a pipe.
 */
export function outputWidth(out: { readonly isTTY?: boolean; readonly columns?: number }, env: NodeJS.ProcessEnv): number | undefined {
  if (out.isTTY !== true) return undefined;
  if (out.columns !== undefined && out.columns > 0) return out.columns;
  const fromEnv = Number(env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
}
