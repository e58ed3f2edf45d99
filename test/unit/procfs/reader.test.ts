import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProcReader, readPasswd } from '../../../src/procfs/reader';
import { IS_ROOT, scenario, tempDir } from './fixtures';

test('listPids lists the numeric entries of the root only', () => {
  const pids = new ProcReader(scenario('basic')).listPids().sort((a, b) => a - b);
  assert.deepEqual(pids, [1, 2, 14, 18, 36, 150, 151, 300, 1200, 1300, 1301, 1400, 1500]);
});

test('listPids of a root that does not exist is []', () => {
  assert.deepEqual(new ProcReader('/nonexistent/proctop-test').listPids(), []);
});

test('readArgv reads a 70,000-byte cmdline beyond the 64 KiB buffer whole', () => {
  const reader = new ProcReader(scenario('hostile'));
  assert.equal(reader.readArgv(1013)?.[1]?.length, 70_000);
  // The grown buffer still reads small files right afterwards.
  assert.deepEqual(reader.readArgv(1012), ['((', '))']);
});

test('readText decodes invalid UTF-8 bytes 0xff 0xfe as U+FFFD', () => {
  assert.deepEqual(new ProcReader(scenario('hostile')).readArgv(1006), ['./bad\ufffd\ufffd', 'arg']);
});

test('readArgvExact keeps a copy of the bytes of a non-UTF-8 cmdline, and none for a valid one', () => {
  const reader = new ProcReader(scenario('hostile'));
  const bad = reader.readArgvExact(1006);
  assert.deepEqual(bad?.argv, ['./bad\ufffd\ufffd', 'arg']);
  assert.deepEqual(bad?.invalid, Buffer.from([0x2e, 0x2f, 0x62, 0x61, 0x64, 0xff, 0xfe, 0x00, 0x61, 0x72, 0x67, 0x00]));
  assert.deepEqual(reader.readArgvExact(1008), { argv: ['/usr/bin/日本語プロセス', '--名前=値'], invalid: undefined });
  assert.equal(reader.readArgvExact(99_999), undefined);
});

test('readCommBytes gives comm exactly, from stat, parentheses inside included', () => {
  const reader = new ProcReader(scenario('hostile'));
  assert.deepEqual(reader.readCommBytes(1006), Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x6e, 0x61, 0x6d, 0x65]));
  assert.deepEqual(reader.readCommBytes(1001), Buffer.from('a) R 1 (b'));
});

test('readStat of a pid directory without stat is undefined', () => {
  assert.equal(new ProcReader(scenario('vanish')).readStat(500), undefined);
});

test('readStat of an unparseable stat is undefined', () => {
  assert.equal(new ProcReader(scenario('vanish')).readStat(501), undefined);
});

test('readStat of a stat that is a directory (EISDIR) is undefined', () => {
  assert.equal(new ProcReader(scenario('vanish')).readStat(506), undefined);
});

test('readStatm of a missing statm is undefined', () => {
  assert.equal(new ProcReader(scenario('vanish')).readStatm(502), undefined);
});

test('readArgv of a missing cmdline is undefined, of an empty one []', () => {
  const reader = new ProcReader(scenario('vanish'));
  assert.equal(reader.readArgv(504), undefined);
  assert.deepEqual(new ProcReader(scenario('basic')).readArgv(2), []);
});

test('readStatus reads a fixture status file', () => {
  assert.equal(new ProcReader(scenario('basic')).readStatus(1200)?.uid, 1000);
});

test('readUid of a dangling symlink pid entry is undefined', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  fs.symlinkSync(path.join(dir, 'gone'), path.join(dir, '77'));
  assert.equal(new ProcReader(dir).readUid(77), undefined);
});

test('readSystem of a fixture root parses all four host-wide files', () => {
  const system = new ProcReader(scenario('host')).readSystem();
  assert.deepEqual([system.stat?.bootTime, system.memory?.total, system.loadavg?.load[0], system.uptime],
    [1795782797, 24683620 * 1024, 1.16, 636.71]);
});

test('readSystem of a root that does not exist is all undefined', () => {
  assert.deepEqual(new ProcReader('/nonexistent/proctop-test').readSystem(),
    { stat: undefined, memory: undefined, loadavg: undefined, uptime: undefined, disks: undefined, net: undefined });
});

test('pageSize of a fixture root (no entry for this process) falls back to 4096', () => {
  assert.equal(new ProcReader(scenario('basic')).pageSize(), 4096);
});

test('readPasswd of a missing file is an empty map', () => {
  assert.equal(readPasswd('/nonexistent/proctop-test/passwd').size, 0);
});

test('readText of a file without read permission is undefined', { skip: IS_ROOT && 'running as root: mode 000 does not stop root from reading' }, (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  fs.writeFileSync(path.join(dir, 'secret'), 'x');
  fs.chmodSync(path.join(dir, 'secret'), 0o000);
  assert.equal(new ProcReader(dir).readText('secret'), undefined);
});
