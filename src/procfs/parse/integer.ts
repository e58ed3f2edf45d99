import { Parsed, parseError } from './result';

/**
 * A file holding one decimal integer and a newline: /proc/PID/oom_score, oom_score_adj.
 * Anything else (empty, words, a second number) is an error value.
 */
export function parseInteger(text: string): Parsed<number> {
  return /^-?\d+\s*$/.test(text) ? Number(text) : parseError(`not an integer: ${JSON.stringify(text.slice(0, 40))}`);
}
