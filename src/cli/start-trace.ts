/**
 * PROCTOP_TRACE_START=FILE: the start-up phases of the monitor, one line each appended to FILE,
 * `phase wall-ms cpu-ms`: milliseconds since the process started (performance.now()) and CPU
 * (user + system) used by then. For measuring where the first frame's time goes; off (one
 * environment read) otherwise. Never written to the terminal.
 */
import * as fs from 'node:fs';

const FILE = process.env.PROCTOP_TRACE_START;

export function traceStart(phase: string): void {
  if (!FILE) return;
  const cpu = process.cpuUsage();
  fs.appendFileSync(FILE, `${phase} ${performance.now().toFixed(1)} ${((cpu.user + cpu.system) / 1000).toFixed(1)}\n`);
}
