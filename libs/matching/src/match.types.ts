import type { Interval, SociableHours, WeeklyRule } from '@app/scheduling';

export type Service = 'peer_support' | 'counselling';
export type SupporterKind = 'peer' | 'counsellor';
export type Modality = 'phone' | 'video';
export type SpecialtyPreference = 'prefer' | 'avoid' | 'any';

/** Hard rules: each one excludes a supporter, with this code. */
export type ExclusionCode =
  | 'wrong_service'
  | 'inactive'
  | 'conflict_of_interest'
  | 'at_capacity'
  | 'gender_preference'
  | 'language'
  | 'no_availability';

export interface MatchReason {
  code: string;
  /** Plain words intake staff can read out on the call. */
  text: string;
}

export interface MatchRequest {
  service: Service;
  caller: {
    timeZone: string;
    workplace?: string | null;
    specialty?: string | null;
  };
  preferences: {
    supporterGender?: string | null;
    /** ISO 639-1 codes; the supporter passes with at least one. */
    languages?: string[] | null;
    modality?: Modality | null;
    sameSpecialty?: SpecialtyPreference | null;
  };
}

export interface MatchPolicy {
  sociableHours: SociableHours;
  defaultDurationMinutes: number;
  bufferMinutes: number;
  minimumNoticeMinutes: number;
  bookingHorizonDays: number;
}

/** Everything the pure core needs about one supporter, loaded in bulk by the service. */
export interface MatchSupporter {
  id: string;
  displayName: string;
  kind: SupporterKind;
  active: boolean;
  gender?: string | null;
  languages: string[];
  specialty?: string | null;
  workplaces: string[];
  maxActiveCases: number;
  modalities: Modality[];
  timeZone: string;
  /** Active cases NOT counting the intake being matched. */
  activeCases: number;
  /** Shares a confirmed or completed booking with this caller. */
  supportedBefore: boolean;
  rules: WeeklyRule[];
  timeOff: Interval[];
  /** Confirmed bookings, unbuffered. */
  busy: Interval[];
  /**
   * When set, `busy` is known only up to this instant (the service loads a
   * short window first). A search that would need to look past it stops
   * there and reports the supporter in MatchResult.incomplete.
   */
  busyKnownUntil?: number;
}

export interface MatchCandidate {
  supporterId: string;
  displayName: string;
  score: number;
  continuity: boolean;
  reasons: MatchReason[];
  nextSlots: Interval[];
}

export interface MatchExclusion {
  supporterId: string;
  displayName: string;
  continuity?: boolean;
  reasons: MatchReason[];
}

export interface MatchResult {
  candidates: MatchCandidate[];
  excluded: MatchExclusion[];
  /** Supporters whose answer needed bookings past their busyKnownUntil: load more and match again. */
  incomplete: string[];
}

export interface MatchOptions {
  now: number;
  /** How many candidates to return (default 5). */
  limit?: number;
  /** How many nextSlots per candidate (default 3). */
  slotsPerCandidate?: number;
}
