/**
 * `bin/proctop --once` against the live /proc, on a small landscape: a sleeper, a 3-level chain
 * and a process whose argv holds terminal escapes. Checks the --json schema of README.md and the
 * --tree guides.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Landscape } from '../helpers/landscape';
import { readStat } from '../helpers/proc-read';
import { ESCAPE_ARGV } from './live-landscape';

const execFileP = promisify(execFile);

/** dist/test/integration → the package root. */
const ROOT = path.resolve(__dirname, '..', '..', '..');
/** Control characters other than the newline that ends each line. */
const CONTROL_BUT_NEWLINE = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

async function proctop(...args: string[]): Promise<string> {
  const env = { ...process.env };
  delete env.PROCTOP_PROC_ROOT;
  delete env.PROCTOP_PASSWD;
  let result: { stdout: string; stderr: string };
  try {
    // The timeout only guards against a hang: a loaded CI host can take seconds to start node.
    result = await execFileP(path.join(ROOT, 'bin', 'proctop'), [...args], {
      cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024, timeout: 60_000,
    });
  } catch (err) {
    const e = err as { code?: unknown; signal?: unknown; stderr?: unknown };
    throw new Error(`proctop ${args.join(' ')}: exit ${String(e.code)}, signal ${String(e.signal)}, stderr ${JSON.stringify(e.stderr)}`, { cause: err });
  }
  assert.equal(result.stderr, '', `stderr of proctop ${args.join(' ')}`);
  return result.stdout;
}

/**
 * A field table of README.md's `--json` section (the one after the line `title`): field name →
 * the JSON types it documents. A row may name several fields with one type (`number`) or one
 * type each (`string \| null, number \| null`); `number (\| null)` allows null.
 */
function readmeFields(title: string): Map<string, string[]> {
  const lines = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n');
  const start = lines.indexOf(title);
  assert.ok(start >= 0, `README.md has "${title}"`);
  let first = start + 1;
  while (lines[first] === '') first += 1;
  let end = first;
  while (lines[end]?.startsWith('|')) end += 1;
  const fields = new Map<string, string[]>();
  // Skip the header row and the |---| row.
  for (const line of lines.slice(first + 2, end)) {
    const cells = line.replace(/\\\|/g, '¦').split('|').map((c) => c.trim());
    const names = [...(cells[1] ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1]);
    const types = (cells[2] ?? '').split(',');
    names.forEach((name, i) => {
      const text = types.length === names.length ? types[i] : (cells[2] ?? '');
      fields.set(name, text.match(/string|number|boolean|null|object|array/g) ?? []);
    });
  }
  assert.ok(fields.size > 0, `README.md table after "${title}"`);
  return fields;
}

/** Fields that are whole numbers whatever the README's `number` says. */
const INTEGER_FIELDS = ['pid', 'ppid', 'pgid', 'sid', 'tgid', 'uid', 'threads', 'nice', 'priority', 'rss', 'vsz', 'shared'];
const STATE_KEYS = ['R', 'S', 'D', 'T', 't', 'Z', 'X', 'I', '?'];

type JsonRecord = Record<string, unknown>;

function isRecord(v: unknown): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Checks `record` has exactly the documented fields, each of a documented type. */
function assertDocumented(record: JsonRecord, documented: ReadonlyMap<string, readonly string[]>, what: string): void {
  assert.deepEqual(Object.keys(record).sort(), [...documented.keys()].sort(), `${what}: fields as README.md documents them`);
  for (const [field, allowed] of documented) {
    const v = record[field];
    assert.ok(allowed.includes(typeOf(v)), `${what}: ${field} = ${JSON.stringify(v)}, README says ${allowed.join(' | ')}`);
    if (INTEGER_FIELDS.includes(field) && v !== null) assert.ok(Number.isInteger(v), `${what}: ${field} = ${String(v)} is whole`);
  }
}

const isIsoTime = (v: unknown): boolean => typeof v === 'string' && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v;

/** Pid of a table line (its first cell), undefined for the header. */
const linePid = (line: string): number | undefined => {
  const first = line.trimStart().split(' ')[0];
  return /^\d+$/.test(first) ? Number(first) : undefined;
};

/** Column of a line's tree connector (├─ or └─); -1 when it has none. */
const connectorAt = (line: string): number => Math.max(line.indexOf('├─ '), line.indexOf('└─ '));

const land = new Landscape();
let sleeper: number;
let chain: number[];
let hostile: number;
/** The three printouts, started together once the landscape is up (each waits 100 ms between scans). */
let json: Promise<string>;
let chainTree: Promise<string>;
let hostTree: Promise<string>;

before(async () => {
  [sleeper, chain, hostile] = await Promise.all([land.sleeper(), land.chain(3), land.withArgv(ESCAPE_ARGV)]);
  json = proctop('--once', '--json', '-d', '1');
  chainTree = proctop('--once', '--tree', '-d', '1', '-p', chain.join(','));
  hostTree = proctop('--once', '--tree', '-d', '1');
  // Each test awaits its printout; until then a failure must not count as unhandled.
  for (const run of [json, chainTree, hostTree]) void run.catch(() => undefined);
});

after(() => land.cleanup());

/** Checks the chain nests root → mid → leaf on consecutive lines, one guide level deeper each. */
function assertChainNested(out: string): void {
  const lines = out.split('\n');
  const at = chain.map((pid) => lines.findIndex((l) => linePid(l) === pid));
  assert.ok(at[0] > 0, 'root line');
  assert.deepEqual(at, [at[0], at[0] + 1, at[0] + 2], 'root, mid, leaf on consecutive lines');
  const [root, mid, leaf] = at.map((i) => lines[i]);
  assert.ok(connectorAt(root) > 0, `root hangs below the test runner: ${root}`);
  assert.equal(connectorAt(mid), connectorAt(root) + 3, mid);
  assert.equal(connectorAt(leaf), connectorAt(mid) + 3, leaf);
  assert.ok(mid.includes('└─ sh ') && leaf.endsWith('└─ sleep 1000'), `only children:\n${mid}\n${leaf}`);
}

test('--once --json: documented fields with documented types; our processes as the kernel has them', async () => {
  const doc: unknown = JSON.parse(await json);
  assert.ok(isRecord(doc));
  assertDocumented(doc, readmeFields('Top level:'), 'top level');
  assert.equal(doc.version, 1);
  assert.ok(isIsoTime(doc.time), String(doc.time));
  assert.ok(typeof doc.interval === 'number' && doc.interval >= 50, `interval ${String(doc.interval)}`);
  assert.ok(isRecord(doc.system) && isRecord(doc.system.memory) && Array.isArray(doc.system.cpus));
  const { states, processes } = doc;
  assert.ok(isRecord(states) && Array.isArray(processes));
  assert.deepEqual(Object.keys(states).sort(), [...STATE_KEYS].sort());
  for (const key of STATE_KEYS) assert.ok(Number.isInteger(states[key]), `states.${key}`);

  const documented = readmeFields('Each process:');
  const byPid = new Map<number, JsonRecord>();
  for (const p of processes) {
    assert.ok(isRecord(p));
    assertDocumented(p, documented, `pid ${String(p.pid)}`);
    assert.ok(STATE_KEYS.includes(String(p.state)), `state ${String(p.state)}`);
    assert.ok(isIsoTime(p.startTime), `startTime ${String(p.startTime)}`);
    if (p.thread === false) byPid.set(Number(p.pid), p);
  }
  assert.equal(doc.processCount, byPid.size);
  assert.equal(Object.values(states).reduce((sum: number, n) => sum + Number(n), 0), byPid.size, 'states add up');

  const uid = process.getuid?.();
  for (const pid of [sleeper, ...chain, hostile]) {
    const p = byPid.get(pid);
    const kernel = readStat(pid);
    assert.ok(p && kernel, `pid ${pid} in --json and /proc`);
    assert.deepEqual({ ppid: p.ppid, state: p.state, uid: p.uid, thread: p.thread, kernel: p.kernel },
      { ppid: kernel.ppid, state: kernel.state, uid, thread: false, kernel: false }, `pid ${pid}`);
  }
  assert.deepEqual({ ppid: byPid.get(sleeper)?.ppid, state: byPid.get(sleeper)?.state, command: byPid.get(sleeper)?.command },
    { ppid: process.pid, state: 'S', command: 'sleep 1000' });
  assert.equal(byPid.get(hostile)?.command, ESCAPE_ARGV.join(' '), 'JSON carries the exact argv');
});

test('--once --json escapes every control character: none reaches the terminal raw', async () => {
  const out = await json;
  assert.doesNotMatch(out, CONTROL_BUT_NEWLINE);
  assert.ok(out.includes('"command": "\\u001b]0;pwned\\u0007\\u001b[2J x"'), 'the hostile argv, escaped');
});

test('--once --tree -p <chain>: the chain nests with └─ one level deeper each, under its ancestors only', async () => {
  const out = await chainTree;
  assertChainNested(out);
  // -p keeps the chosen pids plus their ancestors (the test runner and up): nothing else.
  const ancestors = new Set<number>();
  for (let pid: number | undefined = process.pid; pid !== undefined && pid > 0; pid = readStat(pid)?.ppid) ancestors.add(pid);
  const shown = out.split('\n').map(linePid).filter((pid): pid is number => pid !== undefined);
  assert.deepEqual(shown.filter((pid) => !ancestors.has(pid) && !chain.includes(pid)), [], out);
});

test('--once --tree (whole host): the chain nests, and no control character but the line ends', async () => {
  const out = await hostTree;
  assertChainNested(out);
  assert.ok(out.endsWith('\n'));
  for (const line of out.slice(0, -1).split('\n')) assert.doesNotMatch(line, /[\x00-\x1f\x7f-\x9f]/, JSON.stringify(line));
  const line = out.split('\n').find((l) => linePid(l) === hostile);
  assert.ok(line?.endsWith('\\x1b]0;pwned\\x07\\x1b[2J x'), line);
});
