/**
 * The single-file build (`npm run dist`, issue 16): the executable copied alone into an empty
 * directory and run with an environment whose PATH is only that directory (`env -i`), so no
 * `node` can be found: `--once --json` lists a process this test started, the TUI starts in a
 * real terminal and quits giving the terminal back, `record` writes a store, and a crash stack
 * is mapped to the TypeScript source through the map the executable carries.
 *
 * Builds with `node dist/scripts/sea.js` (what `npm run dist` runs after `npm run build`;
 * `npm test` has just built, and rebuilding dist/ would pull it from under the running tests).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Landscape } from '../helpers/landscape';
import { TmuxSession } from '../helpers/tmux';
import { waitFor } from '../helpers/wait';

const REPO = path.resolve(__dirname, '..', '..', '..');
/** First frame: start-up and a /proc scan on a loaded 2-core machine. */
const START_MS = 60_000;
const REACT_MS = 30_000;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-single-file-'));
/** The empty directory that holds only the executable, and is all of PATH. */
const bare = path.join(scratch, 'bare');
const exe = path.join(bare, 'proctop');
/** XDG directories for the TUI and the recorder (env -i leaves no HOME: they would fall back to the passwd home). */
const xdg = path.join(scratch, 'xdg');
const land = new Landscape();
const sessions: TmuxSession[] = [];

before(() => {
  const started = Date.now();
  const r = spawnSync(process.execPath, [path.join(REPO, 'dist', 'scripts', 'sea.js')], { cwd: REPO, encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  process.stdout.write(`# single-file build: ${r.stdout.trim()} (test measured ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  fs.mkdirSync(bare);
  fs.mkdirSync(xdg);
  fs.copyFileSync(path.join(REPO, 'dist', 'sea', 'proctop'), exe);
  fs.chmodSync(exe, 0o755);
});

after(async () => {
  try {
    await Promise.allSettled(sessions.map((s) => s.kill()));
    await land.cleanup();
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  }
});

/** Runs the executable by name with nothing but PATH=<its directory> (and XDG dirs) in the environment. */
function bareRun(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('proctop', args, { cwd: bare, env: { PATH: bare, XDG_CONFIG_HOME: xdg, XDG_STATE_HOME: xdg }, encoding: 'utf8', input: '', timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return r;
}

test('no node on PATH: the directory holds the executable alone', () => {
  assert.deepEqual(fs.readdirSync(bare), ['proctop']);
  assert.notEqual(spawnSync('sh', ['-c', 'command -v node'], { env: { PATH: bare } }).status, 0);
});

test('--version says it is the single-file build, with its commit', () => {
  const r = bareRun('--version');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^proctop \d+\.\d+\.\d+\S* \(commit ([0-9a-f]{12}(\+dirty)?|unknown); single-file build, Node [\d.]+ inside\)\n$/);
});

test('--once --json parses and lists a process this test started', async () => {
  const pid = await land.sleeper();
  const r = bareRun('--once', '--json', '-d', '1');
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { processes?: { pid: number; ppid: number; command: string }[] };
  assert.ok(Array.isArray(doc.processes), 'a processes array');
  assert.deepEqual(doc.processes.filter((p) => p.pid === pid).map((p) => [p.ppid, p.command]), [[process.pid, 'sleep 1000']]);
});

test('the TUI starts in a terminal and q gives the terminal back (main screen, cursor, echo, canonical mode)', async () => {
  const stty = path.join(scratch, 'stty');
  // The shell waits for a line after proctop, so the pane (and its cursor state) is alive when checked.
  const script = `env -i PATH="$1" TERM=xterm-256color XDG_CONFIG_HOME="$2" XDG_STATE_HOME="$2" proctop -d 5; echo "EXIT=$?"; stty -a > "$3"; printf 'TYPE>'; read line`;
  const term = TmuxSession.start(['sh', '-c', script, 'sh', bare, xdg, stty], { width: 120, height: 40, cwd: bare });
  sessions.push(term);
  await term.waitForText(/PID\s+USER.*\n\s*\d+ /, START_MS);
  assert.equal(term.alternateOn(), true, 'draws on the alternate screen');
  term.sendKeys('q');
  await term.waitForText(/EXIT=0\n.*TYPE>/, REACT_MS, { history: true });
  assert.equal(term.alternateOn(), false, 'the main screen is back');
  assert.equal(term.cursorVisible(), true, 'the cursor shows');
  term.sendKeys('Enter');
  assert.deepEqual(await term.waitForExit(REACT_MS), { status: 0, signal: undefined });
  const flags = new Set(fs.readFileSync(stty, 'utf8').split(/[\s;]+/));
  for (const flag of ['echo', 'icanon', 'isig', 'icrnl', 'opost', 'onlcr']) assert.ok(flags.has(flag), `${flag} is set`);
});

test('a crash stack names the TypeScript file and line (the map is inside the executable)', async () => {
  const script = `env -i PATH="$1" TERM=xterm-256color XDG_CONFIG_HOME="$2" XDG_STATE_HOME="$2" PROCTOP_TEST_CRASH_AFTER_MS=1500 proctop -d 5; echo "EXIT=$?"`;
  const term = TmuxSession.start(['sh', '-c', script, 'sh', bare, xdg], { width: 160, height: 40, cwd: bare });
  sessions.push(term);
  const screen = await term.waitForText(/EXIT=\d+/, START_MS, { history: true });
  assert.match(screen, /EXIT=1/);
  assert.match(screen, /proctop: .*test crash/);
  assert.match(screen, /at .*\(src\/cli\/interactive\.ts:\d+:\d+\)/, screen);
});

test('record writes a store, and SIGTERM ends it with status 0', async () => {
  const dir = path.join(scratch, 'store');
  const child = spawn('proctop', ['record', '--dir', dir, '--interval', '1'], { cwd: bare, env: { PATH: bare }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await waitFor(() => fs.existsSync(dir) && fs.readdirSync(dir).some((f) => fs.statSync(path.join(dir, f)).size > 0), REACT_MS, 'a non-empty file in the store');
  } finally {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
  }
  assert.equal(await exited, 0, stderr);
  assert.equal(stderr, '');
});
