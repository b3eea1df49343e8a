import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestIdOf } from './request-id';

export interface RequestActor {
  id: string;
  role: string;
}

export interface RequestContextStore {
  requestId: string;
  actor: RequestActor | null;
  ip?: string;
}

const storage = new AsyncLocalStorage<RequestContextStore>();

/** Who is acting and under which request id, for audit events written deep in services. */
export const RequestContext = {
  current(): RequestContextStore | undefined {
    return storage.getStore();
  },
  run<T>(store: RequestContextStore, fn: () => T): T {
    return storage.run(store, fn);
  },
  /** Names the signed-in user of the current request (the auth guard, once the token is checked). */
  identify(actor: RequestActor): void {
    const store = storage.getStore();
    if (store) store.actor = actor;
  },
};

/**
 * Express middleware that runs the rest of the request inside a RequestContext
 * (request id and client address; the actor is added by the auth guard). It
 * must come after the body parser: a body arrives in the socket's own async
 * context, which would lose the store.
 *
 * A middleware rather than a Nest interceptor: with no global interceptor, Nest
 * skips its interceptor chain (rxjs and AsyncResource.bind on every request).
 */
export function requestContextMiddleware(
  req: IncomingMessage & { ip?: string },
  _res: ServerResponse,
  next: () => void,
): void {
  storage.run({ requestId: requestIdOf(req), actor: null, ip: req.ip }, next);
}
