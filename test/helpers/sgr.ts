/**
 * Reads a raw terminal byte stream (pipe-pane) the way a terminal applies SGR: which foreground
 * was in effect when some text was written.
 */

/** The foreground after one SGR sequence's parameters, as the code that set it ('31', '90', '38;5;8'), or 'default'. */
function applySgr(fg: string, params: string): string {
  const codes = params === '' ? [0] : params.split(';').map(Number);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] ?? 0;
    if (c === 0 || c === 39) fg = 'default';
    else if ((c >= 30 && c <= 37) || (c >= 90 && c <= 97)) fg = String(c);
    else if (c === 38 && codes[i + 1] === 5) {
      fg = `38;5;${codes[i + 2] ?? ''}`;
      i += 2;
    } else if (c === 38 && codes[i + 1] === 2) {
      fg = `38;2;${codes.slice(i + 2, i + 5).join(';')}`;
      i += 4;
    } else if (c === 48 && (codes[i + 1] === 5 || codes[i + 1] === 2)) i += codes[i + 1] === 5 ? 2 : 4;
  }
  return fg;
}

/**
 * The foreground (SGR code) in effect where `needle` is first written in `stream`, or undefined
 * when it is not written in one piece. Escapes other than SGR are skipped; printable text is
 * collected with the foreground of each character.
 */
export function foregroundOf(stream: string, needle: string): string | undefined {
  let fg = 'default';
  let text = '';
  const fgs: string[] = [];
  const escape = /\x1b(?:\[([0-9;?>=!]*)([@-~])|\][^\x07\x1b]*(?:\x07|\x1b\\)|P[^\x1b]*\x1b\\|[()][0-9A-Za-z]|[ -/]*[0-~])/y;
  for (let i = 0; i < stream.length; ) {
    if (stream[i] === '\x1b') {
      escape.lastIndex = i;
      const m = escape.exec(stream);
      if (m === null) {
        i++;
        continue;
      }
      if (m[2] === 'm' && !(m[1] ?? '').startsWith('?')) fg = applySgr(fg, m[1] ?? '');
      else if (m[1] !== undefined) text += '\n'; // a cursor move: what follows is written elsewhere
      i += m[0].length;
      continue;
    }
    const ch = stream[i] ?? '';
    text += ch;
    fgs[text.length - 1] = fg;
    i++;
  }
  const at = text.indexOf(needle);
  return at < 0 ? undefined : fgs[at];
}
