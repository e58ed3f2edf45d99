/**
 * The V8 flags bin/proctop (the launcher, a POSIX sh script) starts Node with, read from its one
 * `exec node … "…/proctop.js"` line. V8 accepts a code cache only under the flags it was made with,
 * so scripts/code-cache.ts builds the cache under these, and the tests load the bundle under them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function launcherNodeFlags(root: string): string[] {
  const launcher = path.join(root, 'bin', 'proctop');
  const m = /^exec node((?: --[a-z0-9-]+(?:=[^\s"]+)?)*) "[^"\n]*\/proctop\.js" "\$@"$/m.exec(fs.readFileSync(launcher, 'utf8'));
  if (!m) throw new Error(`${launcher}: no line \`exec node [--flag …] "…/proctop.js" "$@"\``);
  return (m[1] as string).split(' ').filter((f) => f !== '');
}
