import { METERS } from '../model/settings';
import { Snapshot } from '../model/snapshot';
import { METER_TABLE, MeterContext, MeterRow, SelfCost } from './meters';
import { sanitize } from './text';
import { fitLine, Line, Segment } from './view-model';

/** Every meter, for callers that show them all (the default). */
export const ALL_METERS: ReadonlySet<string> = new Set(METERS);

/** The rows of METER_TABLE in METERS order: the order the header draws them in. */
const METER_ROWS: readonly MeterRow[] = METERS.map((id) => METER_TABLE[id]);

/** The lines of the shown meters of one column, each meter's lines in table order. */
function column(rows: readonly MeterRow[], side: MeterRow['column'], ctx: MeterContext, width: number, meters: ReadonlySet<string>): Segment[][] {
  return rows.filter((r) => r.column === side && meters.has(r.id) && !(r.hidden?.(ctx) ?? false)).flatMap((r) => r.lines(ctx, width));
}

/**
 * The meters above the table, at most `maxLines` lines of exactly `width`
 * columns: the host facts line ('' holds it blank until they arrive), then
 * the left meters (bars) beside the right ones (text); below 60 columns one
 * column, left meters first. `rows` is the meter table (tests pass their own).
 */
export function buildHeader(s: Snapshot, width: number, maxLines: number, hostname: string, self?: SelfCost, facts?: string, meters: ReadonlySet<string> = ALL_METERS, rows: readonly MeterRow[] = METER_ROWS): Line[] {
  const half = Math.floor(width / 2);
  const ctx: MeterContext = { snapshot: s, hostname, self };
  const factsLine: Line[] = facts !== undefined ? [fitLine([{ text: sanitize(facts), style: 'dim' }], width)] : [];
  const left = column(rows, 'left', ctx, Math.max(10, half - 1), meters);
  const right = column(rows, 'right', ctx, width - half - 1, meters);
  const lines: Line[] = [...factsLine];
  if (width < 60) {
    // Too narrow for two columns: CPUs/Mem first, then the text lines.
    for (const l of [...left, ...right]) if (lines.length < maxLines) lines.push(fitLine(l, width));
    return lines;
  }
  for (let i = 0; i < Math.max(left.length, right.length) && lines.length < maxLines; i++) {
    lines.push([...fitLine(left[i] ?? [], half - 1), { text: '  ', style: 'normal' }, ...fitLine(right[i] ?? [], width - half - 1)]);
  }
  return lines;
}
