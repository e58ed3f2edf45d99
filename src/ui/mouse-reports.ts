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
