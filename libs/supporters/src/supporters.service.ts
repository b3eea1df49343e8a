import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { assertSupporterScope } from '@app/auth';
import { APP_CONFIG, AppConfig, DomainError, normalisePhone, parseInstant, videoJoinUrl } from '@app/common';
import { isUniqueViolation } from '@app/database';
import { PoliciesService } from '@app/policies';
import { Interval, parseWallTime, rulesOutsideSociableHours, validateWeeklyRules, WeeklyRule } from '@app/scheduling';
import { AvailabilityRule } from './availability-rule.entity';
import { AvailabilityDto, TimeOffDto, TimeOffView } from './dto/availability.dto';
import { CreateSupporterDto, SupporterView, UpdateSupporterDto } from './dto/supporter.dto';
import { Modality, Supporter } from './supporter.entity';
import { SupporterProfile, SupportersRepository } from './supporters.repository';
import { TimeOff } from './time-off.entity';

export function formatWallTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function toRule(r: AvailabilityRule): WeeklyRule {
  return { weekday: r.weekday, start: formatWallTime(r.startMinute), end: formatWallTime(r.endMinute) };
}

export function toSupporterView(s: Supporter): SupporterView {
  return {
    id: s.id,
    kind: s.kind,
    displayName: s.displayName,
    email: s.email,
    phone: s.phone,
    specialty: s.specialty,
    gender: s.gender,
    languages: s.languages,
    timeZone: s.timeZone,
    workplaces: s.workplaces,
    maxActiveCases: s.maxActiveCases,
    modalities: s.modalities,
    active: s.active,
    notifyByEmail: s.notifyByEmail,
    meetingUrl: s.meetingUrl ?? null,
  };
}

function toTimeOffView(t: TimeOff): TimeOffView {
  return { id: t.id, start: t.startsAt.toISOString(), end: t.endsAt.toISOString(), reason: t.reason };
}

/** A supporter's schedule inputs, as the pure scheduling library wants them. */
export interface SupporterSchedule {
  supporter: Supporter;
  rules: WeeklyRule[];
  timeOff: Interval[];
}

export type MatchingProfile = Omit<SupporterProfile, 'rules'> & { rules: WeeklyRule[] };

const DAY = 86_400_000;
/**
 * How far past the first request's end the cached unavailability reaches: the
 * next day's requests, whose windows slide forward with the clock, are served
 * from the same copy; after that it is read again.
 */
const UNAVAILABILITY_CACHE_AHEAD_MS = DAY;

/** A per-process copy of every supporter's unavailability over [from, to), sorted by start, as of `version`. */
interface UnavailabilityCache {
  version: bigint;
  from: number;
  to: number;
  bySupporter: Map<string, Interval[]>;
}

@Injectable()
export class SupportersService {
  private directory?: { version: string; profiles: MatchingProfile[] };
  private unavailability?: UnavailabilityCache;
  /** The read under way, so that requests arriving together after a change wait for one read, not one each. */
  private unavailabilityLoading?: Promise<UnavailabilityCache>;

  constructor(
    private readonly repo: SupportersRepository,
    private readonly policies: PoliciesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * What the supporter can really offer: video only when there is a link to give (VIDEO_ROOM_BASE_URL, or their own
   * meetingUrl): no promise of a video call without one. Their stored `modalities` keep what they would offer.
   */
  offeredModalities(s: { modalities: Modality[]; meetingUrl?: string | null }): Modality[] {
    return this.config.videoRoomBaseUrl || s.meetingUrl ? s.modalities : s.modalities.filter((x) => x !== 'video');
  }

  /** A video session's join link (see videoJoinUrl); null for a phone session or when there is none. */
  videoLink(
    s: { meetingUrl?: string | null },
    booking: { modality: Modality; videoRoom?: string | null },
  ): string | null {
    return booking.modality === 'video'
      ? videoJoinUrl(s.meetingUrl, this.config.videoRoomBaseUrl, booking.videoRoom)
      : null;
  }

  async create(dto: CreateSupporterDto): Promise<SupporterView> {
    try {
      const s = await this.repo.insert({
        kind: dto.kind,
        displayName: dto.displayName,
        email: dto.email,
        phone: dto.phone ? normalisePhone(dto.phone) : null,
        specialty: dto.specialty ?? null,
        gender: dto.gender ?? null,
        languages: dto.languages ?? ['en'],
        timeZone: dto.timeZone,
        workplaces: dto.workplaces ?? [],
        maxActiveCases: dto.maxActiveCases,
        modalities: dto.modalities ?? ['phone'],
        active: dto.active ?? true,
        notifyByEmail: dto.notifyByEmail ?? true,
        meetingUrl: dto.meetingUrl ?? null,
      });
      return toSupporterView(s);
    } catch (err) {
      throw this.translate(err);
    }
  }

  async list(filter: { kind?: string; active?: boolean } = {}): Promise<SupporterView[]> {
    return (await this.repo.list(filter)).map(toSupporterView);
  }

  async get(id: string, user: AuthUser): Promise<SupporterView> {
    assertSupporterScope(user, id);
    return toSupporterView(await this.require(id));
  }

  /** For other libraries: the entity, or 404. */
  async require(id: string, manager?: EntityManager): Promise<Supporter> {
    const s = await this.repo.findById(id, manager);
    if (!s) throw DomainError.notFound('Supporter');
    return s;
  }

  /** Locks the supporter row: assignments of one supporter queue here, so capacity holds under concurrency. */
  /**
   * Locks the supporter for the rest of the transaction and reads its
   * schedule with it (booking's second read: rules, and time off overlapping
   * `range`). Null when there is no such supporter.
   */
  async lockWithSchedule(id: string, range: Interval, m: EntityManager): Promise<SupporterSchedule | null> {
    const row = await this.repo.lockWithSchedule(id, new Date(range.start), new Date(range.end), m);
    if (!row) return null;
    return {
      supporter: row.supporter,
      rules: row.rules.map(([weekday, start, end]) => ({
        weekday,
        start: formatWallTime(start),
        end: formatWallTime(end),
      })),
      timeOff: row.timeOff.map(([start, end]) => ({ start, end })),
    };
  }

  async lockForAssignment(id: string, m: EntityManager): Promise<Supporter> {
    const s = await this.repo.lockById(id, m);
    if (!s) throw DomainError.notFound('Supporter');
    return s;
  }

  async update(id: string, dto: UpdateSupporterDto, user: AuthUser): Promise<SupporterView> {
    assertSupporterScope(user, id);
    // workplaces decide conflict-of-interest exclusions: a supporter must not be able to lift its own
    if (
      user.role === 'supporter' &&
      (dto.kind !== undefined || dto.maxActiveCases !== undefined || dto.workplaces !== undefined)
    ) {
      throw DomainError.forbidden("Only an admin can change a supporter's kind, caseload limit or workplaces.");
    }
    return this.repo.transaction(async (m) => {
      const s = await this.repo.lockById(id, m);
      if (!s) throw DomainError.notFound('Supporter');
      if (dto.kind === 'peer' && s.kind !== 'peer') {
        await this.assertPeerRulesSociable((await this.repo.rulesOf([id], m)).map(toRule), m);
      }
      const { phone, ...rest } = dto;
      Object.assign(s, rest);
      if (phone !== undefined) s.phone = phone ? normalisePhone(phone) : null;
      try {
        return toSupporterView(await this.repo.save(s, m));
      } catch (err) {
        throw this.translate(err);
      }
    });
  }

  async getAvailability(id: string, user: AuthUser): Promise<{ weekly: WeeklyRule[] }> {
    assertSupporterScope(user, id);
    await this.require(id);
    return { weekly: (await this.repo.rulesOf([id])).map(toRule) };
  }

  /** Replace-all, in one transaction, with the supporter row locked. */
  async replaceAvailability(id: string, dto: AvailabilityDto, user: AuthUser): Promise<{ weekly: WeeklyRule[] }> {
    assertSupporterScope(user, id);
    const problems = validateWeeklyRules(dto.weekly, 'weekly');
    if (problems.length) throw DomainError.validation(problems, 'The weekly availability is not valid.');
    return this.repo.transaction(async (m) => {
      const s = await this.repo.lockById(id, m);
      if (!s) throw DomainError.notFound('Supporter');
      if (s.kind === 'peer') await this.assertPeerRulesSociable(dto.weekly, m);
      await this.repo.replaceRules(
        id,
        dto.weekly.map((r) => ({
          weekday: r.weekday,
          startMinute: parseWallTime(r.start)!,
          endMinute: parseWallTime(r.end, { allowEndOfDay: true })!,
        })),
        m,
      );
      return { weekly: (await this.repo.rulesOf([id], m)).map(toRule) };
    });
  }

  private async assertPeerRulesSociable(rules: WeeklyRule[], m: EntityManager): Promise<void> {
    const { sociableHours } = await this.policies.get(m);
    const outside = rulesOutsideSociableHours(rules, sociableHours);
    if (outside.length) {
      const days = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
      const first = rules[outside[0]];
      throw new DomainError(
        'outside_sociable_hours',
        `Peer support runs only within sociable hours (${sociableHours.start}–${sociableHours.end} on ${sociableHours.weekdays
          .map((d) => days[d])
          .join(', ')}, the peer's local time): ${days[first.weekday]} ${first.start}–${first.end} is outside them.`,
        {
          errors: outside.map((i) => ({
            field: `weekly[${i}]`,
            message: 'is outside the peer-support sociable hours',
          })),
          sociableHours,
        },
      );
    }
  }

  async listTimeOff(id: string, user: AuthUser): Promise<{ timeOff: TimeOffView[] }> {
    assertSupporterScope(user, id);
    await this.require(id);
    return { timeOff: (await this.repo.listTimeOff(id)).map(toTimeOffView) };
  }

  async addTimeOff(id: string, dto: TimeOffDto, user: AuthUser): Promise<TimeOffView> {
    assertSupporterScope(user, id);
    const start = parseInstant(dto.start)!;
    const end = parseInstant(dto.end)!;
    if (end <= start) throw DomainError.validation([{ field: 'end', message: 'must be later than start' }]);
    await this.require(id);
    const t = await this.repo.insertTimeOff({
      supporterId: id,
      startsAt: start.toJSDate(),
      endsAt: end.toJSDate(),
      reason: dto.reason ?? null,
    });
    return toTimeOffView(t);
  }

  async deleteTimeOff(id: string, timeOffId: string, user: AuthUser): Promise<void> {
    assertSupporterScope(user, id);
    if (!(await this.repo.deleteTimeOff(id, timeOffId))) throw DomainError.notFound('Time off');
  }

  /** Bulk load for slots and matching: rules and time off overlapping the range, one plain query each. */
  async schedules(
    supporters: Supporter[],
    range: Interval,
    manager?: EntityManager,
  ): Promise<Map<string, SupporterSchedule>> {
    const ids = supporters.map((s) => s.id);
    // One connection per transaction: queries on a manager run one after the other.
    const rules = await this.repo.rulesRaw(ids, manager);
    const timeOff = await this.repo.timeOffRaw(ids, new Date(range.start), new Date(range.end), manager);
    const out = new Map<string, SupporterSchedule>();
    for (const s of supporters) out.set(s.id, { supporter: s, rules: [], timeOff: [] });
    for (const r of rules) {
      out
        .get(r.supporter_id)
        ?.rules.push({ weekday: r.weekday, start: formatWallTime(r.start_minute), end: formatWallTime(r.end_minute) });
    }
    for (const t of timeOff) out.get(t.supporter_id)?.timeOff.push({ start: t.s, end: t.e });
    return out;
  }

  /**
   * Every supporter with its weekly rules (the matching hot path). Kept in memory and read again only
   * when directory_version says something changed, in this process or any other. Treat as read-only.
   */
  async profiles(): Promise<readonly MatchingProfile[]> {
    const version = await this.repo.directoryVersion();
    if (this.directory?.version === version) return this.directory.profiles;
    const profiles = (await this.repo.profilesWithRules()).map(({ meetingUrl, ...p }) => ({
      ...p,
      modalities: this.offeredModalities({ modalities: p.modalities, meetingUrl }),
      rules: p.rules.map(([weekday, start, end]) => ({
        weekday,
        start: formatWallTime(start),
        end: formatWallTime(end),
      })),
    }));
    this.directory = { version, profiles };
    return profiles;
  }

  /** Time off overlapping the range, per supporter (every supporter when `ids` is undefined), in one query. */
  async timeOffOf(ids: string[] | undefined, range: Interval): Promise<Map<string, Interval[]>> {
    const out = new Map<string, Interval[]>();
    for (const t of await this.repo.timeOffRaw(ids, new Date(range.start), new Date(range.end))) {
      const list = out.get(t.supporter_id) ?? [];
      list.push({ start: t.s, end: t.e });
      out.set(t.supporter_id, list);
    }
    return out;
  }

  /**
   * Every supporter's unavailability (time off and imported calendar busy
   * time) overlapping `range`, for matching's short first window. Served from
   * a per-process copy of a somewhat wider window, read again when
   * unavailability_version says something changed (in this process or any
   * other; checked on every call, so a committed change is seen by the very
   * next request) or when the copy no longer covers `range`. The lists are
   * shared between calls: treat as read-only. Booking and slots read in their
   * own transaction instead (`lockWithSchedule`, `schedules`).
   */
  async unavailabilityOfAll(range: Interval): Promise<Map<string, Interval[]>> {
    // Read before the rows: the copy is then at least as new as the version it is filed under.
    const version = BigInt(await this.repo.unavailabilityVersion());
    let cache = this.unavailability;
    if (!cache || cache.version !== version || !covers(cache, range))
      cache = await this.loadUnavailability(version, range);
    const out = new Map<string, Interval[]>();
    for (const [id, list] of cache.bySupporter) {
      const inside = overlapping(list, range);
      if (inside.length) out.set(id, inside);
    }
    return out;
  }

  private async loadUnavailability(version: bigint, range: Interval): Promise<UnavailabilityCache> {
    const pending = this.unavailabilityLoading;
    if (pending) {
      const shared = await pending;
      if (shared.version >= version && covers(shared, range)) return shared;
    }
    const window = { start: range.start, end: range.end + UNAVAILABILITY_CACHE_AHEAD_MS };
    const load = this.timeOffOf(undefined, window).then((bySupporter) => ({
      version,
      from: window.start,
      to: window.end,
      bySupporter,
    }));
    this.unavailabilityLoading = load;
    try {
      const loaded = await load;
      // A slower, older read must not replace a newer copy.
      if (!this.unavailability || this.unavailability.version <= loaded.version) this.unavailability = loaded;
      return loaded;
    } finally {
      if (this.unavailabilityLoading === load) this.unavailabilityLoading = undefined;
    }
  }

  listEntities(filter: { kind?: string; active?: boolean } = {}): Promise<Supporter[]> {
    return this.repo.list(filter);
  }

  private translate(err: unknown): unknown {
    if (isUniqueViolation(err, 'uq_supporters_email'))
      return new DomainError('email_taken', 'A supporter with that e-mail address already exists.');
    return err;
  }
}

function covers(cache: UnavailabilityCache, range: Interval): boolean {
  return cache.from <= range.start && range.end <= cache.to;
}

/** The intervals of `list` overlapping `range`; `list` itself when all do (the usual case), so nothing is copied. */
function overlapping(list: Interval[], range: Interval): Interval[] {
  if (list.every((t) => t.start < range.end && t.end > range.start)) return list;
  return list.filter((t) => t.start < range.end && t.end > range.start);
}
