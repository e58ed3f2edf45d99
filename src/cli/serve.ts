/**
 * `proctop serve`: the Prometheus exporter front end. Loads no blessed and no
 * actions (test/integration/serve-*.test.ts checks what it loads).
 */
import { Command, CommanderError, Option } from 'commander';
import { isHelpExit, subcommandProgram } from './subcommand';
import { configPath, readConfig } from '../config/store';
import { loadWebConfig, WebConfig } from '../config/web-config';
import { CgroupReader } from '../procfs/cgroup-reader';
import { cgroupPrefixOf } from '../sampler/sampler';
import { openSource } from '../sampler/source';
import { CgroupExport, Collector, Schedule, timerSchedule } from '../serve/collector';
import type { GroupSpec } from '../serve/group-families';
import { serverUrl, startServer } from '../serve/server';
import { sanitize } from '../view/text';
import { SERVE_OPTIONS, ServeOptions } from './serve-options';
import type { BuildInfo } from './build-info';

function buildServeProgram(): Command {
  const program = subcommandProgram('proctop serve', 'Serve process metrics for Prometheus at /metrics (text 0.0.4 or OpenMetrics 1.0 by Accept).');
  for (const spec of SERVE_OPTIONS) {
    const option = new Option(spec.flags, spec.description);
    if (spec.parse) option.argParser(spec.parse);
    if (spec.defaultValue !== undefined) option.default(spec.parse && typeof spec.defaultValue === 'string' ? spec.parse(spec.defaultValue) : spec.defaultValue, String(spec.defaultValue));
    if (spec.env) option.env(spec.env);
    if (spec.hidden) option.hideHelp();
    program.addOption(option);
  }
  return program;
}

/** Parses `proctop serve` arguments (after the word `serve`); throws CommanderError on bad input. */
export function parseServeOptions(args: readonly string[]): ServeOptions {
  const program = buildServeProgram();
  program.parse(args as string[], { from: 'user' });
  const raw = program.opts<Record<string, unknown>>();
  const listen = raw.listen as { host: string; port: number };
  return {
    host: listen.host, port: listen.port,
    webConfig: raw.webConfig as string | undefined,
    config: raw.config as string | undefined,
    stuckAfter: raw.stuckAfter as number,
    zombieParents: raw.zombieParents as number,
    cgroupDepth: raw.cgroupDepth as number,
    cgroupCap: raw.cgroupCap as number,
    minInterval: raw.minInterval as number,
    scanTimeout: raw.scanTimeout as number,
    procRoot: raw.procRoot as string,
    passwd: raw.passwd as string,
    sampler: raw.sampler as string,
  };
}

/** The groups of a settings file; a problem with them is fatal (an exporter must not quietly drop a group). */
export function loadGroups(file: string): GroupSpec[] {
  const { config, errors } = readConfig(file);
  // Other settings belong to the monitor: their problems are not the exporter's.
  const fatal = errors.filter((e) => /^(groups\b|config:|not valid JSON|cannot read)/.test(e));
  if (fatal.length > 0) throw new Error(`${file}: ${fatal[0]}`);
  return Object.entries(config.groups).map(([name, query]) => ({ name, query }));
}

/** A collector over a fresh source, as serve and `--once --format openmetrics` use it. */
export function openCollector(o: Pick<ServeOptions, 'sampler' | 'procRoot' | 'passwd' | 'stuckAfter' | 'zombieParents' | 'cgroupDepth' | 'cgroupCap' | 'minInterval' | 'scanTimeout'>, groups: readonly GroupSpec[], build: BuildInfo, prefetch?: Schedule): Collector {
  // Thread rows on: proctop_threads counts every task's state.
  const source = openSource(o.sampler, o.procRoot, o.passwd, true);
  let cgroups: CgroupExport | undefined;
  if (o.cgroupDepth > 0 && source.reader !== undefined) {
    const reader = new CgroupReader(source.reader, cgroupPrefixOf(o.procRoot));
    if (reader.available) cgroups = { depth: o.cgroupDepth, cap: o.cgroupCap, read: (path, version) => reader.statsAt(path, version) };
  }
  return new Collector({
    source, groups, cgroups, prefetch, version: build.version, revision: build.commit ?? '',
    stuckAfterMs: o.stuckAfter * 1000,
    zombieParents: o.zombieParents,
    minIntervalMs: o.minInterval * 1000,
    scanTimeoutMs: o.scanTimeout * 1000,
  });
}

/** `proctop serve …`: resolves with an exit status only on a start-up failure; otherwise serves until a signal. */
export async function runServe(args: readonly string[], build: BuildInfo): Promise<number> {
  let options: ServeOptions;
  try {
    options = parseServeOptions(args);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (isHelpExit(err)) return 0;
      process.stderr.write(`proctop serve: ${sanitize(err.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim())} (see proctop serve --help)\n`);
      return 2;
    }
    throw err;
  }
  let web: WebConfig | undefined;
  let groups: GroupSpec[];
  try {
    web = options.webConfig === undefined ? undefined : loadWebConfig(options.webConfig);
    groups = loadGroups(options.config ?? configPath());
  } catch (err) {
    process.stderr.write(`proctop serve: ${sanitize(err instanceof Error ? err.message : String(err))}\n`);
    return 2;
  }
  // Scans start ahead of the next expected scrape, so a scrape is served without waiting for /proc.
  const collector = openCollector(options, groups, build, timerSchedule);
  let server;
  try {
    server = await startServer({ host: options.host, port: options.port, collector, web, version: build.version });
  } catch (err) {
    process.stderr.write(`proctop serve: cannot listen on ${options.host}:${options.port} (${(err as NodeJS.ErrnoException).code ?? String(err)})\n`);
    return 1;
  }
  process.stderr.write(`proctop serve: ${groups.length} group(s); listening on ${serverUrl(server, web?.tls !== undefined)}\n`);
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return new Promise<number>(() => undefined);
}
