// The staff's new-call form (POST /api/v1/intakes). The risk question comes first; a Yes shows the script to read
// out and a short record of the call instead of the rest. Each step is its own component under ./new-call.
import { useState, type FormEvent } from 'react';
import { api } from '../api-clients';
import { ok, problemOf } from '../api/client';
import { YesNoRadios } from '../components/CallerFields';
import { Checkbox, ErrorSummary, errorFor, problemErrors, type ErrorItem } from '../components/forms';
import { usePhoneSearch } from '../components/CallerHits';
import { PrivacyNoticeScript } from '../components/PrivacyNoticeScript';
import { Notice, PageHeading } from '../components/page';
import { SignpostedRecord } from '../components/SignpostedRecord';
import { clearDraft, useDraft } from '../drafts';
import { Link, navigate } from '../router';
import { CallerStep } from './new-call/CallerStep';
import { PreferencesStep } from './new-call/PreferencesStep';
import { DangerScript, RiskStep } from './new-call/RiskStep';
import {
  EMPTY_CALL,
  FIELD_IDS,
  FIELD_LABELS,
  callBody,
  validateCall,
  type NewCallFields,
  type SetField,
} from './new-call/fields';

/** The sessionStorage draft of this form (drafts.ts). */
const DRAFT = 'new-call';

export function NewCallPage() {
  const [round, setRound] = useState(0);
  return <NewCallForm key={round} onReset={() => setRound((r) => r + 1)} />;
}

function NewCallForm({ onReset }: { onReset: () => void }) {
  const [f, setFields] = useState<NewCallFields>(EMPTY_CALL);
  const set: SetField = (key, value) => setFields((prev) => ({ ...prev, [key]: value }));
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  const lookup = usePhoneSearch(f.risk === 'no' ? f.phone : '');
  const restored = useDraft(DRAFT, f, f.risk === 'no', (d) => setFields({ ...EMPTY_CALL, ...d }));

  function reset() {
    clearDraft(DRAFT);
    onReset();
    window.scrollTo(0, 0);
  }

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const e = validateCall(f);
    setErrors(e);
    if (e.length) return;
    setBusy(true);
    try {
      const res = await ok(api.POST('/api/v1/intakes', { body: callBody(f) }));
      clearDraft(DRAFT);
      navigate(`/intakes/${res.id}?new=1&tz=${encodeURIComponent(f.timeZone)}`);
    } catch (err) {
      const p = problemOf(err);
      setErrors(
        problemErrors(
          p,
          (field) => FIELD_IDS[field] ?? FIELD_IDS[field.split('.').slice(0, 2).join('.')],
          (field) => FIELD_LABELS[FIELD_IDS[field] ?? ''] ?? field,
        ),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <ErrorSummary errors={errors} />
      <PageHeading caption="Intake">New call</PageHeading>
      {restored && (
        <Notice title="Your unsaved call is back">
          <p className="body" data-testid="draft-restored">
            What you had typed and not saved (for example before your sign-in ended) has been kept. Check it, then carry
            on.
          </p>
        </Notice>
      )}
      <form onSubmit={submit} noValidate className="call-form">
        <RiskStep risk={f.risk} onChange={(v) => set('risk', v)} error={errorFor(errors, 'risk')} />

        {f.risk === 'yes' && <DangerScript />}

        {f.risk === 'no' && (
          <>
            <CallerStep f={f} set={set} errors={errors} lookup={lookup} />
            <PreferencesStep f={f} set={set} errors={errors} />

            <section aria-labelledby="step-gmc" className="step">
              <h2 className="heading-m" id="step-gmc">
                4. GMC
              </h2>
              <YesNoRadios
                id="gmc"
                legend="Is the caller under GMC investigation?"
                hint="If so, we also tell them about the Doctor Support Service."
                value={f.gmc}
                onChange={(v) => set('gmc', v)}
                error={errorFor(errors, 'gmc')}
              />
            </section>

            <section aria-labelledby="step-consent" className="step">
              <h2 className="heading-m" id="step-consent">
                5. Consent
              </h2>
              <PrivacyNoticeScript />
              <Checkbox
                id="consent"
                label="The caller agrees to the privacy notice"
                checked={f.consent}
                onChange={(v) => set('consent', v)}
                error={errorFor(errors, 'consent')}
              />
            </section>

            <div className="button-group">
              <button type="submit" className="button" disabled={busy}>
                {busy ? 'Saving…' : 'Save and find a supporter'}
              </button>
              <Link href="/intakes" className="link">
                Cancel
              </Link>
            </div>
          </>
        )}
      </form>
      {f.risk === 'yes' && (
        <>
          <SignpostedRecord />
          <button type="button" className="button button--secondary" onClick={reset}>
            Start a new call
          </button>
        </>
      )}
    </>
  );
}
