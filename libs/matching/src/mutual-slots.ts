import { sociableConstraint } from '@app/rules';
import { expandWeeklyRules, generateSlots } from '@app/scheduling';
import type { Interval } from '@app/scheduling';
import type { MatchPolicy, MatchRequest, MatchSupporter } from './match.types';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

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
  const sociable = sociableConstraint(
    supporter.kind,
    policy.sociableHours,
    supporter.timeZone,
    request.caller.timeZone,
  );

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
