/**
 * /proc/PID/cmdline holds argv as NUL-terminated strings. Processes that
 * rewrite their title (setproctitle) may leave no NULs or trailing padding,
 * so empty trailing parts are dropped rather than trusted.
 */
export function parseCmdline(text: string): string[] {
  if (text.length === 0) return [];
  const parts = text.split('\0');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * The command as ps and htop show it: argv joined with spaces, or `[comm]`
 * when there is no argv (kernel threads, zombies).
 */
export function commandText(argv: readonly string[], comm: string): string {
  return argv.length === 0 ? `[${comm}]` : argv.join(' ');
}
