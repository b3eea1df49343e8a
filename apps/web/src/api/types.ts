// Names for the generated schemas, and the few shapes the OpenAPI document does
// not describe yet (written to the HTTP contract, ../shared/CONTRACT.md).
import type { Schemas } from './client';

export type Role = 'admin' | 'intake' | 'supporter';
export type Supporter = Schemas['SupporterView'];
export type SupporterInput = Schemas['CreateSupporterDto'];
export type Intake = Schemas['IntakeView'];
export type IntakeStatus = Intake['status'];
export type CreateIntake = Schemas['CreateIntakeDto'];
export type Booking = Schemas['BookingView'];
export type Slot = Schemas['SlotView'];
export type WeeklyRule = Schemas['WeeklyRuleDto'];
export type TimeOff = Schemas['TimeOffView'];
export type Policies = Schemas['PoliciesDto'];
export type UserView = Schemas['UserView'];

export interface Reason {
  code: string;
  text: string;
}

/** GET /intakes/:id/matches (the document has no schema for it yet). */
export interface MatchList {
  candidates: {
    supporterId: string;
    displayName: string;
    score: number;
    continuity: boolean;
    reasons: Reason[];
    nextSlots: Slot[];
  }[];
  excluded: { supporterId: string; displayName: string; continuity?: boolean; reasons: Reason[] }[];
}
export type Candidate = MatchList['candidates'][number];

/** GET /callers?phone= (being added by another engineer). */
export interface CallerLookup {
  callers: {
    id: string;
    name: string | null;
    phone: string | null;
    email: string | null;
    lastSupporter?: { supporterId: string; displayName: string };
  }[];
}

/** GET /manage/:token (caller self-service, no login). */
export type ManagedBooking = Schemas['ManagedBookingView'];
