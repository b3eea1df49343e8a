import { BackgroundLoop } from './background-loop';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import ICAL from 'ical.js';
import { APP_CONFIG, AppConfig, videoJoinUrl } from '@app/common';
import { CalDavClient, CalendarAccessError, CalendarWriteConflict } from './caldav.client';
import { ClaimedWrite, CalendarWritesRepository } from './calendar-writes.repository';
import { CredentialsCipher } from './credentials-cipher';

/** Writes handled side by side in one round, at most (each waits on a remote server). */
const PARALLEL = 4;
/** How often the loop looks for due writes: a booking shows in the calendar within about this long. */
const POLL_MS = 5_000;

/**
 * The UID of a booking's event in the supporter's own calendar. Not the e-mailed invite's UID (supporterUid): a
 * calendar app that files the invite into the same CalDAV calendar would then hold two objects with one UID,
 * which servers refuse (Radicale answers 4xx), and every later write would fail. busy-time.ts skips both.
 */
export function calendarEventUid(bookingId: string, supporterId: string): string {
  return `${bookingId}.calendar.${supporterId}@support-line`;
}

/** Where a new event goes: `<calendar>/<uid>.ics`, so a second try of a create lands on the same object. */
function hrefOf(calendarUrl: string, uid: string): string {
  return new URL(`${encodeURIComponent(uid)}.ics`, calendarUrl.replace(/\/?$/, '/')).toString();
}

/** Retry after 30 s, doubling, at most an hour apart. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, Math.min(attempts - 1, 7)));
}

/** The event: reference, time, modality and a video link; nothing about the caller (the feed's rule). */
export function bookingEventIcs(input: {
  uid: string;
  reference: string;
  start: Date;
  end: Date;
  modality: 'phone' | 'video';
  sequence: number;
  videoUrl: string | null;
  stamp: Date;
}): string {
  const cal = new ICAL.Component(['vcalendar', [], []]);
  cal.updatePropertyWithValue('prodid', '-//support-line//bookings//EN');
  cal.updatePropertyWithValue('version', '2.0');
  const ev = new ICAL.Component('vevent');
  ev.updatePropertyWithValue('uid', input.uid);
  ev.updatePropertyWithValue('dtstamp', ICAL.Time.fromJSDate(input.stamp, true));
  ev.updatePropertyWithValue('dtstart', ICAL.Time.fromJSDate(input.start, true));
  ev.updatePropertyWithValue('dtend', ICAL.Time.fromJSDate(input.end, true));
  ev.updatePropertyWithValue('sequence', input.sequence);
  ev.updatePropertyWithValue('summary', `Support session (${input.reference})`);
  const how = input.modality === 'video' ? 'Video session' : 'Phone session';
  ev.updatePropertyWithValue(
    'description',
    [input.videoUrl ? `${how}: ${input.videoUrl}` : how, `Reference: ${input.reference}`].join('\n'),
  );
  ev.updatePropertyWithValue('location', input.videoUrl ?? (input.modality === 'phone' ? 'By phone' : 'Video call'));
  if (input.videoUrl) ev.updatePropertyWithValue('url', input.videoUrl);
  ev.updatePropertyWithValue('status', 'CONFIRMED');
  ev.updatePropertyWithValue('transp', 'OPAQUE');
  cal.addSubcomponent(ev);
  return cal.toString();
}

/**
 * Brings supporters' connected calendars in line with their bookings: the rows the bookings trigger marks due in
 * calendar_writes (migrations/…-CalendarWrites.ts) are claimed, written (PUT with If-None-Match: * or If-Match) or
 * deleted (cancelled, undone, or reassigned away), and settled; a failure is kept with its code and tried again
 * later (30 s, doubling, at most hourly). Runs in the background with the calendar sync (WORKER=on, or the worker
 * process); nothing a calendar server does ends the process.
 */
@Injectable()
export class CalendarWriterService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('CalendarWriter');
  private readonly cipher: CredentialsCipher | null;
  private readonly loop = new BackgroundLoop(
    () => this.tick(),
    () => POLL_MS,
  );

  constructor(
    private readonly repo: CalendarWritesRepository,
    private readonly client: CalDavClient,
    @Inject(APP_CONFIG)
    private readonly config: Pick<AppConfig, 'calendar' | 'worker' | 'videoRoomBaseUrl' | 'confirmationGraceSeconds'>,
  ) {
    this.cipher = config.calendar.encryptionKey ? new CredentialsCipher(config.calendar.encryptionKey) : null;
    client.configure({ allowedHosts: config.calendar.allowedHosts });
  }

  /** One round: every write due now, a few at a time. */
  async runOnce(): Promise<{ written: number; failed: number }> {
    const result = { written: 0, failed: 0 };
    for (;;) {
      const due = await this.repo.claimDue(PARALLEL, this.config.confirmationGraceSeconds);
      if (!due.length) return result;
      const outcomes = await Promise.all(
        due.map((w) =>
          this.writeOne(w).catch((err: unknown) => {
            // our own database failing mid-write: the claim's lease runs out and the row is due again
            this.log.warn(
              `calendar write for booking ${w.bookingId} failed: ${err instanceof Error ? err.name : 'error'}`,
            );
            return false;
          }),
        ),
      );
      for (const ok of outcomes) result[ok ? 'written' : 'failed'] += 1;
    }
  }

  private async writeOne(w: ClaimedWrite): Promise<boolean> {
    if (!w.credentials) {
      // not connected (any more): nothing to write, nowhere to write it
      await this.repo.settle(w, null, null);
      return true;
    }
    let credentials;
    try {
      if (!this.cipher) throw new Error('no key');
      credentials = this.cipher.open(w.credentials, w.supporterId);
    } catch {
      await this.repo.fail(w, 'credentials_unreadable', retryDelaySeconds(w.attempts));
      return false;
    }
    const wanted = w.booking.status !== 'cancelled' && w.booking.supporterId === w.supporterId;
    const uid = calendarEventUid(w.bookingId, w.supporterId);
    try {
      if (!wanted) {
        if (w.href) await this.client.deleteEvent(credentials, w.href, w.etag);
        await this.repo.settle(w, null, null);
        return true;
      }
      const href = w.href ?? hrefOf(credentials.url, uid);
      const ics = bookingEventIcs({
        uid,
        reference: w.booking.reference,
        start: w.booking.startsAt,
        end: w.booking.endsAt,
        modality: w.booking.modality,
        sequence: w.booking.sequence,
        videoUrl:
          w.booking.modality === 'video'
            ? videoJoinUrl(w.meetingUrl, this.config.videoRoomBaseUrl, w.booking.videoRoom)
            : null,
        stamp: new Date(),
      });
      const { etag } = await this.client.putEvent(credentials, href, ics, w.etag, !w.href);
      await this.repo.settle(w, href, etag);
      return true;
    } catch (err) {
      if (err instanceof CalendarWriteConflict) {
        // Someone edited (or created) the event in their calendar since: the booking is what counts, so the next
        // attempt (next round) writes over it unconditionally (the stored ETag is dropped); the conflict shows meanwhile.
        await this.repo.fail(w, 'write_conflict', w.attempts <= 1 ? POLL_MS / 1000 : retryDelaySeconds(w.attempts), {
          href: w.href ?? hrefOf(credentials.url, uid),
        });
        return false;
      }
      if (!(err instanceof CalendarAccessError)) throw err;
      await this.repo.fail(w, err.code, retryDelaySeconds(w.attempts));
      return false;
    }
  }

  onApplicationBootstrap(): void {
    if (this.config.worker && this.cipher) this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  get isRunning(): boolean {
    return this.loop.isRunning;
  }

  start(): void {
    this.loop.start();
  }

  private async tick(): Promise<void> {
    try {
      const { written, failed } = await this.runOnce();
      if (failed) this.log.warn(`calendar write round: ${written} written, ${failed} failed`);
    } catch (err) {
      // The database may be away for a moment; the next round tries again.
      this.log.error(`calendar write round failed: ${err instanceof Error ? err.name : 'error'}`);
    }
  }
}
