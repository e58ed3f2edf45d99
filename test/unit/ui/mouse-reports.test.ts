import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import * as blessed from 'blessed';
import { askForClicksAndWheelOnly, splitMouseReports } from '../../../src/ui/mouse-reports';

const wheelDown = '\x1b[<65;10;12M';
const press = '\x1b[<0;5;7M';
const release = '\x1b[<0;5;7m';

test('several SGR mouse reports read together are split into one report each', () => {
  assert.deepEqual(splitMouseReports(wheelDown + wheelDown + wheelDown), [wheelDown, wheelDown, wheelDown]);
  assert.deepEqual(splitMouseReports(press + release), [press, release]);
});

test('a single report, or anything that is not only mouse reports, is left whole (undefined)', () => {
  assert.equal(splitMouseReports(press), undefined);
  assert.equal(splitMouseReports(`${press}q${release}`), undefined, 'a key between reports');
  assert.equal(splitMouseReports('\x1b[A\x1b[B'), undefined, 'arrow keys');
  assert.equal(splitMouseReports(`${press}\x1b[<0;5`), undefined, 'a cut-off report');
  assert.equal(splitMouseReports(''), undefined);
});

/** What a blessed Program that believes it runs inside tmux writes when the mouse is turned on and off. */
function mouseBytes(override: boolean): { on: string; off: string } {
  const saved = process.env.TMUX;
  process.env.TMUX = '/tmp/proctop-unit-fake-tmux,1,0';
  try {
    const input = new PassThrough();
    const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80, rows: 24 });
    let bytes = '';
    output.on('data', (d: Buffer) => { bytes += d.toString('latin1'); });
    const program = blessed.program({ input: input as unknown as NodeJS.ReadStream, output: output as unknown as NodeJS.WriteStream, terminal: 'xterm-256color' });
    if (override) askForClicksAndWheelOnly({ program } as unknown as Pick<blessed.Widgets.Screen, 'program'>);
    program.enableMouse();
    const on = bytes;
    program.disableMouse();
    const off = bytes.slice(on.length);
    program.destroy();
    return { on, off };
  } finally {
    if (saved === undefined) delete process.env.TMUX;
    else process.env.TMUX = saved;
  }
}

test('inside tmux the mouse asks for press/release tracking in SGR only: no drag, no all-motion, no DCS passthrough', () => {
  const { on, off } = mouseBytes(true);
  assert.equal(on, '\x1b[?1000h\x1b[?1006h');
  assert.equal(off, '\x1b[?1000l\x1b[?1006l');
});

test('blessed left to itself inside tmux writes all-motion tracking in a DCS passthrough (why the override exists)', () => {
  const { on } = mouseBytes(false);
  assert.match(on, /\x1bPtmux;/);
  assert.match(on, /\?1003h/);
});
