/**
 * HTTP on a bare TCP socket, for requests a well-behaved client would never
 * send (garbage, huge heads, bodies on GET, traversal targets sent verbatim,
 * slow headers) and for connections held open doing nothing. Loopback only;
 * every socket is destroyed by the caller or by its own time bound.
 */
import * as http from 'node:http';
import * as net from 'node:net';

/** What came back on one raw connection. */
export interface RawReply {
  /** Status code of the first response line; 0 when the server sent nothing. */
  readonly status: number;
  /** Everything the server sent. */
  readonly text: string;
  /** Milliseconds from connecting until the server closed the connection (or the bound hit). */
  readonly closedAfterMs: number;
  /** True when the server closed the connection; false when `boundMs` ran out first. */
  readonly closedByServer: boolean;
}

/**
 * Connects to 127.0.0.1:`port`, writes `chunks` (a function is called with the
 * socket to write at its own pace), and reads until the server closes or
 * `boundMs` passes. Write errors after the server closed are expected
 * (a refused body) and ignored.
 */
export function rawExchange(port: number, chunks: string | Buffer | ((socket: net.Socket) => void), boundMs = 10_000): Promise<RawReply> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    const parts: Buffer[] = [];
    let done = false;
    const finish = (closedByServer: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(parts).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text, closedAfterMs: Date.now() - started, closedByServer });
    };
    const timer = setTimeout(() => finish(false), boundMs);
    socket.on('data', (b: Buffer) => parts.push(b));
    socket.on('error', () => undefined);
    socket.on('close', () => finish(true));
    socket.on('connect', () => {
      if (typeof chunks === 'function') chunks(socket);
      else socket.write(chunks);
    });
  });
}

/** Opens `n` connections that send nothing; resolves once all are connected. */
export async function idleConnections(port: number, n: number): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  await Promise.all(Array.from({ length: n }, () => new Promise<void>((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve());
    s.on('error', (err) => (s.connecting ? reject(err) : undefined));
    // Flowing, so a reply or the server's FIN is read and the socket closes when the server closes it.
    s.resume();
    sockets.push(s);
  })));
  return sockets;
}

/** One scrape on a fresh connection (no agent reuse). */
export function scrape(port: number, path = '/metrics', headers: http.OutgoingHttpHeaders = {}, timeoutMs = 10_000): Promise<{ status: number; type: string; body: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => {
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body, ms: Date.now() - started });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} got no answer within ${timeoutMs} ms`))).on('error', reject);
  });
}
