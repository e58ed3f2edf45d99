/**
 * The first paint's own escape sequences (src/ui/ansi-frame.ts): every tag of every theme has a
 * code (or the first frame would show a style blessed's next frame does not), the codes are the
 * ones blessed writes, lines land on their rows, and no control character from a line passes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ansiFrame, sgrOf, sgrOfTag } from '../../../src/ui/ansi-frame';
import { DEFAULT_THEME, THEMES } from '../../../src/ui/theme';
import { sanitize } from '../../../src/view/text';
import { Line, ViewModel } from '../../../src/view/view-model';

test('every tag of every theme has an SGR code', () => {
  for (const [name, theme] of Object.entries(THEMES)) {
    for (const [style, tags] of Object.entries(theme)) {
      for (const tag of tags === '' ? [] : tags.split(',')) assert.notEqual(sgrOfTag(tag), undefined, `${name}.${style}: ${tag}`);
    }
  }
});

test('tags become the codes blessed writes for them: colours 30-37/40-47, gray as bright black, attributes', () => {
  assert.equal(sgrOf(''), '\x1b[0m');
  assert.equal(sgrOf('white-fg,red-bg,bold'), '\x1b[0;37;41;1m');
  assert.equal(sgrOf('gray-fg'), '\x1b[0;90m');
  assert.equal(sgrOf('black-fg,cyan-bg'), '\x1b[0;30;46m');
  assert.equal(sgrOf('inverse,bold,underline'), '\x1b[0;7;1;4m');
  assert.equal(sgrOfTag('no-such-fg'), undefined);
  assert.equal(sgrOfTag('purple'), undefined);
});

const plain = (text: string): Line => [{ text, style: 'normal' }];

function view(over: Partial<ViewModel> = {}): ViewModel {
  return {
    width: 10, height: 7,
    header: [plain('header 0  '), plain('header 1  ')],
    columnHeader: [{ text: '  PID CMD ', style: 'column-header' }],
    columnSpans: [],
    rows: [[{ text: '    1 init', style: 'selected' }]],
    tableHeight: 2,
    status: plain('status    '),
    footer: [{ text: 'F10', style: 'fkey' }, { text: 'Quit   ', style: 'fkey-label' }],
    dialog: undefined,
    graph: undefined,
    ...over,
  };
}

/** The frame's rows: what is written after each cursor position, keyed by row (1-based). */
function rows(frame: string): Map<number, string> {
  const out = new Map<number, string>();
  const parts = frame.split(/\x1b\[(\d+);1H\x1b\[2K/);
  assert.equal(parts[0], '', 'the frame starts at a cursor position');
  for (let i = 1; i < parts.length; i += 2) out.set(Number(parts[i]), parts[i + 1] ?? '');
  return out;
}

const text = (codes: string): string => codes.replace(/\x1b\[[0-9;]*m/g, '');

test('each line of the view is erased and written on its own row, top to bottom; missing table rows are left erased', () => {
  const r = rows(ansiFrame(view(), DEFAULT_THEME));
  assert.deepEqual([...r.keys()], [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual([...r.values()].map(text), ['header 0  ', 'header 1  ', '  PID CMD ', '    1 init', '', 'status    ', 'F10Quit   ']);
  assert.equal(r.get(4), '\x1b[0;30;46m    1 init\x1b[0m', 'the selected row in its theme colours, then a reset');
  assert.equal(r.get(7), '\x1b[0;37;1mF10\x1b[0;30;46mQuit   \x1b[0m');
});

test("the graph's lines are left blank (blessed-contrib draws them), and nothing is written below the screen", () => {
  const r = rows(ansiFrame(view({ graph: { cpu: [], mem: [], lines: 2 }, height: 8 }), DEFAULT_THEME));
  assert.deepEqual([...r.values()].map(text), ['header 0  ', 'header 1  ', '', '', '  PID CMD ', '    1 init', '', 'status    ']);
});

test('a control character in a line (the view sanitizes them first) is written escaped, never as itself', () => {
  const hostile = '\x1b]0;pwned\x07\x1b[2J\r\n\x9b1m\x7f';
  const frame = ansiFrame(view({ rows: [plain(hostile)] }), DEFAULT_THEME);
  const row = rows(frame).get(4) ?? '';
  assert.equal(text(row), '\\x1b]0;pwned\\x07\\x1b[2J\\r\\n\\x9b1m\\x7f');
  const sanitized = ansiFrame(view({ rows: [plain(sanitize(hostile))] }), DEFAULT_THEME);
  assert.equal(sanitized, frame, 'text the view already sanitized passes unchanged');
  // The frame's only escapes are cursor positions, erases and SGR.
  assert.deepEqual(frame.replace(/\x1b\[\d+;1H|\x1b\[2K|\x1b\[[0-9;]*m/g, '').match(/[\x00-\x1f\x7f-\x9f]/g), null);
});

test('wide characters pass as they are: the view already fitted the line to the width', () => {
  const r = rows(ansiFrame(view({ rows: [plain('    7 日本語')] }), DEFAULT_THEME));
  assert.equal(text(r.get(4) ?? ''), '    7 日本語');
});
