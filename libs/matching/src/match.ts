import {
  continuityFirst, hardRuleViolations, languageName, normName as norm, PreparedRequest, prepareRequest, sociableConstraint, spokenLanguages,
} from '@app/rules';
import { expandWeeklyRules, generateSlots, wallClockAt, wallDateText, wallTimeText } from '@app/scheduling';
import type { Interval } from '@app/scheduling';
import type {
  ExclusionCode,
  MatchCandidate,
  MatchExclusion,
  MatchOptions,
  MatchPolicy,
  MatchReason,
  MatchRequest,
  MatchResult,
  MatchSupporter,
} from './match.types';

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

export const DEFAULT_MATCH_LIMIT = 5;
export const DEFAULT_SLOTS_PER_CANDIDATE = 3;

/**
 * Where each step of the slot search ends, in days from now (the last one is
 * cut to the booking horizon). Most supporters with time most days are
 * settled by the first three days; a week and a day holds the next occurrence
 * of every weekly rule after the minimum notice, so one with any free weekly
 * time is settled by the second step; only one with too few slots there pays
 * for expanding the rest of the horizon (see README). The matching service
 * loads bookings for the first steps only and asks again for the supporters
 * whose search ran past them.
 */
export const SEARCH_CHUNK_DAYS: readonly number[] = [3, 8, Infinity];

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The request, normalised once per match rather than once per supporter: the hard rules' part and the preferences'. */
interface Asked extends PreparedRequest {
  modality: MatchRequest['preferences']['modality'];
  sameSpecialty: MatchRequest['preferences']['sameSpecialty'];
  specialty: string;
}

function askedOf(request: MatchRequest): Asked {
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

/**
 * The hard rules that need no slot maths (libs/rules, hardRuleViolations), in
 * contract order. Empty when the supporter passes them all. Exported for the
 * assignment check (422 with the first code; then findMutualSlots for
 * `no_availability`).
 */
export function cheapExclusionReasons(request: MatchRequest, supporter: MatchSupporter): MatchReason[] {
  return hardRuleViolations(askedOf(request), supporter);
}

/**
 * The first `count` mutual slots of one supporter within the booking horizon:
 * for a peer, inside the sociable hours in both the supporter's and the
 * caller's zone; for a counsellor, any time. Exported for the assignment check.
 *
 * Searched in growing chunks (SEARCH_CHUNK_DAYS: 3 days, 8 days, then the rest of the horizon):
 * most supporters fill `count` slots from the first chunk, so only the few
 * with sparse or fully booked availability pay for expanding the whole
 * horizon. The answer is the same as one search over the whole horizon,
 * because expandWeeklyRules returns every window overlapping a chunk
 * UNclipped (a window straddling a chunk's end is seen whole by the next
 * chunk, and the slot grid stays anchored at its real start), and a chunk that
 * stops short of `count` has found every slot ending inside it.
 */
export function findMutualSlots(
  request: MatchRequest,
  supporter: MatchSupporter,
  policy: MatchPolicy,
  now: number,
  count: number,
  incomplete?: Set<string>,
): Interval[] {
  if (count <= 0 || supporter.rules.length === 0) return [];
  const known = supporter.busyKnownUntil ?? Infinity;
  const horizonEnd = now + policy.bookingHorizonDays * DAY_MS;
  const earliestStart = now + policy.minimumNoticeMinutes * MINUTE_MS;
  const sociable = sociableConstraint(supporter.kind, policy.sociableHours, supporter.timeZone, request.caller.timeZone);

  const found: Interval[] = [];
  let chunkStart = now;
  for (const days of SEARCH_CHUNK_DAYS) {
    let chunkEnd = Math.min(now + days * DAY_MS, horizonEnd);
    // Past `known` the bookings are not loaded: search up to it, and say so if that was not enough.
    const capped = chunkEnd > known;
    if (capped) chunkEnd = known;
    if (chunkEnd <= chunkStart) {
      if (!capped) continue;
      incomplete?.add(supporter.id);
      break;
    }
    const windows = expandWeeklyRules(supporter.rules, supporter.timeZone, { start: chunkStart, end: chunkEnd });
    if (windows.length > 0) {
      const more = generateSlots({
        windows,
        busy: supporter.busy,
        timeOff: supporter.timeOff,
        durationMinutes: policy.defaultDurationMinutes,
        bufferMinutes: policy.bufferMinutes,
        // After the last slot already found: the grid is anchored at window
        // starts, so a later range start only drops slots, never moves them.
        range: { start: found.length > 0 ? found[found.length - 1].end : now, end: chunkEnd },
        earliestStart,
        latestEnd: horizonEnd,
        sociable,
        limit: count - found.length,
      });
      for (const slot of more) found.push(slot);
      if (found.length >= count) break;
    }
    if (capped) {
      incomplete?.add(supporter.id);
      break;
    }
    chunkStart = chunkEnd;
  }
  return found;
}

interface Scored {
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
interface Fit {
  spoken: string[];
  gender: boolean;
  modality: 'modality_offered' | 'modality_not_offered' | null;
  specialty: 'same_specialty' | 'different_specialty' | null;
}

function fitOf(asked: Asked, supporter: MatchSupporter): Fit {
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

function preferencePoints(asked: Asked, fit: Fit): number {
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
function candidateReasons(asked: Asked, callerZone: string, s: Scored): MatchReason[] {
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

function noAvailabilityReason(supporter: MatchSupporter, policy: MatchPolicy): MatchReason {
  return {
    code: 'no_availability',
    text:
      supporter.kind === 'peer'
        ? `No free time within sociable hours for both sides in the next ${policy.bookingHorizonDays} days`
        : `No free time in the next ${policy.bookingHorizonDays} days`,
  };
}

function compareCandidates(a: Scored, b: Scored): number {
  const continuity = continuityFirst(a.supporter, b.supporter);
  if (continuity !== 0) return continuity;
  if (a.score !== b.score) return b.score - a.score;
  const slot = a.slots[0].start - b.slots[0].start;
  if (slot !== 0) return slot;
  if (a.supporter.displayName !== b.supporter.displayName) {
    return a.supporter.displayName < b.supporter.displayName ? -1 : 1;
  }
  return a.supporter.id < b.supporter.id ? -1 : a.supporter.id > b.supporter.id ? 1 : 0;
}

/**
 * Ranks the supporters for one intake. Pure: everything it needs is passed in,
 * time included (`options.now`, epoch ms).
 *
 * - `excluded` lists every supporter a hard rule rules out, in input order.
 *   Availability is only searched for supporters who pass every other rule, so
 *   one excluded for, say, `inactive` is not also checked for `no_availability`.
 * - `candidates` are the best `limit`: first those who have supported the
 *   caller before, then the rest, each group by score (see README).
 */
export function matchSupporters(
  request: MatchRequest,
  supporters: MatchSupporter[],
  policy: MatchPolicy,
  options: MatchOptions,
): MatchResult {
  const limit = Math.max(0, Math.floor(options.limit ?? DEFAULT_MATCH_LIMIT));
  const slotsPerCandidate = Math.max(0, Math.floor(options.slotsPerCandidate ?? DEFAULT_SLOTS_PER_CANDIDATE));
  const { now } = options;

  const asked = askedOf(request);
  const excluded: MatchExclusion[] = [];
  const eligible: Scored[] = [];
  const incomplete = new Set<string>();

  for (const supporter of supporters) {
    let reasons: MatchReason[] = hardRuleViolations(asked, supporter);
    let slots: Interval[] = [];
    if (reasons.length === 0) {
      // One slot settles both `no_availability` and the score; only the few
      // candidates returned are searched again for all their nextSlots.
      slots = findMutualSlots(request, supporter, policy, now, 1, incomplete);
      if (slots.length === 0) reasons = [noAvailabilityReason(supporter, policy)];
    }
    if (reasons.length > 0) {
      const exclusion: MatchExclusion = {
        supporterId: supporter.id,
        displayName: supporter.displayName,
        reasons,
      };
      if (supporter.supportedBefore) exclusion.continuity = true;
      excluded.push(exclusion);
      continue;
    }
    const fit = fitOf(asked, supporter);
    const score =
      soonestPoints(now, slots[0].start) +
      caseloadPoints(supporter.activeCases, supporter.maxActiveCases) +
      preferencePoints(asked, fit);
    eligible.push({ supporter, slots, fit, score });
  }

  eligible.sort(compareCandidates);
  const candidates: MatchCandidate[] = eligible.slice(0, limit).map((s) => ({
    supporterId: s.supporter.id,
    displayName: s.supporter.displayName,
    score: Math.round(s.score) + 0, // + 0: never -0 in JSON
    continuity: s.supporter.supportedBefore,
    reasons: candidateReasons(asked, request.caller.timeZone, s),
    nextSlots:
      slotsPerCandidate <= 1
        ? s.slots.slice(0, slotsPerCandidate)
        : findMutualSlots(request, s.supporter, policy, now, slotsPerCandidate, incomplete),
  }));
  return { candidates, excluded, incomplete: [...incomplete] };
}
