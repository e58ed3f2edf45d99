/**
 * The first paint before blessed (src/ui/first-paint.ts), with fakes for the terminal's streams
 * and for blessed: what is written when, when blessed is opened, and what closing does in each phase.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstPaintSupported, firstPaintThen } from '../../../src/ui/first-paint';
import { OpenTerminal, Terminal, TerminalEvents } from '../../../src/loop/ports';
import { DEFAULT_THEME } from '../../../src/ui/theme';
import { ViewModel } from '../../../src/view/view-model';

const vm: ViewModel = {
  width: 4, height: 3, header: [[{ text: 'head', style: 'normal' }]], columnHeader: [{ text: ' PID', style: 'column-header' }],
  columnSpans: [], rows: [], tableHeight: 0, status: [{ text: 'stat', style: 'status' }], footer: [{ text: 'F10 ', style: 'fkey' }],
  dialog: undefined, graph: undefined,
};

function harness() {
  const written: string[] = [];
  const raw: boolean[] = [];
  const pending: (() => void)[] = [];
  const calls: string[] = [];
  const events: TerminalEvents = { key: () => undefined, mouse: () => undefined, resize: () => calls.push('resize') };
  let opens = 0;
  const real: Terminal = {
    size: () => ({ width: 100, height: 30 }),
    paint: (_vm, theme) => calls.push(`paint ${theme}`),
    handOff: () => {
      calls.push('handOff');
      return { pid: 1, exited: Promise.resolve() };
    },
    close: () => calls.push('close'),
  };
  const open = (): OpenTerminal => (ev) => {
    assert.equal(ev, events, 'blessed gets the loop’s events');
    opens += 1;
    calls.push('open');
    return real;
  };
  const terminal = firstPaintThen(open, {
    output: { write: (text: string) => written.push(text), columns: 80, rows: 24 },
    input: { setRawMode: (on: boolean) => raw.push(on) },
    theme: () => DEFAULT_THEME,
    soon: (fn) => pending.push(fn),
    opened: () => calls.push('opened'),
  })(events);
  const runPending = (): void => {
    for (const fn of pending.splice(0)) fn();
  };
  return { terminal, written, raw, calls, runPending, opens: () => opens };
}

test('terminals with known sequences only', () => {
  for (const term of ['xterm', 'xterm-256color', 'tmux-256color', 'tmux', 'screen', 'screen-256color']) assert.equal(firstPaintSupported(term), true, term);
  for (const term of [undefined, '', 'dumb', 'linux', 'vt100', 'rxvt-unicode', 'xtermish', 'screen.xterm-256color']) assert.equal(firstPaintSupported(term), false, String(term));
});

test('the first paint: raw mode, the alternate screen and the frame, and blessed only after it', () => {
  const h = harness();
  assert.deepEqual(h.terminal.size(), { width: 80, height: 24 }, 'the size of the output before blessed');
  h.terminal.paint(vm, 'default');
  assert.deepEqual(h.raw, [true]);
  assert.equal(h.written[0], '\x1b[?1049h\x1b[?25l');
  assert.match(h.written[1] ?? '', /^\x1b\[1;1H\x1b\[2K.*head/);
  assert.equal(h.opens(), 0, 'blessed is not loaded before the frame is written');
  h.terminal.paint(vm, 'default');
  assert.equal(h.written.length, 3, 'a second paint before blessed writes the frame again, without entering again');
  h.runPending();
  assert.deepEqual(h.calls, ['open', 'opened', 'resize'], 'blessed opens, then the loop repaints through it');
  h.terminal.paint(vm, 'light');
  assert.deepEqual(h.calls.slice(3), ['paint light']);
  assert.deepEqual(h.terminal.size(), { width: 100, height: 30 }, 'blessed’s size from then on');
  assert.equal(h.written.length, 3, 'nothing more written by the first paint');
  h.terminal.close();
  assert.deepEqual(h.calls.slice(4), ['close']);
  assert.deepEqual(h.raw, [true], 'blessed restores the modes it set');
});

test('closed before blessed: the alternate screen is left, the cursor shown, raw mode off; blessed never opens', () => {
  const h = harness();
  h.terminal.paint(vm, 'default');
  h.terminal.close();
  assert.equal(h.written.at(-1), '\x1b[0m\x1b[?25h\x1b[?1049l');
  assert.deepEqual(h.raw, [true, false]);
  h.runPending();
  h.terminal.paint(vm, 'default');
  h.terminal.close();
  assert.equal(h.opens(), 0);
  assert.equal(h.written.length, 3, 'nothing after the close');
});

test('closed before anything was drawn: nothing written', () => {
  const h = harness();
  h.terminal.close();
  h.terminal.paint(vm, 'default');
  assert.deepEqual(h.written, []);
  assert.deepEqual(h.raw, []);
});

test('a dialog or a hand-off needs blessed at once; the graph waits for the take-over, its lines blank', () => {
  const dialog = harness();
  dialog.terminal.paint({ ...vm, dialog: { title: 't', lines: [], width: 5, height: 3 } }, 'default');
  assert.deepEqual(dialog.calls, ['open', 'opened', 'paint default']);
  assert.deepEqual(dialog.written, []);
  const graph = harness();
  graph.terminal.paint({ ...vm, height: 5, graph: { cpu: [], mem: [], lines: 2 } }, 'default');
  assert.deepEqual(graph.calls, [], 'blessed not opened yet');
  assert.match(graph.written[1] ?? '', /head.*\x1b\[2;1H\x1b\[2K\x1b\[3;1H\x1b\[2K\x1b\[4;1H\x1b\[2K.* PID/);
  graph.runPending();
  assert.deepEqual(graph.calls, ['open', 'opened', 'resize']);
  const h = harness();
  h.terminal.paint(vm, 'default');
  h.terminal.handOff({ file: 'strace', args: [] });
  assert.deepEqual(h.calls, ['open', 'opened', 'handOff']);
  h.runPending();
  assert.deepEqual(h.calls, ['open', 'opened', 'handOff'], 'the pending take-over finds blessed open and does nothing');
});
