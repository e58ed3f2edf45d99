import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PROCESS_STATES } from '../../../src/model/snapshot';
import { Result } from '../../../src/base/result';
import { parseStat, PF_KTHREAD, StatRecord } from '../../../src/procfs/parse/stat';
import { fixtureText } from './fixtures';

function record(text: string): StatRecord {
  const parsed = parseStat(text);
  if (!parsed.ok) assert.fail(`unexpected parse error: ${parsed.error}`);
  return parsed.value;
}

const commOf = (scenario: string, pid: number): string => record(fixtureText(scenario, `${pid}/stat`)).comm;

// Recorded from a real kernel (host/)

test('parseStat reads every used field of a recorded user process', () => {
  assert.deepEqual(record(fixtureText('host', '9747/stat')), {
    pid: 9747, comm: 'sleep', state: 'S', ppid: 1, pgrp: 9744, session: 4965, ttyNr: 0, flags: 4194304, minflt: 135, majflt: 0,
    utime: 0, stime: 0, priority: 20, nice: 0, numThreads: 1, startTicks: 63628, vsize: 2990080, rssPages: 402, argStart: 140733321419306,
  });
});

test('parseStat sees PF_KTHREAD in the flags of recorded kthreadd', () => {
  const r = record(fixtureText('host', '2/stat'));
  assert.equal(r.comm, 'kthreadd');
  assert.notEqual(r.flags & PF_KTHREAD, 0);
});

test('parseStat reads the real-time priority -100 of recorded migration/0', () => {
  assert.equal(record(fixtureText('host', '18/stat')).priority, -100);
});

test('parseStat reads state I of a recorded idle kworker', () => {
  const r = record(fixtureText('host', '4/stat'));
  assert.deepEqual([r.comm, r.state, r.nice], ['kworker/R-rcu_gp', 'I', -20]);
});

// Crafted fixtures

test('parseStat reads every used field of a crafted foreground job on pts/0', () => {
  assert.deepEqual(record(fixtureText('basic', '1300/stat')), {
    pid: 1300, comm: 'make', state: 'R', ppid: 1200, pgrp: 1300, session: 1200, ttyNr: 34816, flags: 0x400100, minflt: 812, majflt: 3,
    utime: 4000, stime: 300, priority: 20, nice: 0, numThreads: 1, startTicks: 40000, vsize: 12345344, rssPages: 2560, argStart: 140730000001000,
  });
});

test('parseStat reads the zombie and stopped states', () => {
  assert.deepEqual([record(fixtureText('basic', '1301/stat')).state, record(fixtureText('basic', '1400/stat')).state], ['Z', 'T']);
});

test('parseStat reads a vsize above 4 GiB exactly', () => {
  assert.equal(record(fixtureText('basic', '1500/stat')).vsize, 5_368_709_120);
});

test('parseStat maps a state letter it does not know to ?', () => {
  const text = fixtureText('basic', '1300/stat').replace(') R ', ') W ');
  assert.equal(record(text).state, '?');
});

// Hostile comms

test('parseStat recovers the comm "a) R 1 (b"', () => {
  const r = record(fixtureText('hostile', '1001/stat'));
  assert.deepEqual([r.comm, r.state, r.ppid, r.startTicks], ['a) R 1 (b', 'S', 1, 3000]);
});

test('parseStat recovers a comm holding a newline', () => {
  assert.equal(commOf('hostile', 1002), 'new\nline');
});

test('parseStat recovers a comm holding ESC sequences', () => {
  assert.equal(commOf('hostile', 1003), '\x1b[2J\x1b[31mevil');
});

test('parseStat recovers a comm of blessed tags', () => {
  assert.equal(commOf('hostile', 1005), '{red-fg}x{/red-');
});

test('parseStat shows the invalid UTF-8 bytes 0xff 0xfe of a comm as U+FFFD', () => {
  assert.equal(commOf('hostile', 1006), 'bad\ufffd\ufffdname');
});

test('parseStat recovers a comm holding RIGHT-TO-LEFT OVERRIDE U+202E', () => {
  assert.equal(commOf('hostile', 1007), 'evil\u202etxt.sh');
});

test('parseStat recovers a CJK comm', () => {
  assert.equal(commOf('hostile', 1008), '日本語プロ');
});

test('parseStat shows a comm the kernel cut inside a UTF-8 sequence with one U+FFFD', () => {
  assert.equal(commOf('hostile', 1009), 'a日本語プ\ufffd');
});

test('parseStat recovers a comm holding tab and carriage return', () => {
  assert.equal(commOf('hostile', 1010), 'tab\there\rcr');
});

test('parseStat recovers an empty comm', () => {
  assert.equal(commOf('hostile', 1011), '');
});

test('parseStat recovers the comm "))(("', () => {
  assert.equal(commOf('hostile', 1012), '))((');
});

// Bad input: an error value, never an exception

const isError = (parsed: Result<StatRecord>): boolean => !parsed.ok && typeof parsed.error === 'string';

test('parseStat of a truncated stat (vanish/503) is an error value', () => {
  assert.ok(isError(parseStat(fixtureText('vanish', '503/stat'))));
});

test('parseStat of an empty stat is an error value', () => {
  assert.ok(isError(parseStat(fixtureText('vanish', '505/stat'))));
});

test('parseStat of text without (comm) is an error value', () => {
  assert.ok(isError(parseStat(fixtureText('vanish', '501/stat'))));
});

test('parseStat of a line whose pid is not a number is an error value', () => {
  assert.ok(isError(parseStat(fixtureText('basic', '1300/stat').replace(/^1300/, 'x1300'))));
});

test('parseStat of a line with a non-numeric used field is an error value', () => {
  const fields = fixtureText('basic', '1300/stat').split(' ');
  fields[13] = 'lots'; // field 14, utime
  assert.ok(isError(parseStat(fields.join(' '))));
});

test('parseStat of "(", ")(", "1 (", "1 )x(" and "1 (x)" is an error value', () => {
  for (const text of ['(', ')(', '1 (', '1 )x(', '1 (x)']) assert.ok(isError(parseStat(text)), JSON.stringify(text));
});

test('parseStat of every prefix of a stat line never throws; prefixes before field 24 are errors', () => {
  const line = fixtureText('basic', '1300/stat');
  const field24 = line.split(' ').slice(0, 23).join(' ').length + 1;
  for (let n = 0; n <= line.length; n++) {
    const parsed = parseStat(line.slice(0, n));
    if (n < field24) assert.ok(isError(parsed), `prefix of ${n} chars`);
  }
});

// Properties

const SIGNED = new Set([8, 16, 17, 18, 19, 20, 21, 39, 44, 52]); // printed with %d/%ld by do_task_stat
const EXPOSED: Readonly<Record<number, keyof StatRecord>> = {
  4: 'ppid', 5: 'pgrp', 6: 'session', 7: 'ttyNr', 9: 'flags', 10: 'minflt', 12: 'majflt', 14: 'utime', 15: 'stime',
  18: 'priority', 19: 'nice', 20: 'numThreads', 22: 'startTicks', 23: 'vsize', 24: 'rssPages', 48: 'argStart',
};

/** Fields 4..52 as the kernel prints them: unsigned up to 2^64-1, or signed where the format is %d/%ld. */
const numericFields = fc.tuple(
  ...Array.from({ length: 49 }, (_, i) => {
    const n = i + 4;
    // Exposed fields stay exact as JS numbers; the others may use the whole u64 range.
    const unsigned = n in EXPOSED ? fc.maxSafeNat().map(String) : fc.bigUint(2n ** 64n - 1n).map(String);
    return SIGNED.has(n) ? fc.oneof(unsigned, fc.integer({ min: -(2 ** 31), max: -1 }).map(String)) : unsigned;
  }),
);

const commUnit = fc.oneof(
  fc.constantFrom(')', '(', ' ', ') ', ' (', ') R 1 (', '\n', '\r', '\t', '\x1b', '\x00', '\x07', '\x7f', '\u009b',
    '\u202e', '\ufffd', '日', '🔥', '{', '}'),
  fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
);
const comm = fc.string({ unit: commUnit, minLength: 0, maxLength: 15 });
const stateLetter = fc.oneof(fc.constantFrom(...PROCESS_STATES), fc.constantFrom('W', 'K', 'P', 'x'));

test('property: parseStat recovers comm, state and every exposed numeric field of a 52-field line', () => {
  fc.assert(fc.property(fc.maxSafeNat(), comm, stateLetter, numericFields, (pid, c, state, fields) => {
    const text = `${pid} (${c}) ${state} ${fields.join(' ')}\n`;
    const expected: Record<string, unknown> = {
      pid, comm: c, state: (PROCESS_STATES as readonly string[]).includes(state) ? state : '?',
    };
    for (const [n, key] of Object.entries(EXPOSED)) expected[key] = Number(fields[Number(n) - 4]);
    assert.deepEqual(parseStat(text), { ok: true, value: expected });
  }), { numRuns: 300 });
});

const wellFormed = (parsed: Result<StatRecord>): boolean =>
  !parsed.ok
    ? typeof parsed.error === 'string'
    : Object.values(parsed.value).every((v) => typeof v === 'string' || Number.isFinite(v));

test('property: parseStat never throws on any string and returns a record or an error value', () => {
  const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)), maxLength: 80 });
  fc.assert(fc.property(fc.oneof(anyText, fc.string({ unit: commUnit, maxLength: 80 })),
    (text) => wellFormed(parseStat(text))));
});

test('property: parseStat never throws on a valid line with characters cut out or spliced in', () => {
  const line = fixtureText('basic', '1300/stat');
  const edit = fc.tuple(fc.nat(line.length), fc.nat(20), fc.string({ unit: commUnit, maxLength: 5 }));
  fc.assert(fc.property(fc.array(edit, { maxLength: 4 }), (edits) => {
    let text = line;
    for (const [at, cut, insert] of edits) text = text.slice(0, at) + insert + text.slice(at + cut);
    return wellFormed(parseStat(text));
  }));
});
