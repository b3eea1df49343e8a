/** The CalDAV test server itself: it starts, authenticates, stores events and stops. */
import { makeTestCalendar, putEvent, RadicaleServer, startRadicale, vevent } from '../support/radicale';

describe('Radicale test harness', () => {
  let radicale: RadicaleServer;
  beforeAll(async () => {
    radicale = await startRadicale({ alice: 'alice-app-password' });
  }, 300_000);
  afterAll(() => radicale?.stop());

  it('refuses a wrong password and serves events to their owner', async () => {
    const bad = await fetch(`${radicale.baseUrl}/alice/`, {
      method: 'PROPFIND',
      headers: { authorization: `Basic ${Buffer.from('alice:nope').toString('base64')}`, depth: '0' },
    });
    expect(bad.status).toBe(401);
    const url = await makeTestCalendar(radicale, 'alice');
    await putEvent(
      radicale,
      'alice',
      url,
      'harness-1',
      vevent({ uid: 'harness-1', start: '2030-01-07T09:00:00Z', end: '2030-01-07T10:00:00Z' }),
    );
    const res = await fetch(`${url}harness-1.ics`, {
      headers: { authorization: `Basic ${Buffer.from('alice:alice-app-password').toString('base64')}` },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('UID:harness-1');
  });

  it('stops: the port no longer answers', async () => {
    const other = await startRadicale({ bob: 'bob-pass' });
    await other.stop();
    await expect(fetch(`${other.baseUrl}/.web/`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  });
});
