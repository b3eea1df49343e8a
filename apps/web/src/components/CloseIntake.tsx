import { useState, type FormEvent } from 'react';
import { api } from '../api-clients';
import { ok, problemOf } from '../api/client';
import type { Intake } from '../api/types';
import { browserZone, formatWhen } from '../time';
import { ErrorSummary, TextArea, errorFor, type ErrorItem } from './forms';
import { FocusedHeading } from './page';

type Ending = 'close' | 'withdraw';
const ACTIVE: Intake['status'][] = ['open', 'assigned', 'booked'];
const WORDS: Record<Ending, { button: string; heading: string; confirm: string }> = {
  close: { button: 'Close intake', heading: 'Close this intake?', confirm: 'Close the intake' },
  withdraw: {
    button: 'Caller withdrew',
    heading: 'Record that the caller withdrew?',
    confirm: 'Record the withdrawal',
  },
};

/**
 * Ending an intake asks for confirmation and a reason (its future sessions are
 * cancelled and the caller told); an ended one can be reopened within the
 * line's INTAKE_REOPEN_DAYS (the API answers 409 after it, shown as it says).
 */
export function CloseIntake({ intake, onChanged }: { intake: Intake; onChanged: () => void }) {
  const [asking, setAsking] = useState<Ending | null>(null);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  const zone = browserZone();

  async function confirm(e: FormEvent) {
    e.preventDefault();
    if (!asking) return;
    if (!reason.trim()) {
      setErrors([{ id: 'end-reason', text: 'Enter why the intake ends' }]);
      return;
    }
    setBusy(true);
    try {
      const params = { path: { id: intake.id } };
      const body = { reason: reason.trim() };
      if (asking === 'close') await ok(api.POST('/api/v1/intakes/{id}/close', { params, body }));
      else await ok(api.POST('/api/v1/intakes/{id}/withdraw', { params, body }));
      setAsking(null);
      setReason('');
      setErrors([]);
      onChanged();
    } catch (err) {
      setErrors([{ id: 'end-reason', text: problemOf(err).detail ?? 'The intake could not be ended' }]);
    } finally {
      setBusy(false);
    }
  }

  async function reopen() {
    setBusy(true);
    try {
      await ok(api.POST('/api/v1/intakes/{id}/reopen', { params: { path: { id: intake.id } } }));
      setErrors([]);
      onChanged();
    } catch (err) {
      setErrors([{ text: problemOf(err).detail ?? 'The intake could not be reopened' }]);
    } finally {
      setBusy(false);
    }
  }

  if (intake.status === 'closed' || intake.status === 'withdrawn') {
    return (
      <section aria-labelledby="ended-heading" data-testid="intake-ended">
        <h2 className="heading-m" id="ended-heading">
          {intake.status === 'closed' ? 'Closed' : 'The caller withdrew'}
        </h2>
        <ErrorSummary errors={errors} />
        <p className="body">
          {intake.endedAt && <>Ended {formatWhen(intake.endedAt, zone)}. </>}
          {intake.endReason && <>Reason: {intake.endReason}</>}
        </p>
        <button type="button" className="button button--secondary" disabled={busy} onClick={() => void reopen()}>
          Reopen intake
        </button>
      </section>
    );
  }
  if (!ACTIVE.includes(intake.status)) return null;
  return (
    <section aria-labelledby={asking ? 'end-confirm-heading' : 'end-heading'} data-testid="end-intake">
      {!asking ? (
        <>
          <h2 className="heading-m" id="end-heading">
            End this intake
          </h2>
          <div className="button-group">
            {(['close', 'withdraw'] as const).map((k) => (
              <button key={k} type="button" className="button button--secondary" onClick={() => setAsking(k)}>
                {WORDS[k].button}
              </button>
            ))}
          </div>
        </>
      ) : (
        <form
          onSubmit={(e) => void confirm(e)}
          noValidate
          onKeyDown={(e) => {
            if (e.key === 'Escape') setAsking(null);
          }}
        >
          <FocusedHeading id="end-confirm-heading">{WORDS[asking].heading}</FocusedHeading>
          <ErrorSummary errors={errors} />
          <p className="body">
            {intake.status === 'booked' ? 'Its future sessions are cancelled and the caller is told. ' : ''}
            It can be reopened for a while afterwards if this was a mistake.
          </p>
          <TextArea
            id="end-reason"
            label="Reason"
            hint="For the line's records; the caller is not told it."
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
            error={errorFor(errors, 'end-reason')}
          />
          <div className="button-group">
            <button type="submit" className="button button--warning" disabled={busy}>
              {WORDS[asking].confirm}
            </button>
            <button type="button" className="link-button" onClick={() => setAsking(null)}>
              Go back
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
