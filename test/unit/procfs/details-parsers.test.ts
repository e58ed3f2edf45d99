/**
 * The details panel's pure parsers (limits, io, cgroup, status lines, errno → reason) on text
 * recorded from a real /proc (test/fixtures/details) and on crafted malformed text, plus
 * readProcessDetails over small synthetic /proc trees (cycles, missing files, PID reuse).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { cgroupSummary, parseCgroup } from '../../../src/procfs/parse/cgroup';
import { Field, pick, reasonForErrno } from '../../../src/procfs/parse/field';
import { ioBytes, parseIo } from '../../../src/procfs/parse/io';
import { parseInteger } from '../../../src/procfs/parse/integer';
import { parseSmapsRollup } from '../../../src/procfs/parse/smaps-rollup';
import { parseVmSwap } from '../../../src/procfs/parse/status';
import { parseLimits } from '../../../src/procfs/parse/limits';
import { Result } from '../../../src/base/result';
import { parseStatusDetails } from '../../../src/procfs/parse/status-details';
import { readProcessDetails } from '../../../src/procfs/details';
import { ProcReader } from '../../../src/procfs/reader';
import { FIXTURES, IS_ROOT, tempDir } from './fixtures';

const recorded = (file: string): string => fs.readFileSync(path.join(FIXTURES, '..', 'details', file), 'utf8');

function ok<T>(parsed: Result<T>): T {
  if (!parsed.ok) assert.fail(`unexpected parse error: ${parsed.error}`);
  return parsed.value;
}

/** Arbitrary text, and arbitrary mixes of real lines with garbage lines. */
const hostileText = (sample: string): fc.Arbitrary<string> => fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.array(fc.oneof(fc.constantFrom(...sample.split('\n')), fc.string({ maxLength: 60 })), { maxLength: 30 }).map((l) => l.join('\n')),
);

// limits

test('parseLimits reads the 16 rows of a recorded limits file, names with spaces intact', () => {
  const rows = ok(parseLimits(recorded('limits')));
  assert.equal(rows.length, 16);
  assert.deepEqual(rows.find((r) => r.name === 'Max open files'), { name: 'Max open files', soft: '20000', hard: '20000', units: 'files' });
  assert.deepEqual(rows.find((r) => r.name === 'Max stack size'), { name: 'Max stack size', soft: '8388608', hard: 'unlimited', units: 'bytes' });
  assert.deepEqual(rows.at(-1), { name: 'Max realtime timeout', soft: 'unlimited', hard: 'unlimited', units: 'us' });
});

test('parseLimits gives an empty unit to the rows the kernel prints without one', () => {
  const rows = ok(parseLimits(recorded('limits')));
  assert.deepEqual(rows.filter((r) => r.units === '').map((r) => r.name), ['Max nice priority', 'Max realtime priority']);
});

test('parseLimits reads a 20-digit value that fills its column', () => {
  const text = `${'Limit'.padEnd(25)} ${'Soft Limit'.padEnd(20)} ${'Hard Limit'.padEnd(20)} Units     \n` +
    `${'Max file locks'.padEnd(25)} 18446744073709551614 unlimited            locks     \n`;
  assert.deepEqual(ok(parseLimits(text)), [{ name: 'Max file locks', soft: '18446744073709551614', hard: 'unlimited', units: 'locks' }]);
});

test('parseLimits of empty text, text without the header, or a bad row is an error value', () => {
  assert.ok(!parseLimits('').ok);
  assert.ok(!parseLimits(recorded('limits').split('\n').slice(1).join('\n')).ok);
  assert.ok(!parseLimits(`${recorded('limits')}Max open files  lots  many  files\n`).ok);
  assert.ok(!parseLimits(`${recorded('limits')}Max open files\n`).ok);
});

// io

test('parseIo reads every counter of a recorded io file', () => {
  assert.deepEqual(ok(parseIo(recorded('io'))), {
    rchar: 6976, wchar: 0, syscr: 10, syscw: 0, read_bytes: 0, write_bytes: 0, cancelled_write_bytes: 0,
  });
});

test('parseIo keeps a counter it does not know', () => {
  assert.equal(ok(parseIo(`${recorded('io')}future_bytes: 42\n`)).future_bytes, 42);
});

test('parseIo of empty text, a non-number or a line without a colon is an error value', () => {
  assert.ok(!parseIo('').ok);
  assert.ok(!parseIo('rchar: lots\n').ok);
  assert.ok(!parseIo('rchar 12\n').ok);
  assert.ok(!parseIo('rchar: -1\n').ok);
});

// cgroup

test('parseCgroup reads a recorded hybrid (v1 + v2) cgroup file; the summary joins every line', () => {
  const entries = ok(parseCgroup(recorded('cgroup')));
  assert.equal(entries.length, 10);
  assert.deepEqual(entries.find((e) => e.controllers === 'memory')?.path.startsWith('/process_api/'), true);
  assert.deepEqual(entries.at(-1), { hierarchy: 0, controllers: '', path: '/' });
  assert.equal(cgroupSummary(entries), recorded('cgroup').trimEnd().split('\n').join('; '));
});

test('cgroupSummary of a pure v2 process is its unified path; a ":" in the path stays', () => {
  assert.equal(cgroupSummary(ok(parseCgroup('0::/user.slice/user-1000.slice/session-2.scope\n'))), '/user.slice/user-1000.slice/session-2.scope');
  assert.equal(cgroupSummary(ok(parseCgroup('0::/odd:name with space\n'))), '/odd:name with space');
});

test('parseCgroup of empty text or a line without the id:controllers:path shape is an error value', () => {
  assert.ok(!parseCgroup('').ok);
  assert.ok(!parseCgroup('garbage\n').ok);
  assert.ok(!parseCgroup('x::/\n').ok);
});

// status

test('parseStatusDetails reads ids, CPU list and context switches of a recorded status', () => {
  assert.deepEqual(parseStatusDetails(recorded('status')), {
    uids: [0, 0, 0, 0], gids: [0, 0, 0, 0], cpusAllowedList: '0-1', contextSwitches: { voluntary: 0, involuntary: 2 }, tracerPid: 0, swapBytes: 0,
  });
});

test('parseStatusDetails reads VmSwap in bytes and ignores a malformed one', () => {
  assert.equal(parseStatusDetails('VmSwap:\t    1234 kB\n').swapBytes, 1234 * 1024);
  assert.equal(parseStatusDetails('VmSwap:\t    12x4 kB\n').swapBytes, undefined);
});

test('parseStatusDetails keeps the order real, effective, saved, fs of a setuid process', () => {
  const text = recorded('status').replace(/^Uid:.*$/m, 'Uid:\t1000\t0\t0\t0').replace(/^Gid:.*$/m, 'Gid:\t100\t100\t5\t100');
  const parsed = parseStatusDetails(text);
  assert.deepEqual([parsed.uids, parsed.gids], [[1000, 0, 0, 0], [100, 100, 5, 100]]);
});

test('parseStatusDetails leaves out exactly the lines that are missing or malformed', () => {
  assert.deepEqual(parseStatusDetails(''), { uids: undefined, gids: undefined, cpusAllowedList: undefined, contextSwitches: undefined, tracerPid: undefined, swapBytes: undefined });
  const text = recorded('status').replace(/^Uid:.*$/m, 'Uid:\t0\t0\t0').replace(/^voluntary_ctxt_switches:.*\n/m, '');
  const parsed = parseStatusDetails(text);
  assert.deepEqual([parsed.uids, parsed.contextSwitches, parsed.gids], [undefined, undefined, [0, 0, 0, 0]]);
});

test('no details parser throws on arbitrary text or on real lines mixed with garbage', () => {
  const samples: [string, (text: string) => unknown][] = [
    ['limits', parseLimits], ['io', parseIo], ['cgroup', parseCgroup], ['status', parseStatusDetails],
    ['smaps_rollup', parseSmapsRollup], ['status', parseVmSwap], ['io', parseInteger],
  ];
  for (const [file, parse] of samples) fc.assert(fc.property(hostileText(recorded(file)), (text) => { parse(text); }));
});

// smaps_rollup, VmSwap, io bytes, one-number files

test('parseSmapsRollup reads RSS, PSS and its parts of a recorded smaps_rollup, in bytes', () => {
  assert.deepEqual(ok(parseSmapsRollup(recorded('smaps_rollup'))), {
    rss: 1780 * 1024, pss: 242 * 1024, pssAnon: 112 * 1024, pssFile: 130 * 1024, pssShmem: 0, swap: 0, swapPss: 0,
  });
});

test('parseSmapsRollup of a kernel before 5.9 (no Pss_Anon/File/Shmem lines) leaves the parts undefined', () => {
  const old = recorded('smaps_rollup').split('\n').filter((l) => !/^Pss_(Anon|File|Shmem|Dirty):/.test(l)).join('\n');
  const m = ok(parseSmapsRollup(old));
  assert.deepEqual([m.pss, m.pssAnon, m.pssFile, m.pssShmem], [242 * 1024, undefined, undefined, undefined]);
});

test('parseSmapsRollup without a Pss line, or empty (a kernel thread), is an error value', () => {
  assert.ok(!parseSmapsRollup('').ok);
  assert.ok(!parseSmapsRollup(recorded('smaps_rollup').replace(/^Pss:.*$/m, '')).ok);
});

test('parseVmSwap reads VmSwap in bytes and is undefined without the line (kernel threads)', () => {
  assert.equal(parseVmSwap(recorded('status')), 0);
  assert.equal(parseVmSwap(recorded('status').replace(/^VmSwap:.*$/m, 'VmSwap:\t  123456 kB')), 123456 * 1024);
  assert.equal(parseVmSwap(recorded('status').replace(/^VmSwap:.*\n/m, '')), undefined);
  assert.equal(parseVmSwap(recorded('status').replace(/^VmSwap:.*$/m, 'VmSwap:\tlots kB')), undefined);
});

test('ioBytes takes read_bytes and write_bytes of a recorded io; a kernel without task I/O accounting gives undefined', () => {
  assert.deepEqual(ioBytes(ok(parseIo(recorded('io')))), { read: 0, write: 0 });
  assert.deepEqual(ioBytes(ok(parseIo('rchar: 1\nwchar: 2\nread_bytes: 4096\nwrite_bytes: 8192\n'))), { read: 4096, write: 8192 });
  assert.equal(ioBytes(ok(parseIo('rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\n'))), undefined);
});

test('parseInteger reads oom_score and a negative oom_score_adj; anything else is an error value', () => {
  assert.equal(ok(parseInteger('667\n')), 667);
  assert.equal(ok(parseInteger('-1000\n')), -1000);
  for (const bad of ['', 'high\n', '1 2\n', '--1\n']) assert.ok(!parseInteger(bad).ok, bad);
});

// fields

test('reasonForErrno: EACCES/EPERM are permission denied, ENOENT/ESRCH gone, anything else unavailable', () => {
  const codes = ['EACCES', 'EPERM', 'ENOENT', 'ESRCH', 'EISDIR', 'EINVAL', 'EUNKNOWN'];
  assert.deepEqual(codes.map(reasonForErrno), ['permission denied', 'permission denied', 'gone', 'gone', 'unavailable', 'unavailable', 'unavailable']);
});

test('pick passes a failure through and turns a missing value into unavailable', () => {
  const denied: Field<number[]> = { ok: false, reason: 'permission denied' };
  assert.deepEqual(pick<number[], number>(denied, (v) => v.length), denied);
  const read: Field<number[]> = { ok: true, value: [1, 2] };
  assert.deepEqual(pick(read, () => undefined), { ok: false, reason: 'unavailable' });
  assert.deepEqual(pick(read, (v) => v.length), { ok: true, value: 2 });
});

// readProcessDetails over synthetic /proc trees

/** A /proc/PID/stat line with the fields the parser needs (starttime = field 22). */
const statLine = (pid: number, comm: string, ppid: number, start: number, state = 'S'): string =>
  `${pid} (${comm}) ${state} ${ppid} ${pid} ${pid} 0 -1 4194304 0 0 0 0 7 3 0 0 20 0 1 0 ${start} 1000 10 0\n`;

function writeProc(root: string, pid: number, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, String(pid), name)), { recursive: true });
    fs.writeFileSync(path.join(root, String(pid), name), text);
  }
}

test('readProcessDetails walks parents cycle-safely and finds children with one scan', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeProc(dir, 10, { stat: statLine(10, 'me', 11, 500) });
  writeProc(dir, 11, { stat: statLine(11, 'up', 12, 400) });
  writeProc(dir, 12, { stat: statLine(12, 'loop', 11, 300) }); // 11 ↔ 12: a corrupt or racing view
  writeProc(dir, 13, { stat: statLine(13, 'kid', 10, 600, 'Z') });
  const details = readProcessDetails(new ProcReader(dir), 10, 500);
  assert.deepEqual(details?.parentChain, [{ pid: 11, name: 'up' }, { pid: 12, name: 'loop' }]);
  assert.deepEqual(details?.children, [{ pid: 13, name: 'kid', state: 'Z' }]);
});

test('readProcessDetails stops a parent walk after 4096 steps', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  for (let pid = 100; pid < 100 + 4200; pid++) writeProc(dir, pid, { stat: statLine(pid, 'p', pid + 1, pid) });
  assert.equal(readProcessDetails(new ProcReader(dir), 100, 100)?.parentChain.length, 4096);
});

test('readProcessDetails is undefined for a missing pid or a start time that differs', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeProc(dir, 10, { stat: statLine(10, 'me', 0, 500) });
  const reader = new ProcReader(dir);
  assert.equal(readProcessDetails(reader, 10, 501), undefined);
  assert.equal(readProcessDetails(reader, 99, 500), undefined);
});

test('readProcessDetails: a file a live process lacks is unavailable, not gone; recorded files parse', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const files = Object.fromEntries(['limits', 'io', 'cgroup', 'status'].map((f) => [f, recorded(f)]));
  writeProc(dir, 10, { ...files, stat: statLine(10, 'me', 0, 500), 'task/10/stat': statLine(10, 'me', 0, 500), 'fd/0': '' });
  const details = readProcessDetails(new ProcReader(dir), 10, 500);
  assert.deepEqual([details?.exe, details?.wchan, details?.oomScore], Array(3).fill({ ok: false, reason: 'unavailable' }));
  assert.deepEqual(details?.threads, { ok: true, value: [{ tid: 10, name: 'me', state: 'S', cpuTicks: 10 }] });
  assert.deepEqual([details?.openFiles, details?.cpusAllowed], [{ ok: true, value: 1 }, { ok: true, value: '0-1' }]);
  assert.equal(details?.limits.ok && details.limits.value.length, 16);
  assert.equal(details?.io.ok && details.io.value.rchar, 6976);
});

test('readProcessDetails reports an unreadable file as permission denied', { skip: IS_ROOT && 'root reads mode-000 files' }, (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeProc(dir, 10, { stat: statLine(10, 'me', 0, 500), io: recorded('io') });
  fs.chmodSync(path.join(dir, '10', 'io'), 0);
  assert.deepEqual(readProcessDetails(new ProcReader(dir), 10, 500)?.io, { ok: false, reason: 'permission denied' });
});

test('ProcReader errno reads name the code: ENOENT, EISDIR, EINVAL for a readlink of a file', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeProc(dir, 10, { stat: statLine(10, 'me', 0, 500) });
  const reader = new ProcReader(dir);
  assert.deepEqual([reader.readTextOrError('10/nope'), reader.readTextOrError('10')], [{ error: 'ENOENT' }, { error: 'EISDIR' }]);
  assert.deepEqual([reader.readLinkOrError('10/stat'), reader.listDirOrError('10/stat')], [{ error: 'EINVAL' }, { error: 'ENOTDIR' }]);
  assert.deepEqual([reader.readTextOrError('10/stat'), reader.listDirOrError('10')], [statLine(10, 'me', 0, 500), ['stat']]);
});
