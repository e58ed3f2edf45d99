/**
 * Hostile process names and command lines, shown by the real bin/proctop in a real terminal
 * (tmux, 200×50): real processes whose comm and argv hold escape sequences, C0/C1 controls,
 * blessed markup, invalid UTF-8, wide characters, a bidi override, 100 KB, nothing, or text
 * rewritten at run time. Nothing may reach the terminal unsanitized: the pane title stays, the
 * byte stream proctop writes holds no OSC/DCS/C1/BEL, the screen is neither cleared nor
 * recoloured, every hostile byte is visible as an escape, and the columns stay aligned.
 *
 * One proctop session serves the screen tests (they run in order and only look, except the last
 * ones: details/dialog and the run-time rewrite); the emoji cases get a session of their own (a
 * todo test: blessed mis-draws them). Findings that are not fixed yet are `todo` tests, whose
 * diagnostics show what proctop drew. Every wait polls with a timeout.
 */
import { ARGV_RECHECK_MS } from '../../src/sampler/sampler';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TmuxSession } from '../helpers/tmux';
import { HostileLandscape, HostileSpec } from '../helpers/hostile-procs';
import { parseScreen, rowPid, ScreenTable, screenLines } from '../helpers/screen';
import { privateHome } from '../helpers/private-home';
import { readCmdline, readComm } from '../helpers/proc-read';
import { waitFor } from '../helpers/wait';

const REPO = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO, 'bin', 'proctop');
const WIDTH = 200;
const HEIGHT = 50;
/** First frame: node start-up, blessed and a /proc scan, on a loaded 2-core machine. */
const START_MS = 60_000;
/** A reaction to a key or a refresh (a scan can take over a second under load). */
const REACT_MS = 30_000;
/** PID and USER first (the screen parser finds the header by them), then NAME (comm) and S. */
const COLUMNS = 'pid,user,name,state,command';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

/** One hostile text, used as the comm and as argv[1] (after the label `h-<id>`, before `end`). */
interface Case {
  readonly id: string;
  readonly bytes: Buffer;
  /** The text as proctop must show it: escaped, visible. */
  readonly shown: string;
  /** How the comm (the first 15 bytes) must show, when that differs from `shown`. */
  readonly commShown?: string;
}

const CASES: readonly Case[] = [
  { id: 'paren', bytes: b('a) R 1 (b'), shown: 'a) R 1 (b' },
  { id: 'newline', bytes: b('a\nb'), shown: 'a\\nb' },
  { id: 'tab', bytes: b('a\tb'), shown: 'a\\tb' },
  { id: 'osc', bytes: b('\x1b]0;pwned\x07'), shown: '\\x1b]0;pwned\\x07' },
  { id: 'clear', bytes: b('\x1b[2J'), shown: '\\x1b[2J' },
  { id: 'sgr', bytes: b('\x1b[31mred'), shown: '\\x1b[31mred' },
  { id: 'dcs', bytes: b('\x1bP$qm\x1b\\'), shown: '\\x1bP$qm\\x1b\\' },
  { id: 'c1', bytes: b('\u009b2J'), shown: '\\x9b2J' },
  { id: 'raw9b', bytes: Buffer.from([0x9b, 0x32, 0x4a]), shown: '\ufffd2J' },
  { id: 'markup', bytes: b('{red-fg}x{/red-fg}'), shown: '{red-fg}x{/red-fg}', commShown: '{red-fg}x{/red-' },
  { id: 'bold', bytes: b('{bold}B'), shown: '{bold}B' },
  { id: 'invalid', bytes: Buffer.from([0xff, 0xfe, 0x78]), shown: '\ufffd\ufffdx' },
  { id: 'cjk', bytes: b('日本語'), shown: '日本語' },
  { id: 'emoji', bytes: b('🔥'), shown: '🔥' },
  { id: 'rlo', bytes: b('\u202eabc'), shown: '\\u202eabc' },
  // Emoji before CJK: blessed and the terminal disagree on the emoji's width (see the todo test).
  { id: 'mixed', bytes: b('🔥日本'), shown: '🔥日本' },
  {
    id: 'sink',
    bytes: b('\x1b]2;sink\x07\x1b[2J\x1bP+q544e\x1b\\\u009b31m{red-fg}R\u202eZ\r'),
    shown: '\\x1b]2;sink\\x07\\x1b[2J\\x1bP+q544e\\x1b\\\\x9b31m{red-fg}R\\u202eZ\\r',
  },
];

/** 100 KB in one argument: wide characters, an SGR sequence and markup, over and over. */
const LONG_UNIT = '日本語\x1b[31m{red-fg}x ';
const LONG = LONG_UNIT.repeat(Math.ceil(100 * 1024 / Buffer.byteLength(LONG_UNIT)));
/** Run-time rewrites: the new argv[1] (same byte length as the old one, as setproctitle keeps it). */
const REWRITTEN = 'after\x1b]0;rw\x07';
const REWRITTEN_SHOWN = 'after\\x1b]0;rw\\x07';
const BEFORE = 'before'.padEnd(Buffer.byteLength(REWRITTEN), '-');

const SPECS: Readonly<Record<string, HostileSpec>> = {
  ...Object.fromEntries(CASES.map((c) => [c.id, { comm: c.bytes, argv: [b(`h-${c.id}`), c.bytes, b('end')] }])),
  control: { comm: b('h-control'), argv: [b('h-control'), b('plain')] },
  long: { comm: b('h-long'), argv: [b('h-long'), b(LONG)] },
  empty: { comm: b('h-empty'), argv: [Buffer.alloc(0)] },
  // Rewrites its argv in place and renames itself: the sampler re-reads argv when comm changes.
  rwComm: { comm: b('h-rw-comm'), argv: [b('h-rw-comm'), b(BEFORE)], rewrite: { argv: [b('h-rw-comm'), b(REWRITTEN)], comm: b('h-rw-comm2') } },
  // Rewrites its argv in place only (setproctitle without a rename).
  rwOnly: { comm: b('h-rw-only'), argv: [b('h-rw-only'), b(BEFORE)], rewrite: { argv: [b('h-rw-only'), b(REWRITTEN)] } },
};
const IDS = Object.keys(SPECS);
/**
 * Shown in a session of their own: blessed's emoji width differs from the terminal's, and once
 * rows move (the host-facts line arriving late pushes the table down) an emoji row leaves stale
 * cells on the lines it passes (see the todo test), which would garble the other cases.
 */
const EMOJI_IDS = ['emoji', 'mixed'];
const MAIN_IDS = IDS.filter((id) => !EMOJI_IDS.includes(id));

/**
 * What --once --json must carry: /proc's text, invalid UTF-8 decoded to U+FFFD, and then the
 * exact bytes (base64) in nameBytes/commandBytes, computed here from the spec's bytes.
 */
function expectedJson(spec: HostileSpec): { name: string; command: string; nameBytes: string | null; commandBytes: string | null } {
  const comm = spec.comm.subarray(0, 15);
  // An argv of one empty string has no text: shown like a kernel thread's, `[comm]`.
  const empty = spec.argv.length === 1 && spec.argv[0]?.length === 0;
  const commandRaw = empty ? Buffer.concat([b('['), comm, b(']')]) : Buffer.concat(spec.argv.flatMap((a, i) => (i === 0 ? [a] : [b(' '), a])));
  const exact = (bytes: Buffer): string | null => (isUtf8(bytes) ? null : bytes.toString('base64'));
  return { name: comm.toString('utf8'), command: commandRaw.toString('utf8'), nameBytes: exact(comm), commandBytes: exact(commandRaw) };
}

// ---- terminal columns, computed here independently of src/view/text.ts --------------------

/** Cells a code point takes in tmux (wcwidth): 2 for the CJK and emoji used here, else 1. */
function cellsOf(cp: number): number {
  const wide = (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) || (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}

/** A captured line as one string per terminal cell ('' for the right half of a wide character). */
function cellsOfLine(line: string): string[] {
  const cells: string[] = [];
  for (const ch of line) {
    cells.push(ch);
    if (cellsOf(ch.codePointAt(0) ?? 0) === 2) cells.push('');
  }
  return cells;
}

/** The first `width` columns of `s` (a wide character that would straddle is left out). */
function firstColumns(s: string, width: number): string {
  let used = 0;
  let out = '';
  for (const ch of s) {
    const w = cellsOf(ch.codePointAt(0) ?? 0);
    if (used + w > width) break;
    used += w;
    out += ch;
  }
  return out;
}

/** Column of a header title (the header is ASCII plus a one-column sort mark). */
function titleColumn(header: string, title: string): number {
  const match = new RegExp(`(^|\\s)${title}[▽△]?(?=\\s|$)`).exec(header);
  assert.ok(match, `no ${title} in the header: ${header}`);
  return match.index + (match[1] ?? '').length;
}

// ---- the session ---------------------------------------------------------------------------

const land = new HostileLandscape();
const home = privateHome();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-hostile-'));
/** Everything proctop wrote to the terminal, via tmux pipe-pane. */
const outputFile = path.join(scratch, 'output');
const TITLE = `known-${randomBytes(3).toString('hex')}`;
let term: TmuxSession | undefined;
const pid: Record<string, number> = {};

after(async () => {
  const results = await Promise.allSettled([term?.kill(), land.cleanup()]);
  home.remove();
  fs.rmSync(scratch, { recursive: true, force: true });
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) throw new Error(failed.map((r) => String(r.reason)).join('\n'));
});

function session(): TmuxSession {
  assert.ok(term, 'the session did not start');
  return term;
}

/** The uptime meter's text: a new value means a new scan. */
const uptimeOf = (s: string): string | undefined => /Uptime: ((?:\d+d )?[\d:]+)/.exec(s)?.[1];

const pidList = (ids: readonly string[] = IDS): string => ids.map((id) => pid[id]).join(',');

/** The table once every hostile process has its row. */
function fullTable(s: string, ids: readonly string[] = MAIN_IDS): ScreenTable | false {
  const table = parseScreen(s);
  if (!table) return false;
  const shown = new Set(table.rows.map((r) => rowPid(table.header, r)));
  return ids.every((id) => shown.has(pid[id])) && /F10\s*Quit/.test(table.footer) && table;
}

function rowOf(table: ScreenTable, id: string): string {
  const rows = table.rows.filter((r) => rowPid(table.header, r) === pid[id]);
  assert.equal(rows.length, 1, `one row for ${id} (PID ${pid[id]}):\n${table.rows.join('\n')}`);
  return rows[0] ?? '';
}

/**
 * A capture of a whole frame: the table twice in a row the same (tmux can be captured while it is
 * still taking in a frame, and a frame rewrites every cell holding a wide character).
 */
async function settled(): Promise<{ screen: string; table: ScreenTable }> {
  let previous = '';
  return session().waitForScreen((s) => {
    const table = fullTable(s);
    const rows = table ? table.rows.join('\n') : '';
    const same = table && rows === previous;
    previous = rows;
    return same && { screen: s, table };
  }, REACT_MS, 'two captures with the same table');
}

/** Cells of the NAME column (15 wide) and the Command column (to the end), trailing blanks trimmed. */
function cellsOfRow(table: ScreenTable, id: string): { name: string; command: string; state: string; width: number } {
  const cells = cellsOfLine(rowOf(table, id));
  const nameAt = titleColumn(table.header, 'NAME');
  return {
    name: cells.slice(nameAt, nameAt + 15).join('').trimEnd(),
    state: cells[titleColumn(table.header, 'S')] ?? '',
    command: cells.slice(titleColumn(table.header, 'Command')).join('').trimEnd(),
    width: cells.length,
  };
}

before(async () => {
  const pids = await land.family(IDS.map((id) => SPECS[id] as HostileSpec));
  IDS.forEach((id, i) => {
    pid[id] = pids[i] ?? 0;
  });
  // The shell first sets a title with OSC 2 (proving this tmux honours it, so the title check
  // below can fail), then waits for Enter, so the title and the output pipe are in place before
  // proctop writes its first byte.
  const control = `ctl-${randomBytes(3).toString('hex')}`;
  term = TmuxSession.start(['sh', '-c', `printf '\\033]2;%s\\007' "$0"; read go; exec "$@"`, control,
    BIN, '-d', '5', '-s', 'pid', '-p', pidList(MAIN_IDS), '--columns', COLUMNS], { width: WIDTH, height: HEIGHT, cwd: REPO, env: home.env });
  await waitFor(() => term?.paneTitle() === control, 10_000, `the control title ${control}`);
  term.setTitle(TITLE);
  assert.equal(term.paneTitle(), TITLE);
  term.pipeOutput(outputFile);
  term.sendKeys('Enter');
  const first = uptimeOf(await term.waitForScreen((s) => fullTable(s) && s, START_MS, `a frame with all ${MAIN_IDS.length} hostile processes`));
  // And a refresh after it: blessed redraws only what changed, the rows included.
  await term.waitForScreen((s) => uptimeOf(s) !== first && fullTable(s), REACT_MS, 'a later frame');
});

test('the pane title stays as set: no OSC from a name or command line reaches the terminal', async () => {
  assert.equal(session().paneTitle(), TITLE);
});

test('the byte stream to the terminal holds no OSC, DCS, APC/PM/SOS, BEL or C1, and is valid UTF-8', () => {
  const raw = fs.readFileSync(outputFile);
  assert.ok(raw.length > 1000, `pipe-pane caught only ${raw.length} bytes`);
  // blessed's own DCS: mouse modes passed through tmux (it sees $TMUX), ESC Ptmux; ESC ESC[?1003h ESC \\.
  const text = new TextDecoder('utf-8', { fatal: true }).decode(raw).replace(/\x1bPtmux;(?:\x1b\x1b\[\?\d+[hl])+\x1b\\/g, '');
  const bad = /\x1b[\]P_^X]|\x07|[\u0080-\u009f]/.exec(text);
  assert.equal(bad, null, bad ? `found ${JSON.stringify(text.slice(Math.max(0, bad.index - 40), bad.index + 40))}` : '');
  // Nothing erases the display after the first frame's own clear: a leaked ESC[2J / ESC[J would.
  const erases = text.match(/\x1b\[[0-3]?J/g) ?? [];
  assert.ok(erases.length <= 1, `the display was erased ${erases.length} times`);
});

test('the screen (with attributes) has no escape but SGR colour codes and no control characters', () => {
  const withEscapes = session().capture({ escapes: true });
  const foreign = /\x1b(?!\[[0-9;:]*m)/.exec(withEscapes);
  assert.equal(foreign, null, foreign ? `non-SGR escape at ${JSON.stringify(withEscapes.slice(foreign.index, foreign.index + 30))}` : '');
  const plain = session().capture();
  assert.doesNotMatch(plain, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
});

test('the screen is not cleared or recoloured: meters, header, the control row and the F-key bar stay', async () => {
  const t = session();
  const { screen, table } = await settled();
  assert.match(screen, /Tasks: \d+/);
  assert.match(screen, /Load average: [\d.]+/);
  assert.match(table.header, /^\s*PID[▽△]? USER\s+NAME\s+S Command/);
  assert.equal(cellsOfRow(table, 'control').command, 'h-control plain');
  assert.match(table.footer, /F1\s*Help.*F10\s*Quit/);
  // One line per process: no newline, CR or wrap split a row.
  assert.equal(table.rows.length, MAIN_IDS.length, table.rows.join('\n'));
  assert.equal(screenLines(screen).length, HEIGHT);
  // No row is red or bold: neither ESC[31m nor {red-fg}/{bold} took effect.
  const rowLines = screenLines(t.capture({ escapes: true })).filter((l) => /^(\x1b\[[0-9;]*m)*\s*\d+ /.test(l));
  assert.equal(rowLines.length, MAIN_IDS.length);
  for (const line of rowLines) assert.doesNotMatch(line, /\x1b\[(?:[0-9;]*;)?(?:31|1)(?:;[0-9;]*)?m/, JSON.stringify(line));
});

test('every hostile byte shows as a visible escape, in NAME (comm) and in Command (argv)', async (t) => {
  const { screen, table } = await settled();
  for (const c of CASES.filter((x) => MAIN_IDS.includes(x.id))) {
    const cells = cellsOfRow(table, c.id);
    t.diagnostic(`${c.id}: NAME=${JSON.stringify(cells.name)} Command=${JSON.stringify(cells.command)}`);
    assert.equal(cells.name, firstColumns(c.commShown ?? c.shown, 15), `NAME of ${c.id}; screen:\n${screen}`);
    assert.equal(cells.command, `h-${c.id} ${c.shown} end`, `Command of ${c.id}; screen:\n${screen}`);
  }
  // An argv of one empty string: shown as `[comm]`, like a kernel thread.
  const empty = cellsOfRow(table, 'empty');
  t.diagnostic(`empty argv: NAME=${JSON.stringify(empty.name)} Command=${JSON.stringify(empty.command)}`);
  assert.equal(empty.command, '[h-empty]');
});

test('wide characters keep the columns aligned; every row fits in 200 columns; 100 KB is cut to the width', async (t) => {
  const { table } = await settled();
  const stateAt = titleColumn(table.header, 'S');
  for (const id of MAIN_IDS) {
    const cells = cellsOfRow(table, id);
    assert.equal(cells.state, 'S', `the S column of ${id} is at column ${stateAt}: ${rowOf(table, id)}`);
    assert.ok(cells.width <= WIDTH, `${id} takes ${cells.width} columns`);
  }
  assert.equal(cellsOfRow(table, 'cjk').name, '日本語');
  // The 100 KB row: exactly the first columns of its sanitized text (a cut may end in a blank
  // where a wide character would not fit).
  const long = cellsOfRow(table, 'long');
  const want = firstColumns(`h-long ${LONG.replace(/\x1b/g, '\\x1b')}`, WIDTH - titleColumn(table.header, 'Command')).trimEnd();
  t.diagnostic(`long: ${long.width} columns; Command cell ${JSON.stringify(long.command)}`);
  assert.equal(long.command, want);
  assert.ok(long.width >= WIDTH - 2, `the 100 KB row takes ${long.width} columns`);
});

test('emoji, alone or followed by CJK, stay in place across refreshes', async (t) => {
  const ids = [...EMOJI_IDS, 'cjk', 'control'];
  const term = TmuxSession.start([BIN, '-d', '5', '-s', 'pid', '-p', pidList(ids), '--columns', COLUMNS], { width: WIDTH, height: 20, cwd: REPO, env: home.env });
  t.after(() => term.kill());
  const first = uptimeOf(await term.waitForScreen((s) => fullTable(s, ids) && s, START_MS, 'a frame with the emoji rows'));
  const second = await term.waitForScreen((s) => uptimeOf(s) !== first && uptimeOf(s), REACT_MS, 'a second frame');
  const screen = await term.waitForScreen((s) => uptimeOf(s) !== second && fullTable(s, ids) && s, REACT_MS, 'a third frame');
  const table = fullTable(screen, ids);
  assert.ok(table);
  for (const id of ids) {
    const cells = cellsOfRow(table, id);
    t.diagnostic(`${id}: NAME=${JSON.stringify(cells.name)} S=${JSON.stringify(cells.state)} Command=${JSON.stringify(cells.command)}`);
  }
  for (const id of ids) assert.equal(cellsOfRow(table, id).state, 'S', `${id}: S column in place`);
  assert.equal(cellsOfRow(table, 'emoji').name, '🔥');
  assert.equal(cellsOfRow(table, 'emoji').command, 'h-emoji 🔥 end');
  assert.equal(cellsOfRow(table, 'mixed').name, '🔥日本');
  assert.equal(cellsOfRow(table, 'mixed').command, 'h-mixed 🔥日本 end');
});

function once(...args: string[]): SpawnSyncReturns<Buffer> {
  const result = spawnSync(BIN, ['--once', '-d', '1', '-p', pidList(), ...args], {
    cwd: REPO, env: { ...process.env, ...home.env }, input: '', timeout: 30_000, maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return result;
}

test('--once prints no control character, C1 or invalid UTF-8, and the same visible escapes', () => {
  const result = once('--columns', COLUMNS);
  assert.equal(result.status, 0, result.stderr.toString());
  const text = new TextDecoder('utf-8', { fatal: true }).decode(result.stdout);
  const bad = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/.exec(text);
  assert.equal(bad, null, bad ? `found U+${(bad[0].codePointAt(0) ?? 0).toString(16)} near ${JSON.stringify(text.slice(Math.max(0, bad.index - 30), bad.index + 30))}` : '');
  const lines = text.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, IDS.length + 1, 'the header and one line per process');
  for (const c of CASES) assert.ok(lines.some((l) => l.endsWith(` h-${c.id} ${c.shown} end`)), `${c.id} shown as ${c.shown}`);
  // To a pipe the whole command line is kept (sanitized, so longer than the 100 KB).
  const long = lines.find((l) => l.includes('h-long '));
  assert.ok(long !== undefined && Buffer.byteLength(long) > 100 * 1024, 'the whole 100 KB command line');
});

test('--once --json carries the exact strings (invalid UTF-8 as U+FFFD, its bytes as base64), with nothing raw for a terminal', () => {
  const result = once('--json');
  assert.equal(result.status, 0, result.stderr.toString());
  const text = new TextDecoder('utf-8', { fatal: true }).decode(result.stdout);
  assert.doesNotMatch(text, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
  const doc: unknown = JSON.parse(text);
  assert.ok(typeof doc === 'object' && doc !== null && Array.isArray((doc as { processes?: unknown }).processes));
  const processes = (doc as { processes: unknown[] }).processes;
  for (const id of IDS) {
    const found = processes.filter((p): p is { pid: number; name: string; command: string; nameBytes: unknown; commandBytes: unknown } =>
      typeof p === 'object' && p !== null && (p as { pid?: unknown }).pid === pid[id]);
    assert.equal(found.length, 1, `one JSON process for ${id}`);
    const { name, command, nameBytes, commandBytes } = found[0] as { name: string; command: string; nameBytes: unknown; commandBytes: unknown };
    assert.deepEqual({ name, command, nameBytes, commandBytes }, expectedJson(SPECS[id] as HostileSpec), id);
  }
  // The cases with invalid bytes did get them back (so the comparison above is not all nulls).
  const withBytes = processes.filter((p) => typeof (p as { commandBytes?: unknown }).commandBytes === 'string');
  assert.deepEqual(withBytes.map((p) => (p as { pid: number }).pid).sort(), [pid.invalid, pid.raw9b].sort());
});

test('the details panel (Enter) and the signal confirmation (k) show the hostile text escaped too', async () => {
  const t = session();
  t.sendKeys('/');
  await t.waitForText(/^Search: _?/m, REACT_MS);
  t.pasteText('h-sink');
  await t.waitForText(/^Search: h-sink/m, REACT_MS);
  t.sendKeys('Enter');
  // The selected row (black on cyan) is the sink's.
  await t.waitForScreen((s) => screenLines(s).some((l) => /\x1b\[(?:[0-9;]*;)?46(?:;[0-9;]*)?m\s*\d+ /.test(l) && l.includes(`${pid.sink} `) && l.includes('h-sink')) && s,
    REACT_MS, 'the sink row selected', { escapes: true });
  const sink = CASES.find((c) => c.id === 'sink') as Case;
  t.sendKeys('Enter');
  const details = await t.waitForText(/command:/, REACT_MS);
  assert.ok(details.includes(`h-sink ${sink.shown} end`), details);
  assert.equal(t.paneTitle(), TITLE);
  assert.doesNotMatch(t.capture({ escapes: true }), /\x1b(?!\[[0-9;:]*m)/);
  t.sendKeys('Escape');
  await t.waitForScreen((s) => !/command:/.test(s) && fullTable(s), REACT_MS, 'the table again');
  t.sendKeys('k');
  await t.waitForText(/Send signal/, REACT_MS);
  t.sendKeys('Enter');
  const dialog = await t.waitForText(/y\/Enter/, REACT_MS);
  assert.ok(screenLines(dialog).some((l) => l.includes(`${pid.sink} `) && l.includes('h-sink \\x1b]2;sink\\x07')), dialog);
  assert.equal(t.paneTitle(), TITLE);
  t.sendKeys('Escape');
  await t.waitForScreen((s) => /Cancelled/.test(s) && fullTable(s), REACT_MS, 'the dialog closed, nothing sent');
  assert.equal(readComm(pid.sink ?? 0)?.equals((SPECS.sink as HostileSpec).comm.subarray(0, 15)), true, 'the sink process is still there');
});

/**
 * Rewrites both processes' argv in place (SIGUSR1), rw-comm also renaming itself; waits until
 * /proc shows both, then for two frames with different uptimes: the scan behind the second one
 * started after the first finished, i.e. after both rewrites. Returns that second screen.
 */
let rewritten: Promise<string> | undefined;
function rewriteAndRefresh(): Promise<string> {
  rewritten ??= (async () => {
    const t = session();
    for (const id of ['rwOnly', 'rwComm']) process.kill(pid[id] ?? 0, 'SIGUSR1');
    const want = (id: string): Buffer => Buffer.concat([b(`h-${id === 'rwOnly' ? 'rw-only' : 'rw-comm'}\0`), b(`${REWRITTEN}\0`)]);
    await waitFor(() => ['rwOnly', 'rwComm'].every((id) => readCmdline(pid[id] ?? 0)?.equals(want(id))), 5000, 'both argv rewritten in /proc');
    await waitFor(() => readComm(pid.rwComm ?? 0)?.toString() === 'h-rw-comm2', 5000, 'rw-comm renamed');
    const first = uptimeOf(t.capture());
    const second = await t.waitForScreen((s) => uptimeOf(s) !== first && uptimeOf(s), REACT_MS, 'a later frame (uptime changed)');
    return t.waitForScreen((s) => uptimeOf(s) !== second && fullTable(s) && s, REACT_MS, 'a frame from a scan started after both rewrites');
  })();
  return rewritten;
}

test('an argv rewritten at run time together with a comm change shows, escaped, after a refresh', async (t) => {
  const table = fullTable(await rewriteAndRefresh());
  assert.ok(table);
  const cells = cellsOfRow(table, 'rwComm');
  t.diagnostic(`rw-comm after the rewrite: NAME=${JSON.stringify(cells.name)} Command=${JSON.stringify(cells.command)}`);
  assert.equal(cells.name, 'h-rw-comm2');
  assert.equal(cells.command, `h-rw-comm ${REWRITTEN_SHOWN}`);
  assert.equal(session().paneTitle(), TITLE);
});

test('an argv rewritten in place without a comm change shows within the slow re-read (ARGV_RECHECK_MS + spread)', async (t) => {
  await rewriteAndRefresh();
  // setproctitle leaves no trace in stat, so the sampler re-reads argv on a slow timer spread over pids.
  const screen = await session().waitForScreen((s) => {
    const table = fullTable(s);
    return table !== false && cellsOfRow(table, 'rwOnly').command === `h-rw-only ${REWRITTEN_SHOWN}` && s;
  }, ARGV_RECHECK_MS + 20 * 750 + REACT_MS, 'the rewritten argv of rw-only on screen');
  const table = fullTable(screen);
  assert.ok(table);
  t.diagnostic(`rw-only after the rewrite: Command=${JSON.stringify(cellsOfRow(table, 'rwOnly').command)}`);
});
