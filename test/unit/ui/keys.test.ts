/**
 * keyName on the key events blessed really emits: byte sequences go through a blessed Program
 * (its own key decoding, `full` names and Return reported twice), not hand-made event objects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import * as blessed from 'blessed';
import { KeyEvent, keyName } from '../../../src/ui/keys';
import { lookupKey } from '../../../src/view/keymap';

/** The key names proctop sees for `bytes`, typed as one write each, in order ('' = ignored). */
async function namesFor(writes: readonly string[]): Promise<string[]> {
  const input = new PassThrough();
  const output = new PassThrough();
  output.resume(); // the program writes terminal modes here; nobody reads them
  // blessed puts a TTY input into raw mode; this stream stands in for one.
  Object.assign(input, { isTTY: true, setRawMode: () => input });
  const program = blessed.program({ input: input as unknown as NodeJS.ReadStream, output: output as unknown as NodeJS.WriteStream, terminal: 'xterm-256color' });
  const names: string[] = [];
  program.on('keypress', (ch: string | undefined, key: KeyEvent) => names.push(keyName(ch, key ?? {})));
  try {
    for (const w of writes) input.write(w);
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    program.destroy();
  }
  return names;
}

test('Return is one enter, though blessed reports it twice', async () => {
  assert.deepEqual((await namesFor(['\r'])).filter((n) => n !== ''), ['enter']);
});

test('htop keys decode to the names the keymap binds', async () => {
  const cases: [string, string][] = [
    ['\x1bj', 'M-j'], ['\x1bk', 'M-k'], ['\x1b[A', 'up'], ['\x1b[B', 'down'], ['\x1b[5~', 'pageup'], ['\x1b[6~', 'pagedown'],
    ['\x1bOP', 'f1'], ['\x1b[21~', 'f10'], [' ', 'space'], ['k', 'k'], ['M', 'M'], ['P', 'P'], ['\\', '\\'], ['/', '/'],
    ['\x03', 'C-c'], ['\x15', 'C-u'], ['\x17', 'C-w'], ['\x7f', 'backspace'],
  ];
  for (const [bytes, name] of cases) assert.deepEqual(await namesFor([bytes]), [name], JSON.stringify(bytes));
});

test('Alt-j / Alt-k move the selection (plain k is kill), as in htop', async () => {
  const [down] = await namesFor(['\x1bj']);
  const [up] = await namesFor(['\x1bk']);
  const [k] = await namesFor(['k']);
  assert.deepEqual(lookupKey('table', down ?? ''), { kind: 'move', delta: 1 });
  assert.deepEqual(lookupKey('table', up ?? ''), { kind: 'move', delta: -1 });
  assert.equal(lookupKey('table', k ?? '')?.kind, 'kill');
});

test('Ctrl-U and Ctrl-W reach the prompt as line and word erase; Ctrl-C quits from the table', async () => {
  const [u, w, c] = await namesFor(['\x15', '\x17', '\x03']);
  assert.deepEqual(lookupKey('prompt', u ?? ''), { kind: 'erase', what: 'line' });
  assert.deepEqual(lookupKey('prompt', w ?? ''), { kind: 'erase', what: 'word' });
  assert.equal(lookupKey('table', c ?? '')?.kind, 'quit');
});
