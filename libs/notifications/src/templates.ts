// One file on purpose: all the words the line sends (e-mail, SMS, invites, to callers and supporters) in one place,
// so what a message may say is reviewed in one read (see the note below).
/**
 * The words of every message to a caller: pure functions, no I/O.
 *
 * What a message may say is deliberately narrow. It gets only the fields in
 * `BookingMessageData` (when, how, reference, supporter's first name, the
 * manage link), so it cannot mention the caller's specialty, ethnicity,
 * workplace, risk or why they called: those never reach this module. It
 * greets no one by name (an e-mail or SMS can be read over a shoulder).
 */
import { WallClock, wallClockAt, wallDateText, wallTimeText } from '@app/scheduling';

export type Channel = 'email' | 'sms';
export type SupporterMessageKind = 'supporter_confirmation' | 'supporter_reschedule' | 'supporter_cancellation';
export type MessageKind =
  'confirmation' | 'reschedule' | 'cancellation' | 'reminder' | 'acknowledgement' | 'feedback' | SupporterMessageKind;
/** The kinds of message a caller gets (what the booking's and intake's message lists show). */
export type CallerMessageKind = Exclude<MessageKind, SupporterMessageKind>;
export const MESSAGE_KINDS: readonly MessageKind[] = [
  'confirmation',
  'reschedule',
  'cancellation',
  'reminder',
  'acknowledgement',
  'feedback',
  'supporter_confirmation',
  'supporter_reschedule',
  'supporter_cancellation',
];
export type BookingMessageKind = 'confirmation' | 'reschedule' | 'cancellation' | 'reminder';
export const BOOKING_MESSAGE_KINDS: readonly BookingMessageKind[] = [
  'confirmation',
  'reschedule',
  'cancellation',
  'reminder',
];

export interface BookingMessageData {
  reference: string;
  start: Date;
  end: Date;
  modality: 'phone' | 'video';
  /** The caller's IANA zone: times are shown in it, and it is named. */
  timeZone: string;
  supporterFirstName: string;
  /** PUBLIC_URL/manage/<token>, or null (a cancellation has nothing left to manage). */
  manageUrl: string | null;
  /** The line's own number (policies' supportLinePhone), or null/absent when none is set: then no number is given. */
  supportLinePhone?: string | null;
  /** A video session's join link (its own room, or the supporter's meeting link); null/absent for phone. */
  videoUrl?: string | null;
}

/** `tel:` link of a number as written ("0800 123 4567" → "tel:08001234567"). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

/** "the support line" or "the support line on 0800 123 4567". */
function theLine(phone: string | null | undefined): string {
  return phone ? `the support line on ${phone}` : 'the support line';
}

/** Escapes a paragraph, then makes the line's number in it a tel: link. */
function paragraphHtml(text: string, phone: string | null | undefined): string {
  const html = escapeHtml(text);
  if (!phone) return html;
  return html.split(escapeHtml(phone)).join(`<a href="${escapeHtml(telHref(phone))}">${escapeHtml(phone)}</a>`);
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface RenderedSms {
  text: string;
  /** The fields a GOV.UK Notify template receives. */
  personalisation: Record<string, string>;
}

const TITLES = new Set(['dr', 'doctor', 'mr', 'mrs', 'ms', 'miss', 'mx', 'prof', 'professor', 'sir', 'dame', 'rev']);

/** "Dr Priya Shah" → "Priya": the supporter's first name, without a title. */
export function firstName(displayName: string): string {
  const words = displayName.trim().split(/\s+/).filter(Boolean);
  const first = words.find((w) => !TITLES.has(w.replace(/\.$/, '').toLowerCase()));
  return first ?? words[0] ?? '';
}

const hhmm = wallTimeText;
/** "Sunday 28 March 2027" (long) or "Sun 28 Mar 2027" (short). */
const dayText = (t: WallClock, width: 'long' | 'short') => wallDateText(t, { width, year: true });
const sameDay = (a: WallClock, b: WallClock) => a.year === b.year && a.month === b.month && a.day === b.day;

/** "Sunday 28 March 2027, 18:00–18:50 (Europe/London time)", in the caller's zone. */
export function formatWhen(start: Date, end: Date, zone: string): string {
  const s = wallClockAt(start.getTime(), zone);
  const e = wallClockAt(end.getTime(), zone);
  const range = sameDay(s, e)
    ? `${dayText(s, 'long')}, ${hhmm(s)}–${hhmm(e)}`
    : `${dayText(s, 'long')}, ${hhmm(s)} – ${dayText(e, 'long')}, ${hhmm(e)}`;
  return `${range} (${zone} time)`;
}

/** "Sun 28 Mar 2027, 18:00–18:50 (Europe/London time)" for SMS. */
export function formatWhenShort(start: Date, end: Date, zone: string): string {
  const s = wallClockAt(start.getTime(), zone);
  const e = wallClockAt(end.getTime(), zone);
  return `${dayText(s, 'short')}, ${hhmm(s)}–${hhmm(e)} (${zone} time)`;
}

export function howText(modality: 'phone' | 'video', videoUrl?: string | null): string {
  if (modality === 'phone') return 'Your supporter will phone you at the time of the session.';
  // a session booked before video links existed has none: the old promise stands for it
  return videoUrl ? `By video call: join at ${videoUrl}` : 'You will get a video link before the session.';
}

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

interface Copy {
  subject: string;
  headline: string;
  whenLabel: string;
  showHow: boolean;
  closing: string[];
}

function copyFor(kind: BookingMessageKind, d: BookingMessageData): Copy {
  const at = wallClockAt(d.start.getTime(), d.timeZone);
  const short = `${wallDateText(at, { width: 'short', year: false })}, ${hhmm(at)}`;
  switch (kind) {
    case 'confirmation':
      return {
        subject: `Your support session is booked: ${short} (${d.reference})`,
        headline: 'Your support session is booked.',
        whenLabel: 'When',
        showHow: true,
        closing: ['A calendar invite is attached.'],
      };
    case 'reschedule':
      return {
        subject: `Your support session has moved: ${short} (${d.reference})`,
        headline: 'Your support session has moved to a new time. Any earlier link to this booking no longer works.',
        whenLabel: 'New time',
        showHow: true,
        closing: ['The attached calendar invite updates the session in your calendar.'],
      };
    case 'cancellation':
      return {
        subject: `Your support session is cancelled (${d.reference})`,
        headline: 'Your support session has been cancelled.',
        whenLabel: 'It was',
        showHow: false,
        closing: [
          `If you would still like support, call ${theLine(d.supportLinePhone)} and we will find another time.`,
        ],
      };
    case 'reminder':
      return {
        subject: `Reminder: your support session is tomorrow (${d.reference})`,
        headline: 'A reminder: your support session is tomorrow.',
        whenLabel: 'When',
        showHow: true,
        closing: [],
      };
  }
}

const FOOTER = "This message comes from the doctors' support line. Please do not reply to it.";
const change = (phone: string | null | undefined) =>
  `To change the time, call ${theLine(phone)} and quote your reference.`;

export function renderBookingEmail(kind: BookingMessageKind, d: BookingMessageData): RenderedEmail {
  const c = copyFor(kind, d);
  const when = formatWhen(d.start, d.end, d.timeZone);
  const facts: [string, string][] = [
    [c.whenLabel, when],
    ...(c.showHow ? ([['How', howText(d.modality, d.videoUrl)]] as [string, string][]) : []),
    ...(c.showHow && d.supporterFirstName ? ([['Your supporter', d.supporterFirstName]] as [string, string][]) : []),
    ['Reference', d.reference],
    ...(d.supportLinePhone ? ([['Support line', d.supportLinePhone]] as [string, string][]) : []),
  ];
  const manage = d.manageUrl
    ? [`To cancel, or to see your booking, open ${d.manageUrl}`, change(d.supportLinePhone)]
    : [];
  const text = [
    'Hello,',
    '',
    c.headline,
    '',
    ...facts.map(([k, v]) => `${k}: ${v}`),
    '',
    ...(manage.length ? [...manage, ''] : []),
    ...(c.closing.length ? [...c.closing, ''] : []),
    FOOTER,
    '',
  ].join('\n');
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>' + escapeHtml(c.subject) + '</title></head>',
    '<body style="font-family: Arial, sans-serif; line-height: 1.5; color: #0b0c0c;">',
    '<p>Hello,</p>',
    `<p><strong>${escapeHtml(c.headline)}</strong></p>`,
    '<table role="presentation" style="border-collapse: collapse;">',
    ...facts.map(
      ([k, v]) =>
        `<tr><th style="text-align: left; padding: 2px 12px 2px 0;">${escapeHtml(k)}</th><td>${
          k === 'Support line' ? `<a href="${escapeHtml(telHref(v))}">${escapeHtml(v)}</a>` : escapeHtml(v)
        }</td></tr>`,
    ),
    '</table>',
    ...(d.manageUrl
      ? [
          `<p><a href="${escapeHtml(d.manageUrl)}">Cancel or see your booking</a></p>`,
          `<p>${paragraphHtml(change(d.supportLinePhone), d.supportLinePhone)}</p>`,
        ]
      : []),
    ...c.closing.map((line) => `<p>${paragraphHtml(line, d.supportLinePhone)}</p>`),
    `<p style="color: #505a5f; font-size: 0.9em;">${escapeHtml(FOOTER)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
  return { subject: c.subject, text, html };
}

export function renderBookingSms(kind: BookingMessageKind, d: BookingMessageData): RenderedSms {
  const when = formatWhenShort(d.start, d.end, d.timeZone);
  const how =
    d.modality === 'phone'
      ? 'Your supporter will phone you.'
      : d.videoUrl
        ? `Video call: ${d.videoUrl}`
        : 'You will get a video link.';
  const link = d.manageUrl ? ` Cancel or view: ${d.manageUrl}` : '';
  const line = d.supportLinePhone ? ` Support line ${d.supportLinePhone}.` : '';
  let text: string;
  switch (kind) {
    case 'confirmation':
      text = `Support session booked: ${when}. ${how} Ref ${d.reference}.${line}${link}`;
      break;
    case 'reschedule':
      text = `Support session moved to ${when}. ${how} Ref ${d.reference}.${line}${link}`;
      break;
    case 'cancellation':
      text = `Your support session on ${when} is cancelled. Ref ${d.reference}. Call us${d.supportLinePhone ? ` on ${d.supportLinePhone}` : ''} if you would still like support.`;
      break;
    case 'reminder':
      text = `Reminder: support session tomorrow, ${when}. ${how} Ref ${d.reference}.${line}${link}`;
      break;
  }
  return {
    text,
    personalisation: {
      reference: d.reference,
      when,
      how,
      manage_link: d.manageUrl ?? '',
      support_line: d.supportLinePhone ?? '',
    },
  };
}

// ---- messages to supporters ------------------------------------------------------------------------

/**
 * What a supporter's notice may say: when (in the supporter's zone), how, the reference and the console link.
 * Nothing about the caller reaches this module (no name, phone, e-mail or reason): a notice can land in a
 * shared or synced calendar, and the supporter sees the caller in the console after signing in.
 */
export interface SupporterMessageData {
  reference: string;
  start: Date;
  end: Date;
  modality: 'phone' | 'video';
  /** The supporter's IANA zone. */
  timeZone: string;
  /** PUBLIC_URL/my-week: the console, behind sign-in. */
  consoleUrl: string;
  /** A video session's join link, or null. */
  videoUrl?: string | null;
}

export function supporterHowText(modality: 'phone' | 'video', videoUrl?: string | null): string {
  if (modality === 'phone') return 'By phone: you phone the caller (their number is in the console).';
  return videoUrl ? `Video call: join at ${videoUrl}` : 'Video call.';
}

export function renderSupporterEmail(kind: SupporterMessageKind, d: SupporterMessageData): RenderedEmail {
  const at = wallClockAt(d.start.getTime(), d.timeZone);
  const short = `${wallDateText(at, { width: 'short', year: false })}, ${hhmm(at)}`;
  const copy = {
    supporter_confirmation: {
      subject: `New support session: ${short} (${d.reference})`,
      headline: 'A support session has been booked with you.',
      whenLabel: 'When',
    },
    supporter_reschedule: {
      subject: `Support session moved: ${short} (${d.reference})`,
      headline: 'One of your support sessions has moved, or has been given to you.',
      whenLabel: 'New time',
    },
    supporter_cancellation: {
      subject: `Support session cancelled: ${short} (${d.reference})`,
      headline: 'This support session is no longer yours: it has been cancelled or given to another supporter.',
      whenLabel: 'It was',
    },
  }[kind];
  const facts: [string, string][] = [
    [copy.whenLabel, formatWhen(d.start, d.end, d.timeZone)],
    ...(kind === 'supporter_cancellation'
      ? []
      : ([['How', supporterHowText(d.modality, d.videoUrl)]] as [string, string][])),
    ['Reference', d.reference],
  ];
  const closing = [
    `The caller's details are in the console, after you sign in: ${d.consoleUrl}`,
    kind === 'supporter_cancellation'
      ? 'The attached invite removes it from your calendar.'
      : 'The attached invite puts it in your calendar.',
    'You can switch these e-mails off in your profile.',
  ];
  const text = [
    'Hello,',
    '',
    copy.headline,
    '',
    ...facts.map(([k, v]) => `${k}: ${v}`),
    '',
    ...closing,
    '',
    FOOTER,
    '',
  ].join('\n');
  const html = [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(copy.subject)}</title></head>`,
    '<body style="font-family: Arial, sans-serif; line-height: 1.5; color: #0b0c0c;">',
    '<p>Hello,</p>',
    `<p><strong>${escapeHtml(copy.headline)}</strong></p>`,
    '<table role="presentation" style="border-collapse: collapse;">',
    ...facts.map(
      ([k, v]) =>
        `<tr><th style="text-align: left; padding: 2px 12px 2px 0;">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`,
    ),
    '</table>',
    `<p><a href="${escapeHtml(d.consoleUrl)}">Open the console</a> (the caller's details are there, after you sign in).</p>`,
    ...closing.slice(1).map((line) => `<p>${escapeHtml(line)}</p>`),
    `<p style="color: #505a5f; font-size: 0.9em;">${escapeHtml(FOOTER)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
  return { subject: copy.subject, text, html };
}

// ---- messages that are not about one booking ------------------------------------------------------

export interface PlainMessage {
  subject: string;
  text: string;
  html: string;
  sms: RenderedSms;
}

function plainHtml(subject: string, paragraphs: string[], phone?: string | null): string {
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: Arial, sans-serif; line-height: 1.5; color: #0b0c0c;">',
    ...paragraphs.map((p) => `<p>${paragraphHtml(p, phone)}</p>`),
    `<p style="color: #505a5f; font-size: 0.9em;">${escapeHtml(FOOTER)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
}

/**
 * A web request arrived: that, the reference and when to expect a call.
 * Nothing the person typed is repeated (it could be read by someone else).
 */
export function renderAcknowledgement(d: {
  reference: string;
  callbackWorkingHours: number;
  supportLinePhone?: string | null;
}): PlainMessage {
  const subject = 'We have your request for support';
  const lines = [
    'Hello,',
    'We have your request for support.',
    `Someone from the support line will call you within ${d.callbackWorkingHours} working hours.`,
    `Your reference is ${d.reference}.`,
    ...(d.supportLinePhone ? [`If you need us before then, call ${theLine(d.supportLinePhone)} and quote it.`] : []),
    'If you are in immediate danger, call 999 or go to A&E. For urgent help, contact NHS 111 or your GP.',
  ];
  return {
    subject,
    text: [...lines, '', FOOTER, ''].join('\n'),
    html: plainHtml(subject, lines, d.supportLinePhone),
    sms: {
      text: `We have your request for support (ref ${d.reference}). We will call you within ${d.callbackWorkingHours} working hours.${d.supportLinePhone ? ` Support line ${d.supportLinePhone}.` : ''} In an emergency call 999.`,
      personalisation: {
        reference: d.reference,
        hours: String(d.callbackWorkingHours),
        support_line: d.supportLinePhone ?? '',
      },
    },
  };
}

/** After a completed session: a one-use link to an anonymous form. */
export function renderFeedbackInvite(d: { url: string }): PlainMessage {
  const subject = 'How was your support session?';
  const lines = [
    'Hello,',
    'Thank you for talking to us. Would you tell us how it went? It takes a minute.',
    `Open ${d.url}`,
    'Your answers are anonymous: they are not linked to you or to your session.',
  ];
  return {
    subject,
    text: [...lines, '', FOOTER, ''].join('\n'),
    html: plainHtml(subject, lines),
    sms: {
      text: `How was your support session? Tell us anonymously: ${d.url}`,
      personalisation: { feedback_link: d.url },
    },
  };
}
