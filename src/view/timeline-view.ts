/**
 * The two header lines shown while the screen is not the present: what moment
 * it shows (`PAUSED at 14:05:10 (−2m13s)`, or `REPLAY at …`) and a timeline of
 * the frames held, with gaps, reboots and where the frame on screen sits. Pure.
 */
import { formatAge, formatTimestamp } from '../model/format';
import type { TimelineInfo } from '../model/snapshot-source';
import { sanitize } from './text';
import { fitLine, Line, Segment } from './view-model';

const DAY = 86_400_000;

/** `14:05:10`, or with the date when the span crosses days (`2026-12-04 14:05:10`). */
function clock(t: number, tzOffset: number, withDate: boolean): string {
  const full = formatTimestamp(t, tzOffset);
  return withDate ? full.slice(0, 19) : full.slice(11, 19);
}

function needsDate(info: TimelineInfo, now: number, tzOffset: number): boolean {
  const day = (t: number): string => formatTimestamp(t, tzOffset).slice(0, 10);
  return info.last - info.first >= DAY || day(info.first) !== day(now) || day(info.last) !== day(now);
}

/** The moment on screen, prominently: the line a user must not miss. */
export function momentLine(info: TimelineInfo, now: number, tzOffset: number, width: number): Line {
  const withDate = needsDate(info, now, tzOffset);
  const ago = `−${formatAge(Math.max(0, now - info.shown) / 1000)}`;
  const where = `frame ${info.index + 1} of ${info.count}${info.kind === 'replay' && info.atLive ? ' (following)' : ''}`;
  const head = info.kind === 'rewind' ? `PAUSED at ${clock(info.shown, tzOffset, withDate)} (${ago})` : `REPLAY at ${clock(info.shown, tzOffset, withDate)} (${ago})`;
  const from = info.kind === 'rewind' ? info.origin : `store ${info.origin}`;
  const keys = info.kind === 'rewind' ? '{ } frame  ( ) minute  @ time  L live' : '{ } frame  ( ) minute  @ time  q quit';
  return fitLine([
    { text: ` ${head} `, style: 'warn' },
    { text: ` ${where}, ${sanitize(from)}  `, style: 'value' },
    { text: keys, style: 'dim' },
  ], width);
}

/**
 * `14:00:12 ━━━━━━··━━━━━┃━━R━━ 14:10:12`: one cell per slice of the span, `━` where frames
 * are, `·` inside a gap, `R` where a new boot begins, `┃` where the frame on screen is.
 */
export function timelineLine(info: TimelineInfo, now: number, tzOffset: number, width: number): Line {
  const withDate = needsDate(info, now, tzOffset);
  const left = `${clock(info.first, tzOffset, withDate)} `;
  const right = ` ${clock(info.last, tzOffset, withDate)}${info.kind === 'rewind' ? ' (now)' : ' (end)'}`;
  const cells = Math.max(0, width - left.length - right.length);
  if (cells < 8) return fitLine([{ text: `${left}…${right}`, style: 'dim' }], width);
  const span = Math.max(1, info.last - info.first);
  const cellOf = (t: number): number => Math.max(0, Math.min(cells - 1, Math.floor(((t - info.first) / span) * cells)));
  const kinds: ('frames' | 'gap' | 'reboot' | 'here')[] = [];
  for (let c = 0; c < cells; c++) {
    const from = info.first + (c * span) / cells;
    const to = info.first + ((c + 1) * span) / cells;
    kinds.push(info.gaps.some(([a, b]) => from > a && to < b) ? 'gap' : 'frames');
  }
  for (const r of info.reboots) kinds[cellOf(r)] = 'reboot';
  kinds[cellOf(info.shown)] = 'here';
  const segs: Segment[] = [{ text: left, style: 'label' }];
  const glyph = { frames: '━', gap: '·', reboot: 'R', here: '┃' } as const;
  const style = { frames: 'value', gap: 'dim', reboot: 'alert', here: 'warn' } as const;
  for (const k of kinds) {
    const last = segs[segs.length - 1] as Segment;
    if (last.style === style[k] && k !== 'here' && k !== 'reboot' && segs.length > 1) segs[segs.length - 1] = { text: last.text + glyph[k], style: last.style };
    else segs.push({ text: glyph[k], style: style[k] });
  }
  segs.push({ text: right, style: 'label' });
  return fitLine(segs, width);
}

/** The header lines for a screen in the past (none while following live). */
export function travelLines(info: TimelineInfo | undefined, now: number, tzOffset: number, width: number): Line[] {
  if (!info || (info.kind === 'rewind' && info.atLive)) return [];
  return [momentLine(info, now, tzOffset, width), timelineLine(info, now, tzOffset, width)];
}
