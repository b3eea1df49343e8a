import ICAL from 'ical.js';
import { bookingEventIcs, calendarEventUid, retryDelaySeconds } from './calendar-writer.service';

describe('calendar writes', () => {
  it('the event holds reference, time, modality and the video link, and is opaque (busy for others)', () => {
    const text = bookingEventIcs({
      uid: calendarEventUid('b1', 's1'),
      reference: 'PS-ABCD-EF',
      start: new Date('2027-03-01T10:00:00Z'),
      end: new Date('2027-03-01T10:50:00Z'),
      modality: 'video',
      sequence: 2,
      videoUrl: 'https://meet.example.org/support/room-1',
      stamp: new Date('2027-02-01T00:00:00Z'),
    });
    const ev = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!);
    expect(ev.uid).toBe('b1.calendar.s1@support-line');
    expect(ev.startDate.toJSDate().toISOString()).toBe('2027-03-01T10:00:00.000Z');
    expect(ev.endDate.toJSDate().toISOString()).toBe('2027-03-01T10:50:00.000Z');
    expect(ev.sequence).toBe(2);
    expect(ev.summary).toBe('Support session (PS-ABCD-EF)');
    expect(ev.location).toBe('https://meet.example.org/support/room-1');
    expect(ev.component.getFirstPropertyValue('transp')).toBe('OPAQUE');
    // no scheduling: an ORGANIZER or ATTENDEE would make the server send invitations of its own
    expect(text).not.toMatch(/ORGANIZER|ATTENDEE|METHOD/);
  });

  it('a phone session says so and has no URL', () => {
    const text = bookingEventIcs({
      uid: 'u',
      reference: 'PS-ABCD-EF',
      start: new Date('2027-03-01T10:00:00Z'),
      end: new Date('2027-03-01T10:50:00Z'),
      modality: 'phone',
      sequence: 0,
      videoUrl: null,
      stamp: new Date(),
    });
    expect(text).toContain('LOCATION:By phone');
    expect(text).not.toMatch(/^URL/m);
  });

  it('retries after 30 s, doubling, at most hourly', () => {
    expect([1, 2, 3, 7, 8, 9, 50].map(retryDelaySeconds)).toEqual([30, 60, 120, 1920, 3600, 3600, 3600]);
  });
});
