import { ApiError, createApiClient, ok, problemOf } from '../src/api/client';

/** A fetch that records what was asked and answers what the test says. */
function fakeFetch(answer: (req: Request) => Response | Promise<Response>) {
  const seen: Request[] = [];
  const fetch = async (req: Request) => {
    seen.push(req.clone());
    return answer(req);
  };
  return { fetch, seen };
}

// Node's Request needs an absolute URL; in the browser the console calls its own origin ('').
const BASE = 'http://api.test';

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

const problem = {
  type: 'https://docs.support-line.invalid/problems/slot-taken',
  title: 'That time is already booked',
  status: 409,
  detail: 'Someone else booked it first.',
  code: 'slot_taken',
  alternatives: [{ start: '2027-03-28T17:00:00.000Z', end: '2027-03-28T17:50:00.000Z' }],
};

describe('the console API client (openapi-fetch over schema.d.ts)', () => {
  it('fills path and query parameters and returns the data', async () => {
    const { fetch, seen } = fakeFetch(() => json(200, { slots: [] }));
    const api = createApiClient({ baseUrl: BASE, fetch });
    const data = await ok(
      api.GET('/api/v1/supporters/{id}/slots', {
        params: {
          path: { id: 'a b/c' },
          query: { from: '2027-03-20T00:00:00Z', to: '2027-03-27T00:00:00Z', durationMinutes: 50 },
        },
      }),
    );
    expect(data).toEqual({ slots: [] });
    expect(seen).toHaveLength(1);
    const url = new URL(seen[0].url);
    expect(url.pathname).toBe('/api/v1/supporters/a%20b%2Fc/slots');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      from: '2027-03-20T00:00:00Z',
      to: '2027-03-27T00:00:00Z',
      durationMinutes: '50',
    });
    expect(seen[0].method).toBe('GET');
  });

  it('sends JSON bodies and extra headers', async () => {
    const { fetch, seen } = fakeFetch(() => json(201, { id: 'b1' }));
    const api = createApiClient({ baseUrl: BASE, fetch });
    await ok(
      api.POST('/api/v1/bookings', {
        headers: { 'Idempotency-Key': 'k-1' },
        body: { intakeId: 'i1', supporterId: 's1', start: '2027-03-28T17:00:00Z' },
      }),
    );
    expect(seen[0].url).toBe(`${BASE}/api/v1/bookings`);
    expect(seen[0].headers.get('content-type')).toMatch(/^application\/json/);
    expect(seen[0].headers.get('idempotency-key')).toBe('k-1');
    expect(await seen[0].json()).toEqual({ intakeId: 'i1', supporterId: 's1', start: '2027-03-28T17:00:00Z' });
  });

  it('asks for the token at each request and sends it as a bearer token', async () => {
    let token: string | null = 't-1';
    const { fetch, seen } = fakeFetch(() => json(200, { supporters: [] }));
    const api = createApiClient({ baseUrl: BASE, fetch, getToken: () => token });
    await ok(api.GET('/api/v1/supporters'));
    token = 't-2';
    await ok(api.GET('/api/v1/supporters'));
    token = null;
    await ok(api.GET('/api/v1/supporters'));
    expect(seen.map((r) => r.headers.get('authorization'))).toEqual(['Bearer t-1', 'Bearer t-2', null]);
  });

  it('a client made without getToken never sends a token', async () => {
    const { fetch, seen } = fakeFetch(() => json(200, { reference: 'PS-7K3Q-9D' }));
    const api = createApiClient({ baseUrl: BASE, fetch });
    await ok(api.GET('/api/v1/manage/{token}', { params: { path: { token: 'abc' } } }));
    expect(seen[0].headers.get('authorization')).toBeNull();
  });

  it('a 401 to a request that carried a token calls onUnauthorized once, and throws the problem', async () => {
    const onUnauthorized = jest.fn();
    const unauthorized = {
      type: 'x',
      title: 'Sign-in required',
      status: 401,
      detail: 'Sign in.',
      code: 'unauthorized',
    };
    const { fetch } = fakeFetch(() => json(401, unauthorized, 'application/problem+json'));
    const api = createApiClient({ baseUrl: BASE, fetch, getToken: () => 't', onUnauthorized });
    const err = await ok(api.GET('/api/v1/policies')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect((err as ApiError).problem.code).toBe('unauthorized');
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('a 401 without a token (a wrong password) is not the end of a session', async () => {
    const onUnauthorized = jest.fn();
    const { fetch } = fakeFetch(() =>
      json(401, { type: 'x', title: 't', status: 401, detail: 'd', code: 'unauthorized' }, 'application/problem+json'),
    );
    const api = createApiClient({ baseUrl: BASE, fetch, getToken: () => null, onUnauthorized });
    await expect(
      ok(api.POST('/api/v1/auth/login', { body: { email: 'a@b.c', password: 'x' } })),
    ).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('throws the API’s problem document with its extensions', async () => {
    const { fetch } = fakeFetch(() => json(409, problem, 'application/problem+json'));
    const api = createApiClient({ baseUrl: BASE, fetch });
    const err = await ok(api.POST('/api/v1/bookings', { body: { intakeId: 'i', supporterId: 's', start: 'x' } })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(problemOf(err)).toEqual(problem);
    expect((err as ApiError).message).toBe('Someone else booked it first.');
  });

  it('an error without a problem body still gives a problem with the status and a code', async () => {
    const { fetch } = fakeFetch(
      () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    const api = createApiClient({ baseUrl: BASE, fetch });
    const err = await ok(api.GET('/api/v1/policies')).catch((e: unknown) => e);
    expect((err as ApiError).status).toBe(502);
    expect((err as ApiError).problem).toMatchObject({ status: 502, title: 'Bad Gateway', code: 'internal_error' });
  });

  it('an empty error answer is an error too', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 404 }));
    const api = createApiClient({ baseUrl: BASE, fetch });
    const err = await ok(api.GET('/api/v1/policies')).catch((e: unknown) => e);
    expect((err as ApiError).problem).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('204 No Content resolves with nothing', async () => {
    const { fetch, seen } = fakeFetch(() => new Response(null, { status: 204 }));
    const api = createApiClient({ baseUrl: BASE, fetch });
    await expect(
      ok(api.DELETE('/api/v1/supporters/{id}/time-off/{timeOffId}', { params: { path: { id: 's', timeOffId: 't' } } })),
    ).resolves.toBeUndefined();
    expect(seen[0].method).toBe('DELETE');
  });

  it('no connection is status 0 with a readable problem', async () => {
    const api = createApiClient({
      baseUrl: BASE,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const err = await ok(api.GET('/api/v1/policies')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(0);
    expect((err as ApiError).problem).toMatchObject({ status: 0, title: 'No connection', code: 'service_unavailable' });
  });

  it('an aborted request rethrows the AbortError', async () => {
    const ctl = new AbortController();
    const api = createApiClient({
      baseUrl: BASE,
      fetch: (req) =>
        new Promise<Response>((_, reject) => {
          req.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    });
    const pending = ok(api.GET('/api/v1/callers', { params: { query: { phone: '07700900123' } }, signal: ctl.signal }));
    ctl.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('problemOf turns anything else into a problem', () => {
    expect(problemOf(new Error('boom'))).toMatchObject({ status: 0, detail: 'boom', code: 'internal_error' });
  });
});
