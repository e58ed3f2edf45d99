import { err } from '../base/result';
import { SystemActions } from './ports';

const REFUSED = 'a replay shows a recording: nothing in it is acted on (run proctop without --replay to act on the live system)';

/**
 * The actions of a replay: every one refuses. The loop never asks them (a replay source is not
 * live and reduce refuses first); these make sure that a path missed there still acts on nothing.
 */
export const replayActions: SystemActions = {
  perform: () => ({ text: `Refused: ${REFUSED}`, error: true }),
  cgroup: () => Promise.resolve({ text: `Refused: ${REFUSED}`, error: true }),
  handOffCommand: () => err(`Refused: ${REFUSED}`),
  readDetails: () => undefined,
  readEnviron: () => undefined,
  identify: () => undefined,
  endHandOff: () => undefined,
};
