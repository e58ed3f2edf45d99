/**
 * The terminal is always given back: whichever way proctop ends (q, F10, Ctrl-C, SIGTERM,
 * SIGHUP, an uncaught exception), the main screen is back, the cursor shows, and the line
 * discipline is sane (a shell line typed afterwards echoes and ends at Enter). Also what it does
 * without a terminal, with TERM=dumb or unset, at 20×5 and 400×120, and after a resize.
 *
 * Each test runs proctop under `sh -c '"$@"; echo EXIT=$?; stty -a > FILE; printf TYPE>; read line;
 * echo GOT[$line]'` in a private tmux server, so the shell's view after proctop is on screen.
 * Every wait polls with a timeout.
 */
import { describe, test, after, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TmuxSession } from '../helpers/tmux';
import { parseScreen, rowPid, screenLines } from '../helpers/screen';
import { childrenOf, readCmdline } from '../helpers/proc-read';
import { waitFor } from '../helpers/wait';

const REPO = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO, 'bin', 'proctop');
/** First frame: node start-up, blessed and a /proc scan, on a loaded 2-core machine. */
const START_MS = 60_000;
/** A reaction to a key, a signal or a resize. */
const REACT_MS = 30_000;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-terminal-'));
const sessions: TmuxSession[] = [];
after(async () => {
  const results = await Promise.allSettled(sessions.map((s) => s.kill()));
  fs.rmSync(scratch, { recursive: true, force: true });
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) throw new Error(failed.map((r) => String(r.reason)).join('\n'));
});

/** The shell's part after proctop: status, terminal modes to a file, then a line typed by the test. */
const AFTER = `echo "EXIT=$?"; stty -a > "$STTY_FILE"; printf 'TYPE>'; read line; echo "GOT[$line]"`;
let counter = 0;

interface Run {
  readonly term: TmuxSession;
  /** Where the shell writes `stty -a` once proctop has ended. */
  readonly sttyFile: string;
  /** Everything written to the terminal (tmux pipe-pane), for the failure messages. */
  readonly outputFile: string;
}

interface RunOptions {
  readonly width?: number;
  readonly height?: number;
  /** Extra environment (TERM, the crash hook). */
  readonly env?: Readonly<Record<string, string>>;
  /** Words before `sh` in the pane's argv, e.g. `env -u TERM`. */
  readonly prefix?: readonly string[];
  /** Extra proctop arguments. */
  readonly args?: readonly string[];
}

/**
 * `sh -c 'read go; "$@"; AFTER' sh node bin/proctop -d 5 …` in a fresh tmux server (fresh XDG
 * dirs): the shell waits for Enter, sent once pipe-pane records the terminal's input.
 */
function run(t: TestContext, options: RunOptions = {}): Run {
  counter += 1;
  const sttyFile = path.join(scratch, `stty-${counter}`);
  const outputFile = path.join(scratch, `output-${counter}`);
  const term = TmuxSession.start([...(options.prefix ?? []), 'sh', '-c', `read go; "$@"; ${AFTER}`, 'sh', BIN, '-d', '5', ...(options.args ?? [])], {
    width: options.width ?? 120, height: options.height ?? 40, cwd: REPO, env: { STTY_FILE: sttyFile, ...options.env },
  });
  sessions.push(term);
  t.after(() => term.kill());
  term.pipeOutput(outputFile);
  term.sendKeys('Enter');
  return { term, sttyFile, outputFile };
}

/** The last bytes written to the terminal, escaped, for a failure message. */
function tail(file: string): string {
  const raw = fs.existsSync(file) ? fs.readFileSync(file, 'latin1') : '';
  return JSON.stringify(raw.slice(-400));
}

/** The first full frame: meters, column header, rows, F-key bar. */
function ready(term: TmuxSession): Promise<string> {
  return term.waitForScreen((s) => {
    const table = parseScreen(s);
    return table !== undefined && /Tasks:/.test(s) && /F10\s*Quit/.test(table.footer) && table.rows.length > 0 && s;
  }, START_MS, 'the first frame');
}

/** Waits until proctop has ended and the shell printed its status and prompt; returns the status. */
async function exitStatus(term: TmuxSession, timeoutMs = REACT_MS): Promise<number> {
  const screen = await term.waitForScreen((s) => /EXIT=\d+/.test(s) && /TYPE>/.test(s) && s, timeoutMs, 'proctop to end and the shell to prompt', { history: true });
  return Number(/EXIT=(\d+)/.exec(screen)?.[1]);
}

/**
 * Each line of a `capture-pane -e` screen as its cells, `<attributes>|<character>`, without the
 * trailing spaces. capture-pane carries attributes across lines and puts
 * a change where it finds it (after spaces a program wrote, or before the next line's text), so
 * the raw captures of one picture drawn two ways differ; their cells do not.
 */
function cellsOf(screen: string): string[][] {
  let attrs = { fg: 'default', bg: 'default', bold: false, underline: false, inverse: false };
  const apply = (params: string): void => {
    for (const p of params === '' ? [0] : params.split(';').map(Number)) {
      if (p === 0) attrs = { fg: 'default', bg: 'default', bold: false, underline: false, inverse: false };
      else if (p === 1) attrs.bold = true;
      else if (p === 22) attrs.bold = false;
      else if (p === 4) attrs.underline = true;
      else if (p === 24) attrs.underline = false;
      else if (p === 7) attrs.inverse = true;
      else if (p === 27) attrs.inverse = false;
      else if (p === 39) attrs.fg = 'default';
      else if (p === 49) attrs.bg = 'default';
      else if ((p >= 30 && p <= 37) || (p >= 90 && p <= 97)) attrs.fg = String(p);
      else if ((p >= 40 && p <= 47) || (p >= 100 && p <= 107)) attrs.bg = String(p);
    }
  };
  return screen.replace(/\n+$/, '').split('\n').map((line) => {
    const cells: string[] = [];
    for (const m of line.matchAll(/\x1b\[([0-9;]*)m|([^\x1b])/gu)) {
      if (m[1] !== undefined) apply(m[1]);
      else cells.push(`${attrs.fg},${attrs.bg},${attrs.bold ? 'b' : ''}${attrs.underline ? 'u' : ''}${attrs.inverse ? 'i' : ''}|${m[2] ?? ''}`);
    }
    // tmux trims the spaces at the end of a line's text, whatever their colours, up to the last escape it wrote.
    while (cells.length > 0 && (cells.at(-1) ?? '').endsWith('| ')) cells.pop();
    return cells;
  });
}

/** The words of `stty -a` (flags such as `echo`, `-echo`, `icanon`). */
function sttyFlags(file: string): Set<string> {
  return new Set(fs.readFileSync(file, 'utf8').split(/[\s;]+/).filter((w) => w !== ''));
}

/**
 * After proctop: the main screen, a visible cursor, sane modes in `stty -a`, and a typed line
 * that echoes as typed and is read at Enter; then the shell exits 0.
 */
async function assertRestored(t: TestContext, { term, sttyFile, outputFile }: Run): Promise<void> {
  assert.equal(term.alternateOn(), false, `the main screen is back; the terminal's last input: ${tail(outputFile)}`);
  assert.equal(term.cursorVisible(), true, `the cursor is visible; the terminal's last input: ${tail(outputFile)}`);
  await waitFor(() => fs.existsSync(sttyFile) && fs.statSync(sttyFile).size > 0, 5000, 'stty -a output');
  const flags = sttyFlags(sttyFile);
  for (const flag of ['echo', 'icanon', 'isig', 'icrnl', 'opost', 'onlcr']) assert.ok(flags.has(flag), `${flag} is set: ${[...flags].join(' ')}`);
  t.diagnostic(`stty: ${['echo', 'icanon', 'isig', 'icrnl', 'opost', 'onlcr', 'ixon'].map((f) => (flags.has(f) ? f : `-${f}`)).join(' ')}`);
  const typed = `typed${counter}`;
  term.sendText(typed);
  await term.waitForText(new RegExp(`TYPE>${typed}`), REACT_MS, { history: true });
  term.sendKeys('Enter');
  await term.waitForText(new RegExp(`GOT\\[${typed}\\]`), REACT_MS, { history: true });
  assert.deepEqual(await term.waitForExit(REACT_MS), { status: 0, signal: undefined });
}

// The tests are independent (one tmux server each): three at a time.
describe('the terminal is always given back', { concurrency: 3 }, () => {
  for (const [name, key] of [['q', 'q'], ['F10', 'F10'], ['Ctrl-C', 'C-c']] as const) {
    test(`${name} exits 0 and gives the terminal back (main screen, cursor, echo, canonical mode)`, async (t) => {
      const r = run(t);
      const { term } = r;
      await ready(term);
      assert.equal(term.alternateOn(), true, 'proctop draws on the alternate screen');
      term.sendKeys(key);
      assert.equal(await exitStatus(term), 0);
      await assertRestored(t, r);
    });
  }

  /** proctop's pid: the shell's only child, running bin/proctop. */
  function proctopPid(term: TmuxSession): Promise<number> {
    const shell = term.panePid();
    return waitFor(() => {
      const kids = childrenOf(shell);
      const kid = kids.length === 1 ? kids[0] : undefined;
      return kid !== undefined && readCmdline(kid)?.includes(BIN) === true && kid;
    }, 5000, `proctop as the child of the pane's shell ${shell}`);
  }

  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    test(`${signal} to proctop: it exits and the terminal is restored`, async (t) => {
      const r = run(t);
      const { term } = r;
      await ready(term);
      const pid = await proctopPid(term);
      process.kill(pid, signal);
      const status = await exitStatus(term);
      t.diagnostic(`${signal}: exit status ${status}`);
      assert.equal(status, 0, 'a handled signal is a normal exit');
      await assertRestored(t, r);
    });
  }

  /** The phases the start-up trace (PROCTOP_TRACE_START) has recorded so far. */
  function phases(file: string): string[] {
    return (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '').split('\n').map((line) => line.split(' ')[0] ?? '').filter((p) => p !== '');
  }

  /** A run whose first frame is its own paint (ui/first-paint.ts) until blessed takes over `holdMs` later. */
  function runHeld(t: TestContext, holdMs: number, args: readonly string[] = []): Run & { trace: string } {
    const trace = path.join(fs.mkdtempSync(path.join(scratch, 'trace-')), 'trace');
    return { ...run(t, { env: { PROCTOP_TEST_HOLD_FIRST_PAINT_MS: String(holdMs), PROCTOP_TRACE_START: trace }, args }), trace };
  }

  test('SIGTERM while the first frame is its own paint, before blessed has loaded: exit 0 and the terminal restored', async (t) => {
    const r = runHeld(t, 600_000);
    await ready(r.term);
    assert.equal(r.term.alternateOn(), true, 'the first paint is on the alternate screen');
    assert.deepEqual(phases(r.trace).slice(-1), ['first-frame'], 'blessed has not taken over');
    process.kill(await proctopPid(r.term), 'SIGTERM');
    assert.equal(await exitStatus(r.term), 0);
    assert.ok(!phases(r.trace).includes('screen'), 'it ended before blessed opened');
    await assertRestored(t, r);
  });

  test('a key typed while the first frame is its own paint is not echoed (raw mode), waits for blessed, then acts', async (t) => {
    const r = runHeld(t, 3000);
    await ready(r.term);
    const modes = execFileSync('stty', ['-a', '-F', r.term.display('#{pane_tty}')], { encoding: 'utf8' }).split(/[\s;]+/);
    assert.deepEqual(phases(r.trace).slice(-1), ['first-frame'], 'the modes were read before blessed took over');
    assert.ok(modes.includes('-echo') && modes.includes('-icanon'), `raw mode during the first paint: ${modes.join(' ')}`);
    r.term.sendText('q');
    assert.equal(await exitStatus(r.term), 0);
    assert.ok(phases(r.trace).includes('screen'), `blessed took over and read the key: ${phases(r.trace).join(' ')}`);
    await assertRestored(t, r);
  });

  test("the first paint and blessed's frame show the same column header on the same row, rows and F-key bar, colours included", async (t) => {
    // A recorded /proc (the hostile names: escapes, newlines, wide characters) and no rate column:
    // every sample is the same, so the two frames must be too.
    const fixture = path.join(REPO, 'test', 'fixtures', 'procfs', 'hostile');
    const r = runHeld(t, 5000, ['--proc-root', fixture, '-s', 'pid', '--columns', 'pid,user,nice,state,threads,command']);
    await ready(r.term);
    // The screen row of the column header, and the lines from it down.
    const headerRow = (screen: string): number => cellsOf(screen).findIndex((l) => /PID/.test(l.map((cell) => cell.slice(cell.indexOf('|') + 1)).join('')));
    const table = (screen: string): string[] => cellsOf(screen).slice(headerRow(screen)).map((l) => l.join(' '));
    const first = r.term.capture({ escapes: true });
    const own = table(first);
    const ownRow = headerRow(first);
    assert.deepEqual(phases(r.trace).slice(-1), ['first-frame'], 'captured before blessed took over');
    assert.ok(own.length > 5 && (own[0] ?? '').includes('30,42,|U'), `a column header in black on green, and rows: ${JSON.stringify(own.slice(0, 2))}`);
    await waitFor(() => phases(r.trace).includes('screen'), START_MS, 'blessed to take over');
    const agree = (screen: string): boolean => {
      const theirs = table(screen);
      // On the same screen row (the host facts line fills a line held for it, it adds none), the
      // rows both frames hold, and the F-key bar.
      const n = Math.min(own.length, theirs.length) - 3;
      return headerRow(screen) === ownRow && n > 3 && own.slice(0, n).join('\n') === theirs.slice(0, n).join('\n') && own.at(-1) === theirs.at(-1);
    };
    let last = '';
    await r.term.waitForScreen((s) => {
      last = s;
      return agree(s);
    }, REACT_MS, 'blessed to draw what the first paint drew', { escapes: true }).catch((err: unknown) => {
      throw new Error(`${String(err)}\nfirst paint (column header on row ${ownRow}, blessed: ${headerRow(last)}):\n${JSON.stringify(own)}\nblessed:\n${JSON.stringify(table(last))}`);
    });
    r.term.sendKeys('q');
    assert.equal(await exitStatus(r.term), 0);
    await assertRestored(t, r);
  });

  test('at 80×24 the table stays on its row from the first paint through the first refresh; the first paint\'s CPU bars read …', async (t) => {
    const trace = path.join(fs.mkdtempSync(path.join(scratch, 'trace-')), 'trace');
    const r = run(t, { width: 80, height: 24, env: { PROCTOP_TEST_HOLD_FIRST_PAINT_MS: '5000', PROCTOP_TRACE_START: trace } });
    const columnHeaderRow = (screen: string): number => screenLines(screen).findIndex((l) => /^\s*PID\s+USER/.test(l));
    const first = await ready(r.term);
    assert.deepEqual(phases(trace).slice(-1), ['first-frame'], 'captured while the first paint is on screen');
    assert.match(first, /^\s*0\[\s*…\]/m, `no CPU figure before there is an interval:\n${first}`);
    const row = columnHeaderRow(first);
    // The facts filled in, the rates and proctop's own CPU% read, a CPU bar with a figure: after the first refresh.
    // (A host without /proc/diskstats or /proc/net/dev has no such line at any time.)
    const later = await r.term.waitForScreen((s) => !/(Disk|Net): …/.test(s) && /proctop: \d/.test(s) && /^\s*0\[[^\]]*%\]/m.test(s) && /kernel /.test(s) && s, START_MS, 'the first refresh');
    assert.equal(columnHeaderRow(later), row, `first paint:\n${first}\nafter the first refresh:\n${later}`);
    r.term.sendKeys('q');
    assert.equal(await exitStatus(r.term), 0);
    await assertRestored(t, r);
  });

  test('by CPU% on a plain list, the first paint holds the first screen\'s rows and the process count, the state counts follow right after', async (t) => {
    const fixture = path.join(REPO, 'test', 'fixtures', 'procfs', 'basic');
    const listed = fs.readdirSync(fixture).filter((name) => /^\d+$/.test(name)).length;
    const r = runHeld(t, 5000, ['--proc-root', fixture]);
    await ready(r.term);
    // Everything written so far, as text: the first paint's rows are each placed, erased and written.
    const written = (): string => (fs.existsSync(r.outputFile) ? fs.readFileSync(r.outputFile, 'utf8') : '').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    const counts = (): string[] => [...written().matchAll(/Tasks: (\d+), (\S+) thr; (\S+) running/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    await waitFor(() => counts().some((c) => /^\d+ \d+ \d+$/.test(c)), REACT_MS, 'the whole first frame');
    const [first, ...later] = counts();
    assert.equal(first, `${listed} … …`, 'the first paint counts every process, the rest is not yet counted');
    assert.match(later.find((c) => !c.includes('…')) ?? '', new RegExp(`^${listed} \\d+ \\d+$`));
    assert.match(written(), /States: R:… S:… D:… T:… Z:… I:…/);
    assert.deepEqual(phases(r.trace).slice(-1), ['first-frame'], 'both painted before blessed took over');
    r.term.sendKeys('q');
    assert.equal(await exitStatus(r.term), 0);
    await assertRestored(t, r);
  });

  test('an uncaught exception (PROCTOP_TEST_CRASH_AFTER_MS): exit 1, the error on the main screen, the terminal restored', async (t) => {
    const r = run(t, { env: { PROCTOP_TEST_CRASH_AFTER_MS: '2500' } });
    const { term } = r;
    const status = await exitStatus(term, START_MS);
    assert.equal(status, 1);
    const screen = term.capture({ history: true });
    assert.match(screen, /proctop: .*test crash \(PROCTOP_TEST_CRASH_AFTER_MS\)/);
    // The bundle is minified: its source map (read at the crash, src/cli/stack-map.ts) gives the TypeScript file and line.
    assert.match(screen, /at .*\(src\/cli\/interactive\.ts:\d+:\d+\)/);
    // It was drawing on the alternate screen when it crashed, and left it before printing the error.
    const raw = fs.readFileSync(r.outputFile, 'latin1');
    const entered = raw.indexOf('\x1b[?1049h');
    const left = raw.lastIndexOf('\x1b[?1049l');
    const message = raw.indexOf('test crash');
    t.diagnostic(`raw output: alternate screen entered at byte ${entered}, left at ${left}, error at ${message}`);
    assert.ok(entered >= 0 && left > entered && message > left, 'enter the alternate screen, leave it, then the error');
    await assertRestored(t, r);
  });

  test('no terminal: stdout into a pipe or stdin from /dev/null exits 2 with one line pointing to --once', async (t) => {
    const out = path.join(scratch, 'notty-out');
    const err1 = path.join(scratch, 'notty-err1');
    const err2 = path.join(scratch, 'notty-err2');
    // Stdout into a pipe (the status printed from inside the pipeline's left side), then stdin from /dev/null.
    const script = `{ "$@" 2> "${err1}"; echo "A=$?" >&2; } | cat > "${out}"; "$@" < /dev/null 2> "${err2}"; echo "B=$?"`;
    const term = TmuxSession.start(['sh', '-c', script, 'sh', BIN, '-d', '5'], { width: 120, height: 20, cwd: REPO });
    sessions.push(term);
    t.after(() => term.kill());
    assert.deepEqual(await term.waitForExit(START_MS), { status: 0, signal: undefined });
    // With history: tmux's "Pane is dead" line can scroll the first line off the screen.
    const screen = term.capture({ history: true });
    assert.match(screen, /^A=2$/m);
    assert.match(screen, /^B=2$/m);
    assert.equal(fs.readFileSync(out, 'utf8'), '', 'nothing on a piped stdout');
    for (const file of [err1, err2]) {
      const text = fs.readFileSync(file, 'utf8');
      t.diagnostic(`${path.basename(file)}: ${JSON.stringify(text)}`);
      assert.match(text, /^proctop: [^\n]*--once[^\n]*\n$/);
    }
    // With stdout a terminal (the stdin case), nothing was drawn on it.
    assert.doesNotMatch(screen, /Tasks:|F10/);
  });

  /**
   * Whatever proctop does in an odd terminal: it works (a frame with PID, q exits 0, the terminal
   * restored), or it says why not and exits 2. Returns which, for the diagnostics.
   */
  async function worksOrRefuses(t: TestContext, options: RunOptions, what: string): Promise<string> {
    const r = run(t, options);
    const { term } = r;
    const outcome = await term.waitForScreen((s) => (/EXIT=\d+/.test(s) ? 'exited' : /^F1\s*Help/.test(parseScreen(s)?.footer ?? '') ? 'works' : undefined),
      START_MS, `${what}: a frame or an exit`, { history: true });
    if (outcome === 'works') {
      const screen = term.capture();
      assert.ok(screenLines(screen).every((l) => [...l].length <= (options.width ?? 120)), screen);
      term.sendKeys('q');
      assert.equal(await exitStatus(term), 0);
      await assertRestored(t, r);
      t.diagnostic(`${what}: works; first lines: ${JSON.stringify(screenLines(screen).slice(0, 3))}`);
      return 'works';
    }
    const screen = term.capture({ history: true });
    t.diagnostic(`${what}: exited; screen: ${JSON.stringify(screen.trim())}`);
    assert.equal(await exitStatus(term), 2, screen);
    assert.match(screen, /proctop: .+/);
    await assertRestored(t, r);
    return 'refused';
  }

  test('TERM unset: works or refuses clearly', async (t) => {
    await worksOrRefuses(t, { prefix: ['env', '-u', 'TERM'] }, 'TERM unset');
  });

  test('TERM with no terminfo entry on the host: blessed falls back to its own xterm entry (embedded in the bundle), and works', async (t) => {
    // terminfo has no such name (exact or prefix), so blessed's usr/xterm serves: in the bundle, the embedded copy.
    const r = run(t, { env: { TERM: 'proctop-no-such-terminal' } });
    await ready(r.term);
    r.term.sendKeys('q');
    assert.equal(await exitStatus(r.term), 0);
    await assertRestored(t, r);
  });

  test('20×5: works or refuses clearly', async (t) => {
    await worksOrRefuses(t, { width: 20, height: 5 }, '20×5');
  });

  test('400×120: works or refuses clearly', async (t) => {
    await worksOrRefuses(t, { width: 400, height: 120 }, '400×120');
  });

  /** TERM=dumb, run once for the two tests below. */
  let dumb: Promise<{ screen: string; status: number }> | undefined;
  function runDumb(t: TestContext): Promise<{ screen: string; status: number }> {
    dumb ??= (async () => {
      const r = run(t, { env: { TERM: 'dumb' } });
      const { term } = r;
      const screen = await term.waitForScreen((s) => (/EXIT=\d+/.test(s) || /PID/.test(s)) && s, START_MS, 'TERM=dumb: PID or an exit', { history: true });
      if (!/EXIT=\d+/.test(screen)) term.sendKeys('q');
      const status = await exitStatus(term);
      await assertRestored(t, r);
      return { screen, status };
    })();
    return dumb;
  }

  test('TERM=dumb: it ends with q (or by itself) and the terminal is sane afterwards', async (t) => {
    const { screen, status } = await runDumb(t);
    t.diagnostic(`TERM=dumb: exit ${status}; screen: ${JSON.stringify(screenLines(screen).slice(0, 6))}`);
    assert.ok(status === 0 || status === 2, `exit status ${status}`);
  });

  test('TERM=dumb: a usable screen or a clear refusal with exit 2', async (t) => {
    const { screen, status } = await runDumb(t);
    if (status === 2) {
      assert.match(screen, /proctop: .*(TERM|terminal)/);
      return;
    }
    const table = parseScreen(screen);
    assert.ok(table && /^\s*PID/.test(table.header) && /^F1\s*Help/.test(table.footer), `a table with a column header and an F-key bar:\n${screen}`);
  });

  test('resizing 120×40 → 40×10 keeps the selected row and the F-key bar on screen', async (t) => {
    const r = run(t, { args: ['-s', 'pid'] });
    const { term } = r;
    await ready(term);
    /** PID of the selected row (black on cyan, SGR 46) and of the fourth row, in a capture with escapes. */
    const pids = (s: string): { selected: number | undefined; fourth: number | undefined } => {
      const lines = screenLines(s);
      const plain = lines.map((l) => l.replace(/\x1b\[[0-9;:]*m/g, ''));
      const table = parseScreen(plain.join('\n'));
      const at = lines.findIndex((l) => /\x1b\[(?:[0-9;]*;)?46(?:;[0-9;]*)?m\s*\d+ /.test(l));
      if (!table) return { selected: undefined, fourth: undefined };
      return { selected: at >= 0 ? rowPid(table.header, plain[at] ?? '') : undefined, fourth: rowPid(table.header, table.rows[3] ?? '') };
    };
    // Sorted by PID, so three Downs select the fourth row, whatever the refreshes do.
    for (let i = 0; i < 3; i++) term.sendKeys('Down');
    const pid = await term.waitForScreen((s) => {
      const { selected, fourth } = pids(s);
      return selected !== undefined && selected === fourth && selected;
    }, REACT_MS, 'the fourth row selected', { escapes: true });
    term.resize(40, 10);
    const small = await term.waitForScreen((s) => {
      const lines = screenLines(s);
      return lines.length === 10 && lines.every((l) => [...l].length <= 40) && /^F1\s*Help/.test(lines[9] ?? '') && s;
    }, REACT_MS, 'a 40×10 frame with the F-key bar on the last line');
    const withEscapes = await term.waitForScreen((s) => pids(s).selected === pid && s, REACT_MS, `PID ${pid} still selected and on screen`, { escapes: true });
    t.diagnostic(`40×10:\n${small}`);
    assert.ok(withEscapes);
    term.sendKeys('q');
    assert.equal(await exitStatus(term), 0);
    await assertRestored(t, r);
  });
});

/** The DEC private modes (`CSI ? N h`) a byte stream turns on, as numbers. */
function modesSet(text: string): number[] {
  return [...text.matchAll(/\x1b\[\?([0-9;]+)h/g)].flatMap((m) => (m[1] ?? '').split(';').map(Number));
}

test('the bytes proctop writes in tmux hold no DCS, OSC or C1, and the mouse asks for clicks and the wheel only', async (t) => {
  const r = run(t);
  const { term } = r;
  await ready(term);
  term.sendKeys('q');
  assert.equal(await exitStatus(term), 0);
  // pipe-pane's cat can lag the screen: wait until the shell's prompt after proctop is in the file.
  await waitFor(() => fs.existsSync(r.outputFile) && fs.readFileSync(r.outputFile, 'latin1').includes('TYPE>'), REACT_MS, 'the whole stream in the pipe-pane file');
  const raw = fs.readFileSync(r.outputFile);
  // Valid UTF-8 throughout: a stray 8-bit byte would be a C1 control to a terminal in 8-bit mode.
  const text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  const at = (i: number): string => JSON.stringify(text.slice(Math.max(0, i - 40), i + 60));
  const dcs = text.indexOf('\x1bP');
  assert.equal(dcs, -1, `no DCS (ESC P), found at ${dcs}: ${at(dcs)}`);
  const osc = text.indexOf('\x1b]');
  assert.equal(osc, -1, `no OSC (ESC ]), found at ${osc}: ${at(osc)}`);
  const c1 = text.search(/[\u0080-\u009f]/);
  assert.equal(c1, -1, `no C1 control (U+0080–U+009F), found at ${c1}: ${at(c1)}`);
  const modes = modesSet(text);
  t.diagnostic(`modes set: ${[...new Set(modes)].join(' ')}`);
  // 1000: button press and release (clicks, the wheel); 1006: SGR encoding of the reports.
  assert.ok(modes.includes(1000) && modes.includes(1006), `normal tracking and SGR reports: ${modes.join(' ')}`);
  // 1001 highlight, 1002 drag (cell motion), 1003 all motion, 1005 UTF-8 and 1015 urxvt encodings: not needed.
  for (const mode of [1001, 1002, 1003, 1005, 1015]) assert.ok(!modes.includes(mode), `mode ${mode} is never asked for: ${modes.join(' ')}`);
  await assertRestored(t, r);
});
