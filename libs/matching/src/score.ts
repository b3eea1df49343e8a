import { languageName, normName as norm, PreparedRequest, prepareRequest, spokenLanguages } from '@app/rules';
import { wallClockAt, wallDateText, wallTimeText } from '@app/scheduling';
import type { Interval } from '@app/scheduling';
import type { MatchReason, MatchRequest, MatchSupporter } from './match.types';

const DAY_MS = 86_400_000;

/** Codes of the reasons that explain a candidate's place (exclusions use ExclusionCode). */
export type CandidateReasonCode =
  | 'continuity'
  | 'earliest_slot'
  | 'caseload'
  | 'language_match'
  | 'gender_match'
  | 'modality_offered'
  | 'modality_not_offered'
  | 'same_specialty'
  | 'different_specialty';

/**
 * The score, out of 100 (a caller who asked for nothing can reach 60; see README).
 * Kept as named numbers so the README, the tests and the code say the same thing.
 */
export const SCORE = {
  /** Points for a slot starting right now; they halve every `soonestHalfLifeDays`. */
  soonest: 40,
  soonestHalfLifeDays: 7,
  /** Points for an empty caseload, falling linearly to 0 at maxActiveCases. */
  caseload: 20,
  languageMatch: 10,
  genderMatch: 10,
  modalityOffered: 10,
  /** prefer + same, or avoid + different: +10; avoid + same: -10. */
  specialty: 10,
} as const;

/** The request, normalised once per match rather than once per supporter: the hard rules' part and the preferences'. */
export interface Asked extends PreparedRequest {
  modality: MatchRequest['preferences']['modality'];
  sameSpecialty: MatchRequest['preferences']['sameSpecialty'];
  specialty: string;
}

export function askedOf(request: MatchRequest): Asked {
  return {
    ...prepareRequest({
      service: request.service,
      callerWorkplace: request.caller.workplace,
      supporterGender: request.preferences.supporterGender,
      languages: request.preferences.languages,
    }),
    modality: request.preferences.modality,
    sameSpecialty: request.preferences.sameSpecialty,
    specialty: norm(request.caller.specialty),
  };
}

export interface Scored {
  supporter: MatchSupporter;
  slots: Interval[];
  fit: Fit;
  /** Unrounded: the order uses it, the response shows it rounded. */
  score: number;
}

/** Soonest-slot points: 40 for a slot right now, halving every week of waiting. */
export function soonestPoints(now: number, slotStart: number): number {
  const days = Math.max(0, slotStart - now) / DAY_MS;
  return SCORE.soonest * Math.pow(0.5, days / SCORE.soonestHalfLifeDays);
}

/** Caseload points: 20 with no active case, linearly down to 0 at maxActiveCases. */
export function caseloadPoints(activeCases: number, maxActiveCases: number): number {
  if (maxActiveCases <= 0) return 0;
  return SCORE.caseload * Math.max(0, 1 - activeCases / maxActiveCases);
}

/** How one eligible supporter meets the caller's preferences: the score's last four parts. */
export interface Fit {
  spoken: string[];
  gender: boolean;
  modality: 'modality_offered' | 'modality_not_offered' | null;
  specialty: 'same_specialty' | 'different_specialty' | null;
}

export function fitOf(asked: Asked, supporter: MatchSupporter): Fit {
  let specialty: Fit['specialty'] = null;
  if (asked.sameSpecialty === 'prefer' || asked.sameSpecialty === 'avoid') {
    const theirs = norm(supporter.specialty);
    // Either side unknown: neither met nor missed.
    if (asked.specialty !== '' && theirs !== '') {
      if (theirs === asked.specialty) specialty = 'same_specialty';
      else if (asked.sameSpecialty === 'avoid') specialty = 'different_specialty';
    }
  }
  return {
    spoken: spokenLanguages(asked, supporter),
    gender: asked.gender !== '' && norm(supporter.gender) === asked.gender,
    modality: asked.modality
      ? supporter.modalities.includes(asked.modality)
        ? 'modality_offered'
        : 'modality_not_offered'
      : null,
    specialty,
  };
}

export function preferencePoints(asked: Asked, fit: Fit): number {
  let points = 0;
  if (fit.spoken.length > 0) points += SCORE.languageMatch;
  if (fit.gender) points += SCORE.genderMatch;
  if (fit.modality === 'modality_offered') points += SCORE.modalityOffered;
  if (fit.specialty === 'different_specialty') points += SCORE.specialty;
  else if (fit.specialty === 'same_specialty') {
    points += asked.sameSpecialty === 'avoid' ? -SCORE.specialty : SCORE.specialty;
  }
  return points;
}

/** "Tue 1 Dec 08:00" in `zone`. */
function formatWhen(ms: number, zone: string): string {
  const w = wallClockAt(ms, zone);
  return `${wallDateText(w, { width: 'short', year: false })} ${wallTimeText(w)}`;
}

/** The words behind a candidate's score; built only for the candidates returned. */
export function candidateReasons(asked: Asked, callerZone: string, s: Scored): MatchReason[] {
  const { supporter, slots, fit } = s;
  const reasons: MatchReason[] = [];
  if (supporter.supportedBefore) {
    reasons.push({ code: 'continuity', text: 'Has supported this caller before' });
  }
  const theirTime = formatWhen(slots[0].start, supporter.timeZone);
  const callerTime = formatWhen(slots[0].start, callerZone);
  reasons.push({
    code: 'earliest_slot',
    text:
      callerTime === theirTime
        ? `Free from ${theirTime} (their time)`
        : `Free from ${theirTime} (their time), ${callerTime} caller's time`,
  });
  reasons.push({
    code: 'caseload',
    text:
      supporter.activeCases <= 0
        ? `No active cases (up to ${supporter.maxActiveCases})`
        : `Caseload ${supporter.activeCases} of ${supporter.maxActiveCases}`,
  });
  if (fit.spoken.length > 0) {
    reasons.push({ code: 'language_match', text: `Speaks ${fit.spoken.map(languageName).join(', ')}` });
  }
  if (fit.gender) {
    reasons.push({ code: 'gender_match', text: 'Gender as the caller asked' });
  }
  if (fit.modality === 'modality_offered') {
    reasons.push({ code: fit.modality, text: `Offers ${asked.modality}, as the caller prefers` });
  } else if (fit.modality === 'modality_not_offered') {
    reasons.push({ code: fit.modality, text: `Does not offer ${asked.modality}, which the caller prefers` });
  }
  if (fit.specialty === 'same_specialty') {
    reasons.push({
      code: fit.specialty,
      text:
        asked.sameSpecialty === 'avoid'
          ? 'Same specialty as the caller, who asked for someone outside it'
          : 'Same specialty as the caller, as asked',
    });
  } else if (fit.specialty === 'different_specialty') {
    reasons.push({ code: fit.specialty, text: 'Different specialty from the caller, as asked' });
  }
  return reasons;
}
