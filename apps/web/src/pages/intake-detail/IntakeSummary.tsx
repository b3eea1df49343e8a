// The intake at a glance: status, service, how it came in, the caller's zone and their own words.
import type { Intake } from '../../api/types';
import { Tag, label } from '../../components/page';
import { formatTime, formatWhen } from '../../time';

export function IntakeSummary({
  intake: i,
  staffZone,
  callerZone,
  supporterName,
}: {
  intake: Intake;
  staffZone: string;
  callerZone?: string;
  supporterName: (id: string) => string;
}) {
  return (
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
          {formatWhen(i.createdAt, staffZone)}{' '}
          {i.channel === 'web' ? <Tag>Web request</Tag> : <>by {label(i.channel).toLowerCase()}</>}
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
          <dd>{supporterName(i.supporterId)}</dd>
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
  );
}
