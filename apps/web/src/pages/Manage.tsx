import { useState } from 'react';
import { publicApi } from '../api-clients';
import { ok, problemOf, type Problem } from '../api/client';
import { ErrorSummary } from '../components/forms';
import { FocusedHeading, Loading, PageHeading, label } from '../components/page';
import { EmergencyNumbers, SupportLinePhone, useSupportLine } from '../components/SupportLine';
import { useLoad } from '../hooks';
import { browserZone, formatTime, formatWhenLong } from '../time';

/** The caller's own page, reached from the link in their confirmation. No sign-in. */
export function ManagePage({ token }: { token: string }) {
  const booking = useLoad(() => ok(publicApi.GET('/api/v1/manage/{token}', { params: { path: { token } } })), [token]);
  const [step, setStep] = useState<'view' | 'confirm' | 'cancelled'>('view');
  const [error, setError] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const zone = browserZone();
  const line = useSupportLine();

  if (booking.error) {
    return (
      <div className="narrow">
        <PageHeading>
          {booking.error.status === 404 ? 'This link does not work' : 'Sorry, there is a problem'}
        </PageHeading>
        {booking.error.status === 404 ? (
          <>
            <p className="body">
              The link may have expired, or the appointment was moved and a newer link was sent to you.
            </p>
            <p className="body">Use the link in your most recent message, or call the support line.</p>
          </>
        ) : booking.error.status === 429 ? (
          <p className="body">Too many attempts. Wait a few minutes, then try again.</p>
        ) : (
          <p className="body">Try again later, or call the support line.</p>
        )}
        <SupportLinePhone line={line} />
      </div>
    );
  }
  if (!booking.data) return <Loading what="Loading your appointment" />;
  const b = booking.data;
  const status = step === 'cancelled' ? 'cancelled' : b.status;

  async function cancel() {
    setBusy(true);
    try {
      await ok(publicApi.POST('/api/v1/manage/{token}/cancel', { params: { path: { token } } }));
      setStep('cancelled');
      setError(null);
      window.scrollTo(0, 0);
    } catch (err) {
      setError(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="narrow">
      {error && (
        <ErrorSummary
          errors={[
            { text: error.detail ?? 'The appointment could not be cancelled. Try again, or call the support line.' },
          ]}
        />
      )}
      {step === 'cancelled' && (
        <div className="panel panel--confirmation" role="status" data-testid="manage-cancelled">
          <h2 className="panel__title">Your appointment is cancelled</h2>
          <div className="panel__body">
            <p>We have let your supporter know. You will get a message confirming it.</p>
            <SupportLinePhone line={line} before="If you would still like support, call the support line on" />
          </div>
        </div>
      )}
      <PageHeading>Your appointment</PageHeading>
      <dl className="summary-list" data-testid="manage-booking">
        <div className="summary-list__row">
          <dt>Reference</dt>
          <dd className="reference reference--inline">{b.reference}</dd>
        </div>
        <div className="summary-list__row">
          <dt>When</dt>
          <dd>
            {formatWhenLong(b.start, zone)} to {formatTime(b.end, zone)}
            <br />
            <span className="secondary-text">Shown in your time zone, {zone}.</span>
          </dd>
        </div>
        <div className="summary-list__row">
          <dt>How</dt>
          <dd>
            {b.modality === 'video' ? 'Video call' : 'Phone call'}
            {b.supporterFirstName ? ` with ${b.supporterFirstName}` : ''}
            <br />
            {status === 'confirmed' &&
              (b.modality === 'video' && b.videoUrl ? (
                <a href={b.videoUrl} className="link" data-testid="video-link" rel="noopener noreferrer">
                  Join the video call
                </a>
              ) : (
                <span className="secondary-text">
                  {b.modality === 'video' ? 'You will be sent a link to join.' : 'Your supporter will call you.'}
                </span>
              ))}
          </dd>
        </div>
        <div className="summary-list__row">
          <dt>Status</dt>
          <dd data-testid="manage-status">{label(status)}</dd>
        </div>
      </dl>

      {status === 'confirmed' && step === 'view' && (
        <>
          <h2 className="heading-m">Cannot make it?</h2>
          <p className="body">
            Please cancel so someone else can have the time. To change the time instead, call the support line.
          </p>
          <SupportLinePhone line={line} />
          <button type="button" className="button button--warning" onClick={() => setStep('confirm')}>
            Cancel this appointment
          </button>
        </>
      )}
      {status === 'confirmed' && step === 'confirm' && (
        <div className="confirm" role="group" aria-labelledby="confirm-title">
          <FocusedHeading id="confirm-title">Are you sure you want to cancel?</FocusedHeading>
          <p className="body">
            Your appointment on {formatWhenLong(b.start, zone)} will be cancelled. This cannot be undone.
          </p>
          <div className="button-group">
            <button type="button" className="button button--warning" disabled={busy} onClick={() => void cancel()}>
              Yes, cancel it
            </button>
            <button type="button" className="button button--secondary" onClick={() => setStep('view')}>
              No, keep it
            </button>
          </div>
        </div>
      )}
      <h2 className="heading-m">If you need help now</h2>
      <p className="body">This is not an emergency service.</p>
      <EmergencyNumbers line={line} />
    </div>
  );
}
