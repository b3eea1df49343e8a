/**
 * A hand-written iCalendar (RFC 5545) invite for one booking: pure, no I/O.
 * Written by hand rather than with a library so that exactly what we send is
 * visible here: the organiser is the service, the only attendee is the
 * recipient, and nothing else about the caller goes in.
 */

export type IcsMethod = 'REQUEST' | 'CANCEL';

export interface IcsEvent {
  method: IcsMethod;
  /** Stable per booking, e.g. `<bookingId>@support-line`. */
  uid: string;
  /** 0 at first, raised on each reschedule and at the cancel. */
  sequence: number;
  start: Date;
  end: Date;
  /** When this version of the invite was written (DTSTAMP). */
  stamp: Date;
  summary: string;
  description: string;
  location?: string;
  url?: string;
  organizer: { name?: string; email: string };
  attendeeEmail: string;
}

const CRLF = '\r\n';

export function bookingUid(bookingId: string): string {
  return `${bookingId}@support-line`;
}

/** 2027-03-28T17:00:00.000Z → 20270328T170000Z */
export function formatUtc(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** TEXT value escaping (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** A parameter value: quoted when it holds ; : or , (RFC 5545 §3.2); DQUOTE itself is not allowed. */
function paramValue(value: string): string {
  const clean = value.replace(/["\r\n]/g, '');
  return /[;:,]/.test(clean) ? `"${clean}"` : clean;
}

/**
 * Folds a content line so that no physical line exceeds 75 octets (§3.1):
 * continuation lines begin with one space, which counts towards their 75,
 * and a multi-byte UTF-8 character is never split.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      out.push(current);
      current = ' ';
      octets = 1;
      limit = 75;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join(CRLF);
}

export function renderIcs(e: IcsEvent): string {
  const cancelled = e.method === 'CANCEL';
  const organizerCn = e.organizer.name ? `;CN=${paramValue(e.organizer.name)}` : '';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Doctors Support Line//Bookings//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${e.method}`,
    'BEGIN:VEVENT',
    `UID:${e.uid}`,
    `SEQUENCE:${e.sequence}`,
    `DTSTAMP:${formatUtc(e.stamp)}`,
    `DTSTART:${formatUtc(e.start)}`,
    `DTEND:${formatUtc(e.end)}`,
    `SUMMARY:${escapeText(e.summary)}`,
    `DESCRIPTION:${escapeText(e.description)}`,
    ...(e.location ? [`LOCATION:${escapeText(e.location)}`] : []),
    ...(e.url ? [`URL:${e.url}`] : []),
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    `ORGANIZER${organizerCn}:mailto:${e.organizer.email}`,
    `ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:${e.attendeeEmail}`,
    ...(cancelled
      ? []
      : ['BEGIN:VALARM', 'ACTION:DISPLAY', `DESCRIPTION:${escapeText(e.summary)}`, 'TRIGGER:-PT30M', 'END:VALARM']),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}

/** `Peer Support <no-reply@localhost>` → { name: 'Peer Support', email: 'no-reply@localhost' }. */
export function parseMailbox(value: string): { name?: string; email: string } {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(value);
  if (m) return { ...(m[1].trim() ? { name: m[1].trim() } : {}), email: m[2].trim() };
  return { email: value.trim() };
}
