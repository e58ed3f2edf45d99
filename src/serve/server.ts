/**
 * The HTTP side of `proctop serve`: `/` says what this is, `/metrics` serves
 * the metrics, nothing else exists. Read-only by construction: no handler
 * takes input beyond the Accept and Authorization headers, and only GET and
 * HEAD are answered. Requests are bounded (header size and time, no body,
 * idle sockets closed), and a scrape never waits on a scan longer than the
 * collector's timeout.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { WebConfig } from '../config/web-config';
import { BasicAuth } from './basic-auth';
import type { Collector } from './collector';
import { ConnectionCap } from './connection-cap';
import { CONTENT_TYPES, negotiate, render } from './exposition';

/** Limits of one server; defaults in {@link DEFAULT_LIMITS}. */
export interface ServerLimits {
  /** Largest request head (request line + headers), bytes; larger gets 431. */
  readonly maxHeaderBytes: number;
  /** Longest request-target, characters; longer gets 414. */
  readonly maxUrlLength: number;
  /** Time to receive the headers, ms. */
  readonly headersTimeoutMs: number;
  /** Time to receive a whole request, ms. */
  readonly requestTimeoutMs: number;
  /** A kept-alive connection idle this long is closed, ms. */
  readonly keepAliveTimeoutMs: number;
  /** Open connections beyond this close the oldest idle one (see ConnectionCap). */
  readonly maxConnections: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxHeaderBytes: 8 * 1024,
  maxUrlLength: 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 30_000,
  maxConnections: 256,
};

/** Most header lines a request may carry; no scraper sends more than a handful. */
export const MAX_HEADER_LINES = 100;

/** Bytes of a request's head as sent: request line and every header line with their CRLFs. */
function headBytes(req: http.IncomingMessage): number {
  let n = (req.method ?? '').length + (req.url ?? '').length + 12;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) n += Buffer.byteLength(raw[i] ?? '') + Buffer.byteLength(raw[i + 1] ?? '') + 4;
  return n + 2;
}

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly collector: Collector;
  readonly web: WebConfig | undefined;
  readonly version: string;
  readonly limits?: ServerLimits;
}

function landingPage(version: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>proctop exporter</title></head>
<body>
<h1>proctop exporter</h1>
<p>proctop ${version.replace(/[<&>"]/g, '')} serves process metrics for Prometheus: process and thread states, forks, zombies by parent,
processes stuck in D, orphans, pressure stalls, and named process groups under process-exporter's names.</p>
<p><a href="/metrics">Metrics</a></p>
</body></html>
`;
}

function reply(res: http.ServerResponse, status: number, body: string, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function handler(options: ServeOptions, auth: BasicAuth, limits: ServerLimits, cap: ConnectionCap): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    cap.requestStarted(req.socket);
    res.once('close', () => cap.requestDone(req.socket));
    void (async () => {
      const started = performance.now();
      // Node's parser lets many short header lines past maxHeaderSize: count the head as sent.
      if (req.rawHeaders.length / 2 > MAX_HEADER_LINES || headBytes(req) > limits.maxHeaderBytes) {
        return reply(res, 431, 'request head too large\n', { Connection: 'close' });
      }
      if ((req.url ?? '').length > limits.maxUrlLength) return reply(res, 414, 'request-target too long\n', { Connection: 'close' });
      if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'only GET and HEAD\n', { Allow: 'GET, HEAD', Connection: 'close' });
      // A GET carries no body; one that announces a body is refused rather than read.
      if (req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0) {
        return reply(res, 413, 'no request body accepted\n', { Connection: 'close' });
      }
      if (!(await auth.check(req.headers.authorization))) {
        return reply(res, 401, 'unauthorized\n', { 'WWW-Authenticate': 'Basic realm="proctop", charset="UTF-8"' });
      }
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/') return reply(res, 200, landingPage(options.version), { 'Content-Type': 'text/html; charset=utf-8' });
      if (path !== '/metrics') return reply(res, 404, 'not found; metrics are at /metrics\n');
      const format = negotiate(req.headers.accept);
      const families = await options.collector.collect();
      const body = render(families, format);
      options.collector.noteScrape((performance.now() - started) / 1000);
      reply(res, 200, body, { 'Content-Type': CONTENT_TYPES[format], Vary: 'Accept' });
    })().catch((err: unknown) => {
      if (!res.headersSent) reply(res, 500, `internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      else res.destroy();
    });
  };
}

/** Starts the server; resolves with it once listening (the bound address in `address()`). */
export function startServer(options: ServeOptions): Promise<http.Server> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const auth = new BasicAuth(options.web?.users ?? new Map());
  const common: http.ServerOptions = {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node checks the two timeouts above only this often (30 s by default), which let slow headers
    // hold a connection for up to 40 s; a quarter of the headers timeout keeps the cut-off near it.
    connectionsCheckingInterval: Math.max(50, Math.min(1000, limits.headersTimeoutMs / 4)),
    // No body is ever read: a request that sends one anyway is not buffered.
    insecureHTTPParser: false,
  };
  const tls = options.web?.tls;
  const cap = new ConnectionCap(limits.maxConnections);
  const server: http.Server = tls === undefined
    ? http.createServer(common, handler(options, auth, limits, cap))
    : https.createServer({
      ...common,
      // A TLS handshake that never finishes is slow headers by another name.
      handshakeTimeout: limits.headersTimeoutMs,
      cert: tls.cert, key: tls.key, ca: tls.ca, minVersion: tls.minVersion,
      requestCert: tls.clientAuth !== 'NoClientCert',
      rejectUnauthorized: tls.clientAuth === 'RequireAndVerifyClientCert',
    }, handler(options, auth, limits, cap));
  // The cap counts connections that can carry a request (for TLS: once the handshake is done;
  // a handshake in progress is bounded by handshakeTimeout).
  server.on(tls === undefined ? 'connection' : 'secureConnection', (socket: Socket) => cap.admit(socket));
  // CONNECT never reaches the request handler: without this Node drops the connection silently.
  server.on('connect', (_req: http.IncomingMessage, socket: Socket) => {
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  // Idle sockets (no request in flight) are closed after the keep-alive timeout; a silent one after the headers timeout.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** The URL a started server answers on (for the start-up line). */
export function serverUrl(server: http.Server, tls: boolean): string {
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${tls ? 'https' : 'http'}://${host}:${address.port}/metrics`;
}
