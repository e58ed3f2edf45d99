/**
 * The build's V8 code cache (dist/bundle/proctop.js.cache, scripts/code-cache.ts) is accepted when
 * the bundle is loaded as bin/proctop loads it: through the launcher, which starts Node with V8
 * flags (scripts/launcher-flags.ts), and under the environments the serve and record units set.
 * V8 rejects a cache silently (flag hash, version, source), and start-up then parses and compiles
 * the 1.2 MiB bundle (~9 MB more RSS for serve with the 2.1 MiB one, README). The last tests show
 * the checks see a rejection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launcherNodeFlags } from '../../../scripts/launcher-flags';
import { unitEnvironment } from '../../helpers/unit-environment';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const LAUNCHER = path.join(ROOT, 'bin', 'proctop');
const SERVE_UNIT = path.join(ROOT, 'systemd', 'proctop-serve.service');
const RECORD_UNIT = path.join(ROOT, 'systemd', 'proctop-record.service');

/** Whether V8 rejected the cache when the bundle was loaded as bin/proctop.js loads it. */
function rejected(nodeFlags: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const child = `
const { loadBundle } = require(${JSON.stringify(path.join(ROOT, 'bin', 'load-bundle.js'))});
process.stdout.write(String(loadBundle().script.cachedDataRejected));
`;
  const run = spawnSync(process.execPath, [...nodeFlags, '-e', child], { cwd: ROOT, env, encoding: 'utf8', timeout: 20_000 });
  assert.match(run.stdout, /^(true|false)$/, `child: ${run.stderr}`);
  return run.stdout === 'true';
}

/** What the start-up trace of `bin/proctop ARGS` says of the bundle it loaded (load-bundle.js). */
function loadThroughLauncher(env: NodeJS.ProcessEnv, args: readonly string[]): { cache: string; bundle: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-cache-'));
  try {
    const trace = path.join(dir, 'trace');
    const run = spawnSync(LAUNCHER, args, { env: { ...env, PROCTOP_TRACE_START: trace }, encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.status, 0, run.stderr);
    const m = /^bundle-loaded [\d.]+ [\d.]+ code-cache=(\w+) bundle=(\S+)$/m.exec(fs.readFileSync(trace, 'utf8'));
    assert.ok(m, 'a bundle-loaded line in the trace');
    return { cache: m[1] as string, bundle: m[2] as string };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What the start-up trace of `bin/proctop ARGS` says of the code cache. */
function cacheThroughLauncher(env: NodeJS.ProcessEnv, args: readonly string[] = ['--version']): string {
  const { cache, bundle } = loadThroughLauncher(env, args);
  assert.equal(bundle, 'proctop.js');
  return cache;
}

test('the launcher passes V8 flags, and the build\'s code cache is accepted under them', () => {
  assert.ok(launcherNodeFlags(ROOT).some((f) => f.startsWith('--max-semi-space-size=')), 'the young generation is capped');
  assert.equal(rejected(launcherNodeFlags(ROOT)), false);
});

test('the code cache is accepted when bin/proctop runs', () => {
  assert.equal(cacheThroughLauncher(process.env), 'accepted');
});

for (const unit of [SERVE_UNIT, RECORD_UNIT]) {
  test(`the code cache is accepted under ${path.basename(unit)}'s environment`, () => {
    const env = unitEnvironment(unit);
    assert.ok(Object.keys(env).length > 0, `${path.basename(unit)} sets an environment`);
    assert.equal(rejected(launcherNodeFlags(ROOT), { ...process.env, ...env }), false);
    assert.equal(cacheThroughLauncher({ ...process.env, ...env }), 'accepted');
  });
}

test('V8 flags other than the launcher\'s show as a rejected cache', () => {
  assert.equal(rejected([]), true);
  assert.equal(cacheThroughLauncher({ ...process.env, NODE_OPTIONS: '--max-old-space-size=300' }), 'rejected');
});

for (const [command, unit] of [['serve', SERVE_UNIT], ['record', RECORD_UNIT]] as const) {
  test(`proctop ${command} runs from its own bundle, which has no code cache`, () => {
    // `--help` exits 0 after parsing: the bundle it ran is the one the daemon would run.
    assert.deepEqual(loadThroughLauncher({ ...process.env, ...unitEnvironment(unit) }, [command, '--help']), { cache: 'none', bundle: `proctop-${command}.js` });
  });
}
