/**
 * Settings and colour, end to end: the setup screen's choice survives a
 * restart, a corrupt file is kept aside with a warning, NO_COLOR draws no
 * colour, and the portable sampler answers --once --json.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Landscape } from '../helpers/landscape';
import { TmuxSession } from '../helpers/tmux';
import { privateHome } from '../helpers/private-home';

const REPO = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO, 'bin', 'proctop');
const START_MS = 30_000;
const REACT_MS = 15_000;

const land = new Landscape();
const home = privateHome();
after(async () => {
  await land.cleanup();
  home.remove();
});

const configFile = path.join(home.env.XDG_CONFIG_HOME, 'proctop', 'config.json');

function start(args: string[], env: Record<string, string> = {}): TmuxSession {
  return TmuxSession.start([BIN, '-d', '5', ...args], { width: 120, height: 30, cwd: REPO, env: { ...home.env, ...env } });
}

test('a choice made on the setup screen is saved at once and is back after a restart', async (t) => {
  fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
  const first = start([]);
  t.after(() => first.kill());
  await first.waitForText(/PID\s+USER/, START_MS);
  // F2, then Space on the first setting (Tree view), then Esc.
  first.sendKeys('F2');
  await first.waitForText(/Tree view\s+\[ \]/, REACT_MS);
  first.sendKeys('Space');
  await first.waitForText(/Tree view\s+\[x\]/, REACT_MS);
  // Saved as it changed, before any clean quit.
  assert.equal((JSON.parse(fs.readFileSync(configFile, 'utf8')) as { tree: boolean }).tree, true);
  first.sendKeys('Escape');
  // Esc followed at once by q reads as Alt-q: wait for the setup screen to close first.
  await first.waitForScreen((screen) => !/─ Setup ─/.test(screen), REACT_MS, 'the setup screen to close');
  first.sendKeys('q');
  await first.waitForExit(REACT_MS);
  const second = start([]);
  t.after(() => second.kill());
  await second.waitForText(/[├└]─/, START_MS);
  second.sendKeys('q');
  await second.waitForExit(REACT_MS);
});

test('a corrupt config gives a one-line warning, is kept as .bak, and the defaults are used', () => {
  fs.mkdirSync(path.dirname(configFile), { recursive: true });
  fs.writeFileSync(configFile, '{ "tree": tru');
  // --once does not read the config; the TUI does, so run it for one refresh in a pipe-less tmux.
  const r = spawnSync('tmux', ['-L', `proctop-cfg-${process.pid}`, '-f', '/dev/null', 'new-session', '-d', '-x', '100', '-y', '20',
    'env', ...Object.entries(home.env).map(([k, v]) => `${k}=${v}`), BIN, '-n', '1', '-d', '5'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const deadline = Date.now() + START_MS;
  while (!fs.existsSync(`${configFile}.bak`) && Date.now() < deadline) execFileSync('sleep', ['0.1']);
  spawnSync('tmux', ['-L', `proctop-cfg-${process.pid}`, 'kill-server']);
  assert.equal(fs.readFileSync(`${configFile}.bak`, 'utf8'), '{ "tree": tru');
});

test('a config with an invalid field: the warning is on the status line, the defaults are used, the file is kept as .bak', async (t) => {
  fs.mkdirSync(path.dirname(configFile), { recursive: true });
  fs.writeFileSync(configFile, JSON.stringify({ version: 1, tree: 'yes' }));
  // Wide enough for the warning, which names the file.
  const term = TmuxSession.start([BIN, '-d', '5'], { width: 250, height: 30, cwd: REPO, env: home.env });
  t.after(() => term.kill());
  const screen = await term.waitForText(/Settings: .*config\.json: tree: /, START_MS);
  assert.doesNotMatch(screen, /[├└]─/, 'not in tree view: the defaults are used');
  assert.equal(fs.readFileSync(`${configFile}.bak`, 'utf8'), JSON.stringify({ version: 1, tree: 'yes' }));
  term.sendKeys('q');
  await term.waitForExit(REACT_MS);
});

test('NO_COLOR: the screen has attributes but no colour codes', async (t) => {
  fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
  const term = start([], { NO_COLOR: '1' });
  t.after(() => term.kill());
  await term.waitForText(/PID\s+USER/, START_MS);
  const screen = await term.waitForScreen((s) => /Load average/.test(s) && s, REACT_MS, 'a full frame', { escapes: true });
  const colours = [...screen.matchAll(/\x1b\[([0-9;]*)m/g)].flatMap((m) => (m[1] ?? '').split(';')).filter((p) => /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(p)); // 39/49 reset to the default colours
  assert.deepEqual(colours, [], 'SGR colour parameters on a NO_COLOR screen');
  assert.match(screen, /\x1b\[[0-9;]*7[0-9;]*m/, 'the selection and column header still stand out (inverse)');
});

// systeminformation.processes() puts every pid on one command line: E2BIG past a few thousand processes.
const CROWDED = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length > 3000;

test('--sampler portable --once --json lists a spawned process with pid, ppid, name and a numeric cpu', { skip: CROWDED && 'more than 3,000 processes: systeminformation.processes() fails with E2BIG' }, async () => {
  const pid = await land.sleeper();
  const out = execFileSync(BIN, ['--sampler', 'portable', '--once', '--json', '-d', '10', '-p', String(pid)], {
    encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...home.env },
  });
  const doc = JSON.parse(out) as { processes: { pid: number; ppid: number; name: string; cpu: unknown }[] };
  const p = doc.processes.find((x) => x.pid === pid);
  assert.ok(p, `pid ${pid} in ${out.slice(0, 400)}`);
  assert.equal(p.ppid, process.pid);
  assert.equal(p.name, 'sleep');
  assert.equal(typeof p.cpu, 'number');
});
