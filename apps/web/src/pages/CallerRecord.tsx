import { useEffect, useState } from 'react';
import { api } from '../api-clients';
import { ok } from '../api/client';
import type { Booking, BookingMessages, NotificationStatus } from '../api/types';
import { ErrorSummary } from '../components/forms';
import { Loading, PageHeading, Tag, label } from '../components/page';
import { useLoad, useSupporters } from '../hooks';
import { Link } from '../router';
import { browserZone, formatWhen } from '../time';

const MESSAGE_KIND: Record<NotificationStatus['kind'], string> = {
  confirmation: 'Confirmation',
  reschedule: 'New time',
  cancellation: 'Cancellation',
  reminder: 'Reminder',
  acknowledgement: 'Acknowledgement',
  feedback: 'Feedback request',
};
const NOTICE_KIND: Record<BookingMessages['supporterNotices'][number]['kind'], string> = {
  confirmation: 'New session',
  reschedule: 'New time',
  cancellation: 'Cancelled',
};
const MESSAGE_STATUS: Record<NotificationStatus['status'], string> = {
  pending: 'Pending',
  sent: 'Sent',
  failed: 'Failed',
  expired: 'Not sent (session had started)',
};

/** The caller's record (GET /callers/:id, audited): intakes, sessions past and future, who supported them, messages and their delivery. */
export function CallerRecordPage({ id }: { id: string }) {
  const zone = browserZone();
  const supporters = useSupporters();
  const {
    data: rec,
    error,
    loading,
  } = useLoad(() => ok(api.GET('/api/v1/callers/{id}', { params: { path: { id } } })), [id]);
  const [messages, setMessages] = useState<Map<string, BookingMessages>>(new Map());

  useEffect(() => {
    if (!rec) return;
    let live = true;
    // One request per booking: a caller has a handful, and each answer is the booking's own audited view.
    void Promise.all(
      rec.bookings.map((b) =>
        ok(api.GET('/api/v1/bookings/{id}/notifications', { params: { path: { id: b.id } } })).then(
          (r): [string, BookingMessages] => [b.id, r],
          (): [string, BookingMessages] => [b.id, { notifications: [], supporterNotices: [] }],
        ),
      ),
    ).then((pairs) => {
      if (live) setMessages(new Map(pairs));
    });
    return () => {
      live = false;
    };
  }, [rec]);

  if (loading && !rec) return <Loading what="Loading the caller's record" />;
  if (error || !rec) return <ErrorSummary errors={[{ text: error?.detail ?? 'The caller could not be loaded.' }]} />;

  const now = Date.now();
  const future = rec.bookings.filter((b) => Date.parse(b.start) > now);
  const past = rec.bookings.filter((b) => Date.parse(b.start) <= now).reverse();
  const supporterName = (sid: string) =>
    supporters.get(sid)?.displayName ??
    rec.supportersSeen.find((s) => s.supporterId === sid)?.displayName ??
    'Supporter';

  const sessions = (list: Booking[], caption: string, testId: string) => (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="table" data-testid={testId}>
        <caption className="table__caption">
          {caption}. Times in {zone}.
        </caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Supporter</th>
            <th scope="col">Status</th>
            <th scope="col">Messages</th>
          </tr>
        </thead>
        <tbody>
          {list.map((b) => (
            <tr key={b.id}>
              <td>
                {formatWhen(b.start, zone)}
                <br />
                <span className="nowrap">{b.reference}</span>, {label(b.modality).toLowerCase()} ·{' '}
                <Link href={`/intakes/${b.intakeId}`}>intake</Link>
              </td>
              <td>{supporterName(b.supporterId)}</td>
              <td>
                <Tag tone={b.status === 'confirmed' ? 'accent' : 'grey'}>{label(b.status)}</Tag>
              </td>
              <td>{!messages.has(b.id) ? '…' : <Messages list={messages.get(b.id)!} zone={zone} />}</td>
            </tr>
          ))}
          {list.length === 0 && (
            <tr>
              <td colSpan={4}>None.</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );

  return (
    <>
      <PageHeading caption="Caller record" title="Caller record">
        {rec.name ?? 'Caller (erased)'}
      </PageHeading>
      <dl className="summary-list" data-testid="caller-details">
        <div className="summary-list__row">
          <dt>Phone</dt>
          <dd>{rec.phone ? <a href={`tel:${rec.phone}`}>{rec.phone}</a> : '—'}</dd>
        </div>
        <div className="summary-list__row">
          <dt>E-mail</dt>
          <dd>{rec.email ?? '—'}</dd>
        </div>
        <div className="summary-list__row">
          <dt>Role</dt>
          <dd>{label(rec.role)}</dd>
        </div>
        <div className="summary-list__row">
          <dt>Time zone</dt>
          <dd>{rec.timeZone}</dd>
        </div>
        <div className="summary-list__row">
          <dt>Last contact</dt>
          <dd>{formatWhen(rec.lastContactAt, zone)}</dd>
        </div>
      </dl>

      <h2 className="heading-m">Supported by</h2>
      {rec.supportersSeen.length === 0 ? (
        <p className="body">Nobody yet.</p>
      ) : (
        <ul className="list" data-testid="supporters-seen">
          {rec.supportersSeen.map((s) => (
            <li key={s.supporterId}>
              {s.displayName}: {s.sessions} {s.sessions === 1 ? 'session' : 'sessions'}, the last{' '}
              {formatWhen(s.lastSession, zone)}
            </li>
          ))}
        </ul>
      )}

      <h2 className="heading-m">Intakes</h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Intakes">
        <table className="table" data-testid="caller-intakes">
          <caption className="table__caption">Newest first. Times in {zone}.</caption>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Service</th>
              <th scope="col">Channel</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {rec.intakes.map((i) => (
              <tr key={i.id}>
                <td>
                  <Link href={`/intakes/${i.id}`}>{formatWhen(i.createdAt, zone)}</Link>
                  {i.reference && <> ({i.reference})</>}
                </td>
                <td>{label(i.service)}</td>
                <td>{label(i.channel)}</td>
                <td>
                  <Tag tone={i.status === 'open' ? 'accent' : i.status === 'signposted' ? 'strong' : 'grey'}>
                    {label(i.status)}
                  </Tag>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 className="heading-m">Upcoming sessions</h2>
      {sessions(future, 'Upcoming sessions, soonest first', 'caller-upcoming')}
      <h2 className="heading-m">Past sessions</h2>
      {sessions(past, 'Past sessions, latest first', 'caller-past')}
    </>
  );
}

/** A booking's messages to the caller, then whether its supporter was told (no address: staff see delivery only). */
function Messages({ list, zone }: { list: BookingMessages; zone: string }) {
  if (list.notifications.length === 0 && list.supporterNotices.length === 0) return <>None</>;
  const when = (m: { sentAt: string | null; lastError: string | null; status: string }) => (
    <>
      {m.sentAt && <> {formatWhen(m.sentAt, zone)}</>}
      {m.lastError && m.status !== 'sent' && <> ({m.lastError})</>}
    </>
  );
  return (
    <ul className="list">
      {list.notifications.map((m) => (
        <li key={m.id}>
          {MESSAGE_KIND[m.kind]} by {m.channel === 'sms' ? 'SMS' : 'e-mail'}: {MESSAGE_STATUS[m.status]}
          {when(m)}
        </li>
      ))}
      {list.supporterNotices.map((m) => (
        <li key={m.id} data-testid="supporter-notice">
          Supporter told ({NOTICE_KIND[m.kind].toLowerCase()}) by e-mail: {MESSAGE_STATUS[m.status]}
          {when(m)}
        </li>
      ))}
    </ul>
  );
}
