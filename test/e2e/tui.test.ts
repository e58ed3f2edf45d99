/**
 * End-to-end tests of the interactive monitor: the real bin/proctop in a real terminal (tmux,
 * one private server per test), against real processes started by the Landscape helper.
 * Every wait polls with a timeout; no test sleeps a fixed time.
 */
import { test, after, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Landscape, procState, uniqueMarker, waitFor } from '../helpers/landscape';
import { findExecutable } from '../helpers/landscape-tools';
import { childrenOf, readCmdline, readStat, readStatusField } from '../helpers/proc-read';
import { TmuxSession } from '../helpers/tmux';
import { PrivateHome, privateHome } from '../helpers/private-home';
import { commandCell, firstFrame, guideColumn, parseScreen, rightCell, rowPid, ScreenTable, screenLines, sortMark } from '../helpers/screen';

const REPO = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO, 'bin', 'proctop');
const WIDTH = 120;
const HEIGHT = 40;
/** First frame: node start-up, blessed and a /proc scan on a loaded 2-core machine. */
const START_MS = 20_000;
/** A reaction to a key or a resize (one render, no /proc scan needed). */
const REACT_MS = 10_000;
/** A change that shows only after the next /proc scan (slower, and backed off, under load). */
const SCAN_MS = 20_000;

const land = new Landscape();
const sessions: TmuxSession[] = [];
/** Throw-away homes for proctops started outside tmux (TmuxSession gives each its own XDG dirs). */
const homes: PrivateHome[] = [];
function freshHome(): PrivateHome {
  const home = privateHome();
  homes.push(home);
  return home;
}

after(async () => {
  const results = await Promise.allSettled([...sessions.map((s) => s.kill()), land.cleanup()]);
  const errors = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => String(r.reason));
  for (const home of homes) {
    try {
      home.remove();
    } catch (err) {
      errors.push(String(err));
    }
  }
  if (errors.length > 0) throw new Error(errors.join('\n'));
});

/** Starts `argv` in a fresh 120×40 tmux session, killed when the test ends (and again in after()). */
function terminal(t: TestContext, argv: readonly string[], env?: Readonly<Record<string, string>>): TmuxSession {
  // Fresh XDG config and state directories (the harness's default): no test reads or writes
  // the user's settings or action log, and none sees what an earlier test saved (a sort or tree
  // toggled with a key is saved at once).
  const term = TmuxSession.start(argv, { width: WIDTH, height: HEIGHT, cwd: REPO, freshXdg: true, env });
  sessions.push(term);
  t.after(() => term.kill());
  return term;
}

/** `node bin/proctop -d 5 …args` in a fresh terminal. */
function proctop(t: TestContext, ...args: string[]): TmuxSession {
  return terminal(t, [BIN, '-d', '5', ...args]);
}

function ready(term: TmuxSession): Promise<ScreenTable> {
  return term.waitForScreen(firstFrame, START_MS, 'the first frame (Tasks:, column header, rows, F-key bar)');
}

/** Waits until the table (not a dialog or prompt) satisfies `check`. */
function waitForTable<T>(term: TmuxSession, what: string, check: (table: ScreenTable, screen: string) => T | undefined | false): Promise<T> {
  return term.waitForScreen((s) => {
    const table = parseScreen(s);
    return table !== undefined && check(table, s);
  }, REACT_MS, what);
}

/** Waits until the table, after a later /proc scan, satisfies `check`. */
function waitForScan<T>(term: TmuxSession, what: string, check: (table: ScreenTable, screen: string) => T | undefined | false): Promise<T> {
  return term.waitForScreen((s) => {
    const table = parseScreen(s);
    return table !== undefined && check(table, s);
  }, SCAN_MS, what);
}

/** Rows of the table whose PID is `pid`. */
const rowsOf = (table: ScreenTable, pid: number): string[] => table.rows.filter((r) => rowPid(table.header, r) === pid);

/** `\` marker Enter: waits until the table holds exactly the one row of `pid`; returns that table. */
async function filterTo(term: TmuxSession, marker: string, pid: number): Promise<ScreenTable> {
  term.sendKeys('\\');
  await term.waitForText(/^Filter: _?/m, REACT_MS);
  // Pasted, not typed with send-keys: the marker must not show up in a tmux client's argv.
  term.pasteText(marker);
  await term.waitForText(new RegExp(`^Filter: ${marker}`, 'm'), REACT_MS);
  term.sendKeys('Enter');
  return waitForTable(term, `the filtered table to hold only PID ${pid}`, (table) =>
    /F1\s*Help/.test(table.footer) && table.rows.length === 1 && rowPid(table.header, table.rows[0] ?? '') === pid && table);
}

/** A fresh `sleep 1000` with a unique argv, and proctop filtered down to it (its one row selected). */
async function onlySleeper(t: TestContext, env?: Readonly<Record<string, string>>): Promise<{ term: TmuxSession; pid: number; marker: string; table: ScreenTable }> {
  const marker = uniqueMarker('ptE2E');
  const pid = await land.sleeper(marker);
  const term = terminal(t, [BIN, '-d', '5'], env);
  await ready(term);
  const table = await filterTo(term, marker, pid);
  return { term, pid, marker, table };
}

/** k, the signal number typed, Enter, y; waits for the status line and returns it. */
async function sendSignal(term: TmuxSession, pid: number, number: number, name: string): Promise<string> {
  term.sendKeys('k');
  await term.waitForText(/Send signal/, REACT_MS);
  for (const digit of String(number)) term.sendKeys(digit);
  await term.waitForText(new RegExp(`Send signal: ${number}\\b`), REACT_MS);
  // Enter only opens the confirmation (it once also answered it: blessed reports Return twice).
  term.sendKeys('Enter');
  await term.waitForScreen((s) => new RegExp(`${name}\\b`).test(s) && new RegExp(`│\\s*${pid}\\s`).test(s) && /y\/Enter/.test(s), REACT_MS, `the ${name} confirmation naming PID ${pid}`);
  term.sendKeys('y');
  return waitForTable(term, `the status line to report ${name} sent`, (table) => new RegExp(`${name}.*\\bsent\\b`).test(table.status) && table.status.trim());
}

test('the first frame has the meters, the column header and the F-key bar', async (t) => {
  const term = proctop(t);
  const table = await ready(term);
  const screen = term.capture();
  assert.match(screen, /Tasks: \d+/);
  assert.match(screen, /Load average: [\d.]+ [\d.]+ [\d.]+/);
  for (const title of ['PID', 'USER', 'CPU%', 'MEM%', 'Command']) assert.match(table.header, new RegExp(`(^|\\s)${title}`), `column ${title}`);
  assert.equal(sortMark(table.header, 'CPU%'), '▽', 'CPU% is the default sort column, high first');
  assert.match(table.footer, /^F1\s*Help\b.*F3\s*Search.*F4\s*Filter.*F5\s*Tree.*F6\s*SortBy.*F7\s*Nice-.*F8\s*Nice\+.*F9\s*Kill.*F10\s*Quit/);
  assert.equal(screenLines(screen).length, HEIGHT);
  // A 40-line terminal shows far more than a handful of processes.
  assert.ok(table.rows.length >= 20, `only ${table.rows.length} rows:\n${screen}`);
  assert.ok(table.rows.every((r) => rowPid(table.header, r) !== undefined), `a row without a PID:\n${screen}`);
});

test('M sorts by MEM%, high first', async (t) => {
  const term = proctop(t);
  await ready(term);
  term.sendKeys('M');
  const mems = await waitForTable(term, 'MEM%▽ in the header and non-increasing MEM% in the first rows', (table) => {
    if (sortMark(table.header, 'MEM%') !== '▽' || sortMark(table.header, 'CPU%') !== '') return false;
    const values = table.rows.slice(0, 15).map((r) => Number(rightCell(table.header, r, 'MEM%')));
    return values.length >= 10 && values.every(Number.isFinite) && values.every((v, i) => i === 0 || v <= (values[i - 1] as number)) && values;
  });
  assert.ok((mems[0] ?? 0) > 0, `the biggest process uses some memory: ${mems.join(' ')}`);
});

test('g draws the CPU and memory history graph (blessed-contrib\'s line chart, loaded on first use); g again hides it', async (t) => {
  const term = proctop(t);
  await ready(term);
  term.sendKeys('g');
  // The label, both legend entries and braille dots of the plotted lines (U+2800-U+28FF, blank cell U+2800 aside).
  await term.waitForScreen((s) => /CPU % \/ Mem %/.test(s) && /\bcpu\b/.test(s) && /\bmem\b/.test(s) && /[\u2801-\u28ff]/.test(s), SCAN_MS, 'the graph with its legend and plotted lines');
  term.sendKeys('g');
  await waitForTable(term, 'the table without the graph', (table, s) => !/CPU % \/ Mem %/.test(s) && table.rows.length >= 20);
});

test('t shows a 3-level chain nested under its parent', async (t) => {
  const chain = await land.chain(3);
  const term = proctop(t, '-p', chain.join(','));
  await ready(term);
  const list = await waitForTable(term, 'the three chain processes in list view', (table) => table.rows.length === 3 && table);
  assert.deepEqual(list.rows.map((r) => rowPid(list.header, r)).sort((a, b) => (a ?? 0) - (b ?? 0)), [...chain].sort((a, b) => a - b));
  assert.ok(list.rows.every((r) => guideColumn(list.header, r) < 0), 'no tree guides in list view');
  term.sendKeys('t');
  const nested = await waitForTable(term, `PIDs ${chain.join(' → ')} on consecutive rows with deeper guides`, (table) => {
    const at = chain.map((pid) => table.rows.findIndex((r) => rowPid(table.header, r) === pid));
    if (at.some((i) => i < 0) || at[1] !== (at[0] as number) + 1 || at[2] !== (at[1] as number) + 1) return false;
    const rows = at.map((i) => table.rows[i] as string);
    const guides = rows.map((r) => guideColumn(table.header, r));
    return guides[0] !== undefined && guides[0] >= 0 && (guides[1] ?? -1) > guides[0] && (guides[2] ?? -1) > (guides[1] ?? -1) && { table, rows };
  });
  // Each of the lower two is the only child of the one above. When the test runs deep in a process
  // tree (CI runners nest), the guides are shifted left behind a "…" and the commands still show.
  for (const row of nested.rows.slice(1)) assert.match(commandCell(nested.table.header, row), /^…?[│ ]*└─ /);
  assert.match(commandCell(nested.table.header, nested.rows[2] ?? ''), /└─ sleep 1000$/);
  assert.match(nested.table.status, /Tree view/);
});

test('F1 on an 80×24 terminal: the help scrolls to its last binding and Esc closes it', async (t) => {
  const term = TmuxSession.start([BIN, '-d', '5'], { width: 80, height: 24, cwd: REPO, freshXdg: true });
  sessions.push(term);
  t.after(() => term.kill());
  await term.waitForText(/F10\s*Quit/, START_MS);
  term.sendKeys('F1');
  const first = await term.waitForText(/scroll \(1–\d+ of \d+\)/, REACT_MS);
  assert.match(first, /Select the process above/);
  assert.doesNotMatch(first, /States: R running/, 'the last line is not on the first page of a 24-line screen');
  term.sendKeys('End');
  const last = await term.waitForText(/States: R running/, REACT_MS);
  assert.match(last, /Raise priority|Lower priority|Quit/, 'the bindings at the end of the keymap are reachable');
  term.sendKeys('Escape');
  await term.waitForScreen((s) => !/proctop help/.test(s) && /F10\s*Quit/.test(s) && s, REACT_MS, 'the help to close');
});

test('l hands the selected process to lsof (through less when installed), then proctop comes back', async (t) => {
  if (findExecutable('lsof') === undefined) return t.skip('lsof is not installed (.ci/run installs it)');
  // A common $LESS: -F would quit less at the end of a short list, and the list with it.
  const { term, pid } = await onlySleeper(t, { LESS: '-FRX' });
  term.sendKeys('l');
  // lsof ran on the terminal itself: its header and the process's cwd line, in less or above the pause.
  const shown = await term.waitForScreen((s) => /^COMMAND\s+PID\s+USER\s+FD/m.test(s) && /\(END\)|press Enter to return to proctop/.test(s) && s, REACT_MS, 'lsof output in less or before the pause');
  assert.match(shown, new RegExp(`^\\S+\\s+${pid}\\s+root\\s+cwd`, 'm'), 'lsof listed the selected process');
  const inLess = /\(END\)/.test(shown);
  // $LESS=-FRX (common) must not make less quit at the end of a short list: it is still there.
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.match(term.capture(), inLess ? /\(END\)/ : /press Enter/);
  term.sendKeys(inLess ? 'q' : 'Enter');
  await waitForTable(term, 'proctop back, saying lsof exited', (table) => /lsof exited; back in proctop/.test(table.status) && table);
});

test('s hands the selected process to strace; Ctrl-C stops strace (not proctop), the process runs on untraced', async (t) => {
  if (findExecutable('strace') === undefined) return t.skip('strace is not installed (.ci/run installs it)');
  const { term, pid } = await onlySleeper(t);
  term.sendKeys('s');
  await term.waitForText(new RegExp(`strace: Process ${pid} attached`), REACT_MS);
  await waitFor(() => readStatusField(pid, 'TracerPid') !== '0', REACT_MS, `PID ${pid} to be traced`);
  term.sendKeys('C-c');
  const paused = await term.waitForText(/\[strace exited with status \d+; press Enter to return to proctop\]/, REACT_MS);
  assert.match(paused, new RegExp(`Process ${pid} detached`));
  term.sendKeys('Enter');
  await waitForTable(term, 'proctop back, saying strace exited', (table) => /strace exited; back in proctop/.test(table.status) && table);
  // Detached cleanly: not traced any more, not left stopped.
  await waitFor(() => readStatusField(pid, 'TracerPid') === '0', REACT_MS, `PID ${pid} to be untraced`);
  // Right after the detach it may be R for a moment on its way back into nanosleep; never T or t.
  await waitFor(() => procState(pid) === 'S', REACT_MS, `PID ${pid} to sleep again (state ${procState(pid) ?? 'gone'})`);
});

/** A process that has ended: gone, its pid reused, or a zombie waiting to be reaped (it runs nothing, holds no terminal). */
function ended(id: { pid: number; starttime: number }): boolean {
  const now = readStat(id.pid);
  return now === undefined || now.starttime !== id.starttime || now.state === 'Z';
}

for (const signal of ['SIGHUP', 'SIGTERM'] as const) test(`${signal} to proctop while strace has the terminal: strace and its sh wrapper end too, the shell gets the next line whole`, async (t) => {
  if (findExecutable('strace') === undefined) return t.skip('strace is not installed (.ci/run installs it)');
  const marker = uniqueMarker('ptE2E');
  const pid = await land.sleeper(marker);
  // Started from a shell, as a user does: proctop is not the session leader, so its exit hangs up nothing.
  const after = 'echo "EXIT=$?"; printf "TYPE>"; read line; echo "GOT[$line]"';
  const term = terminal(t, ['sh', '-c', `"$@"; ${after}`, 'sh', BIN, '-d', '5']);
  await ready(term);
  await filterTo(term, marker, pid);
  const proctopPid = await waitFor(() => childrenOf(term.panePid()).find((k) => /bin\/proctop/.test(readCmdline(k)?.toString('latin1') ?? '')) ?? false, REACT_MS, 'proctop under the shell');
  term.sendKeys('s');
  await term.waitForText(new RegExp(`strace: Process ${pid} attached`), REACT_MS);
  const tracer = await waitFor(() => Number(readStatusField(pid, 'TracerPid') ?? '0') || false, REACT_MS, `PID ${pid} to be traced`);
  const wrapper = readStat(tracer)?.ppid ?? 0;
  assert.equal(readStat(wrapper)?.ppid, proctopPid, `strace ${tracer} runs under proctop's wrapper ${wrapper}`);
  assert.equal(readStat(wrapper)?.comm.toString('latin1'), 'sh');
  const ids = [tracer, wrapper].map((p) => ({ pid: p, starttime: readStat(p)?.starttime ?? -1 }));
  // Killed by pid in cleanup if they outlive this test (they did before the fix).
  for (const id of ids) land.track(id.pid);
  process.kill(proctopPid, signal);
  await term.waitForText(/EXIT=0/, SCAN_MS, { history: true });
  await waitFor(() => ids.every(ended), REACT_MS, `strace (PID ${tracer}) and its sh wrapper (PID ${wrapper}) to end with proctop`);
  await waitFor(() => readStatusField(pid, 'TracerPid') === '0', REACT_MS, `PID ${pid} to be untraced`);
  await waitFor(() => procState(pid) === 'S', REACT_MS, `PID ${pid} to sleep again (state ${procState(pid) ?? 'gone'})`);
  // Nothing left reading the terminal: the shell's read gets the whole line.
  await term.waitForText(/TYPE>/, REACT_MS, { history: true });
  term.sendText('typed');
  term.sendKeys('Enter');
  await term.waitForText(/GOT\[typed\]/, REACT_MS, { history: true });
});

test('\\ marker Enter filters the table down to the one matching process', async (t) => {
  const { marker, table } = await onlySleeper(t);
  assert.equal(table.rows.length, 1);
  assert.equal(table.rows.filter((r) => r.includes(marker)).length, 1);
  assert.match(commandCell(table.header, table.rows[0] ?? ''), new RegExp(`^${marker} 1000$`));
  assert.match(table.status, new RegExp(`Filter: ${marker}`));
});

test('k 9 Enter y kills the selected process', async (t) => {
  const { term, pid } = await onlySleeper(t);
  const status = await sendSignal(term, pid, 9, 'SIGKILL');
  assert.match(status, new RegExp(`\\b${pid}\\b`));
  // Our own child: node reaps it, so it leaves /proc entirely.
  await waitFor(() => procState(pid) === undefined, REACT_MS, `PID ${pid} to be gone from /proc`);
  await waitForScan(term, 'the killed process to leave the filtered table', (table) => rowsOf(table, pid).length === 0);
});

/** setpriv arguments that run a command as nobody. */
const AS_NOBODY = ['--reuid=nobody', '--regid=nogroup', '--clear-groups'];

test('as nobody: a root process is listed, a signal to it says permission denied, its details say what cannot be read', async (t) => {
  const setpriv = findExecutable('setpriv');
  if (process.getuid?.() !== 0 || setpriv === undefined) return t.skip(setpriv === undefined ? 'setpriv is not installed' : 'needs root to switch to nobody');
  // nobody must be able to read this checkout (a private clone directory would stop it).
  const probe = spawnSync(setpriv, [...AS_NOBODY, process.execPath, '-e', `require(${JSON.stringify(path.join(REPO, 'dist', 'src', 'cli.js'))})`], { encoding: 'utf8' });
  if (probe.status !== 0) return t.skip(`nobody cannot load this checkout: ${probe.stderr.trim().split('\n')[0] ?? ''}`);
  const marker = uniqueMarker('ptE2E');
  const pid = await land.sleeper(marker);
  const home = freshHome();
  fs.chmodSync(home.dir, 0o777); // nobody's settings and action log go here
  const term = TmuxSession.start([setpriv, ...AS_NOBODY, BIN, '-d', '5'], { width: WIDTH, height: HEIGHT, cwd: REPO, env: home.env, freshXdg: false });
  sessions.push(term);
  t.after(() => term.kill());
  await ready(term);
  const table = await filterTo(term, marker, pid);
  assert.match(table.rows[0] ?? '', /\broot\b/, 'the root-owned sleep is listed with its user');
  term.sendKeys('k');
  await term.waitForText(/Send signal/, REACT_MS);
  term.sendKeys('1', '5');
  await term.waitForText(/Send signal: 15\b/, REACT_MS);
  term.sendKeys('Enter');
  await term.waitForText(/y\/Enter/, REACT_MS);
  term.sendKeys('y');
  const status = await waitForTable(term, 'the status line to say permission denied', (tb) => /permission denied/.test(tb.status) && tb.status.trim());
  assert.match(status, new RegExp(`\\b${pid}\\b`));
  assert.equal(procState(pid), 'S', 'the sleep is untouched');
  // The details panel shows what nobody may read, and says which fields it may not.
  term.sendKeys('Enter');
  await term.waitForText(/command:/, REACT_MS);
  await term.waitForText(/permission denied/, REACT_MS);
  term.sendKeys('Escape');
});

test('SIGSTOP (19) then SIGCONT (18) from the dialog stop and continue a process', async (t) => {
  const { term, pid } = await onlySleeper(t);
  await sendSignal(term, pid, 19, 'SIGSTOP');
  await waitFor(() => procState(pid) === 'T', REACT_MS, `PID ${pid} in state T`);
  await waitForScan(term, 'the row to show state T', (table) => rowsOf(table, pid).some((r) => / T /.test(r)));
  await sendSignal(term, pid, 18, 'SIGCONT');
  await waitFor(() => procState(pid) === 'S', REACT_MS, `PID ${pid} back in state S`);
  await waitForScan(term, 'the row to show state S', (table) => rowsOf(table, pid).some((r) => / S /.test(r)));
});

test('--readonly: k says signals are disabled and opens no menu', async (t) => {
  const term = proctop(t, '--readonly');
  await ready(term);
  term.sendKeys('k');
  const screen = await term.waitForText(/Read-only mode/, REACT_MS);
  assert.match(parseScreen(screen)?.status ?? '', /--readonly/);
  assert.doesNotMatch(screen, /Send signal/);
});

test('resizing to 50×12 and back keeps the selection', async (t) => {
  const marker = uniqueMarker('ptE2E');
  const pid = await land.sleeper(marker);
  const term = proctop(t);
  await ready(term);
  term.sendKeys('/');
  await term.waitForText(/^Search: _?/m, REACT_MS);
  term.pasteText(marker);
  await term.waitForText(new RegExp(`^Search: ${marker}`, 'm'), REACT_MS);
  term.sendKeys('Enter');
  await waitForTable(term, `the search to select PID ${pid}`, (table) => /F1\s*Help/.test(table.footer) && rowsOf(table, pid).length === 1);

  term.resize(50, 12);
  await term.waitForScreen((s) => {
    const lines = screenLines(s);
    const table = parseScreen(s);
    return lines.length === 12 && lines.every((l) => [...l].length <= 50) && table !== undefined && rowsOf(table, pid).length === 1;
  }, REACT_MS, `a 50×12 frame with the selected PID ${pid} scrolled into view`);

  term.resize(WIDTH, HEIGHT);
  await waitForTable(term, `a 120×40 frame showing PID ${pid} with its marker`, (table, s) =>
    screenLines(s).length === HEIGHT && /Load average:/.test(s) && rowsOf(table, pid).some((r) => r.includes(marker)));

  // The confirmation names the selected process: still the marker's.
  term.sendKeys('k');
  await term.waitForText(/Send signal/, REACT_MS);
  term.sendKeys('Enter');
  const dialog = await term.waitForText(/y\/Enter/, REACT_MS);
  const named = screenLines(dialog).filter((l) => new RegExp(`│\\s*${pid}\\s.*${marker}`).test(l));
  assert.equal(named.length, 1, `the confirmation names PID ${pid}:\n${dialog}`);
  assert.match(dialog, /SIGTERM/);
  term.sendKeys('Escape');
  await waitForTable(term, 'the dialog to close with nothing sent', (table) => /Cancelled/.test(table.status));
  assert.equal(procState(pid), 'S');
});

test('q exits with status 0 and restores the main screen', async (t) => {
  const before = uniqueMarker('ptE2E-before');
  const term = terminal(t, ['sh', '-c', `printf '%s\\n' "$0"; exec "$1" -d 5`, before, BIN]);
  await ready(term);
  assert.equal(term.alternateOn(), true, 'proctop draws on the alternate screen');
  term.sendKeys('q');
  const exit = await term.waitForExit(REACT_MS);
  assert.deepEqual(exit, { status: 0, signal: undefined });
  assert.equal(term.alternateOn(), false, 'the alternate screen is left');
  const screen = term.capture();
  assert.doesNotMatch(screen, /Load average:|F10\s*Quit/, 'no frame left on the main screen');
  // tmux's "Pane is dead" line may scroll the first line into the history.
  assert.match(term.capture({ history: true }), new RegExp(before));
});

test('with stdout not a terminal it exits 2 with one line pointing to --once', () => {
  const result = spawnSync(BIN, ['-d', '5'], { encoding: 'utf8', input: '', timeout: 15_000, env: { ...process.env, ...freshHome().env } });
  assert.equal(result.error, undefined);
  assert.equal(result.status, 2, result.stderr);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^proctop: [^\n]*--once[^\n]*\n$/);
});

test('-n 2 exits by itself after two refreshes', async (t) => {
  const started = Date.now();
  const term = proctop(t, '-n', '2');
  await term.waitForText(/Tasks:/, START_MS);
  const exit = await term.waitForExit(START_MS);
  const elapsed = Date.now() - started;
  assert.deepEqual(exit, { status: 0, signal: undefined });
  // Two refreshes: the first after 500 ms, the second a 500 ms interval later.
  assert.ok(elapsed >= 950, `exited after ${elapsed} ms`);
  assert.equal(term.alternateOn(), false);
});
