import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Principal } from '../../shared/accounts.js';
import { type Alert, type AlertKind, type ConsoleHearing, ConsoleSchema, SELFTEST_MAX_KB } from '../../shared/floor.js';
import { IdSchema } from '../../shared/hearing.js';
import { shanghaiDayStart, toShanghaiIso } from '../../shared/scheduling.js';
import { appendAudit } from '../audit/AuditLog.js';
import { requireUser } from '../auth/authorize.js';
import type { DialectName } from '../db/Database.js';
import type { DB } from '../db/schema.js';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors.js';
import { type AnyRoute, defineRoute } from '../http/Routes.js';
import type { FloorService } from './Floor.js';
import type { HearingCatalog } from './HearingCatalog.js';

const DAY_MS = 24 * 3_600_000;
/** Random bytes served by the self-test download (incompressible, generated once). */
const PROBE = randomBytes(SELFTEST_MAX_KB * 1024);

interface HearingRoutesOptions {
  db: Kysely<DB>;
  dialect: DialectName;
  floors: FloorService;
  catalog: HearingCatalog;
  now?: () => number;
}

/** The clerk's live console and the kiosk's network self-test. */
export function hearingRoutes(options: HearingRoutesOptions): AnyRoute<Principal>[] {
  const { db, floors, catalog } = options;
  const now = options.now ?? Date.now;

  const consoleOf = async (courtId: string): Promise<z.infer<typeof ConsoleSchema>> => {
    const dayStart = shanghaiDayStart(now());
    const entries = await catalog.forCourt(courtId, dayStart, dayStart + DAY_MS);
    const hearings: ConsoleHearing[] = [];
    const names = new Map<string, { caseNumber: string; people: Map<string, string> }>();
    for (const entry of entries) {
      const id = entry.booking.id;
      const floor = await floors.floor(entry);
      const judge = entry.hearing.participants.find((p) => p.role === 'judge');
      hearings.push({
        hearingId: id,
        caseNumber: entry.hearing.caseNumber,
        title: entry.hearing.title,
        startsAt: entry.hearing.startsAt,
        endsAt: entry.hearing.endsAt,
        judgeId: entry.booking.judgeId,
        judgeName: judge?.name ?? '',
        participants: entry.hearing.participants.map((p) => ({
          id: p.id,
          name: p.name,
          role: p.role,
          site: p.site?.name ?? null,
        })),
        floor: floor.snapshot(),
      });
      names.set(id, {
        caseNumber: entry.hearing.caseNumber,
        people: new Map(entry.hearing.participants.map((p) => [p.id, p.name])),
      });
    }
    const ids = [...names.keys()];
    const alertRows =
      ids.length === 0
        ? []
        : await db
            .selectFrom('alerts')
            .leftJoin('users', 'users.id', 'alerts.acked_by')
            .select([
              'alerts.id',
              'alerts.hearing_id',
              'alerts.participant_id',
              'alerts.kind',
              'alerts.raised_ms',
              'alerts.acked_ms',
              'users.display_name as acked_by_name',
            ])
            .where('alerts.hearing_id', 'in', ids)
            .where('alerts.raised_ms', '>=', dayStart)
            .orderBy('alerts.raised_ms', 'desc')
            .limit(500)
            .execute();
    const alerts: Alert[] = alertRows.map((a) => ({
      id: a.id,
      hearingId: a.hearing_id,
      caseNumber: names.get(a.hearing_id)?.caseNumber ?? '',
      participantId: a.participant_id,
      participantName: names.get(a.hearing_id)?.people.get(a.participant_id) ?? '',
      kind: a.kind as AlertKind,
      raisedAt: toShanghaiIso(a.raised_ms),
      ackedAt: a.acked_ms === null ? null : toShanghaiIso(a.acked_ms),
      ackedBy: a.acked_by_name ?? null,
    }));
    // Unacknowledged first (newest first within each group).
    alerts.sort((a, b) => Number(a.ackedAt !== null) - Number(b.ackedAt !== null));
    return { hearings, alerts };
  };

  return [
    defineRoute({
      method: 'GET',
      url: '/api/console',
      summary: "Today's hearings of the clerk's court, live: every participant's state and connection, and alerts",
      tag: 'hearing room',
      auth: 'user',
      response: ConsoleSchema,
      handler: async ({ principal }) => {
        const caller = requireUser(principal);
        if (caller.role !== 'clerk' && caller.role !== 'judge') {
          throw new ForbiddenError('the live console is for the clerks and judges of a court');
        }
        return consoleOf(caller.courtId);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/console/alerts/:alertId/ack',
      summary: 'Acknowledge an alert (clerks and judges of the hearing’s court)',
      tag: 'hearing room',
      auth: 'user',
      params: z.object({ alertId: IdSchema }),
      response: z.object({}),
      handler: async ({ principal, params }) => {
        const caller = requireUser(principal);
        const alert = await db
          .selectFrom('alerts')
          .innerJoin('hearings', 'hearings.id', 'alerts.hearing_id')
          .select(['alerts.id', 'alerts.kind', 'alerts.hearing_id', 'alerts.acked_ms', 'hearings.court_id'])
          .where('alerts.id', '=', params.alertId)
          .executeTakeFirst();
        if (!alert) throw new NotFoundError(`no alert ${params.alertId}`);
        if ((caller.role !== 'clerk' && caller.role !== 'judge') || caller.courtId !== alert.court_id) {
          throw new ForbiddenError('alerts are acknowledged by the clerks and judges of the hearing’s court');
        }
        if (alert.acked_ms !== null) return {};
        const at = now();
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable('alerts')
            .set({ acked_ms: at, acked_by: caller.userId })
            .where('id', '=', alert.id)
            .where('acked_ms', 'is', null)
            .execute();
          await appendAudit(
            trx,
            options.dialect,
            {
              actor: `user:${caller.userId}`,
              action: 'alert.acknowledged',
              subject: `hearing:${alert.hearing_id}`,
              details: { alertId: alert.id, kind: alert.kind },
            },
            at,
          );
        });
        return {};
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/selftest/download',
      summary: 'Network self-test: `kb` KiB of random bytes (0 for a round trip)',
      tag: 'hearing room',
      auth: 'user-or-kiosk',
      query: z.object({ kb: z.coerce.number().int().min(0).max(SELFTEST_MAX_KB) }),
      response: z.any(),
      handler: async ({ query, reply }) => {
        reply.header('content-type', 'application/octet-stream').header('cache-control', 'no-store');
        return PROBE.subarray(0, query.kb * 1024);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/selftest/upload',
      summary: 'Network self-test: accepts raw bytes and answers how many arrived',
      tag: 'hearing room',
      auth: 'user-or-kiosk',
      body: z.unknown(),
      response: z.object({ bytes: z.number().int() }),
      handler: async ({ body }) => {
        if (!Buffer.isBuffer(body)) throw new BadRequestError('send the bytes as application/octet-stream');
        return { bytes: body.length };
      },
    }),
  ];
}
