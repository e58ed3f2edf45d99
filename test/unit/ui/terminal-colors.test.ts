import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { colorCount, terminfoColors } from '../../../src/ui/terminal-colors';
import { readTerminfoEntry } from '../../../src/ui/terminfo-file';

/** A compiled entry: header, names, booleans, numbers (16- or 32-bit), nothing after. */
function entry(numbers: readonly number[], width: 2 | 4, names = 'x|test', booleans = 3): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16LE(width === 4 ? 0o1036 : 0o432, 0);
  head.writeUInt16LE(names.length + 1, 2);
  head.writeUInt16LE(booleans, 4);
  head.writeUInt16LE(numbers.length, 6);
  const pad = (names.length + 1 + booleans) % 2;
  const nums = Buffer.alloc(numbers.length * width);
  numbers.forEach((n, i) => (width === 4 ? nums.writeInt32LE(n, i * 4) : nums.writeInt16LE(n, i * 2)));
  return Buffer.concat([head, Buffer.from(`${names}\0`), Buffer.alloc(booleans + pad, 1), nums]);
}

const withColors = (colors: number): number[] => Array.from({ length: 15 }, (_, i) => (i === 13 ? colors : i === 0 ? 80 : -1));

test('terminfoColors reads colors from the legacy (16-bit) and the ncurses 6 extended (32-bit) format', () => {
  assert.equal(terminfoColors(entry(withColors(8), 2)), 8);
  assert.equal(terminfoColors(entry(withColors(256), 4)), 256);
  assert.equal(terminfoColors(entry(withColors(0x1000000), 4)), 0x1000000);
  // An odd names + booleans length is padded to an even offset.
  assert.equal(terminfoColors(entry(withColors(256), 4, 'ab', 2)), 256);
});

test('terminfoColors is undefined for an entry without colors, a short list, a truncated file or another format', () => {
  assert.equal(terminfoColors(entry(withColors(-1), 2)), undefined);
  assert.equal(terminfoColors(entry([80, 24], 2)), undefined);
  assert.equal(terminfoColors(entry(withColors(256), 4).subarray(0, 40)), undefined);
  assert.equal(terminfoColors(Buffer.from('not terminfo at all')), undefined);
});

test('the host\'s tmux-256color and screen-256color entries say 256 (blessed falls back to 8 for them)', (t) => {
  for (const term of ['tmux-256color', 'screen-256color', 'xterm-256color']) {
    const found = readTerminfoEntry(term, { HOME: '/nonexistent' });
    if (found === undefined) {
      t.diagnostic(`${term}: no terminfo entry on this host`);
      continue;
    }
    assert.equal(terminfoColors(found), 256, term);
  }
  if (!fs.existsSync('/lib/terminfo/t/tmux-256color') && !fs.existsSync('/usr/share/terminfo/t/tmux-256color')) t.skip('ncurses-base has no tmux-256color here');
});

test('readTerminfoEntry refuses names that would leave the directory', () => {
  assert.equal(readTerminfoEntry('../../etc/passwd'), undefined);
  assert.equal(readTerminfoEntry('x/../../passwd'), undefined);
  assert.equal(readTerminfoEntry(''), undefined);
});

test('colorCount: terminfo first, then a -256color name, then blessed; COLORTERM raises; a colour terminal gets at least 16', () => {
  assert.equal(colorCount({ terminfo: 256, term: 'tmux-256color', colorterm: undefined, blessed: 8 }), 256);
  assert.equal(colorCount({ terminfo: undefined, term: 'screen-256color', colorterm: undefined, blessed: 8 }), 256);
  assert.equal(colorCount({ terminfo: 8, term: 'xterm', colorterm: 'truecolor', blessed: 8 }), 256);
  assert.equal(colorCount({ terminfo: 8, term: 'screen', colorterm: undefined, blessed: 8 }), 16);
  assert.equal(colorCount({ terminfo: undefined, term: 'no-such-term', colorterm: undefined, blessed: 8 }), 16);
  assert.equal(colorCount({ terminfo: undefined, term: 'dumb', colorterm: undefined, blessed: -1 }), -1);
  assert.equal(colorCount({ terminfo: 2, term: 'mono', colorterm: '', blessed: 2 }), 2);
});
