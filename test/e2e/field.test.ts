/**
 * End-to-end checks of defects found in the field (issue 10), through the real bin/proctop in
 * tmux against processes the test starts. Every wait polls with a timeout; no test sleeps.
 */
import { test, after, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HostileLandscape } from '../helpers/hostile-procs';
import { procPpid, procState, uniqueMarker, waitFor } from '../helpers/landscape';
import { PY_ZOMBIES, requirePython, sleepBinary } from '../helpers/landscape-tools';
import { childrenOf } from '../helpers/proc-read';
import { TmuxSession } from '../helpers/tmux';
import { firstFrame, guideColumn, parseScreen, rowPid, ScreenTable, screenLines } from '../helpers/screen';

const REPO = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO, 'bin', 'proctop');
/** First frame: node start-up, blessed and a /proc scan on a loaded 2-core machine. */
const START_MS = 20_000;
/** A reaction to a key (one render, no /proc scan needed). */
const REACT_MS = 10_000;

const land = new HostileLandscape();
const sessions: TmuxSession[] = [];
after(async () => {
  const results = await Promise.allSettled([...sessions.map((s) => s.kill()), land.cleanup()]);
  const errors = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => String(r.reason));
  if (errors.length > 0) throw new Error(errors.join('\n'));
});

function proctop(t: TestContext, args: readonly string[], options: { width?: number; height?: number; env?: Readonly<Record<string, string>> } = {}): TmuxSession {
  const term = TmuxSession.start([BIN, '-d', '5', ...args], { width: options.width ?? 120, height: options.height ?? 40, cwd: REPO, freshXdg: true, env: options.env });
  sessions.push(term);
  t.after(() => term.kill());
  return term;
}

function ready(term: TmuxSession): Promise<ScreenTable> {
  return term.waitForScreen(firstFrame, START_MS, 'the first frame');
}

/** The PID of the selected row (black on cyan, SGR 46) and the plain table, from a capture with escapes. */
function selection(screen: string): { selected: number | undefined; table: ScreenTable | undefined } {
  const lines = screenLines(screen);
  const plain = lines.map((l) => l.replace(/\x1b\[[0-9;:]*m/g, ''));
  const table = parseScreen(plain.join('\n'));
  const at = lines.findIndex((l) => /\x1b\[(?:[0-9;]*;)?46(?:;[0-9;]*)?m\s*\d+ /.test(l));
  return { selected: table && at >= 0 ? rowPid(table.header, plain[at] ?? '') : undefined, table };
}

/** Esc, then q once the overlay is gone (an Esc followed at once by q reads as Alt-q); waits for the exit. */
async function closeAndQuit(term: TmuxSession, overlay: RegExp): Promise<void> {
  term.sendKeys('Escape');
  await term.waitForScreen((s) => !overlay.test(s) && /F10\s*Quit/.test(s) && s, REACT_MS, 'the overlay to close');
  term.sendKeys('q');
  await term.waitForExit(REACT_MS);
}

/** `\` query Enter, the query pasted; waits for the prompt to close. */
async function filter(term: TmuxSession, query: string): Promise<void> {
  term.sendKeys('\\');
  await term.waitForText(/^Filter: _?/m, REACT_MS);
  term.pasteText(query);
  await term.waitForText(new RegExp(`^Filter: ${query}_`, 'm'), REACT_MS);
  term.sendKeys('Enter');
  await term.waitForScreen((s) => /F1\s*Help/.test(s) && s, REACT_MS, 'the filter prompt to close');
}

test('tree view + filter pid:N selects N, not the ancestors kept for context, and k targets N', async (t) => {
  const [pid] = await land.family([{ comm: Buffer.from('ptctx'), argv: [Buffer.from(uniqueMarker('ptCtx'))] }]);
  assert.ok(pid !== undefined);
  const term = proctop(t, []);
  await ready(term);
  term.sendKeys('t');
  await term.waitForText(/Tree view/, REACT_MS);
  await filter(term, `pid:${pid}`);
  // The tree keeps the ancestors (PID 1 among them) above the one matched row.
  const shown = await term.waitForScreen((s) => {
    const { selected, table } = selection(s);
    const pids = table ? table.rows.map((r) => rowPid(table.header, r)) : [];
    return pids.includes(pid) && pids.includes(1) && selected !== undefined && { selected, pids };
  }, REACT_MS, `PID ${pid} under its ancestors, one row selected`, { escapes: true });
  assert.equal(shown.selected, pid, `the selection is on PID ${shown.selected}, rows ${shown.pids.join(' ')}`);
  // Up and Home do not climb onto the context rows.
  term.sendKeys('Home');
  term.sendKeys('Up');
  term.sendKeys('k');
  const dialog = await term.waitForText(/To \(PID \d+\)/, REACT_MS);
  assert.match(dialog, new RegExp(`To \\(PID ${pid}\\)`), 'the signal dialog targets the matched process');
  await closeAndQuit(term, /To \(PID/);
});

/** Milliseconds since `pid` last ran, on the scheduler clock (a zombie: since it exited). */
function msSinceRan(pid: number): number {
  const execStart = (file: string): number => Number(/^se\.exec_start\s*:\s*([\d.]+)/m.exec(fs.readFileSync(file, 'utf8'))?.[1]);
  const last = execStart(`/proc/${pid}/sched`);
  return execStart('/proc/self/sched') - last;
}

/** Seconds in formatAge's text (`5s`, `3m07s`, `1h02m`). */
function ageSeconds(text: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  return m ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : NaN;
}

test('the zombie view of a fresh proctop shows how long the zombie has been one, not since proctop started', async (t) => {
  const { parent, zombies } = await land.zombieFactory(1);
  const zombie = zombies[0] as number;
  await waitFor(() => msSinceRan(zombie) >= 5000, 20_000, 'the zombie to be 5 s old');
  const term = proctop(t, []);
  await ready(term);
  term.sendKeys('z');
  const oldest = await term.waitForScreen((s) => {
    const line = screenLines(s).find((l) => new RegExp(`│\\s*${parent}\\s+\\S+\\s+1\\s+`).test(l));
    const m = line ? new RegExp(`${parent}\\s+\\S+\\s+1\\s+(\\S+)`).exec(line) : null;
    return m?.[1];
  }, REACT_MS, `the zombie view listing parent ${parent}`);
  assert.ok(ageSeconds(oldest) >= 5, `OLDEST ${oldest} for a zombie ${Math.round(msSinceRan(zombie) / 1000)} s old`);
  await closeAndQuit(term, /Zombies: /);
});

test('tree view at 80x24: the tmux server, its child and a sibling stay apart, zombies right of their parent (item 10)', async (t) => {
  const term = proctop(t, ['-t'], { width: 80, height: 24 });
  await ready(term);
  const pane = term.panePid();
  const server = procPpid(pane) as number;
  // The zombies' parent runs in a second window under two shells: server (depth 1) → sh → sh →
  // parent (4) → zombies (5), whatever the depth this test runs at. Too deep for 3 columns a level
  // on an 80-column screen (the old shift printed depth 1 and 2 alike), not for one.
  const python = await requirePython('item 10 e2e');
  term.tmux(['new-window', '-d', '--', 'sh', '-c', 'sh -c "$0" "$@"; :', '"$0" "$@"; :', python, '-c', PY_ZOMBIES, '2', sleepBinary()]);
  const zombieParent = (): number | false => {
    const queue = childrenOf(server).filter((p) => p !== pane);
    for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
      const kids = childrenOf(p);
      if (kids.length === 2 && kids.every((z) => procState(z) === 'Z')) return p;
      queue.push(...kids);
    }
    return false;
  };
  const parent = await waitFor(zombieParent, REACT_MS, 'a sleeping parent with 2 zombies under the tmux server');
  land.track(parent);
  const zombies = childrenOf(parent);
  const grand = procPpid(server) as number;
  // Another child of the server's parent: a process at the server's depth.
  const sibling = childrenOf(grand).find((p) => p !== server && p !== pane);
  assert.ok(sibling !== undefined, `another child of PID ${grand}`);
  const pids = [server, pane, sibling, parent, ...zombies];
  await filter(term, `pid:${pids.join(',')}`);
  const shown = await term.waitForScreen((s) => {
    const table = parseScreen(s);
    if (table === undefined) return false;
    const at = new Map<number, number>();
    for (const row of table.rows) {
      const pid = rowPid(table.header, row);
      if (pid !== undefined) at.set(pid, guideColumn(table.header, row));
    }
    return pids.every((p) => at.has(p)) && { at, screen: s };
  }, REACT_MS, `rows of ${pids.join(' ')}`);
  const col = (pid: number): number => shown.at.get(pid) ?? -1;
  assert.ok(col(pane) > col(server), `proctop (depth 2) at ${col(pane)}, the tmux server (depth 1) at ${col(server)}:\n${shown.screen}`);
  assert.ok(col(pane) > col(sibling), `proctop at ${col(pane)}, the server's sibling at ${col(sibling)}:\n${shown.screen}`);
  for (const z of zombies) assert.ok(col(z) > col(parent), `zombie ${z} at ${col(z)}, its parent ${parent} at ${col(parent)}:\n${shown.screen}`);
  term.sendKeys('q');
  await term.waitForExit(REACT_MS);
});

test('a bare flag word also finds names: stopped finds stopped-tracer, zombie finds the sleeping zombie-factory parent, and the bar says how it read them (item 9)', async (t) => {
  const tracer = await land.withComm('stopped-tracer');
  const { parent, zombies } = await land.zombieFactory(2, 'zombie-factory');
  const term = proctop(t, []);
  await ready(term);
  const pidsShown = (s: string): number[] => {
    const table = parseScreen(s);
    return table ? table.rows.map((r) => rowPid(table.header, r)).filter((p): p is number => p !== undefined) : [];
  };
  term.sendKeys('\\');
  await term.waitForText(/^Filter: _?/m, REACT_MS);
  term.pasteText('stopped');
  // While typing, the bar says how it reads the word.
  await term.waitForText(/^Filter: stopped_ +stopped: state T or t or name\/cmd contains 'stopped'/m, REACT_MS);
  term.sendKeys('Enter');
  const stopped = await term.waitForScreen((s) => pidsShown(s).includes(tracer) && /F4\[stopped\]/.test(s) && s, REACT_MS, `stopped-tracer (PID ${tracer}) under the filter 'stopped'`);
  assert.match(stopped, /stopped: state T or t or name\/cmd contains 'stopped'/, 'the status line says how the query was read');
  term.sendKeys('\\');
  await term.waitForText(/^Filter: stopped_/m, REACT_MS);
  term.sendKeys('C-u');
  await term.waitForText(/^Filter: _/m, REACT_MS);
  term.pasteText('zombie');
  term.sendKeys('Enter');
  const shown = await term.waitForScreen((s) => {
    const pids = pidsShown(s);
    return pids.includes(parent) && zombies.every((z) => pids.includes(z)) && /F4\[zombie\]/.test(s) && pids;
  }, REACT_MS, `the sleeping zombie-factory parent ${parent} and its zombies under the filter 'zombie'`);
  assert.ok(!shown.includes(tracer), 'stopped-tracer is not a zombie');
  term.sendKeys('q');
  await term.waitForExit(REACT_MS);
});
