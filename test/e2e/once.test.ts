/**
 * End-to-end tests of `proctop --once` (table, tree, JSON) and of bad command lines: the real
 * bin/proctop with its output on a pipe, against real processes started by the Landscape helper.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Landscape } from '../helpers/landscape';
import { commandCell, guideColumn, parseOnceTable, rightCell, rowPid } from '../helpers/screen';
import { privateHome } from '../helpers/private-home';
import { findExecutable } from '../helpers/landscape-tools';

const REPO = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO, 'bin', 'proctop');

const land = new Landscape();
/** No user settings: ~/.config/proctop/config.json could change the columns and the sort. */
const home = privateHome();
after(async () => {
  try {
    await land.cleanup();
  } finally {
    home.remove();
  }
});

function proctop(...args: string[]): SpawnSyncReturns<string> {
  const result = spawnSync(BIN, [...args], { cwd: REPO, env: { ...process.env, ...home.env }, encoding: 'utf8', input: '', timeout: 20_000, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return result;
}

/** The fields of one `--json` process the test checks. */
interface JsonProcess {
  readonly pid: number;
  readonly ppid: number;
  readonly state: string;
  readonly name: string;
  readonly command: string;
}

function isJsonProcess(value: unknown): value is JsonProcess {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.pid === 'number' && typeof v.ppid === 'number' && typeof v.state === 'string' && typeof v.name === 'string' && typeof v.command === 'string';
}

test('--once prints the htop column header with the sort mark', () => {
  const result = proctop('--once', '-d', '1');
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, '');
  const { header, rows } = parseOnceTable(result.stdout);
  assert.deepEqual(header.trim().split(/\s+/), ['PID', 'USER', 'PRI', 'NI', 'VIRT', 'RES', 'SHR', 'S', 'CPU%▽', 'MEM%', 'TIME+', 'THR', 'Command']);
  assert.ok(rows.length > 5, `${rows.length} rows`);
  assert.ok(rows.every((r) => rowPid(header, r) !== undefined), 'every row has a PID');
});

test('--once --json lists our own sleeper with its pid, ppid, state, name and command', async () => {
  const pid = await land.sleeper();
  const result = proctop('--once', '--json', '-d', '1');
  assert.equal(result.status, 0, result.stderr);
  const doc: unknown = JSON.parse(result.stdout);
  assert.ok(typeof doc === 'object' && doc !== null && Array.isArray((doc as { processes?: unknown }).processes), 'a processes array');
  const processes = (doc as { processes: unknown[] }).processes;
  assert.ok(processes.every(isJsonProcess), 'every process has pid, ppid, state, name and command');
  const mine = processes.filter(isJsonProcess).filter((p) => p.pid === pid);
  assert.equal(mine.length, 1, `PID ${pid} listed once`);
  const { ppid, state, name, command } = mine[0] as JsonProcess;
  assert.deepEqual({ ppid, state, name, command }, { ppid: process.pid, state: 'S', name: 'sleep', command: 'sleep 1000' });
});

test('--once --tree nests a 3-level chain', async () => {
  const chain = await land.chain(3);
  const result = proctop('--once', '--tree', '-d', '1');
  assert.equal(result.status, 0, result.stderr);
  const { header, rows } = parseOnceTable(result.stdout);
  const at = chain.map((pid) => rows.findIndex((r) => rowPid(header, r) === pid));
  assert.ok(at.every((i) => i >= 0), `all of ${chain.join(', ')} listed:\n${result.stdout}`);
  assert.deepEqual(at, [at[0], (at[0] as number) + 1, (at[0] as number) + 2], 'root, middle and leaf on consecutive lines');
  const lines = at.map((i) => rows[i] as string);
  const guides = lines.map((l) => guideColumn(header, l));
  assert.ok((guides[0] as number) >= 0, `the root hangs under this test's process:\n${lines.join('\n')}`);
  assert.ok((guides[1] as number) > (guides[0] as number) && (guides[2] as number) > (guides[1] as number), `deeper guides:\n${lines.join('\n')}`);
  assert.match(commandCell(header, lines[2] as string), /└─ sleep 1000$/);
  // Our own process is the root's parent, on a line above it with a shallower guide.
  const parentAt = rows.findIndex((r) => rowPid(header, r) === process.pid);
  assert.ok(parentAt >= 0 && parentAt < (at[0] as number), 'the test process is listed above the chain');
  assert.ok(guideColumn(header, rows[parentAt] as string) < (guides[0] as number));
});

for (const args of [['--delay', 'abc'], ['-s', 'bogus'], ['-p', '1,x'], ['--nope']]) {
  test(`${args.join(' ')}: exit 2 with one line on stderr`, () => {
    // With --once, a flag wrongly accepted would print a table and exit 0.
    const result = proctop('--once', ...args);
    assert.equal(result.status, 2, `status ${String(result.status)}, stderr:\n${result.stderr}`);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^proctop: [^\n]+\n$/, `exactly one line:\n${result.stderr}`);
    assert.doesNotMatch(result.stderr, /\bat .*:\d+:\d+|Error:/, 'no stack trace');
    assert.ok(result.stderr.includes(args[0] === '--nope' ? '--nope' : (args[1] as string)), `names the bad value: ${result.stderr}`);
  });
}

test('--once on a terminal that reports 0 columns (script(1)\'s pty) prints whole rows, not empty lines', (t) => {
  const script = findExecutable('script');
  if (script === undefined) return t.skip('script(1) (util-linux) is not installed');
  const command = `${JSON.stringify(BIN)} --once -d 1 -p 1`;
  const run = (env: NodeJS.ProcessEnv): string => {
    const r = spawnSync(script, ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...env, ...home.env }, timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.replace(/\r/g, '');
  };
  const plainEnv = { ...process.env };
  delete plainEnv.COLUMNS;
  const whole = run(plainEnv);
  const { header, rows } = parseOnceTable(whole);
  assert.match(header, /PID.*Command/, whole);
  assert.equal(rowPid(header, rows[0] ?? ''), 1, whole);
  assert.ok(commandCell(header, rows[0] ?? '').length > 0, 'the command is there');
  const narrow = run({ ...plainEnv, COLUMNS: '70' });
  assert.ok(narrow.split('\n').every((l) => l.length <= 70), `cut at $COLUMNS=70:\n${narrow}`);
  assert.match(narrow, /^\s*PID USER/m);
});

test('--once with the SWAP, OOM, OOMADJ, READ/s and WRITE/s columns shows our sleeper as /proc does; oomadj>700 finds it with no OOM column', async () => {
  const pid = await land.sleeper();
  // Raising one's own oom_score_adj needs no privilege.
  fs.writeFileSync(`/proc/${pid}/oom_score_adj`, '777\n');
  const result = proctop('--once', '-d', '1', '-p', String(pid), '--columns', 'pid,swap,oomscore,oomadj,ioread,iowrite,command');
  assert.equal(result.status, 0, result.stderr);
  const { header, rows } = parseOnceTable(result.stdout);
  assert.deepEqual(header.trim().split(/\s+/), ['PID', 'SWAP', 'OOM', 'OOMADJ', 'READ/s', 'WRITE/s', 'Command']);
  const row = rows.find((r) => rowPid(header, r) === pid);
  assert.ok(row, `a row for ${pid}:\n${result.stdout}`);
  const vmSwapKb = /\nVmSwap:\s*(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  assert.equal(rightCell(header, row, 'SWAP'), vmSwapKb, 'SWAP is VmSwap in KiB');
  assert.equal(rightCell(header, row, 'OOMADJ'), '777');
  assert.equal(rightCell(header, row, 'OOM'), fs.readFileSync(`/proc/${pid}/oom_score`, 'utf8').trim(), 'OOM is oom_score (an idle sleeper: steady)');
  // A sleeping `sleep` does no I/O between the two scans.
  assert.deepEqual([rightCell(header, row, 'READ/s'), rightCell(header, row, 'WRITE/s')], ['0', '0']);
  const found = proctop('--once', '-d', '1', '-F', `oomadj>700 pid:${pid}`, '--columns', 'pid,command');
  assert.equal(found.status, 0, found.stderr);
  const filtered = parseOnceTable(found.stdout);
  assert.deepEqual(filtered.rows.map((r) => rowPid(filtered.header, r)), [pid]);
});

test('--once whose reader has gone (`| head`) stops quietly with status 0, as dump does', async () => {
  const child = spawn(BIN, ['--once', '-d', '1'], { cwd: REPO, env: { ...process.env, ...home.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // The read end closes now (libuv closes a pipe's descriptor in the call), long before Node in
  // the child has started: the first write fails, whatever the output's size.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  assert.deepEqual([code, signal], [0, null], stderr);
  assert.equal(stderr, '', 'no "write EPIPE" message');
});
