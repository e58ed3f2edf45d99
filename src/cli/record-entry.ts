/** The entry of dist/bundle/proctop-record.js: `proctop record` alone (daemon-entry.ts). */
import { daemonMain } from './daemon-entry';
import { runRecord } from './record';

export const main = daemonMain('record', (args) => runRecord(args));
