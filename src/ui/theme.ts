import type { ThemeName } from '../model/settings';
import { Style } from '../view/view-model';

/** blessed tags that open a style; the closing tag is derived. Empty = plain text. */
export type Theme = Readonly<Record<Style, string>>;

/** htop-like colours on a dark terminal. */
export const DEFAULT_THEME: Theme = {
  normal: '', dim: 'gray-fg', label: 'cyan-fg', value: 'bold', alert: 'white-fg,red-bg,bold', warn: 'black-fg,yellow-bg',
  'cpu-user': 'green-fg', 'cpu-system': 'red-fg', 'cpu-other': 'blue-fg',
  'mem-used': 'green-fg', 'mem-buffers': 'blue-fg', 'mem-cache': 'yellow-fg', 'swap-used': 'red-fg',
  'column-header': 'black-fg,green-bg', 'sort-column': 'black-fg,cyan-bg,bold',
  selected: 'black-fg,cyan-bg', tagged: 'yellow-fg,bold', zombie: 'red-fg,bold', blocked: 'yellow-fg',
  kernel: 'gray-fg', thread: 'green-fg', new: 'black-fg,green-bg', dead: 'white-fg,red-bg', ancestor: 'gray-fg',
  fkey: 'white-fg,bold', 'fkey-label': 'black-fg,cyan-bg', status: '', 'status-error': 'red-fg,bold', prompt: 'bold',
  dialog: '', 'dialog-title': 'bold', 'dialog-selected': 'black-fg,cyan-bg',
};

/**
 * No colour (`--no-color`, NO_COLOR): attributes only, so the selection,
 * sort column and alerts still stand out; states also show as letters.
 */
export const MONOCHROME_THEME: Theme = Object.fromEntries(
  (Object.keys(DEFAULT_THEME) as Style[]).map((s) => {
    const attrs: Partial<Record<Style, string>> = {
      value: 'bold', alert: 'bold,underline', warn: 'underline', 'column-header': 'inverse', 'sort-column': 'inverse,bold',
      selected: 'inverse', tagged: 'bold', zombie: 'bold', new: 'underline', dead: 'underline', fkey: 'bold',
      'fkey-label': 'inverse', 'status-error': 'bold', 'dialog-selected': 'inverse', 'dialog-title': 'bold', prompt: 'bold',
    };
    return [s, attrs[s] ?? ''];
  }),
) as Theme;

/** For light-background terminals: no white or yellow text, darker bars. */
export const LIGHT_THEME: Theme = {
  ...DEFAULT_THEME,
  dim: 'blue-fg', label: 'blue-fg', 'cpu-user': 'green-fg', 'cpu-system': 'red-fg', 'cpu-other': 'magenta-fg',
  'mem-cache': 'magenta-fg', tagged: 'magenta-fg,bold', blocked: 'magenta-fg', kernel: 'blue-fg', thread: 'green-fg',
  fkey: 'black-fg,bold', alert: 'white-fg,red-bg,bold', warn: 'black-fg,yellow-bg',
};

/** Themes by name, for --theme and the config file. */
export const THEMES: Readonly<Record<ThemeName, Theme>> = { default: DEFAULT_THEME, light: LIGHT_THEME, mono: MONOCHROME_THEME };

/** The theme a frame is painted in: the named one, or `mono` when colour is off (--no-color, NO_COLOR) or the name is unknown. */
export function themeFor(themes: Readonly<Record<string, Theme>>, color: boolean, name: string): Theme {
  return (color ? themes[name] : undefined) ?? (themes.mono as Theme);
}
