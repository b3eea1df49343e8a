import { continuityFirst, hardRuleViolations } from '@app/rules';
import type { Interval } from '@app/scheduling';
import { findMutualSlots } from './mutual-slots';
import { askedOf, candidateReasons, caseloadPoints, fitOf, preferencePoints, Scored, soonestPoints } from './score';
import type {
  MatchCandidate,
  MatchExclusion,
  MatchOptions,
  MatchPolicy,
  MatchReason,
  MatchRequest,
  MatchResult,
  MatchSupporter,
} from './match.types';

export { findMutualSlots, SEARCH_CHUNK_DAYS } from './mutual-slots';
export { caseloadPoints, SCORE, soonestPoints } from './score';
export type { CandidateReasonCode } from './score';

export const DEFAULT_MATCH_LIMIT = 5;
export const DEFAULT_SLOTS_PER_CANDIDATE = 3;

/**
 * The hard rules that need no slot maths (libs/rules, hardRuleViolations), in
 * contract order. Empty when the supporter passes them all. Exported for the
 * assignment check (422 with the first code; then findMutualSlots for
 * `no_availability`).
 */
export function cheapExclusionReasons(request: MatchRequest, supporter: MatchSupporter): MatchReason[] {
  return hardRuleViolations(askedOf(request), supporter);
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
 * The first `limit` in compareCandidates order, in that order: the same as sorting all and slicing (the order
 * is total: it ends on the id), without sorting the hundreds that are not shown.
 */
function best(scored: Scored[], limit: number): Scored[] {
  const top: Scored[] = [];
  if (limit === 0) return top;
  for (const s of scored) {
    if (top.length === limit && compareCandidates(s, top[limit - 1]) >= 0) continue;
    let i = top.length === limit ? limit - 1 : top.length;
    while (i > 0 && compareCandidates(s, top[i - 1]) < 0) {
      top[i] = top[i - 1];
      i--;
    }
    top[i] = s;
  }
  return top;
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

  const candidates: MatchCandidate[] = best(eligible, limit).map((s) => ({
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
