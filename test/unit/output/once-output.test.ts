import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COLUMNS, Column, DEFAULT_COLUMNS, findColumn } from '../../../src/model/columns';
import { PROCESS_STATES, Snapshot } from '../../../src/model/snapshot';
import { SortOrder } from '../../../src/model/sort';
import { renderJson } from '../../../src/output/json';
import { renderTextTable, TextTableOptions } from '../../../src/output/text-table';
import { Sampler } from '../../../src/sampler/sampler';
import { displayWidth } from '../../../src/view/text';
import { REPO_ROOT, scenario } from '../procfs/fixtures';

const NOW = 1_795_783_433_710;

/** The second of two scans of a scenario 1.5 s apart, as `--once` takes them. */
function snapshotOf(name: string, scans = 2): Snapshot {
  const root = scenario(name);
  const clock = [NOW, NOW + 1500];
  const sampler = new Sampler({ root, passwdPath: path.join(root, 'passwd'), threads: false, now: () => clock.shift() ?? NaN, pageSize: 4096 });
  let snapshot = sampler.sample();
  for (let i = 1; i < scans; i++) snapshot = sampler.sample();
  return snapshot;
}

const HOSTILE = snapshotOf('hostile');
const BASIC = snapshotOf('basic');

function col(id: string): Column {
  const c = findColumn(id);
  if (!c) assert.fail(`no column ${id}`);
  return c;
}

const BY_PID: SortOrder = { column: col('pid'), descending: false };
const DEFAULTS = DEFAULT_COLUMNS.map(col);

function table(snapshot: Snapshot, over: Partial<TextTableOptions> = {}): string {
  return renderTextTable(snapshot, { columns: DEFAULTS, order: BY_PID, tree: false, width: undefined, tzOffset: 0, ...over });
}

// C0 (tab, CR, ESC …), DEL, C1, line/paragraph separators, bidi embeddings/overrides/isolates.
const UNSAFE_TEXT = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const WIDTHS = [40, 80, 100, 132, 200];

// text table

test('the hostile table has no control, C1 or bidi character besides the line ends', () => {
  for (const tree of [false, true]) {
    for (const width of [undefined, ...WIDTHS]) {
      const out = table(HOSTILE, { tree, width, columns: COLUMNS });
      assert.equal(UNSAFE_TEXT.exec(out), null, `tree=${tree} width=${width}`);
    }
  }
});

test('the hostile table has one line per process plus the header, whatever the names hold', () => {
  const out = table(HOSTILE, { columns: COLUMNS });
  assert.equal(out.split('\n').length, HOSTILE.processes.length + 2); // header, rows, empty after the last \n
  assert.ok(out.endsWith('\n'));
});

test('every line of the hostile table fits the given width', () => {
  for (const columns of [DEFAULTS, COLUMNS]) {
    for (const tree of [false, true]) {
      for (const width of WIDTHS) {
        const lines = table(HOSTILE, { tree, width, columns }).split('\n');
        for (const line of lines) assert.ok(displayWidth(line) <= width, `width ${width}, ${columns.length} columns: ${displayWidth(line)} > ${width}: ${line}`);
      }
    }
  }
});

test('without a width (a pipe) the command is printed whole', () => {
  const line = table(HOSTILE).split('\n').find((l) => l.includes('/usr/bin/longargs'));
  assert.ok(line?.endsWith('x'.repeat(70_000)));
});

test('the hostile table shows ESC, BEL and newline as visible escapes', () => {
  const out = table(HOSTILE);
  assert.ok(out.includes('/bin/sh -c \\x1b]0;pwned\\x07'));
  assert.ok(out.includes('new\\nline --flag'));
  assert.ok(out.includes('\\x1b[2J\\x1b[31mevil'));
});

test('the hostile table shows U+202E as \\u202e and keeps CJK', () => {
  const out = table(HOSTILE);
  assert.ok(out.includes('./evil\\u202ehs.txt'));
  assert.ok(out.includes('/usr/bin/日本語プロセス --名前=値'));
});

test('the hostile table keeps blessed tags as plain text', () => {
  assert.ok(table(HOSTILE).includes('{red-fg}x{/red-fg}'));
});

test('the header marks the sort column', () => {
  const header = table(BASIC, { order: { column: col('cpu'), descending: true } }).split('\n')[0];
  assert.match(header, /CPU%?▽/);
});

test('tree mode draws ├─ and └─ guides with each child under its parent', () => {
  const lines = table(BASIC, { tree: true }).split('\n').slice(1, -1);
  const pidOf = (line: string): number => Number(line.trim().split(/\s+/)[0]);
  assert.deepEqual(lines.map(pidOf), [1, 150, 151, 300, 1200, 1300, 1301, 1400, 1500, 2, 14, 18, 36]);
  const commandOf = (pid: number): string => {
    const line = lines.find((l) => pidOf(l) === pid) ?? '';
    return line.slice(line.search(/[│├└]/));
  };
  assert.equal(commandOf(1200), '├─ -bash');
  assert.equal(commandOf(1300), '│  ├─ make -j4 all');
  assert.equal(commandOf(1301), '│  │  └─ [cc1]');
  assert.equal(commandOf(1400), '│  └─ vim notes.txt');
  assert.equal(commandOf(1500), '└─ /usr/bin/java -Xmx2g -jar app.jar');
  assert.equal(commandOf(36), '└─ [kworker/0:1-events]');
});

test('tree mode on the hostile fixture puts sh under its ESC-named parent', () => {
  const lines = table(HOSTILE, { tree: true }).split('\n');
  const parent = lines.findIndex((l) => l.includes('├─ \\x1b[2J\\x1b[31mevil') || l.includes('└─ \\x1b[2J\\x1b[31mevil'));
  assert.ok(parent > 0);
  assert.match(lines[parent + 1], /│ {2}└─ \/bin\/sh -c \\x1b\]0;pwned\\x07$/);
});

// JSON: checked against the schema tables in README.md, so code and docs can't drift apart

/** One row of a README schema table: field names and the JSON types the row allows. */
interface SchemaRow {
  readonly name: string;
  readonly types: ReadonlySet<string>;
}

/**
 * The first table after `marker` in README's `--json` section. A row such as
 * `` | `user`, `uid` | string \| null, number \| null | … `` gives each field
 * its own types when the type cell has one comma part per field, else all
 * fields share them; `(\| null)` allows null.
 */
function schemaTable(marker: string): SchemaRow[] {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.indexOf('## `--json` schema');
  const at = readme.indexOf(marker, section);
  assert.ok(section >= 0 && at >= 0, `README has no "${marker}" in its --json section`);
  const lines = readme.slice(at).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: SchemaRow[] = [];
  for (let i = first + 2; i < lines.length && lines[i].startsWith('|'); i++) {
    const cells = lines[i].split(/(?<!\\)\|/);
    const names = [...(cells[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    const parts = (cells[2] ?? '').replace(/\\\|/g, '|').split(',');
    const typesOf = (text: string): Set<string> => new Set(text.match(/\b(string|number|boolean|null|object|array)\b/g) ?? []);
    names.forEach((name, k) => rows.push({ name, types: typesOf(parts.length === names.length ? parts[k] : parts.join(',')) }));
  }
  assert.ok(rows.length > 0, `README table after "${marker}" is empty`);
  return rows;
}

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
type Json = Record<string, unknown>;
const parse = (snapshot: Snapshot): Json => JSON.parse(renderJson(snapshot, snapshot.processes)) as Json;
const processesOf = (doc: Json): Json[] => doc.processes as Json[];

function assertMatchesSchema(object: Json, schema: readonly SchemaRow[], what: string): void {
  assert.deepEqual(Object.keys(object).sort(), schema.map((r) => r.name).sort(), `${what}: fields differ from README`);
  for (const { name, types } of schema) assert.ok(types.has(typeOf(object[name])), `${what}.${name} is ${typeOf(object[name])}, README says ${[...types].join(' | ')}`);
}

test('renderJson has exactly the top-level fields README documents, with their types', () => {
  assertMatchesSchema(parse(HOSTILE), schemaTable('Top level:'), 'top level');
});

test('every JSON process has exactly the fields README documents, with their types', () => {
  const schema = schemaTable('Each process:');
  for (const p of processesOf(parse(HOSTILE)).concat(processesOf(parse(BASIC)))) assertMatchesSchema(p, schema, `process ${String(p.pid)}`);
});

test('renderJson version is 1, time the ISO time of the scan, interval the ms between the scans', () => {
  const doc = parse(HOSTILE);
  assert.deepEqual([doc.version, doc.time, doc.interval], [1, new Date(NOW + 1500).toISOString(), 1500]);
});

test('JSON process state is one letter of R S D T t Z X I ?, startTime an ISO time', () => {
  for (const p of processesOf(parse(BASIC))) {
    assert.ok([...PROCESS_STATES, '?'].includes(p.state as string));
    assert.equal(new Date(p.startTime as string).toISOString(), p.startTime);
  }
});

test('renderJson states count every state letter', () => {
  assert.deepEqual(parse(BASIC).states, { R: 1, S: 9, D: 0, T: 1, t: 0, Z: 1, X: 0, I: 1, '?': 0 });
});

test('renderJson system has uptime, ISO boot time, load, cpu, cpus, memory, disk and net', () => {
  const system = parse(BASIC).system as Json;
  assert.deepEqual(Object.keys(system).sort(), ['bootTime', 'cpu', 'cpus', 'disk', 'load', 'memory', 'net', 'uptime']);
  assert.equal(system.bootTime, new Date(1_795_782_797_000).toISOString());
  assert.deepEqual(Object.keys(system.memory as Json).sort(), ['available', 'buffers', 'cache', 'free', 'swapTotal', 'swapUsed', 'total', 'used']);
  assert.equal((system.cpus as unknown[]).length, 2);
});

test('JSON processes come in the order given', () => {
  const reversed = [...BASIC.processes].reverse();
  const doc = JSON.parse(renderJson(BASIC, reversed)) as Json;
  assert.deepEqual(processesOf(doc).map((p) => p.pid), reversed.map((p) => p.pid));
});

test('JSON gives back every hostile comm and command exactly', () => {
  const parsed = processesOf(parse(HOSTILE));
  assert.deepEqual(parsed.map((p) => [p.name, p.command]), HOSTILE.processes.map((p) => [p.name, p.command]));
  const names = parsed.map((p) => p.name);
  for (const name of ['a) R 1 (b', 'new\nline', '\x1b[2J\x1b[31mevil', 'bad\ufffd\ufffdname', 'evil\u202etxt.sh', '日本語プロ', 'tab\there\rcr', '']) {
    assert.ok(names.includes(name), JSON.stringify(name));
  }
});

test('JSON carries a non-UTF-8 comm and command line byte for byte as base64 (nameBytes, commandBytes), null when the text is exact', () => {
  const byPid = new Map(processesOf(parse(HOSTILE)).map((p) => [p.pid, p]));
  const bytes = (v: unknown): Buffer => {
    assert.equal(typeof v, 'string');
    return Buffer.from(v as string, 'base64');
  };
  const bad = byPid.get(1006);
  assert.deepEqual(bytes(bad?.nameBytes), Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x6e, 0x61, 0x6d, 0x65]));
  assert.deepEqual(bytes(bad?.commandBytes), Buffer.from([0x2e, 0x2f, 0x62, 0x61, 0x64, 0xff, 0xfe, 0x20, 0x61, 0x72, 0x67]));
  // A comm the kernel cut inside a character: its command line is whole and valid.
  const cut = byPid.get(1009);
  assert.deepEqual(bytes(cut?.nameBytes), Buffer.from('a日本語プロ').subarray(0, 15));
  assert.equal(cut?.commandBytes, null);
  const withBytes = [...byPid.values()].filter((p) => p.nameBytes !== null || p.commandBytes !== null).map((p) => p.pid);
  assert.deepEqual(withBytes, [1006, 1009], 'valid UTF-8 (CJK, controls, U+202E) has no bytes field');
});

test('JSON output has no raw control, C1, separator or bidi character', () => {
  for (const snapshot of [HOSTILE, BASIC]) assert.equal(UNSAFE_TEXT.exec(renderJson(snapshot, snapshot.processes)), null);
});

test('JSON of a zombie has the [name] command and of a kernel thread kernel: true', () => {
  const byPid = new Map(processesOf(parse(BASIC)).map((p) => [p.pid, p]));
  assert.deepEqual([byPid.get(1301)?.command, byPid.get(2)?.kernel, byPid.get(2)?.command], ['[cc1]', true, '[kthreadd]']);
});

test('JSON of an unknown CPU% (first scan) is null', () => {
  assert.ok(processesOf(parse(snapshotOf('basic', 1))).every((p) => p.cpu === null));
});
