import { useEffect, useRef, useState } from 'react';
import { api } from '../api-clients';
import { ok, problemOf, type Problem } from '../api/client';
import type { Intake } from '../api/types';
import { Checkbox, ErrorSummary, Select, TextInput } from '../components/forms';
import { Loading, PageHeading, Tag, label } from '../components/page';
import { Link, navigate, useLocation } from '../router';
import { addDays, browserZone, formatWhen, zonedToUtc } from '../time';

/** How often the queue reloads itself while the page is visible (a web request can arrive at any time). */
const REFRESH_MS = 30_000;

const STATUSES = ['open', 'assigned', 'booked', 'closed', 'signposted', 'withdrawn'] as const;

export function IntakeQueuePage() {
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const service = query.get('service') ?? '';
  const channel = query.get('channel') ?? '';
  const fromDate = query.get('from') ?? '';
  const toDate = query.get('to') ?? '';
  const overdueOnly = query.get('overdue') === '1';
  const [auto, setAuto] = useState(true);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const pages = useRef(1);
  const [intakes, setIntakes] = useState<Intake[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Problem | null>(null);
  const zone = browserZone();

  async function load(after: string | null) {
    setLoading(true);
    try {
      const query = {
        status: (status || undefined) as Intake['status'] | undefined,
        service: (service || undefined) as Intake['service'] | undefined,
        channel: (channel || undefined) as Intake['channel'] | undefined,
        from: /^\d{4}-\d{2}-\d{2}$/.test(fromDate) ? zonedToUtc(fromDate, '00:00', zone).toISOString() : undefined,
        to: /^\d{4}-\d{2}-\d{2}$/.test(toDate)
          ? zonedToUtc(addDays(toDate, 1), '00:00', zone).toISOString()
          : undefined,
        callbackOverdue: overdueOnly ? ('true' as const) : undefined,
        limit: 20,
        cursor: after ?? undefined,
      };
      const res = await ok(api.GET('/api/v1/intakes', { params: { query } }));
      setIntakes((prev) => (after ? [...prev, ...res.intakes] : res.intakes));
      setCursor(res.nextCursor);
      pages.current = after ? pages.current + 1 : 1;
      setUpdatedAt(new Date());
      setError(null);
    } catch (err) {
      setError(problemOf(err));
    } finally {
      setLoading(false);
    }
  }

  useEffect(() => {
    void load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status, service, channel, fromDate, toDate, overdueOnly]);

  // Reload the first page every REFRESH_MS while visible, unless paused or more pages are open (they would be lost).
  useEffect(() => {
    if (!auto) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible' && pages.current === 1) void load(null);
    }, REFRESH_MS);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [auto, status, service, channel, fromDate, toDate, overdueOnly]);

  const overdueHere = intakes.filter((i) => i.callbackOverdue).length;

  function setFilter(name: string, value: string) {
    const q = new URLSearchParams(query);
    if (value) q.set(name, value);
    else q.delete(name);
    const s = q.toString();
    navigate(`/intakes${s ? `?${s}` : ''}`, { replace: true });
  }

  return (
    <>
      <PageHeading>Intakes</PageHeading>
      <p className="body">
        <Link href="/intakes/new" className="button button--start">
          Take a new call
        </Link>
      </p>
      {error && <ErrorSummary errors={[{ text: error.detail ?? 'The intakes could not be loaded.' }]} />}
      <form className="filters" aria-label="Filter intakes" onSubmit={(e) => e.preventDefault()}>
        <Select id="filter-status" label="Status" value={status} onChange={(e) => setFilter('status', e.target.value)}>
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {label(s)}
            </option>
          ))}
        </Select>
        <Select
          id="filter-service"
          label="Service"
          value={service}
          onChange={(e) => setFilter('service', e.target.value)}
        >
          <option value="">Any service</option>
          <option value="peer_support">Peer support</option>
          <option value="counselling">Counselling</option>
        </Select>
        <Select
          id="filter-channel"
          label="Channel"
          value={channel}
          onChange={(e) => setFilter('channel', e.target.value)}
        >
          <option value="">Any channel</option>
          <option value="phone">Phone</option>
          <option value="web">Web</option>
        </Select>
        <TextInput
          id="filter-from"
          label="Received from"
          type="date"
          value={fromDate}
          onChange={(e) => setFilter('from', e.target.value)}
        />
        <TextInput
          id="filter-to"
          label="Received until"
          type="date"
          value={toDate}
          onChange={(e) => setFilter('to', e.target.value)}
        />
        <Checkbox
          id="filter-overdue"
          label="Only overdue call-backs"
          hint="Web requests nobody has called back within the promised working hours"
          checked={overdueOnly}
          onChange={(v) => setFilter('overdue', v ? '1' : '')}
        />
      </form>
      <div className="queue-refresh">
        <p className="body-s secondary-text" data-testid="queue-updated">
          {updatedAt
            ? `Updated ${updatedAt.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' })}. `
            : ''}
          {auto ? 'Refreshes every 30 seconds.' : 'Automatic refresh paused.'}
        </p>
        <button
          type="button"
          className="button button--secondary button--small"
          aria-pressed={!auto}
          onClick={() => setAuto((a) => !a)}
        >
          {auto ? 'Pause automatic refresh' : 'Resume automatic refresh'}
        </button>
        <button type="button" className="button button--secondary button--small" onClick={() => void load(null)}>
          Refresh now
        </button>
      </div>
      {overdueHere > 0 && (
        <p className="body" data-testid="overdue-count">
          <Tag tone="strong">{overdueHere === 1 ? '1 overdue call-back' : `${overdueHere} overdue call-backs`}</Tag> on
          this page.
        </p>
      )}
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Intakes">
        <table className="table" data-testid="intake-queue">
          <caption className="table__caption">Newest first. Times in {zone}.</caption>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Caller</th>
              <th scope="col">Service</th>
              <th scope="col">Channel</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {intakes.map((i) => (
              <tr key={i.id}>
                <td>{formatWhen(i.createdAt, zone)}</td>
                <td>
                  <Link href={`/intakes/${i.id}`}>{i.callerName ?? 'Caller (erased)'}</Link>
                </td>
                <td>{label(i.service)}</td>
                <td>
                  {i.channel === 'web' ? <Tag>Web</Tag> : label(i.channel)}
                  {i.callbackOverdue ? (
                    <>
                      <br />
                      <Tag tone="strong">Call-back overdue</Tag>
                      <span className="secondary-text"> due {formatWhen(i.callbackDueAt!, zone)}</span>
                    </>
                  ) : (
                    i.callbackDueAt &&
                    i.status === 'open' && (
                      <span className="secondary-text"> call back by {formatWhen(i.callbackDueAt, zone)}</span>
                    )
                  )}
                </td>
                <td>
                  <Tag tone={i.status === 'open' ? 'accent' : i.status === 'signposted' ? 'strong' : 'grey'}>
                    {label(i.status)}
                  </Tag>
                </td>
              </tr>
            ))}
            {!loading && intakes.length === 0 && (
              <tr>
                <td colSpan={5}>No intakes match these filters.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {loading && <Loading what="Loading intakes" />}
      {cursor && !loading && (
        <button type="button" className="button button--secondary" onClick={() => void load(cursor)}>
          Load more
        </button>
      )}
    </>
  );
}
