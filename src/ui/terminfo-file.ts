import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The compiled terminfo entry of `term`, found where ncurses looks ($TERMINFO, ~/.terminfo,
 * $TERMINFO_DIRS, then the system directories), or undefined. The one file read for the
 * terminal's colours (see terminal-colors.ts); a name with a slash or dot-dot is refused.
 */
export function readTerminfoEntry(term: string | undefined, env: NodeJS.ProcessEnv = process.env): Uint8Array | undefined {
  if (term === undefined || term === '' || term.includes('/') || term.includes('..')) return undefined;
  const dirs = [
    env.TERMINFO,
    env.HOME ? path.join(env.HOME, '.terminfo') : undefined,
    ...(env.TERMINFO_DIRS ?? '').split(':').map((d) => (d === '' ? '/usr/share/terminfo' : d)),
    '/etc/terminfo',
    '/lib/terminfo',
    '/usr/share/terminfo',
    '/usr/lib/terminfo',
  ];
  for (const dir of dirs) {
    if (!dir) continue;
    // Directories are named by the first character, or by its hex code (macOS, case-insensitive file systems).
    for (const sub of [term[0] ?? '', (term.codePointAt(0) ?? 0).toString(16)]) {
      try {
        return fs.readFileSync(path.join(dir, sub, term));
      } catch {
        // not in this directory
      }
    }
  }
  return undefined;
}
