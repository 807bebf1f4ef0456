import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BookHearingInput } from '../../shared/scheduling.js';
import { DIALECTS, openTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from '../../test/helpers/db.js';
import { insertCourt, insertKiosk, insertSite, insertUser } from '../../test/helpers/fixtures.js';
import { appendAudit, verifyAudit } from '../audit/AuditLog.js';
import { lockResources } from '../db/Database.js';
import type { Court, Site, User } from '../db/schema.js';
import { AppError } from '../errors.js';
import { HearingScheduler } from './HearingScheduler.js';

const PARALLEL = 16;
const at = (hhmm: string): string => `2026-12-03T${hhmm}:00+08:00`;

/** The outcome of each call: 'ok', or the AppError code it was refused with. */
async function outcomes(calls: Promise<unknown>[]): Promise<string[]> {
  const settled = await Promise.allSettled(calls);
  return settled.map((s) => {
    if (s.status === 'fulfilled') return 'ok';
    if (s.reason instanceof AppError) return s.reason.code;
    throw s.reason;
  });
}

describe.each(DIALECTS)('concurrent bookings on %s', (dialect) => {
  let database: TestDatabase;
  let court: Court;
  let judge: User;
  /** One clerk per booking, so that only the judge (or the site) is shared. */
  let clerks: User[];
  let scheduler: HearingScheduler;

  const booking = (i: number, overrides: Partial<BookHearingInput> = {}): BookHearingInput => ({
    caseNumber: `（2026）浙0185民初${i + 1}号`,
    title: '民间借贷纠纷',
    caseType: 'civil',
    courtId: court.id,
    judgeId: judge.id,
    clerkId: clerks[i]?.id ?? '',
    // Staggered starts, all overlapping 09:30–10:00.
    startsAt: at(`09:${String(i).padStart(2, '0')}`),
    endsAt: at(`10:${String(i).padStart(2, '0')}`),
    isPublic: false,
    participants: [{ role: 'plaintiff', name: `当事人${i}`, idTail: '1234', site: null }],
    ...overrides,
  });

  beforeEach(async () => {
    database = await openTestDatabase(dialect);
    court = await insertCourt(database.db);
    judge = await insertUser(database.db, { court_id: court.id, role: 'judge' });
    clerks = [];
    for (let i = 0; i < PARALLEL; i++)
      clerks.push(await insertUser(database.db, { court_id: court.id, role: 'clerk' }));
    scheduler = new HearingScheduler({ db: database.db, dialect, bufferMinutes: 5 });
  });

  afterEach(async () => {
    await database.destroy();
  });

  it(`${PARALLEL} parallel bookings of one judge slot: exactly one succeeds`, async () => {
    const results = await outcomes(
      Array.from({ length: PARALLEL }, (_, i) => scheduler.book({ userId: `clerk-${i}` }, booking(i))),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'CONFLICT')).toHaveLength(PARALLEL - 1);

    const hearings = await database.db.selectFrom('hearings').selectAll().execute();
    expect(hearings).toHaveLength(1);
    const bookings = await database.db.selectFrom('bookings').selectAll().execute();
    expect(bookings.map((b) => b.resource_key).sort()).toEqual([`clerk:${hearings[0]?.clerk_id}`, `judge:${judge.id}`]);
    expect(bookings.every((b) => b.hearing_id === hearings[0]?.id)).toBe(true);
    expect(await verifyAudit(database.db)).toMatchObject({ ok: true, entries: 1 });
  });

  it('parallel bookings of a two-kiosk site by different judges: exactly two succeed, on different kiosks', async () => {
    const site: Site = await insertSite(database.db);
    await insertKiosk(database.db, { site_id: site.id, created_ms: 1 });
    await insertKiosk(database.db, { site_id: site.id, created_ms: 2 });
    const judges: User[] = [];
    for (let i = 0; i < PARALLEL; i++)
      judges.push(await insertUser(database.db, { court_id: court.id, role: 'judge' }));

    const results = await outcomes(
      Array.from({ length: PARALLEL }, (_, i) =>
        scheduler.book(
          { userId: `clerk-${i}` },
          booking(i, {
            judgeId: judges[i]?.id ?? '',
            participants: [{ role: 'witness', name: `证人${i}`, idTail: '4321', site: site.id }],
          }),
        ),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(2);
    expect(results.filter((r) => r === 'CONFLICT')).toHaveLength(PARALLEL - 2);
    const kioskBookings = await database.db
      .selectFrom('bookings')
      .select('resource_key')
      .where('resource_key', 'like', 'kiosk:%')
      .execute();
    expect(new Set(kioskBookings.map((b) => b.resource_key)).size).toBe(2);
  });

  it('parallel bookings of different judges, among other audit entries, all succeed and form one chain', async () => {
    const judges: User[] = [];
    for (let i = 0; i < PARALLEL; i++)
      judges.push(await insertUser(database.db, { court_id: court.id, role: 'judge' }));
    const bookings = Array.from({ length: PARALLEL }, (_, i) =>
      scheduler.book({ userId: `clerk-${i}` }, booking(i, { judgeId: judges[i]?.id ?? '' })),
    );
    const others = Array.from({ length: 4 }, (_, i) =>
      database.db
        .transaction()
        .execute((trx) =>
          appendAudit(trx, dialect, { actor: 'system', action: 'test.append', subject: `n:${i}`, details: { i } }),
        ),
    );
    const results = await outcomes([...bookings, ...others]);
    expect(results).toEqual(Array(PARALLEL + 4).fill('ok'));
    expect(await verifyAudit(database.db)).toMatchObject({ ok: true, entries: PARALLEL + 4 });
  });

  // On PostgreSQL a booking takes the audit chain's head (its lock) in the statement that writes it, after
  // the overlap query: a refusal does not queue behind the other appends; a booking does.
  it.skipIf(dialect === 'sqlite')('a refused booking does not wait for the audit chain', async () => {
    await scheduler.book({ userId: 'clerk-0' }, booking(0));
    let release = (): void => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = (): void => {};
    const headHeld = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = database.db.transaction().execute(async (trx) => {
      // What an append takes first: the lock on the chain's head.
      await trx.selectFrom('audit_head').selectAll().where('id', '=', 1).forUpdate().execute();
      locked();
      await released;
    });
    await headHeld;
    try {
      const refusal = outcomes([scheduler.book({ userId: 'clerk-1' }, booking(1))]);
      const timeout = new Promise<string[]>((resolve) => setTimeout(() => resolve(['waiting']), 5_000));
      expect(await Promise.race([refusal, timeout])).toEqual(['CONFLICT']);
      // A booking that goes through waits for the head.
      const other = await insertUser(database.db, { court_id: court.id, role: 'judge' });
      const booked = scheduler.book({ userId: 'clerk-2' }, booking(2, { judgeId: other.id }));
      const waited = await Promise.race([
        booked.then(() => 'booked'),
        new Promise((resolve) => setTimeout(() => resolve('waiting'), 300)),
      ]);
      expect(waited).toBe('waiting');
      release();
      await booked;
    } finally {
      release();
      await holder;
    }
    expect(await verifyAudit(database.db)).toMatchObject({ ok: true, entries: 2 });
  });

  it('reschedules racing a cancel of the same hearing run one after the other', async () => {
    const hearing = await scheduler.book({ userId: 'clerk-0' }, booking(0));
    const results = await outcomes([
      scheduler.reschedule({ userId: 'a' }, hearing.id, {
        startsAt: at('11:00'),
        endsAt: at('12:00'),
        expectedVersion: 1,
      }),
      scheduler.cancel({ userId: 'b' }, hearing.id, '当事人撤诉'),
      scheduler.reschedule({ userId: 'c' }, hearing.id, {
        startsAt: at('13:00'),
        endsAt: at('14:00'),
        expectedVersion: 1,
      }),
    ]);
    // At most one of the two reschedules (both based on version 1) gets through, and only when it comes
    // before the cancel; the others see version 2 (CONFLICT) or a cancelled hearing (INVALID_STATE).
    const [first, cancel, second] = results;
    expect(cancel).toBe('ok');
    expect([first, second].filter((r) => r === 'ok').length).toBeLessThanOrEqual(1);
    const changes = results.filter((r) => r === 'ok').length;
    expect(await scheduler.get(hearing.id)).toMatchObject({ status: 'cancelled', version: 1 + changes });
    const bookings = await database.db
      .selectFrom('bookings')
      .selectAll()
      .where('hearing_id', '=', hearing.id)
      .execute();
    expect(bookings).toEqual([]);
    expect((await scheduler.history(hearing.id)).map((h) => h.action)).toHaveLength(1 + changes);
    expect(await verifyAudit(database.db)).toMatchObject({ ok: true, entries: 1 + changes });
  });

  // Shows that the bookings really run at the same time on PostgreSQL (the pool has 10 connections)
  // and that each waits for the judge's lock before it looks for overlaps.
  it.skipIf(dialect === 'sqlite')('bookings wait on the judge lock together, then exactly one succeeds', async () => {
    const waiting = 8;
    const key = `judge:${judge.id}`;
    let release = (): void => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = (): void => {};
    const lockHeld = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = database.db.transaction().execute(async (trx) => {
      await lockResources(trx, dialect, [key]);
      locked();
      await released;
    });
    await lockHeld;

    const calls = Array.from({ length: waiting }, (_, i) => scheduler.book({ userId: `clerk-${i}` }, booking(i)));
    const observer = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await observer.connect();
    try {
      const deadline = Date.now() + 10_000;
      let blocked = 0;
      while (Date.now() < deadline) {
        const { rows } = await observer.query<{ n: number }>(
          `select count(*)::int as n from pg_locks, (select hashtextextended($1, 0) as h) k
           where locktype = 'advisory' and not granted
             and classid::bigint = (k.h >> 32) & 4294967295 and objid::bigint = k.h & 4294967295`,
          [key],
        );
        blocked = rows[0]?.n ?? 0;
        if (blocked === waiting) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(blocked).toBe(waiting);
      // Nothing has been written while the lock was held.
      expect(await database.db.selectFrom('hearings').select('id').execute()).toEqual([]);
    } finally {
      release();
      await observer.end();
    }
    await holder;
    const results = await outcomes(calls);
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'CONFLICT')).toHaveLength(waiting - 1);
    expect(await database.db.selectFrom('bookings').selectAll().where('resource_key', '=', key).execute()).toHaveLength(
      1,
    );
  });
});
