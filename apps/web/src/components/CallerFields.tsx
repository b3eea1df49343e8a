// The questions the staff's new-call form and the public "Ask for support" form both ask: the same controls and
// answers, worded for whoever fills the form in (the page passes its own legend and hints).
import type { ReactNode } from 'react';
import type { CreateIntake } from '../api/types';
import { Radios } from './forms';

export type YesNo = 'yes' | 'no';
export type Service = CreateIntake['service'];
export type CallerRole = CreateIntake['caller']['role'];

interface ChoiceProps<V extends string> {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  value: V | '';
  onChange: (v: V) => void;
  error?: string;
}

/** A Yes / No question side by side (the risk and GMC questions); `large` for the one asked first. */
export function YesNoRadios(props: ChoiceProps<YesNo> & { large?: boolean }) {
  return (
    <Radios
      {...props}
      options={[
        { value: 'yes', label: 'Yes' },
        { value: 'no', label: 'No' },
      ]}
      inline
    />
  );
}

/** Doctor or medical student. */
export function RoleRadios(props: ChoiceProps<CallerRole>) {
  return (
    <Radios
      {...props}
      inline
      options={[
        { value: 'doctor', label: 'Doctor' },
        { value: 'medical_student', label: 'Medical student' },
      ]}
    />
  );
}

/** Peer support or counselling, each with the page's own words under it. */
export function ServiceRadios({ hints, ...props }: ChoiceProps<Service> & { hints: Record<Service, string> }) {
  return (
    <Radios
      {...props}
      options={[
        { value: 'peer_support', label: 'Peer support', hint: hints.peer_support },
        { value: 'counselling', label: 'Counselling', hint: hints.counselling },
      ]}
    />
  );
}

// Both forms check a phone number and an e-mail address alike before sending, and say so in the same words.
export const PHONE_PATTERN = /^[+()\d\s-]{6,}$/;
export const PHONE_FORMAT_ERROR = 'Enter a phone number, like 07700 900123 or +44 7700 900123';
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const EMAIL_FORMAT_ERROR = 'Enter an e-mail address in the right format, like name@example.org';

/** Where the API's problem fields of the questions both forms ask are shown (their control ids). */
export const CALLER_FIELD_IDS: Record<string, string> = {
  service: 'service',
  'caller.name': 'name',
  'caller.phone': 'phone',
  'caller.email': 'email',
  'caller.role': 'role',
  'caller.timeZone': 'timeZone',
  gmcInvestigation: 'gmc',
  'consent.privacyNotice': 'consent',
  'risk.immediateDanger': 'risk',
};
