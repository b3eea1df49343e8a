import { useEffect, useRef, useState } from 'react';
import { api } from '../api-clients';
import { ok, problemOf, type Problem } from '../api/client';
import type { Slot } from '../api/types';
import { addDays, formatDay, formatRange, localParts, zonedToUtc } from '../time';
import { TextInput } from './forms';
import { Loading } from './page';

const DAYS_PER_PAGE = 7;
/** The slots endpoint answers at most 92 days at once (and nothing past the booking horizon). */
const MAX_DAYS = 91;

/**
 * Every free time of one supporter, day by day, from a chosen date: the slots endpoint with the caller's
 * zone, so a peer's times are only those inside sociable hours in both zones (the API applies the one rule;
 * nothing is filtered here). "More times" adds the next week, up to the booking horizon.
 */
export function SlotPicker({
  supporterId,
  displayName,
  staffZone,
  callerZone,
  supporterZone,
  disabled,
  onPick,
}: {
  supporterId: string;
  displayName: string;
  staffZone: string;
  callerZone?: string;
  /** The supporter's own zone, shown beside when it is not the staff's. */
  supporterZone?: string;
  disabled?: boolean;
  onPick: (slot: Slot) => void;
}) {
  const today = localParts(Date.now(), staffZone).date;
  const [from, setFrom] = useState(today);
  const [days, setDays] = useState(DAYS_PER_PAGE);
  const [slots, setSlots] = useState<Slot[] | null>(null);
  const [error, setError] = useState<Problem | null>(null);
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);
  const base = `slots-${supporterId}`;
  const validDate = /^\d{4}-\d{2}-\d{2}$/.test(from);

  useEffect(() => {
    if (!validDate) return;
    const n = ++latest.current;
    setLoading(true);
    const start = zonedToUtc(from, '00:00', staffZone);
    const end = zonedToUtc(addDays(from, days), '00:00', staffZone);
    const query = {
      from: start.toISOString(),
      to: end.toISOString(),
      ...(callerZone ? { callerTimeZone: callerZone } : {}),
    };
    ok(api.GET('/api/v1/supporters/{id}/slots', { params: { path: { id: supporterId }, query } })).then(
      (r) => {
        if (n !== latest.current) return;
        setSlots(r.slots);
        setError(null);
        setLoading(false);
      },
      (err) => {
        if (n !== latest.current) return;
        setError(problemOf(err));
        setLoading(false);
      },
    );
  }, [supporterId, from, days, staffZone, callerZone, validDate]);

  const byDay = new Map<string, Slot[]>();
  for (let d = 0; d < days; d++) byDay.set(addDays(from, d), []);
  for (const s of slots ?? []) byDay.get(localParts(s.start, staffZone).date)?.push(s);
  const showCaller = callerZone && callerZone !== staffZone;
  const showSupporter = supporterZone && supporterZone !== staffZone;

  return (
    <div className="slot-picker" data-testid="slot-picker">
      <div className="slot-picker__controls">
        <TextInput
          id={`${base}-from`}
          label="Show free times from"
          hint={`Times in ${staffZone}${showSupporter ? `, the supporter's in ${supporterZone}` : ''}${showCaller ? `, the caller's in ${callerZone}` : ''}.`}
          type="date"
          min={today}
          width="medium"
          value={from}
          onChange={(e) => {
            setFrom(e.target.value || today);
            setDays(DAYS_PER_PAGE);
          }}
        />
      </div>
      {error && <p className="body error-message">{error.detail ?? 'The free times could not be loaded.'}</p>}
      {!slots && loading && <Loading what="Finding free times" />}
      {slots && (
        <div aria-live="polite" aria-busy={loading}>
          {[...byDay.entries()].map(([day, list]) => (
            <section
              key={day}
              className="slot-day"
              aria-label={`${formatDay(day)}, ${displayName}`}
              data-testid="slot-day"
            >
              <h4 className="heading-s">{formatDay(day)}</h4>
              {list.length === 0 ? (
                <p className="body-s secondary-text">No free times.</p>
              ) : (
                <ul className="slot-list">
                  {list.map((s) => (
                    <li key={s.start}>
                      <button
                        type="button"
                        className="button button--slot"
                        disabled={disabled}
                        onClick={() => onPick(s)}
                      >
                        <span className="visually-hidden">Choose {displayName}, </span>
                        {formatRange(s.start, s.end, staffZone)}
                        {showSupporter && (
                          <span className="secondary-text">
                            {' '}
                            (supporter: {formatRange(s.start, s.end, supporterZone)})
                          </span>
                        )}
                        {showCaller && (
                          <span className="secondary-text"> (caller: {formatRange(s.start, s.end, callerZone)})</span>
                        )}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ))}
          {days < MAX_DAYS ? (
            <button
              type="button"
              className="button button--secondary button--small"
              disabled={loading}
              onClick={() => setDays((d) => Math.min(MAX_DAYS, d + DAYS_PER_PAGE))}
            >
              More times<span className="visually-hidden"> with {displayName}</span>
            </button>
          ) : (
            <p className="body-s">Choose a later date above to see further ahead.</p>
          )}
        </div>
      )}
    </div>
  );
}
