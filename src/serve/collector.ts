/**
 * The exporter's one source of metrics: scans on demand, at most once per
 * `minIntervalMs`, shares a running scan among concurrent scrapes (no scan
 * storm), and never keeps a scrape waiting longer than `scanTimeoutMs`: a
 * scrape that would wait longer gets the previous scan's metrics and says
 * so (proctop_exporter_scan_timeouts_total, proctop_exporter_snapshot_age_seconds).
 */
import { identityKey, Snapshot } from '../model/snapshot';
import { parsePressure } from '../procfs/parse/pressure';
import type { LiveSource } from '../sampler/source';
import type { CgroupRawStats } from '../procfs/cgroup-reader';
import { CgroupRestCounters, cgroupFamilies, CgroupRow, exportTargets, rowOfInfo, rowOfRaw, splitRows } from './cgroup-families';
import { GroupCounters, CounterReading } from './group-counters';
import { assignGroups, groupFamilies, GroupSpec, MemberReading } from './group-families';
import { hostFamilies, Pressure, PRESSURE_RESOURCES } from './host-families';
import { readMember } from './member-reader';
import { MetricFamily, single } from './metric';

export interface CollectorOptions {
  readonly source: LiveSource;
  readonly groups: readonly GroupSpec[];
  readonly stuckAfterMs: number;
  readonly zombieParents: number;
  /** A scan younger than this serves every scrape (ms). */
  readonly minIntervalMs: number;
  /** Longest a scrape waits for a scan before it is served the previous one (ms). */
  readonly scanTimeoutMs: number;
  readonly version: string;
  /** The commit the build was made from; empty when unknown. */
  readonly revision: string;
  /**
   * Cgroup families: cgroups to `depth` below the root (deeper ones as their
   * ancestor there, read by `read`), at most `cap` of them by name. Absent:
   * no cgroup families, and cgroups are not read.
   */
  readonly cgroups?: CgroupExport;
  /**
   * Scan ahead of the next scrape: from the interval between scrapes, a scan
   * is started shortly before the next one is due, so that scrape finds it
   * done and its server time is the printing. Still one scan per scrape
   * (the timer is set by a scrape, never by itself). Absent: scans start
   * when a scrape asks (--once, tests).
   */
  readonly prefetch?: Schedule;
  /** Monotonic clock, ms (injected for tests). */
  readonly clock?: () => number;
}

/** Runs `run` after `ms` (a timer that keeps no process alive); returns its cancel. */
export type Schedule = (run: () => void, ms: number) => () => void;

export const timerSchedule: Schedule = (run, ms) => {
  const timer = setTimeout(run, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** A member's `Max open files` is re-read this often (ms): it changes only by prlimit. */
export const MAX_FDS_RECHECK_MS = 60_000;

/** How cgroups are exported; see {@link CollectorOptions.cgroups}. */
export interface CgroupExport {
  readonly depth: number;
  readonly cap: number;
  /** A cgroup's own files (an ancestor of the cgroups that hold processes); undefined when it is gone. */
  readonly read: (path: string, version: 1 | 2) => CgroupRawStats | undefined;
}

interface Scan {
  /** When the scan finished, by the monotonic clock. */
  readonly at: number;
  readonly snapshotTime: number;
  readonly families: readonly MetricFamily[];
}

/** What a scrape got: the families to print. */
export class Collector {
  private latest: Scan | undefined;
  private running: Promise<Scan> | undefined;
  private readonly counters = new GroupCounters();
  private readonly cgroupRest = new CgroupRestCounters();
  private readonly clock: () => number;
  private scans = 0;
  private scanErrors = 0;
  private scanTimeouts = 0;
  private lastScanSeconds = 0;
  private lastScrapeSeconds = 0;
  private partialErrors = 0;
  private procReadErrors = 0;
  private maxFds = new Map<string, { readonly value: number | undefined; readonly at: number }>();
  /** Start of the latest scrape that began a round (not within --min-interval of the one before). */
  private roundStart: number | undefined;
  /** Time between the last two rounds of scrapes, ms. */
  private scrapePeriod: number | undefined;
  private cancelPrefetch: (() => void) | undefined;

  constructor(private readonly options: CollectorOptions) {
    this.clock = options.clock ?? (() => performance.now());
    // The sampler reads cgroups only when asked: each process's placement and each member cgroup's files.
    if (options.cgroups !== undefined) options.source.setCgroups(true);
  }

  /** The families for one scrape: a fresh enough scan, the running one (up to the timeout), or the last one. */
  async collect(): Promise<MetricFamily[]> {
    const started = this.clock();
    this.noteRound(started);
    const fresh = this.latest !== undefined && started - this.latest.at < this.options.minIntervalMs;
    let scan = fresh ? this.latest : undefined;
    if (scan === undefined) {
      const pending = this.running ?? this.startScan();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), this.options.scanTimeoutMs);
      });
      scan = await Promise.race([pending.catch(() => undefined), timeout]);
      clearTimeout(timer);
      if (scan === undefined) {
        if (this.running !== undefined) this.scanTimeouts++;
        scan = this.latest;
      }
    }
    this.planPrefetch(started);
    return [...(scan?.families ?? []), ...this.selfFamilies(scan)];
  }

  /** Scrapes within --min-interval of a round's first (a second Prometheus, a retry) belong to that round. */
  private noteRound(now: number): void {
    const last = this.roundStart;
    if (last !== undefined && now - last < Math.max(1, this.options.minIntervalMs)) return;
    if (last !== undefined) this.scrapePeriod = now - last;
    this.roundStart = now;
  }

  /**
   * Sets the scan for the next round: `lead` before it is due, long enough for
   * a scan to finish (three times the last one, at least 1 s) and short
   * enough that it is still fresh (half of --min-interval) when the scrape comes.
   */
  private planPrefetch(started: number): void {
    const schedule = this.options.prefetch;
    const period = this.scrapePeriod;
    if (schedule === undefined || period === undefined || started !== this.roundStart) return;
    const lead = Math.min(this.options.minIntervalMs / 2, Math.max(1000, 3000 * this.lastScanSeconds));
    const delay = started + period - lead - this.clock();
    if (lead <= 0 || delay <= 0) return;
    this.cancelPrefetch?.();
    this.cancelPrefetch = schedule(() => {
      this.cancelPrefetch = undefined;
      if (this.running === undefined) this.startScan().catch(() => undefined);
    }, delay);
  }

  /** Records a scrape's whole server time (collecting and printing), shown by the next scrape. */
  noteScrape(seconds: number): void {
    this.lastScrapeSeconds = seconds;
  }

  private startScan(): Promise<Scan> {
    const started = this.clock();
    const run = (async () => {
      try {
        const snapshot = await this.options.source.sample();
        const families = this.families(snapshot);
        this.scans++;
        this.lastScanSeconds = (this.clock() - started) / 1000;
        const scan: Scan = { at: this.clock(), snapshotTime: snapshot.time, families };
        this.latest = scan;
        return scan;
      } catch (err) {
        this.scanErrors++;
        throw err;
      } finally {
        this.running = undefined;
      }
    })();
    this.running = run;
    return run;
  }

  private families(snapshot: Snapshot): MetricFamily[] {
    const ctx = { now: snapshot.time, stuckAfterMs: this.options.stuckAfterMs };
    const members = assignGroups(snapshot, this.options.groups, ctx);
    const readings = new Map<string, MemberReading>();
    const counterInput = new Map<string, Map<string, CounterReading>>();
    const reader = this.options.source.reader;
    const now = this.clock();
    const maxFds = new Map<string, { readonly value: number | undefined; readonly at: number }>();
    for (const [group, list] of members) {
      const byKey = new Map<string, CounterReading>();
      counterInput.set(group, byKey);
      if (reader === undefined) continue;
      for (const p of list) {
        const key = identityKey(p);
        const known = this.maxFds.get(key);
        const reuse = known !== undefined && now - known.at < MAX_FDS_RECHECK_MS ? known : undefined;
        const outcome = readMember(reader, p, reuse);
        if ('gone' in outcome) {
          this.procReadErrors++;
          continue;
        }
        if (outcome.partial) this.partialErrors++;
        maxFds.set(key, reuse ?? { value: outcome.reading.maxFds, at: now });
        readings.set(key, outcome.reading);
        byKey.set(key, outcome.reading.counters);
      }
    }
    this.maxFds = maxFds;
    this.counters.update(counterInput);
    const host = hostFamilies(snapshot, this.pressure(), { stuckAfterMs: this.options.stuckAfterMs, zombieParents: this.options.zombieParents });
    return [...host, ...groupFamilies(members, readings, (g) => this.counters.totalsOf(g)), ...this.cgroupFamilies(snapshot)];
  }

  private cgroupFamilies(snapshot: Snapshot): MetricFamily[] {
    const options = this.options.cgroups;
    if (options === undefined) return [];
    const known = new Map(snapshot.cgroups.map((c) => [c.path, c]));
    const rows: CgroupRow[] = [];
    for (const [path, version] of exportTargets(snapshot.cgroups, options.depth)) {
      const info = known.get(path);
      const raw = info === undefined ? options.read(path, version) : undefined;
      if (info !== undefined) rows.push(rowOfInfo(info));
      else if (raw !== undefined) rows.push(rowOfRaw(path, raw));
    }
    const { kept, rest } = splitRows(rows, options.cap);
    this.cgroupRest.update(rows, new Set(rest.map((r) => r.path)));
    return cgroupFamilies(kept, rest, this.cgroupRest.totals);
  }

  private pressure(): Pressure {
    const reader = this.options.source.reader;
    const out: { -readonly [K in keyof Pressure]: Pressure[K] } = {};
    if (reader === undefined) return out;
    for (const resource of PRESSURE_RESOURCES) {
      const text = reader.readText(`pressure/${resource}`);
      const parsed = text === undefined ? undefined : parsePressure(text);
      if (parsed?.ok) out[resource] = parsed.value;
    }
    return out;
  }

  private selfFamilies(scan: Scan | undefined): MetricFamily[] {
    const age = scan === undefined ? NaN : (this.clock() - scan.at) / 1000;
    return [
      single('proctop_exporter_scans', 'Scans of /proc completed.', 'counter', this.scans),
      single('proctop_exporter_scan_errors', 'Scans of /proc that failed.', 'counter', this.scanErrors),
      single('proctop_exporter_scan_timeouts', 'Scrapes that waited longer than --scan-timeout for a scan and were served the previous one.', 'counter', this.scanTimeouts),
      single('proctop_exporter_scan_duration_seconds', 'Duration of the latest completed scan.', 'gauge', this.lastScanSeconds, { unit: 'seconds' }),
      single('proctop_exporter_scrape_duration_seconds', 'Server time of the previous scrape (waiting for the scan, building and printing).', 'gauge', this.lastScrapeSeconds, { unit: 'seconds' }),
      single('proctop_exporter_snapshot_age_seconds', 'Age of the scan these metrics come from when served (NaN: no scan has completed yet).', 'gauge', age, { unit: 'seconds' }),
      { name: 'proctop_build', type: 'info', help: 'proctop version, the commit it was built from and the Node.js version of the exporter.', samples: [{ labels: [['version', this.options.version], ['revision', this.options.revision], ['nodejs', process.versions.node]], value: 1 }] },
      // process-exporter's own error counters; it names them without _total, which promtool flags: here they have it.
      single('namedprocess_scrape_errors', 'general scrape errors: no proc metrics collected during a cycle', 'counter', this.scanErrors),
      single('namedprocess_scrape_partial_errors', "incremented each time a tracked proc's metrics collection fails partially, e.g. unreadable I/O stats", 'counter', this.partialErrors),
      single('namedprocess_scrape_procread_errors', "incremented each time a proc's metrics collection fails", 'counter', this.procReadErrors),
    ];
  }
}
