import { RuleProblem, SociableHours, WeeklyRule } from './types';
import { formatWallTime, parseWallTime } from './wall-time';

const WEEKDAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** A weekly rule in minutes since midnight; end may be 1440. */
export interface ParsedRule {
  weekday: number;
  start: number;
  end: number;
}

export function isIsoWeekday(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 7;
}

/** The rule in minutes, or null when any part of it is invalid (see validateWeeklyRules). */
export function parseRule(rule: WeeklyRule): ParsedRule | null {
  if (rule === null || typeof rule !== 'object' || !isIsoWeekday(rule.weekday)) return null;
  const start = parseWallTime(rule.start);
  const end = parseWallTime(rule.end, { allowEndOfDay: true });
  if (start === null || end === null || end <= start) return null;
  return { weekday: rule.weekday, start, end };
}

/**
 * Everything wrong with a set of weekly rules, as `errors` entries: a bad
 * weekday, start or end, an end not after the start, and windows on the same
 * weekday that overlap (reported on the start of the one starting later;
 * touching is fine).
 */
export function validateWeeklyRules(rules: WeeklyRule[], fieldPrefix = 'weekly'): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (!Array.isArray(rules)) {
    return [{ field: fieldPrefix, message: 'must be a list of weekly windows' }];
  }
  const valid: Array<ParsedRule & { index: number }> = [];
  rules.forEach((rule, index) => {
    const field = `${fieldPrefix}[${index}]`;
    if (rule === null || typeof rule !== 'object') {
      problems.push({ field, message: 'must be an object with weekday, start and end' });
      return;
    }
    let ok = true;
    if (!isIsoWeekday(rule.weekday)) {
      problems.push({ field: `${field}.weekday`, message: 'must be a whole number from 1 (Monday) to 7 (Sunday)' });
      ok = false;
    }
    const start = parseWallTime(rule.start);
    if (start === null) {
      problems.push({ field: `${field}.start`, message: 'must be a time "HH:mm" from 00:00 to 23:59' });
      ok = false;
    }
    const end = parseWallTime(rule.end, { allowEndOfDay: true });
    if (end === null) {
      problems.push({ field: `${field}.end`, message: 'must be a time "HH:mm" from 00:01 to 23:59, or "24:00"' });
      ok = false;
    } else if (start !== null && end <= start) {
      problems.push({ field: `${field}.end`, message: 'must be later than start' });
      ok = false;
    }
    if (ok) valid.push({ weekday: rule.weekday, start: start!, end: end!, index });
  });

  valid.sort((a, b) => a.weekday - b.weekday || a.start - b.start || a.index - b.index);
  let reach: (typeof valid)[number] | undefined;
  for (const rule of valid) {
    if (reach !== undefined && reach.weekday === rule.weekday && rule.start < reach.end) {
      problems.push({
        field: `${fieldPrefix}[${rule.index}].start`,
        message:
          `overlaps ${fieldPrefix}[${reach.index}] (${WEEKDAY_NAMES[reach.weekday]} ` +
          `${formatWallTime(reach.start)}-${formatWallTime(reach.end)})`,
      });
    }
    if (reach === undefined || reach.weekday !== rule.weekday || rule.end > reach.end) reach = rule;
  }
  return problems;
}

/** Sociable hours in minutes; throws RangeError when the policy itself is malformed. */
export function parseSociableHours(hours: SociableHours): { start: number; end: number; weekdays: Set<number> } {
  const start = parseWallTime(hours?.start);
  const end = parseWallTime(hours?.end, { allowEndOfDay: true });
  if (start === null || end === null || end <= start || !Array.isArray(hours.weekdays)) {
    throw new RangeError('Sociable hours need start < end as "HH:mm" and a list of weekdays');
  }
  return { start, end, weekdays: new Set(hours.weekdays.filter(isIsoWeekday)) };
}

/**
 * Indices of the rules whose window is not inside the sociable hours: its
 * weekday listed, start >= hours.start and end <= hours.end (ending exactly at
 * hours.end is inside). A rule that cannot be read is reported as outside.
 */
export function rulesOutsideSociableHours(rules: WeeklyRule[], hours: SociableHours): number[] {
  const h = parseSociableHours(hours);
  const out: number[] = [];
  rules.forEach((rule, index) => {
    const r = parseRule(rule);
    if (r === null || !h.weekdays.has(r.weekday) || r.start < h.start || r.end > h.end) out.push(index);
  });
  return out;
}
