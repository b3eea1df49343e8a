import { api } from '../api-clients';
import { ok } from '../api/client';
import { useLoad } from '../hooks';
import { Link } from '../router';
import { formatWhen } from '../time';
import { Notice } from './page';

/**
 * What the week owes to a connected calendar: when it was last read, and a
 * warning when that read is old or failed. The busy times themselves are drawn
 * on the days (GET /supporters/:id/calendar/busy).
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
        Your own calendar is connected: its busy times ({count} in all
        {s.lastSyncAt ? `, read ${formatWhen(s.lastSyncAt, zone)}` : ''}) are shown on the days as “Busy in your
        calendar” and are not offered to callers. <Link href={profileHref}>Calendar settings</Link>
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
