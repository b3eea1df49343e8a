import { Injectable } from '@nestjs/common';
import {
  calendarQuery,
  createObject,
  DAVResponse,
  deleteObject,
  getBasicAuthHeaders,
  propfind,
  updateObject,
} from 'tsdav';
import type { CalDavCredentials } from './credentials-cipher';
import { checkOutboundUrl, guardedFetch, OutboundError } from './outbound-fetch';

/**
 * Why talking to a calendar failed, as stored in `calendar_connections.last_error`
 * and shown to staff. Plain words, never the server's own text (it may echo
 * the URL or user name).
 */
export const CALENDAR_ERRORS = {
  url_not_allowed: 'The calendar address is not an http(s) URL we may use.',
  address_not_allowed: 'The calendar server is on a private or local network address that is not allowed.',
  unreachable: 'The calendar server could not be reached.',
  timeout: 'The calendar server did not answer in time.',
  response_too_large: 'The calendar server sent more data than we accept.',
  authentication_failed: 'The calendar server refused the user name or app password.',
  calendar_not_found: 'There is no calendar at that address.',
  not_a_calendar: 'The address is not a CalDAV calendar (check the calendar URL).',
  server_error: 'The calendar server answered with an error.',
  unreadable: 'The calendar server sent something we could not read.',
} as const;

export type CalendarErrorCode = keyof typeof CALENDAR_ERRORS;

export class CalendarAccessError extends Error {
  constructor(readonly code: CalendarErrorCode) {
    super(CALENDAR_ERRORS[code]);
    this.name = 'CalendarAccessError';
  }
}

export interface CalDavLimits {
  allowedHosts: readonly string[];
  timeoutMs?: number;
  maxResponseBytes?: number;
}

function fromStatus(status: number): CalendarAccessError {
  if (status === 401 || status === 403) return new CalendarAccessError('authentication_failed');
  if (status === 404 || status === 410) return new CalendarAccessError('calendar_not_found');
  return new CalendarAccessError('server_error');
}

function translate(err: unknown): unknown {
  if (err instanceof OutboundError) return new CalendarAccessError(err.reason);
  if (err instanceof CalendarAccessError) return err;
  // tsdav's collection queries throw on an error status, naming it in the message ("… failed: 401 …")
  const status = err instanceof Error ? /failed: (\d{3})\b/.exec(err.message)?.[1] : undefined;
  if (status) return fromStatus(Number(status));
  // tsdav's XML parsing failed, or the like: the server sent something odd
  return new CalendarAccessError('unreadable');
}

/**
 * tsdav parses answers with xml-js in its compact form, where a CDATA section
 * (how some servers send calendar-data) becomes an object under xml-js's
 * documented `cdataKey`, "_cdata" by default: a key of the data format, not a
 * private field (tsdav's own fetchCalendarObjects reads it the same way).
 */
const XML_JS_CDATA_KEY = '_cdata';

/** A whole-request failure comes back from tsdav as one response with `raw` and no props. */
function failedStatus(responses: DAVResponse[]): number | null {
  const first = responses[0];
  if (responses.length === 1 && first && !first.ok && first.raw !== undefined) return first.status ?? 500;
  return null;
}

/**
 * CalDAV through tsdav (no hand-written WebDAV), over the guarded fetch:
 * http(s) only, private and loopback addresses refused unless allowed,
 * a deadline per request and a size limit per answer.
 */
@Injectable()
export class CalDavClient {
  private limits: CalDavLimits = { allowedHosts: [] };

  configure(limits: CalDavLimits): void {
    this.limits = limits;
  }

  private fetch(): typeof fetch {
    return guardedFetch({
      allowedHosts: this.limits.allowedHosts,
      timeoutMs: this.limits.timeoutMs ?? 10_000,
      maxResponseBytes: this.limits.maxResponseBytes ?? 5 * 1024 * 1024,
    });
  }

  private headers(c: CalDavCredentials): Record<string, string> {
    return getBasicAuthHeaders({ username: c.username, password: c.password });
  }

  /** Checks that the URL is a calendar these credentials may read; throws CalendarAccessError. */
  async test(c: CalDavCredentials): Promise<{ displayName: string | null }> {
    try {
      checkOutboundUrl(c.url);
      const res = await propfind({
        url: c.url,
        props: { 'd:resourcetype': {}, 'd:displayname': {} },
        depth: '0',
        headers: this.headers(c),
        fetch: this.fetch(),
      });
      const status = failedStatus(res);
      if (status !== null) throw fromStatus(status);
      const self = res.find((r) => r.props?.resourcetype);
      const types = Object.keys((self?.props?.resourcetype as Record<string, unknown> | undefined) ?? {});
      if (!types.includes('calendar')) throw new CalendarAccessError('not_a_calendar');
      const name: unknown = self?.props?.displayname;
      return { displayName: typeof name === 'string' ? name : null };
    } catch (err) {
      throw translate(err);
    }
  }

  /** The calendar's VEVENT objects overlapping [from, to) (a calendar-query REPORT with a time range), as iCalendar text. */
  async eventsBetween(c: CalDavCredentials, from: Date, to: Date): Promise<string[]> {
    const stamp = (d: Date) => `${d.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
    try {
      checkOutboundUrl(c.url);
      const res = await calendarQuery({
        url: c.url,
        props: { 'd:getetag': {}, 'c:calendar-data': {} },
        filters: [
          {
            'comp-filter': {
              _attributes: { name: 'VCALENDAR' },
              'comp-filter': {
                _attributes: { name: 'VEVENT' },
                'time-range': { _attributes: { start: stamp(from), end: stamp(to) } },
              },
            },
          },
        ],
        depth: '1',
        headers: this.headers(c),
        fetch: this.fetch(),
      });
      const status = failedStatus(res);
      if (status !== null) throw fromStatus(status);
      const out: string[] = [];
      for (const r of res) {
        const data: unknown = r.props?.calendarData;
        const wrapped =
          typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[XML_JS_CDATA_KEY] : undefined;
        const text = typeof data === 'string' ? data : typeof wrapped === 'string' ? wrapped : null;
        if (text) out.push(text);
      }
      return out;
    } catch (err) {
      throw translate(err);
    }
  }

  /**
   * Writes one event: a new one with `If-None-Match: *` (never over someone else's object), an existing one with
   * `If-Match: <etag>` (never over a change made meanwhile; without a stored ETag, unconditionally). Returns the
   * ETag the server gave, or null (a server need not send one). 412 is `write_conflict`.
   */
  async putEvent(c: CalDavCredentials, href: string, ics: string, etag: string | null, create: boolean) {
    try {
      checkOutboundUrl(href);
      const headers = { ...this.headers(c), 'Content-Type': 'text/calendar; charset=utf-8' };
      const common = { url: href, data: ics, fetch: this.fetch() };
      // tsdav's createObject sends no precondition of its own: If-None-Match is ours to add
      const res = create
        ? await createObject({ ...common, headers: { ...headers, 'If-None-Match': '*' } })
        : await updateObject({ ...common, headers, etag: etag ?? undefined });
      await res.body?.cancel().catch(() => undefined);
      if (res.status === 412) throw new CalendarWriteConflict();
      if (!res.ok) throw fromStatus(res.status);
      return { etag: res.headers.get('etag') };
    } catch (err) {
      if (err instanceof CalendarWriteConflict) throw err;
      throw translate(err);
    }
  }

  /** Deletes one event (`If-Match` when its ETag is known); one already gone counts as deleted. */
  async deleteEvent(c: CalDavCredentials, href: string, etag: string | null): Promise<void> {
    try {
      checkOutboundUrl(href);
      const res = await deleteObject({
        url: href,
        etag: etag ?? undefined,
        headers: this.headers(c),
        fetch: this.fetch(),
      });
      await res.body?.cancel().catch(() => undefined);
      if (res.status === 404 || res.status === 410) return;
      if (res.status === 412) throw new CalendarWriteConflict();
      if (!res.ok) throw fromStatus(res.status);
    } catch (err) {
      if (err instanceof CalendarWriteConflict) throw err;
      throw translate(err);
    }
  }
}

/** The event changed on the server since we wrote it (412 on If-Match / If-None-Match). */
export class CalendarWriteConflict extends Error {
  constructor() {
    super('The event changed in the calendar since it was written.');
    this.name = 'CalendarWriteConflict';
  }
}
