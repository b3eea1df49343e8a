/**
 * A TCP proxy between the app and PostgreSQL that reads the wire protocol
 * (https://www.postgresql.org/docs/current/protocol-message-formats.html) on
 * the way through: it counts round trips (each ReadyForQuery the server
 * sends ends one), remembers each request's SQL (Parse and Query messages),
 * and can cut a connection just before a chosen message reaches the server,
 * as a network failure or a server crash would. No driver internals: the
 * app's pg pool talks to it as to any server.
 */
import { createServer, connect, AddressInfo, Server, Socket } from 'node:net';

export interface Exchange {
  /** Which proxied connection (1, 2, …). */
  connection: number;
  /** The SQL of the request: Parse's or Query's text, or that of the named statement it binds. */
  sql: string;
}

/** Reads length-prefixed protocol messages from a stream of chunks. */
class MessageReader {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private startup: boolean) {}

  /** Complete messages so far: type byte ('' for the untyped startup message) and body. */
  push(chunk: Buffer): { type: string; body: Buffer }[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const out: { type: string; body: Buffer }[] = [];
    for (;;) {
      if (this.startup) {
        if (this.buffer.length < 4) break;
        const len = this.buffer.readInt32BE(0);
        if (this.buffer.length < len) break;
        out.push({ type: '', body: this.buffer.subarray(4, len) });
        this.buffer = this.buffer.subarray(len);
        this.startup = false;
        continue;
      }
      if (this.buffer.length < 5) break;
      const len = this.buffer.readInt32BE(1);
      if (this.buffer.length < 1 + len) break;
      out.push({ type: String.fromCharCode(this.buffer[0]), body: this.buffer.subarray(5, 1 + len) });
      this.buffer = this.buffer.subarray(1 + len);
    }
    return out;
  }
}

export class PgProxy {
  /** Every request (up to its Sync or Query) any connection sent, in order. */
  readonly exchanges: Exchange[] = [];
  /** ReadyForQuery messages the server sent: one per request answered. */
  readyForQuery = 0;
  /**
   * Round trips: the times a connection, with nothing outstanding, sent a
   * request. Requests sent before the earlier ones are answered (pg's pipeline
   * mode) share one round trip.
   */
  flights = 0;
  /** Called with each request as it is complete; answering true cuts that connection before the request reaches the server. */
  cutBefore: ((e: Exchange) => boolean) | null = null;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private next = 0;

  private constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => this.accept(client));
  }

  static async start(targetUrl: string): Promise<PgProxy> {
    const u = new URL(targetUrl);
    const proxy = new PgProxy({ host: u.hostname, port: Number(u.port || 5432) });
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** `url` with its host and port replaced by the proxy's. */
  through(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String((this.server.address() as AddressInfo).port);
    return u.toString();
  }

  /** Round trips and requests from now on. */
  mark(): { roundTrips: () => number; answered: () => number; exchanges: () => Exchange[] } {
    const z = this.readyForQuery;
    const f = this.flights;
    const e = this.exchanges.length;
    return {
      roundTrips: () => this.flights - f,
      answered: () => this.readyForQuery - z,
      exchanges: () => this.exchanges.slice(e),
    };
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const id = ++this.next;
    const server = connect(this.target.port, this.target.host);
    this.sockets.add(client).add(server);
    const cut = () => {
      client.destroy();
      server.destroy();
    };
    client.on('error', cut).on('close', cut);
    server.on('error', cut).on('close', cut);
    const fromClient = new MessageReader(true);
    const fromServer = new MessageReader(false);
    let pending: Buffer[] = [];
    let sql = '';
    const statements = new Map<string, string>();
    // the startup message is answered by a ReadyForQuery too
    let outstanding = 1;
    client.on('data', (chunk: Buffer) => {
      // Messages are held until their request is complete (Sync or Query), so that a cut drops the whole request.
      for (const m of fromClient.push(chunk)) {
        const raw = Buffer.alloc(m.type ? 5 + m.body.length : 4 + m.body.length);
        if (m.type) {
          raw.write(m.type, 0, 'latin1');
          raw.writeInt32BE(4 + m.body.length, 1);
          m.body.copy(raw, 5);
        } else {
          raw.writeInt32BE(4 + m.body.length, 0);
          m.body.copy(raw, 4);
        }
        pending.push(raw);
        if (m.type === 'P') {
          const end = m.body.indexOf(0);
          sql = m.body.subarray(end + 1, m.body.indexOf(0, end + 1)).toString('utf8');
          if (end > 0) statements.set(m.body.subarray(0, end).toString('utf8'), sql);
        }
        if (m.type === 'B' && !sql) {
          // a Bind of a named statement parsed earlier on this connection
          const portalEnd = m.body.indexOf(0);
          sql = statements.get(m.body.subarray(portalEnd + 1, m.body.indexOf(0, portalEnd + 1)).toString('utf8')) ?? '';
        }
        if (m.type === 'Q') sql = m.body.subarray(0, m.body.indexOf(0)).toString('utf8');
        if (!'PBDEC'.includes(m.type) || m.type === '') {
          const request = { connection: id, sql };
          if (m.type === 'S' || m.type === 'Q') {
            this.exchanges.push(request);
            if (this.cutBefore?.(request)) return cut();
            if (outstanding++ === 0) this.flights++;
          }
          server.write(Buffer.concat(pending));
          pending = [];
          sql = '';
        }
      }
    });
    server.on('data', (chunk: Buffer) => {
      for (const m of fromServer.push(chunk)) {
        if (m.type === 'Z') {
          this.readyForQuery++;
          outstanding--;
        }
      }
      client.write(chunk);
    });
  }
}
