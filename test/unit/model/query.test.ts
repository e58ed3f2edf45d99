import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PROCESS_STATES, type ProcessInfo } from '../../../src/model/snapshot';
import { describeQuery, MAX_QUERY_LENGTH, parseQuery, QUERY_HELP, type QueryContext } from '../../../src/model/query';
import { FIELD_NAMES, FLAG_NAMES } from '../../../src/model/query-eval';

const NOW = 1_700_000_000_000;
const CTX: QueryContext = { now: NOW, stuckAfterMs: 5000 };

/** A process with every field filled; `over` replaces any of them. */
function proc(over: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid: 100, startTicks: 1, ppid: 1, tgid: 100, pgid: 100, sid: 100, tty: undefined, state: 'S',
    name: 'bash', command: '/bin/bash -l', kernel: false, thread: false, uid: 0, user: 'root',
    priority: 20, nice: 0, threads: 1, startTime: NOW - 3_600_000, cpuTicks: 0, cpuTime: 0,
    rss: 4096, vsz: 8192, shared: 0, cpu: undefined, mem: undefined,
    wchan: undefined, stateSince: NOW, exeDeleted: false, orphan: false, cgroup: undefined, container: undefined, unit: undefined, cgroupFlags: '', swap: undefined, oomScore: undefined, oomScoreAdj: undefined, ioReadRate: undefined, ioWriteRate: undefined, ioDenied: undefined, ...over,
  };
}

/** The predicate of a query that must parse. */
function pred(text: string): (p: ProcessInfo, ctx?: QueryContext) => boolean {
  const r = parseQuery(text);
  if (!r.ok) return assert.fail(`${JSON.stringify(text)} failed: ${r.error} @${r.position}`);
  return (p, ctx = CTX) => r.predicate(p, ctx);
}

const matches = (text: string, over: Partial<ProcessInfo> = {}): boolean => pred(text)(proc(over));

/** The error of a query that must not parse. */
function failure(text: string): { error: string; position: number } {
  const r = parseQuery(text);
  if (r.ok) return assert.fail(`${JSON.stringify(text)} parsed but should not`);
  return r;
}

void test('an empty or blank query matches everything', () => {
  assert.equal(matches(''), true);
  assert.equal(matches('  \t '), true);
  assert.equal(matches('', { state: 'Z', kernel: true }), true);
});

void test('the ok result carries the query text', () => {
  const r = parseQuery('cpu>5');
  assert.ok(r.ok);
  assert.equal(r.text, 'cpu>5');
});

void test('state:Z matches zombies only', () => {
  assert.equal(matches('state:Z', { state: 'Z' }), true);
  assert.equal(matches('state:Z', { state: 'S' }), false);
});

void test('state:D,T matches any state of the list', () => {
  const p = pred('state:D,T');
  assert.deepEqual(['D', 'T', 'S', 't'].map((s) => p(proc({ state: s as ProcessInfo['state'] }))), [true, true, false, false]);
});

void test('state letters are case-sensitive: t is traced, T stopped', () => {
  assert.equal(matches('state:t', { state: 't' }), true);
  assert.equal(matches('state:t', { state: 'T' }), false);
});

void test('state!= excludes the listed states', () => {
  assert.equal(matches('state!=S,R', { state: 'S' }), false);
  assert.equal(matches('state!=S,R', { state: 'D' }), true);
});

void test('user: matches the exact user name', () => {
  assert.equal(matches('user:root', { user: 'root' }), true);
  assert.equal(matches('user:root', { user: 'roots' }), false);
  assert.equal(matches('user:ro', { user: 'root' }), false);
});

void test('user: with a number matches the uid', () => {
  assert.equal(matches('user:1000', { uid: 1000, user: 'alice' }), true);
  assert.equal(matches('user:1000', { uid: 1001, user: 'bob' }), false);
});

void test('an unknown user matches neither user: nor user!=', () => {
  const p = proc({ uid: undefined, user: undefined });
  assert.equal(pred('user:root')(p), false);
  assert.equal(pred('user!=root')(p), false);
});

void test('pid: takes a comma list', () => {
  const p = pred('pid:1,2,3');
  assert.deepEqual([1, 2, 3, 4].map((pid) => p(proc({ pid }))), [true, true, true, false]);
});

void test('ppid, pgid and sid match their own fields', () => {
  const p = proc({ ppid: 7, pgid: 8, sid: 9 });
  assert.deepEqual(['ppid:7', 'pgid:8', 'sid:9', 'ppid:8', 'pgid:9', 'sid:7'].map((q) => pred(q)(p)), [true, true, true, false, false, false]);
});

void test('ids also compare: pid>1000', () => {
  assert.equal(matches('pid>1000', { pid: 1001 }), true);
  assert.equal(matches('pid>1000', { pid: 1000 }), false);
});

void test('tty: matches the terminal name exactly', () => {
  assert.equal(matches('tty:pts/0', { tty: 'pts/0' }), true);
  assert.equal(matches('tty:pts/0', { tty: 'pts/01' }), false);
  assert.equal(matches('tty:pts/0', { tty: undefined }), false);
});

void test('tty:none matches processes without a terminal', () => {
  assert.equal(matches('tty:none', { tty: undefined }), true);
  assert.equal(matches('tty:none', { tty: 'tty1' }), false);
  assert.equal(matches('tty!=none', { tty: 'tty1' }), true);
});

void test('name: is a case-insensitive substring of comm, not of the command line', () => {
  assert.equal(matches('name:GINX', { name: 'nginx' }), true);
  assert.equal(matches('name:nginx', { name: 'bash', command: '/usr/sbin/nginx' }), false);
});

void test('wchan: matches the kernel wait function, never an unknown one', () => {
  assert.equal(matches('wchan:io_sched', { wchan: 'io_schedule' }), true);
  assert.equal(matches('wchan:io_sched', { wchan: undefined }), false);
  assert.equal(matches('wchan!=io_sched', { wchan: undefined }), false);
});

void test('cmd~ is a case-insensitive regex on the command line', () => {
  assert.equal(matches('cmd~^/usr/.*NGINX$', { command: '/usr/sbin/nginx' }), true);
  assert.equal(matches('cmd~^/usr/.*nginx$', { command: '/opt/nginx' }), false);
});

void test('a regex may contain parentheses, also inside a group', () => {
  const p = pred('(cmd~(php|ruby) or zombie) user:www');
  assert.equal(p(proc({ command: 'ruby app.rb', user: 'www' })), true);
  assert.equal(p(proc({ command: 'python app.py', user: 'www' })), false);
  assert.equal(matches('name~[(]x', { name: '(x' }), true);
});

void test('a quoted regex may contain spaces', () => {
  assert.equal(matches('cmd~"-c \\d+"', { command: 'sh -c 42' }), true);
});

void test('an invalid regex is an error at the regex, not a throw', () => {
  assert.deepEqual(failure('zombie cmd~(a').position, 11);
  assert.match(failure('cmd~[').error, /invalid regular expression/);
});

void test('cpu> compares percent', () => {
  assert.equal(matches('cpu>50', { cpu: 50.1 }), true);
  assert.equal(matches('cpu>50', { cpu: 50 }), false);
  assert.equal(matches('cpu>50%', { cpu: 51 }), true);
});

void test('an unknown cpu never matches any comparison', () => {
  for (const q of ['cpu>0', 'cpu<100', 'cpu=0', 'cpu!=5', 'cpu>=0', 'cpu<=0']) {
    assert.equal(matches(q, { cpu: undefined }), false, q);
  }
});

void test('mem>= includes the boundary', () => {
  assert.equal(matches('mem>=10', { mem: 10 }), true);
  assert.equal(matches('mem>=10', { mem: 9.99 }), false);
});

void test('rss>1G is exactly 2^30 bytes', () => {
  assert.equal(matches('rss>1G', { rss: 1073741825 }), true);
  assert.equal(matches('rss>1G', { rss: 1073741823 }), false);
  assert.equal(matches('rss>1G', { rss: 1073741824 }), false);
  assert.equal(matches('rss>=1G', { rss: 1073741824 }), true);
});

void test('size units are binary, case-insensitive, with optional B or iB', () => {
  for (const [q, bytes] of [['1.5GiB', 1.5 * 2 ** 30], ['512k', 512 * 1024], ['1KB', 1024], ['2m', 2 * 2 ** 20], ['1T', 2 ** 40], ['100', 100], ['100b', 100]] as const) {
    assert.equal(matches(`rss=${q}`, { rss: bytes }), true, q);
  }
});

void test('an unknown rss never matches', () => {
  assert.equal(matches('rss<1G', { rss: undefined }), false);
});

void test('vsz and shr compare sizes', () => {
  assert.equal(matches('vsz<500M', { vsz: 499 * 2 ** 20 }), true);
  assert.equal(matches('vsz<500M', { vsz: 501 * 2 ** 20 }), false);
  assert.equal(matches('shr>64M', { shared: 65 * 2 ** 20 }), true);
  assert.equal(matches('shr>64M', { shared: undefined }), false);
});

void test('a value that does not fit the unit is an error at the value', () => {
  assert.deepEqual(failure('rss>1X').position, 4);
  assert.equal(failure('rss>5iB').position, 4);
  assert.match(failure('cpu>5M').error, /percentage/);
  assert.match(failure('age<abc').error, /duration/);
});

void test('threads, nice and pri compare plain numbers, also negative', () => {
  assert.equal(matches('threads>100', { threads: 101 }), true);
  assert.equal(matches('threads>100', { threads: 100 }), false);
  assert.equal(matches('nice<0', { nice: -5 }), true);
  assert.equal(matches('nice<-5', { nice: -5 }), false);
  assert.equal(matches('pri<0', { priority: -51 }), true);
});

void test('age<5m measures from start time to the snapshot time', () => {
  assert.equal(matches('age<5m', { startTime: NOW - 4 * 60_000 }), true);
  assert.equal(matches('age<5m', { startTime: NOW - 6 * 60_000 }), false);
});

void test('a bare duration is seconds', () => {
  assert.equal(matches('age<300', { startTime: NOW - 299_000 }), true);
  assert.equal(matches('age<300', { startTime: NOW - 301_000 }), false);
});

void test('time> compares CPU time in all duration units', () => {
  assert.equal(matches('time>1h', { cpuTime: 3601 }), true);
  assert.equal(matches('time>1h', { cpuTime: 3599 }), false);
  assert.equal(matches('time>=1500ms', { cpuTime: 1.5 }), true);
  assert.equal(matches('time<1d', { cpuTime: 86_399 }), true);
});

void test('stateage> measures time in the current state', () => {
  assert.equal(matches('stateage>10s', { stateSince: NOW - 11_000 }), true);
  assert.equal(matches('stateage>10s', { stateSince: NOW - 9_000 }), false);
});

void test('= == and : mean the same on numbers, != negates', () => {
  for (const q of ['threads=4', 'threads==4', 'threads:4']) assert.equal(matches(q, { threads: 4 }), true, q);
  assert.equal(matches('threads!=4', { threads: 4 }), false);
  assert.equal(matches('threads!=4,5', { threads: 6 }), true);
});

void test('field names are case-insensitive', () => {
  assert.equal(matches('CPU>50', { cpu: 60 }), true);
});

void test('zombie, running and stopped flags follow the state', () => {
  assert.equal(matches('zombie', { state: 'Z' }), true);
  assert.equal(matches('zombie', { state: 'S' }), false);
  assert.equal(matches('running', { state: 'R' }), true);
  assert.equal(matches('running', { state: 'D' }), false);
  assert.deepEqual(['T', 't', 'S'].map((s) => matches('stopped', { state: s as ProcessInfo['state'] })), [true, true, false]);
});

void test('orphan, kernel and thread flags follow their booleans', () => {
  assert.equal(matches('orphan', { orphan: true }), true);
  assert.equal(matches('orphan', { orphan: false }), false);
  assert.equal(matches('kernel', { kernel: true }), true);
  assert.equal(matches('kernel', { kernel: false }), false);
  assert.equal(matches('thread', { thread: true }), true);
  assert.equal(matches('thread', { thread: false }), false);
});

void test('deleted matches only a known deleted executable', () => {
  assert.equal(matches('deleted', { exeDeleted: true }), true);
  assert.equal(matches('deleted', { exeDeleted: false }), false);
  assert.equal(matches('deleted', { exeDeleted: undefined }), false);
});

void test('stuck is state D for longer than stuckAfterMs', () => {
  const p = pred('stuck');
  assert.equal(p(proc({ state: 'D', stateSince: NOW - 6000 })), true);
  assert.equal(p(proc({ state: 'D', stateSince: NOW - 4000 })), false);
  assert.equal(p(proc({ state: 'S', stateSince: NOW - 60_000 })), false);
  assert.equal(p(proc({ state: 'D', stateSince: NOW - 4000 }), { now: NOW, stuckAfterMs: 1000 }), true);
});

void test('flags and keywords are case-insensitive', () => {
  assert.equal(matches('ZOMBIE', { state: 'Z' }), true);
  assert.equal(matches('zombie OR running', { state: 'R' }), true);
  assert.equal(matches('NOT zombie AnD running', { state: 'R' }), true);
});

void test('a bare word matches name or command line, case-insensitively', () => {
  assert.equal(matches('NGINX', { name: 'nginx', command: 'x' }), true);
  assert.equal(matches('worker', { name: 'nginx', command: 'nginx: Worker process' }), true);
  assert.equal(matches('apache', { name: 'nginx', command: 'nginx' }), false);
});

void test('a quoted string is one word with spaces and \\" escapes', () => {
  assert.equal(matches('"worker process"', { command: 'nginx: worker process' }), true);
  assert.equal(matches('"worker process"', { command: 'worker  process' }), false);
  assert.equal(matches('"say \\"hi\\""', { command: 'echo say "hi"' }), true);
});

void test('a quoted keyword or flag is searched for as text', () => {
  assert.equal(matches('"or"', { command: 'sort' }), true);
  assert.equal(matches('"zombie"', { name: 'zombie-maker', state: 'S' }), true);
  assert.equal(matches('"zombie"', { name: 'x', state: 'Z' }), false);
});

void test('a term value may be quoted', () => {
  assert.equal(matches('name:"web worker"', { name: 'web worker 1' }), true);
});

void test('terms side by side are and-ed', () => {
  const p = pred('user:root zombie');
  assert.equal(p(proc({ user: 'root', state: 'Z' })), true);
  assert.equal(p(proc({ user: 'root', state: 'S' })), false);
  assert.equal(p(proc({ user: 'bob', state: 'Z' })), false);
});

void test('or binds looser than and: a or b c = a or (b and c)', () => {
  const p = pred('zombie or kernel thread');
  assert.equal(p(proc({ state: 'Z' })), true);
  assert.equal(p(proc({ kernel: true })), false);
  assert.equal(p(proc({ kernel: true, thread: true })), true);
});

void test('not binds tighter than or: not a or b = (not a) or b', () => {
  const p = pred('not zombie or kernel');
  assert.equal(p(proc({ state: 'S' })), true);
  assert.equal(p(proc({ state: 'Z', kernel: true })), true);
  assert.equal(p(proc({ state: 'Z' })), false);
});

void test('! is not', () => {
  assert.equal(matches('!zombie', { state: 'Z' }), false);
  assert.equal(matches('!zombie', { state: 'S' }), true);
  assert.equal(matches('!!zombie', { state: 'Z' }), true);
});

void test('parentheses group: (a or b) c', () => {
  const p = pred('(zombie or kernel) thread');
  assert.equal(p(proc({ state: 'Z' })), false);
  assert.equal(p(proc({ state: 'Z', thread: true })), true);
  assert.equal(matches('!(zombie or kernel)', { kernel: true }), false);
});

void test('unknown field is an error naming it and listing the valid ones', () => {
  const e = failure('zombie foo:bar');
  assert.equal(e.position, 7);
  assert.match(e.error, /'foo'/);
  for (const f of FIELD_NAMES) assert.ok(e.error.includes(f), f);
  assert.equal(failure('constructor:1').position, 0);
});

void test('a missing value is an error right after the operator', () => {
  assert.deepEqual(failure('cpu>'), { ok: false, error: "missing value after 'cpu>'", position: 4 });
  assert.equal(failure('(cpu>)').position, 5);
  assert.equal(failure('cpu> 5').position, 4);
});

void test('a missing field name is an error at the operator', () => {
  assert.equal(failure('zombie >5').position, 7);
});

void test('an operator the field does not take is an error at the operator', () => {
  assert.equal(failure('state>1').position, 5);
  assert.equal(failure('user~x').position, 4);
});

void test('a bad state letter or empty list item is an error at that item', () => {
  assert.equal(failure('state:D,q').position, 8);
  assert.equal(failure('pid:1,,2').position, 6);
});

void test('an unclosed ( is an error at that parenthesis', () => {
  assert.equal(failure('zombie (kernel').position, 7);
  assert.equal(failure('((a)').position, 0);
});

void test('a stray ) is an error at that parenthesis', () => {
  assert.equal(failure('a) b').position, 1);
  assert.equal(failure(')').position, 0);
});

void test('empty parentheses are an error at the )', () => {
  assert.equal(failure('a ()').position, 3);
});

void test('and/or without operands are errors', () => {
  assert.equal(failure('zombie or').position, 9);
  assert.equal(failure('and zombie').position, 0);
  assert.equal(failure('a or or b').position, 5);
  assert.equal(failure('not').position, 3);
});

void test('an unterminated quote is an error at the quote', () => {
  assert.equal(failure('zombie "abc').position, 7);
});

void test('a query longer than the limit is an error, not slow', () => {
  const e = failure('a '.repeat(MAX_QUERY_LENGTH));
  assert.match(e.error, /too long/);
  assert.equal(matches('x'.repeat(MAX_QUERY_LENGTH), { name: 'y' }), false);
});

void test('nesting beyond the limit is an error at the first level too deep', () => {
  const e = failure('('.repeat(100) + 'a' + ')'.repeat(100));
  assert.match(e.error, /too deeply nested/);
  assert.equal(e.position, 64);
  assert.match(failure('!'.repeat(1000) + 'a').error, /too deeply nested/);
  assert.equal(matches('('.repeat(64) + 'zombie' + ')'.repeat(64), { state: 'Z' }), true);
});

void test('10,000 nested parentheses return an error value without overflowing the stack', () => {
  const r = parseQuery('('.repeat(10_000) + 'a' + ')'.repeat(10_000));
  assert.equal(r.ok, false);
});

void test('a long flat or-chain parses and evaluates without recursion trouble', () => {
  const q = Array.from({ length: 300 }, (_, i) => `pid:${i}`).join(' or ');
  assert.ok(q.length <= MAX_QUERY_LENGTH);
  assert.equal(matches(q, { pid: 299 }), true);
  assert.equal(matches(q, { pid: 300 }), false);
});

void test('QUERY_HELP mentions every field and flag', () => {
  const all = QUERY_HELP.map((r) => r.syntax).join(' ');
  for (const w of [...FIELD_NAMES, ...FLAG_NAMES]) assert.ok(all.includes(w), w);
  for (const r of QUERY_HELP) assert.ok(r.meaning.length > 0);
});

const TOKENS = [
  'state:', 'D', 'Z,T', 't', 'cpu', 'rss', 'age', 'cmd', 'name', 'user:', 'pid:', 'tty:none', 'wchan', 'foo',
  '>', '>=', '<', '<=', '=', '==', '!=', '~', ':', ',', '-', '.', '1', '1.5', '1G', 'GiB', '5m', 'ms', '%',
  '(', ')', '[', ']', '|', '.*', '\\', '"', '!', 'not', 'and', 'or', 'OR', ' ', ' ', 'zombie', 'stuck',
  'constructor', '__proto__', 'toString', '\t',
];
const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }).map((a) => a.join(''));

/** Any result: ok, or an error with a position inside (or at the end of) the query. */
function wellFormed(text: string): boolean {
  const r = parseQuery(text);
  if (r.ok) return typeof r.predicate === 'function';
  return typeof r.error === 'string' && r.error.length > 0 && r.position >= 0 && r.position <= text.length;
}

void test('property: parseQuery never throws on arbitrary strings', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), wellFormed), { numRuns: 2000 });
});

void test('property: parseQuery never throws on strings made of the language tokens', () => {
  fc.assert(fc.property(tokenSoup, wellFormed), { numRuns: 5000 });
});

const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });
const anyProcess: fc.Arbitrary<ProcessInfo> = fc.record({
  pid: fc.integer(), startTicks: fc.integer(), ppid: fc.integer(), tgid: fc.integer(), pgid: fc.integer(),
  sid: fc.integer(), tty: maybe(fc.string()), state: fc.constantFrom(...PROCESS_STATES, '?' as const),
  name: fc.string(), command: fc.string(), kernel: fc.boolean(), thread: fc.boolean(), uid: maybe(fc.integer()),
  user: maybe(fc.string()), priority: fc.integer(), nice: fc.integer({ min: -20, max: 19 }), threads: fc.nat(),
  startTime: fc.double(), cpuTicks: fc.nat(), cpuTime: fc.double(), rss: maybe(fc.double()), vsz: fc.double(),
  shared: maybe(fc.double()), cpu: maybe(fc.double()), mem: maybe(fc.double()), wchan: maybe(fc.string()),
  stateSince: fc.double(), exeDeleted: maybe(fc.boolean()), orphan: fc.boolean(), cgroup: maybe(fc.string()), container: maybe(fc.string()), unit: maybe(fc.string()), cgroupFlags: fc.constantFrom('', 'throttled', 'memlimit oom', 'pressure'),
  swap: maybe(fc.nat()), oomScore: maybe(fc.integer({ min: 0, max: 2000 })), oomScoreAdj: maybe(fc.integer({ min: -1000, max: 1000 })), ioReadRate: maybe(fc.double({ min: 0, noNaN: true })), ioWriteRate: maybe(fc.double({ min: 0, noNaN: true })), ioDenied: maybe(fc.boolean()),
});
const anyContext: fc.Arbitrary<QueryContext> = fc.record({ now: fc.double(), stuckAfterMs: fc.double() });

void test('property: predicates of ok queries never throw on arbitrary processes', () => {
  const okQuery = tokenSoup.map(parseQuery).filter((r) => r.ok);
  fc.assert(fc.property(okQuery, anyProcess, anyContext, (r, p, ctx) => {
    assert.ok(r.ok);
    return typeof r.predicate(p, ctx) === 'boolean';
  }), { numRuns: 2000 });
});

const TERMS = ['zombie', 'kernel', 'cpu>50', 'rss<1G', 'user:root', 'state:D,S', 'name:a', 'cmd~^/', 'age<1h', 'orphan'];

void test('property: not, and, or combine like the boolean operators', () => {
  fc.assert(fc.property(fc.constantFrom(...TERMS), fc.constantFrom(...TERMS), anyProcess, (a, b, p) => {
    const [x, y] = [pred(a)(p), pred(b)(p)];
    assert.equal(pred(`not ${a}`)(p), !x);
    assert.equal(pred(`${a} ${b}`)(p), x && y);
    assert.equal(pred(`${a} or ${b}`)(p), x || y);
    assert.equal(pred(`!(${a} or ${b})`)(p), !(x || y));
  }), { numRuns: 1000 });
});

void test('query fields are named as the columns are, and the older names still work (pgid rss vsz pri cmd)', () => {
  const p = { pgid: 42, rss: 2 * 1024 ** 3, vsz: 3 * 1024 ** 3, priority: -5, command: '/usr/bin/nginx -g' };
  for (const [now, old] of [['pgrp:42', 'pgid:42'], ['res>1G', 'rss>1G'], ['virt>2G', 'vsz>2G'], ['priority<0', 'pri<0'], ['command~nginx', 'cmd~nginx']]) {
    assert.equal(matches(now, p), true, now);
    assert.equal(matches(old, p), true, old);
    assert.equal(matches(now), false, `${now} on another process`);
  }
});

void test('age, time and stateage compare durations in the units given', () => {
  assert.equal(matches('age>59m age<61m'), true);
  assert.equal(matches('time>=1500ms', { cpuTime: 1.5 }), true);
  assert.equal(matches('stateage>4s', { stateSince: NOW - 5000 }), true);
});

void test('a bare flag word also finds names and command lines (issue 10 item 9): stopped finds stopped-tracer', () => {
  assert.equal(matches('stopped', { name: 'stopped-tracer', state: 'S' }), true);
  assert.equal(matches('zombie', { name: 'zombie-factory', state: 'S' }), true);
  assert.equal(matches('stopped', { state: 'T' }), true);
  assert.equal(matches('stopped', { name: 'bash', state: 'S' }), false);
});

void test('is:FLAG is the strict form: the flag only', () => {
  assert.equal(matches('is:stopped', { name: 'stopped-tracer', state: 'S' }), false);
  assert.equal(matches('is:stopped', { state: 't' }), true);
  assert.equal(matches('is:zombie', { state: 'Z' }), true);
  assert.equal(failure('is:nothing').position, 3);
});

void test('describeQuery says how each bare flag word is read: the flag or the name/command line', () => {
  assert.equal(describeQuery('stopped'), "stopped: state T or t or name/cmd contains 'stopped'");
  assert.equal(describeQuery('zombie user:root'), "zombie: state Z or name/cmd contains 'zombie'");
  assert.equal(describeQuery('stuck or Running'), "stuck: state D for longer than 5 s or name/cmd contains 'stuck'; Running: state R or name/cmd contains 'Running'");
  // The strict forms, quoted words, other words and queries that do not tokenize read as written.
  for (const q of ['is:stopped', '"stopped"', 'nginx', 'state:Z', '"open', '']) assert.equal(describeQuery(q), '', q);
});
