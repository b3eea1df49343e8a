import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Once an outbox message is settled (it leaves `pending`: sent, failed or
 * cancelled) the one-use links in it are of no use to anyone, and the manage
 * and feedback tokens, kept only as hashes everywhere else, are cut out of
 * the stored copy; the stored invite (which may fold a link across lines) is
 * dropped. A trigger, so that every way of settling a message does it.
 */
export class OutboxSettledLinks1764140600000 implements MigrationInterface {
  name = 'OutboxSettledLinks1764140600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION fn_outbox_messages_settled_links() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        link constant text := '/(manage|feedback)/[A-Za-z0-9_-]{16,}';
        removed constant text := '/\\1/[link removed once settled]';
      BEGIN
        NEW.body_text := regexp_replace(NEW.body_text, link, removed, 'g');
        NEW.body_html := regexp_replace(NEW.body_html, link, removed, 'g');
        NEW.personalisation := regexp_replace(NEW.personalisation::text, link, removed, 'g')::jsonb;
        NEW.ics := NULL;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_outbox_messages_settled_links BEFORE UPDATE OF status ON outbox_messages
        FOR EACH ROW WHEN (OLD.status = 'pending' AND NEW.status <> 'pending')
        EXECUTE FUNCTION fn_outbox_messages_settled_links()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tr_outbox_messages_settled_links ON outbox_messages`);
    await q.query(`DROP FUNCTION fn_outbox_messages_settled_links()`);
  }
}
