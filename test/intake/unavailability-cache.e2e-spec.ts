import { SupportersService } from '@app/supporters';
import { startTestApp, TestApp } from '../support/test-app';
import { auth, DAY, makeIntake, makeSupporter, matches, MatchesBody } from '../support/intake-factories';

/**
 * Matching serves every supporter's unavailability from a per-process copy
 * (SupportersService.unavailabilityOfAll), re-read when unavailability_version
 * moves. Time off and calendar busy blocks written by anyone must be seen by
 * the very next match request.
 */
describe('Matching reads unavailability through a versioned cache', () => {
  let t: TestApp;
  let intakeToken: string;
  let adminToken: string;
  let supporterId: string;
  let intakeId: string;

  const version = async (): Promise<bigint> => {
    const [{ version: v }]: { version: string }[] = await t.ds.query(
      'SELECT version FROM unavailability_version WHERE id = 1',
    );
    return BigInt(v);
  };
  const slotsOf = async (): Promise<{ start: string; end: string }[]> => {
    const body: MatchesBody = await matches(t, intakeToken, intakeId);
    const c = body.candidates.find((x) => x.supporterId === supporterId);
    expect(c).toBeDefined();
    expect(c!.nextSlots.length).toBeGreaterThan(0);
    return c!.nextSlots;
  };
  const overlaps = (slots: { start: string; end: string }[], iv: { start: string; end: string }) =>
    slots.some((s) => Date.parse(s.start) < Date.parse(iv.end) && Date.parse(iv.start) < Date.parse(s.end));
  const insertBlock = async (start: string, end: string): Promise<void> => {
    // As the CalDAV sync writes them (CalendarsRepository.replaceBusyBlocks), straight into the table.
    await t.ds.query(
      `INSERT INTO calendar_busy_blocks (supporter_id, starts_at, ends_at, synced_at, source_uid) VALUES ($1, $2, $3, now(), 'test-uid')`,
      [supporterId, start, end],
    );
  };

  beforeAll(async () => {
    t = await startTestApp();
    ({ token: intakeToken } = await t.signIn('intake'));
    ({ token: adminToken } = await t.signIn('admin'));
    supporterId = (await makeSupporter(t, adminToken, { displayName: 'Dr Cached' })).id;
    intakeId = (await makeIntake(t, intakeToken, { service: 'peer_support' })).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('sees new time off on the very next request, and its removal too; each change moves the version', async () => {
    const first = (await slotsOf())[0];
    const v0 = await version();
    const res = await t
      .http()
      .post(`/api/v1/supporters/${supporterId}/time-off`)
      .set(auth(adminToken))
      .send({ start: first.start, end: first.end });
    expect(res.status).toBe(201);
    expect(await version()).toBeGreaterThan(v0);
    expect(overlaps(await slotsOf(), first)).toBe(false);

    const v1 = await version();
    const del = await t
      .http()
      .delete(`/api/v1/supporters/${supporterId}/time-off/${res.body.id}`)
      .set(auth(adminToken));
    expect(del.status).toBe(204);
    expect(await version()).toBeGreaterThan(v1);
    expect((await slotsOf())[0]).toEqual(first);
  });

  it('sees a calendar busy block inserted directly (as the sync does) on the very next request, and its deletion', async () => {
    const first = (await slotsOf())[0];
    const v0 = await version();
    await insertBlock(first.start, first.end);
    expect(await version()).toBeGreaterThan(v0);
    expect(overlaps(await slotsOf(), first)).toBe(false);

    const v1 = await version();
    await t.ds.query(`DELETE FROM calendar_busy_blocks WHERE supporter_id = $1`, [supporterId]);
    expect(await version()).toBeGreaterThan(v1);
    expect((await slotsOf())[0]).toEqual(first);
  });

  it('moves the version when a block moves, not when only its sync time or a reason changes', async () => {
    const start = new Date(Date.now() + 40 * DAY).toISOString();
    const end = new Date(Date.now() + 40 * DAY + 3_600_000).toISOString();
    await insertBlock(start, end);
    const v0 = await version();
    await t.ds.query(
      `UPDATE calendar_busy_blocks SET synced_at = now() + interval '1 minute' WHERE supporter_id = $1`,
      [supporterId],
    );
    await t.ds.query(`UPDATE time_off SET reason = 'changed' WHERE supporter_id = $1`, [supporterId]);
    expect(await version()).toBe(v0);
    await t.ds.query(`UPDATE calendar_busy_blocks SET ends_at = ends_at + interval '1 hour' WHERE supporter_id = $1`, [
      supporterId,
    ]);
    expect(await version()).toBe(v0 + 1n);
    await t.ds.query(`DELETE FROM calendar_busy_blocks WHERE supporter_id = $1`, [supporterId]);
  });

  it('serves the copy while the version stands, and re-reads when a request reaches past the copy', async () => {
    const first = (await slotsOf())[0];
    const service = t.app.get(SupportersService);
    // A block written with the trigger off leaves the version alone: only the cache can hide it then.
    await t.ds.query(`ALTER TABLE calendar_busy_blocks DISABLE TRIGGER tr_calendar_busy_blocks_unavailability_version`);
    try {
      await insertBlock(first.start, first.end);
      const far = { start: Date.now() + 30 * DAY, end: Date.now() + 30 * DAY + 3_600_000 };
      await insertBlock(new Date(far.start).toISOString(), new Date(far.end).toISOString());
      expect((await slotsOf())[0]).toEqual(first);
      // Past the cached window (now + a few days): read again, so both blocks are there.
      const all = await service.unavailabilityOfAll({ start: Date.now() - DAY, end: far.end });
      expect(all.get(supporterId)).toEqual([
        { start: Date.parse(first.start), end: Date.parse(first.end) },
        { start: far.start, end: far.end },
      ]);
      // Each call answers only what overlaps its range, from the same copy.
      const near = await service.unavailabilityOfAll({ start: Date.now() - DAY, end: Date.now() + 5 * DAY });
      expect(near.get(supporterId)).toEqual([{ start: Date.parse(first.start), end: Date.parse(first.end) }]);
    } finally {
      await t.ds.query(
        `ALTER TABLE calendar_busy_blocks ENABLE TRIGGER tr_calendar_busy_blocks_unavailability_version`,
      );
    }
  });
});
