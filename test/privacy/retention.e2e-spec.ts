import { PrivacyService } from '../../libs/privacy/src';
import { startTestApp, TestApp } from '../support/test-app';
import {
  auditOfCaller,
  Desk,
  intakeFor,
  needlesOf,
  openDesk,
  person,
  scanDatabase,
} from '../support/privacy-factories';

describe('retention: callers with no contact for RETENTION_YEARS (default 20) are erased', () => {
  let t: TestApp;
  let desk: Desk;
  let oldId: string;
  let recentId: string;
  let nineteenId: string;
  const old = person();

  beforeAll(async () => {
    t = await startTestApp();
    desk = await openDesk(t);
    oldId = (await intakeFor(t, desk.intake, old)).callerId;
    recentId = (await intakeFor(t, desk.intake, person())).callerId;
    nineteenId = (await intakeFor(t, desk.intake, person())).callerId;
    await t.ds.query(`UPDATE callers SET last_contact_at = now() - interval '21 years' WHERE id = $1`, [oldId]);
    await t.ds.query(`UPDATE callers SET last_contact_at = now() - interval '19 years' WHERE id = $1`, [nineteenId]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('dryRun lists the caller 21 years without contact, and erases nothing', async () => {
    const result = await t.app.get(PrivacyService).retention({ dryRun: true });
    expect(result.callerIds).toEqual([oldId]);
    expect(result.erased).toBe(0);
    const cutoffYears = (Date.now() - Date.parse(result.cutoff)) / (365.25 * 86_400_000);
    expect(cutoffYears).toBeGreaterThan(19.9);
    expect(cutoffYears).toBeLessThan(20.1);
    const [row] = await t.ds.query(`SELECT name, erased_at FROM callers WHERE id = $1`, [oldId]);
    expect(row).toEqual({ name: old.name, erased_at: null });
    expect((await auditOfCaller(t, oldId)).map((r) => r.action)).not.toContain('caller.retention_erase');
  });

  it('a real run erases it (only it) and writes caller.retention_erase', async () => {
    const result = await t.app.get(PrivacyService).retention({ dryRun: false });
    expect(result.callerIds).toEqual([oldId]);
    expect(result.erased).toBe(1);
    const rows: { id: string; name: string | null; erased_at: Date | null }[] = await t.ds.query(
      `SELECT id, name, erased_at FROM callers WHERE id = ANY($1)`,
      [[oldId, recentId, nineteenId]],
    );
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[oldId].name).toBeNull();
    expect(byId[oldId].erased_at).toBeInstanceOf(Date);
    expect(byId[recentId].erased_at).toBeNull();
    expect(byId[nineteenId].erased_at).toBeNull();

    const events = (await auditOfCaller(t, oldId)).filter((r) => r.action === 'caller.retention_erase');
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual(expect.objectContaining({ user_id: null, role: 'system', caller_id: oldId }));

    const scan = await scanDatabase(
      t,
      needlesOf(old, { sensitive: false }).concat([old.specialty, old.workplace, old.ethnicity]),
    );
    expect(scan.hits).toEqual([]);
  });

  it('a second run finds nobody (erased callers are not listed again)', async () => {
    const result = await t.app.get(PrivacyService).retention({ dryRun: false });
    expect(result.callerIds).toEqual([]);
    expect(result.erased).toBe(0);
  });
});
