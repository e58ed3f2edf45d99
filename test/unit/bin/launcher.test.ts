/**
 * bin/proctop, the launcher (POSIX sh): it finds bin/proctop.js through npm's symlinks, sets glibc's
 * malloc variables only where the caller did not, passes its V8 flags, hands every argument on
 * unchanged, and bin/proctop.js takes the variables it set out of the environment again.
 * A fake `node` first on PATH prints what it was given; the last test runs the real one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launcherFlags, launcherNodeFlags } from '../../../scripts/launcher-flags';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const LAUNCHER = path.join(ROOT, 'bin', 'proctop');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JavaScript shipped in bin/, no types
const { dropLauncherEnv } = require(path.join(ROOT, 'bin', 'load-bundle.js')) as { dropLauncherEnv(env: NodeJS.ProcessEnv): void };

interface Exec {
  readonly args: string[];
  readonly env: Record<string, string | undefined>;
  /** NODE_EXTRA_CA_CERTS and PROCTOP_SAVED_CA_CERTS as node got them ('unset' when absent). */
  readonly certs: { readonly node: string | undefined; readonly saved: string | undefined };
}

/** Runs `launcher` with a fake node on PATH; returns the argv and the malloc variables node got. */
function launch(t: { after(fn: () => void): void }, launcher: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Exec {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-launcher-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const fake = path.join(dir, 'node');
  // One argument per NUL-terminated record, so spaces and newlines in arguments survive.
  fs.writeFileSync(fake, '#!/bin/sh\nfor a in "$@"; do printf \'%s\\0\' "$a"; done\nprintf \'ENV\\0%s\\0%s\\0%s\\0%s\\0%s\\0\' "${MALLOC_ARENA_MAX-unset}" "${MALLOC_TRIM_THRESHOLD_-unset}" "${PROCTOP_LAUNCHER_ENV-unset}" "${NODE_EXTRA_CA_CERTS-unset}" "${PROCTOP_SAVED_CA_CERTS-unset}"\n', { mode: 0o755 });
  const base: NodeJS.ProcessEnv = { PATH: `${dir}:/usr/bin:/bin` };
  const run = spawnSync(launcher, args, { env: { ...base, ...env }, encoding: 'utf8', timeout: 10_000 });
  assert.equal(run.status, 0, run.stderr);
  const parts = run.stdout.split('\0').slice(0, -1);
  const at = parts.lastIndexOf('ENV');
  const [arena, trim, named, node, saved] = parts.slice(at + 1);
  return { args: parts.slice(0, at), env: { arena, trim, named }, certs: { node, saved } };
}

const ARGS = ['--version', '-d', '10', 'two words', 'a\nnewline', '', '$HOME', '*'];

test('it execs node with its flags, bin/proctop.js and every argument unchanged', (t) => {
  const r = launch(t, LAUNCHER, ARGS);
  assert.deepEqual(r.args, [...launcherNodeFlags(ROOT), path.join(ROOT, 'bin', 'proctop.js'), ...ARGS]);
});

test('serve and record, as the first argument, get their own flags; anywhere else the default ones', (t) => {
  const js = path.join(ROOT, 'bin', 'proctop.js');
  const own = launcherFlags(ROOT).byCommand;
  assert.deepEqual([...own.keys()].sort(), ['record', 'serve']);
  for (const [command, flags] of own) {
    assert.notDeepEqual(flags, launcherNodeFlags(ROOT));
    assert.deepEqual(launch(t, LAUNCHER, [command, '--help']).args, [...flags, js, command, '--help']);
  }
  assert.deepEqual(launch(t, LAUNCHER, ['--once', 'serve']).args, [...launcherNodeFlags(ROOT), js, '--once', 'serve']);
  assert.deepEqual(launch(t, LAUNCHER, ['servers']).args, [...launcherNodeFlags(ROOT), js, 'servers']);
});

test('the real Node takes every command\'s flags without a word on stderr', () => {
  for (const args of [['--version'], ['serve', '--help'], ['record', '--help']]) {
    const run = spawnSync(LAUNCHER, args, { encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.status, 0, `${args.join(' ')}: ${run.stderr}`);
    assert.equal(run.stderr, '', args.join(' '));
    assert.notEqual(run.stdout, '');
  }
});

test('it finds bin/proctop.js through a chain of symlinks, relative and absolute', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-links-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.mkdirSync(path.join(dir, 'lib'));
  fs.symlinkSync(LAUNCHER, path.join(dir, 'lib', 'proctop'));
  fs.symlinkSync('../lib/proctop', path.join(dir, 'bin', 'proctop'));
  const r = launch(t, path.join(dir, 'bin', 'proctop'), ['-d', '5']);
  assert.deepEqual(r.args.slice(-3), [path.join(ROOT, 'bin', 'proctop.js'), '-d', '5']);
});

test('it sets the malloc variables only where the caller did not, and names the ones it set', (t) => {
  assert.deepEqual(launch(t, LAUNCHER, []).env, { arena: '1', trim: '131072', named: 'MALLOC_ARENA_MAX MALLOC_TRIM_THRESHOLD_' });
  assert.deepEqual(launch(t, LAUNCHER, [], { MALLOC_ARENA_MAX: '4' }).env, { arena: '4', trim: '131072', named: 'MALLOC_TRIM_THRESHOLD_' });
  assert.deepEqual(launch(t, LAUNCHER, [], { MALLOC_ARENA_MAX: '', MALLOC_TRIM_THRESHOLD_: '0' }).env, { arena: '', trim: '0', named: '' });
});

test('NODE_EXTRA_CA_CERTS is set aside for every command but serve (Node parses the file as it starts), empty values included', (t) => {
  const certs = { NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/extra ca.pem' };
  assert.deepEqual(launch(t, LAUNCHER, ['--once'], certs).certs, { node: 'unset', saved: '/etc/ssl/certs/extra ca.pem' });
  assert.deepEqual(launch(t, LAUNCHER, ['record', '--help'], certs).certs, { node: 'unset', saved: '/etc/ssl/certs/extra ca.pem' });
  assert.deepEqual(launch(t, LAUNCHER, [], { NODE_EXTRA_CA_CERTS: '' }).certs, { node: 'unset', saved: '' });
  assert.deepEqual(launch(t, LAUNCHER, ['serve', '--help'], certs).certs, { node: '/etc/ssl/certs/extra ca.pem', saved: 'unset' });
  assert.deepEqual(launch(t, LAUNCHER, ['--once']).certs, { node: 'unset', saved: 'unset' });
});

test('dropLauncherEnv puts NODE_EXTRA_CA_CERTS back as the caller set it', () => {
  const env: NodeJS.ProcessEnv = { PROCTOP_SAVED_CA_CERTS: '/x.pem', PATH: '/bin' };
  dropLauncherEnv(env);
  assert.deepEqual(env, { NODE_EXTRA_CA_CERTS: '/x.pem', PATH: '/bin' });
  const empty: NodeJS.ProcessEnv = { PROCTOP_SAVED_CA_CERTS: '' };
  dropLauncherEnv(empty);
  assert.deepEqual(empty, { NODE_EXTRA_CA_CERTS: '' });
});

test('dropLauncherEnv takes out what the launcher named, and nothing else', () => {
  const env: NodeJS.ProcessEnv = { MALLOC_ARENA_MAX: '1', MALLOC_TRIM_THRESHOLD_: '131072', PATH: '/bin', PROCTOP_LAUNCHER_ENV: 'MALLOC_ARENA_MAX PATH' };
  dropLauncherEnv(env);
  assert.deepEqual(env, { MALLOC_TRIM_THRESHOLD_: '131072', PATH: '/bin' });
  const untouched: NodeJS.ProcessEnv = { MALLOC_ARENA_MAX: '1' };
  dropLauncherEnv(untouched);
  assert.deepEqual(untouched, { MALLOC_ARENA_MAX: '1' });
});

test('proctop run by the launcher does not pass the launcher\'s variables on', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-env-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const probe = path.join(dir, 'probe.js');
  // Preloaded by Node before bin/proctop.js; prints the environment proctop's children would get, at exit.
  fs.writeFileSync(probe, "process.on('exit', () => process.stderr.write('ENV ' + JSON.stringify([process.env.MALLOC_ARENA_MAX, process.env.MALLOC_TRIM_THRESHOLD_, process.env.PROCTOP_LAUNCHER_ENV, process.env.NODE_EXTRA_CA_CERTS, process.env.PROCTOP_SAVED_CA_CERTS]) + '\\n'));\n");
  // A certificate file that does not exist: Node would warn on stderr had it been given it at start.
  const certs = path.join(dir, 'no-such-ca.pem');
  const run = spawnSync(LAUNCHER, ['--version'], { env: { ...process.env, NODE_OPTIONS: `--require=${probe}`, MALLOC_ARENA_MAX: '2', NODE_EXTRA_CA_CERTS: certs }, encoding: 'utf8', timeout: 20_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^proctop /);
  // JSON.stringify writes undefined in an array as null.
  assert.equal(run.stderr, `ENV ${JSON.stringify(['2', null, null, certs, null])}\n`);
});
