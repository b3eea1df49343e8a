import type { EntityManager } from 'typeorm';
import type { PoliciesService } from '@app/policies';
import type { AppConfig } from '@app/common';
import { NewOutboxMessage, NotificationsRepository } from './notifications.repository';
import { MessageRenderer } from './message-renderer';
import { NotificationsService } from './notifications.service';
import {
  BOOKING_MESSAGE_KINDS,
  BookingMessageData,
  firstName,
  formatWhen,
  renderBookingEmail,
  renderBookingSms,
} from './templates';

const data: BookingMessageData = {
  reference: 'PS-7K3Q-9D',
  start: new Date('2027-03-28T17:00:00.000Z'),
  end: new Date('2027-03-28T17:50:00.000Z'),
  modality: 'phone',
  timeZone: 'Europe/London',
  supporterFirstName: 'Priya',
  manageUrl: 'https://support.example/manage/tok_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};

/** iCalendar content lines as written before folding. */
const unfold = (ics: string | null) => (ics ?? '').replace(/\r\n /g, '');

/** Every rendering of every template, as one string each. */
function allRenderings(d: BookingMessageData): { name: string; text: string }[] {
  return BOOKING_MESSAGE_KINDS.flatMap((kind) => {
    const e = renderBookingEmail(kind, d);
    const s = renderBookingSms(kind, d);
    return [
      { name: `${kind} email subject`, text: e.subject },
      { name: `${kind} email text`, text: e.text },
      { name: `${kind} email html`, text: e.html },
      { name: `${kind} sms`, text: s.text },
      { name: `${kind} sms personalisation`, text: JSON.stringify(s.personalisation) },
    ];
  });
}

describe('formatWhen', () => {
  it("shows the caller's local time and names the zone (British Summer Time begins that morning)", () => {
    expect(formatWhen(data.start, data.end, 'Europe/London')).toBe(
      'Sunday 28 March 2027, 18:00–18:50 (Europe/London time)',
    );
  });

  it('a caller elsewhere sees their own time', () => {
    expect(formatWhen(data.start, data.end, 'America/New_York')).toBe(
      'Sunday 28 March 2027, 13:00–13:50 (America/New_York time)',
    );
  });

  it('a session over midnight names both days', () => {
    expect(formatWhen(new Date('2027-01-10T23:30:00Z'), new Date('2027-01-11T00:20:00Z'), 'Europe/London')).toBe(
      'Sunday 10 January 2027, 23:30 – Monday 11 January 2027, 00:20 (Europe/London time)',
    );
  });
});

describe('firstName', () => {
  it.each([
    ['Dr Priya Shah', 'Priya'],
    ['Prof. Ann Lee', 'Ann'],
    ['Sam', 'Sam'],
    ['Dr Test Supporter', 'Test'],
  ])('%s → %s', (name, first) => {
    expect(firstName(name)).toBe(first);
  });
});

describe('booking message templates', () => {
  it.each(BOOKING_MESSAGE_KINDS)('%s: says when (caller zone, named), the reference, and how', (kind) => {
    const e = renderBookingEmail(kind, data);
    expect(e.text).toContain('Sunday 28 March 2027, 18:00–18:50 (Europe/London time)');
    expect(e.text).toContain('PS-7K3Q-9D');
    expect(e.subject).toContain('PS-7K3Q-9D');
    expect(e.html).toContain('PS-7K3Q-9D');
    const sms = renderBookingSms(kind, data);
    expect(sms.text).toContain('PS-7K3Q-9D');
    expect(sms.text).toContain('(Europe/London time)');
    if (kind !== 'cancellation') {
      expect(e.text).toContain('Your supporter will phone you');
      expect(sms.text).toContain('Your supporter will phone you');
      expect(e.text).toContain(data.manageUrl!);
      expect(e.html).toContain(data.manageUrl!);
      expect(sms.text).toContain(data.manageUrl!);
    }
  });

  it('video sessions say a link will come', () => {
    const e = renderBookingEmail('confirmation', { ...data, modality: 'video' });
    expect(e.text).toContain('You will get a video link');
    expect(e.text).not.toContain('phone you');
    expect(renderBookingSms('confirmation', { ...data, modality: 'video' }).text).toContain(
      'You will get a video link',
    );
  });

  it('say how to change the booking: the manage link and the reference', () => {
    const e = renderBookingEmail('confirmation', data);
    expect(e.text).toMatch(/To cancel, or to see your booking, open https:\/\/support\.example\/manage\//);
    expect(e.text).toContain('quote your reference');
  });

  it('a cancellation without a link says so without one', () => {
    const e = renderBookingEmail('cancellation', { ...data, manageUrl: null });
    expect(e.text).toContain('cancelled');
    expect(e.text).not.toContain('/manage/');
    expect(renderBookingSms('cancellation', { ...data, manageUrl: null }).text).not.toContain('/manage/');
  });

  it('escapes HTML in the HTML body', () => {
    const e = renderBookingEmail('confirmation', { ...data, supporterFirstName: '<script>x</script>' });
    expect(e.html).not.toContain('<script>');
    expect(e.html).toContain('&lt;script&gt;');
  });

  it('greet no one by name', () => {
    for (const r of allRenderings(data)) expect(r.text).not.toMatch(/\b(Dear|Hello|Hi) [A-Z]/);
  });
});

describe('no caller details beyond when/how/reference reach any message', () => {
  const caller = {
    id: '0b7c9a52-4d2e-4c1a-9f9e-2f0d8c1b3a44',
    name: 'Zebedee Quonsett-Marlowe',
    phone: '+447700900123',
    email: 'zq.marlowe@nhs-caller.example',
    timeZone: 'Europe/London',
    role: 'doctor',
    specialty: 'Xenotransplant-Urology-7731',
    ethnicity: 'Ethnicity-Marker-Qx91',
    workplace: 'St Distinctive Hospital 4412',
    gender: 'Gender-Marker-Zz07',
    age: 47,
    message: 'Why-I-Called-Marker-Kk55',
    immediateDanger: false,
    gmcInvestigation: true,
    risk: 'Risk-Marker-Rr33',
  };
  const forbidden = [
    caller.specialty,
    caller.ethnicity,
    caller.workplace,
    caller.gender,
    caller.message,
    caller.risk,
    caller.name,
    'Zebedee',
    'Quonsett',
    'GMC',
    'investigation',
  ];

  async function enqueueAll(): Promise<NewOutboxMessage[]> {
    const rows: NewOutboxMessage[] = [];
    const repo = {
      insert: async (r: NewOutboxMessage[]) => void rows.push(...r),
      cancelPending: async () => 0,
    } as unknown as NotificationsRepository;
    const config = {
      publicUrl: 'https://support.example',
      mailFrom: 'Peer Support <no-reply@support.example>',
    } as AppConfig;
    const policies = { get: async () => ({ supportLinePhone: '0800 123 4567' }) } as unknown as PoliciesService;
    const service = new NotificationsService(repo, config, {} as never, policies, new MessageRenderer(config));
    const booking = {
      id: '9a0c2b4e-1f3d-4e5a-8b6c-7d8e9f0a1b2c',
      reference: 'PS-7K3Q-9D',
      startsAt: new Date(Date.now() + 10 * 86_400_000),
      endsAt: new Date(Date.now() + 10 * 86_400_000 + 50 * 60_000),
      modality: 'video' as const,
      sequence: 0,
    };
    for (const kind of ['confirmation', 'reschedule', 'cancellation'] as const) {
      // The whole caller record, as a careless caller of the service might pass it.
      await service.enqueueBookingMessages({} as EntityManager, {
        kind,
        booking,
        caller: caller,
        supporterDisplayName: 'Dr Priya Shah',
        manageToken: kind === 'cancellation' ? null : 'x'.repeat(43),
      });
    }
    return rows;
  }

  it('covers every booking template on both channels', async () => {
    const rows = await enqueueAll();
    const seen = new Set(rows.map((r) => `${r.kind}/${r.channel}`));
    for (const kind of BOOKING_MESSAGE_KINDS) {
      expect(seen).toContain(`${kind}/email`);
      expect(seen).toContain(`${kind}/sms`);
    }
  });

  it('no subject, body, HTML, invite or Notify field mentions specialty, ethnicity, workplace, risk, why they called or their name', async () => {
    const rows = await enqueueAll();
    for (const r of rows) {
      const everything = [r.subject, r.bodyText, r.bodyHtml, unfold(r.ics), JSON.stringify(r.personalisation)].join(
        '\n',
      );
      for (const word of forbidden) expect(everything.toLowerCase()).not.toContain(word.toLowerCase());
    }
  });

  it('the invite names only the recipient: the caller e-mail as ATTENDEE, no other caller detail', async () => {
    const rows = await enqueueAll();
    const withInvite = rows.filter((r) => r.ics);
    expect(withInvite.length).toBeGreaterThan(0);
    for (const r of withInvite) {
      expect(unfold(r.ics)).toContain(
        'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:zq.marlowe@nhs-caller.example',
      );
      expect(unfold(r.ics)).not.toContain(caller.phone);
    }
  });

  it('the phone number is only the SMS recipient, never in a body', async () => {
    const rows = await enqueueAll();
    for (const r of rows) {
      expect([r.subject, r.bodyText, r.bodyHtml, unfold(r.ics)].join('\n')).not.toContain('7700900123');
      if (r.channel === 'sms') expect(r.recipient).toBe(caller.phone);
    }
  });

  it.each(BOOKING_MESSAGE_KINDS)('%s rendered directly holds none of them either', (kind) => {
    const text = [renderBookingEmail(kind, data), renderBookingSms(kind, data)]
      .map((x) => JSON.stringify(x))
      .join('\n');
    for (const word of forbidden) expect(text.toLowerCase()).not.toContain(word.toLowerCase());
  });
});
