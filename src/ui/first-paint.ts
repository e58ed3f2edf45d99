import { OpenTerminal, Terminal } from '../loop/ports';
import { ViewModel } from '../view/view-model';
import { ansiFrame } from './ansi-frame';
import { Theme } from './theme';

/**
 * The first frame before blessed: loading blessed and setting up its screen cost ~50-70 ms of
 * the first second on this VM, as much as the first scan. This terminal writes the first frames
 * itself (ansi-frame.ts) and opens blessed right after the first is on screen; from then on
 * blessed does everything. No keys are read until then: they wait in the terminal, in raw mode
 * so they are not echoed over the frame.
 */

/**
 * Terminals whose sequences for the first paint are known without terminfo: the alternate screen
 * (`CSI ? 1049 h`), cursor position, erase line, SGR. Others go straight to blessed.
 */
export function firstPaintSupported(term: string | undefined): boolean {
  return term !== undefined && /^(xterm|tmux|screen)(-|$)/.test(term);
}

// No erase of the display: every row of the frame is erased as it is written (ansi-frame.ts).
const ENTER = '\x1b[?1049h\x1b[?25l';
const LEAVE = '\x1b[0m\x1b[?25h\x1b[?1049l';

/** What the first paint touches; process.stdout/stdin in the program, fakes in tests. */
export interface FirstPaintPorts {
  readonly output: { write(text: string): unknown; readonly columns?: number; readonly rows?: number };
  readonly input: { setRawMode?(on: boolean): unknown };
  /** The theme of a name, as the blessed terminal resolves it (colour off → mono). */
  readonly theme: (name: string) => Theme;
  /** Runs `fn` once the first paint has been written (setImmediate). */
  readonly soon: (fn: () => void) => void;
  /** Told when blessed takes over (the start-up trace). */
  readonly opened?: () => void;
}

/**
 * `open` (blessed), preceded by the first paint. The hand-over leaves the alternate screen to
 * blessed: its set-up enters it again (a no-op there in tmux, a clear in xterm) and clears it,
 * then the loop repaints through it (`events.resize`), at whatever size the terminal has by then.
 */
export function firstPaintThen(open: () => OpenTerminal, ports: FirstPaintPorts): OpenTerminal {
  return (events): Terminal => {
    let real: Terminal | undefined;
    let phase: 'blank' | 'drawn' | 'closed' = 'blank';
    const openReal = (): Terminal => {
      if (!real) {
        real = open()(events);
        ports.opened?.();
      }
      return real;
    };
    const takeOver = (): void => {
      if (phase !== 'drawn' || real) return;
      openReal();
      events.resize();
    };
    const drawFirst = (vm: ViewModel, theme: string): void => {
      if (phase === 'blank') {
        ports.input.setRawMode?.(true);
        ports.output.write(ENTER);
        phase = 'drawn';
        ports.soon(takeOver);
      }
      ports.output.write(ansiFrame(vm, ports.theme(theme)));
    };
    return {
      size: () => real?.size() ?? { width: ports.output.columns ?? 80, height: ports.output.rows ?? 24 },
      paint: (vm, theme) => {
        if (real) real.paint(vm, theme);
        // A dialog needs blessed's widgets: blessed now.
        else if (vm.dialog) openReal().paint(vm, theme);
        else if (phase !== 'closed') drawFirst(vm, theme);
      },
      handOff: (program) => openReal().handOff(program),
      close: () => {
        if (real) {
          real.close();
          return;
        }
        if (phase === 'drawn') {
          ports.output.write(LEAVE);
          ports.input.setRawMode?.(false);
        }
        phase = 'closed';
      },
    };
  };
}
