import { DomainError } from './domain-error';
import { parseInstant } from './validators';

const DAY_MS = 86_400_000;

/**
 * The [from, to) of a list query in epoch ms: `from` defaults to now, `to` to `defaultDays` after from; `to` must
 * be later than from and at most `maxDays` after it (400 validation_failed naming `to`). The instants have
 * already passed IsInstant.
 */
export function queryRange(
  q: { from?: string; to?: string },
  opts: { now: number; defaultDays: number; maxDays: number },
): { start: number; end: number } {
  const start = q.from ? parseInstant(q.from)!.toMillis() : opts.now;
  const end = q.to ? parseInstant(q.to)!.toMillis() : start + opts.defaultDays * DAY_MS;
  if (end <= start) throw DomainError.validation([{ field: 'to', message: 'must be later than from' }]);
  if (end - start > opts.maxDays * DAY_MS)
    throw DomainError.validation([{ field: 'to', message: `must be at most ${opts.maxDays} days after from` }]);
  return { start, end };
}
