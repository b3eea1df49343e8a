import type { Modality } from '../booking.entity';

/** A session as a supporter's calendar feed shows it (libs/calendars): no caller, no intake. */
export interface SessionOutline {
  id: string;
  reference: string;
  start: Date;
  end: Date;
  modality: Modality;
  sequence: number;
  updatedAt: Date;
}
