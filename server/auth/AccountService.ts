import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import {
  type CourtSummary,
  CreateUserInputSchema,
  ENROLLMENT_CODE_ALPHABET,
  ENROLLMENT_CODE_LENGTH,
  EnrollKioskInputSchema,
  formatEnrollmentCode,
  type KioskPrincipal,
  type KioskStatus,
  type KioskSummary,
  LoginInputSchema,
  type Principal,
  RegisterCourtInputSchema,
  RegisterKioskInputSchema,
  RegisterSiteInputSchema,
  SetOperatorPinInputSchema,
  type SiteSummary,
  type UserPrincipal,
  type UserRole,
  UserRoleSchema,
  type UserSummary,
} from '../../shared/accounts.js';
import { IdSchema } from '../../shared/hearing.js';
import { formatShanghaiTime } from '../../shared/scheduling.js';
import { type AuditEntry, appendAudit } from '../audit/AuditLog.js';
import { type DialectName, lockResources } from '../db/Database.js';
import type { Court, DB, Kiosk, Site, User } from '../db/schema.js';
import {
  AppError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
} from '../errors.js';
import { assertAdmin } from './authorize.js';
import { LoginRateLimiter } from './LoginRateLimiter.js';
import { hashPassword, passwordNeedsRehash, verifyPasswordOrDummy } from './passwords.js';
import type { Tokens } from './Tokens.js';

/** The server itself acting, e.g. the command that creates the first court and administrator. */
export const SYSTEM = { kind: 'system' } as const;
export type Actor = Principal | typeof SYSTEM;

export interface AccountServiceOptions {
  db: Kysely<DB>;
  dialect: DialectName;
  /** Issues and checks session tokens. */
  tokens: Tokens;
  /** Clock in epoch ms; tests move it to expire codes. */
  now?: () => number;
  /** Failed sign-ins per username and per address (defaults: 5 and 20 per 15 minutes). */
  loginLimiter?: LoginRateLimiter;
  /** Failed enrollment-code attempts per address (default: 10 per 15 minutes). */
  enrollmentLimiter?: LoginRateLimiter;
  /** How long an enrollment code works after it is issued. Default 7 days. */
  enrollmentTtlMs?: number;
}

export interface IssuedEnrollmentCode {
  kiosk: KioskSummary;
  /** Shown to the administrator once (e.g. `7KQ4M-XH2PD`); only its SHA-256 is stored. */
  enrollmentCode: string;
  enrollmentExpiresMs: number;
}

export interface EnrolledKiosk {
  kioskId: string;
  siteId: string;
  /** The device credential, returned once: the kiosk keeps it and sends it with every request. */
  credential: string;
}

export interface LoginResult {
  token: string;
  expiresMs: number;
  principal: UserPrincipal;
  user: UserSummary;
}

export const DEFAULT_ENROLLMENT_TTL_MS = 7 * 24 * 3600_000;

/** 32 random bytes, base64url: the form of device credentials and iCal feed tokens. */
const SECRET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const WRONG_CREDENTIALS = 'wrong username or password; check both and try again';

/**
 * Courts, sites, kiosks and user accounts: registration by administrators, sign-in of users, and
 * enrollment and authentication of kiosks.
 *
 * Every change is one transaction with its audit entry inside it, so a change and its record exist
 * together or not at all. Registration methods check that the actor is an administrator themselves,
 * so a route that forgot to check cannot open them up. Secrets (passwords, enrollment codes, device
 * credentials) are stored only as hashes and never written to the audit log.
 */
export class AccountService {
  readonly #db: Kysely<DB>;
  readonly #dialect: DialectName;
  readonly #tokens: Tokens;
  readonly #now: () => number;
  readonly #loginLimiter: LoginRateLimiter;
  readonly #enrollmentLimiter: LoginRateLimiter;
  readonly #operatorPinLimiter: LoginRateLimiter;
  readonly #enrollmentTtlMs: number;

  constructor(options: AccountServiceOptions) {
    this.#db = options.db;
    this.#dialect = options.dialect;
    this.#tokens = options.tokens;
    this.#now = options.now ?? Date.now;
    this.#loginLimiter = options.loginLimiter ?? new LoginRateLimiter({ now: this.#now });
    this.#enrollmentLimiter =
      options.enrollmentLimiter ?? new LoginRateLimiter({ now: this.#now, maxPerIp: 10, attemptName: 'enrollment' });
    this.#operatorPinLimiter = new LoginRateLimiter({ now: this.#now, attemptName: 'operator PIN' });
    this.#enrollmentTtlMs = options.enrollmentTtlMs ?? DEFAULT_ENROLLMENT_TTL_MS;
  }

  // ——— Courts and sites ———

  async registerCourt(actor: Actor, input: unknown): Promise<CourtSummary> {
    requireAdmin(actor);
    const { name, regionCode } = parse(RegisterCourtInputSchema, input, 'court');
    const court: Court = { id: randomUUID(), name, region_code: regionCode, created_ms: this.#now() };
    await this.#change(async (trx) => {
      await lockResources(trx, this.#dialect, [`court-name:${name}`]);
      const existing = await trx.selectFrom('courts').select('id').where('name', '=', name).executeTakeFirst();
      if (existing) throw new ConflictError(`a court named ${name} is already registered; use the existing one`);
      await trx.insertInto('courts').values(court).execute();
      await this.#audit(trx, actor, 'court.registered', `court:${court.id}`, { name, regionCode });
    });
    return courtSummary(court);
  }

  async registerSite(actor: Actor, input: unknown): Promise<SiteSummary> {
    requireAdmin(actor);
    const { name, county, addressCode } = parse(RegisterSiteInputSchema, input, 'site');
    const site: Site = {
      id: randomUUID(),
      name,
      county,
      address_code: addressCode,
      created_ms: this.#now(),
      operator_pin_hash: null,
    };
    const conflict = `the unified address code ${addressCode} is already registered to another site; check the code or use that site`;
    await this.#change(async (trx) => {
      await lockResources(trx, this.#dialect, [`site-address:${addressCode}`]);
      const existing = await trx
        .selectFrom('sites')
        .select('name')
        .where('address_code', '=', addressCode)
        .executeTakeFirst();
      if (existing) {
        throw new ConflictError(
          `the unified address code ${addressCode} is already registered to ${existing.name}; check the code or use that site`,
        );
      }
      await trx.insertInto('sites').values(site).execute();
      await this.#audit(trx, actor, 'site.registered', `site:${site.id}`, { name, county, addressCode });
    }, conflict);
    return siteSummary(site);
  }

  async listCourts(): Promise<CourtSummary[]> {
    const rows = await this.#db.selectFrom('courts').selectAll().orderBy('name').orderBy('id').execute();
    return rows.map(courtSummary);
  }

  /** Sites of every county (a hearing may put a party in any county's shared court), or of one. */
  /** One site; NOT_FOUND when there is none. */
  async site(siteId: string): Promise<SiteSummary> {
    const row = await this.#db.selectFrom('sites').selectAll().where('id', '=', siteId).executeTakeFirst();
    if (!row) throw new NotFoundError(`no site ${siteId}`);
    return siteSummary(row);
  }

  async listSites(filter: { county?: string } = {}): Promise<SiteSummary[]> {
    let query = this.#db.selectFrom('sites').selectAll();
    if (filter.county !== undefined) query = query.where('county', '=', filter.county);
    const rows = await query.orderBy('county').orderBy('name').orderBy('id').execute();
    return rows.map(siteSummary);
  }

  // ——— Kiosks ———

  /** Registers a kiosk at a site and issues its first enrollment code (returned this once). */
  async registerKiosk(actor: Actor, input: unknown): Promise<IssuedEnrollmentCode> {
    requireAdmin(actor);
    const { siteId, name } = parse(RegisterKioskInputSchema, input, 'kiosk');
    const code = newEnrollmentCode();
    const now = this.#now();
    const expiresMs = now + this.#enrollmentTtlMs;
    const kiosk: Kiosk = {
      id: randomUUID(),
      site_id: siteId,
      name,
      enrollment_code_hash: sha256(code),
      enrollment_expires_ms: expiresMs,
      credential_hash: null,
      enrolled_ms: null,
      revoked_ms: null,
      created_ms: now,
    };
    await this.#change(async (trx) => {
      const site = await trx.selectFrom('sites').select('id').where('id', '=', siteId).executeTakeFirst();
      if (!site) throw new NotFoundError(`no site ${siteId}; register the site first or check its id`);
      await trx.insertInto('kiosks').values(kiosk).execute();
      await this.#audit(trx, actor, 'kiosk.registered', `kiosk:${kiosk.id}`, {
        siteId,
        name,
        enrollmentExpiresMs: expiresMs,
      });
    });
    return {
      kiosk: kioskSummary(kiosk),
      enrollmentCode: formatEnrollmentCode(code),
      enrollmentExpiresMs: expiresMs,
    };
  }

  /**
   * Issues a new enrollment code for a kiosk (a replaced or reinstalled device, an expired code, or a
   * revoked kiosk that should serve again). Any earlier code stops working at once; the current device
   * credential keeps working until the new code is redeemed, which replaces it.
   */
  async regenerateEnrollmentCode(actor: Actor, kioskId: unknown): Promise<IssuedEnrollmentCode> {
    requireAdmin(actor);
    const id = parse(IdSchema, kioskId, 'kiosk id');
    const code = newEnrollmentCode();
    const codeHash = sha256(code);
    const expiresMs = this.#now() + this.#enrollmentTtlMs;
    const kiosk = await this.#change(async (trx) => {
      const row = await this.#kiosk(trx, id);
      await trx
        .updateTable('kiosks')
        .set({ enrollment_code_hash: codeHash, enrollment_expires_ms: expiresMs })
        .where('id', '=', id)
        .execute();
      await this.#audit(trx, actor, 'kiosk.enrollment_code_issued', `kiosk:${id}`, {
        siteId: row.site_id,
        enrollmentExpiresMs: expiresMs,
      });
      return { ...row, enrollment_code_hash: codeHash, enrollment_expires_ms: expiresMs };
    });
    return { kiosk: kioskSummary(kiosk), enrollmentCode: formatEnrollmentCode(code), enrollmentExpiresMs: expiresMs };
  }

  /**
   * Redeems an enrollment code typed on the kiosk: the code stops working and the kiosk receives its
   * device credential (returned this once; only its SHA-256 is stored). Re-enrolling a kiosk replaces
   * its earlier credential and lifts a revocation. Failed attempts are audited and limited per address.
   */
  async enrollKiosk(request: { code: unknown; ip: string }): Promise<EnrolledKiosk> {
    requireIp(request.ip);
    const { code } = parse(EnrollKioskInputSchema, { code: request.code }, 'enrollment');
    this.#enrollmentLimiter.consume({ ip: request.ip });
    const now = this.#now();
    const codeHash = sha256(code);
    const credential = newSecretToken();
    const outcome = await this.#change(async (trx): Promise<EnrolledKiosk | AppError> => {
      const row = await trx
        .selectFrom('kiosks')
        .selectAll()
        .where('enrollment_code_hash', '=', codeHash)
        .executeTakeFirst();
      const expired = row?.enrollment_expires_ms != null && row.enrollment_expires_ms <= now;
      // The conditional update makes two kiosks racing with one code end with one winner.
      const redeemed =
        row && !expired
          ? await trx
              .updateTable('kiosks')
              .set({
                credential_hash: sha256(credential),
                enrollment_code_hash: null,
                enrollment_expires_ms: null,
                enrolled_ms: now,
                revoked_ms: null,
              })
              .where('id', '=', row.id)
              .where('enrollment_code_hash', '=', codeHash)
              .executeTakeFirst()
          : undefined;
      if (!row || !redeemed || redeemed.numUpdatedRows !== 1n) {
        await this.#audit(trx, 'anonymous', 'kiosk.enrollment_failed', row ? `kiosk:${row.id}` : 'kiosk:unknown', {
          ip: request.ip,
          reason: expired ? 'expired-code' : 'unknown-code',
        });
        return expired && row?.enrollment_expires_ms != null
          ? new UnauthorizedError(
              `this enrollment code expired at ${formatTime(row.enrollment_expires_ms)}; ask the administrator for a new one`,
            )
          : new UnauthorizedError(
              'this enrollment code is not valid: it is mistyped or was already used; check it or ask the administrator for a new one',
            );
      }
      await this.#audit(trx, `kiosk:${row.id}`, 'kiosk.enrolled', `kiosk:${row.id}`, {
        siteId: row.site_id,
        ip: request.ip,
        reenrolled: row.enrolled_ms !== null,
        wasRevoked: row.revoked_ms !== null,
      });
      return { kioskId: row.id, siteId: row.site_id, credential };
    });
    // The failure was audited in a committed transaction; now refuse.
    if (outcome instanceof AppError) throw outcome;
    this.#enrollmentLimiter.succeeded({ ip: request.ip });
    return outcome;
  }

  /** The kiosk a device credential belongs to. UNAUTHORIZED when unknown; FORBIDDEN when revoked. */
  async authenticateKiosk(credential: string): Promise<KioskPrincipal> {
    const unknown = new UnauthorizedError(
      'this kiosk is not enrolled (its device credential is unknown or was replaced); enroll it with a code from the administrator',
    );
    if (!SECRET_TOKEN_PATTERN.test(credential)) throw unknown;
    const row = await this.#db
      .selectFrom('kiosks')
      .select(['id', 'site_id', 'revoked_ms'])
      .where('credential_hash', '=', sha256(credential))
      .executeTakeFirst();
    if (!row) throw unknown;
    if (row.revoked_ms !== null) {
      throw new ForbiddenError(
        `this kiosk was revoked at ${formatTime(row.revoked_ms)} and may no longer be used; ask the administrator for a new enrollment code if it should serve again`,
      );
    }
    return { kind: 'kiosk', kioskId: row.id, siteId: row.site_id };
  }

  /**
   * Revokes a kiosk: its credential and any outstanding enrollment code stop working at once.
   * Revoking a revoked kiosk changes nothing and answers as the first time did.
   */
  async revokeKiosk(actor: Actor, kioskId: unknown): Promise<KioskSummary> {
    requireAdmin(actor);
    const id = parse(IdSchema, kioskId, 'kiosk id');
    const now = this.#now();
    const kiosk = await this.#change(async (trx) => {
      const row = await this.#kiosk(trx, id);
      if (row.revoked_ms !== null) return row;
      const revoked = { ...row, revoked_ms: now, enrollment_code_hash: null, enrollment_expires_ms: null };
      await trx
        .updateTable('kiosks')
        .set({ revoked_ms: now, enrollment_code_hash: null, enrollment_expires_ms: null })
        .where('id', '=', id)
        .execute();
      await this.#audit(trx, actor, 'kiosk.revoked', `kiosk:${id}`, { siteId: row.site_id });
      return revoked;
    });
    return kioskSummary(kiosk);
  }

  /** Sets (or replaces) the PIN the site's operator confirms check-ins with; stored as an argon2 hash. */
  async setOperatorPin(actor: Actor, siteId: unknown, input: unknown): Promise<SiteSummary> {
    requireAdmin(actor);
    const id = parse(IdSchema, siteId, 'site id');
    const { pin } = parse(SetOperatorPinInputSchema, input, 'operator PIN');
    const hash = await hashPassword(pin);
    const site = await this.#change(async (trx) => {
      const row = await trx.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new NotFoundError(`site ${id} does not exist`);
      await trx.updateTable('sites').set({ operator_pin_hash: hash }).where('id', '=', id).execute();
      await this.#audit(trx, actor, 'site.operator_pin_set', `site:${id}`, { name: row.name });
      return { ...row, operator_pin_hash: hash };
    });
    return siteSummary(site);
  }

  /**
   * Checks the operator PIN of the kiosk's own site, for the kiosk shell's operator actions (leave the
   * kiosk, device settings, re-provision). Rate-limited per kiosk and per address like sign-ins;
   * every answer is audited. `valid` is false for a wrong PIN and for a site without one.
   */
  async verifyOperatorPin(principal: Principal | null, input: unknown, ip: string): Promise<{ valid: boolean }> {
    if (principal?.kind !== 'kiosk') throw new ForbiddenError('only a kiosk checks its site operator PIN');
    const { pin } = parse(SetOperatorPinInputSchema, input, 'operator PIN');
    const keys = { account: `kiosk:${principal.kioskId}`, ip };
    this.#operatorPinLimiter.consume(keys);
    const hash = await this.operatorPinHash(principal.siteId);
    const valid = await verifyPasswordOrDummy(hash, pin);
    if (valid) this.#operatorPinLimiter.succeeded(keys);
    await this.#change(async (trx) => {
      await appendAudit(
        trx,
        this.#dialect,
        {
          actor: `kiosk:${principal.kioskId}`,
          action: valid ? 'kiosk.operator_unlocked' : 'kiosk.operator_pin_refused',
          subject: `site:${principal.siteId}`,
          details: { kioskId: principal.kioskId },
        },
        this.#now(),
      );
    });
    return { valid };
  }

  /** The argon2 hash of a site's operator PIN, or null while none is set (or no such site). */
  async operatorPinHash(siteId: string): Promise<string | null> {
    const row = await this.#db
      .selectFrom('sites')
      .select('operator_pin_hash')
      .where('id', '=', siteId)
      .executeTakeFirst();
    return row?.operator_pin_hash ?? null;
  }

  /** Kiosks of one site or of all, without any hash. */
  async listKiosks(siteId?: string): Promise<KioskSummary[]> {
    let query = this.#db.selectFrom('kiosks').selectAll();
    if (siteId !== undefined) query = query.where('site_id', '=', siteId);
    const rows = await query.orderBy('site_id').orderBy('name').orderBy('id').execute();
    return rows.map(kioskSummary);
  }

  // ——— Users ———

  /** Creates an account bound to a court; judges also get the secret of their private iCal feed. */
  async createUser(actor: Actor, input: unknown): Promise<UserSummary> {
    requireAdmin(actor);
    const { courtId, role, username, displayName, password } = parse(CreateUserInputSchema, input, 'user');
    // Hashing takes tens of milliseconds: done before the transaction so no lock waits for it.
    const user: User = {
      id: randomUUID(),
      court_id: courtId,
      role,
      username,
      display_name: displayName,
      password_hash: await hashPassword(password),
      ical_token: role === 'judge' ? newSecretToken() : null,
      disabled_ms: null,
      created_ms: this.#now(),
    };
    const taken = `the username ${username} is already taken; choose another`;
    await this.#change(async (trx) => {
      await lockResources(trx, this.#dialect, [`username:${username}`]);
      const court = await trx.selectFrom('courts').select('id').where('id', '=', courtId).executeTakeFirst();
      if (!court) throw new NotFoundError(`no court ${courtId}; register the court first or check its id`);
      const existing = await trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
      if (existing) throw new ConflictError(taken);
      await trx.insertInto('users').values(user).execute();
      await this.#audit(trx, actor, 'user.created', `user:${user.id}`, { courtId, role, username, displayName });
    }, taken);
    return userSummary(user);
  }

  /**
   * Signs a user in: limited per username and per address, audited whether it succeeds or fails
   * (never with the password), answered with a session token.
   */
  async login(request: { username: unknown; password: unknown; ip: string }): Promise<LoginResult> {
    requireIp(request.ip);
    const { username, password } = parse(
      LoginInputSchema,
      { username: request.username, password: request.password },
      'sign-in',
    );
    const keys = { account: username, ip: request.ip };
    this.#loginLimiter.consume(keys);
    const user = await this.#db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    const matches = await verifyPasswordOrDummy(user?.password_hash ?? null, password);
    if (!user || !matches) {
      await this.#change((trx) =>
        this.#audit(trx, 'anonymous', 'auth.login_failed', user ? `user:${user.id}` : `username:${username}`, {
          username,
          ip: request.ip,
          reason: user ? 'wrong-password' : 'unknown-user',
        }),
      );
      throw new UnauthorizedError(WRONG_CREDENTIALS);
    }
    if (user.disabled_ms !== null) {
      await this.#change((trx) =>
        this.#audit(trx, `user:${user.id}`, 'auth.login_refused', `user:${user.id}`, {
          ip: request.ip,
          reason: 'disabled',
        }),
      );
      throw new ForbiddenError('this account has been disabled; ask your court administrator');
    }
    // Hashes made under older parameters are upgraded while the password is at hand.
    const rehash = passwordNeedsRehash(user.password_hash) ? await hashPassword(password) : null;
    await this.#change(async (trx) => {
      if (rehash) await trx.updateTable('users').set({ password_hash: rehash }).where('id', '=', user.id).execute();
      await this.#audit(trx, `user:${user.id}`, 'auth.login', `user:${user.id}`, { ip: request.ip });
    });
    this.#loginLimiter.succeeded(keys);
    const principal: UserPrincipal = { kind: 'user', userId: user.id, courtId: user.court_id, role: user.role };
    const { token, expiresMs } = await this.#tokens.issue(principal);
    return { token, expiresMs, principal, user: userSummary(user) };
  }

  /**
   * The principal of a session token, checked against the account as it is now: a disabled or deleted
   * account's tokens stop working at once, and a changed role or court takes effect.
   */
  async authenticateSession(token: string): Promise<UserPrincipal> {
    const claimed = await this.#tokens.verify(token);
    const user = await this.#db
      .selectFrom('users')
      .select(['id', 'court_id', 'role', 'disabled_ms'])
      .where('id', '=', claimed.userId)
      .executeTakeFirst();
    if (!user) throw new UnauthorizedError('this account no longer exists; sign in with another account');
    if (user.disabled_ms !== null) {
      throw new UnauthorizedError('this account has been disabled; ask your court administrator');
    }
    return { kind: 'user', userId: user.id, courtId: user.court_id, role: user.role };
  }

  /** Disables an account: it can no longer sign in and its sessions end. Disabling twice changes nothing. */
  async disableUser(actor: Actor, userId: unknown): Promise<UserSummary> {
    requireAdmin(actor);
    const id = parse(IdSchema, userId, 'user id');
    if (actor.kind === 'user' && actor.userId === id) {
      throw new ForbiddenError('you cannot disable your own account; ask another administrator');
    }
    const now = this.#now();
    const user = await this.#change(async (trx) => {
      const row = await this.#user(trx, id);
      if (row.disabled_ms !== null) return row;
      await trx.updateTable('users').set({ disabled_ms: now }).where('id', '=', id).execute();
      await this.#audit(trx, actor, 'user.disabled', `user:${id}`, { username: row.username });
      return { ...row, disabled_ms: now };
    });
    return userSummary(user);
  }

  /** Accounts of one court or of all, optionally of one role, without hashes or feed tokens. */
  async listUsers(filter: { courtId?: string; role?: UserRole } = {}): Promise<UserSummary[]> {
    let query = this.#db.selectFrom('users').selectAll();
    if (filter.courtId !== undefined) query = query.where('court_id', '=', filter.courtId);
    if (filter.role !== undefined) query = query.where('role', '=', parse(UserRoleSchema, filter.role, 'role'));
    const rows = await query.orderBy('court_id').orderBy('username').execute();
    return rows.map(userSummary);
  }

  // ——— The judges' iCal feeds ———

  /** The judge whose private feed URL carries this token; NOT_FOUND for unknown tokens and disabled accounts. */
  async userByIcalToken(token: string): Promise<UserSummary> {
    const gone = new NotFoundError('there is no calendar at this address; ask for a new calendar link');
    if (!SECRET_TOKEN_PATTERN.test(token)) throw gone;
    const user = await this.#db.selectFrom('users').selectAll().where('ical_token', '=', token).executeTakeFirst();
    if (!user || user.disabled_ms !== null || user.role !== 'judge') throw gone;
    return userSummary(user);
  }

  /** The feed token of a judge, for the judge's own "subscribe to my calendar" link (or an administrator). */
  async icalToken(actor: Principal, userId: unknown): Promise<string> {
    const id = parse(IdSchema, userId, 'user id');
    requireSelfOrAdmin(actor, id);
    const user = await this.#user(this.#db, id);
    if (user.ical_token === null) throw new NotFoundError(`user ${id} is not a judge and has no calendar feed`);
    return user.ical_token;
  }

  /** Replaces a judge's feed token, e.g. after the link was shared by mistake; the old link stops working. */
  async rotateIcalToken(actor: Principal, userId: unknown): Promise<string> {
    const id = parse(IdSchema, userId, 'user id');
    requireSelfOrAdmin(actor, id);
    const token = newSecretToken();
    await this.#change(async (trx) => {
      const user = await this.#user(trx, id);
      if (user.role !== 'judge') throw new NotFoundError(`user ${id} is not a judge and has no calendar feed`);
      await trx.updateTable('users').set({ ical_token: token }).where('id', '=', id).execute();
      await this.#audit(trx, actorName(actor), 'user.ical_token_rotated', `user:${id}`, {});
    });
    return token;
  }

  // ——— Internals ———

  /**
   * Runs one change in one transaction. A unique-constraint violation — a concurrent registration
   * that slipped past the check — becomes CONFLICT with the caller's message.
   */
  async #change<T>(work: (trx: Transaction<DB>) => Promise<T>, conflictMessage?: string): Promise<T> {
    try {
      return await this.#db.transaction().execute(work);
    } catch (error) {
      if (conflictMessage !== undefined && isUniqueViolation(error)) throw new ConflictError(conflictMessage);
      throw error;
    }
  }

  async #audit(
    trx: Transaction<DB>,
    actor: Actor | string,
    action: string,
    subject: string,
    details: AuditEntry['details'],
  ): Promise<void> {
    const name = typeof actor === 'string' ? actor : actorName(actor);
    await appendAudit(trx, this.#dialect, { actor: name, action, subject, details }, this.#now());
  }

  async #kiosk(db: Kysely<DB>, id: string): Promise<Kiosk> {
    const row = await db.selectFrom('kiosks').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`no kiosk ${id}; check its id in the kiosk list`);
    return row;
  }

  async #user(db: Kysely<DB>, id: string): Promise<User> {
    const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`no user ${id}; check the id in the user list`);
    return row;
  }
}

function requireAdmin(actor: Actor): void {
  if (actor.kind === 'system') return;
  assertAdmin(actor);
}

function requireSelfOrAdmin(actor: Principal, userId: string): void {
  if (actor.kind === 'user' && (actor.userId === userId || actor.role === 'admin')) return;
  throw new ForbiddenError("only the judge or an administrator may see or change a judge's calendar link");
}

/** The client address comes from the HTTP layer, not the body: a missing one is a programming error. */
function requireIp(ip: unknown): void {
  if (typeof ip !== 'string' || ip.length === 0) throw new TypeError('the client address (ip) is required');
}

function actorName(actor: Actor): string {
  switch (actor.kind) {
    case 'system':
      return 'system';
    case 'user':
      return `user:${actor.userId}`;
    case 'kiosk':
      return `kiosk:${actor.kioskId}`;
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')} ${issue.message}` : issue.message))
    .join('; ');
  throw new BadRequestError(`invalid ${what}: ${issues}`);
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Uniformly random over the alphabet (randomInt has no modulo bias). */
function newEnrollmentCode(): string {
  let code = '';
  for (let i = 0; i < ENROLLMENT_CODE_LENGTH; i++)
    code += ENROLLMENT_CODE_ALPHABET[randomInt(ENROLLMENT_CODE_ALPHABET.length)];
  return code;
}

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return false;
  // PostgreSQL unique_violation; SQLite's extended result codes.
  return (
    error.code === '23505' || error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** Times in messages are Beijing time, as everyone using the system reads them. */
function formatTime(ms: number): string {
  return `${formatShanghaiTime(ms)} (UTC+8)`;
}

function courtSummary(row: Court): CourtSummary {
  return { id: row.id, name: row.name, regionCode: row.region_code, createdMs: row.created_ms };
}

function siteSummary(row: Site): SiteSummary {
  return {
    id: row.id,
    name: row.name,
    county: row.county,
    addressCode: row.address_code,
    createdMs: row.created_ms,
    operatorPinSet: row.operator_pin_hash !== null,
  };
}

function kioskStatus(row: Kiosk): KioskStatus {
  if (row.revoked_ms !== null) return 'revoked';
  return row.credential_hash !== null ? 'enrolled' : 'pending';
}

function kioskSummary(row: Kiosk): KioskSummary {
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    status: kioskStatus(row),
    enrollmentExpiresMs: row.enrollment_expires_ms,
    enrolledMs: row.enrolled_ms,
    revokedMs: row.revoked_ms,
    createdMs: row.created_ms,
  };
}

function userSummary(row: User): UserSummary {
  return {
    id: row.id,
    courtId: row.court_id,
    role: row.role,
    username: row.username,
    displayName: row.display_name,
    disabledMs: row.disabled_ms,
    createdMs: row.created_ms,
  };
}
