import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { BookingsService, toBookingView } from '@app/booking';
import { DomainError, normalisePhone } from '@app/common';
import { Caller, IntakeService, toIntakeView } from '@app/intake';
import { SearchHitView, SearchResponse } from './dto/search.dto';

/** At most this many callers per answer: a search box, not an export. */
export const SEARCH_LIMIT = 20;
/** The shortest name term the trigram index can answer (shorter ones would scan every caller). */
const MIN_NAME_TERM = 3;

export type ParsedQuery =
  { kind: 'reference'; reference: string } | { kind: 'phone'; phone: string } | { kind: 'name'; terms: string[] };

const invalid = (message: string) => DomainError.validation([{ field: 'q', message }]);

/**
 * How a search box's text is read: `PS-…`/`RQ-…` (any case, spaces or dashes
 * between the groups) is a reference; only digits, spaces and `+()-.` is a phone
 * number (normalised as everywhere else, so every spelling finds the caller);
 * anything else is a name, each word of 3 letters or more.
 */
export function parseSearch(raw: string): ParsedQuery {
  const q = raw.trim();
  const compact = q.toUpperCase().replace(/[\s-]/g, '');
  if (/^(PS|RQ)-/i.test(q) || /^(PS|RQ)[2-9A-HJ-NP-Z]{6}$/.test(compact)) {
    if (!/^(PS|RQ)[2-9A-HJ-NP-Z]{6}$/.test(compact))
      throw invalid('is not a reference: one looks like PS-7K3Q-9D or RQ-7K3Q-9D');
    return { kind: 'reference', reference: `${compact.slice(0, 2)}-${compact.slice(2, 6)}-${compact.slice(6)}` };
  }
  if (/^[\d\s+().-]+$/.test(q) && /\d/.test(q)) {
    const phone = normalisePhone(q);
    if (!phone) throw invalid('is not a phone number, e.g. 07700 900123 or +44 7700 900123');
    return { kind: 'phone', phone };
  }
  const terms = q
    .split(/\s+/)
    .filter((t) => t.length >= MIN_NAME_TERM)
    .slice(0, 5);
  if (!terms.length) throw invalid(`is too short: type at least ${MIN_NAME_TERM} letters of a name`);
  return { kind: 'name', terms };
}

/**
 * Use case: one search box across callers, intakes and bookings. It reveals
 * callers, so, like the caller look-up, each caller it returns is audited
 * (`caller.search`, with how the query was read but never the query).
 */
@Injectable()
export class SearchService {
  constructor(
    private readonly intakes: IntakeService,
    private readonly bookings: BookingsService,
    private readonly audit: AuditService,
  ) {}

  async search(raw: string): Promise<SearchResponse> {
    const parsed = parseSearch(raw);
    const matched = new Map<string, Pick<SearchHitView, 'matchedIntakeId' | 'matchedBooking'>>();
    let callers: Caller[];
    if (parsed.kind === 'reference') {
      callers = await this.byReference(parsed.reference, matched);
    } else if (parsed.kind === 'phone') {
      callers = (await this.intakes.findCallersByPhone(parsed.phone)) ?? [];
    } else {
      callers = await this.intakes.searchCallersByName(parsed.terms, SEARCH_LIMIT);
    }
    const ids = callers.map((c) => c.id);
    const [open, upcoming, last] = [
      await this.intakes.openIntakesOf(ids),
      await this.bookings.upcomingOfCallers(ids),
      await this.bookings.lastSupporters(ids),
    ];
    await this.audit.record('caller.search', ids, { kind: parsed.kind });
    return {
      kind: parsed.kind,
      results: callers.map((c) => ({
        caller: {
          id: c.id,
          name: c.name,
          phone: c.phone,
          email: c.email,
          ...(last.has(c.id) ? { lastSupporter: last.get(c.id)! } : {}),
        },
        openIntakes: open.filter((i) => i.callerId === c.id).map((i) => toIntakeView(i, c)),
        upcomingSessions: upcoming.filter((b) => b.callerId === c.id).map((b) => toBookingView(b)),
        ...matched.get(c.id),
      })),
    };
  }

  private async byReference(
    reference: string,
    matched: Map<string, Pick<SearchHitView, 'matchedIntakeId' | 'matchedBooking'>>,
  ): Promise<Caller[]> {
    if (reference.startsWith('RQ-')) {
      const intake = await this.intakes.findIntakeByReference(reference);
      if (!intake) return [];
      matched.set(intake.callerId, { matchedIntakeId: intake.id });
      return this.intakes.callersByIds([intake.callerId]);
    }
    const booking = await this.bookings.findByReference(reference);
    if (!booking) return [];
    matched.set(booking.callerId, { matchedBooking: toBookingView(booking) });
    return this.intakes.callersByIds([booking.callerId]);
  }
}
