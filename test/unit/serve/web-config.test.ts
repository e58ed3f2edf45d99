import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as bcrypt from 'bcryptjs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseWebConfig } from '../../../src/config/web-config';
import { BasicAuth } from '../../../src/serve/basic-auth';

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

test('basic_auth_users with a bcrypt hash generated here: the right password passes, a wrong one and an unknown user do not', async () => {
  const hash = bcrypt.hashSync('s3cret', 4).replace(/^\$2b\$/, '$2y$');
  const web = parseWebConfig(`basic_auth_users:\n  prometheus: ${hash}\n`, '/');
  const auth = new BasicAuth(web.users);
  assert.equal(await auth.check(basic('prometheus', 's3cret')), true);
  assert.equal(await auth.check(basic('prometheus', 's3cret')), true, 'second time from the cache');
  assert.equal(await auth.check(basic('prometheus', 'wrong')), false);
  assert.equal(await auth.check(basic('nobody', 's3cret')), false);
  assert.equal(await auth.check(undefined), false);
  assert.equal(await auth.check('Bearer abc'), false);
});

test('without basic_auth_users every request passes', async () => {
  assert.equal(await new BasicAuth(parseWebConfig('{}', '/').users).check(undefined), true);
});

test('a password in place of a bcrypt hash is refused at start-up', () => {
  assert.throws(() => parseWebConfig('basic_auth_users:\n  a: plaintext\n', '/'), /bcrypt hash/);
});

test('a misspelt key is an error, not an open endpoint', () => {
  assert.throws(() => parseWebConfig('basic_auth_user:\n  a: x\n', '/'), /unknown key "basic_auth_user"/);
  assert.throws(() => parseWebConfig('tls_server_config:\n  cert: a\n', '/'), /unknown key "cert"/);
});

test('tls_server_config reads cert and key relative to the config file', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-web-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'c.pem'), 'CERT');
  fs.writeFileSync(path.join(dir, 'k.pem'), 'KEY');
  const web = parseWebConfig('tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n', dir);
  assert.equal(web.tls?.cert.toString(), 'CERT');
  assert.equal(web.tls?.key.toString(), 'KEY');
  assert.equal(web.tls?.clientAuth, 'NoClientCert');
  assert.equal(web.tls?.minVersion, 'TLSv1.2');
});

test('tls_server_config without key_file, or with a missing file, is an error naming it', () => {
  assert.throws(() => parseWebConfig('tls_server_config:\n  cert_file: c.pem\n', '/'), /cert_file and key_file/);
  assert.throws(() => parseWebConfig('tls_server_config:\n  cert_file: /nonexistent/c\n  key_file: /nonexistent/k\n', '/'), /cert_file: cannot read/);
});

test('not YAML is one line', () => {
  assert.throws(() => parseWebConfig('a: [', '/'), (err: Error) => /^not YAML/.test(err.message) && !err.message.includes('\n'));
});
