// The console's HTTP client: openapi-fetch over the generated types
// (schema.d.ts, `npm run openapi`), so every path, parameter, body and answer
// is checked against the API's OpenAPI document. Who is signed in is not this
// module's business: the token and what to do when it is refused are injected.
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
/** An RFC 9457 problem document, as the API documents it. */
export type Problem = Schemas['ProblemDocument'];
export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  /** Prefix of every path (the paths already start with /api/v1). */
  baseUrl?: string;
  /** The bearer token to send, if any; asked at each request. */
  getToken?: () => string | null;
  /** Called when a request that carried a token answers 401: the session is over. */
  onUnauthorized?: () => void;
  /** For tests; defaults to the global fetch. */
  fetch?: (request: Request) => Promise<Response>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title || `Request failed (${status})`);
    this.name = 'ApiError';
  }
}

export function createApiClient(opts: ApiClientOptions = {}): ApiClient {
  const client = createClient<paths>({
    baseUrl: opts.baseUrl ?? '',
    headers: { accept: 'application/json, application/problem+json' },
    // looked up at call time, so a test (or a polyfill) can replace the global one
    fetch: opts.fetch ?? ((request) => globalThis.fetch(request)),
  });
  const { getToken, onUnauthorized } = opts;
  if (getToken) {
    const sentToken = new WeakSet<Request>();
    const auth: Middleware = {
      onRequest({ request }) {
        const token = getToken();
        if (!token) return request;
        request.headers.set('authorization', `Bearer ${token}`);
        sentToken.add(request);
        return request;
      },
      onResponse({ request, response }) {
        if (response.status === 401 && sentToken.has(request)) onUnauthorized?.();
        return response;
      },
    };
    client.use(auth);
  }
  return client;
}

/** The success arm of an openapi-fetch answer. */
type DataOf<R> = R extends { data: infer D } ? D : never;

/**
 * The data of a successful answer. Anything else throws an ApiError holding
 * the problem document: the API's own, one made from the status when the body
 * is not one, or status 0 when the service could not be reached. An aborted
 * request rethrows the AbortError, so callers can tell it apart.
 */
export async function ok<R extends { data?: unknown; error?: unknown; response: Response }>(
  call: Promise<R>,
): Promise<DataOf<R>> {
  let result: R;
  try {
    result = await call;
  } catch (err) {
    // by name: an AbortError is a DOMException, from another realm in some runtimes
    if ((err as { name?: unknown } | null)?.name === 'AbortError') throw err;
    throw new ApiError(0, {
      type: 'about:blank',
      title: 'No connection',
      status: 0,
      detail: 'The service could not be reached. Check your connection and try again.',
      code: 'service_unavailable',
    });
  }
  const { response } = result;
  if (response.ok) return result.data as DataOf<R>;
  throw new ApiError(response.status, asProblem(result.error, response));
}

const CODE_BY_STATUS: Record<number, Problem['code']> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  429: 'rate_limited',
  503: 'service_unavailable',
};

function asProblem(body: unknown, response: Response): Problem {
  if (body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string') {
    return { ...(body as Problem), status: response.status };
  }
  return {
    type: 'about:blank',
    title: response.statusText || `Request failed (${response.status})`,
    status: response.status,
    detail: `The request failed (${response.status}). Please try again.`,
    code: CODE_BY_STATUS[response.status] ?? (response.status >= 500 ? 'internal_error' : 'validation_failed'),
  };
}

/** The problem behind any error a call can throw. */
export function problemOf(err: unknown): Problem {
  if (err instanceof ApiError) return err.problem;
  return {
    type: 'about:blank',
    title: 'Something went wrong',
    status: 0,
    detail: err instanceof Error ? err.message : String(err),
    code: 'internal_error',
  };
}
