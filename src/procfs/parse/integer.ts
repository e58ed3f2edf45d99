import { err, ok, Result } from '../../base/result';

/**
 * A file holding one decimal integer and a newline: /proc/PID/oom_score, oom_score_adj.
 * Anything else (empty, words, a second number) is an error value.
 */
export function parseInteger(text: string): Result<number> {
  return /^-?\d+\s*$/.test(text) ? ok(Number(text)) : err(`not an integer: ${JSON.stringify(text.slice(0, 40))}`);
}
