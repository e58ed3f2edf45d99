/**
 * The npm package as a user gets it: `npm pack` of the built tree, `npm install -g --prefix` of
 * that tarball into a temporary prefix (no network: the package has no dependencies, the bundle
 * carries them), then the installed `proctop` on PATH and its man page.
 *
 * Packs with --ignore-scripts: `npm test` has just built dist/, and the prepare script would
 * rebuild it under the tests that are running from it.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Landscape } from '../helpers/landscape';
import { privateHome } from '../helpers/private-home';

const REPO = path.resolve(__dirname, '..', '..', '..');
const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-pack-'));
const prefix = path.join(tmp, 'prefix');
const land = new Landscape();
const home = privateHome();
after(async () => {
  try {
    await land.cleanup();
  } finally {
    home.remove();
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  }
});

function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { cwd: options.cwd ?? tmp, env: options.env ?? process.env, encoding: 'utf8', input: '', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return r;
}

/** What `npm pack --json` says about the tarball. */
interface PackReport {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly { readonly path: string }[];
}

function pack(): PackReport {
  const r = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], { cwd: REPO });
  assert.equal(r.status, 0, r.stderr);
  const report = (JSON.parse(r.stdout) as PackReport[])[0];
  assert.ok(report, r.stdout);
  return report;
}

const packed = pack();
const tarball = path.join(tmp, packed.filename);

/** The installed proctop, run as a user would: by name, found on PATH (node from this test's PATH). */
function proctop(...args: string[]): SpawnSyncReturns<string> {
  const env = { ...process.env, ...home.env, PATH: `${path.join(prefix, 'bin')}:${process.env.PATH ?? ''}` };
  return run('proctop', args, { env });
}

test('the tarball holds the bundle, bin, man page, notices and systemd units, and no tests, benchmarks, scripts or TypeScript', () => {
  const files = packed.files.map((f) => f.path);
  const unwanted = files.filter((f) => /^(test|bench|src|scripts)\//.test(f) || /\.ts$/.test(f) || /^dist\/(?!bundle\/)/.test(f));
  assert.deepEqual(unwanted, []);
  for (const f of ['bin/proctop', 'bin/proctop.js', 'bin/load-bundle.js', 'dist/bundle/proctop.js', 'dist/bundle/proctop.js.cache', 'dist/bundle/proctop.js.map', 'dist/bundle/proctop-serve.js', 'dist/bundle/proctop-serve.js.map', 'dist/bundle/proctop-record.js', 'dist/bundle/proctop-record.js.map', 'dist/bundle/proctop-dep-systeminformation.js', 'dist/bundle/THIRD-PARTY-NOTICES', 'man/proctop.1', 'systemd/proctop-record.service', 'systemd/proctop-serve.service', 'package.json']) {
    assert.ok(files.includes(f), `${f} in ${files.join(', ')}`);
  }
  // The source map names the sources but does not carry them.
  const map = JSON.parse(fs.readFileSync(path.join(REPO, 'dist', 'bundle', 'proctop.js.map'), 'utf8')) as { sourcesContent?: unknown };
  assert.equal(map.sourcesContent, undefined);
});

test('npm install -g --prefix of the tarball puts a working proctop on PATH', () => {
  const r = run('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(fs.existsSync(path.join(prefix, 'bin', 'proctop')), 'bin/proctop linked');
  assert.deepEqual(fs.readdirSync(path.join(prefix, 'lib', 'node_modules')), ['proctop'], 'no dependencies installed beside it');
});

test('the installed proctop --once --json lists a process this test started', async () => {
  const pid = await land.sleeper();
  const r = proctop('--once', '--json', '-d', '1');
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { processes?: { pid: number; command: string }[] };
  assert.ok(Array.isArray(doc.processes), 'a processes array');
  assert.deepEqual(doc.processes.filter((p) => p.pid === pid).map((p) => p.command), ['sleep 1000']);
});

test('the installed proctop --version names the version, the commit and the bundle build', () => {
  const r = proctop('--version');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^proctop ${VERSION.replace(/\./g, '\\.')} \\(commit ([0-9a-f]{12}(\\+dirty)?|unknown); not the single-file build: a bundle run by Node [\\d.]+\\)\\n$`));
});

test('the man page is installed where man finds it, and renders', (t) => {
  const page = path.join(prefix, 'share', 'man', 'man1', 'proctop.1');
  assert.ok(fs.existsSync(page), `${page} linked by npm`);
  if (spawnSync('sh', ['-c', 'command -v man'], { encoding: 'utf8' }).status !== 0) return t.skip('no man');
  const env = { ...process.env, MANWIDTH: '80', PAGER: 'cat', MANPAGER: 'cat' };
  const byFile = run('man', ['-l', page], { env });
  assert.equal(byFile.status, 0, byFile.stderr);
  assert.match(byFile.stdout, /PROCTOP\(1\)/);
  assert.match(byFile.stdout, /--sort-key/);
  // `man proctop` as a user with the prefix's share/man on MANPATH.
  const byName = run('man', ['-M', path.join(prefix, 'share', 'man'), 'proctop'], { env });
  assert.equal(byName.status, 0, byName.stderr);
  assert.equal(byName.stdout, byFile.stdout);
});
