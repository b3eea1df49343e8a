import {
  BOOKING_MESSAGE_KINDS,
  BookingMessageData,
  renderAcknowledgement,
  renderBookingEmail,
  renderBookingSms,
  telHref,
} from './templates';

const base: BookingMessageData = {
  reference: 'PS-7K3Q-9D',
  start: new Date('2027-03-28T17:00:00.000Z'),
  end: new Date('2027-03-28T17:50:00.000Z'),
  modality: 'phone',
  timeZone: 'Europe/London',
  supporterFirstName: 'Priya',
  manageUrl: 'https://support.example/manage/tok',
};
const PHONE = '0800 123 4567';

describe("the line's own number in messages (policies' supportLinePhone)", () => {
  it.each([
    ['0800 123 4567', 'tel:08001234567'],
    ['+44 20 7946 0000', 'tel:+442079460000'],
    ['(020) 7946-0000', 'tel:02079460000'],
  ])('telHref(%s) = %s', (phone, href) => {
    expect(telHref(phone)).toBe(href);
  });

  it.each(BOOKING_MESSAGE_KINDS)(
    '%s: the e-mail gives it, as a tel: link in HTML; the SMS and Notify fields give it',
    (kind) => {
      const d = { ...base, manageUrl: kind === 'cancellation' ? null : base.manageUrl, supportLinePhone: PHONE };
      const e = renderBookingEmail(kind, d);
      expect(e.text).toContain(PHONE);
      expect(e.html).toContain(`<a href="tel:08001234567">${PHONE}</a>`);
      const s = renderBookingSms(kind, d);
      expect(s.text).toContain(PHONE);
      expect(s.personalisation.support_line).toBe(PHONE);
    },
  );

  it.each(BOOKING_MESSAGE_KINDS)('%s: with no number set, none is given and the words stay as before', (kind) => {
    const d = { ...base, manageUrl: kind === 'cancellation' ? null : base.manageUrl };
    for (const phone of [undefined, null]) {
      const e = renderBookingEmail(kind, { ...d, supportLinePhone: phone });
      expect(e).toEqual(renderBookingEmail(kind, d));
      expect(e.html).not.toContain('tel:');
      expect(renderBookingSms(kind, { ...d, supportLinePhone: phone }).personalisation.support_line).toBe('');
    }
  });

  it('a cancellation tells the caller which number to ring for another time', () => {
    const d = { ...base, manageUrl: null, supportLinePhone: PHONE };
    expect(renderBookingEmail('cancellation', d).text).toContain(
      `call the support line on ${PHONE} and we will find another time`,
    );
    expect(renderBookingSms('cancellation', d).text).toContain(`Call us on ${PHONE} if you would still like support.`);
  });

  it('a web request acknowledgement gives the number (tel: link) and still the emergency advice', () => {
    const a = renderAcknowledgement({ reference: 'RQ-7K3Q-9D', callbackWorkingHours: 24, supportLinePhone: PHONE });
    expect(a.text).toContain(`If you need us before then, call the support line on ${PHONE}`);
    expect(a.html).toContain(`<a href="tel:08001234567">${PHONE}</a>`);
    expect(a.sms.text).toContain(`Support line ${PHONE}.`);
    expect(a.sms.text).toContain('In an emergency call 999.');
    const without = renderAcknowledgement({ reference: 'RQ-7K3Q-9D', callbackWorkingHours: 24 });
    expect(without.text).not.toContain('If you need us before then');
  });

  it('a number with HTML in it cannot break the e-mail (escaped in text and link)', () => {
    const e = renderBookingEmail('confirmation', { ...base, supportLinePhone: '0800<b>1' });
    expect(e.html).not.toContain('<b>');
  });
});
