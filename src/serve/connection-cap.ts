/**
 * The exporter's connection cap. Node's own `maxConnections` refuses the
 * newest connection, so a client holding the cap's worth of idle sockets
 * locks Prometheus out until the timeouts free them. Here the newest is
 * admitted and the oldest idle one (no request in flight: silent, slow
 * headers, or kept alive between scrapes) is closed instead; only when every
 * connection is busy serving a request is the newcomer refused.
 */
import type { Socket } from 'node:net';

export class ConnectionCap {
  /** Open connections, oldest first (a Set keeps insertion order). */
  private readonly open = new Set<Socket>();
  private readonly busy = new Set<Socket>();
  private evictedCount = 0;

  constructor(private readonly cap: number) {}

  /** A connection arrived: admits it, closing the oldest idle one if over the cap (or the newcomer when none is idle). */
  admit(socket: Socket): void {
    this.open.add(socket);
    socket.once('close', () => {
      this.open.delete(socket);
      this.busy.delete(socket);
    });
    if (this.open.size <= this.cap) return;
    let victim: Socket = socket;
    for (const s of this.open) {
      if (s !== socket && !this.busy.has(s)) {
        victim = s;
        break;
      }
    }
    this.evictedCount++;
    this.open.delete(victim);
    victim.destroy();
  }

  /** A request started on the connection: it is not evicted until the response is done. */
  requestStarted(socket: Socket): void {
    if (this.open.has(socket)) this.busy.add(socket);
  }

  requestDone(socket: Socket): void {
    this.busy.delete(socket);
    // Idle again: it moves to the back of the eviction order.
    if (this.open.delete(socket)) this.open.add(socket);
  }

  get size(): number {
    return this.open.size;
  }

  /** Connections closed (or refused) to stay within the cap. */
  get evicted(): number {
    return this.evictedCount;
  }
}
