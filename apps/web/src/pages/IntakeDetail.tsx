// One intake: its summary, the booking just made (undoable), the caller, the bookings, matches to book from,
// escalation and closing. The summary and the bookings table live in ./intake-detail.
import { useState } from 'react';
import { api } from '../api-clients';
import { ok } from '../api/client';
import type { Booking, Slot } from '../api/types';
import { BookedPanel } from '../components/BookingConfirm';
import { CallerPanel } from '../components/CallerPanel';
import { CloseIntake } from '../components/CloseIntake';
import { EscalationForm } from '../components/EscalationForm';
import { Matches } from '../components/Matches';
import { Loading, Notice, PageHeading, label } from '../components/page';
import { forgetSupporters, useLoad, useSupporters } from '../hooks';
import { Link, useLocation } from '../router';
import { browserZone, formatRange } from '../time';
import { BookingTable } from './intake-detail/BookingTable';
import { IntakeSummary } from './intake-detail/IntakeSummary';

const ACTIVE = ['open', 'assigned', 'booked'];

export function IntakeDetailPage({ id }: { id: string }) {
  const { query } = useLocation();
  const staffZone = browserZone();
  const intake = useLoad(() => ok(api.GET('/api/v1/intakes/{id}', { params: { path: { id } } })), [id]);
  // The caller's own zone, held with the caller (a web request from abroad too); the link from a new call also says it.
  const callerZone = intake.data?.callerTimeZone ?? (query.get('tz') || undefined);
  const bookings = useLoad(
    () => ok(api.GET('/api/v1/bookings', { params: { query: { intakeId: id, limit: 100 } } })).then((r) => r.bookings),
    [id],
  );
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
        <p className="body">
          {intake.error.status === 404 ? 'There is no intake at this address.' : intake.error.detail}
        </p>
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
      <IntakeSummary
        intake={i}
        staffZone={staffZone}
        callerZone={callerZone}
        supporterName={(sid) => supporters.get(sid)?.displayName ?? '…'}
      />

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
      {callerZone && callerZone !== staffZone && (
        <span className="secondary-text"> (caller: {formatRange(slot.start, slot.end, callerZone)})</span>
      )}
    </>
  );
}
