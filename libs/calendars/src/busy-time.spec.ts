import { busyIntervals, isOurs } from './busy-time';

const cal = (...events: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', ...events, 'END:VCALENDAR', ''].join('\r\n');
const ev = (lines: string[]) => ['BEGIN:VEVENT', 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'].join('\r\n');
const ms = (iso: string) => Date.parse(iso);
const FROM = ms('2027-01-01T00:00:00Z');
const TO = ms('2027-04-01T00:00:00Z');
const iso = (r: { start: number; end: number }) => [new Date(r.start).toISOString(), new Date(r.end).toISOString()];

describe('busyIntervals', () => {
  it('a plain opaque event is busy; transparent and cancelled ones are not', () => {
    const { intervals } = busyIntervals(
      [
        cal(ev(['UID:a', 'DTSTART:20270104T090000Z', 'DTEND:20270104T100000Z'])),
        cal(ev(['UID:b', 'DTSTART:20270105T090000Z', 'DTEND:20270105T100000Z', 'TRANSP:TRANSPARENT'])),
        cal(ev(['UID:c', 'DTSTART:20270106T090000Z', 'DTEND:20270106T100000Z', 'STATUS:CANCELLED'])),
      ],
      FROM,
      TO,
      'Europe/London',
    );
    expect(intervals.map(iso)).toEqual([['2027-01-04T09:00:00.000Z', '2027-01-04T10:00:00.000Z']]);
    expect(intervals[0].sourceUid).toBe('a');
  });

  it('events outside [from, to) are left out; one touching an edge is out too', () => {
    const { intervals } = busyIntervals(
      [
        cal(
          ev(['UID:a', 'DTSTART:20261231T230000Z', 'DTEND:20270101T000000Z']),
          ev(['UID:b', 'DTSTART:20270401T000000Z', 'DTEND:20270401T010000Z']),
        ),
      ],
      FROM,
      TO,
      'UTC',
    );
    expect(intervals).toEqual([]);
  });

  it('expands a weekly rule across the March DST change in its own zone, with EXDATE and a moved occurrence', () => {
    const master = ev([
      'UID:rota',
      'DTSTART;TZID=Europe/London:20270315T180000',
      'DTEND;TZID=Europe/London:20270315T200000',
      'RRULE:FREQ=WEEKLY;COUNT=4',
      'EXDATE;TZID=Europe/London:20270322T180000',
    ]);
    const moved = ev([
      'UID:rota',
      'RECURRENCE-ID;TZID=Europe/London:20270405T180000',
      'DTSTART;TZID=Europe/London:20270405T070000',
      'DTEND;TZID=Europe/London:20270405T080000',
    ]);
    const { intervals } = busyIntervals([cal(master, moved)], FROM, ms('2027-05-01T00:00:00Z'), 'UTC');
    expect(intervals.map(iso)).toEqual([
      ['2027-03-15T18:00:00.000Z', '2027-03-15T20:00:00.000Z'], // GMT
      ['2027-03-29T17:00:00.000Z', '2027-03-29T19:00:00.000Z'], // BST: same wall clock, an hour earlier in UTC
      ['2027-04-05T06:00:00.000Z', '2027-04-05T07:00:00.000Z'], // the moved one
    ]);
    expect(new Set(intervals.map((i) => i.sourceUid)).size).toBe(3);
  });

  it('a cancelled occurrence of a recurring event is free, the others busy', () => {
    const master = ev(['UID:r', 'DTSTART:20270104T090000Z', 'DTEND:20270104T100000Z', 'RRULE:FREQ=DAILY;COUNT=3']);
    const cancelled = ev([
      'UID:r',
      'RECURRENCE-ID:20270105T090000Z',
      'DTSTART:20270105T090000Z',
      'DTEND:20270105T100000Z',
      'STATUS:CANCELLED',
    ]);
    const { intervals } = busyIntervals([cal(master, cancelled)], FROM, TO, 'UTC');
    expect(intervals.map((i) => iso(i)[0])).toEqual(['2027-01-04T09:00:00.000Z', '2027-01-06T09:00:00.000Z']);
  });

  it('an endless rule is expanded only up to `to`', () => {
    const { intervals } = busyIntervals(
      [cal(ev(['UID:d', 'DTSTART:20200101T120000Z', 'DURATION:PT30M', 'RRULE:FREQ=DAILY']))],
      FROM,
      TO,
      'UTC',
    );
    expect(intervals).toHaveLength(90); // Jan 31 + Feb 28 + Mar 31
    expect(iso(intervals[0])).toEqual(['2027-01-01T12:00:00.000Z', '2027-01-01T12:30:00.000Z']);
  });

  it("all-day and floating events are read in the supporter's zone", () => {
    const { intervals } = busyIntervals(
      [
        cal(
          ev(['UID:day', 'DTSTART;VALUE=DATE:20270701', 'DTEND;VALUE=DATE:20270702']),
          ev(['UID:fl', 'DTSTART:20270702T090000', 'DTEND:20270702T100000']),
        ),
      ],
      ms('2027-06-01T00:00:00Z'),
      ms('2027-08-01T00:00:00Z'),
      'Europe/London',
    );
    expect(intervals.map(iso)).toEqual([
      ['2027-06-30T23:00:00.000Z', '2027-07-01T23:00:00.000Z'],
      ['2027-07-02T08:00:00.000Z', '2027-07-02T09:00:00.000Z'],
    ]);
  });

  it('a TZID defined only by the calendar’s VTIMEZONE uses that definition', () => {
    const vtz = [
      'BEGIN:VTIMEZONE',
      'TZID:Custom Plus Two',
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      'TZOFFSETFROM:+0200',
      'TZOFFSETTO:+0200',
      'END:STANDARD',
      'END:VTIMEZONE',
    ].join('\r\n');
    const { intervals } = busyIntervals(
      [
        cal(
          vtz,
          ev(['UID:x', 'DTSTART;TZID=Custom Plus Two:20270110T120000', 'DTEND;TZID=Custom Plus Two:20270110T130000']),
        ),
      ],
      FROM,
      TO,
      'UTC',
    );
    expect(intervals.map(iso)).toEqual([['2027-01-10T10:00:00.000Z', '2027-01-10T11:00:00.000Z']]);
  });

  it('an object that does not parse is counted and skipped', () => {
    const r = busyIntervals(
      ['not a calendar', cal(ev(['UID:a', 'DTSTART:20270104T090000Z', 'DTEND:20270104T100000Z']))],
      FROM,
      TO,
      'UTC',
    );
    expect(r.unreadable).toBe(1);
    expect(r.intervals).toHaveLength(1);
  });

  it('our own events (a booking written into the calendar, or the filed invite) are not busy time; look-alikes are', () => {
    const b = '0b6f3c5e-2d4a-4c1e-9f7a-1a2b3c4d5e6f';
    const s = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
    const at = (uid: string, day: string) =>
      ev([`UID:${uid}`, `DTSTART:202701${day}T090000Z`, `DTEND:202701${day}T100000Z`]);
    const r = busyIntervals(
      [
        cal(at(`${b}.calendar.${s}@support-line`, '04')),
        cal(at(`${b}.supporter.${s}@support-line`, '05')),
        cal(at(`x${b}.calendar.${s}@support-line`, '06')),
        cal(at(`${b}.calendar.${s}@support-line.example`, '07')),
        cal(at(`${b}@support-line`, '08')),
      ],
      FROM,
      TO,
      'UTC',
    );
    expect(r.intervals.map((i) => new Date(i.start).toISOString().slice(0, 10))).toEqual([
      '2027-01-06',
      '2027-01-07',
      '2027-01-08',
    ]);
    expect(isOurs(`${b}.calendar.${s}@support-line`)).toBe(true);
    expect(isOurs('')).toBe(false);
  });
});
