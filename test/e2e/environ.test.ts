/**
 * The environment view (e, issue 10 item 15) in the real binary under tmux at 80×24: a child of
 * ours started with escape sequences, invalid UTF-8-free wide text and a bidi override in its
 * environment shows them as visible escapes (the pane title is not changed, nothing is cleared);
 * as nobody (setpriv), root's process's environment is "Permission denied". Children are killed
 * by pid at the end (test/helpers/cleanup.ts).
 */
import { test, after, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { onCleanup } from '../helpers/cleanup';
import { uniqueMarker, waitFor } from '../helpers/landscape';
import { findExecutable, sleepBinary } from '../helpers/landscape-tools';
import { privateHome, PrivateHome } from '../helpers/private-home';
import { parseScreen, rowPid, ScreenTable } from '../helpers/screen';
import { TmuxSession } from '../helpers/tmux';

const REPO = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO, 'bin', 'proctop');
const START_MS = 60_000;
const REACT_MS = 30_000;
const sessions: TmuxSession[] = [];
const homes: PrivateHome[] = [];
after(async () => {
  for (const s of sessions) await s.kill();
  for (const h of homes) h.remove();
});

/** A `sleep 1000` whose argv[0] is `marker` (found by the filter), with `env` as its whole environment. */
async function sleeperWithEnv(marker: string, env: Record<string, string>): Promise<number> {
  const child = spawn(sleepBinary(), ['1000'], { argv0: marker, env, stdio: 'ignore' });
  const pid = child.pid;
  assert.ok(pid !== undefined, 'sleep started');
  const stop = onCleanup(`environ e2e sleep ${pid}`, () => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  after(stop);
  await waitFor(() => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(marker), 10_000, `PID ${pid} running as ${marker}`);
  return pid;
}

function start(t: TestContext, argv: readonly string[], env?: Record<string, string>): TmuxSession {
  const term = TmuxSession.start(argv, { width: 80, height: 24, cwd: REPO, freshXdg: env === undefined, env });
  sessions.push(term);
  t.after(() => term.kill());
  return term;
}

async function filterTo(term: TmuxSession, marker: string, pid: number): Promise<void> {
  await term.waitForScreen((s) => /F10\s*Quit/.test(s) && /PID/.test(s), START_MS, 'the first frame');
  term.sendKeys('\\');
  await term.waitForText(/^Filter: _?/m, REACT_MS);
  term.pasteText(marker);
  await term.waitForText(new RegExp(`^Filter: ${marker}`, 'm'), REACT_MS);
  term.sendKeys('Enter');
  await term.waitForScreen((s) => {
    const table: ScreenTable | undefined = parseScreen(s);
    return table !== undefined && table.rows.length === 1 && rowPid(table.header, table.rows[0] ?? '') === pid;
  }, REACT_MS, `the table filtered to PID ${pid}`);
}

test('e shows the environment with escape sequences, a bidi override and wide text as visible text', async (t) => {
  const marker = uniqueMarker('ptEnv');
  const pid = await sleeperWithEnv(marker, { EVIL: '\x1b]0;pwned\x07\x1b[2J\x1b[31mRED', BIDI: '\u202eabc', WIDE: '日本語', PLAIN: 'ok' });
  const term = start(t, [BIN, '-d', '5']);
  term.setTitle('environ-e2e');
  await filterTo(term, marker, pid);
  term.sendKeys('e');
  const screen = await term.waitForText(/Environment of PID/, REACT_MS);
  assert.match(screen, /4 variables/);
  assert.match(screen, /EVIL=\\x1b]0;pwned\\x07\\x1b\[2J\\x1b\[31mRED/);
  assert.match(screen, /BIDI=\\u202eabc/);
  assert.match(screen, /WIDE=日本語/);
  assert.match(screen, /PLAIN=ok/);
  assert.equal(term.paneTitle(), 'environ-e2e', 'the OSC in the environment did not retitle the pane');
  term.sendKeys('Escape');
  await term.waitForScreen((s) => !/Environment of PID/.test(s) && /F10\s*Quit/.test(s), REACT_MS, 'the table again');
});

test('as nobody, e on root\'s process says permission denied', async (t) => {
  const setpriv = findExecutable('setpriv');
  if (process.getuid?.() !== 0 || setpriv === undefined) return t.skip(setpriv === undefined ? 'setpriv is not installed' : 'needs root to switch to nobody');
  const probe = spawnSync(setpriv, ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '-e', `require(${JSON.stringify(path.join(REPO, 'dist', 'src', 'cli.js'))})`], { encoding: 'utf8' });
  if (probe.status !== 0) return t.skip(`nobody cannot load this checkout: ${probe.stderr.trim().split('\n')[0] ?? ''}`);
  const marker = uniqueMarker('ptEnvRoot');
  const pid = await sleeperWithEnv(marker, { SECRET: 'root-only' });
  const home = privateHome();
  homes.push(home);
  fs.chmodSync(home.dir, 0o777);
  const term = start(t, [setpriv, '--reuid=nobody', '--regid=nogroup', '--clear-groups', BIN, '-d', '5'], { ...home.env });
  await filterTo(term, marker, pid);
  term.sendKeys('e');
  const screen = await term.waitForText(/Permission denied/, REACT_MS);
  assert.match(screen, new RegExp(`Environment of PID ${pid}`));
  assert.match(screen, /Permission denied: only the process's owner and root may read/);
  assert.doesNotMatch(screen, /root-only/);
});
