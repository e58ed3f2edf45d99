/** The environment view (issue 10 item 15): parsing /proc/PID/environ, the kernel's answers in words, the scrollable dialog, the `e` key. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseEnviron } from '../../../src/procfs/parse/environ';
import { readEnviron } from '../../../src/procfs/environ';
import { ProcReader } from '../../../src/procfs/reader';
import { environDialog, environText, EnvironInput } from '../../../src/view/environ-view';
import { lookupKey } from '../../../src/view/keymap';
import { displayWidth } from '../../../src/view/text';
import { lineText } from '../../../src/view/view-model';
import { scenario, tempDir } from '../procfs/fixtures';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');
const input = (read: EnvironInput['read']): EnvironInput => ({ read, pid: 4242, process: undefined });

test('environ: NUL-ended entries in order; no final NUL keeps the last one; empty entries dropped', () => {
  assert.deepEqual(parseEnviron(b('A=1\0B=two words\0')), ['A=1', 'B=two words']);
  assert.deepEqual(parseEnviron(b('A=1\0\0B=2')), ['A=1', 'B=2']);
  assert.deepEqual(parseEnviron(Buffer.alloc(0)), []);
});

test('environ with invalid UTF-8: valid characters kept, each stray byte shown as \\xHH', () => {
  assert.deepEqual(parseEnviron(Buffer.concat([b('BAD=a'), Buffer.from([0xff, 0xfe]), b('é'), Buffer.from([0xc3]), b('\0')])), ['BAD=a\\xff\\xfeé\\xc3']);
});

test('environ with escape sequences: the view shows them as text, never as control bytes', () => {
  const [line] = environText(input({ kind: 'read', entries: parseEnviron(b('EVIL=\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eZ\0')) }) ).slice(2);
  assert.equal(line, 'EVIL=\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202eZ');
});

test('environ with wide characters: every dialog line fits the dialog by display width', () => {
  const entries = [`WIDE=${'日本語'.repeat(40)}`, 'A=1'];
  const d = environDialog(input({ kind: 'read', entries }), 0, 80, 24);
  for (const l of d.lines) assert.ok(displayWidth(lineText(l)) <= d.width - 2, lineText(l));
  assert.ok(d.lines.some((l) => lineText(l).startsWith('WIDE=日本語')));
});

test('the kernel\'s answers in words: permission denied, zombie, kernel thread, gone', () => {
  assert.match(environText(input({ kind: 'denied' })).join('\n'), /^Permission denied: only the process's owner and root may read \/proc\/4242\/environ/);
  assert.match(environText(input({ kind: 'none', why: 'zombie' })).join('\n'), /a zombie has none/);
  assert.match(environText(input({ kind: 'none', why: 'kernel thread' })).join('\n'), /a kernel thread has none/);
  assert.match(environText(input({ kind: 'gone' })).join('\n'), /gone/);
  assert.match(environText(input(undefined)).join('\n'), /not available in a replay/);
});

test('the dialog scrolls: a later scroll shows later entries', () => {
  const entries = Array.from({ length: 100 }, (_, i) => `V${i}=${i}`);
  const top = environDialog(input({ kind: 'read', entries }), 0, 80, 24);
  const lower = environDialog(input({ kind: 'read', entries }), 50, 80, 24);
  assert.ok(top.lines.some((l) => lineText(l).startsWith('V0=0')));
  assert.ok(lower.lines.some((l) => lineText(l).startsWith('V48=48')));
  assert.ok(!lower.lines.some((l) => lineText(l).startsWith('V0=0')));
  assert.ok((top.scroll?.max ?? 0) >= 100 - 21, 'scrolls to the last entry');
});

test('e opens the environment view from the table; e, Esc and q close it', () => {
  assert.deepEqual(lookupKey('table', 'e'), { kind: 'environ' });
  for (const k of ['e', 'escape', 'q']) assert.deepEqual(lookupKey('environ', k), { kind: 'cancel' });
  assert.deepEqual(lookupKey('environ', 'down'), { kind: 'move', delta: 1 });
});

/** A copy of the basic scenario with an environ file of `bytes` for `pid`. */
function rootWith(pid: number, bytes: Buffer, run: (root: string) => void): void {
  const { dir, cleanup } = tempDir();
  try {
    fs.cpSync(scenario('basic'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, String(pid), 'environ'), bytes);
    run(dir);
  } finally {
    cleanup();
  }
}

test('readEnviron: checks the start time and reads the entries', () => {
  rootWith(1300, b('HOME=/root\0TERM=xterm\0'), (root) => {
    const reader = new ProcReader(root);
    const start = reader.readStat(1300)?.startTicks ?? -1;
    assert.deepEqual(readEnviron(reader, 1300, start), { kind: 'read', entries: ['HOME=/root', 'TERM=xterm'] });
    assert.deepEqual(readEnviron(reader, 1300, start + 1), { kind: 'gone' });
    assert.deepEqual(readEnviron(reader, 999_999, 1), { kind: 'gone' });
  });
});

test('readEnviron: an empty file is a zombie\'s or a kernel thread\'s missing environment, said as such', () => {
  for (const [pid, why] of [[1301, 'zombie'], [2, 'kernel thread'], [1300, 'empty']] as const) {
    rootWith(pid, Buffer.alloc(0), (root) => {
      const reader = new ProcReader(root);
      assert.deepEqual(readEnviron(reader, pid, reader.readStat(pid)?.startTicks ?? -1), { kind: 'none', why }, String(pid));
    });
  }
});
