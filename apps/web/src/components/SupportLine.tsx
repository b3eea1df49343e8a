import { useEffect, useState } from 'react';
import { publicApi } from '../api-clients';
import { ok } from '../api/client';
import type { Schemas } from '../api/client';

export type SupportLine = Schemas['SupportLineView'];

/** `tel:` link of a number as written ("0800 123 4567" → "tel:08001234567"). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

let cache: Promise<SupportLine> | null = null;
/** The line's number and the emergency numbers (GET /contact, no sign-in), fetched once per page load; null until known. */
export function useSupportLine(): SupportLine | null {
  const [line, setLine] = useState<SupportLine | null>(null);
  useEffect(() => {
    let live = true;
    cache ??= ok(publicApi.GET('/api/v1/contact'));
    cache.then(
      (l) => {
        if (live) setLine(l);
      },
      () => {
        cache = null;
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return line;
}

/** "Call the support line on 0800 123 4567", as a tel: link; nothing when no number is set. */
export function SupportLinePhone({
  line,
  before = 'Call the support line on',
}: {
  line: SupportLine | null;
  before?: string;
}) {
  if (!line?.supportLinePhone) return null;
  return (
    <p className="body" data-testid="support-line-phone">
      {before}{' '}
      <a href={telHref(line.supportLinePhone)} className="nowrap">
        {line.supportLinePhone}
      </a>
      .
    </p>
  );
}

/** The emergency numbers, each a tel: link. */
export function EmergencyNumbers({ line }: { line: SupportLine | null }) {
  if (!line?.emergencyNumbers.length) return null;
  return (
    <ul className="list list--bullet" data-testid="emergency-numbers" aria-label="Emergency numbers">
      {line.emergencyNumbers.map((e) => (
        <li key={`${e.label}-${e.number}`}>
          {e.label}:{' '}
          <a href={telHref(e.number)} className="nowrap">
            {e.number}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** The line's number for a page that has not loaded it itself. */
export function SupportLineCall({ before }: { before?: string }) {
  return <SupportLinePhone line={useSupportLine()} before={before} />;
}
