/**
 * What the daemons' own bundles (serve-entry.ts, record-entry.ts) share: bin/proctop.js runs
 * `proctop serve` and `proctop record` from bundles that hold only what each reaches (~0.3 MB and
 * ~0.1 MB against the CLI's ~0.9 MB). A bundle's source stays in V8's heap for as long as the
 * process runs, and a daemon runs for months (README, the serve and record budgets). Everything
 * else goes through src/cli.ts, which runs the same commands through exitWhenDone too.
 */
import { BuildInfo, buildInfo } from './build-info';
import { mapStacksOfThisBuild } from './stack-map';
import { traceStart } from './start-trace';
import { sanitize } from '../view/text';

/** The exit status a sub-command resolves with; an unexpected error is one line on stderr and status 1. */
export function exitWhenDone(command: string, run: Promise<number>): void {
  run.then((code) => { process.exitCode = code; }, (err: unknown) => {
    process.stderr.write(`proctop ${command}: ${sanitize(err instanceof Error ? err.message : String(err))}\n`);
    process.exitCode = 1;
  });
}

/** The bundle's `main`: argv as Node gives it, [node, script, command, …]; `run` gets what follows the command. */
export function daemonMain(command: string, run: (args: readonly string[], build: BuildInfo) => Promise<number>): (argv: readonly string[]) => void {
  return (argv) => {
    traceStart('main');
    const build = buildInfo();
    mapStacksOfThisBuild(build);
    exitWhenDone(command, run(argv.slice(3), build));
  };
}
