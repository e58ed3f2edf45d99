/**
 * Node's built-in modules that the first frame and `--once` do not need, loaded on first use: a
 * static import evaluates them at start-up (zlib ~4 ms, crypto with its ~15 internal modules,
 * child_process with dgram), and
 * twice that under bin/proctop's V8 flag, since Node's own code cache for its modules holds only
 * for its default flags (zlib 4.3 → 9.0 ms, measured).
 */
import type * as ChildProcess from 'node:child_process';
import type * as Crypto from 'node:crypto';
import type * as Zlib from 'node:zlib';

let zlibModule: typeof Zlib | undefined;
let cryptoModule: typeof Crypto | undefined;
let childProcessModule: typeof ChildProcess | undefined;

export function zlib(): typeof Zlib {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (zlibModule ??= require('node:zlib') as typeof Zlib);
}

export function crypto(): typeof Crypto {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (cryptoModule ??= require('node:crypto') as typeof Crypto);
}

export function childProcess(): typeof ChildProcess {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (childProcessModule ??= require('node:child_process') as typeof ChildProcess);
}
