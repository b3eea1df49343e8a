import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../api-clients';
import { ok, problemOf } from '../api/client';
import type { Booking, Candidate, Slot } from '../api/types';
import { CloseIntake } from '../components/CloseIntake';
import { ErrorSummary, Radios, Select, TextArea, TextInput, errorFor, type ErrorItem } from '../components/forms';
import { Loading, Notice, PageHeading, Tag, label } from '../components/page';
import { forgetSupporters, idempotencyKey, useLoad, useSupporters } from '../hooks';
import { Link, useLocation } from '../router';
import { browserZone, formatRange, formatTime, formatWhen, formatWhenLong } from '../time';

const ACTIVE = ['open', 'assigned', 'booked'];

export function IntakeDetailPage({ id }: { id: string }) {
  const { query } = useLocation();
  const staffZone = browserZone();
  const intake = useLoad(() => ok(api.GET('/api/v1/intakes/{id}', { params: { path: { id } } })), [id]);
  // The caller's own zone, held with the caller (a web request from abroad too); the link from a new call also says it.
  const callerZone = intake.data?.callerTimeZone ?? (query.get('tz') || undefined);
  const bookings = useLoad(() => ok(api.GET('/api/v1/bookings', { params: { query: { intakeId: id, limit: 100 } } })).then((r) => r.bookings), [id]);
  const supporters = useSupporters();
  const [booked, setBooked] = useState<Booking[] | null>(null);
  const [matchesTick, setMatchesTick] = useState(0);

  function afterChange() {
    intake.reload();
    bookings.reload();
    setMatchesTick((t) => t + 1);
    forgetSupporters();
  }

  if (intake.error) {
    return (
      <>
        <PageHeading>Intake not found</PageHeading>
        <p className="body">{intake.error.status === 404 ? 'There is no intake at this address.' : intake.error.detail}</p>
        <p className="body">
          <Link href="/intakes">Back to the intakes</Link>
        </p>
      </>
    );
  }
  if (!intake.data) return <Loading what="Loading the intake" />;
  const i = intake.data;
  const active = ACTIVE.includes(i.status);
  const when = (s: Slot) => <SlotText slot={s} staffZone={staffZone} callerZone={callerZone} />;

  return (
    <>
      <p className="body">
        <Link href="/intakes" className="back-link">
          Back to the intakes
        </Link>
      </p>
      <PageHeading caption="Intake" title={`Intake: ${i.callerName ?? 'caller'}`}>
        {i.callerName ?? 'Caller (erased)'}
      </PageHeading>
      <dl className="summary-list">
        <div className="summary-list__row">
          <dt>Status</dt>
          <dd>
            <Tag tone={i.status === 'open' ? 'accent' : 'grey'}>{label(i.status)}</Tag>
          </dd>
        </div>
        <div className="summary-list__row">
          <dt>Service</dt>
          <dd>{label(i.service)}</dd>
        </div>
        <div className="summary-list__row">
          <dt>Received</dt>
          <dd>
            {formatWhen(i.createdAt, staffZone)} {i.channel === 'web' ? <Tag>Web request</Tag> : <>by {label(i.channel).toLowerCase()}</>}
          </dd>
        </div>
        {callerZone && callerZone !== staffZone && (
          <div className="summary-list__row">
            <dt>Caller's time zone</dt>
            <dd data-testid="caller-zone">
              {callerZone} (their time now: {formatTime(new Date().toISOString(), callerZone)})
            </dd>
          </div>
        )}
        {i.reference && (
          <div className="summary-list__row">
            <dt>Request reference</dt>
            <dd className="mono" data-testid="request-reference">
              {i.reference}
            </dd>
          </div>
        )}
        {i.supporterId && (
          <div className="summary-list__row">
            <dt>Supporter</dt>
            <dd>{supporters.get(i.supporterId)?.displayName ?? '…'}</dd>
          </div>
        )}
        {i.preferredTimes && (
          <div className="summary-list__row">
            <dt>{i.channel === 'web' ? 'Good times to call (their words)' : 'Preferred times'}</dt>
            <dd className="callers-words" data-testid="preferred-times">
              {i.preferredTimes}
            </dd>
          </div>
        )}
        {i.message && (
          <div className="summary-list__row">
            <dt>{i.channel === 'web' ? 'Their message' : 'Message'}</dt>
            <dd className="callers-words" data-testid="caller-message">
              {i.message}
            </dd>
          </div>
        )}
      </dl>

      {i.signposting?.text && (
        <Notice kind="warning" title={i.status === 'signposted' ? 'Signposted' : 'Read this to the caller'}>
          <p className="body" data-testid="intake-signposting">
            {i.signposting.text}
          </p>
        </Notice>
      )}

      {booked && <BookingConfirmed bookings={booked} supporterName={supporters.get(booked[0].supporterId)?.displayName} staffZone={staffZone} callerZone={callerZone} />}

      <h2 className="heading-m">Bookings</h2>
      {bookings.loading && !bookings.data && <Loading what="Loading bookings" />}
      {bookings.data && bookings.data.length === 0 && <p className="body">No sessions booked yet.</p>}
      {bookings.data && bookings.data.length > 0 && (
        <BookingTable
          bookings={bookings.data}
          supporterName={(sid) => supporters.get(sid)?.displayName ?? '…'}
          staffZone={staffZone}
          onChanged={afterChange}
        />
      )}

      {active ? (
        <Matches key={matchesTick} intakeId={id} preferredModality={(i.preferences as { modality?: 'phone' | 'video' }).modality} when={when} onBooked={(b) => {
          setBooked(b);
          afterChange();
          window.scrollTo(0, 0);
        }} />
      ) : (
        <p className="body">This intake is {label(i.status).toLowerCase()}: nothing more can be booked for it.</p>
      )}

      <CloseIntake intake={i} onChanged={afterChange} />
    </>
  );
}

function SlotText({ slot, staffZone, callerZone }: { slot: Slot; staffZone: string; callerZone?: string }) {
  return (
    <>
      {formatRange(slot.start, slot.end, staffZone)}
      {callerZone && callerZone !== staffZone && <span className="secondary-text"> (caller: {formatRange(slot.start, slot.end, callerZone)})</span>}
    </>
  );
}

function BookingConfirmed({ bookings, supporterName, staffZone, callerZone }: { bookings: Booking[]; supporterName?: string; staffZone: string; callerZone?: string }) {
  const first = bookings[0];
  return (
    <div className="panel panel--confirmation" role="status" data-testid="booking-confirmed">
      <h2 className="panel__title">{bookings.length > 1 ? `${bookings.length} sessions booked` : 'Session booked'}</h2>
      <div className="panel__body">
        <p className="panel__label">Booking reference</p>
        <p className="reference" data-testid="booking-reference" aria-label={`Booking reference ${first.reference.split('').join(' ')}`}>
          {first.reference}
        </p>
        <p>
          {formatWhenLong(first.start, staffZone)}
          {callerZone && callerZone !== staffZone && <> (caller: {formatWhenLong(first.start, callerZone)})</>}
          <br />
          {label(first.modality)} with {supporterName ?? 'the supporter'}
        </p>
        {bookings.length > 1 && (
          <ul className="panel__list">
            {bookings.slice(1).map((b) => (
              <li key={b.id}>
                {b.reference}: {formatWhen(b.start, staffZone)}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

function BookingTable({ bookings, supporterName, staffZone, onChanged }: { bookings: Booking[]; supporterName: (id: string) => string; staffZone: string; onChanged: () => void }) {
  const [open, setOpen] = useState<{ id: string; kind: 'cancel' | 'reschedule' } | null>(null);
  const now = Date.now();
  return (
    <table className="table table--stack" data-testid="intake-bookings">
      <caption className="visually-hidden">Bookings of this intake</caption>
      <thead>
        <tr>
          <th scope="col">Reference</th>
          <th scope="col">When</th>
          <th scope="col">Supporter</th>
          <th scope="col">Status</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {bookings.map((b) => {
          const changeable = b.status === 'confirmed' && Date.parse(b.start) > now;
          const isOpen = open?.id === b.id;
          return (
            <tr key={b.id}>
              <td className="mono">{b.reference}</td>
              <td>
                {formatRange(b.start, b.end, staffZone)}
                <br />
                <span className="secondary-text">{label(b.modality)}</span>
              </td>
              <td>{supporterName(b.supporterId)}</td>
              <td>
                <Tag tone={b.status === 'confirmed' ? 'accent' : 'grey'}>{label(b.status)}</Tag>
              </td>
              <td className="actions">
                {changeable && !isOpen && (
                  <div className="button-group button-group--tight">
                    <button type="button" className="button button--secondary button--small" onClick={() => setOpen({ id: b.id, kind: 'reschedule' })}>
                      Reschedule<span className="visually-hidden"> {b.reference}</span>
                    </button>
                    <button type="button" className="button button--warning button--small" onClick={() => setOpen({ id: b.id, kind: 'cancel' })}>
                      Cancel<span className="visually-hidden"> {b.reference}</span>
                    </button>
                  </div>
                )}
                {isOpen && open.kind === 'cancel' && (
                  <CancelForm
                    booking={b}
                    onDone={() => {
                      setOpen(null);
                      onChanged();
                    }}
                    onClose={() => setOpen(null)}
                  />
                )}
                {isOpen && open.kind === 'reschedule' && (
                  <RescheduleForm
                    booking={b}
                    staffZone={staffZone}
                    onDone={() => {
                      setOpen(null);
                      onChanged();
                    }}
                    onClose={() => setOpen(null)}
                  />
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function CancelForm({ booking, onDone, onClose }: { booking: Booking; onDone: () => void; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  const fid = `cancel-reason-${booking.id}`;
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) {
      setErrors([{ id: fid, text: 'Enter why the session is cancelled' }]);
      return;
    }
    setBusy(true);
    try {
      await ok(api.POST('/api/v1/bookings/{id}/cancel', { params: { path: { id: booking.id } }, body: { reason: reason.trim() } }));
      onDone();
    } catch (err) {
      setErrors([{ id: fid, text: problemOf(err).detail ?? 'The session could not be cancelled' }]);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} noValidate className="inline-form" aria-label={`Cancel ${booking.reference}`}>
      <ErrorSummary errors={errors} />
      <TextArea id={fid} label="Reason for cancelling" hint="The caller is told the session is cancelled, not why." value={reason} onChange={(e) => setReason(e.target.value)} error={errorFor(errors, fid)} autoFocus />
      <div className="button-group button-group--tight">
        <button type="submit" className="button button--warning button--small" disabled={busy}>
          Cancel the session
        </button>
        <button type="button" className="link-button" onClick={onClose}>
          Keep it
        </button>
      </div>
    </form>
  );
}

function RescheduleForm({ booking, staffZone, onDone, onClose }: { booking: Booking; staffZone: string; onDone: () => void; onClose: () => void }) {
  const duration = Math.round((Date.parse(booking.end) - Date.parse(booking.start)) / 60000);
  const slots = useLoad(() => {
    const from = new Date().toISOString();
    const to = new Date(Date.now() + 28 * 86400000).toISOString();
    return ok(api.GET('/api/v1/supporters/{id}/slots', { params: { path: { id: booking.supporterId }, query: { from, to, durationMinutes: duration } } })).then((r) => r.slots.slice(0, 30));
  }, [booking.id]);
  const [choice, setChoice] = useState('');
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  const fid = `reschedule-${booking.id}`;
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!choice) {
      setErrors([{ id: fid, text: 'Choose a new time' }]);
      return;
    }
    setBusy(true);
    try {
      await ok(api.POST('/api/v1/bookings/{id}/reschedule', { params: { path: { id: booking.id } }, body: { start: choice } }));
      onDone();
    } catch (err) {
      setErrors([{ id: fid, text: problemOf(err).detail ?? 'The session could not be moved' }]);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} noValidate className="inline-form" aria-label={`Reschedule ${booking.reference}`}>
      <ErrorSummary errors={errors} />
      {slots.loading && <Loading what="Finding free times" />}
      {slots.data && slots.data.length === 0 && <p className="body">No free times in the next four weeks.</p>}
      {slots.data && slots.data.length > 0 && (
        <Select id={fid} label="New time" hint={`Same supporter. Times in ${staffZone}.`} value={choice} onChange={(e) => setChoice(e.target.value)} error={errorFor(errors, fid)} autoFocus>
          <option value="">Choose a time</option>
          {slots.data.map((s) => (
            <option key={s.start} value={s.start}>
              {formatRange(s.start, s.end, staffZone)}
            </option>
          ))}
        </Select>
      )}
      <div className="button-group button-group--tight">
        <button type="submit" className="button button--small" disabled={busy || !slots.data?.length}>
          Move the session
        </button>
        <button type="button" className="link-button" onClick={onClose}>
          Keep the old time
        </button>
      </div>
    </form>
  );
}

function Matches({ intakeId, preferredModality, when, onBooked }: { intakeId: string; preferredModality?: 'phone' | 'video'; when: (s: Slot) => ReactNode; onBooked: (b: Booking[]) => void }) {
  const matches = useLoad(() => ok(api.GET('/api/v1/intakes/{id}/matches', { params: { path: { id: intakeId }, query: { limit: 5 } } })), [intakeId]);
  const [modality, setModality] = useState<'' | 'phone' | 'video'>(preferredModality ?? '');
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [alternatives, setAlternatives] = useState<{ supporterId: string; slots: Slot[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const keys = useRef(new Map<string, string>());

  async function book(c: { supporterId: string; displayName: string }, slot: Slot) {
    const action = `${c.supporterId}|${slot.start}|${modality}`;
    let key = keys.current.get(action);
    if (!key) {
      key = idempotencyKey();
      keys.current.set(action, key);
    }
    setBusy(true);
    setErrors([]);
    try {
      const b = await ok(api.POST('/api/v1/bookings', { headers: { 'Idempotency-Key': key }, body: { intakeId, supporterId: c.supporterId, start: slot.start, ...(modality ? { modality } : {}) } }));
      setAlternatives(null);
      onBooked([b]);
    } catch (err) {
      const p = problemOf(err);
      keys.current.delete(action);
      setErrors([{ text: `${c.displayName}: ${p.detail ?? p.title ?? 'booking failed'}` }]);
      setAlternatives(p.alternatives?.length ? { supporterId: c.supporterId, slots: p.alternatives } : null);
    } finally {
      setBusy(false);
    }
  }

  if (matches.error) {
    return (
      <>
        <h2 className="heading-m">Matches</h2>
        <ErrorSummary errors={[{ text: matches.error.detail ?? 'The matches could not be loaded.' }]} />
      </>
    );
  }
  if (!matches.data) return <Loading what="Finding supporters" />;
  const { candidates, excluded } = matches.data;
  return (
    <section aria-labelledby="matches-title" data-testid="matches">
      <h2 className="heading-m" id="matches-title">
        Matches
      </h2>
      <ErrorSummary errors={errors} title="The session was not booked" />
      {alternatives && (
        <div className="notice notice--info">
          <h3 className="notice__title">Other free times with this supporter</h3>
          <ul className="slot-list">
            {alternatives.slots.slice(0, 6).map((s) => (
              <li key={s.start}>
                <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => void book({ supporterId: alternatives.supporterId, displayName: candidates.find((c) => c.supporterId === alternatives.supporterId)?.displayName ?? 'Supporter' }, s)}>
                  Book {when(s)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="narrow-select">
        <Select id="booking-modality" label="Session by" value={modality} onChange={(e) => setModality(e.target.value as '' | 'phone' | 'video')}>
          <option value="">Caller's preference or the supporter's usual</option>
          <option value="phone">Phone</option>
          <option value="video">Video</option>
        </Select>
      </div>
      {candidates.length === 0 && <p className="body">No supporter can take this caller at the moment. The reasons are below.</p>}
      <ol className="candidates">
        {candidates.map((c) => (
          <li key={c.supporterId} className="candidate" data-testid="candidate">
            <h3 className="heading-s">
              {c.displayName} {c.continuity && <Tag tone="accent">Supported this caller before</Tag>}
            </h3>
            <ul className="list list--bullet reasons">
              {c.reasons.map((r) => (
                <li key={r.code + r.text}>{r.text}</li>
              ))}
            </ul>
            {c.nextSlots.length > 0 ? (
              <>
                <p className="body-s">Book one of the first free times (one click):</p>
                <ul className="slot-list">
                  {c.nextSlots.map((s) => (
                    <li key={s.start}>
                      <button type="button" className="button button--slot" disabled={busy} onClick={() => void book(c, s)}>
                        <span className="visually-hidden">Book {c.displayName}, </span>
                        {when(s)}
                      </button>
                    </li>
                  ))}
                </ul>
                <SeriesForm intakeId={intakeId} candidate={c} modality={modality} onBooked={onBooked} />
              </>
            ) : (
              <p className="body">No free time shown.</p>
            )}
          </li>
        ))}
      </ol>
      {excluded.length > 0 && (
        <>
          <h3 className="heading-s">Not matched</h3>
          <table className="table" data-testid="excluded">
            <caption className="visually-hidden">Supporters who cannot take this caller, and why</caption>
            <thead>
              <tr>
                <th scope="col">Supporter</th>
                <th scope="col">Why not</th>
              </tr>
            </thead>
            <tbody>
              {excluded.map((x) => (
                <tr key={x.supporterId}>
                  <td>
                    {x.displayName} {x.continuity && <Tag>Supported this caller before</Tag>}
                  </td>
                  <td>{x.reasons.map((r) => r.text).join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function SeriesForm({ intakeId, candidate, modality, onBooked }: { intakeId: string; candidate: Candidate; modality: '' | 'phone' | 'video'; onBooked: (b: Booking[]) => void }) {
  const base = `series-${candidate.supporterId}`;
  const [start, setStart] = useState(candidate.nextSlots[0]?.start ?? '');
  const [count, setCount] = useState('6');
  const [interval, setEvery] = useState<'1' | '2' | '3' | '4'>('1');
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  const key = useRef<{ body: string; key: string } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || n > 12) {
      setErrors([{ id: `${base}-count`, text: 'Enter a number of sessions from 1 to 12' }]);
      return;
    }
    const body = { intakeId, supporterId: candidate.supporterId, start, count: n, intervalWeeks: Number(interval), ...(modality ? { modality } : {}) };
    const text = JSON.stringify(body);
    if (key.current?.body !== text) key.current = { body: text, key: idempotencyKey() };
    setBusy(true);
    try {
      const res = await ok(api.POST('/api/v1/bookings/series', { body, headers: { 'Idempotency-Key': key.current.key } }));
      onBooked(res.bookings);
    } catch (err) {
      const p = problemOf(err);
      key.current = null;
      const items: ErrorItem[] = [{ id: `${base}-start`, text: p.detail ?? 'The series could not be booked' }];
      for (const o of p.occurrences ?? []) items.push({ id: `${base}-start`, text: `Session ${o.index + 1} (${formatWhen(o.start, browserZone())}): ${o.code.replace(/_/g, ' ')}` });
      setErrors(items);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="details">
      <summary className="details__summary">Book a series with {candidate.displayName}</summary>
      <form onSubmit={submit} noValidate className="details__text">
        <ErrorSummary errors={errors} title="The series was not booked" />
        <Select id={`${base}-start`} label="First session" value={start} onChange={(e) => setStart(e.target.value)} error={errorFor(errors, `${base}-start`)}>
          {candidate.nextSlots.map((s) => (
            <option key={s.start} value={s.start}>
              {formatRange(s.start, s.end, browserZone())}
            </option>
          ))}
        </Select>
        <TextInput id={`${base}-count`} label="Number of sessions" hint="1 to 12" inputMode="numeric" width="short" value={count} onChange={(e) => setCount(e.target.value)} error={errorFor(errors, `${base}-count`)} />
        <Radios
          id={`${base}-interval`}
          legend="How often"
          inline
          options={[
            { value: '1', label: 'Every week' },
            { value: '2', label: 'Every 2 weeks' },
            { value: '3', label: 'Every 3 weeks' },
            { value: '4', label: 'Every 4 weeks' },
          ]}
          value={interval}
          onChange={setEvery}
        />
        <button type="submit" className="button button--secondary" disabled={busy}>
          Book the series
        </button>
      </form>
    </details>
  );
}
