import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CourtSummary, KioskPrincipal, SiteSummary, UserPrincipal } from '../../shared/accounts.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { verifyAudit } from '../audit/AuditLog.js';
import { AppError } from '../errors.js';
import { AccountService, SYSTEM } from './AccountService.js';
import { canJoinHearing, canSeeSiteHearings } from './authorize.js';
import { Tokens } from './Tokens.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const PASSWORD = 'Qingyuan-2026-tea';

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof AppError)) throw new Error(`expected an AppError, got ${String(outcome)}`);
  return outcome;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe.each(DIALECTS)('AccountService on %s', (dialect) => {
  let database: TestDatabase;
  let clock: { ms: number };
  let service: AccountService;
  let linan: CourtSummary;
  let qingyuanSite: SiteSummary;
  let linanSite: SiteSummary;
  let admin: UserPrincipal;

  beforeEach(async () => {
    database = await openTestDatabase(dialect);
    clock = { ms: Date.UTC(2026, 11, 1, 1, 0) };
    const now = () => clock.ms;
    const tokens = new Tokens({ secret: randomBytes(32), issuer: 'shared-court', ttlSeconds: 8 * 3600, now });
    service = new AccountService({ db: database.db, dialect, tokens, now });
    // The first court and administrator are created by the system (a bootstrap command).
    linan = await service.registerCourt(SYSTEM, { name: '临安区人民法院', regionCode: '330112' });
    const adminUser = await service.createUser(SYSTEM, {
      courtId: linan.id,
      role: 'admin',
      username: 'admin.zhang',
      displayName: '张管理',
      password: PASSWORD,
    });
    admin = { kind: 'user', userId: adminUser.id, courtId: linan.id, role: 'admin' };
    qingyuanSite = await service.registerSite(admin, {
      name: '庆元县某村共享法庭',
      county: '庆元县',
      addressCode: '331126101201',
    });
    linanSite = await service.registerSite(admin, {
      name: '临安区某社区共享法庭',
      county: '临安区',
      addressCode: '330112001002',
    });
  });

  afterEach(async () => {
    await database.destroy();
  });

  /** Rows in every table this service writes, to show that a refused operation stored nothing. */
  const counts = async () => {
    const { db } = database;
    const count = async (table: 'courts' | 'sites' | 'kiosks' | 'users' | 'audit_log') =>
      Number((await db.selectFrom(table).select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return {
      courts: await count('courts'),
      sites: await count('sites'),
      kiosks: await count('kiosks'),
      users: await count('users'),
      audit: await count('audit_log'),
    };
  };

  const auditRows = () => database.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();

  const newClerk = (username = 'clerk.li') =>
    service.createUser(admin, {
      courtId: linan.id,
      role: 'clerk',
      username,
      displayName: '李书记员',
      password: PASSWORD,
    });

  describe('registration', () => {
    it('stores courts, sites and users, lists them, and audits each with who did it', async () => {
      const judge = await service.createUser(admin, {
        courtId: linan.id,
        role: 'judge',
        username: 'Judge.Wang',
        displayName: '王法官',
        password: PASSWORD,
      });
      expect(judge).toMatchObject({ username: 'judge.wang', role: 'judge', courtId: linan.id, disabledMs: null });

      expect(await service.listCourts()).toEqual([linan]);
      expect(linan).toMatchObject({ name: '临安区人民法院', regionCode: '330112', createdMs: clock.ms });
      // Sites of every county, or of one.
      expect((await service.listSites()).map((s) => s.county)).toEqual(['临安区', '庆元县']);
      expect(await service.listSites({ county: '庆元县' })).toEqual([qingyuanSite]);
      expect((await service.listUsers({ courtId: linan.id })).map((u) => u.username)).toEqual([
        'admin.zhang',
        'judge.wang',
      ]);
      expect((await service.listUsers({ role: 'judge' })).map((u) => u.id)).toEqual([judge.id]);

      const audit = await auditRows();
      expect(audit.map((r) => [r.actor, r.action, r.subject])).toEqual([
        ['system', 'court.registered', `court:${linan.id}`],
        ['system', 'user.created', `user:${admin.userId}`],
        [`user:${admin.userId}`, 'site.registered', `site:${qingyuanSite.id}`],
        [`user:${admin.userId}`, 'site.registered', `site:${linanSite.id}`],
        [`user:${admin.userId}`, 'user.created', `user:${judge.id}`],
      ]);
      expect(audit.every((r) => r.at_ms === clock.ms)).toBe(true);
      expect(JSON.parse(audit[2]?.details_json ?? '')).toEqual({
        name: '庆元县某村共享法庭',
        county: '庆元县',
        addressCode: '331126101201',
      });
      expect(await verifyAudit(database.db)).toMatchObject({ ok: true, entries: 5 });
    });

    it('takes a 12-digit village code or a longer address code up to 24 digits', async () => {
      await service.registerSite(admin, { name: '甲', county: '庆元县', addressCode: ' 331126101202 ' });
      await service.registerSite(admin, { name: '乙', county: '庆元县', addressCode: '3'.repeat(24) });
      expect((await service.listSites({ county: '庆元县' })).map((s) => s.addressCode).sort()).toEqual([
        '331126101201',
        '331126101202',
        '3'.repeat(24),
      ]);
    });

    it('stores the password only as an argon2id hash and gives judges alone a feed token', async () => {
      const judge = await service.createUser(admin, {
        courtId: linan.id,
        role: 'judge',
        username: 'judge.wang',
        displayName: '王法官',
        password: PASSWORD,
      });
      const clerk = await newClerk();
      const rows = await database.db.selectFrom('users').selectAll().where('id', 'in', [judge.id, clerk.id]).execute();
      for (const row of rows) {
        expect(row.password_hash).toMatch(/^\$argon2id\$/);
        expect(JSON.stringify(row)).not.toContain(PASSWORD);
      }
      expect(rows.find((r) => r.id === judge.id)?.ical_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(rows.find((r) => r.id === clerk.id)?.ical_token).toBeNull();
      // Listings and the audit log carry neither the password nor its hash.
      const listed = JSON.stringify(await service.listUsers());
      const audit = JSON.stringify(await auditRows());
      for (const text of [listed, audit]) {
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain('argon2');
        expect(text).not.toContain(rows[0]?.ical_token ?? 'none');
      }
      expect(Object.keys((await service.listUsers())[0] ?? {}).sort()).toEqual([
        'courtId',
        'createdMs',
        'disabledMs',
        'displayName',
        'id',
        'role',
        'username',
      ]);
    });

    it('refuses bad input with BAD_REQUEST, naming the field, and stores nothing', async () => {
      const before = await counts();
      const refused = [
        service.registerCourt(admin, { name: '临安区人民法院', regionCode: '33011' }),
        service.registerCourt(admin, { name: '', regionCode: '330112' }),
        service.registerCourt(admin, 'not an object'),
        service.registerSite(admin, { name: '某村', county: '庆元县', addressCode: '33112610120' }),
        service.registerSite(admin, { name: '某村', county: '庆元县', addressCode: '3'.repeat(25) }),
        service.registerSite(admin, { name: '某村', county: '庆元县', addressCode: '3311-2610-1201' }),
        service.registerSite(admin, { name: '某村', county: '', addressCode: '331126101299' }),
        service.registerKiosk(admin, { siteId: qingyuanSite.id, name: '  ' }),
        service.registerKiosk(admin, { siteId: '../etc/passwd', name: '一号终端' }),
        service.createUser(admin, {
          courtId: linan.id,
          role: 'judge',
          username: 'wj',
          displayName: '王',
          password: PASSWORD,
        }),
        service.createUser(admin, {
          courtId: linan.id,
          role: 'judge',
          username: 'wang jun',
          displayName: '王',
          password: PASSWORD,
        }),
        service.createUser(admin, {
          courtId: linan.id,
          role: 'judge',
          username: 'wangjun',
          displayName: '王',
          password: 'short',
        }),
        service.createUser(admin, {
          courtId: linan.id,
          role: 'president',
          username: 'wangjun',
          displayName: '王',
          password: PASSWORD,
        }),
        service.createUser(admin, {
          courtId: linan.id,
          role: 'judge',
          username: 'wangjun',
          displayName: '王',
          password: 'x'.repeat(257),
        }),
        service.revokeKiosk(admin, ''),
        service.disableUser(admin, 42),
      ];
      const errors = await Promise.all(refused.map(failure));
      expect(errors.map((e) => e.code)).toEqual(refused.map(() => 'BAD_REQUEST'));
      expect(errors[0]?.message).toBe(
        'invalid court: regionCode must be the 6-digit administrative region code, e.g. 330112',
      );
      expect(errors[3]?.message).toMatch(
        /^invalid site: addressCode must be the unified address code: 12 to 24 digits/,
      );
      expect(errors[9]?.message).toMatch(/^invalid user: username must be 3 to 32 characters/);
      expect(errors[11]?.message).toBe('invalid user: password must be at least 10 characters');
      // The refused password is not echoed back.
      expect(errors.map((e) => e.message).join('\n')).not.toContain('short');
      expect(await counts()).toEqual(before);
    });

    it('refuses unknown ids with NOT_FOUND and stores nothing', async () => {
      const before = await counts();
      const missing = '00000000-0000-4000-8000-000000000000';
      const errors = await Promise.all(
        [
          service.registerKiosk(admin, { siteId: missing, name: '一号终端' }),
          service.createUser(admin, {
            courtId: missing,
            role: 'clerk',
            username: 'clerk.x',
            displayName: '某',
            password: PASSWORD,
          }),
          service.regenerateEnrollmentCode(admin, missing),
          service.revokeKiosk(admin, missing),
          service.disableUser(admin, missing),
        ].map(failure),
      );
      expect(errors.map((e) => e.code)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
      expect(errors[0]?.message).toBe(`no site ${missing}; register the site first or check its id`);
      expect(errors[1]?.message).toBe(`no court ${missing}; register the court first or check its id`);
      expect(await counts()).toEqual(before);
    });

    it('refuses a taken username (in any case), address code or court name with CONFLICT and stores nothing', async () => {
      await newClerk('clerk.li');
      const before = await counts();
      const errors = await Promise.all(
        [
          service.createUser(admin, {
            courtId: linan.id,
            role: 'judge',
            username: 'Clerk.LI',
            displayName: '另一个李',
            password: PASSWORD,
          }),
          service.registerSite(admin, { name: '另一个名字', county: '庆元县', addressCode: '331126101201' }),
          service.registerCourt(admin, { name: '临安区人民法院', regionCode: '330112' }),
        ].map(failure),
      );
      expect(errors.map((e) => e.code)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
      expect(errors[0]?.message).toBe('the username clerk.li is already taken; choose another');
      expect(errors[1]?.message).toBe(
        'the unified address code 331126101201 is already registered to 庆元县某村共享法庭; check the code or use that site',
      );
      expect(await counts()).toEqual(before);
    });

    it('two concurrent registrations of one username or address code: one wins, the other gets CONFLICT', async () => {
      const results = await Promise.allSettled([
        service.createUser(admin, {
          courtId: linan.id,
          role: 'clerk',
          username: 'clerk.zhao',
          displayName: '赵',
          password: PASSWORD,
        }),
        service.createUser(admin, {
          courtId: linan.id,
          role: 'judge',
          username: 'clerk.zhao',
          displayName: '赵',
          password: PASSWORD,
        }),
        service.registerSite(admin, { name: '丙', county: '庆元县', addressCode: '331126101777' }),
        service.registerSite(admin, { name: '丁', county: '庆元县', addressCode: '331126101777' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
      for (const result of results) {
        if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'CONFLICT' });
      }
      expect(await verifyAudit(database.db)).toMatchObject({ ok: true });
    });

    it('only administrators (or the system) register; others get FORBIDDEN and nothing is stored', async () => {
      const clerkUser = await newClerk();
      const clerk: UserPrincipal = { kind: 'user', userId: clerkUser.id, courtId: linan.id, role: 'clerk' };
      const kiosk: KioskPrincipal = { kind: 'kiosk', kioskId: 'k1', siteId: qingyuanSite.id };
      const before = await counts();
      for (const actor of [clerk, kiosk]) {
        const errors = await Promise.all(
          [
            service.registerCourt(actor, { name: '庆元县人民法院', regionCode: '331126' }),
            service.registerSite(actor, { name: '某村', county: '庆元县', addressCode: '331126101299' }),
            service.registerKiosk(actor, { siteId: qingyuanSite.id, name: '一号终端' }),
            service.createUser(actor, {
              courtId: linan.id,
              role: 'admin',
              username: 'evil',
              displayName: '某',
              password: PASSWORD,
            }),
            service.disableUser(actor, admin.userId),
          ].map(failure),
        );
        expect(errors.map((e) => e.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
      }
      expect(await counts()).toEqual(before);
    });
  });

  describe('kiosk enrollment', () => {
    const enrolled = async () => {
      const issued = await service.registerKiosk(admin, { siteId: qingyuanSite.id, name: '服务大厅一号终端' });
      const result = await service.enrollKiosk({ code: issued.enrollmentCode, ip: '10.20.0.5' });
      return { issued, ...result };
    };

    it('issues a one-time code, stores only its hash, and redeems it for a device credential', async () => {
      const issued = await service.registerKiosk(admin, { siteId: qingyuanSite.id, name: '服务大厅一号终端' });
      expect(issued.enrollmentCode).toMatch(/^[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}$/);
      expect(issued.enrollmentExpiresMs).toBe(clock.ms + 7 * DAY);
      expect(issued.kiosk).toMatchObject({ siteId: qingyuanSite.id, status: 'pending', enrolledMs: null });
      const plain = issued.enrollmentCode.replace('-', '');
      const stored = await database.db.selectFrom('kiosks').selectAll().executeTakeFirstOrThrow();
      expect(stored.enrollment_code_hash).toBe(sha256(plain));
      expect(JSON.stringify(stored)).not.toContain(plain);

      // Typed on the kiosk in lower case with a space instead of the dash.
      clock.ms += HOUR;
      const result = await service.enrollKiosk({ code: plain.toLowerCase().replace(/(.{5})/, '$1 '), ip: '10.20.0.5' });
      expect(result).toEqual({ kioskId: issued.kiosk.id, siteId: qingyuanSite.id, credential: expect.any(String) });
      expect(result.credential).toMatch(/^[A-Za-z0-9_-]{43}$/);

      const after = await database.db.selectFrom('kiosks').selectAll().executeTakeFirstOrThrow();
      expect(after).toMatchObject({
        credential_hash: sha256(result.credential),
        enrollment_code_hash: null,
        enrollment_expires_ms: null,
        enrolled_ms: clock.ms,
      });
      const audit = await auditRows();
      expect(JSON.stringify(audit)).not.toContain(plain);
      expect(JSON.stringify(audit)).not.toContain(result.credential);
      expect(audit.at(-1)).toMatchObject({
        actor: `kiosk:${issued.kiosk.id}`,
        action: 'kiosk.enrolled',
        subject: `kiosk:${issued.kiosk.id}`,
      });
      expect(JSON.parse(audit.at(-1)?.details_json ?? '')).toMatchObject({ siteId: qingyuanSite.id, ip: '10.20.0.5' });

      expect(await service.authenticateKiosk(result.credential)).toEqual({
        kind: 'kiosk',
        kioskId: issued.kiosk.id,
        siteId: qingyuanSite.id,
      });
      expect(await service.listKiosks(qingyuanSite.id)).toEqual([
        expect.objectContaining({ id: issued.kiosk.id, status: 'enrolled', enrolledMs: clock.ms }),
      ]);
    });

    it('a used code cannot be redeemed again; the failure is audited without the code', async () => {
      const { issued } = await enrolled();
      const before = await counts();
      const error = await failure(service.enrollKiosk({ code: issued.enrollmentCode, ip: '10.20.0.6' }));
      expect(error.code).toBe('UNAUTHORIZED');
      expect(error.message).toBe(
        'this enrollment code is not valid: it is mistyped or was already used; check it or ask the administrator for a new one',
      );
      expect(await counts()).toEqual({ ...before, audit: before.audit + 1 });
      const last = (await auditRows()).at(-1);
      expect(last).toMatchObject({ actor: 'anonymous', action: 'kiosk.enrollment_failed', subject: 'kiosk:unknown' });
      expect(JSON.parse(last?.details_json ?? '')).toEqual({ ip: '10.20.0.6', reason: 'unknown-code' });
    });

    it('two devices redeeming one code at once: one gets the credential, the other is refused', async () => {
      const issued = await service.registerKiosk(admin, { siteId: qingyuanSite.id, name: '一号终端' });
      const results = await Promise.allSettled([
        service.enrollKiosk({ code: issued.enrollmentCode, ip: '10.20.0.5' }),
        service.enrollKiosk({ code: issued.enrollmentCode, ip: '10.20.0.6' }),
      ]);
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      expect(won).toHaveLength(1);
      expect(lost).toEqual([expect.objectContaining({ code: 'UNAUTHORIZED' })]);
      const row = await database.db.selectFrom('kiosks').selectAll().executeTakeFirstOrThrow();
      expect(row.credential_hash).toBe(sha256(won[0]?.credential ?? ''));
    });

    it('a malformed code is BAD_REQUEST and stores nothing', async () => {
      const before = await counts();
      for (const code of ['', '12345', 'OOOOO-IIIII', 42]) {
        expect((await failure(service.enrollKiosk({ code, ip: '10.20.0.5' }))).code).toBe('BAD_REQUEST');
      }
      expect(await counts()).toEqual(before);
    });

    it('an expired code is refused with when it expired; a regenerated code works and the old one does not', async () => {
      const issued = await service.registerKiosk(admin, { siteId: qingyuanSite.id, name: '一号终端' });
      clock.ms += 7 * DAY;
      const expired = await failure(service.enrollKiosk({ code: issued.enrollmentCode, ip: '10.20.0.5' }));
      expect(expired.code).toBe('UNAUTHORIZED');
      expect(expired.message).toBe(
        'this enrollment code expired at 2026-12-08 09:00 (UTC+8); ask the administrator for a new one',
      );
      expect((await service.listKiosks())[0]?.status).toBe('pending');

      const again = await service.regenerateEnrollmentCode(admin, issued.kiosk.id);
      expect(again.enrollmentCode).not.toBe(issued.enrollmentCode);
      expect(again.enrollmentExpiresMs).toBe(clock.ms + 7 * DAY);
      expect((await failure(service.enrollKiosk({ code: issued.enrollmentCode, ip: '10.20.0.5' }))).code).toBe(
        'UNAUTHORIZED',
      );
      const result = await service.enrollKiosk({ code: again.enrollmentCode, ip: '10.20.0.5' });
      expect(result.kioskId).toBe(issued.kiosk.id);
      const actions = (await auditRows()).map((r) => r.action);
      expect(actions.slice(-4)).toEqual([
        'kiosk.enrollment_failed',
        'kiosk.enrollment_code_issued',
        'kiosk.enrollment_failed',
        'kiosk.enrolled',
      ]);
    });

    it('re-enrolling (a replaced device) retires the old credential', async () => {
      const first = await enrolled();
      const again = await service.regenerateEnrollmentCode(admin, first.kioskId);
      // Until the new code is redeemed the old device keeps working.
      expect((await service.authenticateKiosk(first.credential)).kioskId).toBe(first.kioskId);
      const second = await service.enrollKiosk({ code: again.enrollmentCode, ip: '10.20.0.9' });
      expect(second.credential).not.toBe(first.credential);
      expect((await service.authenticateKiosk(second.credential)).kioskId).toBe(first.kioskId);
      const error = await failure(service.authenticateKiosk(first.credential));
      expect(error.code).toBe('UNAUTHORIZED');
      expect(error.message).toMatch(/enroll it with a code from the administrator/);
    });

    it('a revoked kiosk is refused; its pending code dies with it; revoking twice changes nothing', async () => {
      const { kioskId, credential } = await enrolled();
      const pending = await service.regenerateEnrollmentCode(admin, kioskId);
      clock.ms += HOUR;
      const revoked = await service.revokeKiosk(admin, kioskId);
      expect(revoked).toMatchObject({ id: kioskId, status: 'revoked', revokedMs: clock.ms, enrollmentExpiresMs: null });

      const refused = await failure(service.authenticateKiosk(credential));
      expect(refused.code).toBe('FORBIDDEN');
      expect(refused.message).toBe(
        'this kiosk was revoked at 2026-12-01 10:00 (UTC+8) and may no longer be used; ask the administrator for a new enrollment code if it should serve again',
      );
      expect((await failure(service.enrollKiosk({ code: pending.enrollmentCode, ip: '10.20.0.5' }))).code).toBe(
        'UNAUTHORIZED',
      );

      const before = await counts();
      clock.ms += HOUR;
      expect(await service.revokeKiosk(admin, kioskId)).toEqual(revoked);
      expect(await counts()).toEqual(before);
      const revocations = (await auditRows()).filter((r) => r.action === 'kiosk.revoked');
      expect(revocations).toEqual([
        expect.objectContaining({ actor: `user:${admin.userId}`, subject: `kiosk:${kioskId}` }),
      ]);
    });

    it('a revoked kiosk serves again only after an administrator issues a new code', async () => {
      const { kioskId, credential } = await enrolled();
      await service.revokeKiosk(admin, kioskId);
      const fresh = await service.regenerateEnrollmentCode(admin, kioskId);
      expect((await failure(service.authenticateKiosk(credential))).code).toBe('FORBIDDEN');
      const result = await service.enrollKiosk({ code: fresh.enrollmentCode, ip: '10.20.0.5' });
      expect(await service.authenticateKiosk(result.credential)).toMatchObject({ kioskId });
      expect((await service.listKiosks())[0]).toMatchObject({ status: 'enrolled', revokedMs: null });
      expect((await failure(service.authenticateKiosk(credential))).code).toBe('UNAUTHORIZED');
    });

    it("a kiosk's credential opens only its own site's hearings", async () => {
      const { credential } = await enrolled();
      const principal = await service.authenticateKiosk(credential);
      expect(canSeeSiteHearings(principal, qingyuanSite.id)).toBe(true);
      expect(canSeeSiteHearings(principal, linanSite.id)).toBe(false);
      const hearing = { courtId: linan.id, judgeId: 'j', clerkId: 'c' };
      expect(canJoinHearing(principal, { ...hearing, participants: [{ siteId: qingyuanSite.id }] })).toBe(true);
      expect(
        canJoinHearing(principal, { ...hearing, participants: [{ siteId: linanSite.id }, { siteId: null }] }),
      ).toBe(false);
    });

    it('unknown or malformed credentials are UNAUTHORIZED', async () => {
      await enrolled();
      for (const credential of ['', 'x', randomBytes(32).toString('base64url'), `${'A'.repeat(42)}=`]) {
        expect((await failure(service.authenticateKiosk(credential))).code).toBe('UNAUTHORIZED');
      }
    });

    it('kiosk listings carry status and times, never a hash', async () => {
      await enrolled();
      await service.registerKiosk(admin, { siteId: linanSite.id, name: '社区终端' });
      const all = await service.listKiosks();
      expect(all).toHaveLength(2);
      expect(await service.listKiosks(linanSite.id)).toEqual([expect.objectContaining({ status: 'pending' })]);
      for (const kiosk of all) {
        expect(Object.keys(kiosk).sort()).toEqual([
          'createdMs',
          'enrolledMs',
          'enrollmentExpiresMs',
          'id',
          'name',
          'revokedMs',
          'siteId',
          'status',
        ]);
      }
      const rows = await database.db.selectFrom('kiosks').selectAll().execute();
      const listed = JSON.stringify(all);
      for (const row of rows) {
        for (const secret of [row.credential_hash, row.enrollment_code_hash]) {
          if (secret) expect(listed).not.toContain(secret);
        }
      }
    });

    it('limits wrong codes per address: 10 in 15 minutes, each audited; then RATE_LIMITED without audit', async () => {
      const issued = await service.registerKiosk(admin, { siteId: qingyuanSite.id, name: '一号终端' });
      const before = await counts();
      for (let i = 0; i < 10; i++) {
        expect((await failure(service.enrollKiosk({ code: 'ZZZZZ-ZZZZZ', ip: '198.51.100.1' }))).code).toBe(
          'UNAUTHORIZED',
        );
      }
      const limited = await failure(service.enrollKiosk({ code: issued.enrollmentCode, ip: '198.51.100.1' }));
      expect(limited.code).toBe('RATE_LIMITED');
      expect(limited.message).toBe(
        'too many failed enrollment attempts from this network address; try again in 15 minutes',
      );
      expect(await counts()).toEqual({ ...before, audit: before.audit + 10 });
      // Another address is not held back, and the code is still good.
      expect((await service.enrollKiosk({ code: issued.enrollmentCode, ip: '198.51.100.2' })).kioskId).toBe(
        issued.kiosk.id,
      );
    });
  });

  describe('sign-in', () => {
    it('signs in with a session token naming the user; audits the sign-in without the password', async () => {
      const judge = await service.createUser(admin, {
        courtId: linan.id,
        role: 'judge',
        username: 'judge.wang',
        displayName: '王法官',
        password: PASSWORD,
      });
      const result = await service.login({ username: ' Judge.Wang ', password: PASSWORD, ip: '10.1.2.3' });
      const principal = { kind: 'user', userId: judge.id, courtId: linan.id, role: 'judge' };
      expect(result.principal).toEqual(principal);
      expect(result.user).toEqual(judge);
      expect(result.expiresMs).toBe(clock.ms + 8 * HOUR);
      expect(await service.authenticateSession(result.token)).toEqual(principal);

      const last = (await auditRows()).at(-1);
      expect(last).toMatchObject({ actor: `user:${judge.id}`, action: 'auth.login', subject: `user:${judge.id}` });
      expect(JSON.parse(last?.details_json ?? '')).toEqual({ ip: '10.1.2.3' });
      expect(JSON.stringify(await auditRows())).not.toContain(PASSWORD);
    });

    it('a wrong password or unknown username gets the same answer; both are audited as anonymous', async () => {
      const clerk = await newClerk();
      const wrong = await failure(
        service.login({ username: 'clerk.li', password: 'wrong-password-1', ip: '10.1.2.3' }),
      );
      const unknown = await failure(service.login({ username: 'nobody', password: PASSWORD, ip: '10.1.2.4' }));
      for (const error of [wrong, unknown]) {
        expect(error).toMatchObject({
          code: 'UNAUTHORIZED',
          message: 'wrong username or password; check both and try again',
        });
      }
      const [first, second] = (await auditRows()).slice(-2);
      expect(first).toMatchObject({ actor: 'anonymous', action: 'auth.login_failed', subject: `user:${clerk.id}` });
      expect(JSON.parse(first?.details_json ?? '')).toEqual({
        username: 'clerk.li',
        ip: '10.1.2.3',
        reason: 'wrong-password',
      });
      expect(second).toMatchObject({ actor: 'anonymous', action: 'auth.login_failed', subject: 'username:nobody' });
      expect(JSON.parse(second?.details_json ?? '')).toMatchObject({ reason: 'unknown-user' });
      expect(JSON.stringify(await auditRows())).not.toContain('wrong-password-1');
    });

    it('after 5 failures in 15 minutes the account is held back even with the right password, then freed', async () => {
      await newClerk();
      for (let i = 0; i < 5; i++) {
        clock.ms += 60_000;
        await failure(service.login({ username: 'clerk.li', password: `guess-number-${i}`, ip: `10.9.0.${i}` }));
      }
      const before = await counts();
      const limited = await failure(service.login({ username: 'clerk.li', password: PASSWORD, ip: '10.1.2.3' }));
      expect(limited.code).toBe('RATE_LIMITED');
      expect(limited.message).toBe('too many failed sign-in attempts for this account; try again in 11 minutes');
      // A refused attempt is not even audited: flooding cannot grow the log.
      expect(await counts()).toEqual(before);

      clock.ms += 11 * 60_000;
      expect((await service.login({ username: 'clerk.li', password: PASSWORD, ip: '10.1.2.3' })).principal.role).toBe(
        'clerk',
      );
    });

    it('after 20 failures from one address, that address is held back for every account', async () => {
      await newClerk();
      for (let i = 0; i < 20; i++) {
        await failure(service.login({ username: `guess${i}`, password: PASSWORD, ip: '203.0.113.9' }));
      }
      const limited = await failure(service.login({ username: 'clerk.li', password: PASSWORD, ip: '203.0.113.9' }));
      expect(limited).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/network address/) });
      expect((await service.login({ username: 'clerk.li', password: PASSWORD, ip: '10.1.2.3' })).token).toBeTruthy();
    });

    it('a disabled account cannot sign in and its sessions end at once', async () => {
      const clerk = await newClerk();
      const { token } = await service.login({ username: 'clerk.li', password: PASSWORD, ip: '10.1.2.3' });
      const disabled = await service.disableUser(admin, clerk.id);
      expect(disabled.disabledMs).toBe(clock.ms);

      const session = await failure(service.authenticateSession(token));
      expect(session).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/disabled/) });
      const login = await failure(service.login({ username: 'clerk.li', password: PASSWORD, ip: '10.1.2.3' }));
      expect(login).toMatchObject({
        code: 'FORBIDDEN',
        message: 'this account has been disabled; ask your court administrator',
      });
      const actions = (await auditRows()).map((r) => [r.actor, r.action]);
      expect(actions.slice(-2)).toEqual([
        [`user:${admin.userId}`, 'user.disabled'],
        [`user:${clerk.id}`, 'auth.login_refused'],
      ]);

      // Disabling again changes nothing; an administrator cannot disable themself.
      const before = await counts();
      expect(await service.disableUser(admin, clerk.id)).toEqual(disabled);
      expect((await failure(service.disableUser(admin, admin.userId))).code).toBe('FORBIDDEN');
      expect(await counts()).toEqual(before);
    });

    it('a session ends when its token expires', async () => {
      await newClerk();
      const { token } = await service.login({ username: 'clerk.li', password: PASSWORD, ip: '10.1.2.3' });
      clock.ms += 8 * HOUR;
      expect(await failure(service.authenticateSession(token))).toMatchObject({
        code: 'UNAUTHORIZED',
        message: 'your session has expired; sign in again',
      });
    });

    it('malformed sign-in input is BAD_REQUEST and is neither audited nor counted', async () => {
      const before = await counts();
      for (const request of [
        { username: '', password: PASSWORD, ip: '10.1.2.3' },
        { username: 'clerk.li', password: '', ip: '10.1.2.3' },
        { username: 42, password: PASSWORD, ip: '10.1.2.3' },
        { username: 'clerk.li', password: 'x'.repeat(300), ip: '10.1.2.3' },
      ]) {
        expect((await failure(service.login(request))).code).toBe('BAD_REQUEST');
      }
      expect(await counts()).toEqual(before);
    });
  });

  describe('iCal feed tokens', () => {
    it('finds the judge by feed token; rotation retires the old token; disabled judges have no feed', async () => {
      const judgeUser = await service.createUser(admin, {
        courtId: linan.id,
        role: 'judge',
        username: 'judge.wang',
        displayName: '王法官',
        password: PASSWORD,
      });
      const judge: UserPrincipal = { kind: 'user', userId: judgeUser.id, courtId: linan.id, role: 'judge' };
      const token = await service.icalToken(judge, judge.userId);
      expect(await service.userByIcalToken(token)).toEqual(judgeUser);

      const rotated = await service.rotateIcalToken(judge, judge.userId);
      expect(rotated).not.toBe(token);
      expect((await failure(service.userByIcalToken(token))).code).toBe('NOT_FOUND');
      expect((await service.userByIcalToken(rotated)).id).toBe(judge.userId);
      expect((await auditRows()).at(-1)).toMatchObject({
        actor: `user:${judge.userId}`,
        action: 'user.ical_token_rotated',
      });
      expect(JSON.stringify(await auditRows())).not.toContain(rotated);

      await service.disableUser(admin, judge.userId);
      expect((await failure(service.userByIcalToken(rotated))).code).toBe('NOT_FOUND');
    });

    it("no one else may read or rotate a judge's feed token; unknown tokens are NOT_FOUND", async () => {
      const judgeUser = await service.createUser(admin, {
        courtId: linan.id,
        role: 'judge',
        username: 'judge.wang',
        displayName: '王法官',
        password: PASSWORD,
      });
      const clerkUser = await newClerk();
      const clerk: UserPrincipal = { kind: 'user', userId: clerkUser.id, courtId: linan.id, role: 'clerk' };
      expect((await failure(service.icalToken(clerk, judgeUser.id))).code).toBe('FORBIDDEN');
      expect((await failure(service.rotateIcalToken(clerk, judgeUser.id))).code).toBe('FORBIDDEN');
      expect(await service.icalToken(admin, judgeUser.id)).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await failure(service.icalToken(clerk, clerkUser.id))).code).toBe('NOT_FOUND');
      for (const token of ['', 'short', randomBytes(32).toString('base64url')]) {
        expect((await failure(service.userByIcalToken(token))).code).toBe('NOT_FOUND');
      }
    });
  });
});
