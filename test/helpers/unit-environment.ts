/**
 * The `Environment=` assignments of a shipped systemd unit, so tests and benches run a program
 * with the environment its unit gives it (KEY=VALUE words; the units use no quoting).
 */
import * as fs from 'node:fs';

export function unitEnvironment(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^Environment=(.*)$/.exec(line.trim());
    for (const word of m?.[1]?.split(/\s+/) ?? []) {
      const eq = word.indexOf('=');
      if (eq > 0) env[word.slice(0, eq)] = word.slice(eq + 1);
    }
  }
  return env;
}
