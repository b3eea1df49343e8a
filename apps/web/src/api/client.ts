// A small typed client over fetch, driven by the generated OpenAPI types
// (schema.d.ts). Only the public HTTP API is used.
import type { components, paths } from './schema';
import { clearSession, getSession } from '../session';

export type Schemas = components['schemas'];

export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem document, with the extensions the contract names. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
  alternatives?: { start: string; end: string }[];
  occurrences?: { index: number; start: string; code: string }[];
  correlationId?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `Request failed (${status})`);
  }
}

let onUnauthorized: () => void = () => undefined;
/** Called when a signed-in request answers 401: the session is over. */
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Send the bearer token (default true). */
  auth?: boolean;
  signal?: AbortSignal;
}

export async function request<T>(method: string, url: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...opts.headers };
  const auth = opts.auth ?? true;
  const session = getSession();
  if (auth && session) headers.authorization = `Bearer ${session.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, {
      method: method.toUpperCase(),
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, { status: 0, title: 'No connection', detail: 'The service could not be reached. Check your connection and try again.' });
  }
  if (res.status === 401 && auth && session) {
    clearSession();
    onUnauthorized();
  }
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const problem: Problem =
      data && typeof data === 'object' ? { status: res.status, ...(data as object) } : { status: res.status, title: res.statusText };
    throw new ApiError(res.status, problem);
  }
  return data as T;
}

// ---- typed calls over `paths` -------------------------------------------

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type PathsWith<M extends Method> = { [P in keyof paths]: [paths[P][M]] extends [never | undefined] ? never : P }[keyof paths];

type ParamsOf<O> = O extends { parameters: infer Pm } ? Pm : never;
type PathParams<O> = ParamsOf<O> extends { path: infer X } ? (X extends undefined ? never : X) : never;
type QueryParams<O> = ParamsOf<O> extends { query?: infer X } ? X : never;
type BodyOf<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? B
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B
    : never;
type Ok<O> = O extends { responses: { 200: { content: { 'application/json': infer T } } } }
  ? T
  : O extends { responses: { 201: { content: { 'application/json': infer T } } } }
    ? T
    : void;

type CallOptions<O> = ([PathParams<O>] extends [never] ? { path?: undefined } : { path: PathParams<O> }) & {
  query?: [QueryParams<O>] extends [never] ? undefined : QueryParams<O>;
  body?: BodyOf<O>;
  headers?: Record<string, string>;
  auth?: boolean;
  signal?: AbortSignal;
};

function buildUrl(template: string, path?: Record<string, unknown>, query?: Record<string, unknown>): string {
  let url = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(path?.[name] ?? '')));
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  if (s) url += `?${s}`;
  return url;
}

function call<M extends Method>(method: M) {
  return <P extends PathsWith<M>>(path: P, ...[opts]: CallOptionsArg<Op<P, M>>): Promise<Ok<Op<P, M>>> => {
    const o = (opts ?? {}) as { path?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; headers?: Record<string, string>; auth?: boolean; signal?: AbortSignal };
    return request<Ok<Op<P, M>>>(method, buildUrl(path as string, o.path, o.query), o);
  };
}
type CallOptionsArg<O> = [PathParams<O>] extends [never] ? [opts?: CallOptions<O>] : [opts: CallOptions<O>];

export const api = {
  get: call('get'),
  post: call('post'),
  put: call('put'),
  patch: call('patch'),
  delete: call('delete'),
};

export function problemOf(err: unknown): Problem {
  if (err instanceof ApiError) return err.problem;
  return { status: 0, title: 'Something went wrong', detail: err instanceof Error ? err.message : String(err) };
}
