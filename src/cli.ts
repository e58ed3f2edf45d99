import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { OPTIONS, Options } from './cli/options';
import { runOnce } from './cli/once';
import { runInteractive } from './cli/interactive';
import { COLUMNS } from './model/columns';

// dist/src/cli.js → the package root; read once at start-up, never on the hot path.
const VERSION = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

/** Builds the commander program from the OPTIONS table. */
export function buildProgram(): Command {
  const program = new Command('proctop')
    .description('A terminal process monitor for Linux: CPU, memory, load, process states, a process table or tree, and signals.')
    .version(VERSION, '-V, --version')
    .helpOption('-h, --help')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ outputError: () => undefined })
    .addHelpText('after', `\nColumns (for --sort-key): ${COLUMNS.map((c) => c.id).join(', ')}\n`);
  for (const spec of OPTIONS) {
    const option = new Option(spec.flags, spec.description);
    if (spec.parse) option.argParser(spec.parse);
    if (spec.defaultValue !== undefined && !/(^|\s)--no-/.test(spec.flags)) option.default(spec.defaultValue);
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
  const json = values.json === true;
  const explicit = new Set<keyof Options>();
  for (const o of OPTIONS) {
    const source = program.getOptionValueSource(optionAttribute(o.flags));
    if (source === 'cli' || source === 'env') explicit.add(o.key);
  }
  return {
    ...(values as unknown as Options),
    explicit,
    once: values.once === true || json,
    json,
    color: values.color !== false && env.NO_COLOR === undefined,
  };
}

function optionAttribute(flags: string): string {
  const long = /--(?:no-)?([\w-]+)/.exec(flags)?.[1] ?? '';
  return long.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
}

/** Entry point of bin/proctop. Bad flags: one line on stderr, exit 2. */
export function main(argv: readonly string[]): void {
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') process.exit(0);
      // One line: commander puts its "(Did you mean --once?)" suggestion on a line of its own.
      process.stderr.write(`proctop: ${err.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim()} (see --help)\n`);
      process.exit(2);
    }
    throw err;
  }
  const run = options.once ? runOnce(options) : runInteractive(options);
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
