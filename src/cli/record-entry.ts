/** The entry of dist/bundle/proctop-record.js: `proctop record` alone (daemon-entry.ts). */
import { daemonMain } from './daemon-entry';
import { recordFromCli } from './record';

export const main = daemonMain((args) => recordFromCli(args));
