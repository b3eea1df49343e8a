// Times are always shown with their zone. Instants come from the API in UTC;
// wall-clock rules ("HH:mm") belong to a named IANA zone.

export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(zone: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = zone + JSON.stringify(opts);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { ...opts, timeZone: zone });
    cache.set(key, f);
  }
  return f;
}

/** "Thu 26 Nov 2026, 11:00 GMT" */
export function formatWhen(iso: string, zone: string): string {
  return fmt(zone, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));
}

/** "Thursday 26 November 2026, 11:00 GMT" */
export function formatWhenLong(iso: string, zone: string): string {
  return fmt(zone, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));
}

/** "11:00 GMT" */
export function formatTime(iso: string, zone: string): string {
  return fmt(zone, { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(new Date(iso));
}

/** "Thu 26 Nov, 11:00–11:50 GMT" */
export function formatRange(start: string, end: string, zone: string): string {
  const day = fmt(zone, { weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(start));
  const hm = fmt(zone, { hour: '2-digit', minute: '2-digit' });
  return `${day}, ${hm.format(new Date(start))}–${hm.format(new Date(end))} ${zoneAbbr(end, zone)}`;
}

export function zoneAbbr(iso: string, zone: string): string {
  return (
    fmt(zone, { timeZoneName: 'short' })
      .formatToParts(new Date(iso))
      .find((p) => p.type === 'timeZoneName')?.value ?? zone
  );
}

export interface LocalParts {
  date: string; // YYYY-MM-DD
  time: string; // HH:mm
  weekday: number; // 1 = Monday … 7 = Sunday
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function localParts(ts: number | string | Date, zone: string): LocalParts {
  const parts = fmt(zone, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
    hourCycle: 'h23',
  }).formatToParts(new Date(ts));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    time: `${get('hour')}:${get('minute')}`,
    weekday: WEEKDAYS[get('weekday')] ?? 1,
  };
}

function offsetMs(ts: number, zone: string): number {
  const p = localParts(ts, zone);
  const [y, m, d] = p.date.split('-').map(Number);
  const [h, mi] = p.time.split(':').map(Number);
  return Date.UTC(y, m - 1, d, h, mi) - Math.floor(ts / 60000) * 60000;
}

/** The instant at which the wall clock in `zone` shows `date` `time`. */
export function zonedToUtc(date: string, time: string, zone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const guess = Date.UTC(y, m - 1, d, h, mi);
  let ts = guess - offsetMs(guess, zone);
  ts = guess - offsetMs(ts, zone);
  return new Date(ts);
}

export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The Monday of the week holding `date` (YYYY-MM-DD). */
export function mondayOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 = Sunday
  return addDays(date, -((wd + 6) % 7));
}

/** "Monday 30 November" for a plain date. */
export function formatDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const list = intl.supportedValuesOf?.('timeZone') ?? [];
  return list.includes('UTC') ? list : ['UTC', ...list];
}

/** "HH:mm" on the 24-hour clock ("24:00" allowed as an end). */
export function isWallClock(s: string, allow24 = false): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(s) || (allow24 && s === '24:00');
}

/** "9:5" / "0900" / "9.00" → "09:00" where it is unambiguous; otherwise as typed. */
export function tidyTime(s: string): string {
  const t = s.trim().replace('.', ':');
  const m = /^(\d{1,2}):?(\d{2})$/.exec(t);
  return m ? `${m[1].padStart(2, '0')}:${m[2]}` : t;
}
