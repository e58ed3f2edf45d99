/**
 * One snapshot ⇄ the bytes of one frame (before compression). Pure.
 *
 * The host-wide fields go through the value codec; the processes are
 * stored column by column (a column of pids, then of start times, …), which
 * puts similar numbers side by side for the compressor. Strings are
 * interned in a table that lives as long as the segment: a frame holds only
 * their numbers, and the strings new in a frame travel in a separate record
 * (see segment-builder.ts), so a command line is stored once per segment.
 */
import type { ProcessInfo, Snapshot } from '../model/snapshot';
import { ByteReader, ByteWriter, DecodeError, fitsInt } from './bytes';
import { PROCESS_FIELDS, ProcessCodec, SNAPSHOT_FIELDS } from './fields';
import { readValue, writeValue } from './value-codec';

/** The field layout a frame was written with, as the segment header describes it. */
export interface FrameLayout {
  readonly process: readonly { readonly name: string; readonly codec: string }[];
  readonly snapshot: readonly { readonly name: string; readonly codec: string }[];
  /** Clock ticks per second on the recording host (for the derived fields). */
  readonly clockTicks: number;
}

/** The layout this build writes. */
export function currentLayout(clockTicks: number): FrameLayout {
  return {
    process: Object.entries(PROCESS_FIELDS).map(([name, c]) => ({ name, codec: typeof c === 'string' ? c : 'derived' })),
    snapshot: Object.entries(SNAPSHOT_FIELDS).map(([name, codec]) => ({ name, codec })),
    clockTicks,
  };
}

/** Strings interned for one segment; id 0 is `undefined`. */
export class StringTable {
  private readonly ids = new Map<string, number>();
  private readonly strings: (string | undefined)[] = [undefined];

  /** The id of `s`, added when new (then {@link StringTable.size} grows; no object per call: this runs per row per text field). */
  id(s: string): number {
    const known = this.ids.get(s);
    if (known !== undefined) return known;
    const id = this.strings.length;
    this.strings.push(s);
    this.ids.set(s, id);
    return id;
  }

  /** A string read back from a strings record. */
  define(id: number, s: string): void {
    this.strings[id] = s;
    this.ids.set(s, id);
  }

  has(id: number): boolean {
    return id === 0 || this.strings[id] !== undefined;
  }

  get(id: number): string | undefined {
    return this.strings[id];
  }

  get size(): number {
    return this.strings.length - 1;
  }
}

const enum NumTag {
  Undefined = 0,
  /** An integer, as the difference to the previous integer in the same column. */
  IntDelta = 1,
  Float = 2,
  /** Equal to the field's derivation: nothing stored. */
  Derived = 3,
}

export interface EncodedFrame {
  readonly bytes: Buffer;
  /** Strings this frame added to the table, to be written before it. */
  readonly added: readonly (readonly [number, string])[];
}

/** Encodes a snapshot against the segment's string table (which it extends); `fields` only differs in tests of older layouts. */
export function encodeFrame(snapshot: Snapshot, table: StringTable, clockTicks: number, fields: Readonly<Record<string, ProcessCodec>> = PROCESS_FIELDS): EncodedFrame {
  const w = new ByteWriter();
  const added: [number, string][] = [];
  for (const [name, codec] of Object.entries(SNAPSHOT_FIELDS)) {
    const value = snapshot[name as keyof Snapshot];
    if (codec === 'rows') writeRows(w, value as readonly ProcessInfo[], snapshot, table, added, clockTicks, fields);
    else writeValue(w, value);
  }
  return { bytes: w.finish(), added };
}

function writeRows(
  w: ByteWriter, rows: readonly ProcessInfo[], snapshot: Snapshot, table: StringTable, added: [number, string][], clockTicks: number,
  fields: Readonly<Record<string, ProcessCodec>>,
): void {
  w.uint(rows.length);
  // One context per column, its row swapped in: a frame is encoded on every live refresh (the rewind
  // ring), and an object per row per derived field was a large part of its garbage.
  const context: { row: Record<string, unknown>; snapshot: Snapshot; clockTicks: number } = { row: {}, snapshot, clockTicks };
  for (const [name, codec] of Object.entries(fields) as [keyof ProcessInfo, ProcessCodec][]) {
    let previous = 0;
    // Indexed: for-of here left an iterator result per row per column (0.1 MiB a refresh at 2,000).
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as ProcessInfo;
      const value = row[name];
      if (codec === 'text') {
        if (value === undefined) w.uint(0);
        else {
          const before = table.size;
          const id = table.id(value as string);
          if (table.size !== before) added.push([id, value as string]);
          w.uint(id);
        }
      } else if (codec === 'flag') {
        w.byte(value === undefined ? 2 : value ? 1 : 0);
      } else {
        const n = value as number | undefined;
        if (typeof codec !== 'string') context.row = row as unknown as Record<string, unknown>;
        if (typeof codec !== 'string' && Object.is(n, codec.derive(context))) w.byte(NumTag.Derived);
        else previous = writeNum(w, n, previous);
      }
    }
  }
}

function writeNum(w: ByteWriter, n: number | undefined, previous: number): number {
  if (n === undefined) w.byte(NumTag.Undefined);
  else if (fitsInt(n) && fitsInt(n - previous)) {
    w.byte(NumTag.IntDelta);
    w.int(n - previous);
    return n;
  } else {
    w.byte(NumTag.Float);
    w.f64(n);
  }
  return previous;
}

/**
 * Decodes a frame written with `layout`; strings come from `table`. Fields
 * this build knows but the layout lacks (a store from an older schema) are
 * undefined; throws DecodeError on damaged bytes or an unknown string id.
 */
export function decodeFrame(bytes: Uint8Array, layout: FrameLayout, table: StringTable): Snapshot {
  const r = new ByteReader(bytes);
  const out: Record<string, unknown> = {};
  for (const { name, codec } of layout.snapshot) {
    if (codec === 'rows') out[name] = readRows(r, layout, table, out);
    else if (codec === 'value') out[name] = readValue(r);
    else throw new DecodeError(`unknown snapshot codec ${codec}`);
  }
  if (!r.done) throw new DecodeError('trailing bytes after the frame');
  return out as unknown as Snapshot;
}

function readRows(r: ByteReader, layout: FrameLayout, table: StringTable, snapshot: Record<string, unknown>): ProcessInfo[] {
  const n = r.uint();
  // Bounded by the bytes left: each row takes at least one byte per column.
  if (n > 4_194_304) throw new DecodeError('implausible row count');
  // Every row starts as a copy of one object holding all its fields: the copies share one shape
  // and the column loops below only overwrite properties. Adding 40 properties one by one to an
  // empty object per row took most of a decode (and its garbage the rest).
  const template = rowTemplate(layout);
  const rows: Record<string, unknown>[] = Array.from({ length: n }, () => ({ ...template }));
  const derived: { name: string; rowIndexes: number[] }[] = [];
  for (const { name, codec } of layout.process) {
    let previous = 0;
    const pending: number[] = [];
    for (let i = 0; i < n; i++) {
      if (codec === 'text') {
        const id = r.uint();
        if (!table.has(id)) throw new DecodeError(`string ${id} is not in the segment's table`);
        rows[i][name] = table.get(id);
      } else if (codec === 'flag') {
        const b = r.byte();
        if (b > 2) throw new DecodeError(`bad flag ${b}`);
        rows[i][name] = b === 2 ? undefined : b === 1;
      } else if (codec === 'num' || codec === 'derived') {
        const tag = r.byte();
        if (tag === NumTag.Derived && codec === 'derived') pending.push(i);
        else if (tag === NumTag.Undefined) rows[i][name] = undefined;
        else if (tag === NumTag.IntDelta) rows[i][name] = previous = previous + r.int();
        else if (tag === NumTag.Float) rows[i][name] = r.f64();
        else throw new DecodeError(`bad number tag ${tag}`);
      } else throw new DecodeError(`unknown process codec ${codec}`);
    }
    if (pending.length > 0) derived.push({ name, rowIndexes: pending });
  }
  const frame = { system: snapshot.system as Snapshot['system'], time: snapshot.time as number };
  for (const { name, rowIndexes } of derived) {
    const codec = (PROCESS_FIELDS as Record<string, ProcessCodec>)[name];
    if (codec === undefined || typeof codec === 'string') throw new DecodeError(`no derivation for field ${name}`);
    for (const i of rowIndexes) rows[i][name] = codec.derive({ row: rows[i], snapshot: frame, clockTicks: layout.clockTicks });
  }
  return rows as unknown as ProcessInfo[];
}

const templates = new WeakMap<FrameLayout, Readonly<Record<string, unknown>>>();

/**
 * An object with every field of the layout, then the fields this build has and the recording
 * lacked (unknown, as for a process the sampler could not read), all undefined. Defined rather
 * than assigned: a name such as __proto__ from a damaged header stays a plain property.
 */
function rowTemplate(layout: FrameLayout): Readonly<Record<string, unknown>> {
  let template = templates.get(layout);
  if (template === undefined) {
    const t: Record<string, unknown> = {};
    for (const name of [...layout.process.map((f) => f.name), ...Object.keys(PROCESS_FIELDS)]) {
      Object.defineProperty(t, name, { value: undefined, enumerable: true, writable: true, configurable: true });
    }
    template = t;
    templates.set(layout, template);
  }
  return template;
}
