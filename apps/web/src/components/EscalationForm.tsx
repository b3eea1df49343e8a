import { useState, type FormEvent } from 'react';
import { api } from '../api-clients';
import { ok, problemOf } from '../api/client';
import { ErrorSummary, Radios, TextArea, errorFor, problemErrors, type ErrorItem } from './forms';
import { Notice } from './page';

type Kind = 'risk_to_patients' | 'risk_to_self';

/**
 * The rare record of breaking confidentiality (POST /intakes/:id/escalations): intake staff and admins record it
 * here; only admins can read it back, and nothing is sent to the caller.
 */
export function EscalationForm({ intakeId }: { intakeId: string }) {
  const [kind, setKind] = useState<Kind | ''>('');
  const [summary, setSummary] = useState('');
  const [actionTaken, setActionTaken] = useState('');
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: ErrorItem[] = [];
    if (!kind) errs.push({ id: 'escalation-kind', text: 'Select what the risk is' });
    if (!summary.trim()) errs.push({ id: 'escalation-summary', text: 'Enter what happened' });
    if (!actionTaken.trim()) errs.push({ id: 'escalation-action', text: 'Enter what was done about it' });
    setErrors(errs);
    if (errs.length) return;
    setBusy(true);
    try {
      const res = await ok(
        api.POST('/api/v1/intakes/{id}/escalations', {
          params: { path: { id: intakeId } },
          body: { kind: kind as Kind, summary: summary.trim(), actionTaken: actionTaken.trim() },
        }),
      );
      setSaved(res.createdAt);
      setKind('');
      setSummary('');
      setActionTaken('');
    } catch (err) {
      const ids: Record<string, string> = {
        kind: 'escalation-kind',
        summary: 'escalation-summary',
        actionTaken: 'escalation-action',
      };
      setErrors(problemErrors(problemOf(err), (f) => ids[f]));
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="details" data-testid="escalation">
      <summary className="details__summary">Record an escalation (risk to patients or to the caller)</summary>
      <form onSubmit={submit} noValidate className="details__text" aria-label="Record an escalation">
        {saved && (
          <Notice kind="success" title="Escalation recorded">
            <p className="body" role="status">
              Only administrators can read it. Nothing was sent to the caller.
            </p>
          </Notice>
        )}
        <ErrorSummary errors={errors} title="The escalation was not recorded" />
        <Radios
          id="escalation-kind"
          legend="What is the risk?"
          options={[
            { value: 'risk_to_patients', label: 'Risk to patients' },
            { value: 'risk_to_self', label: 'Risk to the caller themselves' },
          ]}
          value={kind}
          onChange={setKind}
          error={errorFor(errors, 'escalation-kind')}
        />
        <TextArea
          id="escalation-summary"
          label="What happened"
          hint="Facts only. Admins read this; the caller is not sent anything."
          value={summary}
          onChange={(e) => setSummary(e.target.value)}
          error={errorFor(errors, 'escalation-summary')}
        />
        <TextArea
          id="escalation-action"
          label="Action taken"
          hint="Who was told, and when."
          value={actionTaken}
          onChange={(e) => setActionTaken(e.target.value)}
          error={errorFor(errors, 'escalation-action')}
        />
        <button type="submit" className="button button--warning" disabled={busy}>
          Record the escalation
        </button>
      </form>
    </details>
  );
}
