import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cell, displayWidth, escapeTags, fit, sanitize, truncate } from '../../../src/view/text';

const ESC = '\x1b';

// Code units of any kind, weighted towards the ones an attacker would pick, so
// shrinking finds the hostile character instead of relying on 1-in-65536 luck.
const hostileUnit = fc.oneof(
  fc.constantFrom(ESC, '\x07', '\x00', '\n', '\x7f', '\x9b', '\x85', '\u202e', '\u2066', '\u200f',
    '\u2028', '\u200b', '\ufeff', '\ud83d', '\udd25', '{', '}', '\\', '日', '\u0301', '🔥'),
  fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)),
  fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
);
const anyCodeUnits = fc.string({ unit: hostileUnit, maxLength: 40 });
const anyCodePoints = fc.string({ unit: 'binary', maxLength: 40 });
const printableAscii = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});
const FORBIDDEN = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const LONE_SURROGATE = /[\ud800-\udfff]/u;

// sanitize

test('sanitize returns printable ASCII unchanged', () => {
  assert.equal(sanitize('nginx: worker process (pid {1})'), 'nginx: worker process (pid {1})');
});

test('sanitize shows ESC ] 0 ; title BEL (window retitle) as escapes', () => {
  assert.equal(sanitize(`${ESC}]0;pwned\x07`), '\\x1b]0;pwned\\x07');
});

test('sanitize shows ESC [ 2 J (clear screen) as escapes', () => {
  assert.equal(sanitize(`${ESC}[2J`), '\\x1b[2J');
});

test('sanitize shows ESC [ 31 m (colour) as escapes', () => {
  assert.equal(sanitize(`sshd${ESC}[31m`), 'sshd\\x1b[31m');
});

test('sanitize shows a DCS string ESC P … ESC \\ as escapes', () => {
  assert.equal(sanitize(`${ESC}Pq#0;2;0;0;0${ESC}\\`), '\\x1bPq#0;2;0;0;0\\x1b\\');
});

test('sanitize shows the C1 CSI U+009B as \\x9b', () => {
  assert.equal(sanitize('\u009b2J'), '\\x9b2J');
});

test('sanitize shows C1 NEL U+0085 as \\x85', () => {
  assert.equal(sanitize('a\u0085b'), 'a\\x85b');
});

test('sanitize shows newline as \\n', () => {
  assert.equal(sanitize('a\nb'), 'a\\nb');
});

test('sanitize shows tab as \\t', () => {
  assert.equal(sanitize('a\tb'), 'a\\tb');
});

test('sanitize shows carriage return as \\r', () => {
  assert.equal(sanitize('a\rb'), 'a\\rb');
});

test('sanitize shows DEL as \\x7f', () => {
  assert.equal(sanitize('a\x7fb'), 'a\\x7fb');
});

test('sanitize shows NUL as \\x00', () => {
  assert.equal(sanitize('a\x00b'), 'a\\x00b');
});

test('sanitize shows RIGHT-TO-LEFT OVERRIDE U+202E as \\u202e', () => {
  assert.equal(sanitize('evil\u202etxt.sh'), 'evil\\u202etxt.sh');
});

test('sanitize shows LEFT-TO-RIGHT ISOLATE U+2066 as \\u2066', () => {
  assert.equal(sanitize('\u2066x\u2069'), '\\u2066x\\u2069');
});

test('sanitize shows bidi marks U+200E, U+200F, U+061C as escapes', () => {
  assert.equal(sanitize('\u200e\u200f\u061c'), '\\u200e\\u200f\\u061c');
});

test('sanitize shows line and paragraph separators U+2028, U+2029 as escapes', () => {
  assert.equal(sanitize('a\u2028b\u2029c'), 'a\\u2028b\\u2029c');
});

test('sanitize shows zero-width U+200B, U+200D and BOM U+FEFF as escapes', () => {
  assert.equal(sanitize('ss\u200bhd\u200d\ufeff'), 'ss\\u200bhd\\u200d\\ufeff');
});

test('sanitize shows a tag character U+E0041 as \\u{e0041}', () => {
  assert.equal(sanitize('x\u{e0041}'), 'x\\u{e0041}');
});

test('sanitize shows the blank-looking HANGUL FILLER U+3164 as \\u3164', () => {
  assert.equal(sanitize('\u3164'), '\\u3164');
});

test('sanitize replaces lone high and low surrogates with U+FFFD', () => {
  assert.equal(sanitize('a\ud83db\udd25c'), 'a\ufffdb\ufffdc');
});

test('sanitize keeps U+FFFD from invalid UTF-8', () => {
  assert.equal(sanitize('bad\ufffdname'), 'bad\ufffdname');
});

test('sanitize keeps CJK, emoji and combining marks unchanged', () => {
  assert.equal(sanitize('日本語 🔥 e\u0301 한글'), '日本語 🔥 e\u0301 한글');
});

test('sanitize leaves a literal backslash sequence as typed', () => {
  assert.equal(sanitize('a\\x1b\u00e9'), 'a\\x1b\u00e9');
});

// escapeTags

test('escapeTags turns {red-fg}x{/red-fg} into literal text for blessed', () => {
  assert.equal(escapeTags('{red-fg}x{/red-fg}'), '{open}red-fg{close}x{open}/red-fg{close}');
});

test('escapeTags does not re-escape the braces of {open} it inserts', () => {
  assert.equal(escapeTags('{open}'), '{open}open{close}');
});

test('escapeTags leaves text without braces unchanged', () => {
  assert.equal(escapeTags('systemd-journald'), 'systemd-journald');
});

// displayWidth

test('displayWidth of ASCII is its length', () => {
  assert.equal(displayWidth('kworker/0:1H'), 12);
});

test('displayWidth of the empty string is 0', () => {
  assert.equal(displayWidth(''), 0);
});

test('displayWidth of CJK 日本語 is 6', () => {
  assert.equal(displayWidth('日本語'), 6);
});

test('displayWidth of Hangul, Katakana and fullwidth forms is 2 per character', () => {
  assert.equal(displayWidth('한글カナＡ'), 10);
});

test('displayWidth of emoji 🔥 is 2', () => {
  assert.equal(displayWidth('🔥'), 2);
});

test('displayWidth of combining é (e + U+0301) is 1', () => {
  assert.equal(displayWidth('e\u0301'), 1);
});

test('displayWidth counts zero-width joiner and variation selector 16 as 0', () => {
  assert.equal(displayWidth('\u200d\ufe0f'), 0);
});

test('displayWidth of a text-default pictograph ☺ U+263A is 1', () => {
  assert.equal(displayWidth('\u263a'), 1);
});

test('displayWidth of accented Latin and Cyrillic is 1 per character', () => {
  assert.equal(displayWidth('éжß'), 3);
});

// truncate

test('truncate returns text that fits unchanged', () => {
  assert.equal(truncate('bash', 4), 'bash');
});

test('truncate cuts ASCII to the width', () => {
  assert.equal(truncate('postgres: checkpointer', 8), 'postgres');
});

test('truncate of 日本語 to width 5 gives width ≤5 and no broken char', () => {
  const out = truncate('日本語', 5);
  assert.ok(displayWidth(out) <= 5);
  assert.equal(out, '日本 ');
});

test('truncate never splits the surrogate pair of 🔥', () => {
  assert.equal(truncate('🔥🔥', 3), '🔥 ');
});

test('truncate keeps a combining mark with its base character', () => {
  assert.equal(truncate('e\u0301xyz', 1), 'e\u0301');
});

test('truncate puts the ellipsis in the last column when it cuts', () => {
  assert.equal(truncate('postgres: checkpointer', 10, '…'), 'postgres:…');
});

test('truncate pads before the ellipsis when a wide char straddles the limit', () => {
  assert.equal(truncate('日本語', 4, '…'), '日 …');
});

test('truncate leaves out an ellipsis wider than the width', () => {
  assert.equal(truncate('abc', 1, '>>'), 'a');
});

test('truncate to width 0 or a negative width gives the empty string', () => {
  assert.equal(truncate('abc', 0), '');
  assert.equal(truncate('abc', -3), '');
});

// fit and cell

test('fit pads left-aligned text to the exact width', () => {
  assert.equal(fit('ab', 5, 'left'), 'ab   ');
});

test('fit pads right-aligned text to the exact width', () => {
  assert.equal(fit('42', 5, 'right'), '   42');
});

test('fit pads CJK to the exact width by columns, not code units', () => {
  assert.equal(fit('日本', 7, 'right'), '   日本');
});

test('fit truncates text longer than the width', () => {
  assert.equal(fit('日本語', 5, 'left'), '日本 ');
});

test('cell sanitizes ESC [ 2 J before fitting', () => {
  assert.equal(cell(`${ESC}[2J`, 6, 'left'), '\\x1b[2');
});

test('cell of newline-laden text stays on one line of exact width', () => {
  assert.equal(cell('a\nb', 6, 'right'), '  a\\nb');
});

// properties

test('property: sanitize output has no control, bidi or separator char (arbitrary code units)', () => {
  fc.assert(fc.property(anyCodeUnits, (s) => !FORBIDDEN.test(sanitize(s))));
});

test('property: sanitize output has no control, bidi or separator char (full Unicode)', () => {
  fc.assert(fc.property(anyCodePoints, (s) => !FORBIDDEN.test(sanitize(s))));
});

test('property: sanitize output has no lone surrogate', () => {
  fc.assert(fc.property(anyCodeUnits, (s) => !LONE_SURROGATE.test(sanitize(s))));
});

test('property: sanitize of printable ASCII is the identity', () => {
  fc.assert(fc.property(printableAscii, (s) => sanitize(s) === s));
});

test('property: fit(s, w) is exactly w columns for w in 0..80', () => {
  const align = fc.constantFrom<'left' | 'right'>('left', 'right');
  const width = fc.integer({ min: 0, max: 80 });
  fc.assert(fc.property(fc.oneof(anyCodeUnits, anyCodePoints), width, align,
    (s, w, a) => displayWidth(fit(s, w, a)) === w));
});

test('property: truncate gives a well-formed prefix of the input within the width', () => {
  const width = fc.integer({ min: 0, max: 80 });
  fc.assert(fc.property(anyCodePoints, width, (s, w) => {
    const out = truncate(s, w);
    return displayWidth(out) <= w && s.startsWith(out.replace(/ +$/, '')) && !LONE_SURROGATE.test(out);
  }));
});

test('property: blessed-style decoding of escapeTags output gives back the input', () => {
  const decode = (t: string): string => t.replace(/\{(open|close)\}/g, (_m, w: string) => (w === 'open' ? '{' : '}'));
  fc.assert(fc.property(anyCodeUnits, (s) => decode(escapeTags(s)) === s));
});
