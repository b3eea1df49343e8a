import { useEffect, useState } from 'react';
import { api } from '../api-clients';
import { ok, problemOf, type Problem } from '../api/client';
import type { Intake } from '../api/types';
import { ErrorSummary, Select } from '../components/forms';
import { Loading, PageHeading, Tag, label } from '../components/page';
import { Link, navigate, useLocation } from '../router';
import { browserZone, formatWhen } from '../time';

const STATUSES = ['open', 'assigned', 'booked', 'closed', 'signposted', 'withdrawn'] as const;

export function IntakeQueuePage() {
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const service = query.get('service') ?? '';
  const channel = query.get('channel') ?? '';
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
        limit: 20,
        cursor: after ?? undefined,
      };
      const res = await ok(api.GET('/api/v1/intakes', { params: { query } }));
      setIntakes((prev) => (after ? [...prev, ...res.intakes] : res.intakes));
      setCursor(res.nextCursor);
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
  }, [status, service, channel]);

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
        <Select id="filter-service" label="Service" value={service} onChange={(e) => setFilter('service', e.target.value)}>
          <option value="">Any service</option>
          <option value="peer_support">Peer support</option>
          <option value="counselling">Counselling</option>
        </Select>
        <Select id="filter-channel" label="Channel" value={channel} onChange={(e) => setFilter('channel', e.target.value)}>
          <option value="">Any channel</option>
          <option value="phone">Phone</option>
          <option value="web">Web</option>
        </Select>
      </form>
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
              <td>{i.channel === 'web' ? <Tag>Web</Tag> : label(i.channel)}</td>
              <td>
                <Tag tone={i.status === 'open' ? 'accent' : i.status === 'signposted' ? 'strong' : 'grey'}>{label(i.status)}</Tag>
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
      {loading && <Loading what="Loading intakes" />}
      {cursor && !loading && (
        <button type="button" className="button button--secondary" onClick={() => void load(cursor)}>
          Load more
        </button>
      )}
    </>
  );
}
