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

/** Phone number as both forms check it before sending. */
export const PHONE_PATTERN = /^[+()\d\s-]{6,}$/;
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
