/**
 * The one gate between text read from /proc and the terminal.
 *
 * Process names and command lines are chosen by whoever started the process,
 * so they are hostile input: an ESC or C1 byte could retitle the window, clear
 * the screen or recolour everything after it, a bidi override could reverse a
 * name, and a line separator could break the table. Everything shown passes
 * through {@link sanitize} (and, for blessed, {@link escapeTags}) first.
 *
 * Widths are terminal columns, computed per code point the way wcwidth()
 * does, so column layout matches what the terminal actually draws.
 */

/** How a string is aligned inside its column by {@link fit} and {@link cell}. */
export type Align = 'left' | 'right';

// Almost every process name is plain ASCII: one regex test skips all the work.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

// C0, DEL and C1 drive the terminal; Cf holds the bidi overrides, isolates
// and marks plus zero-width characters and tag characters that hide text;
// Zl/Zp would break a line. The Hangul fillers draw nothing, so they can fake
// a blank or look-alike name. Under the u flag a surrogate in a class matches
// only when it is unpaired.
const UNSAFE = /[\x00-\x1f\x7f-\x9f\p{Cf}\p{Zl}\p{Zp}\u115f\u1160\u3164\uffa0\ud800-\udfff]/gu;

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
};

function hex(cp: number, digits: number): string {
  return cp.toString(16).padStart(digits, '0');
}

function escapeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp >= 0xd800 && cp <= 0xdfff) return '\ufffd';
  const named = NAMED_ESCAPES[ch];
  if (named !== undefined) return named;
  if (cp <= 0xff) return `\\x${hex(cp, 2)}`;
  if (cp <= 0xffff) return `\\u${hex(cp, 4)}`;
  return `\\u{${hex(cp, 5)}}`;
}

/**
 * Makes text safe to write to a terminal, keeping anything harmful visible.
 *
 * - `\n`, `\t`, `\r` become those two-character escapes.
 * - Other C0 controls, DEL and C1 controls become `\xHH` (ESC is `\x1b`).
 * - Format characters (bidi overrides, isolates and marks, zero-width
 *   characters, BOM, tag characters), line/paragraph separators and the
 *   Hangul fillers become `\uHHHH` (or `\u{HHHHH}` above the BMP).
 * - Lone surrogates become U+FFFD, the same mark invalid UTF-8 gets when
 *   decoded; U+FFFD itself is kept.
 * - Everything else (CJK, emoji, combining marks) passes unchanged.
 *
 * A literal backslash is left as it is, so `\x1b` typed by a process looks
 * like an escaped ESC; the terminal is safe either way.
 */
export function sanitize(s: string): string {
  if (PRINTABLE_ASCII.test(s)) return s;
  return s.replace(UNSAFE, escapeChar);
}

/**
 * Escapes blessed markup so `{red-fg}` in a process name stays text:
 * `{` becomes `{open}` and `}` becomes `{close}`, blessed's own escapes.
 * One pass, so the braces of the inserted `{open}` are never escaped again.
 */
export function escapeTags(s: string): string {
  return s.replace(/[{}]/g, (brace) => (brace === '{' ? '{open}' : '{close}'));
}

// Combining marks draw on the previous cell; format characters draw nothing.
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;

// Pictographs drawn as emoji by default take two cells; those with a text
// default (☺, ♥) take one unless a variation selector asks otherwise.
const WIDE_EMOJI = /^(?=\p{Emoji_Presentation})\p{Extended_Pictographic}$/u;

// East_Asian_Width W and F outside the emoji above (Unicode 17), as sorted
// inclusive [first, last] pairs. Ranges are merged across unassigned code
// points and zero-width marks, which are decided before this table is read.
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], // Hangul Jamo leading consonants
  [0x2329, 0x232a], // angle brackets
  [0x2630, 0x2637], // trigrams
  [0x268a, 0x268f], // monograms, digrams
  [0x2e80, 0x303e], // CJK radicals, Kangxi, ideographic description, CJK punctuation
  [0x3041, 0x3247], // Hiragana, Katakana, Bopomofo, Hangul compatibility, enclosed CJK
  [0x3250, 0xa4c6], // enclosed CJK, CJK Ext A, CJK Unified, Yi
  [0xa960, 0xa97c], // Hangul Jamo Extended-A
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfad9], // CJK compatibility ideographs
  [0xfe10, 0xfe6b], // vertical forms, CJK compatibility forms, small forms
  [0xff01, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6], // fullwidth signs
  [0x16fe0, 0x1b2fb], // Tangut, Khitan, Kana supplements, Nushu
  [0x1d300, 0x1d376], // Tai Xuan Jing, counting rods
  [0x1f200, 0x1f265], // enclosed ideographic supplement
  [0x1f3fb, 0x1f3ff], // emoji skin-tone modifiers
  [0x20000, 0x3fffd], // CJK planes 2 and 3
];

function inWideTable(cp: number): boolean {
  for (const [first, last] of WIDE_RANGES) {
    if (cp < first) return false;
    if (cp <= last) return true;
  }
  return false;
}

function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  // Nothing below the combining diacritics block is zero-width or wide.
  if (cp < 0x300) return 1;
  if (ZERO_WIDTH.test(ch)) return 0;
  return inWideTable(cp) || WIDE_EMOJI.test(ch) ? 2 : 1;
}

/**
 * Terminal columns the text takes: 2 for East Asian Wide/Fullwidth characters
 * and default-emoji pictographs, 0 for combining marks, zero-width joiner and
 * variation selectors, 1 for everything else. Expects sanitized input
 * (controls would count 1 here but move the cursor in a terminal).
 */
export function displayWidth(s: string): number {
  if (PRINTABLE_ASCII.test(s)) return s.length;
  let width = 0;
  for (const ch of s) width += charWidth(ch);
  return width;
}

// Negative and NaN widths mean "no room", fractions round down.
function columns(width: number): number {
  return width > 0 ? Math.floor(width) : 0;
}

/** The longest prefix of whole code points that fits in `budget` columns. */
function takeColumns(s: string, budget: number): { text: string; width: number } {
  let width = 0;
  let end = 0;
  for (const ch of s) {
    const w = charWidth(ch);
    if (width + w > budget) break;
    width += w;
    end += ch.length;
  }
  return { text: s.slice(0, end), width };
}

/**
 * Cuts text to at most `width` columns, never inside a code point. Combining
 * marks stay with the character they follow. When a wide character would
 * straddle the limit it is dropped and a space takes its column, so a cut
 * result is exactly `width` columns. With `ellipsis` (such as `'…'`), a cut
 * result ends with it; an ellipsis wider than `width` is left out. Text that
 * fits is returned unchanged.
 */
export function truncate(s: string, width: number, ellipsis = ''): string {
  const cols = columns(width);
  if (displayWidth(s) <= cols) return s;
  const tail = displayWidth(ellipsis) <= cols ? ellipsis : '';
  const budget = cols - displayWidth(tail);
  const head = takeColumns(s, budget);
  return head.text + ' '.repeat(budget - head.width) + tail;
}

/**
 * Truncates, then pads with spaces on the side away from `align`, so the
 * result takes exactly `width` columns.
 */
export function fit(s: string, width: number, align: Align): string {
  const cols = columns(width);
  const text = truncate(s, cols);
  const pad = ' '.repeat(cols - displayWidth(text));
  return align === 'left' ? text + pad : pad + text;
}

/**
 * A table cell for plain-text output: {@link sanitize} then {@link fit}.
 *
 * Content for a blessed widget with tags enabled also needs
 * `escapeTags(cell(...))`, applied after fitting: the escapes make the string
 * longer, but blessed draws `{open}` as one `{`, so the columns are unchanged.
 */
export function cell(s: string, width: number, align: Align): string {
  return fit(sanitize(s), width, align);
}
