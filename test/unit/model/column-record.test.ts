/**
 * Adding a column is one record: a test-only column, appended to proctop's
 * list, is found by name, sorted, drawn, filtered by the query language with
 * its unit, and makes the scan read the file it needs, with no other change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { column, COLUMNS, columnTable, filesNeeded, flexLast } from '../../../src/model/columns';
import { parseQuery, type QueryContext } from '../../../src/model/query';
import { sortProcesses } from '../../../src/model/sort';
import type { ProcessInfo } from '../../../src/model/snapshot';
import { headerLine, layoutWidths, rowLine, type Row } from '../../../src/view/rows';
import { makeProcess } from '../../helpers/process-fixture';

/** Test only: resident memory less shared memory, in bytes; needs statm as SHR does. */
const PRIVATE = column<number>({
  id: 'private', aliases: ['priv'], title: 'PRIV', description: 'Resident memory not shared (test only)', width: 6,
  align: 'right', descending: true, needs: ['statm'], query: { kind: 'number', unit: 'bytes' },
  value: (p) => (p.rss === undefined || p.shared === undefined ? undefined : p.rss - p.shared),
  format: (v) => `${Math.round(v / 1024)}K`,
});
const WITH_PRIVATE = [...COLUMNS, PRIVATE];
const TABLE = columnTable(WITH_PRIVATE);
const CTX: QueryContext = { now: 1_700_000_000_000, stuckAfterMs: 5000 };

const small = makeProcess({ pid: 10, rss: 8192, shared: 4096 });
const large = makeProcess({ pid: 11, rss: 4 * 1024 ** 2, shared: 1024 ** 2 });
const unknown = makeProcess({ pid: 12, shared: undefined });
const rowOf = (p: ProcessInfo): Row => ({ process: p, depth: 0, guide: '', hasChildren: false, collapsed: false, matched: true });

test('a test-only column is found by id, alias and title', () => {
  for (const name of ['private', 'PRIV', 'priv']) assert.equal(TABLE.find(name), PRIVATE, name);
  assert.equal(TABLE.find('pid')?.id, 'pid');
});

test('a test-only column becomes a query field with its unit, under its id and alias', () => {
  for (const q of ['private>1M', 'priv>=3MiB']) {
    const r = parseQuery(q, WITH_PRIVATE);
    assert.ok(r.ok, q);
    assert.deepEqual([small, large, unknown].map((p) => r.predicate(p, CTX)), [false, true, false], q);
  }
  const bad = parseQuery('private>5s', WITH_PRIVATE);
  assert.ok(!bad.ok && /needs a size/.test(bad.error));
});

test('without the record the field is unknown: the query fields are the list the parser is given', () => {
  const r = parseQuery('private>1M');
  assert.ok(!r.ok && r.error.startsWith("unknown field 'private'"));
});

test('a test-only column sorts by its value, unknown last', () => {
  const order = sortProcesses([small, unknown, large], { column: PRIVATE, descending: true });
  assert.deepEqual(order.map((p) => p.pid), [11, 10, 12]);
});

test('a test-only column is drawn at its width and alignment', () => {
  const cols = [TABLE.find('pid'), PRIVATE, TABLE.find('command')].filter((c) => c !== undefined);
  const widths = layoutWidths(cols, 40);
  assert.deepEqual(widths, [7, 6, 40 - 7 - 1 - 6 - 1]);
  assert.equal(headerLine(cols, widths), '    PID   PRIV Command');
  assert.match(rowLine(rowOf(large), cols, widths, { now: CTX.now, tzOffset: 0 }), /^ {5}11 {2}3072K /);
  assert.match(rowLine(rowOf(unknown), cols, widths, { now: CTX.now, tzOffset: 0 }), /^ {5}12 {6}- /);
});

test('a test-only column names the file it needs, and the flexible column stays last', () => {
  assert.deepEqual([...filesNeeded(['pid', 'private'], TABLE)], ['statm']);
  assert.deepEqual([...filesNeeded(['pid', 'cpu'], TABLE)], []);
  assert.deepEqual(flexLast(['command', 'private', 'pid'], TABLE), ['private', 'pid', 'command']);
});
