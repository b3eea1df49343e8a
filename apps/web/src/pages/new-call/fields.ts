// The new-call form's answers, their checks and the POST /intakes body built from them.
import type { CreateIntake } from '../../api/types';
import type { ErrorItem } from '../../components/forms';
import {
  CALLER_FIELD_IDS,
  EMAIL_FORMAT_ERROR,
  EMAIL_PATTERN,
  PHONE_FORMAT_ERROR,
  PHONE_PATTERN,
  type CallerRole,
  type Service,
  type YesNo,
} from '../../components/CallerFields';

export type Modality = '' | 'phone' | 'video';
export type SameSpecialty = 'any' | 'prefer' | 'avoid';

/** Also the shape of the sessionStorage draft: renaming a key loses drafts kept before the change. */
export interface NewCallFields {
  risk: YesNo | '';
  phone: string;
  service: Service | '';
  name: string;
  email: string;
  role: CallerRole | '';
  specialty: string;
  workplace: string;
  timeZone: string;
  gender: string;
  age: string;
  supporterGender: string;
  languages: string;
  modality: Modality;
  sameSpecialty: SameSpecialty;
  gmc: YesNo | '';
  consent: boolean;
}

export const EMPTY_CALL: NewCallFields = {
  risk: '',
  phone: '',
  service: '',
  name: '',
  email: '',
  role: '',
  specialty: '',
  workplace: '',
  timeZone: 'Europe/London',
  gender: '',
  age: '',
  supporterGender: '',
  languages: '',
  modality: '',
  sameSpecialty: 'any',
  gmc: '',
  consent: false,
};

/** Sets one answer: what each step gets to change the form. */
export type SetField = <K extends keyof NewCallFields>(key: K, value: NewCallFields[K]) => void;

export const FIELD_IDS: Record<string, string> = {
  ...CALLER_FIELD_IDS,
  'caller.specialty': 'specialty',
  'caller.workplace': 'workplace',
  'caller.gender': 'gender',
  'caller.ethnicity': 'ethnicity',
  'caller.age': 'age',
  'preferences.supporterGender': 'supporterGender',
  'preferences.languages': 'languages',
  'preferences.modality': 'modality',
  'preferences.sameSpecialty': 'sameSpecialty',
};
export const FIELD_LABELS: Record<string, string> = {
  service: 'Service',
  name: 'Name',
  phone: 'Phone number',
  email: 'E-mail address',
  role: 'Caller is a',
  timeZone: 'Time zone',
  age: 'Age',
  languages: 'Languages',
  consent: 'Consent',
  gmc: 'GMC investigation',
};

export function validateCall(f: NewCallFields): ErrorItem[] {
  const { risk, phone, service, name, email, role, age, languages, gmc, consent } = f;
  const e: ErrorItem[] = [];
  if (!risk) e.push({ id: 'risk', text: 'Select whether the caller is in immediate danger' });
  if (!phone.trim()) e.push({ id: 'phone', text: "Enter the caller's phone number" });
  else if (!PHONE_PATTERN.test(phone.trim())) e.push({ id: 'phone', text: PHONE_FORMAT_ERROR });
  if (!service) e.push({ id: 'service', text: 'Select the service the caller wants' });
  if (!name.trim()) e.push({ id: 'name', text: "Enter the caller's name" });
  if (email.trim() && !EMAIL_PATTERN.test(email.trim())) e.push({ id: 'email', text: EMAIL_FORMAT_ERROR });
  if (!role) e.push({ id: 'role', text: 'Select whether the caller is a doctor or a medical student' });
  if (age && !/^\d{1,3}$/.test(age)) e.push({ id: 'age', text: 'Enter the age as a whole number' });
  if (languages.trim() && !languages.split(',').every((l) => /^[a-z]{2}$/i.test(l.trim())))
    e.push({ id: 'languages', text: 'Enter languages as two-letter codes separated by commas, like en, cy' });
  if (!gmc) e.push({ id: 'gmc', text: 'Select whether the caller is under GMC investigation' });
  if (!consent)
    e.push({ id: 'consent', text: 'The caller must agree to the privacy notice before their details are recorded' });
  return e;
}

/** Only for answers that passed validateCall. */
export function callBody(f: NewCallFields): CreateIntake {
  const { name, phone, email, specialty, workplace, gender, age, timeZone, supporterGender, languages, modality } = f;
  return {
    service: f.service as Service,
    caller: {
      name: name.trim(),
      phone: phone.trim(),
      role: f.role as CallerRole,
      ...(email.trim() ? { email: email.trim() } : {}),
      ...(specialty.trim() ? { specialty: specialty.trim() } : {}),
      ...(workplace.trim() ? { workplace: workplace.trim() } : {}),
      ...(gender.trim() ? { gender: gender.trim() } : {}),
      ...(age ? { age: Number(age) } : {}),
      timeZone,
    },
    preferences: {
      ...(supporterGender ? { supporterGender } : {}),
      ...(languages.trim() ? { languages: languages.split(',').map((l) => l.trim().toLowerCase()) } : {}),
      ...(modality ? { modality } : {}),
      sameSpecialty: f.sameSpecialty,
    },
    risk: { immediateDanger: false },
    gmcInvestigation: f.gmc === 'yes',
    consent: { privacyNotice: true },
  };
}
