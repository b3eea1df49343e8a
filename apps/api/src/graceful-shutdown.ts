import type { Server } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/**
 * SIGTERM without dropping requests (issue 15): the listening socket closes
 * first (no new connection is accepted), requests already in progress get up
 * to `graceMs` to finish (their responses say `Connection: close`, and idle
 * keep-alive connections are closed so that clients reconnect elsewhere);
 * whatever is still open after that is cut. Resolves once the server is closed.
 */
export class GracefulShutdown {
  private draining = false;
  private inFlight = 0;

  /** Express middleware, first in the chain: counts requests in progress and ends keep-alive while draining. */
  readonly track = (req: Request, res: Response, next: NextFunction): void => {
    this.inFlight += 1;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      this.inFlight -= 1;
    };
    res.on('finish', finish);
    res.on('close', finish);
    if (this.draining) res.setHeader('Connection', 'close');
    next();
  };

  get requestsInFlight(): number {
    return this.inFlight;
  }

  async drain(server: Server, graceMs: number): Promise<{ cut: number }> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const deadline = Date.now() + graceMs;
    while (this.inFlight > 0 && Date.now() < deadline) {
      // a keep-alive connection between requests would hold close() open
      server.closeIdleConnections();
      await new Promise((r) => setTimeout(r, 20));
    }
    const cut = this.inFlight;
    server.closeAllConnections();
    await closed;
    return { cut };
  }
}
