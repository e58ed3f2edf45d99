/**
 * Looks positions of generated code up in a source map (version 3) without building its table.
 *
 * Node's `module.SourceMap` decodes every mapping into an array of its own when it is made: for the
 * bundle's 2.4 MB of mappings that is ~436,000 arrays, ~47 MB of heap kept for as long as the map
 * is, and 1–2 s of CPU on a busy 2-core VM (measured). Here one pass over the `mappings` text
 * decodes the Base64 VLQ fields as numbers and keeps only the segments of the lines asked for.
 */

/** The fields of a version 3 source map this module reads. */
export interface SourceMapText {
  readonly mappings: string;
  readonly sources: readonly string[];
}

/** Where a generated position came from; zero-based line and column, as in the map. */
export interface Origin {
  readonly source: string;
  readonly line: number;
  readonly column: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) DIGIT[BASE64.charCodeAt(i)] = i;
const COMMA = 44;
const SEMICOLON = 59;

/**
 * The origin of each generated position asked for (zero-based line and column): the segment of that
 * line with the greatest column at or before it; undefined where the line has none, or the map
 * is malformed there.
 */
export function findOrigins(map: SourceMapText, positions: readonly (readonly [line: number, column: number])[]): (Origin | undefined)[] {
  const byLine = new Map<number, number[]>();
  positions.forEach(([line], i) => byLine.set(line, [...(byLine.get(line) ?? []), i]));
  const found: (Origin | undefined)[] = positions.map(() => undefined);
  const best: number[] = positions.map(() => -1);
  const text = map.mappings;
  // Field values: generated column (reset each line), then source, line and column (running over the whole map).
  const field = [0, 0, 0, 0, 0];
  let line = 0;
  let wanted = byLine.get(0);
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === SEMICOLON) {
      line++;
      field[0] = 0;
      wanted = byLine.get(line);
      i++;
      continue;
    }
    if (c === COMMA) {
      i++;
      continue;
    }
    let n = 0;
    while (i < text.length && text.charCodeAt(i) !== COMMA && text.charCodeAt(i) !== SEMICOLON) {
      let value = 0;
      let shift = 0;
      let digit: number;
      do {
        digit = DIGIT[text.charCodeAt(i++) & 127] ?? -1;
        if (digit < 0) return found; // malformed: what was found so far
        value += (digit & 31) * 2 ** shift;
        shift += 5;
      } while (digit & 32);
      const delta = value % 2 === 1 ? -Math.floor(value / 2) : value / 2;
      if (n < 5) field[n] = (field[n] as number) + delta;
      n++;
    }
    if (wanted === undefined || n < 4) continue;
    for (const k of wanted) {
      const column = field[0] as number;
      const at = (positions[k] as readonly [number, number])[1];
      if (column <= at && column > (best[k] as number)) {
        best[k] = column;
        const source = map.sources[field[1] as number];
        found[k] = source === undefined ? undefined : { source, line: field[2] as number, column: field[3] as number };
      }
    }
  }
  return found;
}
