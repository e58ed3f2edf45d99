/**
 * The V8 flags bin/proctop (the launcher, a POSIX sh script) starts Node with, read from its
 * `exec node … "$js" "$@"` lines: one per command that has its own (`serve) exec node …`), and the
 * last one for everything else. V8 accepts a code cache only under the flags it was made with, so
 * scripts/code-cache.ts builds the cache under the default ones, and the tests load the bundle under them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface LauncherFlags {
  /** The flags of the last exec line: the TUI, --once and every command without a line of its own. */
  readonly default: readonly string[];
  /** Per first argument (`serve`, `record`), the flags of its own exec line. */
  readonly byCommand: ReadonlyMap<string, readonly string[]>;
}

const EXEC = /^(?: {2}(\w[\w-]*)\) )?exec node((?: --[a-z0-9-]+(?:=[^\s"]+)?)*) "\$js" "\$@"(?: ;;)?$/gm;

export function launcherFlags(root: string): LauncherFlags {
  const launcher = path.join(root, 'bin', 'proctop');
  const byCommand = new Map<string, readonly string[]>();
  let fallback: readonly string[] | undefined;
  for (const m of fs.readFileSync(launcher, 'utf8').matchAll(EXEC)) {
    const flags = (m[2] as string).split(' ').filter((f) => f !== '');
    if (m[1] === undefined) fallback = flags;
    else byCommand.set(m[1], flags);
  }
  if (fallback === undefined) throw new Error(`${launcher}: no line \`exec node [--flag …] "$js" "$@"\``);
  return { default: fallback, byCommand };
}

/** The flags everything but the commands with their own line runs under (the code cache's). */
export function launcherNodeFlags(root: string): string[] {
  return [...launcherFlags(root).default];
}
