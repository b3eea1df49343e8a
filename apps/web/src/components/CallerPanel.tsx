import { api } from '../api-clients';
import { ok } from '../api/client';
import type { Intake } from '../api/types';
import { useLoad } from '../hooks';
import { formatTime, formatWhen } from '../time';
import { Loading, label } from './page';

/**
 * Who to call back and how: the caller's contact details, read through the audited caller endpoint
 * (GET /callers/:id, an audit event each time), with this intake's preferences and when they consented.
 */
export function CallerPanel({ intake, staffZone }: { intake: Intake; staffZone: string }) {
  const caller = useLoad(
    () => ok(api.GET('/api/v1/callers/{id}', { params: { path: { id: intake.callerId } } })),
    [intake.callerId],
  );
  const prefs = intake.preferences;
  const preferences = [
    prefs.modality && `by ${prefs.modality}`,
    prefs.supporterGender && `${prefs.supporterGender} supporter`,
    prefs.languages?.length && `speaks ${prefs.languages.join(', ')}`,
    prefs.sameSpecialty && prefs.sameSpecialty !== 'any' && `${prefs.sameSpecialty} the same specialty`,
  ].filter(Boolean) as string[];

  return (
    <section className="caller-panel" aria-labelledby="caller-panel-title" data-testid="caller-panel">
      <h2 className="heading-m" id="caller-panel-title">
        Caller
      </h2>
      {caller.error && (
        <p className="body">
          {caller.error.status === 404
            ? 'This caller’s details have been erased.'
            : (caller.error.detail ?? 'The caller’s details could not be loaded.')}
        </p>
      )}
      {!caller.data && !caller.error && <Loading what="Loading the caller" />}
      {caller.data && (
        <dl className="summary-list">
          <div className="summary-list__row">
            <dt>Name</dt>
            <dd data-testid="caller-name">{caller.data.name ?? 'Erased'}</dd>
          </div>
          <div className="summary-list__row">
            <dt>Phone</dt>
            <dd>
              {caller.data.phone ? (
                <a href={`tel:${caller.data.phone}`} data-testid="caller-phone">
                  {caller.data.phone}
                </a>
              ) : (
                'None'
              )}
            </dd>
          </div>
          <div className="summary-list__row">
            <dt>E-mail</dt>
            <dd data-testid="caller-email">
              {caller.data.email ? <a href={`mailto:${caller.data.email}`}>{caller.data.email}</a> : 'None given'}
            </dd>
          </div>
          <div className="summary-list__row">
            <dt>Time zone</dt>
            <dd data-testid="caller-zone-panel">
              {caller.data.timeZone} (their time now: {formatTime(new Date().toISOString(), caller.data.timeZone)})
            </dd>
          </div>
          <div className="summary-list__row">
            <dt>Preferences</dt>
            <dd data-testid="caller-preferences">{preferences.length ? preferences.join('; ') : 'None'}</dd>
          </div>
          <div className="summary-list__row">
            <dt>Role</dt>
            <dd>{label(caller.data.role)}</dd>
          </div>
          <div className="summary-list__row">
            <dt>Consented to the privacy notice</dt>
            <dd data-testid="caller-consent">
              {intake.consentedAt ? formatWhen(intake.consentedAt, staffZone) : 'Not recorded'}
            </dd>
          </div>
        </dl>
      )}
    </section>
  );
}
