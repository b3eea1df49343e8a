// Long on purpose: the table-driven cases of one pure function (matchSupporters) and its parts, kept together so a
// rule's cases sit side by side; the shared rules' own tables are in libs/rules.
import { DateTime } from 'luxon';
import { expandWeeklyRules, generateSlots, type Interval, type WeeklyRule } from '@app/scheduling';
import {
  SEARCH_CHUNK_DAYS,
  caseloadPoints,
  cheapExclusionReasons,
  findMutualSlots,
  matchSupporters,
  SCORE,
  soonestPoints,
} from './match';
import type { MatchPolicy, MatchRequest, MatchResult, MatchSupporter } from './match.types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

/** Monday 4 January 2027, midnight UTC (= London; winter). */
const NOW = at('2027-01-04T00:00:00Z');

const policy: MatchPolicy = {
  sociableHours: { start: '08:00', end: '20:00', weekdays: [1, 2, 3, 4, 5, 6, 7] },
  defaultDurationMinutes: 50,
  bufferMinutes: 10,
  minimumNoticeMinutes: 120,
  bookingHorizonDays: 92,
};

function weekly(weekdays: number[], start: string, end: string): WeeklyRule[] {
  return weekdays.map((weekday) => ({ weekday, start, end }));
}
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

let seq = 0;
function supporter(over: Partial<MatchSupporter> = {}): MatchSupporter {
  seq += 1;
  return {
    id: `s-${String(seq).padStart(3, '0')}`,
    displayName: `Dr ${String(seq).padStart(3, '0')}`,
    kind: 'peer',
    active: true,
    gender: 'female',
    languages: ['en'],
    specialty: 'Anaesthetics',
    workplaces: ['St Elsewhere Hospital'],
    maxActiveCases: 5,
    modalities: ['phone', 'video'],
    timeZone: 'Europe/London',
    activeCases: 0,
    supportedBefore: false,
    rules: weekly(EVERY_DAY, '09:00', '17:00'),
    timeOff: [],
    busy: [],
    ...over,
  };
}

function request(
  over: {
    service?: MatchRequest['service'];
    caller?: Partial<MatchRequest['caller']>;
    preferences?: MatchRequest['preferences'];
  } = {},
): MatchRequest {
  return {
    service: over.service ?? 'peer_support',
    caller: { timeZone: 'Europe/London', workplace: 'Royal Infirmary', specialty: 'Surgery', ...over.caller },
    preferences: over.preferences ?? {},
  };
}

function match(
  req: MatchRequest,
  supporters: MatchSupporter[],
  opts: { limit?: number; slotsPerCandidate?: number; now?: number; policy?: MatchPolicy } = {},
): MatchResult {
  return matchSupporters(req, supporters, opts.policy ?? policy, {
    now: opts.now ?? NOW,
    limit: opts.limit,
    slotsPerCandidate: opts.slotsPerCandidate,
  });
}

const codes = (reasons: { code: string }[]): string[] => reasons.map((r) => r.code);

/** Independent check (luxon, not the scheduling lib) that a slot is sociable in a zone. */
function sociableIn(slot: Interval, zone: string, p: MatchPolicy = policy): boolean {
  const s = DateTime.fromMillis(slot.start, { zone });
  const e = DateTime.fromMillis(slot.end, { zone });
  const hhmm = (d: DateTime) => d.toFormat('HH:mm');
  const endOk = hhmm(e) <= p.sociableHours.end && (e.hasSame(s, 'day') || hhmm(e) === '00:00');
  return (
    p.sociableHours.weekdays.includes(s.weekday) && hhmm(s) >= p.sociableHours.start && endOk && e.hasSame(s, 'day')
  );
}

describe('matchSupporters: hard rules', () => {
  const excludedCases: Array<{
    name: string;
    who: Partial<MatchSupporter>;
    req?: Parameters<typeof request>[0];
    code: string;
  }> = [
    { name: 'a counsellor for peer support', who: { kind: 'counsellor' }, code: 'wrong_service' },
    { name: 'a peer for counselling', who: { kind: 'peer' }, req: { service: 'counselling' }, code: 'wrong_service' },
    { name: 'an inactive supporter', who: { active: false }, code: 'inactive' },
    {
      name: "the caller's workplace (trimmed, any case)",
      who: { workplaces: ['Somewhere Else', 'St Elsewhere Hospital'] },
      req: { caller: { workplace: '  st ELSEWHERE   hospital ' } },
      code: 'conflict_of_interest',
    },
    { name: 'a full caseload', who: { activeCases: 5, maxActiveCases: 5 }, code: 'at_capacity' },
    { name: 'an over-full caseload', who: { activeCases: 7, maxActiveCases: 5 }, code: 'at_capacity' },
    {
      name: 'another gender than asked',
      who: { gender: 'female' },
      req: { preferences: { supporterGender: 'male' } },
      code: 'gender_preference',
    },
    {
      name: 'no gender on record when one is asked for',
      who: { gender: null },
      req: { preferences: { supporterGender: 'female' } },
      code: 'gender_preference',
    },
    {
      name: 'none of the languages asked for',
      who: { languages: ['en', 'fr'] },
      req: { preferences: { languages: ['cy', 'pl'] } },
      code: 'language',
    },
    {
      name: 'no languages at all when some are asked for',
      who: { languages: [] },
      req: { preferences: { languages: ['en'] } },
      code: 'language',
    },
    { name: 'no availability rules', who: { rules: [] }, code: 'no_availability' },
    {
      name: 'a peer available only outside sociable hours',
      who: { rules: weekly(EVERY_DAY, '20:00', '23:00') },
      code: 'no_availability',
    },
    {
      name: 'time off across the whole horizon',
      who: { timeOff: [{ start: NOW - DAY, end: NOW + 100 * DAY }] },
      code: 'no_availability',
    },
    {
      name: 'a counsellor with no rules',
      who: { kind: 'counsellor', rules: [] },
      req: { service: 'counselling' },
      code: 'no_availability',
    },
  ];

  it.each(excludedCases)('excludes $name with $code, and only that', ({ who, req, code }) => {
    const s = supporter(who);
    const result = match(request(req), [s]);
    expect(result.candidates).toEqual([]);
    expect(result.excluded).toHaveLength(1);
    expect(result.excluded[0].supporterId).toBe(s.id);
    expect(result.excluded[0].displayName).toBe(s.displayName);
    expect(codes(result.excluded[0].reasons)).toEqual([code]);
    expect(result.excluded[0].reasons[0].text.length).toBeGreaterThan(0);
  });

  const passingCases: Array<{ name: string; who: Partial<MatchSupporter>; req?: Parameters<typeof request>[0] }> = [
    { name: 'a peer for peer support', who: {} },
    { name: 'a counsellor for counselling', who: { kind: 'counsellor' }, req: { service: 'counselling' } },
    {
      name: 'a different workplace',
      who: { workplaces: ['St Elsewhere Hospital'] },
      req: { caller: { workplace: 'Royal Infirmary' } },
    },
    { name: 'a caller with no workplace', who: { workplaces: [''] }, req: { caller: { workplace: null } } },
    { name: 'a caller with an empty workplace', who: { workplaces: ['  '] }, req: { caller: { workplace: ' ' } } },
    { name: 'one place left', who: { activeCases: 4, maxActiveCases: 5 } },
    { name: 'gender in another case', who: { gender: 'Female' }, req: { preferences: { supporterGender: 'FEMALE ' } } },
    { name: 'no gender asked, none on record', who: { gender: null }, req: { preferences: { supporterGender: null } } },
    {
      name: 'one of several languages, any case',
      who: { languages: ['EN', 'cy'] },
      req: { preferences: { languages: ['pl', 'Cy'] } },
    },
    { name: 'a regional language tag', who: { languages: ['en-GB'] }, req: { preferences: { languages: ['en'] } } },
    { name: 'an empty language list', who: { languages: [] }, req: { preferences: { languages: [] } } },
    {
      name: 'every preference null',
      who: { gender: null, languages: [] },
      req: { preferences: { supporterGender: null, languages: null, modality: null, sameSpecialty: null } },
    },
    {
      name: 'a modality not offered (a preference, not a rule)',
      who: { modalities: ['phone'] },
      req: { preferences: { modality: 'video' } },
    },
    {
      name: 'a counsellor available only at night (counselling runs 24/7)',
      who: { kind: 'counsellor', rules: weekly(EVERY_DAY, '01:00', '04:00') },
      req: { service: 'counselling' },
    },
  ];

  it.each(passingCases)('keeps $name', ({ who, req }) => {
    const s = supporter(who);
    const result = match(request(req), [s]);
    expect(result.excluded).toEqual([]);
    expect(result.candidates.map((c) => c.supporterId)).toEqual([s.id]);
    expect(result.candidates[0].nextSlots.length).toBeGreaterThan(0);
  });

  it('lists every cheap reason at once, in contract order, and skips the slot search', () => {
    const s = supporter({
      kind: 'counsellor',
      active: false,
      workplaces: ['Royal Infirmary'],
      activeCases: 3,
      maxActiveCases: 3,
      gender: 'male',
      languages: ['fr'],
      rules: [],
    });
    const result = match(request({ preferences: { supporterGender: 'female', languages: ['en'] } }), [s]);
    expect(codes(result.excluded[0].reasons)).toEqual([
      'wrong_service',
      'inactive',
      'conflict_of_interest',
      'at_capacity',
      'gender_preference',
      'language',
    ]);
  });

  it('gives no_availability only to supporters who pass every other rule', () => {
    const noRules = supporter({ rules: [] });
    const inactiveNoRules = supporter({ rules: [], active: false });
    const result = match(request(), [noRules, inactiveNoRules]);
    expect(result.excluded.map((e) => codes(e.reasons))).toEqual([['no_availability'], ['inactive']]);
  });

  it('never leaves reasons empty, for candidates or exclusions', () => {
    const all = [
      supporter(),
      supporter({ active: false }),
      supporter({ rules: [] }),
      supporter({ supportedBefore: true }),
      supporter({ kind: 'counsellor' }),
    ];
    const result = match(request(), all, { limit: 10 });
    expect(result.candidates.length + result.excluded.length).toBe(all.length);
    for (const entry of [...result.candidates, ...result.excluded]) {
      expect(entry.reasons.length).toBeGreaterThan(0);
      for (const r of entry.reasons) {
        expect(r.code).toMatch(/^[a-z_]+$/);
        expect(r.text.trim().length).toBeGreaterThan(0);
      }
    }
  });

  it('lists excluded supporters in input order', () => {
    const a = supporter({ active: false, displayName: 'Zed' });
    const b = supporter({ rules: [], displayName: 'Amy' });
    const c = supporter({ kind: 'counsellor', displayName: 'Max' });
    expect(match(request(), [a, b, c]).excluded.map((e) => e.supporterId)).toEqual([a.id, b.id, c.id]);
  });

  it('exposes the cheap rules on their own for the assignment check', () => {
    expect(cheapExclusionReasons(request(), supporter())).toEqual([]);
    expect(codes(cheapExclusionReasons(request(), supporter({ active: false, activeCases: 9 })))).toEqual([
      'inactive',
      'at_capacity',
    ]);
  });
});

describe('matchSupporters: continuity', () => {
  it('puts a supporter who has supported the caller before ahead of a better score', () => {
    // Continuity: busier and only free next week; fresh: empty caseload, free today.
    const returning = supporter({
      supportedBefore: true,
      activeCases: 4,
      rules: weekly([1], '09:00', '11:00'),
      busy: [{ start: at('2027-01-04T09:00:00Z'), end: at('2027-01-04T11:00:00Z') }],
    });
    const fresh = supporter({ activeCases: 0 });
    const result = match(request(), [fresh, returning]);
    expect(result.candidates.map((c) => c.supporterId)).toEqual([returning.id, fresh.id]);
    const [first, second] = result.candidates;
    expect(first.score).toBeLessThan(second.score);
    expect(first.continuity).toBe(true);
    expect(first.reasons[0]).toEqual({ code: 'continuity', text: 'Has supported this caller before' });
    expect(second.continuity).toBe(false);
    expect(codes(second.reasons)).not.toContain('continuity');
  });

  it('orders several continuity candidates among themselves by score, all before the others', () => {
    const bestOverall = supporter({ activeCases: 0 });
    const returningBusy = supporter({ supportedBefore: true, activeCases: 4 });
    const returningLight = supporter({ supportedBefore: true, activeCases: 1 });
    const result = match(request(), [bestOverall, returningBusy, returningLight]);
    expect(result.candidates.map((c) => c.supporterId)).toEqual([returningLight.id, returningBusy.id, bestOverall.id]);
    expect(result.candidates.map((c) => c.continuity)).toEqual([true, true, false]);
  });

  it('flags an excluded supporter who supported the caller before, and only them', () => {
    const formerFull = supporter({ supportedBefore: true, activeCases: 5 });
    const strangerFull = supporter({ activeCases: 5 });
    const result = match(request(), [formerFull, strangerFull]);
    expect(result.excluded[0]).toEqual({
      supporterId: formerFull.id,
      displayName: formerFull.displayName,
      continuity: true,
      reasons: [expect.objectContaining({ code: 'at_capacity' })],
    });
    expect(result.excluded[1].continuity).toBeUndefined();
    expect('continuity' in result.excluded[1]).toBe(false);
    // The continuity reason belongs to candidates; an exclusion says why they cannot be matched.
    expect(codes(result.excluded[0].reasons)).not.toContain('continuity');
  });
});

describe('matchSupporters: time zones and sociable hours', () => {
  it('never offers a Singapore caller 18:00 London (02:00 in Singapore)', () => {
    const s = supporter({ rules: [...weekly([1], '08:00', '10:00'), ...weekly([1], '18:00', '20:00')] });
    const london = match(request(), [s]).candidates[0].nextSlots.map((i) => iso(i.start));
    expect(london).toEqual(['2027-01-04T08:00:00.000Z', '2027-01-04T09:00:00.000Z', '2027-01-04T18:00:00.000Z']);

    const singapore = match(request({ caller: { timeZone: 'Asia/Singapore' } }), [s]).candidates[0];
    expect(singapore.nextSlots.map((i) => iso(i.start))).toEqual([
      '2027-01-04T08:00:00.000Z', // 16:00 in Singapore
      '2027-01-04T09:00:00.000Z',
      '2027-01-11T08:00:00.000Z',
    ]);
    for (const slot of singapore.nextSlots) {
      expect(sociableIn(slot, 'Europe/London')).toBe(true);
      expect(sociableIn(slot, 'Asia/Singapore')).toBe(true);
    }
  });

  it('excludes a London evening-only peer for a Singapore caller', () => {
    const s = supporter({ rules: weekly(EVERY_DAY, '18:00', '20:00') });
    expect(match(request(), [s]).candidates).toHaveLength(1);
    const result = match(request({ caller: { timeZone: 'Asia/Singapore' } }), [s]);
    expect(result.candidates).toEqual([]);
    expect(codes(result.excluded[0].reasons)).toEqual(['no_availability']);
    expect(result.excluded[0].reasons[0].text).toMatch(/sociable hours for both/);
  });

  it("checks the caller's own local weekday when it differs from the supporter's (Tokyo peer, Los Angeles caller)", () => {
    // Weekdays only. Mon 09:00 Tokyo is Sun 16:00 in Los Angeles (not sociable there);
    // Tue 09:00 Tokyo is Mon 16:00 in Los Angeles (sociable for both).
    const weekdaysOnly: MatchPolicy = {
      ...policy,
      sociableHours: { ...policy.sociableHours, weekdays: [1, 2, 3, 4, 5] },
    };
    const s = supporter({
      timeZone: 'Asia/Tokyo',
      rules: [...weekly([1], '09:00', '11:00'), ...weekly([2], '09:00', '11:00')],
    });
    const la = match(request({ caller: { timeZone: 'America/Los_Angeles' } }), [s], { policy: weekdaysOnly });
    const slots = la.candidates[0].nextSlots;
    expect(slots).toHaveLength(3);
    for (const slot of slots) {
      expect(DateTime.fromMillis(slot.start, { zone: 'Asia/Tokyo' }).weekday).toBe(2);
      expect(DateTime.fromMillis(slot.start, { zone: 'America/Los_Angeles' }).weekday).toBe(1);
      expect(sociableIn(slot, 'Asia/Tokyo', weekdaysOnly)).toBe(true);
      expect(sociableIn(slot, 'America/Los_Angeles', weekdaysOnly)).toBe(true);
    }
    expect(iso(slots[0].start)).toBe('2027-01-05T00:00:00.000Z'); // Tue 09:00 Tokyo, Mon 16:00 LA

    // A caller in Tokyo shares the supporter's Monday.
    const sunday = at('2027-01-03T00:00:00Z'); // Monday 4 Jan 09:00 Tokyo is still ahead
    const tokyo = match(request({ caller: { timeZone: 'Asia/Tokyo' } }), [s], { policy: weekdaysOnly, now: sunday });
    expect(iso(tokyo.candidates[0].nextSlots[0].start)).toBe('2027-01-04T00:00:00.000Z'); // Mon 09:00 Tokyo
    const laFromSunday = match(request({ caller: { timeZone: 'America/Los_Angeles' } }), [s], {
      policy: weekdaysOnly,
      now: sunday,
    });
    expect(iso(laFromSunday.candidates[0].nextSlots[0].start)).toBe('2027-01-05T00:00:00.000Z'); // Tue in Tokyo

    // Monday-only in Tokyo is always Sunday in Los Angeles: nothing mutual.
    const mondayOnly = supporter({ timeZone: 'Asia/Tokyo', rules: weekly([1], '09:00', '18:00') });
    const none = match(request({ caller: { timeZone: 'America/Los_Angeles' } }), [mondayOnly], {
      policy: weekdaysOnly,
    });
    expect(codes(none.excluded[0].reasons)).toEqual(['no_availability']);
  });

  it('does not apply sociable hours to counselling, in any zone', () => {
    const s = supporter({ kind: 'counsellor', rules: weekly([1], '02:00', '04:00') });
    const result = match(request({ service: 'counselling', caller: { timeZone: 'Asia/Singapore' } }), [s]);
    expect(result.candidates[0].nextSlots.map((i) => iso(i.start))).toEqual([
      '2027-01-04T02:00:00.000Z',
      '2027-01-04T03:00:00.000Z',
      '2027-01-11T02:00:00.000Z',
    ]);
  });

  it('follows the London clock change on 28 March 2027 (18:00Z before, 17:00Z after)', () => {
    const saturday = at('2027-03-20T00:00:00Z');
    const s = supporter({ rules: weekly([7], '18:00', '20:00') });
    const result = match(request(), [s], { now: saturday, slotsPerCandidate: 4 });
    expect(result.candidates[0].nextSlots.map((i) => iso(i.start))).toEqual([
      '2027-03-21T18:00:00.000Z', // GMT
      '2027-03-21T19:00:00.000Z',
      '2027-03-28T17:00:00.000Z', // BST: still 18:00 on the wall clock
      '2027-03-28T18:00:00.000Z',
    ]);
    expect(result.candidates[0].nextSlots.every((i) => i.end - i.start === 50 * 60_000)).toBe(true);
    // The staff text is in the supporter's wall-clock time.
    expect(result.candidates[0].reasons.find((r) => r.code === 'earliest_slot')?.text).toBe(
      'Free from Sun 21 Mar 18:00 (their time)',
    );
  });

  it('keeps a Singapore caller inside sociable hours across the London change', () => {
    // Sun 08:00-12:00 London is 16:00-20:00 SGT in winter but 15:00-19:00 SGT in summer.
    const saturday = at('2027-03-20T00:00:00Z');
    const s = supporter({ rules: weekly([7], '08:00', '12:00') });
    const result = match(request({ caller: { timeZone: 'Asia/Singapore' } }), [s], {
      now: saturday,
      slotsPerCandidate: 6,
    });
    const starts = result.candidates[0].nextSlots.map((i) => iso(i.start));
    expect(starts).toEqual([
      '2027-03-21T08:00:00.000Z', // 16:00 SGT
      '2027-03-21T09:00:00.000Z', // 17:00 SGT
      '2027-03-21T10:00:00.000Z',
      '2027-03-21T11:00:00.000Z', // 19:00-19:50 SGT
      '2027-03-28T07:00:00.000Z', // 08:00 BST, 15:00 SGT
      '2027-03-28T08:00:00.000Z',
    ]);
    for (const slot of result.candidates[0].nextSlots) {
      expect(sociableIn(slot, 'Asia/Singapore')).toBe(true);
      expect(sociableIn(slot, 'Europe/London')).toBe(true);
    }
  });

  it("shows the caller's time too when it differs", () => {
    const s = supporter({ rules: weekly([1], '09:00', '10:00') });
    const text = match(request({ caller: { timeZone: 'Asia/Singapore' } }), [s]).candidates[0].reasons.find(
      (r) => r.code === 'earliest_slot',
    )?.text;
    expect(text).toBe("Free from Mon 4 Jan 09:00 (their time), Mon 4 Jan 17:00 caller's time");
  });
});

describe('matchSupporters: slots', () => {
  it('respects minimum notice, bookings and time off', () => {
    const now = at('2027-01-04T08:30:00Z'); // notice: nothing before 10:30
    const s = supporter({
      rules: weekly([1], '09:00', '17:00'),
      busy: [{ start: at('2027-01-04T11:00:00Z'), end: at('2027-01-04T11:50:00Z') }],
      timeOff: [{ start: at('2027-01-04T13:00:00Z'), end: at('2027-01-04T15:00:00Z') }],
    });
    const starts = match(request(), [s], { now, slotsPerCandidate: 4 }).candidates[0].nextSlots.map((i) =>
      iso(i.start),
    );
    expect(starts).toEqual([
      '2027-01-04T12:00:00.000Z',
      '2027-01-04T15:00:00.000Z',
      '2027-01-04T16:00:00.000Z',
      '2027-01-11T09:00:00.000Z',
    ]);
  });

  it('finds availability beyond the first search, and fills nextSlots across its end', () => {
    // Only slot in the first week: Mon 4 Jan 09:00. Then time off until 1 Feb.
    const s = supporter({
      rules: weekly([1], '09:00', '10:00'),
      timeOff: [{ start: at('2027-01-05T00:00:00Z'), end: at('2027-02-01T00:00:00Z') }],
    });
    const starts = match(request(), [s]).candidates[0].nextSlots.map((i) => iso(i.start));
    expect(starts).toEqual(['2027-01-04T09:00:00.000Z', '2027-02-01T09:00:00.000Z', '2027-02-08T09:00:00.000Z']);

    const later = supporter({
      rules: weekly([1], '09:00', '10:00'),
      timeOff: [{ start: NOW, end: at('2027-03-01T00:00:00Z') }],
    });
    expect(match(request(), [later]).candidates[0].nextSlots.map((i) => iso(i.start))).toEqual([
      '2027-03-01T09:00:00.000Z',
      '2027-03-08T09:00:00.000Z',
      '2027-03-15T09:00:00.000Z',
    ]);
  });

  it('finds a slot in a window straddling the end of the first search', () => {
    // The first search ends at a London midnight (winter: UTC); the only free time
    // is 23:30 the evening before to 01:00 after it (a counsellor, so any hour).
    const boundary = NOW + SEARCH_CHUNK_DAYS[0] * DAY;
    const dayBefore = DateTime.fromMillis(boundary - HOUR, { zone: 'Europe/London' }).weekday;
    const dayAfter = DateTime.fromMillis(boundary, { zone: 'Europe/London' }).weekday;
    const s = supporter({
      kind: 'counsellor',
      rules: [...weekly([dayBefore], '23:30', '24:00'), ...weekly([dayAfter], '00:00', '01:00')],
      timeOff: [{ start: NOW, end: boundary - 12 * HOUR }],
    });
    const result = match(request({ service: 'counselling' }), [s], { slotsPerCandidate: 2 });
    expect(result.candidates).toHaveLength(1);
    const [first] = result.candidates[0].nextSlots;
    expect(first.start).toBeGreaterThanOrEqual(boundary - 30 * 60_000);
    expect(first.start).toBeLessThanOrEqual(boundary + 10 * 60_000);
    expect(first.end).toBeGreaterThan(boundary - 30 * 60_000);
  });

  it('matches a search of the whole horizon (chunking changes nothing)', () => {
    const variants = [
      supporter({ rules: weekly([3], '10:00', '12:00') }),
      supporter({
        rules: weekly([1, 5], '08:00', '20:00'),
        busy: [{ start: at('2027-01-04T08:00:00Z'), end: at('2027-01-08T20:00:00Z') }],
      }),
      supporter({ rules: weekly([6], '09:00', '10:00'), timeOff: [{ start: NOW, end: at('2027-01-16T09:30:00Z') }] }),
      supporter({
        rules: weekly([3], '10:00', '11:00'),
        timeOff: [{ start: at('2027-01-07T00:00:00Z'), end: at('2027-01-25T00:00:00Z') }],
      }),
      supporter({ timeZone: 'America/New_York', rules: weekly([2], '07:00', '16:00') }),
    ];
    const req = request({ caller: { timeZone: 'Europe/Paris' } });
    const horizonEnd = NOW + policy.bookingHorizonDays * DAY;
    for (const s of variants) {
      for (const count of [1, 3, 5]) {
        const whole = generateSlots({
          windows: expandWeeklyRules(s.rules, s.timeZone, { start: NOW - DAY, end: horizonEnd }),
          busy: s.busy,
          timeOff: s.timeOff,
          durationMinutes: policy.defaultDurationMinutes,
          bufferMinutes: policy.bufferMinutes,
          range: { start: NOW, end: horizonEnd },
          earliestStart: NOW + policy.minimumNoticeMinutes * 60_000,
          latestEnd: horizonEnd,
          sociable: { hours: policy.sociableHours, zones: [s.timeZone, 'Europe/Paris'] },
          limit: count,
        });
        const slots = findMutualSlots(req, s, policy, NOW, count);
        expect(slots).toEqual(whole);
        expect(slots).toHaveLength(count);
        for (const slot of slots) {
          expect(slot.start).toBeGreaterThanOrEqual(NOW + policy.minimumNoticeMinutes * 60_000);
          expect(slot.end).toBeLessThanOrEqual(horizonEnd);
          expect(sociableIn(slot, s.timeZone)).toBe(true);
          expect(sociableIn(slot, 'Europe/Paris')).toBe(true);
        }
      }
    }
  });

  it('returns slotsPerCandidate slots (default 3), and still excludes on availability with 0', () => {
    const s = supporter();
    expect(match(request(), [s]).candidates[0].nextSlots).toHaveLength(3);
    expect(match(request(), [s], { slotsPerCandidate: 1 }).candidates[0].nextSlots).toHaveLength(1);
    const zero = match(request(), [s, supporter({ rules: [] })], { slotsPerCandidate: 0 });
    expect(zero.candidates[0].nextSlots).toEqual([]);
    expect(codes(zero.excluded[0].reasons)).toEqual(['no_availability']);
  });

  it('never offers a slot beyond the booking horizon', () => {
    const shortHorizon: MatchPolicy = { ...policy, bookingHorizonDays: 5 };
    const onlySundays = supporter({ rules: weekly([7], '09:00', '12:00') }); // next Sunday is 10 Jan: beyond 5 days
    const result = match(request(), [onlySundays], { policy: shortHorizon });
    expect(codes(result.excluded[0].reasons)).toEqual(['no_availability']);
    expect(result.excluded[0].reasons[0].text).toContain('5 days');
  });
});

describe('matchSupporters: score and order', () => {
  it('prefers the earlier slot when caseloads are equal', () => {
    const tuesday = supporter({ rules: weekly([2], '09:00', '12:00'), activeCases: 2 });
    const monday = supporter({ rules: weekly([1], '09:00', '12:00'), activeCases: 2 });
    const result = match(request(), [tuesday, monday]);
    expect(result.candidates.map((c) => c.supporterId)).toEqual([monday.id, tuesday.id]);
    expect(result.candidates[0].score).toBeGreaterThan(result.candidates[1].score);
  });

  it('prefers the lighter caseload when the first slots are equal', () => {
    const busy = supporter({ activeCases: 3 });
    const light = supporter({ activeCases: 1 });
    const result = match(request(), [busy, light]);
    expect(result.candidates.map((c) => c.supporterId)).toEqual([light.id, busy.id]);
    expect(result.candidates[0].score).toBeGreaterThan(result.candidates[1].score);
  });

  it('compares caseloads as a share of each supporter’s maximum', () => {
    const half = supporter({ activeCases: 5, maxActiveCases: 10 });
    const quarter = supporter({ activeCases: 2, maxActiveCases: 8 });
    expect(match(request(), [half, quarter]).candidates.map((c) => c.supporterId)).toEqual([quarter.id, half.id]);
  });

  it('breaks exact ties by earliest slot, then display name, then id', () => {
    const b = supporter({ displayName: 'Dr B', id: 'x-2' });
    const a2 = supporter({ displayName: 'Dr A', id: 'x-9' });
    const a1 = supporter({ displayName: 'Dr A', id: 'x-1' });
    const result = match(request(), [b, a2, a1]);
    expect(result.candidates.map((c) => c.supporterId)).toEqual(['x-1', 'x-9', 'x-2']);
    expect(new Set(result.candidates.map((c) => c.score)).size).toBe(1);
  });

  it('computes the README worked example exactly', () => {
    // Now Mon 4 Jan 00:00Z; first slot Wed 6 Jan 09:00Z = 57 h = 2.375 days away; 1 of 4 cases;
    // asked for Welsh (spoken), video (offered), same specialty preferred (same).
    const s = supporter({
      rules: weekly([3], '09:00', '12:00'),
      activeCases: 1,
      maxActiveCases: 4,
      languages: ['en', 'cy'],
      modalities: ['phone', 'video'],
      specialty: 'surgery',
    });
    const req = request({
      caller: { specialty: 'Surgery' },
      preferences: { languages: ['cy'], modality: 'video', sameSpecialty: 'prefer' },
    });
    const c = match(req, [s]).candidates[0];
    const soon = 40 * Math.pow(0.5, 57 / 24 / 7); // 31.6
    expect(soon).toBeCloseTo(31.6, 1);
    expect(c.score).toBe(Math.round(soon + 15 + 10 + 10 + 10));
    expect(c.score).toBe(77);
    expect(c.reasons).toEqual([
      { code: 'earliest_slot', text: 'Free from Wed 6 Jan 09:00 (their time)' },
      { code: 'caseload', text: 'Caseload 1 of 4' },
      { code: 'language_match', text: 'Speaks Welsh' },
      { code: 'modality_offered', text: 'Offers video, as the caller prefers' },
      { code: 'same_specialty', text: 'Same specialty as the caller, as asked' },
    ]);
  });

  it('exposes the score parts with the documented shape', () => {
    expect(soonestPoints(NOW, NOW)).toBe(SCORE.soonest);
    expect(soonestPoints(NOW, NOW + 7 * DAY)).toBeCloseTo(20);
    expect(soonestPoints(NOW, NOW + 14 * DAY)).toBeCloseTo(10);
    expect(caseloadPoints(0, 5)).toBe(20);
    expect(caseloadPoints(4, 5)).toBeCloseTo(4);
    expect(caseloadPoints(5, 5)).toBe(0);
  });

  it('scores preferences met: gender, language, modality', () => {
    const req = request({ preferences: { supporterGender: 'female', languages: ['en'], modality: 'video' } });
    const plain = match(request(), [supporter()]).candidates[0];
    const met = match(req, [supporter()]).candidates[0];
    expect(met.score - plain.score).toBe(30);
    expect(codes(met.reasons)).toEqual([
      'earliest_slot',
      'caseload',
      'language_match',
      'gender_match',
      'modality_offered',
    ]);
  });

  it('ranks a supporter offering the preferred modality higher, without excluding the other', () => {
    const phoneOnly = supporter({ modalities: ['phone'] });
    const video = supporter({ modalities: ['video'] });
    const result = match(request({ preferences: { modality: 'video' } }), [phoneOnly, video]);
    expect(result.candidates.map((c) => c.supporterId)).toEqual([video.id, phoneOnly.id]);
    expect(result.candidates[1].reasons).toContainEqual({
      code: 'modality_not_offered',
      text: 'Does not offer video, which the caller prefers',
    });
    expect(result.candidates[0].score - result.candidates[1].score).toBe(10);
  });

  const specialtyCases: Array<{
    pref: 'prefer' | 'avoid' | 'any' | undefined;
    theirs: string | null;
    delta: number;
    code?: string;
  }> = [
    { pref: 'prefer', theirs: 'Surgery', delta: 10, code: 'same_specialty' },
    { pref: 'prefer', theirs: 'Psychiatry', delta: 0 },
    { pref: 'avoid', theirs: 'surgery ', delta: -10, code: 'same_specialty' },
    { pref: 'avoid', theirs: 'Psychiatry', delta: 10, code: 'different_specialty' },
    { pref: 'avoid', theirs: null, delta: 0 },
    { pref: 'any', theirs: 'Surgery', delta: 0 },
    { pref: undefined, theirs: 'Surgery', delta: 0 },
  ];
  it.each(specialtyCases)(
    'sameSpecialty $pref with a $theirs supporter scores $delta',
    ({ pref, theirs, delta, code }) => {
      const base = match(request(), [supporter({ specialty: theirs })]).candidates[0];
      const c = match(request({ caller: { specialty: 'Surgery' }, preferences: { sameSpecialty: pref } }), [
        supporter({ specialty: theirs }),
      ]).candidates[0];
      expect(c.score - base.score).toBe(delta);
      const specialtyCodes = codes(c.reasons).filter((x) => x.includes('specialty'));
      expect(specialtyCodes).toEqual(code ? [code] : []);
    },
  );

  it('puts a supporter from another specialty first when the caller wants to avoid their own', () => {
    const same = supporter({ specialty: 'Surgery' });
    const other = supporter({ specialty: 'Psychiatry', activeCases: 2 });
    const result = match(request({ caller: { specialty: 'Surgery' }, preferences: { sameSpecialty: 'avoid' } }), [
      same,
      other,
    ]);
    expect(result.candidates.map((c) => c.supporterId)).toEqual([other.id, same.id]);
  });

  it('lets absent preferences bind and score nothing', () => {
    const s = supporter({ gender: null, languages: [], specialty: null, modalities: [] });
    const result = match(request({ caller: { specialty: null, workplace: null } }), [s]);
    expect(result.excluded).toEqual([]);
    expect(codes(result.candidates[0].reasons)).toEqual(['earliest_slot', 'caseload']);
    expect(result.candidates[0].score).toBeGreaterThan(0);
    expect(result.candidates[0].score).toBeLessThanOrEqual(60);
  });

  it("keeps the caller's personal details out of reason texts", () => {
    const req = request({
      caller: { workplace: 'Royal Infirmary', specialty: 'Dermatology', timeZone: 'Europe/London' },
      preferences: { sameSpecialty: 'prefer' },
    });
    const result = match(req, [
      supporter({ specialty: 'Dermatology' }),
      supporter({ workplaces: ['Royal Infirmary'] }),
    ]);
    const texts = [...result.candidates, ...result.excluded].flatMap((e) => e.reasons.map((r) => r.text)).join(' | ');
    expect(texts).not.toMatch(/dermatology/i);
    expect(texts).not.toMatch(/royal infirmary/i);
    expect(texts).toContain('Same specialty as the caller');
  });
});

describe('matchSupporters: limit and purity', () => {
  it('returns at most limit candidates (default 5) but every exclusion', () => {
    const eligible = Array.from({ length: 7 }, (_, i) => supporter({ activeCases: i % 5 }));
    const out = [supporter({ active: false }), supporter({ rules: [] }), supporter({ kind: 'counsellor' })];
    const all = [...eligible, ...out];
    expect(match(request(), all).candidates).toHaveLength(5);
    expect(match(request(), all).excluded).toHaveLength(3);
    expect(match(request(), all, { limit: 2 }).candidates).toHaveLength(2);
    expect(match(request(), all, { limit: 0 }).candidates).toEqual([]);
    expect(match(request(), all, { limit: 50 }).candidates).toHaveLength(7);
    // The limit cuts the ranked list: the two returned are the two best.
    const ranked = match(request(), all, { limit: 50 }).candidates;
    for (let k = 1; k <= 7; k++) {
      const top = match(request(), all, { limit: k }).candidates.map((c) => c.supporterId);
      expect(top).toEqual(ranked.slice(0, k).map((c) => c.supporterId));
    }
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1].score).toBeGreaterThanOrEqual(ranked[i].score);
  });

  it('reads time only from options.now and changes none of its inputs', () => {
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now() must not be called');
    });
    try {
      const supporters = [
        supporter({ busy: [{ start: at('2027-01-04T09:00:00Z'), end: at('2027-01-04T09:50:00Z') }] }),
        supporter({ active: false }),
      ];
      const req = request({ preferences: { languages: ['EN'] } });
      const before = JSON.stringify({ supporters, req, policy });
      const first = match(req, supporters);
      const second = match(req, supporters);
      expect(second).toEqual(first);
      expect(JSON.stringify({ supporters, req, policy })).toBe(before);
      expect(match(req, supporters, { now: NOW + 7 * DAY }).candidates[0].nextSlots[0].start).toBeGreaterThan(
        first.candidates[0].nextSlots[0].start,
      );
    } finally {
      spy.mockRestore();
    }
  });

  it('returns empty lists for no supporters', () => {
    expect(match(request(), [])).toEqual({ candidates: [], excluded: [], incomplete: [] });
  });
});

describe('matchSupporters: bookings known only up to an instant (busyKnownUntil)', () => {
  it('answers from the short window when it holds enough slots, and reports nothing incomplete', () => {
    const s = supporter({ busyKnownUntil: NOW + 14 * DAY });
    const r = match(request(), [s]);
    expect(r.candidates.map((c) => c.supporterId)).toEqual([s.id]);
    expect(r.candidates[0].nextSlots.every((slot) => slot.end <= NOW + 14 * DAY)).toBe(true);
    expect(r.incomplete).toEqual([]);
  });

  it('reports a supporter whose first slot lies past the known window, instead of guessing', () => {
    // Only Mondays 09:00-10:00 and every Monday within the known window is booked.
    const busy = [0, 7].map((d) => ({ start: NOW + d * DAY + 9 * HOUR, end: NOW + d * DAY + 10 * HOUR }));
    const s = supporter({ rules: weekly([1], '09:00', '10:00'), busy, busyKnownUntil: NOW + 14 * DAY });
    const r = match(request(), [s]);
    expect(r.incomplete).toEqual([s.id]);
    // With the whole horizon known, the same supporter is a candidate from the third Monday.
    const full = match(request(), [{ ...s, busyKnownUntil: undefined }]);
    expect(full.incomplete).toEqual([]);
    expect(full.candidates[0].nextSlots[0].start).toBe(NOW + 14 * DAY + 9 * HOUR);
  });

  it('reports a candidate whose later nextSlots would lie past the known window', () => {
    const s = supporter({ rules: weekly([1], '09:00', '10:00'), busyKnownUntil: NOW + 10 * DAY });
    const r = match(request(), [s], { slotsPerCandidate: 3 });
    expect(r.incomplete).toEqual([s.id]);
  });
});
