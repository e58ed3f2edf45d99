import { escapeTags } from '../view/text';
import { Line } from '../view/view-model';
import { Theme } from './theme';

/**
 * A line as blessed content. The text is finished and sanitized by the view;
 * here `{`/`}` are escaped so a process named `{red-fg}` can't restyle the
 * screen, and each style becomes an open/close tag pair.
 */
export function markup(line: Line, theme: Theme): string {
  let out = '';
  for (const seg of line) {
    const text = escapeTags(seg.text);
    const tags = theme[seg.style];
    if (!tags) {
      out += text;
      continue;
    }
    const names = tags.split(',');
    out += names.map((t) => `{${t}}`).join('') + text + [...names].reverse().map((t) => `{/${t}}`).join('');
  }
  return out;
}
