/** The subset of blessed's key event proctop reads. */
export interface KeyEvent {
  readonly name?: string;
  readonly full?: string;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly sequence?: string;
}

/**
 * One name per key press, matching KEYMAP: a typed printable character as
 * itself (`M`, `/`, `\`), everything else by blessed's full name (`up`,
 * `f9`, `C-c`, `M-j`), Return as `enter` (once), Space as `space`; '' for
 * events to ignore.
 */
export function keyName(ch: string | undefined, key: KeyEvent): string {
  // blessed reports one press of Return ('\r') twice: first as `enter`, then as `return`
  // (lib/program.js re-emits it). Count it once, or Enter in the signal menu would also
  // answer the confirmation and send the signal unasked.
  if (key.name === 'return' && key.sequence === '\r') return '';
  if (key.full === 'return' || key.name === 'return' || key.name === 'enter') return 'enter';
  if (ch === ' ' || key.name === 'space') return 'space';
  if (!key.ctrl && !key.meta && ch !== undefined && [...ch].length === 1 && ch >= ' ' && ch !== '\x7f') return ch;
  return key.full ?? key.name ?? '';
}
