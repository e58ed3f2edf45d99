import { Command, CommanderError, Option } from 'commander';
import { OPTIONS, Options } from './cli/options';
import { runOnce } from './cli/once';
import type { runInteractive as RunInteractive } from './cli/interactive';
import { buildInfo, versionText } from './cli/build-info';
import { mapStacksOfThisBuild } from './cli/stack-map';
import { COLUMNS } from './model/columns';
import { sanitize } from './view/text';
import { traceStart } from './cli/start-trace';
import { exitWhenDone } from './cli/daemon-entry';
import { completion, COMPLETION_SHELLS, CompletionShell, manPage } from './cli/docs';

const BUILD = buildInfo();

/** Builds the commander program from the OPTIONS table. */
export function buildProgram(): Command {
  const program = new Command('proctop')
    .description('A terminal process monitor for Linux: CPU, memory, load, process states, a process table or tree, and signals.')
    .version(versionText(BUILD), '-V, --version')
    .helpOption('-h, --help')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ outputError: () => undefined })
    .addHelpText('after', `\nColumns (for --sort-key): ${COLUMNS.map((c) => c.id).join(', ')}\n`
      + `Shell completion: proctop completion ${COMPLETION_SHELLS.join('|')}\n`);
  for (const spec of OPTIONS) {
    const option = new Option(spec.flags, spec.description);
    if (spec.parse) option.argParser(spec.parse);
    if (spec.defaultValue !== undefined && !/(^|\s)--no-/.test(spec.flags)) option.default(spec.defaultValue, spec.defaultLabel);
    if (spec.env) option.env(spec.env);
    if (spec.hidden) option.hideHelp();
    program.addOption(option);
  }
  return program;
}

/** Parses argv into Options; throws CommanderError on bad input. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Options {
  const program = buildProgram();
  program.parse(argv as string[], { from: 'node' });
  const raw = program.opts<Record<string, unknown>>();
  const values = Object.fromEntries(OPTIONS.map((o) => [o.key, raw[optionAttribute(o.flags)]]));
  values.mouse = raw.mouse !== false;
  // commander passes a default through unparsed.
  if (typeof values.columns === 'string') values.columns = values.columns.split(',');
  values.highlightChanges = raw.highlightChanges !== false;
  const json = values.json === true || values.format === 'json';
  const explicit = new Set<keyof Options>();
  for (const o of OPTIONS) {
    const source = program.getOptionValueSource(optionAttribute(o.flags));
    if (source === 'cli' || source === 'env') explicit.add(o.key);
  }
  return {
    ...(values as unknown as Options),
    explicit,
    once: values.once === true || json || (values.format !== undefined && values.format !== 'table'),
    json,
    format: json ? 'json' : (values.format as string | undefined) ?? 'table',
    // no-color.org: set and not empty.
    color: values.color !== false && (env.NO_COLOR ?? '') === '',
  };
}

function optionAttribute(flags: string): string {
  const long = /--(?:no-)?([\w-]+)/.exec(flags)?.[1] ?? '';
  return long.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
}

const COMPLETION_USAGE = `proctop completion ${COMPLETION_SHELLS.join('|')}`;

/**
 * `proctop completion SHELL` (argv after the word `completion`): writes the
 * script and returns 0, or one line on stderr and 2 for anything else.
 */
export function runCompletion(args: readonly string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): number {
  const [shell, ...rest] = args;
  if (args.length === 1 && (shell === '-h' || shell === '--help')) {
    out.write(`usage: ${COMPLETION_USAGE}\n`);
    return 0;
  }
  if (shell === undefined || rest.length > 0 || !(COMPLETION_SHELLS as readonly string[]).includes(shell)) {
    const what = shell === undefined ? 'missing shell' : rest.length > 0 ? `unexpected argument ${JSON.stringify(rest[0])}` : `unknown shell ${JSON.stringify(shell)}`;
    err.write(`proctop: completion: ${what}; usage: ${COMPLETION_USAGE}\n`);
    return 2;
  }
  out.write(completion(shell as CompletionShell));
  return 0;
}

/** `proctop dump … | head`, `proctop --once | head`: a reader that has seen enough is not an error. */
function endQuietlyWhenReaderLeaves(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

/** Entry point of bin/proctop. Bad flags: one line on stderr, exit 2. */
export function main(argv: readonly string[]): void {
  traceStart('main');
  mapStacksOfThisBuild(BUILD);
  // A sub-command in front of commander, whose root command takes no arguments.
  if (argv[2] === 'completion') {
    process.exitCode = runCompletion(argv.slice(3));
    return;
  }
  if (argv[2] === 'dump') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runDump } = require('./cli/dump') as typeof import('./cli/dump');
    endQuietlyWhenReaderLeaves();
    process.exitCode = runDump(argv.slice(3));
    return;
  }
  if (argv[2] === 'record') {
    // Required here, not imported: the recorder must not load the TUI (blessed) at all.
    // (bin/proctop.js runs `proctop record` from the recorder's own bundle, src/cli/record-entry.ts.)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runRecord } = require('./cli/record') as typeof import('./cli/record');
    exitWhenDone('record', runRecord(argv.slice(3)));
    return;
  }
  if (argv[2] === 'serve') {
    // Loaded on demand: the exporter never loads the monitor's modules (nor blessed).
    // (bin/proctop.js runs `proctop serve` from the exporter's own, smaller bundle, src/cli/serve-entry.ts.)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runServe } = require('./cli/serve') as typeof import('./cli/serve');
    exitWhenDone('serve', runServe(argv.slice(3), BUILD));
    return;
  }
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') process.exit(0);
      // One line: commander puts its "(Did you mean --once?)" suggestion on a line of its own.
      // The message quotes the user's bad value: sanitize it like any other text for the terminal.
      process.stderr.write(`proctop: ${sanitize(err.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim())} (see --help)\n`);
      process.exit(2);
    }
    throw err;
  }
  if (options.at !== undefined && options.replay === undefined) {
    process.stderr.write('proctop: --at needs --replay DIR (see --help)\n');
    process.exit(2);
  }
  if (options.man) {
    process.stdout.write(manPage(BUILD.version));
    process.exitCode = 0;
    return;
  }
  if (options.once) {
    // A library failing in a callback (systeminformation's ps with E2BIG, say) is one line, not a stack.
    process.on('uncaughtException', (err) => {
      process.stderr.write(`proctop: ${sanitize(err instanceof Error ? err.message : String(err))}\n`);
      process.exit(1);
    });
    endQuietlyWhenReaderLeaves();
  }
  traceStart('options');
  // The TUI (and blessed with it) loads only when it runs: --once and the sub-commands never pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const run = options.once ? runOnce(options, process.stdout, BUILD) : (require('./cli/interactive') as { runInteractive: typeof RunInteractive }).runInteractive(options);
  run.then(
    (code) => {
      process.exitCode = code;
      // The TUI may leave handles behind (a pending host-facts probe, stdin); the
      // terminal is already restored, so leave now. --once lets pipes drain instead.
      if (!options.once) process.exit(code);
    },
    (err: unknown) => {
      process.stderr.write(`proctop: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

