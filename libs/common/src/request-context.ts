import { AsyncLocalStorage } from 'node:async_hooks';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
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
};

/** Runs each handler inside a RequestContext (after the auth guard, so the actor is known). */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest();
    const user = req.user as { id: string; role: string } | undefined;
    const store: RequestContextStore = { requestId: requestIdOf(req), actor: user ? { id: user.id, role: user.role } : null, ip: req.ip };
    return new Observable((subscriber) => storage.run(store, () => next.handle().subscribe(subscriber)));
  }
}
