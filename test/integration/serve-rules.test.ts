/**
 * The shipped alert rules (contrib/prometheus/proctop-alerts.yml): `promtool check rules`, and
 * `promtool test rules` with series that fire and series that do not
 * (contrib/prometheus/proctop-alerts.test.yml). The scrape config example is checked too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../unit/procfs/fixtures';

const DIR = path.join(REPO_ROOT, 'contrib', 'prometheus');
const skip = spawnSync('sh', ['-c', 'command -v promtool']).status === 0 ? false : 'needs promtool (.ci/run installs Debian\'s prometheus)';

test('the shipped alert rules pass promtool check rules', { skip }, () => {
  assert.match(execFileSync('promtool', ['check', 'rules', path.join(DIR, 'proctop-alerts.yml')], { encoding: 'utf8' }), /SUCCESS: 6 rules found/);
});

test('the shipped alert rules fire on the storm series and stay quiet on the others (promtool test rules)', { skip }, () => {
  assert.match(execFileSync('promtool', ['test', 'rules', 'proctop-alerts.test.yml'], { cwd: DIR, encoding: 'utf8' }), /SUCCESS/);
});

test('the example scrape config passes promtool check config', { skip }, () => {
  const r = spawnSync('promtool', ['check', 'config', path.join(DIR, 'proctop-scrape.yml')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
