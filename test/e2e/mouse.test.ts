/**
 * The mouse, end to end: SGR mouse reports (what xterm and tmux send when an application
 * enables the mouse) typed into the pane. A click on a column title sorts by it, a click on the
 * state counts line opens the zombie view (found where it is drawn, below the host facts line),
 * the wheel scrolls, and with -M the mouse does nothing.
 */
import { after, test, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Landscape } from '../helpers/landscape';
import { TmuxSession } from '../helpers/tmux';
import { parseScreen, rowPid, ScreenTable, screenLines, sortMark } from '../helpers/screen';

const REPO = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO, 'bin', 'proctop');
const START_MS = 20_000;
const land = new Landscape();
after(() => land.cleanup());
const REACT_MS = 10_000;

function proctop(t: TestContext, ...args: string[]): TmuxSession {
  const term = TmuxSession.start([BIN, '-d', '5', ...args], { width: 120, height: 30, cwd: REPO, freshXdg: true });
  t.after(() => term.kill());
  return term;
}

function ready(term: TmuxSession): Promise<ScreenTable> {
  return term.waitForScreen((s) => {
    const table = parseScreen(s);
    return table !== undefined && /F10\s*Quit/.test(table.footer) && table.rows.length > 5 && table;
  }, START_MS, 'the first frame');
}

/** A left click (press and release) at 0-based column x, row y, as an SGR mouse report. */
function click(term: TmuxSession, x: number, y: number): void {
  term.sendText(`\x1b[<0;${x + 1};${y + 1}M\x1b[<0;${x + 1};${y + 1}m`);
}

/** Screen row (0-based) of the first line matching `pattern`, and that line. */
function rowOf(screen: string, pattern: RegExp): { y: number; line: string } {
  const lines = screenLines(screen);
  const y = lines.findIndex((l) => pattern.test(l));
  assert.ok(y >= 0, `a line matching ${String(pattern)}:\n${screen}`);
  return { y, line: lines[y] as string };
}

test('a click on the PID title sorts by PID, low first', async (t) => {
  const term = proctop(t);
  const first = await ready(term);
  assert.equal(sortMark(first.header, 'CPU%'), '▽');
  const { y, line } = rowOf(term.capture(), /^\s*PID\s+USER/);
  click(term, line.indexOf('PID'), y);
  const pids = await term.waitForScreen((s) => {
    const table = parseScreen(s);
    if (!table || sortMark(table.header, 'PID') !== '△') return false;
    const list = table.rows.map((r) => rowPid(table.header, r));
    return list.length > 5 && list.every((p, i) => i === 0 || (p as number) > (list[i - 1] as number)) && list;
  }, REACT_MS, 'PID△ and rising PIDs');
  assert.equal(pids[0], 1);
});

test('a click on the state counts line opens the zombie view, with the host facts line filled in above it', async (t) => {
  // A zombie of our own: with none on the host the click only says "No zombies" (this test once passed
  // on whatever short-lived zombies the host happened to have, and failed when it had none).
  const { parent } = await land.zombieFactory(1);
  const term = proctop(t);
  await ready(term);
  // Host facts arrive a moment after the first frame, into the line held blank for them.
  const screen = await term.waitForScreen((s) => /Debian|Ubuntu|Linux/.test(screenLines(s)[0] ?? '') && s, START_MS, 'the host facts line');
  const { y, line } = rowOf(screen, /States: /);
  click(term, line.indexOf('States: ') + 2, y);
  const view = await term.waitForText(/PARENT\s+USER\s+ZOMBIES/, REACT_MS);
  assert.match(view, new RegExp(`^[\\s│]*${parent}\\s+\\S+\\s+1\\b`, 'm'), `our zombie's parent ${parent} with 1 zombie:\n${view}`);
});

test('the wheel scrolls the table down', async (t) => {
  const term = proctop(t, '-s', 'pid');
  const first = await ready(term);
  const top = rowPid(first.header, first.rows[0] ?? '');
  const { y } = rowOf(term.capture(), /^\s*PID/);
  // Each notch moves 3 rows; 12 notches move past the 20-odd rows on screen. Sent at once, while
  // proctop is still starting, several arrive in one read: every one must count.
  for (let i = 0; i < 12; i++) term.sendText(`\x1b[<65;10;${y + 5}M`);
  await term.waitForScreen((s) => {
    const table = parseScreen(s);
    return table !== undefined && rowPid(table.header, table.rows[0] ?? '') !== top;
  }, REACT_MS, 'the first row to change after wheel-down');
});

test('-M: a click on the PID title does nothing', async (t) => {
  const term = proctop(t, '-M');
  await ready(term);
  const { y, line } = rowOf(term.capture(), /^\s*PID\s+USER/);
  click(term, line.indexOf('PID'), y);
  // Give it the time a click takes without -M (well under a second), then look.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const table = parseScreen(term.capture());
  assert.ok(table);
  assert.equal(sortMark(table.header, 'PID'), '');
  assert.equal(sortMark(table.header, 'CPU%'), '▽');
});
