/**
 * `proctop dump --replay DIR [--from T1] [--to T2] [--filter Q] [--json|--csv] [--summary]`:
 * a range of recorded frames as lines, for incident reports and spreadsheets.
 */
import { CommanderError, InvalidArgumentError, Option } from 'commander';
import { parseArgs, subcommandProgram } from './subcommand';
import { parseQuery } from '../model/query';
import type { SystemInfo } from '../model/snapshot';
import { dumpFrame, dumpHeader, DumpFormat } from '../output/dump';
import { sanitize } from '../view/text';
import { openStore, reportWarnings, resolveTime } from './replay';

interface DumpOptions {
  readonly replay: string;
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly filter: string | undefined;
  readonly json: boolean;
  readonly csv: boolean;
  readonly summary: boolean;
}

function parseFilter(value: string): string {
  const parsed = parseQuery(value);
  if (!parsed.ok) throw new InvalidArgumentError(`${parsed.error} (at character ${parsed.position + 1})`);
  return value;
}

const DUMP_OPTIONS: readonly { readonly flags: string; readonly description: string; readonly parse?: (v: string) => string }[] = [
  { flags: '--replay <dir>', description: 'the store written by proctop record (required)' },
  { flags: '--from <time>', description: 'first frame time (HH:MM[:SS], -10m, ISO 8601; default: the store\'s first)' },
  { flags: '--to <time>', description: 'last frame time (default: the store\'s last)' },
  { flags: '-F, --filter <query>', description: 'only matching processes (the query language of the TUI)', parse: parseFilter },
  { flags: '--json', description: 'JSON Lines: one object per line (the --json process fields plus time)' },
  { flags: '--csv', description: 'CSV with a header line' },
  { flags: '--summary', description: 'one line per frame: process states, zombies by parent, forks, load' },
];

function parseDumpOptions(args: readonly string[]): DumpOptions | 'help' {
  const program = subcommandProgram('proctop dump', 'Print recorded frames: one line per process per frame, or per frame with --summary.');
  for (const spec of DUMP_OPTIONS) {
    const option = new Option(spec.flags, spec.description);
    if (spec.parse) option.argParser(spec.parse);
    program.addOption(option);
  }
  if (parseArgs(program, args) === 'help') return 'help';
  const o = program.opts<Partial<DumpOptions>>();
  if (o.replay === undefined) throw new CommanderError(2, 'dump.replay', "required option '--replay <dir>' not given");
  if (o.json && o.csv) throw new CommanderError(2, 'dump.format', '--json and --csv exclude each other');
  return { replay: o.replay, from: o.from, to: o.to, filter: o.filter, json: o.json === true, csv: o.csv === true, summary: o.summary === true };
}

/** Entry of `proctop dump`: the exit status (2 for bad flags, 1 for an unreadable store). */
export function runDump(args: readonly string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): number {
  let options: DumpOptions | 'help';
  try {
    options = parseDumpOptions(args);
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    err.write(`proctop dump: ${sanitize(e.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim())} (see proctop dump --help)\n`);
    return 2;
  }
  if (options === 'help') return 0;
  const from = options.from === undefined ? -Infinity : resolveTime(options.from, '--from');
  const to = options.to === undefined ? Infinity : resolveTime(options.to, '--to');
  for (const t of [from, to]) {
    if (typeof t === 'string') {
      err.write(`proctop dump: ${sanitize(t)}\n`);
      return 2;
    }
  }
  const store = openStore(options.replay, err);
  if (!store) return 1;
  const format: DumpFormat = options.json ? 'json' : options.csv ? 'csv' : 'text';
  const query = options.filter === undefined ? undefined : parseQuery(options.filter);
  const stuckAfterMs = 5000;
  const seen = new Set<string>();
  let before: SystemInfo | undefined;
  try {
    const header = dumpHeader(format, options.summary);
    if (header !== undefined) out.write(`${header}\n`);
    for (const entry of store.framesBetween(from as number, to as number)) {
      const snapshot = store.read(entry);
      reportWarnings(store, err, seen);
      if (!snapshot) continue;
      const rows = query?.ok ? snapshot.processes.filter((p) => query.predicate(p, { now: snapshot.time, stuckAfterMs })) : snapshot.processes;
      const lines = dumpFrame(snapshot, rows, format, options.summary, stuckAfterMs, before);
      before = snapshot.system;
      if (lines.length > 0) out.write(`${lines.join('\n')}\n`);
    }
  } finally {
    store.close();
  }
  return 0;
}
