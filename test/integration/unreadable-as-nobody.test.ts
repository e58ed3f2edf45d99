/**
 * Unreadable files for real: the unit tests' mode-000 cases skip when run as root (root reads
 * anything), and CI runs as root. Here a copy of the `basic` fixture with a mode-000 pid
 * directory, a mode-000 cmdline and a mode-000 statm is sampled by the compiled Sampler running
 * as `nobody` (setpriv): no throw, the hidden process is skipped, the others are listed with
 * the unreadable fields unknown.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { findExecutable } from '../helpers/landscape-tools';
import { scenario } from '../unit/procfs/fixtures';

const execFileP = promisify(execFile);
const AS_NOBODY = ['--reuid=nobody', '--regid=nogroup', '--clear-groups'];

interface Row { pid: number; command: string; shared: number | null; rss: number }

test('as nobody, mode-000 files and directories leave fields unknown or the process out, never an error', async (t) => {
  const setpriv = findExecutable('setpriv');
  if (process.getuid?.() !== 0 || setpriv === undefined) return t.skip(setpriv === undefined ? 'setpriv is not installed' : 'needs root to switch to nobody');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-nobody-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.chmodSync(dir, 0o755);
  // The compiled sources (this file runs from dist/test/integration), readable by nobody.
  fs.cpSync(path.join(__dirname, '..', '..', 'src'), path.join(dir, 'src'), { recursive: true });
  const root = path.join(dir, 'proc');
  fs.cpSync(scenario('basic'), root, { recursive: true });
  const pids = fs.readdirSync(root).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
  // User processes (a command line, memory): kernel threads have neither to lose.
  const user = pids.filter((p) => p !== 1 && fs.existsSync(path.join(root, String(p), 'statm')) && fs.statSync(path.join(root, String(p), 'cmdline')).size > 0);
  const [hidden, noCmdline, noStatm] = user;
  assert.ok(hidden && noCmdline && noStatm, `three user processes in the fixture: ${user.join(',')}`);
  fs.chmodSync(path.join(root, String(hidden)), 0o000);
  fs.chmodSync(path.join(root, String(noCmdline), 'cmdline'), 0o000);
  fs.chmodSync(path.join(root, String(noStatm), 'statm'), 0o000);
  const script = `
    const { Sampler } = require(process.argv[1] + '/src/sampler/sampler.js');
    const s = new Sampler({ root: process.argv[2], passwdPath: process.argv[2] + '/passwd', threads: false, now: Date.now, pageSize: 4096 });
    s.sample(); // SHR is read from the second scan on
    const snap = s.sample();
    process.stdout.write(JSON.stringify(snap.processes.map((p) => ({ pid: p.pid, command: p.command, shared: p.shared ?? null, rss: p.rss }))));`;
  const probe = spawnSync(setpriv, [...AS_NOBODY, 'test', '-r', path.join(dir, 'src', 'sampler', 'sampler.js')]);
  if (probe.status !== 0) return t.skip('nobody cannot read the temporary copy');
  const { stdout, stderr } = await execFileP(setpriv, [...AS_NOBODY, process.execPath, '-e', script, dir, root], { cwd: dir, timeout: 20_000 });
  assert.equal(stderr, '');
  const rows = JSON.parse(stdout) as Row[];
  const byPid = new Map(rows.map((r) => [r.pid, r]));
  assert.equal(byPid.has(hidden), false, 'a mode-000 pid directory is skipped, as hidepid hides it');
  const comm = /\((.*)\)/.exec(fs.readFileSync(path.join(root, String(noCmdline), 'stat'), 'latin1'))?.[1];
  assert.equal(byPid.get(noCmdline)?.command, `[${comm}]`, 'an unreadable cmdline shows [comm]');
  assert.equal(byPid.get(noStatm)?.shared, null, 'an unreadable statm leaves SHR unknown');
  assert.ok((byPid.get(noCmdline)?.shared ?? 0) > 0, 'a readable statm gives SHR');
  assert.ok((byPid.get(noStatm)?.rss ?? 0) > 0, 'the rest of that process is read (RSS from stat)');
  assert.equal(rows.length, pids.length - 1);
});
