/**
 * Small async utilities shared by the landscape helpers and the tests that use them.
 */
import { randomBytes } from 'node:crypto';

/** Poll interval: short enough that helpers return within a few ms of the kernel state changing. */
const POLL_MS = 15;

/**
 * Polls `probe` every ~15 ms until it returns something other than `undefined` or `false`,
 * and resolves with that value. A probe that throws rejects immediately (a bug, not "not yet").
 *
 * @param probe - returns the awaited value, or `undefined`/`false` for "not yet"
 * @param timeoutMs - give up after this long (default 5000 ms: generous for loaded CI machines)
 * @param what - named in the timeout error so a failing test says what never happened
 */
export function waitFor<T>(
  probe: () => T | undefined | false,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise<T>((resolve, reject) => {
    const tick = (): void => {
      let value: T | undefined | false;
      try {
        value = probe();
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      if (value !== undefined && value !== false) {
        // TS cannot narrow a generic T by excluding literals, hence the cast.
        resolve(value as T);
        return;
      }
      if (Date.now() >= deadline) {
        reject(new Error(`waitFor: timed out after ${timeoutMs} ms waiting for ${what}`));
        return;
      }
      setTimeout(tick, POLL_MS);
    };
    tick();
  });
}

let markerCounter = 0;

/**
 * A string that no other process on the machine has in its argv: the test runner's pid keeps
 * parallel test files apart, the counter keeps calls apart, the random part survives pid reuse.
 *
 * @example uniqueMarker() // 'proctop-test-4242-1-9f86d081'
 */
export function uniqueMarker(prefix = 'proctop-test'): string {
  markerCounter += 1;
  return `${prefix}-${process.pid}-${markerCounter}-${randomBytes(4).toString('hex')}`;
}
