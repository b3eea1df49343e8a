import * as scheduling from '@app/scheduling';
import type { Interval, SlotQuery, WeeklyRule } from '@app/scheduling';
import { matchSupporters, SEARCH_CHUNK_DAYS } from './match';
import type { MatchPolicy, MatchRequest, MatchSupporter } from './match.types';

/*
 * The budget: 1,000 supporters, each with weekly rules (over the 12-week
 * horizon) and 20 bookings, well under 20 ms for one match on a slow 2-core
 * machine (about 8 ms here in plain Node; see README). Time is measured by
 * `npm run bench:matching`, never asserted here; what is asserted exactly is
 * the work itself (how much calendar is expanded, how many slots are asked for).
 */

// Same functions, counted.
jest.mock('../../scheduling/src', () => {
  const actual = jest.requireActual('../../scheduling/src');
  return {
    ...actual,
    expandWeeklyRules: jest.fn(actual.expandWeeklyRules),
    generateSlots: jest.fn(actual.generateSlots),
  };
});
const expandMock = scheduling.expandWeeklyRules as jest.MockedFunction<typeof scheduling.expandWeeklyRules>;
const slotsMock = scheduling.generateSlots as jest.MockedFunction<typeof scheduling.generateSlots>;

const DAY = 86_400_000;
const NOW = Date.parse('2027-01-04T07:13:00Z');
const ZONES = ['Europe/London', 'Europe/London', 'Europe/London', 'Europe/Dublin', 'Europe/Paris', 'Asia/Singapore'];

const policy: MatchPolicy = {
  sociableHours: { start: '08:00', end: '20:00', weekdays: [1, 2, 3, 4, 5, 6, 7] },
  defaultDurationMinutes: 50,
  bufferMinutes: 10,
  minimumNoticeMinutes: 120,
  bookingHorizonDays: 92,
};

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same data. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function buildSupporters(n: number): MatchSupporter[] {
  const rand = rng(42);
  const out: MatchSupporter[] = [];
  for (let i = 0; i < n; i++) {
    const rules: WeeklyRule[] = [];
    for (let weekday = 1; weekday <= 7; weekday++) {
      if (rand() < 0.4) continue;
      const startHour = 8 + Math.floor(rand() * 8); // 08..15
      rules.push({
        weekday,
        start: `${String(startHour).padStart(2, '0')}:00`,
        end: `${String(startHour + 3).padStart(2, '0')}:30`,
      });
    }
    const busy: Interval[] = [];
    for (let b = 0; b < 20; b++) {
      const start = NOW + Math.floor(rand() * 84) * DAY + Math.floor(rand() * 24) * 3_600_000;
      busy.push({ start, end: start + 50 * 60_000 });
    }
    busy.sort((x, y) => x.start - y.start);
    out.push({
      id: `s-${i}`,
      displayName: `Dr ${i}`,
      kind: i % 10 === 0 ? 'counsellor' : 'peer',
      active: i % 37 !== 0,
      gender: i % 2 === 0 ? 'female' : 'male',
      languages: i % 5 === 0 ? ['en', 'cy'] : ['en'],
      specialty: ['Surgery', 'General practice', 'Psychiatry', 'Anaesthetics'][i % 4],
      workplaces: [`Trust ${i % 50}`],
      maxActiveCases: 5,
      modalities: i % 3 === 0 ? ['phone'] : ['phone', 'video'],
      timeZone: ZONES[i % ZONES.length],
      activeCases: i % 6,
      supportedBefore: i === 501,
      rules,
      timeOff: i % 20 === 0 ? [{ start: NOW, end: NOW + 30 * DAY }] : [],
      busy,
    });
  }
  return out;
}

const request: MatchRequest = {
  service: 'peer_support',
  caller: { timeZone: 'Europe/London', workplace: 'Trust 7', specialty: 'Surgery' },
  preferences: { languages: ['en'], modality: 'video', sameSpecialty: 'prefer' },
};

describe('matchSupporters: performance', () => {
  it('searches each supporter for one slot over a short first chunk, and the horizon only when needed', () => {
    const supporters = buildSupporters(1000);
    expandMock.mockClear();
    slotsMock.mockClear();
    const result = matchSupporters(request, supporters, policy, { now: NOW });

    const searched = supporters.length - result.excluded.filter((e) => e.reasons[0].code !== 'no_availability').length;
    const firstChunkMs = SEARCH_CHUNK_DAYS[0] * DAY;
    const expansions = expandMock.mock.calls.map(([, , range]) => range.end - range.start);
    const long = expansions.filter((ms) => ms > firstChunkMs);
    // Every searched supporter starts with the short chunk; few need more.
    expect(expansions.filter((ms) => ms <= firstChunkMs).length).toBeGreaterThanOrEqual(searched);
    expect(long.length).toBeLessThan(0.1 * searched);
    // One slot per supporter, except the candidates returned (3 each, at most 2 chunks).
    const queries: SlotQuery[] = slotsMock.mock.calls.map(([q]) => q);
    expect(queries.filter((q) => q.limit !== 1).length).toBeLessThanOrEqual(2 * result.candidates.length);
    expect(queries.every((q) => q.limit !== undefined && q.limit <= 3)).toBe(true);
    // Peers are cut to sociable hours; the London caller's zone is not listed twice.
    const peerQueries = queries.filter((q) => q.sociable !== undefined);
    expect(peerQueries.length).toBeGreaterThan(0);
    expect(peerQueries.every((q) => new Set(q.sociable!.zones).size === q.sociable!.zones.length)).toBe(true);
    expect(peerQueries.every((q) => q.sociable!.zones.includes('Europe/London'))).toBe(true);
  });

  it('ranks 1,000 supporters with 20 bookings each (timing lives in npm run bench:matching)', () => {
    const supporters = buildSupporters(1000);
    const result = matchSupporters(request, supporters, policy, { now: NOW });
    expect(result.candidates).toHaveLength(5);
    expect(result.candidates[0].supporterId).toBe('s-501');
    expect(result.candidates.length + result.excluded.length).toBeLessThanOrEqual(1000);
    expect(result.excluded.length).toBeGreaterThan(100); // counsellors, inactive, full, workplace
  });
});
