/** The entry of dist/bundle/proctop-serve.js: `proctop serve` alone (daemon-entry.ts). */
import { daemonMain } from './daemon-entry';
import { runServe } from './serve';

export const main = daemonMain('serve', runServe);
