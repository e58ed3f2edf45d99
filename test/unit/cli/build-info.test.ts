import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildInfo, versionText } from '../../../src/cli/build-info';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const BIN = path.join(REPO, 'bin', 'proctop');
const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const COMMIT = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

test('--version text of the single-file build', () => {
  assert.equal(versionText({ version: '1.2.3', commit: COMMIT, dirty: false, kind: 'single-file' }, '20.20.2'), 'proctop 1.2.3 (commit a1b2c3d4e5f6; single-file build, Node 20.20.2 inside)');
});

test('--version text of the bundle built from a tree with uncommitted changes', () => {
  assert.equal(versionText({ version: '1.2.3', commit: COMMIT, dirty: true, kind: 'bundle' }, '20.1.0'), 'proctop 1.2.3 (commit a1b2c3d4e5f6+dirty; not the single-file build: a bundle run by Node 20.1.0)');
});

test('--version text without a commit (built outside a git checkout)', () => {
  assert.equal(versionText({ version: '1.2.3', commit: undefined, dirty: false, kind: 'bundle' }, '20.1.0'), 'proctop 1.2.3 (commit unknown; not the single-file build: a bundle run by Node 20.1.0)');
});

test('unbundled (tsc output, as tests import it): the version from package.json, no commit', () => {
  assert.deepEqual(buildInfo(), { version: VERSION, commit: undefined, dirty: false, kind: 'unbundled' });
});

test('bin/proctop --version reports the commit the bundle was built from', (t) => {
  const head = spawnSync('git', ['-C', REPO, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
  if (head.status !== 0) return t.skip('not a git checkout');
  const r = spawnSync(BIN, ['--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^proctop ${VERSION.replace(/\./g, '\\.')} \\(commit ${head.stdout.trim().slice(0, 12)}(\\+dirty)?; not the single-file build: a bundle run by Node ${process.versions.node}\\)\\n$`));
});
