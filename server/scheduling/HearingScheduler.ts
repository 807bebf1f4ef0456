import { randomUUID } from 'node:crypto';
import { type Kysely, type QueryCreator, sql, type Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import {
  type BookedHearing,
  type BookedParticipant,
  BookedRoleSchema,
  BookHearingInputSchema,
  type BookHearingRequest,
  type BookingConflict,
  CancelInputSchema,
  CaseTypeSchema,
  formatShanghaiRange,
  type HistoryEntry,
  MAX_HEARING_DURATION_MS,
  RescheduleInputSchema,
  type ResourceBooking,
  type SiteHearing,
  shanghaiDayStart,
  toShanghaiIso,
} from '../../shared/scheduling.js';
import { type AuditEntry, appendAudit, appendedEntry, withAuditAppend } from '../audit/AuditLog.js';
import { type DialectName, lockOrder, lockResources } from '../db/Database.js';
import type { BookingTable, DB, HearingHistoryTable, HearingParticipantRow, HearingRow, User } from '../db/schema.js';
import { AppError, BadRequestError, InvalidStateError, NotFoundError } from '../errors.js';

/** Who asks for a change; authentication and authorization happen before the scheduler is called. */
export interface Actor {
  userId: string;
}

export interface HearingSchedulerOptions {
  db: Kysely<DB>;
  dialect: DialectName;
  /** Minutes kept free between two hearings of the same judge, clerk or kiosk. */
  bufferMinutes: number;
  /** The clock (epoch ms); tests pass a fixed one. */
  now?: () => number;
}

/** Whose bookings the clerk's conflict view shows. */
export interface AvailabilityQuery {
  judgeId?: string;
  clerkId?: string;
  siteIds?: string[];
}

export interface ListOptions {
  /** Also list cancelled hearings (they hold no bookings). */
  includeCancelled?: boolean;
}

const MAX_BUFFER_MINUTES = 240;
/** The longest range one list or availability call may cover. */
const MAX_LIST_RANGE_MS = 92 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** A judge's agenda: today and the coming week, in Asia/Shanghai days. */
const AGENDA_DAYS = 8;

/**
 * Ids of new hearings, participants and history rows: UUIDv7, time-ordered, so that each insert lands at
 * the right edge of the primary-key and hearing-id indexes, pages that stay cached, instead of at a
 * random page of an index of millions of rows (with random v4 ids, most of a booking's page reads in
 * bench:booking on PostgreSQL).
 */
const newRowId = (): string => uuidv7();

const judgeKey = (id: string): string => `judge:${id}`;
const clerkKey = (id: string): string => `clerk:${id}`;
const kioskKey = (id: string): string => `kiosk:${id}`;
/**
 * A booking locks its sites rather than their kiosks: the sites are known from the request, so the
 * locks can be taken before anything is read, before the kiosks are known.
 */
const siteKey = (id: string): string => `site:${id}`;
/** Serializes changes of one hearing (reschedule against cancel, two reschedules). */
const hearingKey = (id: string): string => `hearing:${id}`;

type Executor = Kysely<DB> | Transaction<DB>;
type BookingRow = BookingTable;
type HearingHistoryRow = HearingHistoryTable;

/** A booking that overlaps (with the buffer) the time being booked. */
interface Clash {
  resourceKey: string;
  hearingId: string;
  caseNumber: string;
  startMs: number;
  endMs: number;
}

/** A site among a hearing's participants and the kiosks that may host it, in order of preference. */
interface SiteCandidates {
  siteId: string;
  siteName: string;
  kioskIds: string[];
}

type Staff = Pick<User, 'id' | 'display_name'>;

/** A staff member as a booking checks them. */
type StaffRow = Pick<User, 'id' | 'court_id' | 'role' | 'display_name' | 'disabled_ms'>;
/** A site with one of its usable kiosks (none: null). */
interface SiteKioskRow {
  site_id: string;
  site_name: string;
  kiosk_id: string | null;
  kiosk_created_ms: number | null;
}

/** A change of a hearing, as its history row and audit entry record it. */
interface Change {
  action: HistoryEntry['action'];
  reason: string | null;
  before: BookedHearing | null;
  now: number;
}

/**
 * Books hearings and keeps judges, clerks and site kiosks from being double-booked.
 *
 * Every resource a scheduled hearing occupies has a row in `bookings`; a change takes the advisory locks
 * of every resource it could occupy, then looks for overlapping rows, then writes — all in one
 * transaction, so two clerks booking the same judge at once cannot both succeed. Each change also
 * writes a `hearing_history` row and an audit entry in that same transaction. On PostgreSQL a booking is
 * that transaction as one statement, the database function scheduler_book (migration 0005).
 */
export class HearingScheduler {
  readonly #db: Kysely<DB>;
  readonly #dialect: DialectName;
  readonly #bufferMs: number;
  readonly #now: () => number;

  constructor(options: HearingSchedulerOptions) {
    const { bufferMinutes } = options;
    if (!Number.isInteger(bufferMinutes) || bufferMinutes < 0 || bufferMinutes > MAX_BUFFER_MINUTES) {
      throw new TypeError(`bufferMinutes must be a whole number from 0 to ${MAX_BUFFER_MINUTES}, got ${bufferMinutes}`);
    }
    this.#db = options.db;
    this.#dialect = options.dialect;
    this.#bufferMs = bufferMinutes * 60_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Books a hearing; CONFLICT names every hearing that already holds the judge, the clerk or a site.
   * `input` is a BookHearingInput as the client sent it, parsed here (BAD_REQUEST names the wrong field).
   */
  async book(actor: Actor, input: unknown): Promise<BookedHearing> {
    checkActor(actor);
    const request = parseInput(BookHearingInputSchema, input, 'booking');
    const siteIds = distinct(request.participants.map((p) => p.site));
    // The locks must be held before the overlap query: a competing booking of the judge, the clerk or
    // a site waits until this one's transaction ends, and then sees its rows.
    const locks = [judgeKey(request.judgeId), clerkKey(request.clerkId), ...siteIds.map(siteKey)];
    if (this.#dialect === 'postgres') return this.#bookInOneStatement(actor, request, siteIds, locks);

    // SQLite: no locks to take (see lockResources), and statements that cost microseconds.
    return this.#db.transaction().execute(async (trx) => {
      const now = this.#now();
      const users = await this.#staff(trx, request).execute();
      const siteRows = siteIds.length === 0 ? [] : await this.#siteKiosks(trx, siteIds).execute();
      const { judge, clerk, sites } = await this.#checkLoaded(trx, request, siteIds, users, siteRows);
      const keys = [judgeKey(judge.id), clerkKey(clerk.id), ...sites.flatMap((s) => s.kioskIds.map(kioskKey))];
      const clashes = await this.#clashes(trx, keys, request.startMs, request.endMs, null);
      const kioskBySite = this.#assignOrRefuse(clashes, judge, clerk, sites, request, 'booked for');

      const { hearing, participants } = newHearingRows(request, now, (site) => kioskBySite.get(site) ?? null);
      const view = toView(hearing, participants);
      const change: Change = { action: 'booked', reason: null, before: null, now };
      await trx.insertInto('hearings').values(hearing).execute();
      await trx.insertInto('hearing_participants').values(participants).execute();
      await trx.insertInto('bookings').values(bookingRows(hearing, kioskBySite)).execute();
      await trx
        .insertInto('hearing_history')
        .values(historyRow(actor, view, change))
        .execute();
      await appendAudit(trx, this.#dialect, auditEntry(actor, view, change), now);
      return view;
    });
  }

  /**
   * PostgreSQL: the booking as one statement, `scheduler_book` (migration 0005), run outside an explicit
   * transaction so that the locks, the checks, the writes and the commit are one round trip. The kiosk
   * each site gets is chosen there; the texts that name it (history, audit details) go as templates with
   * a hole per site. When anything stands in the way, the function writes nothing and answers the rows it
   * read; the refusal is then built from them exactly as on SQLite.
   */
  async #bookInOneStatement(
    actor: Actor,
    request: BookHearingRequest,
    siteIds: string[],
    locks: string[],
  ): Promise<BookedHearing> {
    const now = this.#now();
    const holeOf = new Map(siteIds.map((site, index) => [site, `${KIOSK_HOLE}${index}`]));
    const { hearing, participants } = newHearingRows(request, now, (site) => holeOf.get(site) ?? null);
    const template = toView(hearing, participants);
    const change: Change = { action: 'booked', reason: null, before: null, now };
    const history = historyRow(actor, template, change);
    const audit = auditEntry(actor, template, change);
    const call = {
      locks: lockOrder(locks),
      courtId: request.courtId,
      judgeId: request.judgeId,
      clerkId: request.clerkId,
      siteIds,
      startMs: request.startMs,
      endMs: request.endMs,
      bufferMs: this.#bufferMs,
      maxDurationMs: MAX_HEARING_DURATION_MS,
      hearing,
      participants: participants.map((p) => ({ ...p, kiosk_id: null })),
      history: { ...history, after_json: null, afterJson: kioskTemplate(history.after_json) },
      audit: {
        at_ms: now,
        actor: audit.actor,
        action: audit.action,
        subject: audit.subject,
        // JSON.stringify([seq, at_ms, actor, action, subject, details_json, prev_hash]) from at_ms to
        // the comma before details_json (see entryHash).
        middlePrefix: `${JSON.stringify([now, audit.actor, audit.action, audit.subject]).slice(1, -1)},`,
        details: kioskTemplate(JSON.stringify(audit.details)),
      },
    };
    const { rows } = await sql<{
      answer: unknown;
    }>`select scheduler_book(${JSON.stringify(call)}::jsonb) as answer`.execute(this.#db);
    const answer = BookAnswerSchema.parse(rows[0]?.answer);
    if (!('refused' in answer)) {
      const kioskBySite = new Map(siteIds.map((site, index) => [site, answer.kiosks[index] ?? null]));
      return toView(
        hearing,
        participants.map((p) => ({ ...p, kiosk_id: p.site_id === null ? null : (kioskBySite.get(p.site_id) ?? null) })),
      );
    }
    const { judge, clerk, sites } = await this.#checkLoaded(this.#db, request, siteIds, answer.staff, answer.sites);
    this.#assignOrRefuse(toClashes(answer.clashes), judge, clerk, sites, request, 'booked for');
    throw new Error(
      `scheduler_book refused hearing ${request.caseNumber} for a reason the scheduler does not see; the database function and HearingScheduler disagree`,
    );
  }

  /**
   * Moves a hearing. Its own bookings do not count as clashes; each site keeps its kiosk when that is
   * still free at the new time, and otherwise gets another free kiosk of the site. `input` is a
   * RescheduleInput as the client sent it, parsed here.
   */
  async reschedule(actor: Actor, hearingId: string, input: unknown): Promise<BookedHearing> {
    checkActor(actor);
    checkId(hearingId, 'hearingId');
    const request = parseInput(RescheduleInputSchema, input, 'new time');

    return this.#db.transaction().execute(async (trx) => {
      const now = this.#now();
      await lockResources(trx, this.#dialect, [hearingKey(hearingId)]);
      const before = await this.#load(trx, hearingId);
      if (before.status === 'cancelled') {
        throw new InvalidStateError(`hearing ${before.caseNumber} is cancelled and cannot be moved; book it again`);
      }
      if (before.status !== 'scheduled') {
        throw new InvalidStateError(
          `hearing ${before.caseNumber} has already begun (${before.status}) and cannot be moved`,
        );
      }
      if (request.expectedVersion !== undefined && request.expectedVersion !== before.version) {
        throw new AppError(
          'CONFLICT',
          `hearing ${before.caseNumber} was changed by someone else since you opened it (version ${request.expectedVersion}, now ${before.version}); reload it and try again`,
          { expectedVersion: request.expectedVersion, version: before.version },
        );
      }

      const current = new Map<string, string>();
      for (const p of before.participants) {
        if (p.siteId !== null && p.kioskId !== null) current.set(p.siteId, p.kioskId);
      }
      const siteIds = distinct(before.participants.map((p) => p.siteId));
      const sites = await this.#siteCandidates(trx, siteIds, current);
      await lockResources(trx, this.#dialect, [
        judgeKey(before.judgeId),
        clerkKey(before.clerkId),
        ...siteIds.map(siteKey),
      ]);
      const keys = [
        judgeKey(before.judgeId),
        clerkKey(before.clerkId),
        ...sites.flatMap((s) => s.kioskIds.map(kioskKey)),
      ];
      const clashes = await this.#clashes(trx, keys, request.startMs, request.endMs, hearingId);
      const staff = clashes.length > 0 ? await this.#staffNames(trx, before.judgeId, before.clerkId) : null;
      const kioskBySite = this.#assignOrRefuse(
        clashes,
        staff?.judge ?? { id: before.judgeId, display_name: before.judgeId },
        staff?.clerk ?? { id: before.clerkId, display_name: before.clerkId },
        sites,
        { caseNumber: before.caseNumber, startMs: request.startMs, endMs: request.endMs },
        'moved to',
      );

      const hearing = {
        ...toRow(before),
        start_ms: request.startMs,
        end_ms: request.endMs,
        version: before.version + 1,
        updated_ms: now,
      };
      await trx
        .updateTable('hearings')
        .set({ start_ms: hearing.start_ms, end_ms: hearing.end_ms, version: hearing.version, updated_ms: now })
        .where('id', '=', hearingId)
        .execute();
      for (const [siteId, kioskId] of kioskBySite) {
        if (current.get(siteId) === kioskId) continue;
        await trx
          .updateTable('hearing_participants')
          .set({ kiosk_id: kioskId })
          .where('hearing_id', '=', hearingId)
          .where('site_id', '=', siteId)
          .execute();
      }
      await trx.deleteFrom('bookings').where('hearing_id', '=', hearingId).execute();
      await trx.insertInto('bookings').values(bookingRows(hearing, kioskBySite)).execute();

      const after: BookedHearing = {
        ...toView(hearing, []),
        participants: before.participants.map((p) => ({
          ...p,
          kioskId: p.siteId === null ? null : (kioskBySite.get(p.siteId) ?? null),
        })),
      };
      await this.#record(trx, actor, after, { action: 'rescheduled', reason: null, before, now });
      return after;
    });
  }

  /** Cancels a hearing and frees everything it held; the reason is kept in its history. */
  async cancel(actor: Actor, hearingId: string, reason: string): Promise<BookedHearing> {
    checkActor(actor);
    checkId(hearingId, 'hearingId');
    const request = parseInput(CancelInputSchema, { reason }, 'cancellation');

    return this.#db.transaction().execute(async (trx) => {
      const now = this.#now();
      await lockResources(trx, this.#dialect, [hearingKey(hearingId)]);
      const before = await this.#load(trx, hearingId);
      if (before.status === 'cancelled') {
        throw new InvalidStateError(`hearing ${before.caseNumber} is already cancelled`);
      }
      if (before.status !== 'scheduled') {
        throw new InvalidStateError(
          `hearing ${before.caseNumber} has already begun (${before.status}); the judge closes it in the hearing room`,
        );
      }
      const version = before.version + 1;
      await trx
        .updateTable('hearings')
        .set({ status: 'cancelled', cancel_reason: request.reason, version, updated_ms: now })
        .where('id', '=', hearingId)
        .execute();
      await trx.deleteFrom('bookings').where('hearing_id', '=', hearingId).execute();

      const after: BookedHearing = {
        ...before,
        status: 'cancelled',
        cancelReason: request.reason,
        version,
        updatedMs: now,
      };
      await this.#record(trx, actor, after, { action: 'cancelled', reason: request.reason, before, now });
      return after;
    });
  }

  /** The hearing with its participants; NOT_FOUND when there is none. */
  async get(hearingId: string): Promise<BookedHearing> {
    checkId(hearingId, 'hearingId');
    return this.#load(this.#db, hearingId);
  }

  /** The judge's hearings that overlap [fromMs, toMs), by start time. */
  async listForJudge(
    judgeId: string,
    fromMs: number,
    toMs: number,
    options: ListOptions = {},
  ): Promise<BookedHearing[]> {
    checkId(judgeId, 'judgeId');
    checkRange(fromMs, toMs);
    return this.#list('judge_id', judgeId, fromMs, toMs, options);
  }

  /** What a judge sees on opening the app: today and the coming week (Asia/Shanghai days). */
  async agendaForJudge(judgeId: string): Promise<BookedHearing[]> {
    const from = shanghaiDayStart(this.#now());
    return this.listForJudge(judgeId, from, from + AGENDA_DAYS * DAY_MS);
  }

  /** The court's hearings that overlap [fromMs, toMs), by start time. */
  async listForCourt(
    courtId: string,
    fromMs: number,
    toMs: number,
    options: ListOptions = {},
  ): Promise<BookedHearing[]> {
    checkId(courtId, 'courtId');
    checkRange(fromMs, toMs);
    return this.#list('court_id', courtId, fromMs, toMs, options);
  }

  /**
   * The hearings (neither cancelled nor closed) with someone at the site that overlap [fromMs, toMs):
   * what a kiosk of that site may see. Only the site's own participants are listed, without their
   * ID-number tails.
   */
  async listForSite(siteId: string, fromMs: number, toMs: number): Promise<SiteHearing[]> {
    checkId(siteId, 'siteId');
    checkRange(fromMs, toMs);
    const site = await this.#db.selectFrom('sites').select('id').where('id', '=', siteId).executeTakeFirst();
    if (!site) throw new NotFoundError(`site ${siteId} does not exist`);
    const rows = await this.#db
      .selectFrom('hearing_participants as p')
      .innerJoin('hearings as h', 'h.id', 'p.hearing_id')
      .select([
        'h.id',
        'h.case_number',
        'h.title',
        'h.start_ms',
        'h.end_ms',
        'h.is_public',
        'p.id as participant_id',
        'p.role',
        'p.name',
        'p.kiosk_id',
      ])
      .where('p.site_id', '=', siteId)
      // Begun hearings too (the floor writes its state here): a villager may arrive after the judge
      // opened the waiting room. Closed ones are over; nobody joins them any more.
      .where('h.status', 'not in', ['cancelled', 'closed'])
      .where('h.start_ms', '<', toMs)
      .where('h.end_ms', '>', fromMs)
      .orderBy('h.start_ms')
      .orderBy('h.id')
      .orderBy('p.position')
      .execute();
    const hearings = new Map<string, SiteHearing>();
    for (const row of rows) {
      let hearing = hearings.get(row.id);
      if (!hearing) {
        hearing = {
          id: row.id,
          caseNumber: row.case_number,
          title: row.title,
          startMs: row.start_ms,
          endMs: row.end_ms,
          startsAt: toShanghaiIso(row.start_ms),
          endsAt: toShanghaiIso(row.end_ms),
          isPublic: row.is_public === 1,
          kioskId: row.kiosk_id,
          participants: [],
        };
        hearings.set(row.id, hearing);
      }
      hearing.participants.push({ id: row.participant_id, role: BookedRoleSchema.parse(row.role), name: row.name });
    }
    return [...hearings.values()];
  }

  /** Today's hearings (Asia/Shanghai) at the site: the only list a kiosk may ask for. */
  async todayForSite(siteId: string): Promise<SiteHearing[]> {
    const from = shanghaiDayStart(this.#now());
    return this.listForSite(siteId, from, from + DAY_MS);
  }

  /**
   * The existing bookings of a judge, a clerk and the kiosks of some sites that overlap [fromMs, toMs),
   * for the clerk's live conflict view while choosing a time.
   */
  async availability(query: AvailabilityQuery, fromMs: number, toMs: number): Promise<ResourceBooking[]> {
    checkRange(fromMs, toMs);
    const owners = new Map<string, Pick<ResourceBooking, 'resource' | 'resourceId' | 'kioskId'>>();
    if (query.judgeId !== undefined) {
      checkId(query.judgeId, 'judgeId');
      owners.set(judgeKey(query.judgeId), { resource: 'judge', resourceId: query.judgeId, kioskId: null });
    }
    if (query.clerkId !== undefined) {
      checkId(query.clerkId, 'clerkId');
      owners.set(clerkKey(query.clerkId), { resource: 'clerk', resourceId: query.clerkId, kioskId: null });
    }
    const siteIds = distinct(query.siteIds ?? []);
    for (const siteId of siteIds) checkId(siteId, 'siteIds[]');
    if (siteIds.length > 0) {
      // Revoked kiosks too: a hearing booked before the revocation still holds its slot.
      const kiosks = await this.#db
        .selectFrom('kiosks')
        .select(['id', 'site_id'])
        .where('site_id', 'in', siteIds)
        .execute();
      for (const kiosk of kiosks) {
        owners.set(kioskKey(kiosk.id), { resource: 'site', resourceId: kiosk.site_id, kioskId: kiosk.id });
      }
    }
    if (owners.size === 0) return [];
    const rows = await this.#db
      .selectFrom('bookings as b')
      .innerJoin('hearings as h', 'h.id', 'b.hearing_id')
      .select(['b.resource_key', 'b.hearing_id', 'b.start_ms', 'b.end_ms', 'h.case_number'])
      .where('b.resource_key', 'in', [...owners.keys()])
      .where('b.start_ms', '<', toMs)
      .where('b.start_ms', '>', fromMs - MAX_HEARING_DURATION_MS)
      .where('b.end_ms', '>', fromMs)
      .orderBy('b.start_ms')
      .orderBy('b.resource_key')
      .execute();
    return rows.flatMap((row) => {
      const owner = owners.get(row.resource_key);
      if (!owner) return [];
      const booking: ResourceBooking = {
        ...owner,
        hearingId: row.hearing_id,
        caseNumber: row.case_number,
        startMs: row.start_ms,
        endMs: row.end_ms,
      };
      return [booking];
    });
  }

  /** The hearing's changes, oldest first, with the hearing before and after each. */
  async history(hearingId: string): Promise<HistoryEntry[]> {
    checkId(hearingId, 'hearingId');
    const hearing = await this.#db.selectFrom('hearings').select('id').where('id', '=', hearingId).executeTakeFirst();
    if (!hearing) throw new NotFoundError(`hearing ${hearingId} does not exist`);
    const rows = await this.#db
      .selectFrom('hearing_history')
      .selectAll()
      .where('hearing_id', '=', hearingId)
      .orderBy('at_ms')
      .execute();
    const entries = rows.map((row) => {
      const before: unknown = row.before_json === null ? null : JSON.parse(row.before_json);
      const after: unknown = JSON.parse(row.after_json);
      // Each change raises the version by one: it orders changes made within the same millisecond.
      return {
        id: row.id,
        atMs: row.at_ms,
        actorId: row.actor_id,
        action: row.action,
        reason: row.reason,
        before,
        after,
        version: versionOf(after),
      };
    });
    entries.sort((a, b) => a.atMs - b.atMs || a.version - b.version);
    return entries.map(({ version: _version, ...entry }) => entry);
  }

  /** The hearing's judge and clerk as a booking checks them. */
  #staff(db: QueryCreator<DB>, request: { judgeId: string; clerkId: string }) {
    return db
      .selectFrom('users')
      .select(['id', 'court_id', 'role', 'display_name', 'disabled_ms'])
      .where('id', 'in', [request.judgeId, request.clerkId]);
  }

  /**
   * Checks the judge and clerk a booking loaded (they exist, have their role, belong to the hearing's
   * court and are enabled) and turns its site rows into the kiosk candidates of each site.
   */
  async #checkLoaded(
    executor: Executor,
    request: { courtId: string; judgeId: string; clerkId: string },
    siteIds: string[],
    users: StaffRow[],
    siteRows: SiteKioskRow[],
  ): Promise<{ judge: Staff; clerk: Staff; sites: SiteCandidates[] }> {
    // Users reference their court, so a judge and a clerk of the hearing's court prove that the court
    // exists; only otherwise is it looked up, to say which of them is wrong (one query less per booking).
    const ofCourt = (id: string) => users.some((u) => u.id === id && u.court_id === request.courtId);
    if (!ofCourt(request.judgeId) || !ofCourt(request.clerkId)) {
      const court = await executor
        .selectFrom('courts')
        .select('id')
        .where('id', '=', request.courtId)
        .executeTakeFirst();
      if (!court) throw new NotFoundError(`court ${request.courtId} does not exist; choose the court from the list`);
    }
    const check = (id: string, role: 'judge' | 'clerk'): Staff => {
      const user = users.find((u) => u.id === id);
      if (!user) throw new NotFoundError(`${role} ${id} does not exist; choose the ${role} from the list`);
      if (user.role !== role) {
        throw new BadRequestError(`user ${user.display_name} (${id}) is a ${user.role}, not a ${role}`);
      }
      if (user.court_id !== request.courtId) {
        throw new BadRequestError(`${role} ${user.display_name} (${id}) belongs to another court than the hearing`);
      }
      if (user.disabled_ms !== null) {
        throw new BadRequestError(`${role} ${user.display_name} (${id}) is disabled; choose another ${role}`);
      }
      return { id: user.id, display_name: user.display_name };
    };
    const judge = check(request.judgeId, 'judge');
    const clerk = check(request.clerkId, 'clerk');
    return { judge, clerk, sites: siteCandidates(siteIds, siteRows, new Map()) };
  }

  async #staffNames(trx: Transaction<DB>, judgeId: string, clerkId: string): Promise<{ judge: Staff; clerk: Staff }> {
    const users = await trx
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('id', 'in', [judgeId, clerkId])
      .execute();
    const named = (id: string): Staff => users.find((u) => u.id === id) ?? { id, display_name: id };
    return { judge: named(judgeId), clerk: named(clerkId) };
  }

  /** The sites and their usable (not revoked) kiosks: a row per kiosk, one without kiosk for a site with none. */
  #siteKiosks(db: QueryCreator<DB>, siteIds: string[]) {
    return db
      .selectFrom('sites as s')
      .leftJoin('kiosks as k', (join) => join.onRef('k.site_id', '=', 's.id').on('k.revoked_ms', 'is', null))
      .select(['s.id as site_id', 's.name as site_name', 'k.id as kiosk_id', 'k.created_ms as kiosk_created_ms'])
      .where('s.id', 'in', siteIds);
  }

  /** The kiosk candidates of each site; a site's current kiosk (on reschedule) comes first. */
  async #siteCandidates(
    trx: Transaction<DB>,
    siteIds: string[],
    current: Map<string, string>,
  ): Promise<SiteCandidates[]> {
    if (siteIds.length === 0) return [];
    return siteCandidates(siteIds, await this.#siteKiosks(trx, siteIds).execute(), current);
  }

  /**
   * Bookings of the resources that overlap [startMs, endMs) widened by the buffer on both sides, with
   * their hearings' case numbers (for the refusal: the join costs nothing when, as usual, nothing is
   * found). Touching intervals do not overlap when the buffer is 0.
   */
  async #clashes(
    trx: Transaction<DB>,
    keys: string[],
    startMs: number,
    endMs: number,
    excludeHearingId: string | null,
  ): Promise<Clash[]> {
    let query = trx
      .selectFrom('bookings as b')
      .innerJoin('hearings as h', 'h.id', 'b.hearing_id')
      .select(['b.resource_key', 'b.hearing_id', 'b.start_ms', 'b.end_ms', 'h.case_number'])
      .where('b.resource_key', 'in', keys)
      .where('b.start_ms', '<', endMs + this.#bufferMs)
      // No booking is longer than MAX_HEARING_DURATION_MS, so one that ends after our start began at
      // most that long before it: this bound keeps the scan of (resource_key, start_ms) short.
      .where('b.start_ms', '>', startMs - this.#bufferMs - MAX_HEARING_DURATION_MS)
      .where('b.end_ms', '>', startMs - this.#bufferMs);
    if (excludeHearingId !== null) query = query.where('b.hearing_id', '<>', excludeHearingId);
    return toClashes(await query.execute());
  }

  /**
   * Picks a free kiosk for every site, or refuses with CONFLICT naming every clash: the judge's, the
   * clerk's, and for a site whose kiosks are all taken, what takes them.
   */
  #assignOrRefuse(
    clashes: Clash[],
    judge: Staff,
    clerk: Staff,
    sites: SiteCandidates[],
    hearing: { caseNumber: string; startMs: number; endMs: number },
    verb: 'booked for' | 'moved to',
  ): Map<string, string> {
    const byKey = new Map<string, Clash[]>();
    for (const clash of clashes) byKey.set(clash.resourceKey, [...(byKey.get(clash.resourceKey) ?? []), clash]);

    const conflicts: BookingConflict[] = [];
    const reasons: string[] = [];
    const conflict = (owner: Pick<ResourceBooking, 'resource' | 'resourceId' | 'kioskId'>, clash: Clash): void => {
      conflicts.push({
        ...owner,
        hearingId: clash.hearingId,
        caseNumber: clash.caseNumber,
        startMs: clash.startMs,
        endMs: clash.endMs,
        startsAt: toShanghaiIso(clash.startMs),
        endsAt: toShanghaiIso(clash.endMs),
      });
    };
    const judgeClashes = byKey.get(judgeKey(judge.id)) ?? [];
    if (judgeClashes.length > 0) {
      for (const c of judgeClashes) conflict({ resource: 'judge', resourceId: judge.id, kioskId: null }, c);
      reasons.push(`judge ${judge.display_name} is already booked for ${describe(judgeClashes)}`);
    }
    const clerkClashes = byKey.get(clerkKey(clerk.id)) ?? [];
    if (clerkClashes.length > 0) {
      for (const c of clerkClashes) conflict({ resource: 'clerk', resourceId: clerk.id, kioskId: null }, c);
      reasons.push(`clerk ${clerk.display_name} is already booked for ${describe(clerkClashes)}`);
    }
    const kioskBySite = new Map<string, string>();
    for (const site of sites) {
      const free = site.kioskIds.find((k) => !byKey.has(kioskKey(k)));
      if (free !== undefined) {
        kioskBySite.set(site.siteId, free);
        continue;
      }
      const siteClashes = site.kioskIds.flatMap((k) => byKey.get(kioskKey(k)) ?? []);
      for (const c of siteClashes) {
        conflict({ resource: 'site', resourceId: site.siteId, kioskId: c.resourceKey.slice('kiosk:'.length) }, c);
      }
      const kiosks = site.kioskIds.length === 1 ? 'the kiosk' : `all ${site.kioskIds.length} kiosks`;
      reasons.push(`${kiosks} of site ${site.siteName} are taken by ${describe(siteClashes)}`);
    }
    if (conflicts.length === 0) return kioskBySite;

    const buffer = this.#bufferMs > 0 ? ` (with ${this.#bufferMs / 60_000} minutes between hearings)` : '';
    throw new AppError(
      'CONFLICT',
      `hearing ${hearing.caseNumber} cannot be ${verb} ${formatShanghaiRange(hearing.startMs, hearing.endMs)} (Asia/Shanghai)${buffer}: ${reasons.join('; ')}. Choose another time${sites.length > 0 ? ' or site' : ''}.`,
      { conflicts, bufferMinutes: this.#bufferMs / 60_000 },
    );
  }

  /** The history row and the audit entry of a change, in the change's transaction (one statement on PostgreSQL). */
  async #record(trx: Transaction<DB>, actor: Actor, after: BookedHearing, change: Change): Promise<void> {
    const history = historyRow(actor, after, change);
    const audit = auditEntry(actor, after, change);
    if (this.#dialect === 'postgres') {
      const appended = await withAuditAppend(trx, audit, change.now)
        .with('history', (db) => db.insertInto('hearing_history').values(history))
        .selectFrom('audit_entry')
        .select('seq')
        .executeTakeFirst();
      appendedEntry(appended);
      return;
    }
    await trx.insertInto('hearing_history').values(history).execute();
    await appendAudit(trx, this.#dialect, audit, change.now);
  }

  async #load(executor: Executor, hearingId: string): Promise<BookedHearing> {
    const hearing = await executor.selectFrom('hearings').selectAll().where('id', '=', hearingId).executeTakeFirst();
    if (!hearing) throw new NotFoundError(`hearing ${hearingId} does not exist`);
    const participants = await executor
      .selectFrom('hearing_participants')
      .selectAll()
      .where('hearing_id', '=', hearingId)
      .orderBy('position')
      .execute();
    return toView(hearing, participants);
  }

  async #list(
    column: 'judge_id' | 'court_id',
    id: string,
    fromMs: number,
    toMs: number,
    options: ListOptions,
  ): Promise<BookedHearing[]> {
    let query = this.#db
      .selectFrom('hearings')
      .selectAll()
      .where(column, '=', id)
      .where('start_ms', '<', toMs)
      // Bounded like the overlap query, so the (…, start_ms) index range stays short.
      .where('start_ms', '>', fromMs - MAX_HEARING_DURATION_MS)
      .where('end_ms', '>', fromMs);
    // Every state but cancelled: the floor writes open, in_session, paused and closed here, and the
    // judge and the clerk must still find a hearing once it has begun (and its recording once closed).
    if (!options.includeCancelled) query = query.where('status', '!=', 'cancelled');
    const hearings = await query.orderBy('start_ms').orderBy('id').execute();
    const participants = new Map<string, HearingParticipantRow[]>();
    // Chunks keep the IN list far below SQLite's limit on bound parameters.
    for (let i = 0; i < hearings.length; i += 500) {
      const ids = hearings.slice(i, i + 500).map((h) => h.id);
      const rows = await this.#db
        .selectFrom('hearing_participants')
        .selectAll()
        .where('hearing_id', 'in', ids)
        .orderBy('hearing_id')
        .orderBy('position')
        .execute();
      for (const row of rows) participants.set(row.hearing_id, [...(participants.get(row.hearing_id) ?? []), row]);
    }
    return hearings.map((h) => toView(h, participants.get(h.id) ?? []));
  }
}

/** The rows of a new hearing and its participants; `kioskOf` gives the kiosk chosen for a site. */
function newHearingRows(
  request: BookHearingRequest,
  now: number,
  kioskOf: (siteId: string) => string | null,
): { hearing: HearingRow; participants: HearingParticipantRow[] } {
  const id = newRowId();
  const hearing: HearingRow = {
    id,
    case_number: request.caseNumber,
    title: request.title,
    case_type: request.caseType,
    court_id: request.courtId,
    judge_id: request.judgeId,
    clerk_id: request.clerkId,
    start_ms: request.startMs,
    end_ms: request.endMs,
    is_public: request.isPublic ? 1 : 0,
    status: 'scheduled',
    cancel_reason: null,
    spotlight_participant_id: null,
    version: 1,
    created_ms: now,
    updated_ms: now,
  };
  const participants = request.participants.map(
    (p, position): HearingParticipantRow => ({
      id: newRowId(),
      hearing_id: id,
      role: p.role,
      name: p.name,
      id_tail: p.idTail,
      site_id: p.site,
      kiosk_id: p.site === null ? null : kioskOf(p.site),
      position,
    }),
  );
  return { hearing, participants };
}

/**
 * Stands for "the kiosk chosen for site i" (`${KIOSK_HOLE}${i}`) in a text sent to scheduler_book. It
 * starts with U+0000 and holds a random UUID of this process, so no text a user sent can contain it.
 */
const KIOSK_HOLE = `\u0000kiosk-of-site:${randomUUID()}:`;
/** A hole as JSON.stringify writes it: `"\u0000kiosk-of-site:<uuid>:<i>"`. */
const KIOSK_HOLE_JSON = new RegExp(
  `${JSON.stringify(KIOSK_HOLE)
    .slice(0, -1)
    .replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}(\\d+)"`,
  'g',
);

/**
 * A JSON text with holes as scheduler_fill takes it: the text is parts[0], then the chosen kiosk of site
 * sites[0] as a JSON string, then parts[1], and so on.
 */
function kioskTemplate(json: string): { parts: string[]; sites: number[] } {
  const pieces = json.split(KIOSK_HOLE_JSON);
  return {
    parts: pieces.filter((_, i) => i % 2 === 0),
    sites: pieces.filter((_, i) => i % 2 === 1).map(Number),
  };
}

/** What scheduler_book answers: the kiosk of each site (booked), or the rows it read (refused). */
const BookAnswerSchema = z.union([
  z.object({ kiosks: z.array(z.string()) }),
  z.object({
    refused: z.literal(true),
    staff: z.array(
      z.object({
        id: z.string(),
        court_id: z.string(),
        role: z.enum(['admin', 'clerk', 'judge']),
        display_name: z.string(),
        disabled_ms: z.number().nullable(),
      }),
    ),
    sites: z.array(
      z.object({
        site_id: z.string(),
        site_name: z.string(),
        kiosk_id: z.string().nullable(),
        kiosk_created_ms: z.number().nullable(),
      }),
    ),
    clashes: z.array(
      z.object({
        resource_key: z.string(),
        hearing_id: z.string(),
        case_number: z.string(),
        start_ms: z.number(),
        end_ms: z.number(),
      }),
    ),
  }),
]);

/**
 * Overlapping booking rows as clashes, by start time. Sorted here rather than in SQL: an ORDER BY over
 * an IN list costs the database a sort step even when, as usual, nothing is found.
 */
function toClashes(
  rows: { resource_key: string; hearing_id: string; case_number: string; start_ms: number; end_ms: number }[],
): Clash[] {
  return rows
    .map((r) => ({
      resourceKey: r.resource_key,
      hearingId: r.hearing_id,
      caseNumber: r.case_number,
      startMs: r.start_ms,
      endMs: r.end_ms,
    }))
    .sort((a, b) => a.startMs - b.startMs);
}

/** One booking row per resource the hearing occupies: its judge, its clerk, one kiosk per site. */
function bookingRows(
  hearing: Pick<HearingRow, 'id' | 'judge_id' | 'clerk_id' | 'start_ms' | 'end_ms'>,
  kioskBySite: Map<string, string>,
): BookingRow[] {
  const keys = [judgeKey(hearing.judge_id), clerkKey(hearing.clerk_id), ...[...kioskBySite.values()].map(kioskKey)];
  return keys.map((resource_key) => ({
    resource_key,
    hearing_id: hearing.id,
    start_ms: hearing.start_ms,
    end_ms: hearing.end_ms,
  }));
}

/** The audit entry of a change. */
function auditEntry(actor: Actor, after: BookedHearing, change: Change): AuditEntry {
  return {
    actor: `user:${actor.userId}`,
    action: `hearing.${change.action}`,
    subject: `hearing:${after.id}`,
    details: {
      caseNumber: after.caseNumber,
      version: after.version,
      startsAt: after.startsAt,
      endsAt: after.endsAt,
      judgeId: after.judgeId,
      clerkId: after.clerkId,
      kiosks: distinct(after.participants.map((p) => p.kioskId)),
      ...(change.before !== null && change.action === 'rescheduled'
        ? { previousStartsAt: change.before.startsAt, previousEndsAt: change.before.endsAt }
        : {}),
      ...(change.reason !== null ? { reason: change.reason } : {}),
    },
  };
}

/**
 * The kiosk candidates of each site from its rows (sites × usable kiosks, in any order): oldest kiosk
 * first, ties by id in code-point order (the C collation's); a site's current kiosk (on reschedule)
 * comes first, so that it is kept when still free.
 */
function siteCandidates(siteIds: string[], rows: SiteKioskRow[], current: Map<string, string>): SiteCandidates[] {
  const sorted = [...rows].sort(
    (a, b) =>
      (a.kiosk_created_ms ?? 0) - (b.kiosk_created_ms ?? 0) ||
      ((a.kiosk_id ?? '') < (b.kiosk_id ?? '') ? -1 : (a.kiosk_id ?? '') > (b.kiosk_id ?? '') ? 1 : 0),
  );
  return siteIds.map((siteId) => {
    const siteRows = sorted.filter((r) => r.site_id === siteId);
    const first = siteRows[0];
    if (!first) throw new NotFoundError(`site ${siteId} does not exist; choose the site from the list`);
    const kioskIds = siteRows.flatMap((r) => (r.kiosk_id === null ? [] : [r.kiosk_id]));
    if (kioskIds.length === 0) {
      throw new BadRequestError(
        `site ${first.site_name} has no enrolled kiosk, so no one can appear there; enroll a kiosk or choose another site`,
      );
    }
    const keep = current.get(siteId);
    const ordered =
      keep !== undefined && kioskIds.includes(keep) ? [keep, ...kioskIds.filter((k) => k !== keep)] : kioskIds;
    return { siteId, siteName: first.site_name, kioskIds: ordered };
  });
}

function historyRow(actor: Actor, after: BookedHearing, change: Change): HearingHistoryRow {
  return {
    id: newRowId(),
    hearing_id: after.id,
    at_ms: change.now,
    actor_id: actor.userId,
    action: change.action,
    reason: change.reason,
    before_json: change.before === null ? null : JSON.stringify(snapshot(change.before)),
    after_json: JSON.stringify(snapshot(after)),
  };
}

function toView(row: HearingRow, participants: HearingParticipantRow[]): BookedHearing {
  return {
    id: row.id,
    caseNumber: row.case_number,
    title: row.title,
    caseType: CaseTypeSchema.parse(row.case_type),
    courtId: row.court_id,
    judgeId: row.judge_id,
    clerkId: row.clerk_id,
    startMs: row.start_ms,
    endMs: row.end_ms,
    startsAt: toShanghaiIso(row.start_ms),
    endsAt: toShanghaiIso(row.end_ms),
    isPublic: row.is_public === 1,
    status: row.status,
    cancelReason: row.cancel_reason,
    version: row.version,
    createdMs: row.created_ms,
    updatedMs: row.updated_ms,
    participants: participants.map(
      (p): BookedParticipant => ({
        id: p.id,
        role: BookedRoleSchema.parse(p.role),
        name: p.name,
        idTail: p.id_tail,
        siteId: p.site_id,
        kioskId: p.kiosk_id,
        position: p.position,
      }),
    ),
  };
}

function toRow(view: BookedHearing): HearingRow {
  return {
    id: view.id,
    case_number: view.caseNumber,
    title: view.title,
    case_type: view.caseType,
    court_id: view.courtId,
    judge_id: view.judgeId,
    clerk_id: view.clerkId,
    start_ms: view.startMs,
    end_ms: view.endMs,
    is_public: view.isPublic ? 1 : 0,
    status: view.status,
    cancel_reason: view.cancelReason,
    spotlight_participant_id: null,
    version: view.version,
    created_ms: view.createdMs,
    updated_ms: view.updatedMs,
  };
}

/** What the history keeps of a hearing: everything but the participants' ID-number tails. */
function snapshot(view: BookedHearing): Record<string, unknown> {
  return {
    ...view,
    participants: view.participants.map(({ idTail: _idTail, ...participant }) => participant),
  };
}

function versionOf(snapshotValue: unknown): number {
  if (typeof snapshotValue === 'object' && snapshotValue !== null && 'version' in snapshotValue) {
    const { version } = snapshotValue;
    if (typeof version === 'number') return version;
  }
  return 0;
}

/** `（2023）浙0185民初1号 (2026-12-03 09:30–10:30), …` */
function describe(clashes: Clash[]): string {
  const unique = new Map(clashes.map((c) => [c.hearingId, c]));
  return [...unique.values()].map((c) => `${c.caseNumber} (${formatShanghaiRange(c.startMs, c.endMs)})`).join(', ');
}

function distinct<T>(values: (T | null)[]): T[] {
  return [...new Set(values.filter((v): v is T => v !== null))];
}

function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const text = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  throw new AppError('BAD_REQUEST', `the ${what} is not valid: ${text}`, { issues });
}

function checkActor(actor: Actor): void {
  if (typeof actor?.userId !== 'string' || actor.userId === '') {
    throw new TypeError('an actor with a userId is required for every change');
  }
}

function checkId(id: string, name: string): void {
  if (typeof id !== 'string' || id === '') throw new TypeError(`${name} must be a non-empty string`);
}

function checkRange(fromMs: number, toMs: number): void {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs <= fromMs) {
    throw new TypeError(`the range must be two epoch-millisecond numbers, from before to (got ${fromMs}, ${toMs})`);
  }
  if (toMs - fromMs > MAX_LIST_RANGE_MS) {
    throw new BadRequestError(`ask for at most ${MAX_LIST_RANGE_MS / DAY_MS} days at a time`);
  }
}
