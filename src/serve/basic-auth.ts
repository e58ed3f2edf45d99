/**
 * Basic auth against bcrypt hashes. A bcrypt check costs ~100 ms of CPU at
 * cost 10 in pure JavaScript, and Prometheus sends the same credentials every
 * scrape, so a successful check is remembered (by a SHA-256 of user and
 * password, never the password itself), as exporter-toolkit does. Failures
 * are not remembered: a wrong guess always pays the full bcrypt price.
 */
import { createHash } from 'node:crypto';
import * as bcrypt from 'bcryptjs';

/** Remembered successes; bounded so a flood of distinct valid logins cannot grow it. */
const CACHE_SIZE = 64;

export class BasicAuth {
  private readonly ok = new Set<string>();

  constructor(private readonly users: ReadonlyMap<string, string>) {}

  get enabled(): boolean {
    return this.users.size > 0;
  }

  /** Whether an Authorization header holds valid credentials. */
  async check(header: string | undefined): Promise<boolean> {
    if (!this.enabled) return true;
    const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]{1,1024})$/i.exec(header);
    if (match === null) return false;
    const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const hash = this.users.get(user);
    if (hash === undefined) {
      // Same cost for an unknown user as for a wrong password: no user enumeration by timing.
      await bcrypt.compare(password, DUMMY_HASH);
      return false;
    }
    const key = createHash('sha256').update(user).update('\u0000').update(password).update('\u0000').update(hash).digest('hex');
    if (this.ok.has(key)) return true;
    if (!(await bcrypt.compare(password, hash))) return false;
    if (this.ok.size >= CACHE_SIZE) this.ok.delete(this.ok.values().next().value as string);
    this.ok.add(key);
    return true;
  }
}

/** A hash of a random string, for the unknown-user path. */
const DUMMY_HASH = '$2b$10$' + 'abcdefghijklmnopqrstuv' + 'wxyz0123456789ABCDEFGHIJKLMNOPQ';

