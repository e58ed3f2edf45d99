/**
 * Hostile clients against the exporter's HTTP server (in this process, on
 * 127.0.0.1, over the live /proc), with tight limits so every time bound is a
 * second or two: garbage, huge heads, bodies, wrong methods, traversal
 * targets, slow headers and idle connections. Each gets a 4xx or is cut off,
 * and a scrape is answered afterwards. Every socket is destroyed at the end.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { openSource } from '../../src/sampler/source';
import { Collector } from '../../src/serve/collector';
import { ServerLimits, startServer } from '../../src/serve/server';
import { idleConnections, rawExchange, scrape } from '../helpers/raw-http';
import { waitFor } from '../helpers/wait';

const LIMITS: ServerLimits = {
  maxHeaderBytes: 8 * 1024,
  maxUrlLength: 1024,
  headersTimeoutMs: 1000,
  requestTimeoutMs: 2000,
  keepAliveTimeoutMs: 1000,
  maxConnections: 50,
};

let server: http.Server;
let port = 0;
const held: Socket[] = [];

before(async () => {
  const source = openSource('linux', '/proc', '/etc/passwd', false);
  const collector = new Collector({ source, groups: [], stuckAfterMs: 5000, zombieParents: 10, minIntervalMs: 60_000, scanTimeoutMs: 10_000, version: 'test', revision: '' });
  server = await startServer({ host: '127.0.0.1', port: 0, collector, web: undefined, version: 'test', limits: LIMITS });
  port = (server.address() as AddressInfo).port;
});

after(() => {
  for (const s of held) s.destroy();
  server.closeAllConnections();
  server.close();
});

async function assertStillServing(): Promise<void> {
  const r = await scrape(port);
  assert.equal(r.status, 200);
  assert.match(r.body, /^proctop_processes\{state="S"\} \d+$/m);
}

const head = (lines: readonly string[]): string => `${lines.join('\r\n')}\r\n\r\n`;

test('methods other than GET and HEAD get 405 with Allow, and the server keeps serving', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND']) {
    const r = await rawExchange(port, head([`${method} /metrics HTTP/1.1`, 'Host: x']));
    assert.equal(r.status, 405, `${method}: ${r.text.slice(0, 200)}`);
    assert.match(r.text, /^Allow: GET, HEAD$/mi, method);
  }
  await assertStillServing();
});

test('CONNECT and an Upgrade request get 405, not a dropped connection or a tunnel', async () => {
  const connect = await rawExchange(port, head(['CONNECT 127.0.0.1:22 HTTP/1.1', 'Host: 127.0.0.1:22']));
  assert.equal(connect.status, 405, connect.text.slice(0, 200));
  const upgrade = await rawExchange(port, head(['GET /metrics HTTP/1.1', 'Host: x', 'Connection: Upgrade', 'Upgrade: websocket']));
  assert.ok(upgrade.status === 405 || upgrade.status === 200, `upgrade answered plainly: ${upgrade.text.slice(0, 200)}`);
  assert.doesNotMatch(upgrade.text, /^HTTP\/1\.1 101/);
  await assertStillServing();
});

test('malformed requests get 400 and the server keeps serving', async () => {
  const garbage = [
    'HELLO\r\n\r\n',
    head(['GET /metrics HTTP/9.9', 'Host: x']),
    head(['GET /metrics HTTP/1.1', 'Host: x', 'no colon here']),
    head(['GET /metrics HTTP/1.1', 'Host: x', 'X-Nul: a\0b']),
    head(['GET /metrics HTTP/1.1', 'Host: x', 'Content-Length: 5', 'Transfer-Encoding: chunked']),
    head(['GET /metrics HTTP/1.1', 'Host: x', 'Content-Length: 1', 'Content-Length: 2']),
    Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]), // a TLS ClientHello on the plain port
  ];
  for (const request of garbage) {
    const r = await rawExchange(port, request);
    assert.equal(r.status, 400, `${JSON.stringify(request.toString().slice(0, 60))}: ${r.text.slice(0, 200)}`);
    assert.ok(r.closedByServer, 'the connection is closed after a 400');
  }
  await assertStillServing();
});

test('a head over 8 KiB gets 431, a long request-target 414', async () => {
  const big = await rawExchange(port, head(['GET /metrics HTTP/1.1', 'Host: x', `X-Big: ${'a'.repeat(16 * 1024)}`]));
  assert.equal(big.status, 431, big.text.slice(0, 200));
  const many = await rawExchange(port, head(['GET /metrics HTTP/1.1', 'Host: x', ...Array.from({ length: 1000 }, (_, i) => `X-${i}: y`)]));
  assert.equal(many.status, 431, many.text.slice(0, 200));
  const long = await rawExchange(port, head([`GET /metrics?${'q'.repeat(2000)} HTTP/1.1`, 'Host: x']));
  assert.equal(long.status, 414, long.text.slice(0, 200));
  await assertStillServing();
});

test('a body is refused without being read: 413 for GET, 405 for POST, connection closed at once', async () => {
  // A gigabyte announced and streamed: the answer must not wait for it.
  const streamBody = (method: string) => (socket: Socket): void => {
    socket.write(head([`${method} /metrics HTTP/1.1`, 'Host: x', `Content-Length: ${2 ** 30}`]));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const pump = (): void => {
      while (!socket.destroyed && socket.write(chunk));
      if (!socket.destroyed) socket.once('drain', pump);
    };
    pump();
  };
  for (const [method, status] of [['GET', 413], ['POST', 405]] as const) {
    const r = await rawExchange(port, streamBody(method), 5000);
    assert.equal(r.status, status, `${method}: ${r.text.slice(0, 200)}`);
    assert.ok(r.closedByServer, `${method}: the server closes the connection instead of reading a gigabyte`);
  }
  const chunked = await rawExchange(port, `${head(['GET /metrics HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked'])}5\r\nhello\r\n0\r\n\r\n`);
  assert.equal(chunked.status, 413, chunked.text.slice(0, 200));
  await assertStillServing();
});

test('traversal targets get 404 and never a file', async () => {
  const targets = ['/../../etc/passwd', '/metrics/../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/metrics%00/../etc/passwd', '\\..\\..\\etc\\passwd', '//etc/passwd', '/./metrics/..'];
  for (const target of targets) {
    const r = await rawExchange(port, head([`GET ${target} HTTP/1.1`, 'Host: x', 'Connection: close']));
    assert.ok(r.status === 404 || r.status === 400, `${target}: ${r.text.slice(0, 200)}`);
    assert.doesNotMatch(r.text, /root:/, target);
  }
  await assertStillServing();
});

test('slow headers (a line every 200 ms, never finished) are cut off after the headers timeout with 408', async () => {
  let timer: NodeJS.Timeout | undefined;
  const r = await rawExchange(port, (socket) => {
    socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
    let i = 0;
    timer = setInterval(() => socket.write(`X-Slow-${i++}: y\r\n`), 200);
    socket.once('close', () => clearInterval(timer));
  }, 8000);
  clearInterval(timer);
  assert.ok(r.closedByServer, `still open after ${r.closedAfterMs} ms`);
  assert.ok(r.closedAfterMs < LIMITS.headersTimeoutMs + 1500, `cut off after ${r.closedAfterMs} ms (headers timeout ${LIMITS.headersTimeoutMs} ms)`);
  assert.equal(r.status, 408, r.text);
  await assertStillServing();
});

test('a kept-alive connection left idle after a scrape is closed after the keep-alive timeout', async () => {
  const r = await rawExchange(port, head(['GET /metrics HTTP/1.1', 'Host: x']), 8000);
  assert.equal(r.status, 200);
  assert.ok(r.closedByServer && r.closedAfterMs < LIMITS.keepAliveTimeoutMs + 1500, `closed after ${r.closedAfterMs} ms`);
});

test('200 idle connections (4 × the connection cap) do not stop a scrape, and are closed by the headers timeout', async () => {
  const sockets = await idleConnections(port, 200);
  held.push(...sockets);
  const r = await scrape(port, '/metrics', {}, 5000);
  assert.equal(r.status, 200);
  assert.match(r.body, /^proctop_zombies \d+$/m);
  await waitFor(() => sockets.every((s) => s.destroyed || s.readableEnded), LIMITS.headersTimeoutMs + 3000, 'the idle connections to be closed');
  for (const s of sockets) s.destroy();
  await assertStillServing();
});
