import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../shared/errors.js';
import type { BookHearingInput } from '../../shared/scheduling.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { insertCourt, insertKiosk, insertSite, insertUser } from '../../test/helpers/fixtures.js';
import { refused } from '../../test/helpers/refused.js';
import { verifyAudit } from '../audit/AuditLog.js';
import type { Court, Kiosk, Site, User } from '../db/schema.js';
import { HearingScheduler } from './HearingScheduler.js';

/** 2026-12-03 at hh:mm in Asia/Shanghai, as the UI sends it. */
const at = (hhmm: string, day = '2026-12-03'): string => `${day}T${hhmm}:00+08:00`;
const ms = (iso: string): number => Date.parse(iso);
const CLERK = { userId: 'clerk-user' };

describe.each(DIALECTS)('hearing scheduler on %s', (dialect) => {
  let database: TestDatabase;
  let court: Court;
  let judge: User;
  let judge2: User;
  let clerk: User;
  let clerk2: User;
  /** Two kiosks: hosts two hearings at once. */
  let siteA: Site;
  let kioskA1: Kiosk;
  let kioskA2: Kiosk;
  let siteB: Site;
  let kioskB: Kiosk;
  let caseSeq = 0;
  let clock = ms(at('08:00', '2026-12-01'));

  const scheduler = (bufferMinutes = 0): HearingScheduler =>
    new HearingScheduler({ db: database.db, dialect, bufferMinutes, now: () => clock });

  /** A valid booking of judge/clerk 1, 09:30–10:30, plaintiff at site B, defendant at the court. */
  const booking = (overrides: Partial<BookHearingInput> = {}): BookHearingInput => ({
    caseNumber: `(2026)浙0185民初${++caseSeq}号`,
    title: '房屋租赁合同纠纷',
    caseType: 'civil',
    courtId: court.id,
    judgeId: judge.id,
    clerkId: clerk.id,
    startsAt: at('09:30'),
    endsAt: at('10:30'),
    isPublic: true,
    participants: [
      { role: 'plaintiff', name: '李建国', idTail: '1234', site: siteB.id },
      { role: 'defendant', name: '临安某物业公司', idTail: '567X', site: null },
    ],
    ...overrides,
  });

  const counts = async (): Promise<Record<string, number>> => {
    const { db } = database;
    const count = async (table: 'hearings' | 'hearing_participants' | 'bookings' | 'hearing_history' | 'audit_log') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      hearings: await count('hearings'),
      participants: await count('hearing_participants'),
      bookings: await count('bookings'),
      history: await count('hearing_history'),
      audit: await count('audit_log'),
    };
  };

  const bookingKeys = async (hearingId: string): Promise<string[]> =>
    (
      await database.db
        .selectFrom('bookings')
        .select('resource_key')
        .where('hearing_id', '=', hearingId)
        .orderBy('resource_key')
        .execute()
    ).map((r) => r.resource_key);

  beforeEach(async () => {
    database = await openTestDatabase(dialect);
    const { db } = database;
    clock = ms(at('08:00', '2026-12-01'));
    court = await insertCourt(db);
    judge = await insertUser(db, { court_id: court.id, role: 'judge', display_name: '王法官' });
    judge2 = await insertUser(db, { court_id: court.id, role: 'judge', display_name: '周法官' });
    clerk = await insertUser(db, { court_id: court.id, role: 'clerk', display_name: '陈书记员' });
    clerk2 = await insertUser(db, { court_id: court.id, role: 'clerk', display_name: '吴书记员' });
    siteA = await insertSite(db, { name: '青山村共享法庭' });
    kioskA1 = await insertKiosk(db, { site_id: siteA.id, created_ms: 1 });
    kioskA2 = await insertKiosk(db, { site_id: siteA.id, created_ms: 2 });
    siteB = await insertSite(db, { name: '清源村共享法庭' });
    kioskB = await insertKiosk(db, { site_id: siteB.id });
  });

  afterEach(async () => {
    await database.destroy();
  });

  describe('booking', () => {
    it('stores the hearing, its participants, its bookings, a history row and an audit entry', async () => {
      const hearing = await scheduler().book(
        CLERK,
        booking({
          caseNumber: ' (2023)浙0185民初1234号 ',
          participants: [
            { role: 'plaintiff', name: '李建国', idTail: '1234', site: siteA.id },
            { role: 'agent', name: '张律师', idTail: '00012x', site: siteA.id },
            { role: 'defendant', name: '赵丽', idTail: '4321', site: siteB.id },
            { role: 'witness', name: '钱七', idTail: '9999', site: null },
          ],
        }),
      );

      expect(hearing).toMatchObject({
        caseNumber: '（2023）浙0185民初1234号',
        startsAt: '2026-12-03T09:30:00+08:00',
        endsAt: '2026-12-03T10:30:00+08:00',
        startMs: ms(at('09:30')),
        status: 'scheduled',
        version: 1,
        isPublic: true,
      });
      // Everyone at site A shares its first kiosk; the ID tail is kept upper-case.
      expect(hearing.participants.map((p) => [p.role, p.siteId, p.kioskId, p.idTail])).toEqual([
        ['plaintiff', siteA.id, kioskA1.id, '1234'],
        ['agent', siteA.id, kioskA1.id, '00012X'],
        ['defendant', siteB.id, kioskB.id, '4321'],
        ['witness', null, null, '9999'],
      ]);
      expect(await scheduler().get(hearing.id)).toEqual(hearing);
      expect(await bookingKeys(hearing.id)).toEqual(
        [`judge:${judge.id}`, `clerk:${clerk.id}`, `kiosk:${kioskA1.id}`, `kiosk:${kioskB.id}`].sort(),
      );
      const history = await scheduler().history(hearing.id);
      expect(history).toEqual([
        expect.objectContaining({ action: 'booked', actorId: CLERK.userId, before: null, atMs: clock }),
      ]);
      expect(JSON.stringify(history)).not.toContain('00012X');

      const audit = await database.db.selectFrom('audit_log').selectAll().execute();
      expect(audit).toEqual([
        expect.objectContaining({
          actor: 'user:clerk-user',
          action: 'hearing.booked',
          subject: `hearing:${hearing.id}`,
          at_ms: clock,
        }),
      ]);
      expect(JSON.parse(audit[0]?.details_json ?? '{}')).toMatchObject({ caseNumber: '（2023）浙0185民初1234号' });
      expect(await verifyAudit(database.db)).toMatchObject({ ok: true, entries: 1 });
    });

    it('refuses an overlapping hearing of the same judge, names the clash, and stores nothing', async () => {
      const first = await scheduler().book(CLERK, booking({ caseNumber: '（2026）浙0185民初1号' }));
      const before = await counts();

      const error = await refused(
        scheduler().book(CLERK, booking({ clerkId: clerk2.id, startsAt: at('10:00'), endsAt: at('11:00') })),
        'CONFLICT',
      );
      expect(error.message).toContain('judge 王法官');
      expect(error.message).toContain('（2026）浙0185民初1号 (2026-12-03 09:30–10:30)');
      // Site B's only kiosk is also taken by the first hearing.
      expect(error.details?.conflicts).toEqual([
        expect.objectContaining({ resource: 'judge', resourceId: judge.id, hearingId: first.id }),
        expect.objectContaining({ resource: 'site', resourceId: siteB.id, kioskId: kioskB.id, hearingId: first.id }),
      ]);
      expect(await counts()).toEqual(before);
    });

    // Each statement is a round trip to PostgreSQL, and the round trips made most of a booking's p99
    // (bench:booking): the booking is one call of scheduler_book, outside an explicit transaction, and
    // a refusal of a free slot's kiosk or of a busy judge too.
    it.skipIf(dialect === 'sqlite')('books and refuses in one statement on PostgreSQL', async () => {
      let statements = 0;
      const counted = database.db.withPlugin({
        transformQuery: (args) => args.node,
        // Once per statement executed: transformQuery also sees the subqueries built with this instance.
        transformResult: async (args) => {
          statements++;
          return args.result;
        },
      });
      const counting = new HearingScheduler({ db: counted, dialect, bufferMinutes: 0, now: () => clock });
      const atBothSites = booking({
        participants: [
          { role: 'plaintiff', name: '李建国', idTail: '1234', site: siteA.id },
          { role: 'defendant', name: '赵丽', idTail: '4321', site: siteB.id },
        ],
      });
      await counting.book(CLERK, atBothSites);
      expect(statements).toBe(1);
      statements = 0;
      await refused(counting.book(CLERK, { ...atBothSites, caseNumber: '（2026）浙0185民初99号' }), 'CONFLICT');
      expect(statements).toBe(1);
    });

    it('keeps names with quotes, backslashes, control characters and emoji exactly, in the history and the audit chain', async () => {
      const awkward = ['王"小"明', 'back\\slash \\u0000', 'tab\tnew\nline\u0001\u001f\u007f', '张三😀 \u2028 / <>'];
      const hearing = await scheduler().book(
        CLERK,
        booking({
          title: '"引号" \\ 与\n换行',
          participants: [
            { role: 'plaintiff', name: awkward[0] ?? '', idTail: '1234', site: siteA.id },
            { role: 'defendant', name: awkward[1] ?? '', idTail: '4321', site: siteB.id },
            { role: 'agent', name: awkward[2] ?? '', idTail: '5678', site: siteA.id },
            { role: 'witness', name: awkward[3] ?? '', idTail: '8765', site: null },
          ],
        }),
      );
      expect(hearing.participants.map((p) => p.name)).toEqual(awkward);
      // Both people at site A share its kiosk; site B has its own.
      expect(hearing.participants.map((p) => p.kioskId)).toEqual([kioskA1.id, kioskB.id, kioskA1.id, null]);
      expect(await scheduler().get(hearing.id)).toEqual(hearing);
      const [history] = await scheduler().history(hearing.id);
      const { participants, ...rest } = hearing;
      expect(history?.after).toEqual({ ...rest, participants: participants.map(({ idTail: _t, ...p }) => p) });
      const entry = await database.db.selectFrom('audit_log').selectAll().executeTakeFirstOrThrow();
      expect(JSON.parse(entry.details_json)).toMatchObject({ kiosks: [kioskA1.id, kioskB.id] });
      expect(await verifyAudit(database.db)).toMatchObject({ ok: true, entries: 1 });
    });

    it('refuses an overlapping hearing of the same clerk', async () => {
      await scheduler().book(
        CLERK,
        booking({ participants: [{ role: 'plaintiff', name: '甲', idTail: '1111', site: null }] }),
      );
      const error = await refused(
        scheduler().book(
          CLERK,
          booking({
            judgeId: judge2.id,
            startsAt: at('08:00'),
            endsAt: at('09:31'),
            participants: [{ role: 'plaintiff', name: '乙', idTail: '2222', site: null }],
          }),
        ),
        'CONFLICT',
      );
      expect(error.message).toContain('clerk 陈书记员 is already booked');
      expect(error.message).not.toContain('judge');
      expect(error.details?.conflicts).toEqual([expect.objectContaining({ resource: 'clerk', resourceId: clerk.id })]);
    });

    it('accepts hearings that only touch when there is no buffer', async () => {
      await scheduler().book(CLERK, booking());
      await scheduler().book(CLERK, booking({ startsAt: at('10:30'), endsAt: at('11:30') }));
      await scheduler().book(CLERK, booking({ startsAt: at('08:30'), endsAt: at('09:30') }));
      expect((await counts()).hearings).toBe(3);
    });

    it('keeps the buffer between hearings of the same judge, clerk or kiosk', async () => {
      const buffered = scheduler(15);
      await buffered.book(CLERK, booking());
      const touching = await refused(
        buffered.book(CLERK, booking({ startsAt: at('10:30'), endsAt: at('11:00') })),
        'CONFLICT',
      );
      expect(touching.message).toContain('15 minutes between hearings');
      await refused(buffered.book(CLERK, booking({ startsAt: at('10:44'), endsAt: at('11:30') })), 'CONFLICT');
      await refused(buffered.book(CLERK, booking({ startsAt: at('08:30'), endsAt: at('09:16') })), 'CONFLICT');
      // The kiosk keeps the buffer too: another judge and clerk, but site B again.
      await refused(
        buffered.book(
          CLERK,
          booking({ judgeId: judge2.id, clerkId: clerk2.id, startsAt: at('10:40'), endsAt: at('11:00') }),
        ),
        'CONFLICT',
      );
      await buffered.book(CLERK, booking({ startsAt: at('10:45'), endsAt: at('11:30') }));
      await buffered.book(CLERK, booking({ startsAt: at('08:30'), endsAt: at('09:15') }));
      expect((await counts()).hearings).toBe(3);
    });

    it('gives a site one hearing at a time per kiosk and names what holds them all', async () => {
      const atSiteA = (name: string) => [{ role: 'plaintiff' as const, name, idTail: '1234', site: siteA.id }];
      const third = await insertUser(database.db, { court_id: court.id, role: 'judge', display_name: '郑法官' });
      const thirdClerk = await insertUser(database.db, { court_id: court.id, role: 'clerk' });

      const h1 = await scheduler().book(
        CLERK,
        booking({ caseNumber: '（2026）浙0185民初1号', participants: atSiteA('甲') }),
      );
      const h2 = await scheduler().book(
        CLERK,
        booking({
          caseNumber: '（2026）浙0185民初2号',
          judgeId: judge2.id,
          clerkId: clerk2.id,
          startsAt: at('10:00'),
          endsAt: at('11:00'),
          participants: atSiteA('乙'),
        }),
      );
      expect(h1.participants[0]?.kioskId).toBe(kioskA1.id);
      expect(h2.participants[0]?.kioskId).toBe(kioskA2.id);
      const before = await counts();

      const error = await refused(
        scheduler().book(
          CLERK,
          booking({
            judgeId: third.id,
            clerkId: thirdClerk.id,
            startsAt: at('10:15'),
            endsAt: at('10:45'),
            participants: atSiteA('丙'),
          }),
        ),
        'CONFLICT',
      );
      expect(error.message).toContain('all 2 kiosks of site 青山村共享法庭 are taken by');
      expect(error.message).toContain('（2026）浙0185民初1号 (2026-12-03 09:30–10:30)');
      expect(error.message).toContain('（2026）浙0185民初2号 (2026-12-03 10:00–11:00)');
      expect(await counts()).toEqual(before);

      // Once the first hearing is over, its kiosk is free again.
      const later = await scheduler().book(
        CLERK,
        booking({
          judgeId: third.id,
          clerkId: thirdClerk.id,
          startsAt: at('10:30'),
          endsAt: at('11:00'),
          participants: atSiteA('丙'),
        }),
      );
      expect(later.participants[0]?.kioskId).toBe(kioskA1.id);
      // Booked next to clashes (h2, `later`) or not, each hearing's audit entry links to the one before.
      expect(await verifyAudit(database.db)).toMatchObject({ ok: true, entries: 3 });
    });

    it('never picks a revoked kiosk, and refuses a site without a usable one', async () => {
      await database.db.updateTable('kiosks').set({ revoked_ms: 5 }).where('id', '=', kioskA1.id).execute();
      const hearing = await scheduler().book(
        CLERK,
        booking({ participants: [{ role: 'plaintiff', name: '甲', idTail: '1234', site: siteA.id }] }),
      );
      expect(hearing.participants[0]?.kioskId).toBe(kioskA2.id);

      const bare = await insertSite(database.db, { name: '无终端村' });
      const before = await counts();
      const error = await refused(
        scheduler().book(
          CLERK,
          booking({
            startsAt: at('14:00'),
            endsAt: at('15:00'),
            participants: [{ role: 'witness', name: '乙', idTail: '1234', site: bare.id }],
          }),
        ),
        'BAD_REQUEST',
      );
      expect(error.message).toContain('site 无终端村 has no enrolled kiosk');
      expect(await counts()).toEqual(before);
    });

    it('handles a hearing across midnight (Asia/Shanghai) and instants written with other offsets', async () => {
      const night = await scheduler().book(
        CLERK,
        booking({ caseNumber: '（2026）浙0185民初9号', startsAt: at('23:00'), endsAt: at('01:00', '2026-12-04') }),
      );
      const error = await refused(
        scheduler().book(CLERK, booking({ startsAt: at('00:30', '2026-12-04'), endsAt: at('01:30', '2026-12-04') })),
        'CONFLICT',
      );
      expect(error.message).toContain('（2026）浙0185民初9号 (2026-12-03 23:00 – 2026-12-04 01:00)');
      // 23:30 Shanghai written in UTC and in another offset is the same instant.
      await refused(
        scheduler().book(CLERK, booking({ startsAt: '2026-12-03T15:30:00Z', endsAt: '2026-12-03T16:00:00Z' })),
        'CONFLICT',
      );
      await refused(
        scheduler().book(
          CLERK,
          booking({ startsAt: '2026-12-03T10:30:00-05:00', endsAt: '2026-12-03T11:00:00-05:00' }),
        ),
        'CONFLICT',
      );
      await scheduler().book(
        CLERK,
        booking({ startsAt: at('01:00', '2026-12-04'), endsAt: at('02:00', '2026-12-04') }),
      );

      // It belongs to both Shanghai days it touches.
      const dec3 = ms(at('00:00'));
      const dec4 = ms(at('00:00', '2026-12-04'));
      const dec5 = ms(at('00:00', '2026-12-05'));
      expect((await scheduler().listForJudge(judge.id, dec3, dec4)).map((h) => h.id)).toEqual([night.id]);
      expect((await scheduler().listForJudge(judge.id, dec4, dec5)).map((h) => h.startsAt)).toEqual([
        '2026-12-03T23:00:00+08:00',
        '2026-12-04T01:00:00+08:00',
      ]);
      // 00:30 on Dec 4 in Shanghai is still Dec 3 in UTC: "today" is the Shanghai day.
      clock = ms(at('00:30', '2026-12-04'));
      expect((await scheduler().todayForSite(siteB.id)).map((h) => h.startsAt)).toEqual([
        '2026-12-03T23:00:00+08:00',
        '2026-12-04T01:00:00+08:00',
      ]);
    });
  });

  describe('bad input', () => {
    const cases: [string, () => Partial<BookHearingInput>, ErrorCode, string][] = [
      ['an invalid case number', () => ({ caseNumber: '2023浙0185民初1234号' }), 'BAD_REQUEST', 'caseNumber'],
      [
        'a case number with a 3-digit court code',
        () => ({ caseNumber: '（2023）浙185民初1号' }),
        'BAD_REQUEST',
        'court code',
      ],
      [
        'an end before the start',
        () => ({ startsAt: at('10:30'), endsAt: at('09:30') }),
        'BAD_REQUEST',
        'end after it starts',
      ],
      [
        'an end equal to the start',
        () => ({ startsAt: at('10:30'), endsAt: at('10:30') }),
        'BAD_REQUEST',
        'end after it starts',
      ],
      [
        'a hearing longer than 12 hours',
        () => ({ startsAt: at('08:00'), endsAt: at('20:01') }),
        'BAD_REQUEST',
        'at most 12 hours',
      ],
      ['a time without an offset', () => ({ startsAt: '2026-12-03T09:30:00' }), 'BAD_REQUEST', 'with an offset'],
      ['a date that does not exist', () => ({ startsAt: '2026-02-30T09:30:00+08:00' }), 'BAD_REQUEST', 'startsAt'],
      ['an unknown case type', () => ({ caseType: 'divorce' as 'civil' }), 'BAD_REQUEST', 'caseType'],
      ['an empty title', () => ({ title: '  ' }), 'BAD_REQUEST', 'case title'],
      ['no participants', () => ({ participants: [] }), 'BAD_REQUEST', 'at least one participant'],
      [
        'a bad ID-number tail',
        () => ({ participants: [{ role: 'plaintiff', name: '甲', idTail: '12', site: null }] }),
        'BAD_REQUEST',
        'ID-number tail',
      ],
      [
        'an observer at a hearing that is not public',
        () => ({ isPublic: false, participants: [{ role: 'observer', name: '丁', idTail: '1234', site: null }] }),
        'BAD_REQUEST',
        'observers may only attend public hearings',
      ],
      ['an unknown court', () => ({ courtId: 'no-such-court' }), 'NOT_FOUND', 'court no-such-court does not exist'],
      ['an unknown judge', () => ({ judgeId: 'no-such-judge' }), 'NOT_FOUND', 'judge no-such-judge does not exist'],
      ['an unknown clerk', () => ({ clerkId: 'no-such-clerk' }), 'NOT_FOUND', 'clerk no-such-clerk does not exist'],
      [
        'an unknown site',
        () => ({ participants: [{ role: 'plaintiff', name: '甲', idTail: '1234', site: 'no-such-site' }] }),
        'NOT_FOUND',
        'site no-such-site does not exist',
      ],
      ['a clerk as the judge', () => ({ judgeId: clerk2.id }), 'BAD_REQUEST', 'is a clerk, not a judge'],
    ];

    it.each(cases)('refuses %s with a stable code and stores nothing', async (_name, overrides, code, message) => {
      const before = await counts();
      const error = await refused(scheduler().book(CLERK, booking(overrides())), code);
      expect(error.message).toContain(message);
      expect(await counts()).toEqual(before);
    });

    it('refuses a judge of another court and a disabled clerk', async () => {
      const other = await insertCourt(database.db, { name: '庆元县人民法院', region_code: '331126' });
      const foreign = await insertUser(database.db, { court_id: other.id, role: 'judge' });
      const disabled = await insertUser(database.db, { court_id: court.id, role: 'clerk', disabled_ms: 1 });
      const before = await counts();
      expect(
        (await refused(scheduler().book(CLERK, booking({ judgeId: foreign.id })), 'BAD_REQUEST')).message,
      ).toContain('belongs to another court');
      expect(
        (await refused(scheduler().book(CLERK, booking({ clerkId: disabled.id })), 'BAD_REQUEST')).message,
      ).toContain('is disabled');
      expect(await counts()).toEqual(before);
    });

    it('lists what is wrong in the error details', async () => {
      const error = await refused(
        scheduler().book(CLERK, booking({ caseNumber: 'x', startsAt: at('10:00'), endsAt: at('09:00') })),
        'BAD_REQUEST',
      );
      // The time check runs once every field is valid, so only the case number is reported here.
      expect(error.details?.issues).toEqual([expect.objectContaining({ path: 'caseNumber' })]);
    });

    it('answers NOT_FOUND for unknown hearings', async () => {
      await refused(scheduler().get('no-such-hearing'), 'NOT_FOUND');
      await refused(scheduler().history('no-such-hearing'), 'NOT_FOUND');
      await refused(scheduler().cancel(CLERK, 'no-such-hearing', 'duplicate'), 'NOT_FOUND');
      await refused(
        scheduler().reschedule(CLERK, 'no-such-hearing', { startsAt: at('09:00'), endsAt: at('10:00') }),
        'NOT_FOUND',
      );
      expect(await counts()).toMatchObject({ hearings: 0, history: 0, audit: 0 });
    });

    it('refuses an invalid buffer and a missing actor as programming errors', async () => {
      expect(() => new HearingScheduler({ db: database.db, dialect, bufferMinutes: -1 })).toThrow(TypeError);
      expect(() => new HearingScheduler({ db: database.db, dialect, bufferMinutes: 1.5 })).toThrow(TypeError);
      await expect(scheduler().book({ userId: '' }, booking())).rejects.toThrow(TypeError);
    });
  });

  describe('cancelling', () => {
    it('frees the slots, keeps the reason in the history, and lets the slot be booked again', async () => {
      const hearing = await scheduler().book(CLERK, booking());
      clock += 60_000;
      const cancelled = await scheduler().cancel({ userId: 'clerk-2' }, hearing.id, '  当事人撤诉  ');
      expect(cancelled).toMatchObject({
        status: 'cancelled',
        cancelReason: '当事人撤诉',
        version: 2,
        updatedMs: clock,
      });
      expect(await scheduler().get(hearing.id)).toEqual(cancelled);
      expect(await bookingKeys(hearing.id)).toEqual([]);

      const history = await scheduler().history(hearing.id);
      expect(history.map((h) => [h.action, h.reason, h.actorId])).toEqual([
        ['booked', null, CLERK.userId],
        ['cancelled', '当事人撤诉', 'clerk-2'],
      ]);
      expect(history[1]?.before).toMatchObject({ status: 'scheduled', version: 1 });
      expect(history[1]?.after).toMatchObject({ status: 'cancelled', version: 2 });
      const audit = await database.db
        .selectFrom('audit_log')
        .select(['action', 'details_json'])
        .orderBy('seq')
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['hearing.booked', 'hearing.cancelled']);
      expect(audit[1]?.details_json).toContain('当事人撤诉');

      const again = await scheduler().book(CLERK, booking());
      expect(again.participants[0]?.kioskId).toBe(kioskB.id);
      expect(await verifyAudit(database.db)).toMatchObject({ ok: true, entries: 3 });
    });

    it('requires a reason and refuses to cancel twice, changing nothing', async () => {
      const hearing = await scheduler().book(CLERK, booking());
      const before = await counts();
      expect((await refused(scheduler().cancel(CLERK, hearing.id, '   '), 'BAD_REQUEST')).message).toContain(
        'say why the hearing is cancelled',
      );
      expect(await counts()).toEqual(before);
      await scheduler().cancel(CLERK, hearing.id, '调解结案');
      const afterCancel = await counts();
      await refused(scheduler().cancel(CLERK, hearing.id, '再次取消'), 'INVALID_STATE');
      await refused(
        scheduler().reschedule(CLERK, hearing.id, { startsAt: at('14:00'), endsAt: at('15:00') }),
        'INVALID_STATE',
      );
      expect(await counts()).toEqual(afterCancel);
    });
  });

  describe('rescheduling', () => {
    it('moves the hearing and its bookings, keeps before/after in the history, and frees the old slot', async () => {
      const hearing = await scheduler().book(CLERK, booking());
      clock += 60_000;
      const moved = await scheduler().reschedule(CLERK, hearing.id, {
        startsAt: at('10:00'),
        endsAt: at('11:00'),
        expectedVersion: 1,
      });
      expect(moved).toMatchObject({
        startsAt: '2026-12-03T10:00:00+08:00',
        endsAt: '2026-12-03T11:00:00+08:00',
        version: 2,
      });
      expect(await scheduler().get(hearing.id)).toEqual(moved);
      const rows = await database.db.selectFrom('bookings').selectAll().where('hearing_id', '=', hearing.id).execute();
      expect(rows).toHaveLength(3);
      for (const row of rows) expect([row.start_ms, row.end_ms]).toEqual([ms(at('10:00')), ms(at('11:00'))]);

      const history = await scheduler().history(hearing.id);
      expect(history.map((h) => h.action)).toEqual(['booked', 'rescheduled']);
      expect(history[1]?.before).toMatchObject({ startsAt: '2026-12-03T09:30:00+08:00', version: 1 });
      expect(history[1]?.after).toMatchObject({ startsAt: '2026-12-03T10:00:00+08:00', version: 2 });
      const audit = await database.db
        .selectFrom('audit_log')
        .select('details_json')
        .where('action', '=', 'hearing.rescheduled')
        .execute();
      expect(JSON.parse(audit[0]?.details_json ?? '{}')).toMatchObject({
        previousStartsAt: '2026-12-03T09:30:00+08:00',
        startsAt: '2026-12-03T10:00:00+08:00',
      });

      // 09:00–10:00 touches the moved hearing and is free again for the same judge, clerk and site.
      await scheduler().book(CLERK, booking({ startsAt: at('09:00'), endsAt: at('10:00') }));
    });

    it('refuses a clash with another hearing and leaves the hearing as it was', async () => {
      const h1 = await scheduler().book(CLERK, booking());
      await scheduler().book(
        CLERK,
        booking({ caseNumber: '（2026）浙0185民初77号', startsAt: at('14:00'), endsAt: at('15:00') }),
      );
      const before = await counts();
      const error = await refused(
        scheduler().reschedule(CLERK, h1.id, { startsAt: at('14:30'), endsAt: at('15:30') }),
        'CONFLICT',
      );
      expect(error.message).toContain('cannot be moved to 2026-12-03 14:30–15:30');
      expect(error.message).toContain('（2026）浙0185民初77号 (2026-12-03 14:00–15:00)');
      expect(await counts()).toEqual(before);
      expect(await scheduler().get(h1.id)).toEqual(h1);
    });

    it('refuses a change based on a stale version', async () => {
      const hearing = await scheduler().book(CLERK, booking());
      await scheduler().reschedule(CLERK, hearing.id, { startsAt: at('11:00'), endsAt: at('12:00') });
      const error = await refused(
        scheduler().reschedule(CLERK, hearing.id, { startsAt: at('13:00'), endsAt: at('14:00'), expectedVersion: 1 }),
        'CONFLICT',
      );
      expect(error.message).toContain('changed by someone else');
      expect((await scheduler().get(hearing.id)).startsAt).toBe('2026-12-03T11:00:00+08:00');
    });

    it('refuses a bad new time', async () => {
      const hearing = await scheduler().book(CLERK, booking());
      await refused(
        scheduler().reschedule(CLERK, hearing.id, { startsAt: at('11:00'), endsAt: at('10:00') }),
        'BAD_REQUEST',
      );
      await refused(
        scheduler().reschedule(CLERK, hearing.id, { startsAt: '2026-12-03 11:00', endsAt: at('12:00') }),
        'BAD_REQUEST',
      );
      expect((await scheduler().get(hearing.id)).version).toBe(1);
    });

    it("keeps the site's kiosk when it is still free, and picks another when it is not", async () => {
      const atSiteA = [{ role: 'plaintiff' as const, name: '甲', idTail: '1234', site: siteA.id }];
      const hearing = await scheduler().book(CLERK, booking({ participants: atSiteA }));
      expect(hearing.participants[0]?.kioskId).toBe(kioskA1.id);
      // Another hearing takes kiosk A1 in the afternoon; A2 is free.
      await scheduler().book(
        CLERK,
        booking({
          judgeId: judge2.id,
          clerkId: clerk2.id,
          startsAt: at('14:00'),
          endsAt: at('15:00'),
          participants: atSiteA,
        }),
      );

      const kept = await scheduler().reschedule(CLERK, hearing.id, { startsAt: at('11:00'), endsAt: at('12:00') });
      expect(kept.participants[0]?.kioskId).toBe(kioskA1.id);
      const moved = await scheduler().reschedule(CLERK, hearing.id, { startsAt: at('14:30'), endsAt: at('15:30') });
      expect(moved.participants[0]?.kioskId).toBe(kioskA2.id);
      expect((await scheduler().get(hearing.id)).participants[0]?.kioskId).toBe(kioskA2.id);
      expect(await bookingKeys(hearing.id)).toContain(`kiosk:${kioskA2.id}`);
      expect(await bookingKeys(hearing.id)).not.toContain(`kiosk:${kioskA1.id}`);
    });

    it('may overlap its own old time', async () => {
      const hearing = await scheduler(30).book(CLERK, booking());
      const moved = await scheduler(30).reschedule(CLERK, hearing.id, { startsAt: at('09:45'), endsAt: at('10:45') });
      expect(moved.startsAt).toBe('2026-12-03T09:45:00+08:00');
    });
  });

  describe('views', () => {
    it("lists a judge's and a court's hearings by start time, without cancelled ones unless asked", async () => {
      const late = await scheduler().book(CLERK, booking({ startsAt: at('15:00'), endsAt: at('16:00') }));
      const early = await scheduler().book(CLERK, booking());
      const other = await scheduler().book(
        CLERK,
        booking({
          judgeId: judge2.id,
          clerkId: clerk2.id,
          startsAt: at('11:00'),
          endsAt: at('12:00'),
          participants: [{ role: 'plaintiff', name: '甲', idTail: '1234', site: null }],
        }),
      );
      const nextWeek = await scheduler().book(
        CLERK,
        booking({ startsAt: at('09:00', '2026-12-09'), endsAt: at('10:00', '2026-12-09') }),
      );
      const beyond = await scheduler().book(
        CLERK,
        booking({ startsAt: at('09:00', '2026-12-10'), endsAt: at('10:00', '2026-12-10') }),
      );
      await scheduler().cancel(CLERK, late.id, '改期另行通知');
      const day = [ms(at('00:00')), ms(at('00:00', '2026-12-04'))] as const;

      expect((await scheduler().listForJudge(judge.id, ...day)).map((h) => h.id)).toEqual([early.id]);
      expect((await scheduler().listForJudge(judge.id, ...day, { includeCancelled: true })).map((h) => h.id)).toEqual([
        early.id,
        late.id,
      ]);
      expect((await scheduler().listForCourt(court.id, ...day)).map((h) => h.id)).toEqual([early.id, other.id]);
      expect((await scheduler().listForCourt(court.id, ...day))[0]?.participants).toHaveLength(2);

      // Today is Dec 2 in Shanghai: the agenda runs to the end of Dec 9, a week later.
      clock = ms(at('07:00', '2026-12-02'));
      const agenda = (await scheduler().agendaForJudge(judge.id)).map((h) => h.id);
      expect(agenda).toEqual([early.id, nextWeek.id]);
      expect(agenda).not.toContain(beyond.id);
    });

    it('shows a kiosk only its own site, only the people there, and no ID-number tails', async () => {
      const hearing = await scheduler().book(
        CLERK,
        booking({
          participants: [
            { role: 'plaintiff', name: '李建国', idTail: '1234', site: siteB.id },
            { role: 'agent', name: '张律师', idTail: '5678', site: siteB.id },
            { role: 'defendant', name: '赵丽', idTail: '4321', site: siteA.id },
          ],
        }),
      );
      await scheduler().book(
        CLERK,
        booking({
          judgeId: judge2.id,
          clerkId: clerk2.id,
          startsAt: at('09:30', '2026-12-04'),
          endsAt: at('10:00', '2026-12-04'),
        }),
      );
      clock = ms(at('07:00'));
      const today = await scheduler().todayForSite(siteB.id);
      expect(today).toEqual([
        {
          id: hearing.id,
          caseNumber: hearing.caseNumber,
          title: hearing.title,
          startMs: hearing.startMs,
          endMs: hearing.endMs,
          startsAt: '2026-12-03T09:30:00+08:00',
          endsAt: '2026-12-03T10:30:00+08:00',
          isPublic: true,
          kioskId: kioskB.id,
          participants: [
            { id: hearing.participants[0]?.id, role: 'plaintiff', name: '李建国' },
            { id: hearing.participants[1]?.id, role: 'agent', name: '张律师' },
          ],
        },
      ]);
      await refused(scheduler().todayForSite('no-such-site'), 'NOT_FOUND');
    });

    it("shows the judge's, the clerk's and the sites' existing bookings for the conflict view", async () => {
      const h1 = await scheduler().book(CLERK, booking());
      const h2 = await scheduler().book(
        CLERK,
        booking({
          judgeId: judge2.id,
          clerkId: clerk2.id,
          participants: [{ role: 'plaintiff', name: '甲', idTail: '1234', site: siteA.id }],
        }),
      );
      const day = [ms(at('00:00')), ms(at('00:00', '2026-12-04'))] as const;
      const view = await scheduler().availability(
        { judgeId: judge.id, clerkId: clerk2.id, siteIds: [siteA.id, siteB.id] },
        ...day,
      );
      expect(view.map((b) => [b.resource, b.resourceId, b.kioskId, b.hearingId]).sort()).toEqual(
        [
          ['judge', judge.id, null, h1.id],
          ['clerk', clerk2.id, null, h2.id],
          ['site', siteA.id, kioskA1.id, h2.id],
          ['site', siteB.id, kioskB.id, h1.id],
        ].sort(),
      );
      expect(view[0]).toMatchObject({ caseNumber: expect.stringMatching(/^（2026）/), startMs: ms(at('09:30')) });
      expect(await scheduler().availability({}, ...day)).toEqual([]);
    });
  });
});
