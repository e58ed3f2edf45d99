/**
 * `node dist/bench/serve-exposition.js [--procs N] [--scrapes K] [--json] [--keep]`: what printing the
 * exporter's families costs, proctop's hand-written exposition (src/serve/exposition.ts) against
 * prom-client's Registry (issue 14: "use a well-kept library … measure its cost").
 *
 * The families are the bench's (bench/serve.ts): a real collector over this host with N idle
 * `sleep`s and the groups sleepers/sh/node, collected twice (counters have a previous scan). Each
 * printer then runs in a child of its own, over the same families saved as JSON, with a young
 * generation large enough that a batch of scrapes runs without a GC:
 * - CPU per scrape: utime + stime over K scrapes (after a warm-up), each format;
 * - bytes allocated per scrape: heapUsed after minus before a batch run with no GC in between;
 * - RSS after all scrapes of a child under Node's default flags, over that of a child that only
 *   loads the families (the floor);
 * - whether each output passes `promtool check metrics`, both formats.
 * prom-client is used the way an exporter of values it does not own uses it: gauges and counters
 * made once, and per scrape reset and set from the families (counters by inc from zero).
 * A script, not a test: it prints figures and asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { openCollector, parseServeOptions } from '../src/cli/serve';
import { buildInfo } from '../src/cli/build-info';
import type { MetricFamily } from '../src/serve/metric';
import { Format, render } from '../src/serve/exposition';
import { cleanupAll, onCleanup } from '../test/helpers/cleanup';
import { startPopulation, statusKb } from './population';
import { cpuMs, fmt } from './stats';

type Printer = 'hand' | 'prom-client' | 'none';
const FORMATS: readonly Format[] = ['text', 'openmetrics'];

interface ChildResult {
  readonly printer: Printer;
  /** Per format: CPU ms per scrape, bytes allocated per scrape (undefined: a GC ran in the batch), bytes of output. */
  readonly formats: Record<string, { cpuMsPerScrape: number; allocatedBytes: number | undefined; outputBytes: number }>;
  readonly rssKiB: number | undefined;
}

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} needs a positive integer`);
  return n;
};

/** prom-client over the families: metrics made once, values set per scrape; one registry per format. */
function promClientPrinter(families: readonly MetricFamily[]): (format: Format) => Promise<string> {
  // A devDependency, loaded only here: the exporter itself does not use it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const client = require('prom-client') as typeof import('prom-client');
  const text = new client.Registry();
  const openmetrics = new client.Registry<import('prom-client').OpenMetricsContentType>();
  openmetrics.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
  const registries = { text, openmetrics };
  const registers = [text, openmetrics];
  let current: readonly MetricFamily[] = families;
  for (const [index, family] of families.entries()) {
    const labelNames = [...new Set(family.samples.flatMap((s) => s.labels.map(([k]) => k)))];
    const fill = (set: (labels: Record<string, string>, value: number) => void): void => {
      for (const sample of current[index]?.samples ?? []) set(Object.fromEntries(sample.labels), sample.value);
    };
    if (family.type === 'counter') {
      new client.Counter({
        name: `${family.name}_total`, help: family.help, labelNames, registers,
        collect() {
          this.reset();
          fill((labels, value) => this.inc(labels, value));
        },
      });
    } else {
      // prom-client has no info type: the 0.0.4 way, a gauge named …_info of value 1.
      new client.Gauge({
        name: family.type === 'info' ? `${family.name}_info` : family.name, help: family.help, labelNames, registers,
        collect() {
          this.reset();
          fill((labels, value) => this.set(labels, value));
        },
      });
    }
  }
  return (format) => {
    current = families;
    return registries[format].metrics();
  };
}

async function child(printer: Printer, file: string, scrapes: number): Promise<void> {
  const families = JSON.parse(fs.readFileSync(file, 'utf8')) as MetricFamily[];
  const print: (format: Format) => Promise<string> | string =
    printer === 'prom-client' ? promClientPrinter(families) : printer === 'hand' ? (format) => render(families, format) : () => '';
  let gcs = 0;
  const observer = new PerformanceObserver((list) => { gcs += list.getEntries().length; });
  observer.observe({ entryTypes: ['gc'] });
  const gc = (globalThis as { gc?: () => void }).gc;
  const formats: ChildResult['formats'] = {};
  for (const format of FORMATS) {
    let out = '';
    for (let i = 0; i < 50; i++) out = await print(format);
    fs.writeFileSync(`${file}.${printer}.${format}`, out);
    const c0 = cpuMs();
    for (let i = 0; i < scrapes; i++) await print(format);
    const cpu = (cpuMs() - c0) / scrapes;
    // A batch small enough for the young generation: no GC between the two readings.
    gc?.();
    // GC entries reach the observer later: let them arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = gcs;
    const h0 = process.memoryUsage().heapUsed;
    const batch = 20;
    for (let i = 0; i < batch; i++) await print(format);
    const h1 = process.memoryUsage().heapUsed;
    await new Promise((resolve) => setTimeout(resolve, 100));
    formats[format] = { cpuMsPerScrape: cpu, allocatedBytes: gcs === before ? (h1 - h0) / batch : undefined, outputBytes: Buffer.byteLength(out) };
  }
  observer.disconnect();
  const result: ChildResult = { printer, formats, rssKiB: statusKb(process.pid, 'VmRSS') };
  process.stdout.write(JSON.stringify(result));
}

/**
 * `promtool check metrics` on an output. promtool 2.42 parses OpenMetrics with its 0.0.4 parser
 * (as test/integration/serve-prometheus.test.ts explains): it stops at an `info` TYPE and wants a
 * counter's HELP under NAME_total; for OpenMetrics those complaints are counted apart, the rest shown.
 */
function promtool(file: string, format: Format): string {
  let input = fs.readFileSync(file, 'utf8');
  const info = input.indexOf('# TYPE proctop_build info');
  if (format === 'openmetrics' && info >= 0) input = input.slice(0, info);
  const r = spawnSync('promtool', ['check', 'metrics'], { input, encoding: 'utf8' });
  if (r.error) return 'promtool not installed';
  const lines = `${r.stdout}${r.stderr}`.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const quirks = format === 'openmetrics' ? lines.filter((l) => /^\w+_total no help text$/.test(l)) : [];
  const rest = lines.filter((l) => !quirks.includes(l));
  const quirk = format === 'openmetrics' ? ` (0.0.4 parser: ${quirks.length} counters' HELP under the family name${info >= 0 ? ', stops at the info type' : ''})` : '';
  return rest.length === 0 ? `passes${quirk}` : `fails: ${rest.join('; ').slice(0, 300)}`;
}

async function main(): Promise<void> {
  const mode = process.argv.indexOf('--child');
  if (mode >= 0) return child(process.argv[mode + 1] as Printer, process.argv[mode + 2] ?? '', arg('--scrapes', 500));
  const procs = arg('--procs', 2000);
  const scrapes = arg('--scrapes', 500);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-bench-exposition-'));
  const population = await startPopulation(procs, (line) => process.stderr.write(`${line}\n`));
  onCleanup('population', () => void population.stop());
  const groups = [{ name: 'sleepers', query: 'name:sleep' }, { name: 'shells', query: 'name:sh' }, { name: 'node', query: 'name:node' }];
  const collector = openCollector(parseServeOptions(['--min-interval', '0']), groups, buildInfo());
  await collector.collect();
  const families = await collector.collect();
  await population.stop();
  if (process.argv.includes('--keep')) process.stderr.write(`outputs kept in ${dir}\n`);
  else onCleanup('bench dir', () => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'families.json');
  fs.writeFileSync(file, JSON.stringify(families));
  const run = (printer: Printer, flags: readonly string[]): ChildResult => {
    const r = spawnSync(process.execPath, [...flags, __filename, '--child', printer, file, '--scrapes', String(scrapes)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`child ${printer}: ${r.stderr}`);
    return JSON.parse(r.stdout) as ChildResult;
  };
  // CPU and allocation with a young generation that holds a batch; RSS from a child under Node's defaults.
  const results = (['none', 'hand', 'prom-client'] as const).map((printer) => ({ ...run(printer, ['--max-semi-space-size=64', '--expose-gc']), rssKiB: run(printer, []).rssKiB }));
  const checks = Object.fromEntries(FORMATS.flatMap((f) => (['hand', 'prom-client'] as const).map((p) => [`${p}.${f}`, promtool(`${file}.${p}.${f}`, f)])));
  const series = families.reduce((n, f) => n + f.samples.length, 0);
  const report = { procs: population.reached, families: families.length, series, scrapes, results, promtool: checks, loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100) };
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const floor = results[0]?.rssKiB ?? NaN;
  const lines = [
    `exposition of the bench's families (${families.length} families, ${series} series, groups over ${population.reached} sleeps), ${scrapes} scrapes per format, load ${report.loadavg.join(' ')}`,
    '',
    '| printer | format | CPU per scrape | allocated per scrape | output | RSS over the floor | promtool check metrics |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of results.slice(1)) {
    for (const f of FORMATS) {
      const x = r.formats[f];
      if (x === undefined) continue;
      const alloc = x.allocatedBytes === undefined ? 'a GC ran' : `${fmt(x.allocatedBytes / 1024, 1)} KiB`;
      lines.push(`| ${r.printer} | ${f} | ${fmt(x.cpuMsPerScrape * 1000, 0)} µs | ${alloc} | ${fmt(x.outputBytes / 1024, 1)} KiB | ${fmt(((r.rssKiB ?? NaN) - floor) / 1024, 1)} MiB | ${checks[`${r.printer}.${f}`] ?? ''} |`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().then(() => cleanupAll(), (err: unknown) => {
  cleanupAll();
  process.stderr.write(`bench:serve-exposition: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
