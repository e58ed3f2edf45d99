import type { SnapshotSource, TravelTo } from '../model/snapshot-source';
import { ScreenFrame } from './screen-frame';

/** The status line while in the past. */
const TIME_HINT = '{ } one frame  ( ) one minute  @ go to a time  L back to live';

/** Where a time key left the screen: whether the frame moved, and the status line to show. */
export interface Travelled {
  readonly moved: boolean;
  readonly status: { readonly text: string; readonly error: boolean };
}

/**
 * Time travel: moves the frame on screen to another frame the source holds (rewind ring, store).
 * When the source cannot (rewind off, nothing recorded yet) the frame stays and the status says why.
 */
export function travelFrame(source: SnapshotSource, frame: ScreenFrame, to: TravelTo): Travelled {
  const result = source.travel ? source.travel.travel(to) : 'rewind is off';
  if (typeof result === 'string') return { moved: false, status: { text: `Rewind: ${result}`, error: true } };
  frame.show(result.snapshot, result.previous);
  return { moved: true, status: { text: result.note ?? (source.live ? 'Live again' : TIME_HINT), error: false } };
}
