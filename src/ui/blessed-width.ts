import * as blessed from 'blessed';
import { displayWidth } from '../view/text';

interface BlessedUnicode {
  charWidth: (str: string | number, i?: number) => number;
  codePointAt: (str: string, i: number) => number;
  chars: { wide: RegExp; all: RegExp };
}

let aligned = false;

/**
 * blessed's width table predates emoji, so it counts 🔥 as one column while
 * the view (and the terminal) count two: the rest of the row then lands one
 * column early and stale cells stay behind. Make blessed measure every
 * character from U+1100 on (where wide characters start) with the view's
 * displayWidth, so both agree.
 */
export function alignBlessedWidths(): void {
  if (aligned) return;
  aligned = true;
  const unicode = (blessed as unknown as { unicode: BlessedUnicode }).unicode;
  const original = unicode.charWidth.bind(unicode);
  unicode.charWidth = (str, i) => {
    const point = typeof str === 'number' ? str : unicode.codePointAt(str, i ?? 0);
    return point < 0x1100 ? original(str, i) : displayWidth(String.fromCodePoint(point));
  };
  // blessed puts a placeholder cell after each match of chars.all; its table has no emoji.
  // chars.wide is BMP-only, so its class is safe inside a `u` regex.
  unicode.chars.all = new RegExp(
    `(${unicode.chars.wide.source.slice(1, -1)}|[\\u{20000}-\\u{3FFFD}]|(?=\\p{Emoji_Presentation})\\p{Extended_Pictographic})`,
    'gu',
  );
}
