/**
 * The web config file of Prometheus exporters (exporter-toolkit's format):
 *
 *     tls_server_config:
 *       cert_file: server.crt        # relative paths: to the file's directory
 *       key_file: server.key
 *       client_ca_file: ca.crt       # optional, with client_auth_type
 *       client_auth_type: RequireAndVerifyClientCert
 *       min_version: TLS12
 *     basic_auth_users:
 *       prometheus: $2y$10$…        # bcrypt hashes only
 *
 * Unknown keys are errors, as in exporter-toolkit (a misspelt
 * `basic_auth_user` must not silently leave the endpoint open).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';

export const CLIENT_AUTH_TYPES = ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'] as const;
export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];
const TLS_VERSIONS: Readonly<Record<string, 'TLSv1.2' | 'TLSv1.3'>> = { TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };

/** The TLS part, with files already read. */
export interface TlsSettings {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly ca: Buffer | undefined;
  readonly clientAuth: ClientAuthType;
  readonly minVersion: 'TLSv1.2' | 'TLSv1.3';
}

/** A checked web config. */
export interface WebConfig {
  readonly tls: TlsSettings | undefined;
  /** user → bcrypt hash; empty when basic auth is off. */
  readonly users: ReadonlyMap<string, string>;
}

const BCRYPT = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;
const MAX_BYTES = 1 << 20;

function record(value: unknown, where: string, allowed: readonly string[]): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where}: expected a mapping`);
  for (const key of Object.keys(value)) if (!allowed.includes(key)) throw new Error(`${where}: unknown key ${JSON.stringify(key)}`);
  return value as Record<string, unknown>;
}

function text(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw new Error(`${where}: expected a non-empty string`);
  return value;
}

function readFile(file: string, where: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Error(`${where}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

function tlsSettings(raw: unknown, dir: string): TlsSettings | undefined {
  const tls = record(raw, 'tls_server_config', ['cert_file', 'key_file', 'client_ca_file', 'client_auth_type', 'min_version']);
  if (Object.keys(tls).length === 0) return undefined;
  const certFile = text(tls.cert_file, 'tls_server_config.cert_file');
  const keyFile = text(tls.key_file, 'tls_server_config.key_file');
  if (certFile === undefined || keyFile === undefined) throw new Error('tls_server_config: cert_file and key_file are both required');
  const caFile = text(tls.client_ca_file, 'tls_server_config.client_ca_file');
  const auth = text(tls.client_auth_type, 'tls_server_config.client_auth_type') ?? (caFile === undefined ? 'NoClientCert' : 'RequireAndVerifyClientCert');
  if (!(CLIENT_AUTH_TYPES as readonly string[]).includes(auth)) throw new Error(`tls_server_config.client_auth_type: one of ${CLIENT_AUTH_TYPES.join(', ')}`);
  if (auth.includes('Verify') && caFile === undefined) throw new Error(`tls_server_config: ${auth} needs client_ca_file`);
  const min = text(tls.min_version, 'tls_server_config.min_version') ?? 'TLS12';
  const minVersion = TLS_VERSIONS[min];
  if (minVersion === undefined) throw new Error('tls_server_config.min_version: TLS12 or TLS13');
  const at = (f: string): string => path.resolve(dir, f);
  return {
    cert: readFile(at(certFile), 'tls_server_config.cert_file'),
    key: readFile(at(keyFile), 'tls_server_config.key_file'),
    ca: caFile === undefined ? undefined : readFile(at(caFile), 'tls_server_config.client_ca_file'),
    clientAuth: auth as ClientAuthType,
    minVersion,
  };
}

/** Checks a web config's text; `dir` resolves relative file names. Throws an Error naming the first problem. */
export function parseWebConfig(source: string, dir: string): WebConfig {
  let raw: unknown;
  try {
    raw = parseYaml(source);
  } catch (err) {
    throw new Error(`not YAML: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
  }
  const top = record(raw, 'web config', ['tls_server_config', 'basic_auth_users', 'http_server_config']);
  // exporter-toolkit's http_server_config (HTTP/2, extra headers) has nothing proctop needs; only an empty one is accepted.
  record(top.http_server_config, 'http_server_config', []);
  const users = new Map<string, string>();
  for (const [user, hash] of Object.entries(record(top.basic_auth_users, 'basic_auth_users', Object.keys(top.basic_auth_users ?? {})))) {
    if (typeof hash !== 'string' || !BCRYPT.test(hash)) throw new Error(`basic_auth_users.${JSON.stringify(user)}: expected a bcrypt hash ($2y$…, e.g. from htpasswd -nBC 10)`);
    users.set(user, hash);
  }
  return { tls: tlsSettings(top.tls_server_config, dir), users };
}

/** Reads and checks a web config file. Throws an Error with a one-line reason. */
export function loadWebConfig(file: string): WebConfig {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat === undefined) throw new Error(`${file}: no such file`);
  if (!stat.isFile() || stat.size > MAX_BYTES) throw new Error(`${file}: not a regular file under ${MAX_BYTES} bytes`);
  try {
    return parseWebConfig(fs.readFileSync(file, 'utf8'), path.dirname(path.resolve(file)));
  } catch (err) {
    throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
