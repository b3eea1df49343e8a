import { bookingUid, escapeText, foldLine, formatUtc, parseMailbox, renderIcs, IcsEvent } from './ics';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ICAL = require('ical.js');

const base: IcsEvent = {
  method: 'REQUEST',
  uid: bookingUid('5d1f3c1e-8c53-4b0e-9d1a-0a8c3f2b7e11'),
  sequence: 0,
  start: new Date('2027-03-28T17:00:00.000Z'),
  end: new Date('2027-03-28T17:50:00.000Z'),
  stamp: new Date('2027-03-20T09:15:00.000Z'),
  summary: 'Support session (PS-7K3Q-9D)',
  description: 'Your supporter will phone you.\nReference: PS-7K3Q-9D',
  location: 'By phone',
  url: 'http://localhost:3000/manage/abc',
  organizer: { name: 'Peer Support', email: 'no-reply@localhost' },
  attendeeEmail: 'caller@example.org',
};

function parse(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  const vevent = cal.getFirstSubcomponent('vevent');
  return { cal, vevent, event: new ICAL.Event(vevent) };
}

describe('renderIcs', () => {
  it('parses back with ical.js: METHOD, UID, SEQUENCE, UTC DTSTART/DTEND, STATUS', () => {
    const { cal, vevent, event } = parse(renderIcs(base));
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(event.uid).toBe('5d1f3c1e-8c53-4b0e-9d1a-0a8c3f2b7e11@support-line');
    expect(event.sequence).toBe(0);
    expect(event.startDate.zone.tzid).toBe('UTC');
    expect(event.startDate.toJSDate().toISOString()).toBe('2027-03-28T17:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2027-03-28T17:50:00.000Z');
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(event.summary).toBe('Support session (PS-7K3Q-9D)');
    expect(event.description).toBe('Your supporter will phone you.\nReference: PS-7K3Q-9D');
  });

  it('writes DTSTART/DTEND literally in UTC form', () => {
    const ics = renderIcs(base);
    expect(ics).toContain('\r\nDTSTART:20270328T170000Z\r\n');
    expect(ics).toContain('\r\nDTEND:20270328T175000Z\r\n');
    expect(formatUtc(new Date('2027-10-31T01:30:00.000Z'))).toBe('20271031T013000Z');
  });

  it('a cancel is METHOD:CANCEL with STATUS:CANCELLED, the same UID and the given SEQUENCE', () => {
    const { cal, vevent, event } = parse(renderIcs({ ...base, method: 'CANCEL', sequence: 2 }));
    expect(cal.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(event.uid).toBe(base.uid);
    expect(event.sequence).toBe(2);
  });

  it('the organiser is the service and the only attendee is the recipient', () => {
    const { vevent } = parse(renderIcs(base));
    expect(vevent.getFirstPropertyValue('organizer')).toBe('mailto:no-reply@localhost');
    expect(vevent.getFirstProperty('organizer').getParameter('cn')).toBe('Peer Support');
    const attendees = vevent.getAllProperties('attendee');
    expect(attendees).toHaveLength(1);
    expect(attendees[0].getFirstValue()).toBe('mailto:caller@example.org');
    expect(attendees[0].getParameter('cn')).toBeUndefined();
  });

  it('uses CRLF line ends only, and no line is longer than 75 octets', () => {
    const long = { ...base, description: 'é'.repeat(100) + ' ' + 'x, y; z\\'.repeat(30) };
    const ics = renderIcs(long);
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(parse(ics).event.description).toBe(long.description);
  });
});

describe('escapeText', () => {
  it.each([
    ['a,b', 'a\\,b'],
    ['a;b', 'a\\;b'],
    ['a\\b', 'a\\\\b'],
    ['line 1\nline 2', 'line 1\\nline 2'],
    ['line 1\r\nline 2', 'line 1\\nline 2'],
    ['plain', 'plain'],
  ])('%j → %j', (input, out) => {
    expect(escapeText(input)).toBe(out);
  });
});

describe('foldLine', () => {
  it('leaves a 75-octet line alone', () => {
    const line = 'X'.repeat(75);
    expect(foldLine(line)).toBe(line);
  });

  it('folds at 75 octets with a leading space on continuation lines, which unfold to the original', () => {
    const line = 'DESCRIPTION:' + 'abcdefghij'.repeat(20);
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(2);
    expect(Buffer.byteLength(parts[0])).toBe(75);
    for (const p of parts.slice(1)) expect(p.startsWith(' ')).toBe(true);
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(line);
  });

  it('never splits a multi-byte character', () => {
    const line = 'SUMMARY:' + '€'.repeat(60);
    const parts = foldLine(line).split('\r\n');
    for (const p of parts) {
      expect(Buffer.byteLength(p)).toBeLessThanOrEqual(75);
      expect(p).not.toContain('\uFFFD');
      expect(Buffer.from(p, 'utf8').toString('utf8')).toBe(p);
    }
    expect(parts.join('\r\n').replace(/\r\n /g, '')).toBe(line);
  });
});

describe('parseMailbox', () => {
  it.each([
    ['Peer Support <no-reply@localhost>', { name: 'Peer Support', email: 'no-reply@localhost' }],
    ['"Support, Line" <a@b.org>', { name: 'Support, Line', email: 'a@b.org' }],
    ['a@b.org', { email: 'a@b.org' }],
  ])('%s', (input, out) => {
    expect(parseMailbox(input)).toEqual(out);
  });

  it('quotes a CN that holds a comma', () => {
    const ics = renderIcs({ ...base, organizer: { name: 'Support, Line', email: 'a@b.org' } });
    expect(ics).toContain('ORGANIZER;CN="Support, Line":mailto:a@b.org');
  });
});
