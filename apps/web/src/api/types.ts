// Short names for the generated schemas (schema.d.ts). No shape is written by
// hand here: a change in the API's document shows up as a type error.
import type { Schemas } from './client';

export type Role = Schemas['UserView']['role'];
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
export type Reason = Schemas['MatchReasonView'];
/** GET /intakes/:id/matches */
export type MatchList = Schemas['MatchesResponse'];
export type Candidate = Schemas['MatchCandidateView'];
/** GET /callers?phone= */
export type CallerLookup = Schemas['CallerLookupResponse'];
/** GET /manage/:token (caller self-service, no login). */
export type ManagedBooking = Schemas['ManagedBookingView'];
export type SearchResult = Schemas['SearchResponse'];
export type SearchHit = Schemas['SearchHitView'];
export type CallerRecord = Schemas['CallerRecordView'];
export type NotificationStatus = Schemas['NotificationStatusView'];
/** GET /supporters/:id/calendar/busy */
export type BusyTime = Schemas['BusyTimeView'];
/** GET /bookings/:id/notifications: the caller's messages and the supporters' notices. */
export type BookingMessages = Schemas['BookingNotificationList'];
