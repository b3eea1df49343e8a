// The "Ask for support" form's answers, their checks and the POST /requests body built from them.
import type { Schemas } from '../../api/client';
import {
  CALLER_FIELD_IDS,
  EMAIL_FORMAT_ERROR,
  EMAIL_PATTERN,
  PHONE_FORMAT_ERROR,
  PHONE_PATTERN,
  type YesNo,
} from '../../components/CallerFields';
import type { ErrorItem } from '../../components/forms';

export type SupportRequest = Schemas['SupportRequestDto'];
export type SupportAnswer = Schemas['SupportRequestResponse'];
type Service = SupportRequest['service'];
type CallerRole = SupportRequest['caller']['role'];

export const PREFERRED_TIMES_MAX = 500;
export const MESSAGE_MAX = 2000;

/** Each key is also the id of its control (and of its error). */
export interface RequestFields {
  service: Service | '';
  name: string;
  phone: string;
  email: string;
  role: CallerRole | '';
  timeZone: string;
  preferredTimes: string;
  message: string;
  gmc: YesNo | '';
  consent: boolean;
  /** The honeypot: people never see it, only robots fill it in. */
  website: string;
}

export function emptyRequest(timeZone: string): RequestFields {
  return {
    service: '',
    name: '',
    phone: '',
    email: '',
    role: '',
    timeZone,
    preferredTimes: '',
    message: '',
    gmc: '',
    consent: false,
    website: '',
  };
}

export const FIELD_IDS: Record<string, string> = {
  ...CALLER_FIELD_IDS,
  preferredTimes: 'preferredTimes',
  message: 'message',
  consent: 'consent',
};
export const FIELD_LABELS: Record<string, string> = {
  service: 'Service',
  name: 'Name',
  phone: 'Phone number',
  email: 'E-mail address',
  role: 'You are a',
  timeZone: 'Time zone',
  preferredTimes: 'Good times to call',
  message: 'Message',
  gmc: 'GMC investigation',
  consent: 'Privacy notice',
  risk: 'Immediate danger',
};

export function validateRequest(f: RequestFields): ErrorItem[] {
  const { service, name, phone, email, role, preferredTimes, message, gmc, consent } = f;
  const e: ErrorItem[] = [];
  if (!service) e.push({ id: 'service', text: 'Select the kind of support you would like' });
  if (!name.trim()) e.push({ id: 'name', text: 'Enter your name' });
  if (!phone.trim()) e.push({ id: 'phone', text: 'Enter a phone number we can call you on' });
  else if (!PHONE_PATTERN.test(phone.trim())) e.push({ id: 'phone', text: PHONE_FORMAT_ERROR });
  if (email.trim() && !EMAIL_PATTERN.test(email.trim())) e.push({ id: 'email', text: EMAIL_FORMAT_ERROR });
  if (!role) e.push({ id: 'role', text: 'Select whether you are a doctor or a medical student' });
  if (preferredTimes.trim().length > PREFERRED_TIMES_MAX)
    e.push({ id: 'preferredTimes', text: `Good times to call must be ${PREFERRED_TIMES_MAX} characters or fewer` });
  if (message.trim().length > MESSAGE_MAX)
    e.push({ id: 'message', text: `Your message must be ${MESSAGE_MAX} characters or fewer` });
  if (!gmc) e.push({ id: 'gmc', text: 'Select whether you are under GMC investigation' });
  if (!consent)
    e.push({ id: 'consent', text: 'Agree to the privacy notice so that we can keep your details and call you' });
  return e;
}

/** Only for answers that passed validateRequest. */
export function requestBody(f: RequestFields): SupportRequest {
  const { name, phone, email, timeZone, preferredTimes, message, website } = f;
  return {
    service: f.service as Service,
    caller: {
      name: name.trim(),
      phone: phone.trim(),
      role: f.role as CallerRole,
      ...(email.trim() ? { email: email.trim() } : {}),
      timeZone,
    },
    ...(preferredTimes.trim() ? { preferredTimes: preferredTimes.trim() } : {}),
    ...(message.trim() ? { message: message.trim() } : {}),
    risk: { immediateDanger: false },
    gmcInvestigation: f.gmc === 'yes',
    consent: { privacyNotice: true },
    ...(website ? { website } : {}),
  };
}
