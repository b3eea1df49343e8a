/*
 * Slot maths benchmark: plain node, no framework.
 *   npm run bench:slots   (compiles to dist/bench/slots.bench.js)
 * Goal: (a) p95 <= 5 ms.
 */
import { performance } from 'node:perf_hooks';
import {
  clearZoneCache,
  expandWeeklyRules,
  generateSlots,
  Interval,
  SociableHours,
  WeeklyRule,
} from '../libs/scheduling/src';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const SOCIABLE: SociableHours = { start: '08:00', end: '20:00', weekdays: [1, 2, 3, 4, 5, 6, 7] };

/** Small deterministic PRNG so that every run measures the same work. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** `perDay` non-overlapping windows on random weekdays between `from` and `to` minutes. */
function randomRules(rand: () => number, count: number, from: number, to: number): WeeklyRule[] {
  const rules: WeeklyRule[] = [];
  const used = new Map<number, Array<[number, number]>>();
  for (let tries = 0; rules.length < count && tries < 1000; tries++) {
    const weekday = 1 + Math.floor(rand() * 7);
    const start = from + Math.floor((rand() * (to - from - 60)) / 30) * 30;
    const end = Math.min(to, start + 60 + Math.floor(rand() * 4) * 60);
    const day = used.get(weekday) ?? [];
    if (day.some(([s, e]) => start < e && s < end)) continue;
    day.push([start, end]);
    used.set(weekday, day);
    rules.push({ weekday, start: hhmm(start), end: end === 1440 ? '24:00' : hhmm(end) });
  }
  return rules;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function report(label: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (x: number) => x.toFixed(2);
  console.log(
    `${label}: p50 ${f(percentile(sorted, 50))} ms p95 ${f(percentile(sorted, 95))} ms max ${f(sorted[sorted.length - 1])} ms (n=${samples.length})`,
  );
}

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

// (a) One peer supporter in London, a caller in New York, 92 days.
function benchOneSupporter(): void {
  const rand = rng(42);
  const zone = 'Europe/London';
  const now = Date.UTC(2027, 1, 15, 9, 17); // spans the March change
  const range: Interval = { start: now, end: now + 92 * DAY };
  const rules = randomRules(rand, 10, 8 * 60, 20 * 60);
  const windows = expandWeeklyRules(rules, zone, range);
  const free = generateSlots({
    windows,
    busy: [],
    timeOff: [],
    durationMinutes: 50,
    bufferMinutes: 10,
    range,
    earliestStart: now + 120 * MIN,
    latestEnd: now + 92 * DAY,
  });
  const busy: Interval[] = [];
  for (let i = 0; i < 40; i++) busy.push(free[Math.floor(((i + 0.5) * free.length) / 40)]);
  const timeOff: Interval[] = [10, 40, 70].map((d) => ({ start: now + d * DAY, end: now + (d + 2) * DAY }));

  const run = () =>
    generateSlots({
      windows: expandWeeklyRules(rules, zone, range),
      busy,
      timeOff,
      durationMinutes: 50,
      bufferMinutes: 10,
      range,
      earliestStart: now + 120 * MIN,
      latestEnd: now + 92 * DAY,
      sociable: { hours: SOCIABLE, zones: [zone, 'America/New_York'] },
    });

  clearZoneCache();
  const cold = time(run);
  let count = 0;
  for (let i = 0; i < 200; i++) count = run().length; // warm-up
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) samples.push(time(run));
  console.log(
    `(a) ${rules.length} weekly rules, ${busy.length} bookings, ${timeOff.length} time-offs, ${count} slots per answer`,
  );
  report('slots one supporter 92 days', samples);
  console.log(`slots one supporter 92 days, cold offset cache (first call): ${cold.toFixed(2)} ms`);
}

// (b) 1,000 supporters in varied zones, ~6 rules each, 12 weeks.
function benchManySupporters(): void {
  const rand = rng(7);
  const zones = [
    'Europe/London',
    'Europe/Dublin',
    'Europe/Paris',
    'America/New_York',
    'America/Los_Angeles',
    'Asia/Singapore',
    'Asia/Kolkata',
    'Australia/Sydney',
    'Pacific/Auckland',
    'Africa/Johannesburg',
  ];
  const supporters = Array.from({ length: 1000 }, (_, i) => ({
    zone: zones[i % zones.length],
    rules: randomRules(rand, 6, 0, 1440),
  }));
  const from = Date.UTC(2027, 1, 15);
  const range: Interval = { start: from, end: from + 12 * 7 * DAY };
  let windows = 0;
  const run = () => {
    windows = 0;
    for (const s of supporters) windows += expandWeeklyRules(s.rules, s.zone, range).length;
  };
  clearZoneCache();
  const cold = time(run);
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) samples.push(time(run));
  console.log(`(b) ${supporters.length} supporters, ${zones.length} zones, ${windows} windows per pass`);
  report('expand 1000 supporters 12 weeks', samples);
  console.log(`expand 1000 supporters 12 weeks, cold offset cache (first pass): ${cold.toFixed(2)} ms`);
}

benchOneSupporter();
benchManySupporters();
