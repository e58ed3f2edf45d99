/**
 * Time travel in a real terminal (issue 13): the real bin/proctop in tmux at 80×24 under
 * TERM=tmux-256color, against processes this file starts.
 *
 * Rewind: a parent holds one zombie; proctop watches it in the zombie view; the test reaps it (a
 * signal to the parent by PID, start time checked) and sees the present without it; the time keys
 * step back to a frame where it existed (PAUSED, zombie view lists it, details show the frame's
 * fields), L comes back to the present, and a signal asked in the past asks to go live first and
 * sends nothing once the zombies are gone.
 *
 * Replay: `proctop record` writes a short store while a zombie exists; `proctop --replay DIR` goes
 * to a typed time with @, steps frames, filters `state:Z`, quits, and leaves the terminal as it was.
 *
 * Every wait polls the screen or /proc with a timeout; processes are cleaned up by PID.
 */
import { test, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Landscape, waitFor } from '../helpers/landscape';
import { requirePython } from '../helpers/landscape-tools';
import { childrenOf, readStat } from '../helpers/proc-read';
import { TmuxSession } from '../helpers/tmux';
import { boxLines, firstFrame, parseScreen, rowPid, screenLines, type ScreenTable } from '../helpers/screen';
import { HistoryReader } from '../../src/history/store-reader';

const REPO = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO, 'bin', 'proctop');
/** First frame: node start-up, blessed and a /proc scan on a loaded machine. */
const START_MS = 30_000;
/** A reaction to a key, or the next refresh. */
const REACT_MS = 15_000;
/** At most this many `{` presses to get back to the zombie's frames (0.5 s a frame). */
const MAX_STEPS = 60;

/**
 * argv: none. Forks one child that exits at once (a zombie: SIGCHLD left at its default), then
 * reaps it when SIGUSR1 arrives (blocked before the fork, so it is never the default action)
 * and sleeps on.
 */
const PY_REAPABLE_ZOMBIE = `
import os, signal, time
signal.signal(signal.SIGCHLD, signal.SIG_DFL)
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
kid = os.fork()
if kid == 0:
    os._exit(0)
signal.sigwait([signal.SIGUSR1])
os.waitpid(kid, 0)
while True:
    time.sleep(1000)
`;

interface Identity { readonly pid: number; readonly startTicks: number }

class TimeLandscape extends Landscape {
  /** A parent with one zombie child that it reaps on {@link TimeLandscape.reap}. */
  async reapableZombie(): Promise<{ parent: Identity; zombie: Identity }> {
    const python = await requirePython('reapableZombie');
    const { child, pid } = await this.start(python, ['-c', PY_REAPABLE_ZOMBIE], 'reapableZombie');
    const zombie = await this.ready(child, () => {
      const kids = childrenOf(pid);
      return kids.length === 1 && readStat(kids[0] as number)?.state === 'Z' && (kids[0] as number);
    }, `reapableZombie: a zombie child of ${pid}`);
    this.track(zombie);
    return { parent: identity(pid), zombie: identity(zombie) };
  }

  /** SIGUSR1 to the parent, by PID with its start time re-checked; resolves once the zombie is out of /proc. */
  async reap(parent: Identity, zombie: Identity): Promise<void> {
    assert.equal(readStat(parent.pid)?.starttime, parent.startTicks, 'the parent is still ours');
    process.kill(parent.pid, 'SIGUSR1');
    await waitFor(() => readStat(zombie.pid)?.starttime !== zombie.startTicks, 5000, `zombie ${zombie.pid} reaped`);
  }
}

function identity(pid: number): Identity {
  const startTicks = readStat(pid)?.starttime;
  assert.ok(startTicks !== undefined, `pid ${pid} is there`);
  return { pid, startTicks };
}

const land = new TimeLandscape();
const sessions: TmuxSession[] = [];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-time-travel-'));

after(async () => {
  const results = await Promise.allSettled([...sessions.map((s) => s.kill()), land.cleanup()]);
  fs.rmSync(scratch, { recursive: true, force: true });
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) throw new Error(failed.map((r) => String(r.reason)).join('\n'));
});

/** bin/proctop with `args` at 80×24 under TERM=tmux-256color, fresh XDG dirs, killed when the test ends. */
function proctop(t: TestContext, args: readonly string[]): TmuxSession {
  const term = TmuxSession.start([BIN, ...args], { width: 80, height: 24, cwd: REPO, env: { TERM: 'tmux-256color' } });
  sessions.push(term);
  t.after(() => term.kill());
  return term;
}

function ready(term: TmuxSession): Promise<ScreenTable> {
  return term.waitForScreen(firstFrame, START_MS, 'the first frame');
}

/** Parent pids (with their zombie counts) the zombie view lists; undefined while it is not open. */
function zombieParents(screen: string): Map<number, number> | undefined {
  const body = boxLines(screen, /Zombies: \d+ under/);
  if (!body) return undefined;
  const found = new Map<number, number>();
  for (const line of body) {
    const m = /^\s*(\d+)\s+\S+\s+(\d+)\s+\S+\s/.exec(line);
    if (m) found.set(Number(m[1]), Number(m[2]));
  }
  return found;
}

/** The header's moment line: `PAUSED`/`REPLAY` and the frame number; undefined while live. */
function moment(screen: string): { kind: string; frame: number; of: number; line: string } | undefined {
  const line = screenLines(screen).find((l) => /^ (PAUSED|REPLAY) at /.test(l));
  const m = line === undefined ? null : /^ (PAUSED|REPLAY) at \d\d:\d\d:\d\d \(−\S+\)\s+frame (\d+) of (\d+)/.exec(line);
  return m ? { kind: m[1] as string, frame: Number(m[2]), of: Number(m[3]), line: line as string } : undefined;
}

/**
 * The status line: the line above the last non-blank one (the F-key bar). Not through parseScreen:
 * a zombie view with a few parents covers the column header, and then no table is found.
 */
function status(screen: string): string {
  const lines = screenLines(screen);
  let footer = lines.length - 1;
  while (footer >= 0 && (lines[footer] ?? '').trim() === '') footer--;
  return lines[footer - 1] ?? '';
}

/**
 * Presses `{` until the zombie view lists `parent`, each press waiting for the frame number to
 * change (a loaded machine may take seconds to draw); fails at the oldest frame.
 */
async function stepBackTo(term: TmuxSession, parent: number): Promise<string> {
  let shown = moment(term.capture())?.frame;
  for (let i = 0; i < MAX_STEPS; i++) {
    term.sendKeys('{');
    const { screen, at } = await term.waitForScreen((s) => {
      const m = moment(s);
      return m !== undefined && m.kind === 'PAUSED' && m.frame !== shown && zombieParents(s) !== undefined && { screen: s, at: m.frame };
    }, REACT_MS, `a step back from frame ${shown ?? 'live'}`);
    if (zombieParents(screen)?.get(parent) === 1) return screen;
    if (at === 1) throw new Error(`the oldest frame has no zombie of ${parent}:\n${screen}`);
    shown = at;
  }
  throw new Error(`no frame with a zombie of ${parent} within ${MAX_STEPS} steps`);
}

/** `\` query Enter; waits until the prompt has closed and the table shows only `pid`. */
async function filterTo(term: TmuxSession, query: string, pid: number): Promise<void> {
  term.sendKeys('\\');
  await term.waitForText(/^Filter: _?/m, REACT_MS);
  term.sendText(query);
  await term.waitForText(new RegExp(`^Filter: ${query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_`, 'm'), REACT_MS);
  term.sendKeys('Enter');
  await term.waitForScreen((s) => {
    const table = parseScreen(s);
    const pids = table?.rows.map((r) => rowPid(table.header, r)).filter((p) => p !== undefined);
    return table !== undefined && /F1\s*Help/.test(table.footer) && pids?.length === 1 && pids[0] === pid;
  }, REACT_MS, `the table to hold only PID ${pid}`);
}

/**
 * In the zombie view, `k` until the return-to-live question is about `parent`: the view may list
 * other parents' zombies (other tests on the machine), sorted before ours; `n` and Down move on.
 * Returns the question's text, whitespace collapsed.
 */
async function askAbout(term: TmuxSession, parent: number): Promise<string> {
  for (let i = 0; i < 30; i++) {
    term.sendKeys('k');
    const ask = await term.waitForScreen((s) => boxLines(s, /Return to live\?/)?.join(' ').replace(/\s+/g, ' '), REACT_MS, 'the return-to-live question');
    if (new RegExp(`Then PID ${parent} is checked again`).test(ask)) return ask;
    term.sendKeys('n');
    await term.waitForScreen((s) => boxLines(s, /Return to live\?/) === undefined && zombieParents(s) !== undefined, REACT_MS, 'the zombie view again');
    term.sendKeys('Down');
  }
  throw new Error(`k never asked about PID ${parent}`);
}

test('rewind: a reaped zombie is found again by stepping back (PAUSED, zombie view, recorded details); L shows the present; a signal in the past asks to go live and sends nothing', async (t) => {
  const { parent, zombie } = await land.reapableZombie();
  const term = proctop(t, ['-d', '5']);
  await ready(term);
  term.sendKeys('z');
  await term.waitForScreen((s) => zombieParents(s)?.get(parent.pid) === 1, REACT_MS, `the zombie view listing PID ${parent.pid}`);

  await land.reap(parent, zombie);
  await term.waitForScreen((s) => {
    const listed = zombieParents(s);
    return listed !== undefined && !listed.has(parent.pid) && moment(s) === undefined;
  }, REACT_MS, 'the live zombie view without the reaped zombie');

  // Back in time: the zombie view shows it again, and the header says the screen is the past.
  const past = await stepBackTo(term, parent.pid);
  assert.match(screenLines(past)[0] ?? '', /^ PAUSED at \d\d:\d\d:\d\d \(−\d+s\)\s+frame \d+ of \d+, the last 10 min in memory/);

  // L: the present, no zombie.
  term.sendKeys('L');
  const live = await term.waitForScreen((s) => moment(s) === undefined && zombieParents(s) !== undefined && s, REACT_MS, 'live again');
  assert.equal(zombieParents(live)?.has(parent.pid), false, 'the present has no zombie of the parent');
  assert.match(status(live), /Live again/);

  // Back again, then the details panel on the parent: the frame's fields, its zombie child as it was.
  await stepBackTo(term, parent.pid);
  term.sendKeys('Escape');
  await term.waitForScreen((s) => zombieParents(s) === undefined && moment(s) !== undefined && parseScreen(s) !== undefined, REACT_MS, 'the table in the past');
  await filterTo(term, `pid:${parent.pid}`, parent.pid);
  term.sendKeys('Enter');
  const details = await term.waitForScreen((s) => boxLines(s, new RegExp(`PID ${parent.pid} `))?.join('\n'), REACT_MS, 'the details panel');
  assert.match(details, /Recorded in the frame of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
  assert.match(details, /state: S \(sleeping\)/);
  assert.match(details, new RegExp(`children \\(1\\): ${zombie.pid} \\S+ Z`), 'the zombie child, as the frame had it');
  term.sendKeys('End');
  const bottom = await term.waitForScreen((s) => {
    const body = boxLines(s, new RegExp(`PID ${parent.pid} `))?.join('');
    return body !== undefined && /Not recorded/.test(body) && body;
  }, REACT_MS, 'the end of the details panel');
  assert.match(bottom.replace(/\s+/g, ' '), /Not recorded \(read from \/proc live only\): exe, cwd, open files, environment, limits/);
  assert.doesNotMatch(bottom, /process is gone/);
  term.sendKeys('Escape');
  await term.waitForScreen((s) => boxLines(s, new RegExp(`PID ${parent.pid} `)) === undefined && parseScreen(s) !== undefined, REACT_MS, 'the details panel closed');
  // Apart from Escape: Escape then z at once reads as Meta-z.
  term.sendKeys('z');

  // A signal key in the past asks to return to live; n stays; y goes live and, the zombies being gone, sends nothing.
  await term.waitForScreen((s) => zombieParents(s)?.get(parent.pid) === 1 && moment(s) !== undefined, REACT_MS, 'the zombie view in the past');
  const ask = await askAbout(term, parent.pid);
  assert.match(ask, /The screen shows the past\. Nothing from an old frame is signalled: its processes may have exited, and their PIDs may belong to others now\./);
  assert.match(ask, new RegExp(`Return to live first\\? Then PID ${parent.pid} is checked again \\(same PID and start time\\) before anything is sent\\. PID ${parent.pid}: `));
  assert.match(ask, /y\/Enter: back to live n\/Esc: stay in the past/);
  term.sendKeys('n');
  const stayed = await term.waitForScreen((s) => boxLines(s, /Return to live\?/) === undefined && /Still in the past: nothing sent/.test(status(s)) && s, REACT_MS, 'still in the past');
  assert.ok(moment(stayed), 'still PAUSED');
  term.sendKeys('k');
  const again = await term.waitForScreen((s) => boxLines(s, /Return to live\?/)?.join(' '), REACT_MS, 'the question again');
  assert.match(again, new RegExp(`Then PID ${parent.pid} is checked again`));
  term.sendKeys('y');
  const back = await term.waitForScreen((s) => moment(s) === undefined && /Back to live/.test(status(s)) && s, REACT_MS, 'back to live');
  assert.match(status(back), new RegExp(`Back to live: PID ${parent.pid} has no zombies now; nothing sent`));
  assert.equal(readStat(parent.pid)?.starttime, parent.startTicks, 'the parent was not signalled');
  assert.equal(readStat(parent.pid)?.state, 'S');
  term.sendKeys('q');
  assert.deepEqual(await term.waitForExit(REACT_MS), { status: 0, signal: undefined });
});

test('replay: @ goes to a typed time, { } step frames, state:Z filters the recorded zombie, q restores the terminal', async (t) => {
  const { parent, zombie } = await land.reapableZombie();
  const store = path.join(scratch, 'store');
  const recorder = spawn(BIN, ['record', '--interval', '0.3', '--dir', store], { cwd: REPO, stdio: 'ignore' });
  const recorderId = recorder.pid;
  assert.ok(recorderId !== undefined, 'the recorder started');
  land.track(recorderId);
  let frameTimes: number[];
  try {
    frameTimes = await waitFor(() => {
      const opened = HistoryReader.open(store);
      if (!opened.ok) return false;
      const times = opened.store.frames.map((f) => f.time);
      opened.store.close();
      return times.length >= 6 && times;
    }, 30_000, 'six recorded frames');
  } finally {
    recorder.kill('SIGTERM');
    await new Promise((resolve) => (recorder.exitCode !== null || recorder.signalCode !== null ? resolve(undefined) : recorder.once('exit', resolve)));
  }
  const opened = HistoryReader.open(store);
  assert.ok(opened.ok);
  frameTimes = opened.store.frames.map((f) => f.time);
  opened.store.close();
  const count = frameTimes.length;

  // In a shell that reports the status and waits: the cursor and the main screen are checked
  // while the terminal is still in use after proctop, as the other terminal tests do.
  const term = TmuxSession.start(['sh', '-c', '"$@"; echo "EXIT=$?"; printf "TYPE> "; read line', 'sh', BIN, '--replay', store], {
    width: 80, height: 24, cwd: REPO, env: { TERM: 'tmux-256color' },
  });
  sessions.push(term);
  t.after(() => term.kill());
  await ready(term);
  assert.equal(term.alternateOn(), true, 'proctop draws on the alternate screen');
  const first = await term.waitForScreen((s) => moment(s), REACT_MS, 'the REPLAY line');
  assert.deepEqual([first.kind, first.frame, first.of], ['REPLAY', count, count], 'opens on the last frame');

  // @ and a typed ISO 8601 time just after the second frame: the frame at or before it.
  term.sendKeys('@');
  await term.waitForText(/^Go to time: _/m, REACT_MS);
  const typed = new Date((frameTimes[1] as number) + 1).toISOString();
  term.sendText(typed);
  await term.waitForText(new RegExp(`^Go to time: ${typed.replace(/[.]/g, '\\.')}_`, 'm'), REACT_MS);
  term.sendKeys('Enter');
  await term.waitForScreen((s) => moment(s)?.frame === 2, REACT_MS, 'frame 2 after @');

  term.sendKeys('}');
  await term.waitForScreen((s) => moment(s)?.frame === 3, REACT_MS, 'frame 3 after }');
  term.sendKeys('}');
  await term.waitForScreen((s) => moment(s)?.frame === 4, REACT_MS, 'frame 4 after }');
  term.sendKeys('{');
  await term.waitForScreen((s) => moment(s)?.frame === 3, REACT_MS, 'frame 3 after {');

  // The recorded zombie under the filter, on this frame. With ppid too: the shared machine may hold
  // hundreds of other zombies (seen: 604), which would push ours off an 80x24 screen.
  const query = `state:Z ppid:${parent.pid}`;
  term.sendKeys('\\');
  await term.waitForText(/^Filter: _?/m, REACT_MS);
  term.sendText(query);
  await term.waitForText(new RegExp(`^Filter: ${query}_`, 'm'), REACT_MS);
  term.sendKeys('Enter');
  const filtered = await term.waitForScreen((s) => {
    const table = parseScreen(s);
    if (!table || !/F1\s*Help/.test(table.footer)) return false;
    const pids = table.rows.map((r) => rowPid(table.header, r));
    return pids.length === 1 && pids[0] === zombie.pid && { table, screen: s };
  }, REACT_MS, `the filtered table listing zombie ${zombie.pid}`);
  for (const row of filtered.table.rows) assert.match(row, /\sZ\s/, `only zombies: ${row}`);
  assert.equal(moment(filtered.screen)?.frame, 3, 'the filter keeps the frame');
  assert.ok(!filtered.table.rows.some((r) => rowPid(filtered.table.header, r) === parent.pid), 'the parent (S) is filtered out');

  term.sendKeys('q');
  const restored = await term.waitForText(/EXIT=0\n.*TYPE>/, REACT_MS, { history: true });
  assert.equal(term.alternateOn(), false, 'the alternate screen is left');
  assert.equal(term.cursorVisible(), true, 'the cursor shows');
  assert.doesNotMatch(restored, /REPLAY at|F10\s*Quit/, 'no frame left on the main screen');
  term.sendKeys('Enter');
  assert.deepEqual(await term.waitForExit(REACT_MS), { status: 0, signal: undefined });
});

test('replay of a store the recorder is still writing follows new frames; { stops following, L follows again', async (t) => {
  const store = path.join(scratch, 'growing');
  const recorder = spawn(BIN, ['record', '--interval', '0.3', '--dir', store], { cwd: REPO, stdio: 'ignore' });
  assert.ok(recorder.pid !== undefined, 'the recorder started');
  land.track(recorder.pid);
  t.after(() => {
    recorder.kill('SIGTERM');
  });
  const frames = (): number => {
    const opened = HistoryReader.open(store);
    if (!opened.ok) return 0;
    const n = opened.store.frames.length;
    opened.store.close();
    return n;
  };
  await waitFor(() => frames() >= 2, 30_000, 'two recorded frames');

  const term = proctop(t, ['--replay', store, '-d', '5']);
  await ready(term);
  const start = await term.waitForScreen((s) => { const m = moment(s); return m?.kind === 'REPLAY' && / \(following\)/.test(m.line) && m; }, REACT_MS, 'a following REPLAY line');
  assert.equal(start.frame, start.of, 'at the newest frame');
  const grown = await term.waitForScreen((s) => { const m = moment(s); return m !== undefined && m.of >= start.of + 2 && m.frame === m.of && / \(following\)/.test(m.line) && m; }, 30_000, 'frames recorded since show up');
  assert.ok(grown.of > start.of);

  term.sendKeys('{');
  const held = await term.waitForScreen((s) => { const m = moment(s); return m !== undefined && !/following/.test(m.line) && m; }, REACT_MS, 'a step back');
  await waitFor(() => frames() >= held.of + 2, 30_000, 'two more frames on disk');
  const still = moment(term.capture());
  assert.deepEqual([still?.frame, still?.of], [held.frame, held.of], 'the past frame stays on screen while the store grows');

  term.sendKeys('L');
  const again = await term.waitForScreen((s) => { const m = moment(s); return m !== undefined && / \(following\)/.test(m.line) && m.of >= held.of + 2 && m.frame === m.of && m; }, REACT_MS, 'L: the newest frame, following');
  assert.ok(again.of > held.of);
  term.sendKeys('q');
  assert.deepEqual(await term.waitForExit(REACT_MS), { status: 0, signal: undefined });
});
