import { Command, CommanderError } from 'commander';

/**
 * A subcommand's commander program (`proctop record`, `dump`, `serve`),
 * configured alike: errors are thrown as CommanderError for the caller's one
 * line and exit 2, never printed by commander or turned into process.exit.
 */
export function subcommandProgram(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .helpOption('-h, --help')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ outputError: () => undefined });
}

/** True when commander stopped because it printed the help (not an error). */
export function isHelpExit(err: unknown): boolean {
  return err instanceof CommanderError && (err.code === 'commander.helpDisplayed' || err.code === 'commander.help');
}

/** Parses user arguments; 'help' when the help was asked for and printed. */
export function parseArgs(program: Command, args: readonly string[]): 'help' | undefined {
  try {
    program.parse(args as string[], { from: 'user' });
    return undefined;
  } catch (err) {
    if (isHelpExit(err)) return 'help';
    throw err;
  }
}
