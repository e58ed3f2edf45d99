import type { Pressure, PressureLine } from '../../kernel/cgroup';
import { err, ok, Result } from '../../base/result';

export type { Pressure, PressureLine };

const LINE = /^(some|full) avg10=(\d+(?:\.\d+)?) avg60=(\d+(?:\.\d+)?) avg300=(\d+(?:\.\d+)?) total=(\d+)$/;

export function parsePressure(text: string): Result<Pressure> {
  let some: PressureLine | undefined;
  let full: PressureLine | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = LINE.exec(line);
    if (!m) return err(`pressure: bad line ${JSON.stringify(line.slice(0, 80))}`);
    const record = { avg10: Number(m[2]), avg60: Number(m[3]), avg300: Number(m[4]), total: Number(m[5]) };
    if (m[1] === 'some') some = record;
    else full = record;
  }
  return some === undefined ? err('pressure: no some line') : ok({ some, full });
}
