import type * as blessed from 'blessed';

/**
 * One SGR mouse report (`ESC [ < b ; x ; y M|m`), the encoding blessed asks
 * for. Legacy X10 reports carry raw bytes that blessed re-reads from the
 * buffer, so those are left to it whole.
 */
const REPORT = /\x1b\[<\d+;\d+;\d+[mM]/g;

/**
 * The mouse reports in `chunk` when it is nothing but two or more of them
 * back to back, else undefined. A terminal sends one report per wheel notch;
 * while proctop is busy (a scan) several arrive in one read, and blessed
 * decodes only the first report of a read: the other notches were lost.
 */
export function splitMouseReports(chunk: string): string[] | undefined {
  const reports = chunk.match(REPORT);
  return reports && reports.length > 1 && reports.join('') === chunk ? reports : undefined;
}

interface MouseDecoder {
  _bindMouse: (text: string, data: Buffer) => void;
}

/** Makes blessed decode every mouse report of a read, not only the first. */
export function decodeEveryMouseReport(screen: blessed.Widgets.Screen): void {
  // blessed's private decoder (lib/program.js); absent in another version, then nothing changes.
  const program = screen.program as unknown as Partial<MouseDecoder>;
  const decode = program._bindMouse?.bind(program);
  if (!decode) return;
  program._bindMouse = (text, data) => {
    const reports = splitMouseReports(text);
    if (!reports) return decode(text, data);
    for (const report of reports) decode(report, Buffer.from(report));
  };
}

/**
 * The mouse modes proctop asks for: button press and release (1000: clicks and the wheel), reported
 * in SGR encoding (1006), and nothing more. blessed's own choice adds drag and all-motion tracking
 * (1002, 1003) and the UTF-8 encoding (1005), and inside tmux writes the all-motion request as a
 * DCS passthrough (`ESC P tmux; …`) meant for the terminal outside tmux.
 */
export const MOUSE_MODES = { vt200Mouse: true, sgrMouse: true } as const;

interface MouseModes {
  enableMouse: () => void;
  setMouse: (modes: Record<string, boolean>, enable?: boolean) => void;
}

/** Makes blessed ask for {@link MOUSE_MODES} only: when the mouse is enabled, and again after a hand-off. */
export function askForClicksAndWheelOnly(screen: Pick<blessed.Widgets.Screen, 'program'>): void {
  // blessed's Program (lib/program.js): Screen#enableMouse and the return from Screen#spawn both call
  // program.enableMouse(); setMouse remembers the modes, so disableMouse turns off exactly these.
  const program = screen.program as unknown as MouseModes;
  program.enableMouse = () => program.setMouse({ ...MOUSE_MODES }, true);
}
