/** The entry of dist/bundle/proctop-serve.js: `proctop serve` alone (daemon-entry.ts). */
import { daemonMain } from './daemon-entry';
import { serveFromCli } from './serve';

export const main = daemonMain(serveFromCli);
