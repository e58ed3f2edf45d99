/**
 * The systemd units shipped in systemd/ (issue 16): they pass `systemd-analyze verify`, keep the
 * sandbox the README promises, and their ExecStart command lines parse with the sub-commands'
 * own option tables (a renamed flag fails here, not on an operator's host).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseRecordOptions, RECORD_OPTIONS } from '../../../src/cli/record';
import { parseServeOptions } from '../../../src/cli/serve';
import { SERVE_OPTIONS } from '../../../src/cli/serve-options';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const UNITS = path.join(REPO, 'systemd');
const RECORD = 'proctop-record.service';
const SERVE = 'proctop-serve.service';
const INSTALLED_AT = '/usr/local/bin/proctop';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-units-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** `Key=value` lines of a unit by section (comments and blank lines skipped; a repeated key keeps every value). */
function unitKeys(file: string): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  let section = '';
  for (const raw of fs.readFileSync(path.join(UNITS, file), 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      section = header[1] as string;
      continue;
    }
    const eq = line.indexOf('=');
    assert.ok(eq > 0, `${file}: not Key=value: ${line}`);
    const key = `${section}.${line.slice(0, eq)}`;
    keys.set(key, [...(keys.get(key) ?? []), line.slice(eq + 1)]);
  }
  return keys;
}

function one(keys: Map<string, string[]>, key: string): string | undefined {
  const values = keys.get(key);
  assert.ok(values === undefined || values.length === 1, `${key} set once`);
  return values?.[0];
}

/** ExecStart's words after the program and the sub-command. */
function execArgs(file: string, subcommand: string): string[] {
  const words = (one(unitKeys(file), 'Service.ExecStart') ?? '').split(/\s+/);
  assert.deepEqual(words.slice(0, 2), [INSTALLED_AT, subcommand]);
  return words.slice(2);
}

const longFlags = (specs: readonly { flags: string }[]): string[] => specs.map((s) => /--[\w-]+/.exec(s.flags)?.[0] ?? '');

test('both units pass systemd-analyze verify (no warning at all)', (t) => {
  if (spawnSync('sh', ['-c', 'command -v systemd-analyze'], { encoding: 'utf8' }).status !== 0) return t.skip('no systemd-analyze');
  // verify checks that ExecStart's program exists: point it at this checkout's bin/proctop.
  const copies = [RECORD, SERVE].map((f) => {
    const copy = path.join(tmp, f);
    fs.writeFileSync(copy, fs.readFileSync(path.join(UNITS, f), 'utf8').split(INSTALLED_AT).join(path.join(REPO, 'bin', 'proctop')));
    return copy;
  });
  const r = spawnSync('systemd-analyze', ['verify', '--man=no', ...copies], { encoding: 'utf8' });
  // It exits 0 even for unknown keys or bad values, which it reports: any output is a failure.
  assert.equal(`${r.stdout}${r.stderr}`, '');
  assert.equal(r.status, 0);
});

for (const file of [RECORD, SERVE]) {
  test(`${file}: sandboxed, unprivileged, no capabilities, V8's JIT allowed`, () => {
    const keys = unitKeys(file);
    const expected: Record<string, string> = {
      'Service.DynamicUser': 'yes', 'Service.NoNewPrivileges': 'yes', 'Service.ProtectSystem': 'strict', 'Service.ProtectHome': 'yes',
      'Service.CapabilityBoundingSet': '', 'Service.AmbientCapabilities': '', 'Service.PrivateTmp': 'yes', 'Service.PrivateDevices': 'yes',
      'Service.ProtectKernelTunables': 'yes', 'Service.ProtectControlGroups': 'yes', 'Service.RestrictSUIDSGID': 'yes', 'Service.UMask': '0077',
      'Install.WantedBy': 'multi-user.target',
    };
    for (const [key, value] of Object.entries(expected)) assert.equal(one(keys, key), value, key);
    // Node aborts under MemoryDenyWriteExecute; ProtectProc=invisible would hide the processes it is there to see.
    assert.equal(keys.get('Service.MemoryDenyWriteExecute'), undefined);
    assert.equal(keys.get('Service.ProtectProc'), undefined);
    assert.equal(keys.get('Service.User'), undefined, 'not root, not a fixed user: DynamicUser');
  });
}

test('record: its store is the unit\'s StateDirectory, 0700, and it has no network', () => {
  const keys = unitKeys(RECORD);
  assert.equal(one(keys, 'Service.StateDirectory'), 'proctop');
  assert.equal(one(keys, 'Service.StateDirectoryMode'), '0700');
  assert.equal(one(keys, 'Service.PrivateNetwork'), 'yes');
  const args = execArgs(RECORD, 'record');
  assert.match(args[args.indexOf('--dir') + 1] ?? '', /^\/var\/lib\/proctop\//);
});

test('serve: listens on 127.0.0.1 and may talk to localhost only', () => {
  const keys = unitKeys(SERVE);
  const args = execArgs(SERVE, 'serve');
  assert.match(args[args.indexOf('--listen') + 1] ?? '', /^127\.0\.0\.1:\d+$/);
  assert.equal(one(keys, 'Service.IPAddressDeny'), 'any');
  assert.equal(one(keys, 'Service.IPAddressAllow'), 'localhost');
});

test('record\'s ExecStart flags are in RECORD_OPTIONS and parse', () => {
  const args = execArgs(RECORD, 'record');
  const flags = args.filter((a) => a.startsWith('-'));
  assert.deepEqual(flags.filter((f) => !longFlags(RECORD_OPTIONS).includes(f)), []);
  const parsed = parseRecordOptions(args, {}, 0, '/root');
  assert.notEqual(parsed, 'help');
  assert.equal(parsed === 'help' ? undefined : parsed.dir, args[args.indexOf('--dir') + 1]);
});

test('serve\'s ExecStart flags are in SERVE_OPTIONS and parse', () => {
  const args = execArgs(SERVE, 'serve');
  const flags = args.filter((a) => a.startsWith('-'));
  assert.deepEqual(flags.filter((f) => !longFlags(SERVE_OPTIONS).includes(f)), []);
  const parsed = parseServeOptions(args);
  assert.deepEqual([parsed.host, parsed.port], ['127.0.0.1', 17231]);
});
