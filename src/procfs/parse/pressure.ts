import { Parsed, parseError } from './result';

/** One line of a PSI file: share of wall time some (or all) tasks were stalled. */
export interface PressureLine {
  /** % of the last 10 s. */
  readonly avg10: number;
  /** % of the last 60 s. */
  readonly avg60: number;
  /** % of the last 300 s. */
  readonly avg300: number;
  /** Total stall time, µs since boot (or since the cgroup was made). */
  readonly total: number;
}

/**
 * A PSI file (/proc/pressure/{cpu,memory,io}, a cgroup's *.pressure). `full`
 * is absent on kernels before 5.13 for cpu (and meaningless for the host's cpu line).
 */
export interface Pressure {
  readonly some: PressureLine;
  readonly full: PressureLine | undefined;
}

const LINE = /^(some|full) avg10=(\d+(?:\.\d+)?) avg60=(\d+(?:\.\d+)?) avg300=(\d+(?:\.\d+)?) total=(\d+)$/;

export function parsePressure(text: string): Parsed<Pressure> {
  let some: PressureLine | undefined;
  let full: PressureLine | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = LINE.exec(line);
    if (!m) return parseError(`pressure: bad line ${JSON.stringify(line.slice(0, 80))}`);
    const record = { avg10: Number(m[2]), avg60: Number(m[3]), avg300: Number(m[4]), total: Number(m[5]) };
    if (m[1] === 'some') some = record;
    else full = record;
  }
  return some === undefined ? parseError('pressure: no some line') : { some, full };
}
