import { useState, type FormEvent } from 'react';
import { api } from '../api-clients';
import { ok, problemOf } from '../api/client';
import type { Booking, Slot } from '../api/types';
import { BookedPanel } from '../components/BookingConfirm';
import { CallerPanel } from '../components/CallerPanel';
import { CloseIntake } from '../components/CloseIntake';
import { EscalationForm } from '../components/EscalationForm';
import { ErrorSummary, Select, TextArea, errorFor, type ErrorItem } from '../components/forms';
import { Matches } from '../components/Matches';
import { Loading, Notice, PageHeading, Tag, label } from '../components/page';
import { forgetSupporters, useLoad, useSupporters } from '../hooks';
import { Link, useLocation } from '../router';
import { browserZone, formatRange, formatTime, formatWhen } from '../time';

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
  const [undone, setUndone] = useState(false);
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

      {booked && (
        <BookedPanel
          key={booked[0].id}
          bookings={booked}
          supporterName={supporters.get(booked[0].supporterId)?.displayName}
          staffZone={staffZone}
          callerZone={callerZone}
          onUndone={() => {
            setBooked(null);
            setUndone(true);
            afterChange();
          }}
        />
      )}
      {undone && !booked && (
        <Notice kind="success" title="Booking undone">
          <p className="body" role="status" data-testid="booking-undone">
            The session was cancelled before the caller was told. Nothing was sent to them.
          </p>
        </Notice>
      )}

      <CallerPanel intake={i} staffZone={staffZone} />

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
        <Matches
          key={matchesTick}
          intakeId={id}
          assignedTo={i.status === 'open' ? null : i.supporterId}
          preferredModality={i.preferences.modality}
          staffZone={staffZone}
          callerZone={callerZone}
          supporters={supporters}
          when={when}
          upcoming={(bookings.data ?? []).filter((b) => b.status === 'confirmed' && Date.parse(b.start) > Date.now())}
          onChanged={afterChange}
          onBooked={(b) => {
            setBooked(b);
            setUndone(false);
            afterChange();
            window.scrollTo(0, 0);
          }}
        />
      ) : (
        <p className="body">This intake is {label(i.status).toLowerCase()}: nothing more can be booked for it.</p>
      )}

      <EscalationForm intakeId={id} />

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
