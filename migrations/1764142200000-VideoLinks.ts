import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Video sessions get a join link (issue 18 item 4): a room name per booking, unguessable and kept for the booking's
 * life (a reschedule keeps it), and a supporter's own meeting link, used instead when set.
 */
export class VideoLinks1764142200000 implements MigrationInterface {
  name = 'VideoLinks1764142200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supporters ADD COLUMN meeting_url text
                   CONSTRAINT ck_supporters_meeting_url CHECK (meeting_url ~ '^https://[^\\s]+$' AND length(meeting_url) <= 500)`);
    // New rooms: 22 base64url characters (128 random bits, node:crypto). Existing bookings get one too, so a video
    // session booked before this migration also has a link: 32 hex digits of gen_random_uuid() (122 random bits
    // from PostgreSQL's strong random source; pgcrypto is not installed).
    await q.query(`ALTER TABLE bookings ADD COLUMN video_room text
                   CONSTRAINT ck_bookings_video_room CHECK (video_room ~ '^[A-Za-z0-9_-]{22,64}$')`);
    await q.query(`UPDATE bookings SET video_room = replace(gen_random_uuid()::text, '-', '')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE bookings DROP COLUMN video_room`);
    await q.query(`ALTER TABLE supporters DROP COLUMN meeting_url`);
  }
}
