import { api } from '../api-clients';
import { ok } from '../api/client';
import { useLoad } from '../hooks';
import { Link } from '../router';
import { formatWhen } from '../time';
import { Notice } from './page';

/**
 * What the week owes to a connected calendar. The API gives only how many
 * busy times it holds, not the times themselves, so they are counted here
 * rather than drawn on the days.
 */
export function CalendarNote({
  supporterId,
  zone,
  profileHref,
}: {
  supporterId: string;
  zone: string;
  profileHref: string;
}) {
  const status = useLoad(
    () => ok(api.GET('/api/v1/supporters/{id}/calendar', { params: { path: { id: supporterId } } })),
    [supporterId],
  );
  const s = status.data;
  if (!s?.connected) return null;
  const count = `${s.busyBlocks} busy ${s.busyBlocks === 1 ? 'time' : 'times'}`;
  return (
    <div data-testid="calendar-note">
      <p className="body">
        Your own calendar is connected: {count} from it
        {s.lastSyncAt ? ` (read ${formatWhen(s.lastSyncAt, zone)})` : ''} are not offered to callers.{' '}
        <Link href={profileHref}>Calendar settings</Link>
      </p>
      {(s.stale || s.lastError) && (
        <Notice kind="warning">
          {s.lastError ? `Your calendar could not be read: ${s.lastError.text} ` : ''}
          {s.stale ? 'Its busy time may be out of date.' : ''}
        </Notice>
      )}
    </div>
  );
}
