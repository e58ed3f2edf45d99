import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { findTool, handOffCommand, runTool, toolInvocation, withPause } from '../../../src/actions/tools';
import { StartTimeProbe } from '../../../src/actions/send-signal';

type Tool = 'strace' | 'lsof' | 'taskset' | 'ionice';
const TOOLS: readonly Tool[] = ['strace', 'lsof', 'taskset', 'ionice'];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-tools-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A directory holding a fake executable (a shell script) for each of `names`. */
function binDir(name: string, names: readonly string[], script = '#!/bin/sh\nexit 0\n'): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const n of names) fs.writeFileSync(path.join(dir, n), script, { mode: 0o755 });
  return dir;
}

const ALL = binDir('all', TOOLS);
const EMPTY = binDir('empty', []);

/** Runs `fn` with PATH set to `envPath`, restoring PATH after. */
function withPath<T>(envPath: string, fn: () => T): T {
  const saved = process.env.PATH;
  process.env.PATH = envPath;
  try {
    return fn();
  } finally {
    process.env.PATH = saved;
  }
}

const target = { pid: 4242, startTicks: 777 };
const alive: StartTimeProbe = (pid) => (pid === 4242 ? 777 : undefined);

function command(tool: Tool, value = '', probe: StartTimeProbe = alive, envPath = ALL): ReturnType<typeof toolInvocation> {
  return withPath(envPath, () => toolInvocation(tool, target, value, probe));
}

// command lines

test('strace follows forks of the target: strace -f -p PID', () => {
  assert.deepEqual(command('strace'), { ok: true, value: { file: path.join(ALL, 'strace'), args: ['-f', '-p', '4242'] } });
});

test('lsof lists the target\'s files: lsof -p PID', () => {
  assert.deepEqual(command('lsof'), { ok: true, value: { file: path.join(ALL, 'lsof'), args: ['-p', '4242'] } });
});

test('taskset sets the typed CPU list on the target: taskset -pc LIST PID', () => {
  for (const list of ['0', '0-3', '0-3,6', '1,3,5-7']) {
    assert.deepEqual(command('taskset', list), { ok: true, value: { file: path.join(ALL, 'taskset'), args: ['-pc', list, '4242'] } }, list);
  }
});

test('taskset refuses what is not a CPU list, and never echoes control characters', () => {
  for (const bad of ['', 'all', '0-', '-3', '1,,2', '0 3', '3;rm -rf /', '1\x1b[2J']) {
    const r = command('taskset', bad);
    assert.ok(!r.ok, JSON.stringify(bad));
    assert.match(r.error, /^not a CPU list: ".*" \(e\.g\. 0-3,6\)$/);
    assert.equal(/[\x00-\x1f]/.exec(r.error), null, JSON.stringify(r.error));
  }
});

test('ionice with class and level: ionice -c CLASS -n LEVEL -p PID', () => {
  assert.deepEqual(command('ionice', '2 7'), { ok: true, value: { file: path.join(ALL, 'ionice'), args: ['-c', '2', '-n', '7', '-p', '4242'] } });
  assert.deepEqual(command('ionice', '1 0'), { ok: true, value: { file: path.join(ALL, 'ionice'), args: ['-c', '1', '-n', '0', '-p', '4242'] } });
});

test('ionice with a class only, or the idle class (which has no level): ionice -c CLASS -p PID', () => {
  assert.deepEqual(command('ionice', '2'), { ok: true, value: { file: path.join(ALL, 'ionice'), args: ['-c', '2', '-p', '4242'] } });
  assert.deepEqual(command('ionice', '3'), { ok: true, value: { file: path.join(ALL, 'ionice'), args: ['-c', '3', '-p', '4242'] } });
  assert.deepEqual(command('ionice', '3 5'), { ok: true, value: { file: path.join(ALL, 'ionice'), args: ['-c', '3', '-p', '4242'] } });
});

test('ionice refuses a class outside 1-3 or a level outside 0-7', () => {
  for (const bad of ['', '0', '4', '2 8', '2 -1', 'best-effort', '2 7 1']) {
    const r = command('ionice', bad);
    assert.ok(!r.ok, JSON.stringify(bad));
    assert.match(r.error, /^expected CLASS \[LEVEL\]/);
  }
});

test('the target pid is the one the command line names', () => {
  const other = { pid: 77, startTicks: 5 };
  const r = withPath(ALL, () => toolInvocation('lsof', other, '', (pid) => (pid === 77 ? 5 : undefined)));
  assert.deepEqual(r, { ok: true, value: { file: path.join(ALL, 'lsof'), args: ['-p', '77'] } });
});

// refusals

test('a target that is gone is refused for every tool, with no command line', () => {
  for (const tool of TOOLS) {
    assert.deepEqual(command(tool, tool === 'ionice' ? '2' : '0', () => undefined), { ok: false, error: 'PID 4242: no such process (already gone)' }, tool);
  }
});

test('a target whose start time changed (pid reused) is refused for every tool', () => {
  for (const tool of TOOLS) {
    assert.deepEqual(command(tool, tool === 'ionice' ? '2' : '0', () => 778), { ok: false, error: 'PID 4242: the PID now belongs to another process' }, tool);
  }
});

test('the start time is probed for the target pid', () => {
  const probed: number[] = [];
  command('strace', '', (pid) => { probed.push(pid); return 777; });
  assert.deepEqual(probed, [4242]);
});

test('a tool not on PATH is refused with the apt package that provides it', () => {
  assert.deepEqual(command('strace', '', alive, EMPTY), { ok: false, error: 'strace is not installed (apt-get install strace)' });
  assert.deepEqual(command('lsof', '', alive, EMPTY), { ok: false, error: 'lsof is not installed (apt-get install lsof)' });
  assert.deepEqual(command('taskset', '0', alive, EMPTY), { ok: false, error: 'taskset is not installed (apt-get install util-linux)' });
  assert.deepEqual(command('ionice', '2', alive, EMPTY), { ok: false, error: 'ionice is not installed (apt-get install util-linux)' });
});

test('a file of the tool\'s name that is not executable does not count as installed', () => {
  const dir = path.join(tmp, 'noexec');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'strace'), '#!/bin/sh\n', { mode: 0o644 });
  assert.deepEqual(command('strace', '', alive, dir), { ok: false, error: 'strace is not installed (apt-get install strace)' });
});

// findTool

test('findTool takes the first PATH directory holding the executable, skipping empty entries', () => {
  const second = binDir('second', ['lsof']);
  assert.equal(findTool('lsof', `::${EMPTY}:${second}:${ALL}`), path.join(second, 'lsof'));
  assert.equal(findTool('lsof', `${ALL}:${second}`), path.join(ALL, 'lsof'));
  assert.equal(findTool('lsof', EMPTY), undefined);
  assert.equal(findTool('lsof', ''), undefined);
});

// runTool

test('runTool reports the tool\'s last output line, prefixed with its name', () => {
  const dir = binDir('talky', ['taskset'], '#!/bin/sh\necho "pid $2\'s current affinity list: 0-3"\necho "pid $2\'s new affinity list: $1"\n');
  const r = runTool({ file: path.join(dir, 'taskset'), args: ['0,1', '4242'] });
  assert.deepEqual(r, { text: "taskset: pid 4242's new affinity list: 0,1", error: false });
});

test('runTool reports the first stderr line of a failing tool as an error', () => {
  const dir = binDir('failing', ['ionice'], '#!/bin/sh\necho "ionice: ioprio_set failed: Operation not permitted" >&2\necho "second line" >&2\nexit 1\n');
  const r = runTool({ file: path.join(dir, 'ionice'), args: ['-c', '1', '-p', '4242'] });
  assert.deepEqual(r, { text: 'ionice: ionice: ioprio_set failed: Operation not permitted', error: true });
});

// The pause after a hand-off

test('withPause runs the tool with its arguments as they are (no shell parsing), then waits for Enter', () => {
  const printf = findTool('printf', '/usr/bin:/bin') as string;
  const wrapped = withPause({ file: printf, args: ['%s|', 'a b', '$(id)', '"q"; exit 3'] });
  assert.equal(wrapped.file, '/bin/sh');
  const r = spawnSync(wrapped.file, wrapped.args, { input: '\n', encoding: 'utf8', timeout: 5000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'a b|$(id)|"q"; exit 3|\n[printf exited with status 0; press Enter to return to proctop] ');
});

test('withPause says how the tool ended, and returns at once when there is no terminal input left', () => {
  const failing = binDir('failing', ['lsof'], '#!/bin/sh\necho "lsof: no such pid" >&2\nexit 1\n');
  const r = spawnSync('/bin/sh', withPause({ file: path.join(failing, 'lsof'), args: ['-p', '1'] }).args, { input: '', encoding: 'utf8', timeout: 5000 });
  assert.match(r.stdout, /\[lsof exited with status 1; press Enter to return to proctop\] $/);
  assert.match(r.stderr, /no such pid/);
});

test('withPause: Ctrl-C (SIGINT to the whole foreground group) stops the tool, and the pause still shows', async () => {
  const sleep = findTool('sleep', '/usr/bin:/bin') as string;
  const wrapped = withPause({ file: sleep, args: ['30'] });
  // A process group of its own stands in for the terminal's foreground group.
  const child = spawn(wrapped.file, wrapped.args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  const pgid = child.pid as number;
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  try {
    // Wait until the tool runs (the group has a second process), then interrupt the group.
    const started = Date.now();
    while (spawnSync('pgrep', ['-g', String(pgid)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).length < 2) {
      assert.ok(Date.now() - started < 5000, 'the tool started');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    process.kill(-pgid, 'SIGINT');
    const deadline = Date.now() + 5000;
    while (!/press Enter/.test(out)) {
      assert.ok(Date.now() < deadline, `the pause after Ctrl-C; got ${JSON.stringify(out)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.match(out, /\[sleep exited with status 130; press Enter/);
    const code = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    child.stdin.end('\n');
    assert.equal(await code, 0, 'Enter ends the pause');
  } finally {
    try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

// lsof through less

test('handOffCommand: strace always pauses; lsof pauses when less is not installed', () => {
  const withLess = binDir('with-less', ['less']);
  const strace = { file: '/usr/bin/strace', args: ['-f', '-p', '42'] };
  const lsof = { file: '/usr/bin/lsof', args: ['-p', '42'] };
  assert.deepEqual(handOffCommand('strace', strace, withLess), withPause(strace));
  assert.deepEqual(handOffCommand('lsof', lsof, EMPTY), withPause(lsof));
  assert.equal(handOffCommand('lsof', lsof, withLess).file, '/bin/sh');
});

test('handOffCommand: lsof output and its errors go through less, told not to quit at the end of the list', () => {
  const fake = binDir('fake-lsof', ['lsof'], '#!/bin/sh\necho "COMMAND PID $2"\necho "lsof: warning" >&2\n');
  // A stand-in for less that shows its arguments and what it was given.
  const pager = binDir('fake-less', ['less'], '#!/bin/sh\necho "less args: $*"\ncat\n');
  const c = handOffCommand('lsof', { file: path.join(fake, 'lsof'), args: ['-p', '42'] }, pager);
  const r = spawnSync(c.file, c.args, { encoding: 'utf8', timeout: 5000, input: '', env: { ...process.env, LESS: '-FRX' } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'less args: -+F -+E -+e\nCOMMAND PID 42\nlsof: warning\n');
});
