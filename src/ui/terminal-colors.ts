/**
 * How many colours the terminal has, decided by proctop rather than by blessed: blessed 0.1.81
 * cannot read ncurses 6's extended terminfo format (32-bit numbers, magic 01036), so for
 * `tmux-256color` it falls back to its own `xterm` entry (8 colours) and then writes grey, colour 8,
 * as colour 0: SGR 30, black, invisible on a dark background. Pure: the caller reads the files.
 */

/** Magic numbers of a compiled terminfo entry (term(5)): 16-bit numbers, and ncurses 6.1's 32-bit ones. */
const MAGIC_LEGACY = 0o432;
const MAGIC_EXTENDED = 0o1036;
/** Index of `colors` (max_colors) among the numeric capabilities (term.h order). */
const MAX_COLORS = 13;

/**
 * `colors` from a compiled terminfo entry; undefined when the entry has none (or is not an entry).
 * Layout: six 16-bit little-endian header words (magic, names size, booleans, numbers, strings,
 * string table size), the names, one byte per boolean, a pad byte to an even offset, then the numbers.
 */
export function terminfoColors(entry: Uint8Array): number | undefined {
  if (entry.length < 12) return undefined;
  const view = new DataView(entry.buffer, entry.byteOffset, entry.byteLength);
  const magic = view.getUint16(0, true);
  if (magic !== MAGIC_LEGACY && magic !== MAGIC_EXTENDED) return undefined;
  const width = magic === MAGIC_EXTENDED ? 4 : 2;
  const namesSize = view.getUint16(2, true);
  const booleans = view.getUint16(4, true);
  const numbers = view.getUint16(6, true);
  if (numbers <= MAX_COLORS) return undefined;
  let at = 12 + namesSize + booleans;
  if (at % 2 === 1) at++;
  at += MAX_COLORS * width;
  if (at + width > entry.length) return undefined;
  const value = width === 4 ? view.getInt32(at, true) : view.getInt16(at, true);
  // -1 absent, -2 cancelled.
  return value > 0 ? value : undefined;
}

/** What the colour count is decided from. */
export interface ColorFacts {
  /** `colors` of the TERM's terminfo entry, when found and read. */
  readonly terminfo: number | undefined;
  readonly term: string | undefined;
  /** $COLORTERM: `truecolor` or `24bit` promise at least 256 colours. */
  readonly colorterm: string | undefined;
  /** What blessed decided (its own entry, or its xterm fallback). */
  readonly blessed: number;
}

/**
 * Colours to tell blessed. terminfo first; a TERM named `…-256color` with no entry on this host
 * next (the convention every such entry follows); then blessed's own count. COLORTERM can only
 * raise it. A colour terminal gets at least 16, so grey is written as bright black (SGR 90, which
 * 8-colour terminals of the last 30 years draw as grey or bold black), never as black (SGR 30).
 */
export function colorCount(facts: ColorFacts): number {
  let colors = facts.terminfo ?? (/-256colou?r$/.test(facts.term ?? '') ? 256 : facts.blessed);
  if (/^(truecolor|24bit)$/i.test(facts.colorterm ?? '')) colors = Math.max(colors, 256);
  return colors >= 8 && colors < 16 ? 16 : colors;
}
