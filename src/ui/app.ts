import * as blessed from 'blessed';
import { Command } from '../view/commands';
import { ViewModel } from '../view/view-model';
import { STATES_LABEL } from '../view/meters';
import type { OpenTerminal, ProgramLine, RunningProgram, Terminal, TerminalEvents } from '../loop/ports';
import { keyName, KeyEvent } from './keys';
import { alignBlessedWidths } from './blessed-width';
import { createWidgets, paint, Widgets } from './paint';
import { askForClicksAndWheelOnly, decodeEveryMouseReport } from './mouse-reports';
import { Theme, themeFor } from './theme';
import { colorCount, terminfoColors } from './terminal-colors';
import { readTerminfoEntry } from './terminfo-file';

/** How the blessed terminal is opened. */
export interface BlessedOptions {
  /** Themes by name; `color: false` (--no-color, NO_COLOR) forces `mono`. */
  readonly themes: Readonly<Record<string, Theme>>;
  readonly color: boolean;
  /** Clicks and the wheel (-M turns them off). */
  readonly mouse: boolean;
  /** The terminal's streams; process.stdin/stdout when absent. */
  readonly input?: NodeJS.ReadableStream;
  readonly output?: NodeJS.WritableStream;
}

/** A mouse report as blessed decodes it. */
interface MouseData {
  readonly action: string;
  readonly x: number;
  readonly y: number;
}

/**
 * The command a click or wheel turn means on the frame last painted, or undefined. The state
 * counts line opens the zombie view when clicked on its right half (the Z count is the shortcut);
 * it is found by its label, since the host facts line above it is there in a live view only (and
 * goes when the facts cannot be read).
 */
export function mouseCommand(data: MouseData, w: Widgets, vm: ViewModel | undefined, screenWidth: number): Command | undefined {
  if (data.action === 'wheelup' || data.action === 'wheeldown') return { kind: 'scroll', delta: data.action === 'wheelup' ? -3 : 3 };
  if (data.action !== 'mousedown') return undefined;
  const statesLine = vm?.header.findIndex((line) => line.some((seg) => seg.text === STATES_LABEL)) ?? -1;
  if (statesLine >= 0 && data.y === (w.header.atop as number) + statesLine && data.x >= Math.floor(screenWidth / 2)) return { kind: 'zombies' };
  if (data.y === (w.columns.atop as number)) {
    const span = vm?.columnSpans.find((s) => data.x >= s.start && data.x < s.end);
    return span ? { kind: 'sort-by', column: span.id } : undefined;
  }
  const tableTop = w.table.atop as number;
  if (data.y >= tableTop && data.y < tableTop + (w.table.height as number)) return { kind: 'select-row', row: data.y - tableTop };
  return undefined;
}

function openScreen(options: BlessedOptions): blessed.Widgets.Screen {
  alignBlessedWidths();
  // forceUnicode: box-drawing guides as Unicode, not the ACS fallback blessed picks when LANG is unset.
  // @types/blessed declares `input` as a Writable (blessed reads it): hence the cast.
  const streams = { ...(options.input ? { input: options.input } : {}), ...(options.output ? { output: options.output } : {}) } as Pick<blessed.Widgets.IScreenOptions, 'input' | 'output'>;
  const screen = blessed.screen({ smartCSR: true, fullUnicode: true, forceUnicode: true, autoPadding: false, warnings: false, dockBorders: false, ...streams });
  // Draw box characters as Unicode: with ACS, copying the screen into an
  // incident report (or tmux capture-pane) gives `tq`/`x` instead of `├─`/`│`.
  (screen.tput as unknown as { brokenACS: boolean }).brokenACS = true;
  // blessed's count is wrong for tmux-256color and screen-256color (see terminal-colors.ts).
  const tput = screen.tput as unknown as { colors: number };
  const entry = readTerminfoEntry(process.env.TERM);
  tput.colors = colorCount({ terminfo: entry && terminfoColors(entry), term: process.env.TERM, colorterm: process.env.COLORTERM, blessed: tput.colors });
  return screen;
}

/** Hands the terminal to a program: blessed leaves the alternate screen and comes back when it exits. */
function handOff(screen: blessed.Widgets.Screen, program: ProgramLine): RunningProgram {
  let child: { pid?: number } | undefined;
  const exited = new Promise<void>((resolve) => {
    child = screen.exec(program.file, program.args, {}, () => {
      screen.alloc();
      resolve();
    }) as unknown as { pid?: number };
  });
  return { pid: child?.pid, exited };
}

/** blessed as proctop's terminal: wiring, painting and mouse hit-testing; no decisions. */
export function blessedTerminal(options: BlessedOptions): OpenTerminal {
  return (events: TerminalEvents): Terminal => {
    const screen = openScreen(options);
    const widgets = createWidgets(screen);
    let lastView: ViewModel | undefined;
    let closed = false;
    screen.on('keypress', (ch: string | undefined, key: KeyEvent) => events.key(keyName(ch, key ?? {})));
    screen.on('resize', () => events.resize());
    if (options.mouse) {
      askForClicksAndWheelOnly(screen);
      screen.enableMouse();
      decodeEveryMouseReport(screen);
      screen.on('mouse', (data: MouseData) => {
        const command = mouseCommand(data, widgets, lastView, screen.width as number);
        if (command) events.mouse(command);
      });
    }
    return {
      size: () => ({ width: screen.width as number, height: screen.height as number }),
      paint: (vm, name) => {
        lastView = vm;
        paint(widgets, vm, themeFor(options.themes, options.color, name));
        screen.render();
        // blessed writes what render() drew on setImmediate; a 0 ms timer runs before that (the rest
        // of the first scan, the host facts: the first frame reached the terminal ~100 ms late).
        screen.program.flush();
      },
      handOff: (program) => handOff(screen, program),
      close: () => {
        if (closed) return;
        closed = true;
        screen.destroy();
      },
    };
  };
}
