import { test, mock, TestContext } from 'node:test';
import assert from 'node:assert/strict';
// The default import is the fs module object itself, so mock.method reaches the store's calls too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Config, DEFAULT_CONFIG } from '../../../src/config/schema';
import { configPath, loadConfig, saveConfig } from '../../../src/config/store';

/** A fresh directory under the system temp dir, removed when the test ends. */
function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-config-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const CUSTOM: Config = {
  version: 1, columns: ['pid', 'user', 'stateage', 'wchan', 'command'], meters: ['load', 'cpus'], sortKey: 'stateage',
  sortDescending: false, tree: true, delay: 600, theme: 'mono', showThreads: true, showKernel: false, groups: { web: 'name:nginx' },
  rewind: '90s', memPercentOf: 'cgroup',
};

const OLD = `${JSON.stringify({ ...DEFAULT_CONFIG, theme: 'light' })}\n`;

test('configPath uses an absolute XDG_CONFIG_HOME', () => {
  assert.equal(configPath({ XDG_CONFIG_HOME: '/x/conf', HOME: '/home/a' }), '/x/conf/proctop/config.json');
});

test('configPath ignores a relative or empty XDG_CONFIG_HOME and uses ~/.config', () => {
  assert.equal(configPath({ XDG_CONFIG_HOME: 'conf', HOME: '/home/a' }), '/home/a/.config/proctop/config.json');
  assert.equal(configPath({ XDG_CONFIG_HOME: '', HOME: '/home/a' }), '/home/a/.config/proctop/config.json');
});

test('a missing file gives the defaults, no warning, and creates nothing', (t) => {
  const dir = tempDir(t);
  assert.deepEqual(loadConfig(path.join(dir, 'proctop', 'config.json')), { config: DEFAULT_CONFIG, warning: undefined });
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('save then load gives the same config', (t) => {
  const file = path.join(tempDir(t), 'config.json');
  assert.equal(saveConfig(CUSTOM, file), undefined);
  assert.deepEqual(loadConfig(file), { config: CUSTOM, warning: undefined });
});

test('save creates missing directories with mode 0700', (t) => {
  const dir = path.join(tempDir(t), 'a', 'proctop');
  assert.equal(saveConfig(CUSTOM, path.join(dir, 'config.json')), undefined);
  assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
});

test('save leaves no temp file behind', (t) => {
  const dir = tempDir(t);
  saveConfig(DEFAULT_CONFIG, path.join(dir, 'config.json'));
  assert.equal(saveConfig(CUSTOM, path.join(dir, 'config.json')), undefined);
  assert.deepEqual(fs.readdirSync(dir), ['config.json']);
});

test('a failing rename returns an error line; the old file is untouched and the temp file removed', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, OLD);
  mock.method(fs, 'renameSync', () => {
    throw Object.assign(new Error('simulated crash'), { code: 'EIO' });
  });
  t.after(() => mock.restoreAll());
  assert.equal(saveConfig(CUSTOM, file), `cannot save settings to ${file} (EIO)`);
  assert.equal(fs.readFileSync(file, 'utf8'), OLD);
  assert.deepEqual(fs.readdirSync(dir), ['config.json']);
});

test('a write that fails halfway never reaches config.json', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, OLD);
  const real = fs.writeFileSync;
  mock.method(fs, 'writeFileSync', (fd: number, data: string) => {
    real(fd, data.slice(0, data.length >> 1));
    throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
  });
  t.after(() => mock.restoreAll());
  assert.match(saveConfig(CUSTOM, file) ?? '', /ENOSPC/);
  mock.restoreAll();
  assert.equal(fs.readFileSync(file, 'utf8'), OLD);
  assert.deepEqual(fs.readdirSync(dir), ['config.json']);
});

test('a temp file left by a crashed save does not affect loading', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, OLD);
  fs.writeFileSync(`${file}.tmp-99999-deadbeef`, '{"version":1,"the');
  assert.deepEqual(loadConfig(file), { config: { ...DEFAULT_CONFIG, theme: 'light' }, warning: undefined });
});

test('save returns an error line instead of throwing when the directory cannot be made', (t) => {
  const blocker = path.join(tempDir(t), 'not-a-dir');
  fs.writeFileSync(blocker, '');
  assert.match(saveConfig(CUSTOM, path.join(blocker, 'config.json')) ?? '', /^cannot save settings to .* \((ENOTDIR|EEXIST)\)$/);
});

test('a symlinked config.json is written through and stays a symlink', (t) => {
  const dir = tempDir(t);
  const real = path.join(dir, 'dotfiles.json');
  fs.writeFileSync(real, OLD);
  const file = path.join(dir, 'config.json');
  fs.symlinkSync(real, file);
  assert.equal(saveConfig(CUSTOM, file), undefined);
  assert.ok(fs.lstatSync(file).isSymbolicLink());
  assert.deepEqual(loadConfig(file).config, CUSTOM);
});

test('corrupt JSON: one-line warning, defaults, and the original bytes kept in config.json.bak', (t) => {
  const file = path.join(tempDir(t), 'config.json');
  const bytes = Buffer.from('{"version": 1,\n "theme": "mono",,\n\u00ff}');
  fs.writeFileSync(file, bytes);
  const { config, warning } = loadConfig(file);
  assert.deepEqual(config, DEFAULT_CONFIG);
  assert.match(warning ?? '', /not valid JSON .*; kept as config\.json\.bak; using the default settings$/);
  assert.doesNotMatch(warning ?? '', /\n/);
  assert.deepEqual(fs.readFileSync(`${file}.bak`), bytes);
  assert.ok(!fs.existsSync(file));
});

test('a new .bak replaces an older one', (t) => {
  const file = path.join(tempDir(t), 'config.json');
  fs.writeFileSync(`${file}.bak`, 'older');
  fs.writeFileSync(file, 'newer{');
  loadConfig(file);
  assert.equal(fs.readFileSync(`${file}.bak`, 'utf8'), 'newer{');
});

test('a partially valid file keeps its valid fields, names the first problem and the count, and is backed up', (t) => {
  const file = path.join(tempDir(t), 'config.json');
  const text = JSON.stringify({ version: 1, columns: ['pid', 'foo', 'command'], theme: 'mono', delay: 0, tree: true, extra: 1 });
  fs.writeFileSync(file, text);
  const { config, warning } = loadConfig(file);
  assert.deepEqual(config, { ...DEFAULT_CONFIG, columns: ['pid', 'command'], theme: 'mono', tree: true });
  assert.equal(warning, `${file}: columns[1]: unknown column "foo" (and 2 more problems); kept as config.json.bak; using the valid settings`);
  assert.equal(fs.readFileSync(`${file}.bak`, 'utf8'), text);
});

test('after a partially valid file, the valid settings are written back so the next start agrees', (t) => {
  const file = path.join(tempDir(t), 'config.json');
  fs.writeFileSync(file, JSON.stringify({ version: 1, theme: 'mono', delay: 'fast' }));
  const first = loadConfig(file);
  assert.deepEqual(loadConfig(file), { config: first.config, warning: undefined });
});

test('a byte order mark before the JSON is accepted', (t) => {
  const file = path.join(tempDir(t), 'config.json');
  fs.writeFileSync(file, `\uFEFF${OLD}`);
  assert.deepEqual(loadConfig(file), { config: { ...DEFAULT_CONFIG, theme: 'light' }, warning: undefined });
});

test('an unreadable file (a directory in its place: EISDIR) gives a warning and the defaults, and is left alone', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'config.json');
  fs.mkdirSync(file);
  assert.deepEqual(loadConfig(file), { config: DEFAULT_CONFIG, warning: `cannot read ${file} (EISDIR); using the default settings` });
  assert.deepEqual(fs.readdirSync(dir), ['config.json']);
  assert.ok(fs.statSync(file).isDirectory());
});

test('an unreadable file (EACCES) gives a warning and the defaults, and is left alone',
  { skip: process.getuid?.() === 0 ? 'root can read a mode-000 file, so EACCES cannot happen' : false }, (t) => {
    const file = path.join(tempDir(t), 'config.json');
    fs.writeFileSync(file, OLD, { mode: 0o000 });
    assert.deepEqual(loadConfig(file), { config: DEFAULT_CONFIG, warning: `cannot read ${file} (EACCES); using the default settings` });
    fs.chmodSync(file, 0o600);
    assert.equal(fs.readFileSync(file, 'utf8'), OLD);
  });

test('a FIFO in place of the file does not hang start-up', (t) => {
  const file = path.join(tempDir(t), 'config.json');
  try {
    execFileSync('mkfifo', [file]);
  } catch {
    t.skip('mkfifo is not available');
    return;
  }
  assert.deepEqual(loadConfig(file), { config: DEFAULT_CONFIG, warning: `cannot read ${file} (not a regular file); using the default settings` });
});
