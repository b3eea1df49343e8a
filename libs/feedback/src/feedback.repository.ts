import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@app/database';

export type Service = 'peer_support' | 'counselling';

/** feedback_invitations and feedback_responses: deliberately unlinked to callers and bookings. */
@Injectable()
export class FeedbackRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.ds, work);
  }

  async insertInvitation(tokenHash: string, service: Service, days: number, m: EntityManager): Promise<void> {
    await m.query(
      `INSERT INTO feedback_invitations (token_hash, service, expires_at) VALUES ($1, $2, now() + make_interval(days => $3))`,
      [tokenHash, service, days],
    );
  }

  async liveInvitation(
    tokenHash: string,
    manager?: EntityManager,
  ): Promise<{ service: Service; used: boolean } | null> {
    const [row]: { service: Service; used_at: Date | null }[] = await (manager ?? this.ds.manager).query(
      `SELECT service, used_at FROM feedback_invitations WHERE token_hash = $1 AND expires_at > now()`,
      [tokenHash],
    );
    return row ? { service: row.service, used: row.used_at !== null } : null;
  }

  /** Marks a live, unused invitation used; null when there is none. */
  async useInvitation(tokenHash: string, m: EntityManager): Promise<Service | null> {
    // Wrapped in a CTE so the driver hands back plain rows (an UPDATE … RETURNING alone comes back as [rows, count]).
    const used: { service: Service }[] = await m.query(
      `WITH used AS (
         UPDATE feedback_invitations SET used_at = now()
          WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING service)
       SELECT service FROM used`,
      [tokenHash],
    );
    return used[0]?.service ?? null;
  }

  async insertResponse(
    service: Service,
    helpful: number,
    wouldRecommend: boolean,
    comment: string | null,
    m: EntityManager,
  ): Promise<void> {
    await m.query(
      `INSERT INTO feedback_responses (service, month, helpful, would_recommend, comment)
       VALUES ($1, date_trunc('month', now() AT TIME ZONE 'Europe/London')::date, $2, $3, $4)`,
      [service, helpful, wouldRecommend, comment],
    );
  }

  summary(): Promise<{ service: Service; month: string; n: string; avg: string; rec: string }[]> {
    return this.ds.query(
      `SELECT service, to_char(month, 'YYYY-MM') AS month, count(*) AS n, avg(helpful) AS avg, avg(would_recommend::int) AS rec
         FROM feedback_responses GROUP BY service, month ORDER BY month DESC, service`,
    );
  }
}
