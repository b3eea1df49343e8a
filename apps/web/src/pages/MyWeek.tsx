import { useState } from 'react';
import { api } from '../api-clients';
import { ok, problemOf } from '../api/client';
import type { Booking, Supporter, TimeOff, WeeklyRule } from '../api/types';
import { ErrorSummary, type ErrorItem } from '../components/forms';
import { Loading, PageHeading, Tag, label } from '../components/page';
import { useLoad } from '../hooks';
import { CalendarNote } from '../components/CalendarNote';
import { Link, navigate, useLocation } from '../router';
import { addDays, formatDay, localParts, mondayOf, zoneAbbr, zonedToUtc } from '../time';

type Item =
  | { kind: 'available'; start: string; end: string }
  | { kind: 'off'; start: string; end: string; reason: string | null }
  | { kind: 'busy'; start: string; end: string }
  | {
      kind: 'session';
      start: string;
      end: string;
      booking: Booking & { caller?: { name: string | null; phone: string | null; email: string | null } | null };
    };

export function MyWeekPage({ supporterId, asAdmin }: { supporterId: string; asAdmin?: boolean }) {
  const supporter = useLoad(
    () => ok(api.GET('/api/v1/supporters/{id}', { params: { path: { id: supporterId } } })),
    [supporterId],
  );
  if (!supporterId)
    return <p className="body">Your account is not linked to a supporter. Ask an administrator to link it.</p>;
  if (supporter.error)
    return <ErrorSummary errors={[{ text: supporter.error.detail ?? 'Your profile could not be loaded.' }]} />;
  if (!supporter.data) return <Loading what="Loading your week" />;
  return <Week supporter={supporter.data} asAdmin={asAdmin} />;
}

function Week({ supporter, asAdmin }: { supporter: Supporter; asAdmin?: boolean }) {
  const zone = supporter.timeZone;
  const { path, query } = useLocation();
  const today = localParts(Date.now(), zone).date;
  const requested = query.get('week');
  const monday = requested && /^\d{4}-\d{2}-\d{2}$/.test(requested) ? mondayOf(requested) : mondayOf(today);
  const from = zonedToUtc(monday, '00:00', zone).toISOString();
  const to = zonedToUtc(addDays(monday, 7), '00:00', zone).toISOString();
  const id = supporter.id;
  const rules = useLoad(
    () => ok(api.GET('/api/v1/supporters/{id}/availability', { params: { path: { id } } })).then((r) => r.weekly),
    [id],
  );
  const timeOff = useLoad(
    () => ok(api.GET('/api/v1/supporters/{id}/time-off', { params: { path: { id } } })).then((r) => r.timeOff),
    [id],
  );
  const bookings = useLoad(
    () =>
      ok(api.GET('/api/v1/bookings', { params: { query: { supporterId: id, from, to, limit: 200 } } })).then(
        (r) => r.bookings,
      ),
    [id, from, to],
  );
  const busy = useLoad(
    () =>
      ok(api.GET('/api/v1/supporters/{id}/calendar/busy', { params: { path: { id }, query: { from, to } } })).then(
        (r) => r.busy,
      ),
    [id, from, to],
  );
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [done, setDone] = useState<string | null>(null);

  const go = (date: string) => navigate(`${path}?week=${date}`, { replace: true });

  async function mark(b: Booking, outcome: 'complete' | 'no-show') {
    try {
      if (outcome === 'complete')
        await ok(api.POST('/api/v1/bookings/{id}/complete', { params: { path: { id: b.id } } }));
      else await ok(api.POST('/api/v1/bookings/{id}/no-show', { params: { path: { id: b.id } } }));
      setErrors([]);
      setDone(`${b.reference} marked ${outcome === 'complete' ? 'complete' : 'as a no-show'}.`);
      bookings.reload();
    } catch (err) {
      setErrors([{ text: problemOf(err).detail ?? 'That did not work.' }]);
    }
  }

  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const items = new Map<string, Item[]>(days.map((d) => [d, []]));
  for (const r of (rules.data ?? []) as WeeklyRule[]) {
    const d = days[r.weekday - 1];
    items.get(d)?.push({ kind: 'available', start: r.start, end: r.end });
  }
  // time off and calendar busy time may span midnight: each day shows its part
  const spread = (start: string, end: string, item: (start: string, end: string) => Item) => {
    const s = Date.parse(start);
    const e = Date.parse(end);
    for (const d of days) {
      const dayStart = zonedToUtc(d, '00:00', zone).getTime();
      const dayEnd = zonedToUtc(addDays(d, 1), '00:00', zone).getTime();
      if (e <= dayStart || s >= dayEnd) continue;
      items
        .get(d)
        ?.push(
          item(s <= dayStart ? '00:00' : localParts(s, zone).time, e >= dayEnd ? '24:00' : localParts(e, zone).time),
        );
    }
  };
  for (const t of (timeOff.data ?? []) as TimeOff[])
    spread(t.start, t.end, (start, end) => ({ kind: 'off', start, end, reason: t.reason }));
  for (const b of busy.data ?? []) spread(b.start, b.end, (start, end) => ({ kind: 'busy', start, end }));
  for (const b of bookings.data ?? []) {
    const p = localParts(b.start, zone);
    items.get(p.date)?.push({ kind: 'session', start: p.time, end: localParts(b.end, zone).time, booking: b });
  }
  for (const list of items.values())
    list.sort((a, b) => a.start.localeCompare(b.start) || (a.kind === 'session' ? 1 : -1));
  const abbr = zoneAbbr(from, zone);
  const now = Date.now();

  return (
    <>
      <ErrorSummary errors={errors} />
      <PageHeading
        caption={asAdmin ? supporter.displayName : undefined}
        title={asAdmin ? `Week of ${supporter.displayName}` : 'My week'}
      >
        {asAdmin ? 'Week' : 'My week'}
      </PageHeading>
      <p className="body">
        Week of {formatDay(monday)}. Times are in <strong>{zone}</strong> ({abbr}){asAdmin ? '' : ', your time zone'}.
      </p>
      <CalendarNote
        supporterId={id}
        zone={zone}
        profileHref={asAdmin ? `/admin/supporters/${id}/profile` : '/profile'}
      />
      <div className="button-group week-nav">
        <button type="button" className="button button--secondary" onClick={() => go(addDays(monday, -7))}>
          ← Previous week
        </button>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => go(mondayOf(today))}
          disabled={monday === mondayOf(today)}
        >
          This week
        </button>
        <button type="button" className="button button--secondary" onClick={() => go(addDays(monday, 7))}>
          Next week →
        </button>
        {!asAdmin && (
          <span className="week-nav__links">
            <Link href="/availability">Change availability</Link> · <Link href="/time-off">Time off</Link>
          </span>
        )}
      </div>
      {done && (
        <p className="body notice notice--success" role="status">
          {done}
        </p>
      )}
      {(rules.loading || bookings.loading || timeOff.loading || busy.loading) && <Loading what="Loading the week" />}
      <div className="week" data-testid="week">
        {days.map((d) => (
          <section
            key={d}
            className={`week__day${d === today ? ' week__day--today' : ''}`}
            aria-labelledby={`day-${d}`}
          >
            <h2 className="week__title" id={`day-${d}`}>
              {formatDay(d)}
              {d === today && <span className="visually-hidden"> (today)</span>}
            </h2>
            {items.get(d)!.length === 0 && <p className="week__empty">Nothing</p>}
            <ul className="week__items">
              {items.get(d)!.map((it, n) => (
                <li key={n} className={`week__item week__item--${it.kind}`}>
                  <span className="week__time">
                    {it.start}–{it.end}
                  </span>{' '}
                  {it.kind === 'available' && <span>Available</span>}
                  {it.kind === 'off' && <span>Time off{it.reason ? `: ${it.reason}` : ''}</span>}
                  {it.kind === 'busy' && <span>Busy in {asAdmin ? 'their' : 'your'} calendar</span>}
                  {it.kind === 'session' && (
                    <>
                      <span>
                        Session <span className="mono">{it.booking.reference}</span> (
                        {label(it.booking.modality).toLowerCase()}){' '}
                        <Tag tone={it.booking.status === 'confirmed' ? 'accent' : 'grey'}>
                          {label(it.booking.status)}
                        </Tag>
                      </span>
                      {it.booking.caller && (
                        <span className="week__caller">
                          {it.booking.caller.name}
                          {it.booking.caller.phone && (
                            <>
                              {' '}
                              · <a href={`tel:${it.booking.caller.phone}`}>{it.booking.caller.phone}</a>
                            </>
                          )}
                        </span>
                      )}
                      {it.booking.status === 'confirmed' && Date.parse(it.booking.start) <= now && (
                        <span className="button-group button-group--tight">
                          <button
                            type="button"
                            className="button button--small"
                            onClick={() => void mark(it.booking, 'complete')}
                          >
                            Mark complete<span className="visually-hidden"> {it.booking.reference}</span>
                          </button>
                          <button
                            type="button"
                            className="button button--secondary button--small"
                            onClick={() => void mark(it.booking, 'no-show')}
                          >
                            No-show<span className="visually-hidden"> {it.booking.reference}</span>
                          </button>
                        </span>
                      )}
                    </>
                  )}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </>
  );
}
