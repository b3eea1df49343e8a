import { useEffect, useRef, useState } from 'react';
import { api } from '../api-clients';
import { ApiError, ok } from '../api/client';
import type { SearchHit } from '../api/types';
import { Link } from '../router';
import { browserZone, formatWhen } from '../time';
import { label } from './page';

/**
 * What the line already has for one caller: their intakes still in progress
 * (with "Continue this intake", so a returning caller does not get a second
 * one) and their upcoming sessions. Used by the search page and by the phone
 * look-up of a new call.
 */
export function CallerWork({ hit, headingLevel = 3 }: { hit: SearchHit; headingLevel?: 3 | 4 }) {
  const zone = browserZone();
  const H: 'h3' | 'h4' = headingLevel === 3 ? 'h3' : 'h4';
  const name = hit.caller.name ?? 'Caller (erased)';
  return (
    <>
      {hit.openIntakes.length > 0 && (
        <>
          <H className="heading-s">Open intakes</H>
          <ul className="list">
            {hit.openIntakes.map((i) => (
              <li key={i.id}>
                {label(i.service)}, {label(i.status).toLowerCase()}, {label(i.channel).toLowerCase()}
                {i.reference && <> ({i.reference})</>}, received {formatWhen(i.createdAt, zone)}.{' '}
                <Link href={`/intakes/${i.id}`} className="button button--small">
                  Continue this intake<span className="visually-hidden"> of {name}</span>
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
      {hit.upcomingSessions.length > 0 && (
        <>
          <H className="heading-s">Upcoming sessions</H>
          <ul className="list">
            {hit.upcomingSessions.map((b) => (
              <li key={b.id}>
                {formatWhen(b.start, zone)}, {label(b.modality).toLowerCase()},{' '}
                <span className="nowrap">{b.reference}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {hit.openIntakes.length === 0 && hit.upcomingSessions.length === 0 && (
        <p className="body">No open intake and no upcoming session.</p>
      )}
      <p className="body">
        <Link href={`/callers/${hit.caller.id}`}>
          Caller record<span className="visually-hidden"> of {name}</span>
        </Link>
      </p>
    </>
  );
}

/**
 * Looks the caller up by phone while typing (GET /search, audited, with their
 * open intakes and upcoming sessions); silently does nothing if the look-up is
 * unavailable.
 */
export function usePhoneSearch(phone: string): SearchHit[] {
  const [found, setFound] = useState<SearchHit[]>([]);
  const unavailable = useRef(false);
  useEffect(() => {
    const digits = phone.replace(/\D/g, '');
    if (unavailable.current || digits.length < 10 || !/^[\d\s+().-]+$/.test(phone.trim())) {
      setFound([]);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      ok(api.GET('/api/v1/search', { params: { query: { q: phone.trim() } }, signal: ctl.signal })).then(
        (res) => setFound(res.kind === 'phone' ? res.results : []),
        (err) => {
          if (err instanceof ApiError && (err.status === 404 || err.status === 403 || err.status === 405))
            unavailable.current = true;
          setFound([]);
        },
      );
    }, 350);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [phone]);
  return found;
}
