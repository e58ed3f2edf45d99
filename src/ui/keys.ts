/** The subset of blessed's key event proctop reads. */
export interface KeyEvent {
  readonly name?: string;
  readonly full?: string;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
}

/**
 * One name per key press, matching KEYMAP: a typed printable character as
 * itself (`M`, `/`, `\`), everything else by blessed's full name (`up`,
 * `f9`, `C-c`, `M-j`), Return as `enter`, Space as `space`.
 */
export function keyName(ch: string | undefined, key: KeyEvent): string {
  if (key.full === 'return' || key.name === 'return' || key.name === 'enter') return 'enter';
  if (ch === ' ' || key.name === 'space') return 'space';
  if (!key.ctrl && !key.meta && ch !== undefined && [...ch].length === 1 && ch >= ' ' && ch !== '\x7f') return ch;
  return key.full ?? key.name ?? '';
}
