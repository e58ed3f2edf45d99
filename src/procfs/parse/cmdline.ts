import { isUtf8 } from 'node:buffer';

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

const NUL = 0x00;
const SPACE = 0x20;

/**
 * The bytes of {@link commandText} from the raw cmdline (and comm) bytes, made the same way:
 * trailing NULs dropped, the NULs between arguments turned into spaces, `[comm]` when empty.
 * Undefined when those bytes are valid UTF-8, i.e. when the text already says them exactly.
 */
export function commandBytes(cmdline: Uint8Array, comm: Uint8Array): Buffer | undefined {
  let end = cmdline.length;
  while (end > 0 && cmdline[end - 1] === NUL) end--;
  const bytes =
    end === 0
      ? Buffer.concat([Buffer.from('['), comm, Buffer.from(']')])
      : Buffer.from(cmdline.subarray(0, end)).map((b) => (b === NUL ? SPACE : b));
  return isUtf8(bytes) ? undefined : Buffer.from(bytes);
}

/** comm's bytes from a raw /proc/PID/stat: between the first `(` and the last `)` (a comm may hold either). */
export function commBytesOfStat(stat: Uint8Array): Buffer | undefined {
  const open = stat.indexOf(0x28);
  const close = stat.lastIndexOf(0x29);
  return open < 0 || close <= open ? undefined : Buffer.from(stat.subarray(open + 1, close));
}

/** Bytes as the documented reversible form of `nameBytes`/`commandBytes`: standard base64. */
export function bytesField(bytes: Uint8Array | undefined): string | undefined {
  return bytes === undefined || isUtf8(bytes) ? undefined : Buffer.from(bytes).toString('base64');
}
