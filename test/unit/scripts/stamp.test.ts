import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stamp } from '../../../scripts/stamp';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-stamp-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('a build in a git checkout is stamped with its HEAD commit', (t) => {
  const head = spawnSync('git', ['-C', REPO, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
  if (head.status !== 0) return t.skip('not a git checkout');
  const s = stamp(REPO, 'bundle');
  assert.equal(s.commit, head.stdout.trim());
  assert.equal(s.kind, 'bundle');
});

test('a build outside a git checkout has no commit (not the commit of a repository around it)', () => {
  fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ name: 'proctop', version: '9.8.7' }));
  assert.deepEqual(stamp(tmp, 'single-file'), { version: '9.8.7', commit: undefined, dirty: false, kind: 'single-file' });
});
