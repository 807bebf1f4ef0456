import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HearingState } from '../../shared/hearingState.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { insertCourt, insertKiosk, insertSite, insertUser } from '../../test/helpers/fixtures.js';
import type { Court, Site, User } from '../db/schema.js';
import { HearingScheduler } from './HearingScheduler.js';

/*
 * A hearing stays where people look for it once it has begun: the floor writes its state into
 * hearings.status (open, in_session, paused, closed), and the judge's agenda, the court's list and the
 * kiosk's "today" must still show it — the villager who arrives after the judge opened the waiting
 * room must find the hearing at the kiosk, and the judge who left the room must find the way back.
 * Only cancelled hearings leave the lists; closed ones leave the kiosk's (nobody joins them any more).
 */

const at = (hhmm: string, day = '2026-12-03'): string => `${day}T${hhmm}:00+08:00`;
const CLERK = { userId: 'clerk-user' };

describe.each(DIALECTS)('hearings that have begun stay listed, on %s', (dialect) => {
  let database: TestDatabase;
  let court: Court;
  let judge: User;
  let clerk: User;
  let site: Site;

  beforeEach(async () => {
    database = await openTestDatabase(dialect);
    const { db } = database;
    court = await insertCourt(db);
    judge = await insertUser(db, { court_id: court.id, role: 'judge', display_name: '王法官' });
    clerk = await insertUser(db, { court_id: court.id, role: 'clerk', display_name: '陈书记员' });
    site = await insertSite(db, { name: '青山村共享法庭' });
    await insertKiosk(db, { site_id: site.id });
  });

  afterEach(async () => {
    await database.destroy();
  });

  it.each<[HearingState, boolean]>([
    ['scheduled', true],
    ['open', true],
    ['in_session', true],
    ['paused', true],
    ['closed', false],
  ])('a hearing in state %s: on the agenda and the court list; on the kiosk list: %s', async (state, atKiosk) => {
    const scheduler = new HearingScheduler({
      db: database.db,
      dialect,
      bufferMinutes: 0,
      now: () => Date.parse(at('07:00')),
    });
    const hearing = await scheduler.book(CLERK, {
      caseNumber: '(2026)浙0185民初77号',
      title: '房屋租赁合同纠纷',
      caseType: 'civil',
      courtId: court.id,
      judgeId: judge.id,
      clerkId: clerk.id,
      startsAt: at('09:30'),
      endsAt: at('10:30'),
      isPublic: true,
      participants: [{ role: 'plaintiff', name: '李建国', idTail: '1234', site: site.id }],
    });
    // What server/hearing/Floor.ts does on each hearing command.
    await database.db.updateTable('hearings').set({ status: state }).where('id', '=', hearing.id).execute();
    const day = [Date.parse(at('00:00')), Date.parse(at('00:00', '2026-12-04'))] as const;

    expect((await scheduler.agendaForJudge(judge.id)).map((h) => [h.id, h.status])).toEqual([[hearing.id, state]]);
    expect((await scheduler.listForCourt(court.id, ...day)).map((h) => h.id)).toEqual([hearing.id]);
    expect((await scheduler.listForJudge(judge.id, ...day)).map((h) => h.id)).toEqual([hearing.id]);
    expect((await scheduler.todayForSite(site.id)).map((h) => h.id)).toEqual(atKiosk ? [hearing.id] : []);

    // Cancelled ones leave every list but the iCal feed's (includeCancelled).
    await database.db.updateTable('hearings').set({ status: 'cancelled' }).where('id', '=', hearing.id).execute();
    expect(await scheduler.agendaForJudge(judge.id)).toEqual([]);
    expect(await scheduler.listForCourt(court.id, ...day)).toEqual([]);
    expect(await scheduler.todayForSite(site.id)).toEqual([]);
    expect(await scheduler.listForJudge(judge.id, ...day, { includeCancelled: true })).toHaveLength(1);
  });
});
