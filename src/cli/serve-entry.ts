/**
 * The entry of dist/bundle/proctop-serve.js, which bin/proctop.js runs for `proctop serve`: the
 * exporter with only what it reaches (~0.3 MB instead of the CLI's ~1.3 MB). The bundle's source
 * stays in V8's heap for as long as the process runs, and a daemon runs for months: ~2 MiB of RSS
 * less, measured side by side (README, Budgets). Everything else goes through src/cli.ts.
 */
import { buildInfo } from './build-info';
import { serveFromCli } from './serve';
import { mapStacksOfThisBuild } from './stack-map';
import { traceStart } from './start-trace';

/** argv as Node gives it: [node, script, 'serve', …]. */
export function main(argv: readonly string[]): void {
  traceStart('main');
  const build = buildInfo();
  mapStacksOfThisBuild(build);
  serveFromCli(argv.slice(3), build);
}
