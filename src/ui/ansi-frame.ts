import { sanitize } from '../view/text';
import { Line, ViewModel } from '../view/view-model';
import { Theme } from './theme';

/**
 * A view model as the escape sequences that draw it, for the first paint before blessed has
 * loaded (first-paint.ts). Only sequences that every terminal first-paint.ts accepts knows:
 * cursor position, erase line, SGR. blessed repaints the same view a moment later, so the two must
 * agree on what a theme's tags look like: these codes are the ones blessed writes for them.
 */

const COLORS: Readonly<Record<string, number>> = {
  black: 0, red: 1, green: 2, yellow: 3, blue: 4, magenta: 5, cyan: 6, white: 7,
  // blessed's `gray` is colour 8, which it writes as the bright-black SGR 90.
  gray: 8, grey: 8,
};

const ATTRIBUTES: Readonly<Record<string, number>> = { bold: 1, underline: 4, blink: 5, inverse: 7 };

/** The SGR parameters of one blessed tag (`red-fg`, `bold`), or undefined for a tag this file does not know. */
export function sgrOfTag(tag: string): number | undefined {
  const attribute = ATTRIBUTES[tag];
  if (attribute !== undefined) return attribute;
  const m = /^([a-z]+)-(fg|bg)$/.exec(tag);
  const color = m ? COLORS[m[1] as string] : undefined;
  if (!m || color === undefined) return undefined;
  const base = m[2] === 'fg' ? 30 : 40;
  return color < 8 ? base + color : base + 60 + (color - 8);
}

/** The SGR sequence of a theme entry (`white-fg,red-bg,bold`); a reset alone for plain text. */
export function sgrOf(tags: string): string {
  const codes = tags === '' ? [] : tags.split(',').map(sgrOfTag).filter((c): c is number => c !== undefined);
  return `\x1b[${[0, ...codes].join(';')}m`;
}

function lineCodes(line: Line, theme: Theme): string {
  let out = '';
  // The view sanitized every text already (it is unchanged by a second pass); sanitize is the
  // second fence here, as nothing stands between these bytes and the terminal.
  for (const seg of line) out += sgrOf(theme[seg.style]) + sanitize(seg.text);
  return `${out}\x1b[0m`;
}

/**
 * The whole screen of `vm`: each line erased then written at its row. A view's lines are already
 * fitted to its width, so nothing is erased after a full line (an erase in the last column's
 * pending wrap would take that column's character). The graph's lines are left blank: blessed-contrib
 * draws them when blessed takes over.
 */
export function ansiFrame(vm: ViewModel, theme: Theme): string {
  const lines: (Line | undefined)[] = [...vm.header];
  for (let i = 0; i < (vm.graph?.lines ?? 0); i++) lines.push(undefined);
  lines.push(vm.columnHeader);
  for (let i = 0; i < vm.tableHeight; i++) lines.push(vm.rows[i]);
  lines.push(vm.status, vm.footer);
  let out = '';
  lines.slice(0, vm.height).forEach((line, y) => {
    out += `\x1b[${y + 1};1H\x1b[2K`;
    if (line) out += lineCodes(line, theme);
  });
  return out;
}
