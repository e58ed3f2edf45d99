import { InvalidArgumentError } from 'commander';
import { SAMPLER_NAMES } from './options';

/**
 * `proctop serve`'s own port: outside 9100–9999, which Prometheus's port
 * allocation list had filled by 2023, and away from 9256 (process-exporter)
 * and 9100 (node_exporter). Not registered anywhere: pick another with --listen.
 */
export const DEFAULT_SERVE_PORT = 17231;
export const DEFAULT_LISTEN = `127.0.0.1:${DEFAULT_SERVE_PORT}`;
/** Most parents listed by name in proctop_zombies_by_parent. */
export const MAX_ZOMBIE_PARENTS = 100;

/** Cgroups deeper than this below the root are exported as their ancestor at this depth (0: no cgroup families). */
export const DEFAULT_CGROUP_DEPTH = 3;
export const MAX_CGROUP_DEPTH = 16;
/** Most cgroups exported by name; the rest are summed in cgroup="other". */
export const DEFAULT_CGROUP_CAP = 50;
export const MAX_CGROUP_CAP = 1000;

/** Validated `proctop serve` options. */
export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  /** exporter-toolkit web config (TLS, basic auth), or undefined for plain HTTP without auth. */
  readonly webConfig: string | undefined;
  /** The settings file the groups come from; undefined = the user's config.json. */
  readonly config: string | undefined;
  /** Seconds in D after which a process counts as stuck. */
  readonly stuckAfter: number;
  readonly zombieParents: number;
  /** Cgroup families to this depth below the root; 0 = none (cgroups not read). */
  readonly cgroupDepth: number;
  /** Most cgroups exported by path. */
  readonly cgroupCap: number;
  /** A scan this young (seconds) serves every scrape. */
  readonly minInterval: number;
  /** Longest a scrape waits for a scan (seconds). */
  readonly scanTimeout: number;
  readonly procRoot: string;
  readonly passwd: string;
  readonly sampler: string;
}

/** `HOST:PORT` or `[IPv6]:PORT`; the host is required, so every address but loopback is asked for by name. */
export function parseListen(value: string): { host: string; port: number } {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (!match || port > 65535) {
    throw new InvalidArgumentError(`expected HOST:PORT, e.g. ${DEFAULT_LISTEN} (0.0.0.0:${DEFAULT_SERVE_PORT} or [::]:${DEFAULT_SERVE_PORT} to listen on every address)`);
  }
  return { host: (match[1] ?? match[2]) as string, port };
}

function seconds(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`expected seconds from ${min} to ${max}`);
    return n;
  };
}

function parseSampler(value: string): string {
  if (!SAMPLER_NAMES.includes(value)) throw new InvalidArgumentError(`unknown sampler; one of ${SAMPLER_NAMES.join(', ')}`);
  return value;
}

function parseParents(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > MAX_ZOMBIE_PARENTS) throw new InvalidArgumentError(`expected a whole number from 0 to ${MAX_ZOMBIE_PARENTS}`);
  return n;
}

function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

/** One `proctop serve` flag: the single source for commander, --help and the README. */
export interface ServeOptionSpec {
  readonly flags: string;
  readonly key: keyof ServeOptions | 'listen';
  readonly description: string;
  readonly defaultValue?: string | number;
  readonly env?: string;
  readonly hidden?: boolean;
  readonly parse?: (value: string) => unknown;
}

export const SERVE_OPTIONS: readonly ServeOptionSpec[] = [
  { flags: '--listen <host:port>', key: 'listen', description: 'address to serve on; any other than loopback must be given explicitly', defaultValue: DEFAULT_LISTEN, parse: parseListen },
  { flags: '--web-config <file>', key: 'webConfig', description: 'exporter-toolkit web config: tls_server_config (cert_file, key_file) and basic_auth_users (bcrypt)' },
  { flags: '--config <file>', key: 'config', description: 'settings file whose "groups" define the named process groups (default: the user\'s config.json)' },
  { flags: '--stuck-after <seconds>', key: 'stuckAfter', description: 'a process in D state longer than this is stuck', defaultValue: 5, parse: seconds(0, 86400) },
  { flags: '--zombie-parents <n>', key: 'zombieParents', description: `parents listed by pid in proctop_zombies_by_parent (0–${MAX_ZOMBIE_PARENTS}); the rest are summed`, defaultValue: 10, parse: parseParents },
  { flags: '--cgroup-depth <n>', key: 'cgroupDepth', description: `cgroup families to this depth below the root, deeper cgroups as their ancestor there (0 = none, up to ${MAX_CGROUP_DEPTH})`, defaultValue: DEFAULT_CGROUP_DEPTH, parse: wholeNumber(0, MAX_CGROUP_DEPTH) },
  { flags: '--cgroup-cap <n>', key: 'cgroupCap', description: `cgroups exported by path, those with most CPU time; the rest summed in cgroup="other" (1–${MAX_CGROUP_CAP})`, defaultValue: DEFAULT_CGROUP_CAP, parse: wholeNumber(1, MAX_CGROUP_CAP) },
  { flags: '--min-interval <seconds>', key: 'minInterval', description: 'one scan serves every scrape within this time', defaultValue: 5, parse: seconds(0, 3600) },
  { flags: '--scan-timeout <seconds>', key: 'scanTimeout', description: 'a scrape waits at most this long for a scan, then gets the previous one', defaultValue: 3, parse: seconds(0.01, 600) },
  { flags: '--sampler <name>', key: 'sampler', description: 'auto, linux (/proc) or portable', defaultValue: 'auto', parse: parseSampler },
  { flags: '--proc-root <dir>', key: 'procRoot', description: 'procfs root (for tests)', defaultValue: '/proc', env: 'PROCTOP_PROC_ROOT', hidden: true },
  { flags: '--passwd <file>', key: 'passwd', description: 'passwd file (for tests)', defaultValue: '/etc/passwd', env: 'PROCTOP_PASSWD', hidden: true },
];
