/**
 * `npm run bench:serve`: what `proctop serve` costs next to Debian's
 * prometheus-process-exporter, on the same host, the same idle population
 * (default 2,000 `sleep`s) and equivalent groups (sleep, sh, node).
 *
 *   node dist/bench/serve.js [--procs N] [--window S] [--scrapes K] [--json]
 *
 * - scrape duration: K scrapes of a proctop serve with --min-interval 0 (each
 *   scrape scans), server time from proctop_exporter_scrape_duration_seconds
 *   (reported by the next scrape) and wall time at the client;
 * - CPU at a 15 s scrape interval: both exporters scraped together every 15 s
 *   for S seconds, utime + stime of each over the window;
 * - RSS (VmRSS) of each every second over the window (median, max), and VmRSS, VmHWM at the end.
 * At the 15 s interval serve runs twice side by side: with the environment of
 * systemd/proctop-serve.service (as shipped) and plain (`proctop serve` from a shell).
 * A script, not a test: it prints figures and asserts nothing.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, startDaemon, waitForOutput, Daemon } from '../test/helpers/daemon';
import { cleanupAll, onCleanup } from '../test/helpers/cleanup';
import { unitEnvironment } from '../test/helpers/unit-environment';
import { cpuTicks, startPopulation, statusKb } from './population';
import { fmt, sleep, stats } from './stats';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} needs a positive integer`);
  return n;
};
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const BIN = path.resolve(__dirname, '..', '..', 'bin', 'proctop');
const EXPORTER = '/usr/bin/prometheus-process-exporter';
/** serve runs at the 15 s interval as systemd/proctop-serve.service runs it (its Environment=), and plain beside it. */
const UNIT = path.resolve(__dirname, '..', '..', 'systemd', 'proctop-serve.service');
const INTERVAL_S = 15;

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/metrics', agent: false, timeout: 30_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`))));
    }).on('error', reject);
  });
}

const metric = (body: string, re: RegExp): number | undefined => {
  const m = re.exec(body);
  return m ? Number(m[1]) : undefined;
};

function stopLater(d: Daemon): void {
  onCleanup(`pid ${d.pid}`, () => {
    try {
      process.kill(d.pid, 'SIGKILL');
    } catch {
      // gone
    }
  });
}

async function main(): Promise<void> {
  const procs = arg('--procs', 2000);
  const window = arg('--window', 120);
  const scrapes = arg('--scrapes', 10);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-bench-serve-'));
  onCleanup('bench dir', () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ groups: { sleepers: 'name:sleep', shells: 'name:sh', node: 'name:node' } }));
  fs.writeFileSync(path.join(dir, 'pe.yml'), 'process_names:\n  - name: sleepers\n    comm: [sleep]\n  - name: shells\n    comm: [sh]\n  - name: node\n    comm: [node]\n');

  const population = await startPopulation(procs, log);
  onCleanup('population', () => void population.stop());
  log(`${population.reached} sleeps running`);
  const env = { ...process.env, XDG_CONFIG_HOME: dir, HOME: dir };

  // 1. Scrape duration: every scrape scans (min-interval 0).
  const eager = startDaemon(BIN, ['serve', '--listen', '127.0.0.1:0', '--min-interval', '0', '--config', path.join(dir, 'config.json')], env);
  stopLater(eager);
  const eagerPort = Number((await waitForOutput(eager, /127\.0\.0\.1:(\d+)\/metrics/, 30_000))[1]);
  await get(eagerPort);
  const server: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < scrapes; i++) {
    const t0 = performance.now();
    const body = await get(eagerPort);
    wall.push(performance.now() - t0);
    // The figure is the previous scrape's (this one's is not known until its body is written).
    const prev = metric(body, /^proctop_exporter_scrape_duration_seconds (\S+)$/m);
    if (i > 0 && prev !== undefined) server.push(prev * 1000);
  }
  const counted = metric(await get(eagerPort), /^proctop_processes\{state="S"\} (\d+)$/m);
  await eager.stop();

  // 2. CPU and RSS at a 15 s interval, both exporters side by side.
  const unitEnv = unitEnvironment(UNIT);
  const serve = startDaemon(BIN, ['serve', '--listen', '127.0.0.1:0', '--config', path.join(dir, 'config.json')], { ...env, ...unitEnv });
  stopLater(serve);
  const servePort = Number((await waitForOutput(serve, /127\.0\.0\.1:(\d+)\/metrics/, 30_000))[1]);
  const plain = startDaemon(BIN, ['serve', '--listen', '127.0.0.1:0', '--config', path.join(dir, 'config.json')], env);
  stopLater(plain);
  const plainPort = Number((await waitForOutput(plain, /127\.0\.0\.1:(\d+)\/metrics/, 30_000))[1]);
  const pePort = await freePort();
  const pe = fs.existsSync(EXPORTER) ? startDaemon(EXPORTER, ['-config.path', path.join(dir, 'pe.yml'), '-web.listen-address', `127.0.0.1:${pePort}`, '-threads=false'], env) : undefined;
  if (pe) stopLater(pe);
  if (pe) await waitForOutput(pe, /Listening|listening/, 30_000).catch(() => undefined);
  // A first scrape each (start-up and first scan are not the steady state).
  await Promise.all([get(servePort), get(plainPort), pe ? get(pePort).catch(() => '') : Promise.resolve('')]);
  const cpu0 = { serve: cpuTicks(serve.pid) ?? 0, plain: cpuTicks(plain.pid) ?? 0, pe: pe ? cpuTicks(pe.pid) ?? 0 : 0 };
  const started = Date.now();
  let rounds = 0;
  // Server time at the 15 s interval, where serve starts each scan ahead of the scrape (prefetch);
  // client wall time of each exporter's scrape beside it.
  const paced: number[] = [];
  const ages: number[] = [];
  const wallServe: number[] = [];
  const wallPe: number[] = [];
  const timed = async (port: number, into: number[]): Promise<string> => {
    const t0 = performance.now();
    const body = await get(port);
    into.push(performance.now() - t0);
    return body;
  };
  // RSS of each exporter every second over the window: a single reading lands anywhere in V8's
  // heap cycle (compacted when scrapes pause, grown by the next scans), ±10 MiB.
  const rssSamples: Record<'serve' | 'plain' | 'pe', number[]> = { serve: [], plain: [], pe: [] };
  const rssTimer = setInterval(() => {
    for (const [name, pid] of [['serve', serve.pid], ['plain', plain.pid], ['pe', pe?.pid]] as const) {
      const kb = pid === undefined ? undefined : statusKb(pid, 'VmRSS');
      if (kb !== undefined) rssSamples[name].push(kb / 1024);
    }
  }, 1000);
  // On a fixed schedule, as Prometheus scrapes (its ticker does not wait for the previous scrape).
  let due = started + INTERVAL_S * 1000;
  while (due - started <= window * 1000) {
    await sleep(Math.max(0, due - Date.now()));
    due += INTERVAL_S * 1000;
    const [body] = await Promise.all([timed(servePort, wallServe), get(plainPort), pe ? timed(pePort, wallPe) : Promise.resolve('')]);
    const prev = metric(body, /^proctop_exporter_scrape_duration_seconds (\S+)$/m);
    const age = metric(body, /^proctop_exporter_snapshot_age_seconds (\S+)$/m);
    if (rounds > 0 && prev !== undefined) paced.push(prev * 1000);
    if (age !== undefined) ages.push(age);
    rounds++;
  }
  clearInterval(rssTimer);
  const elapsedS = (Date.now() - started) / 1000;
  const cpuMs = (pid: number, from: number): number => (((cpuTicks(pid) ?? from) - from) * 1000) / 100;
  const result = {
    procs: population.reached,
    processesSeen: counted,
    scrapeServerMs: stats(server),
    scrapeWallMs: stats(wall),
    pacedServerMs: stats(paced),
    pacedSnapshotAgeS: stats(ages),
    pacedWallMs: { serve: stats(wallServe), processExporter: stats(wallPe) },
    windowS: Math.round(elapsedS),
    scrapesInWindow: rounds,
    rssMiBOverWindow: { serve: stats(rssSamples.serve), servePlain: stats(rssSamples.plain), processExporter: stats(rssSamples.pe) },
    serveEnvironment: unitEnv,
    serve: { cpuMs: cpuMs(serve.pid, cpu0.serve), rssKiB: statusKb(serve.pid, 'VmRSS'), hwmKiB: statusKb(serve.pid, 'VmHWM') },
    servePlain: { cpuMs: cpuMs(plain.pid, cpu0.plain), rssKiB: statusKb(plain.pid, 'VmRSS'), hwmKiB: statusKb(plain.pid, 'VmHWM') },
    processExporter: pe ? { cpuMs: cpuMs(pe.pid, cpu0.pe), rssKiB: statusKb(pe.pid, 'VmRSS'), hwmKiB: statusKb(pe.pid, 'VmHWM') } : undefined,
    loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
  await serve.stop();
  await plain.stop();
  if (pe) await pe.stop();
  await population.stop();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const row = (name: string, r: { cpuMs: number; rssKiB: number | undefined; hwmKiB: number | undefined } | undefined, rss: { median: number; max: number }): string =>
    r === undefined ? `| ${name} | not installed | | | |` : `| ${name} | ${fmt(r.cpuMs / rounds, 1)} ms per scrape (${fmt((r.cpuMs / (elapsedS * 1000)) * 100, 3)} % of a core) | ${fmt(rss.median, 1)} MiB (max ${fmt(rss.max, 1)}) | ${fmt((r.rssKiB ?? NaN) / 1024, 1)} MiB | ${fmt((r.hwmKiB ?? NaN) / 1024, 1)} MiB |`;
  process.stdout.write([
    `proctop serve vs process-exporter at ${result.procs} idle processes (${String(counted)} sleeping seen), load ${result.loadavg.join(' ')}`,
    '',
    `scrape with a fresh scan (${server.length} scrapes): server time median ${fmt(result.scrapeServerMs.median, 1)} ms (min ${fmt(result.scrapeServerMs.min, 1)}, max ${fmt(result.scrapeServerMs.max, 1)}), client wall median ${fmt(result.scrapeWallMs.median, 1)} ms`,
    `scrape at a ${INTERVAL_S} s interval (scan started ahead; ${paced.length} scrapes): server time median ${fmt(result.pacedServerMs.median, 1)} ms (max ${fmt(result.pacedServerMs.max, 1)}), snapshot age median ${fmt(result.pacedSnapshotAgeS.median, 2)} s; client wall median proctop ${fmt(result.pacedWallMs.serve.median, 1)} ms, process-exporter ${fmt(result.pacedWallMs.processExporter.median, 1)} ms; budget 50 ms`,
    '',
    `| exporter | CPU at a ${INTERVAL_S} s scrape interval (${rounds} scrapes, ${result.windowS} s) | RSS over the window, median of 1 s samples | RSS at the end | peak RSS |`,
    '|---|---|---|---|---|',
    row(`proctop serve (the unit's ${Object.entries(unitEnv).map(([k, v]) => `${k}=${v}`).join(' ') || 'environment'})`, result.serve, result.rssMiBOverWindow.serve),
    row('proctop serve (plain)', result.servePlain, result.rssMiBOverWindow.servePlain),
    row('process-exporter', result.processExporter, result.rssMiBOverWindow.processExporter),
    '',
  ].join('\n'));
}

main().then(() => cleanupAll(), (err: unknown) => {
  cleanupAll();
  process.stderr.write(`bench:serve: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
