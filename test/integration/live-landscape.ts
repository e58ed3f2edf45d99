/**
 * Shared by the sampler-live*.test.ts files (no tests here): the landscape they spawn, the
 * hostile strings in it, and small accessors. Each file spawns its own landscape in `before`.
 */
import assert from 'node:assert/strict';
import type { Landscape } from '../helpers/landscape';
import type { Sampler } from '../../src/sampler/sampler';
import type { ProcessInfo, Snapshot } from '../../src/model/snapshot';
import { DEFAULT_COLUMNS, findColumn, type Column } from '../../src/model/columns';
import { renderTextTable } from '../../src/output/text-table';

/** argv with an OSC window-title sequence, BEL and a clear-screen CSI. */
export const ESCAPE_ARGV = ['\x1b]0;pwned\x07\x1b[2J', 'x'];
/** A comm that fakes the end of stat field 2 and the start of field 3 and 4. */
export const HOSTILE_COMM = 'a) R 1 (b';
/** Any C0, DEL or C1 control character. */
export const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

export const samplerOptions = (threads: boolean): ConstructorParameters<typeof Sampler>[0] =>
  ({ root: '/proc', passwdPath: '/etc/passwd', threads, now: Date.now });

export function column(id: string): Column {
  const c = findColumn(id);
  assert.ok(c, `column ${id}`);
  return c;
}

export const TABLE_COLUMNS = DEFAULT_COLUMNS.map(column);
export const BY_PID = { column: column('pid'), descending: false };

/** `--once`-style text output of the whole snapshot, sorted by pid. */
export function table(snapshot: Snapshot, tree: boolean, width: number | undefined): string {
  return renderTextTable(snapshot, { columns: TABLE_COLUMNS, order: BY_PID, tree, width, tzOffset: 0 });
}

/** The process row (not a thread row) of `pid`; fails the test when absent. */
export function proc(snapshot: Snapshot, pid: number): ProcessInfo {
  const found = snapshot.processes.filter((p) => p.pid === pid && !p.thread);
  assert.equal(found.length, 1, `exactly one process row for pid ${pid}`);
  return found[0];
}

export interface LivePids {
  /** Parent of the zombies (`sleep 1000` after exec). */
  readonly factory: number;
  readonly zombies: readonly number[];
  readonly stopped: number;
  /** root → mid → leaf. */
  readonly chain: readonly number[];
  /** 20 threads. */
  readonly threaded: number;
  /** argv is {@link ESCAPE_ARGV}. */
  readonly argv: number;
  /** comm is {@link HOSTILE_COMM}. */
  readonly comm: number;
  readonly traced: { readonly tracee: number; readonly tracer: number } | undefined;
  readonly sleeper: number;
  /** Wall clock (ms) just before the first spawn and just after the last one was ready. */
  readonly spawnedFrom: number;
  readonly spawnedTo: number;
}

/** Spawns the whole landscape at once; every process is a child of this test runner. */
export async function spawnLandscape(land: Landscape): Promise<LivePids> {
  const spawnedFrom = Date.now();
  const [zombies, stopped, chain, threaded, argv, comm, traced, sleeper] = await Promise.all([
    land.zombieFactory(3),
    land.stopped(),
    land.chain(3),
    land.threaded(20),
    land.withArgv(ESCAPE_ARGV),
    land.withComm(HOSTILE_COMM),
    land.traced(),
    land.sleeper(),
  ]);
  return {
    factory: zombies.parent, zombies: zombies.zombies, stopped, chain, threaded, argv, comm, traced, sleeper,
    spawnedFrom, spawnedTo: Date.now(),
  };
}

/** Every pid of the landscape. */
export function spawnedPids(l: LivePids): number[] {
  return [l.factory, ...l.zombies, l.stopped, ...l.chain, l.threaded, l.argv, l.comm, l.sleeper,
    ...(l.traced ? [l.traced.tracee, l.traced.tracer] : [])];
}
