/**
 * The build's V8 code cache (dist/bundle/proctop.js.cache, scripts/code-cache.ts) is accepted when
 * the bundle is loaded as bin/proctop loads it, also under the environments the serve and record units set:
 * V8 rejects a cache silently (flag hash, version, source), and start-up then parses and compiles
 * the 1.2 MiB bundle (~9 MB more RSS for serve with the 2.1 MiB one, README). The last test shows the check sees a rejection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { unitEnvironment } from '../../helpers/unit-environment';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const SERVE_UNIT = path.join(ROOT, 'systemd', 'proctop-serve.service');
const RECORD_UNIT = path.join(ROOT, 'systemd', 'proctop-record.service');

/** Whether V8 rejected the cache when the bundle was loaded as bin/proctop loads it. */
function rejected(nodeFlags: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const child = `
const { loadBundle } = require(${JSON.stringify(path.join(ROOT, 'bin', 'load-bundle.js'))});
process.stdout.write(String(loadBundle().script.cachedDataRejected));
`;
  const run = spawnSync(process.execPath, [...nodeFlags, '-e', child], { cwd: ROOT, env, encoding: 'utf8', timeout: 20_000 });
  assert.match(run.stdout, /^(true|false)$/, `child: ${run.stderr}`);
  return run.stdout === 'true';
}

test('the build\'s code cache is accepted by the bundle loader', () => {
  assert.equal(rejected([]), false);
});

for (const unit of [SERVE_UNIT, RECORD_UNIT]) {
  test(`the code cache is accepted under ${path.basename(unit)}'s environment`, () => {
    const env = unitEnvironment(unit);
    assert.ok(Object.keys(env).length > 0, `${path.basename(unit)} sets an environment`);
    assert.equal(rejected([], { ...process.env, ...env }), false);
  });
}

test('a V8 flag that changes the flag hash shows as a rejected cache', () => {
  assert.equal(rejected(['--max-semi-space-size=1']), true);
});
