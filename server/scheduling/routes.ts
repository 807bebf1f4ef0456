import ical, { ICalEventStatus } from 'ical-generator';
import { z } from 'zod';
import type { Principal } from '../../shared/accounts.js';
import {
  BookedHearingSchema,
  HistoryEntrySchema,
  ResourceBookingSchema,
  SiteHearingSchema,
  TimeRangeQuerySchema,
} from '../../shared/api.js';
import { IdSchema } from '../../shared/hearing.js';
import { BookHearingInputSchema, CancelInputSchema, RescheduleInputSchema } from '../../shared/scheduling.js';
import type { AccountService } from '../auth/AccountService.js';
import {
  assertCanJoinHearing,
  assertCanManageHearingsOfCourt,
  assertCanSeeSiteHearings,
  requireUser,
} from '../auth/authorize.js';
import { BadRequestError, ForbiddenError } from '../errors.js';
import { type AnyRoute, defineRoute } from '../http/Routes.js';
import type { HearingScheduler } from './HearingScheduler.js';

const HearingParams = z.object({ hearingId: IdSchema });
const DAY_MS = 86_400_000;
/** What a judge's calendar feed covers: the last 30 days and the next 60 (the scheduler lists 92 days at most). */
const ICAL_PAST_MS = 30 * DAY_MS;
const ICAL_FUTURE_MS = 60 * DAY_MS;
const CourtParams = z.object({ courtId: IdSchema });
const AvailabilityQuery = TimeRangeQuerySchema.extend({
  judgeId: IdSchema.optional(),
  clerkId: IdSchema.optional(),
  /** Comma-separated site ids. */
  siteIds: z
    .string()
    .max(2000)
    .optional()
    .transform((v) => (v ? v.split(',').filter(Boolean) : [])),
});
/** The scheduler parses bookings itself and names the field that is wrong. */
const Unparsed = z.unknown();

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadRequestError(`invalid request: body.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function courtIdOf(body: unknown): string {
  const parsed = z.object({ courtId: IdSchema }).safeParse(body);
  if (!parsed.success) throw new BadRequestError('invalid request: body.courtId: the court of the hearing is required');
  return parsed.data.courtId;
}

/** Booking, rescheduling and cancelling hearings; agendas of judges, courts and kiosks; iCal feeds. */
export function schedulingRoutes(scheduler: HearingScheduler, accounts: AccountService): AnyRoute<Principal>[] {
  /** The hearing, if the caller is its judge or a clerk of its court. */
  const staffHearing = async (principal: Principal | null, hearingId: string) => {
    const caller = requireUser(principal);
    const hearing = await scheduler.get(hearingId);
    if (caller.role === 'admin') throw new ForbiddenError('administrators do not see hearing details');
    assertCanJoinHearing(caller, hearing);
    return { caller, hearing };
  };

  return [
    defineRoute({
      method: 'POST',
      url: '/api/hearings',
      summary: 'Book a hearing (clerks of its court); CONFLICT names the clashing hearings',
      tag: 'hearings',
      auth: 'user',
      body: Unparsed,
      documentedBody: BookHearingInputSchema,
      response: BookedHearingSchema,
      status: 201,
      handler: async ({ principal, body }) => {
        const caller = requireUser(principal);
        assertCanManageHearingsOfCourt(caller, courtIdOf(body));
        return scheduler.book({ userId: caller.userId }, body);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/hearings/:hearingId',
      summary: 'A hearing with its participants (its judge, clerks of its court)',
      tag: 'hearings',
      auth: 'user',
      params: HearingParams,
      response: BookedHearingSchema,
      handler: async ({ principal, params }) => (await staffHearing(principal, params.hearingId)).hearing,
    }),
    defineRoute({
      method: 'POST',
      url: '/api/hearings/:hearingId/reschedule',
      summary: 'Move a hearing (clerks of its court); conflicts are checked again',
      tag: 'hearings',
      auth: 'user',
      params: HearingParams,
      body: Unparsed,
      documentedBody: RescheduleInputSchema,
      response: BookedHearingSchema,
      handler: async ({ principal, params, body }) => {
        const caller = requireUser(principal);
        assertCanManageHearingsOfCourt(caller, (await scheduler.get(params.hearingId)).courtId);
        return scheduler.reschedule({ userId: caller.userId }, params.hearingId, body);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/hearings/:hearingId/cancel',
      summary: 'Cancel a hearing with a reason (clerks of its court); its slots become free',
      tag: 'hearings',
      auth: 'user',
      params: HearingParams,
      // Parsed after the ownership check: a stranger learns nothing from the body's validation.
      body: Unparsed,
      documentedBody: CancelInputSchema,
      response: BookedHearingSchema,
      handler: async ({ principal, params, body }) => {
        const caller = requireUser(principal);
        assertCanManageHearingsOfCourt(caller, (await scheduler.get(params.hearingId)).courtId);
        const { reason } = parseBody(CancelInputSchema, body);
        return scheduler.cancel({ userId: caller.userId }, params.hearingId, reason);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/hearings/:hearingId/history',
      summary: "A hearing's changes with before and after (its judge, clerks of its court)",
      tag: 'hearings',
      auth: 'user',
      params: HearingParams,
      response: z.object({ history: z.array(HistoryEntrySchema) }),
      handler: async ({ principal, params }) => {
        await staffHearing(principal, params.hearingId);
        return { history: await scheduler.history(params.hearingId) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/courts/:courtId/hearings',
      summary: "The court's hearings in a time window (its clerks and judges): the day and week views",
      tag: 'hearings',
      auth: 'user',
      params: CourtParams,
      query: TimeRangeQuerySchema,
      response: z.object({ hearings: z.array(BookedHearingSchema) }),
      handler: async ({ principal, params, query }) => {
        const caller = requireUser(principal);
        if (caller.role === 'admin' || caller.courtId !== params.courtId) {
          throw new ForbiddenError("only the court's own clerks and judges see its hearings");
        }
        return { hearings: await scheduler.listForCourt(params.courtId, query.from, query.to) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/availability',
      summary: "Existing bookings of a judge, a clerk and sites' kiosks, for the clerk's live conflict view",
      tag: 'hearings',
      auth: 'user',
      query: AvailabilityQuery,
      response: z.object({ bookings: z.array(ResourceBookingSchema) }),
      handler: async ({ principal, query }) => {
        if (requireUser(principal).role !== 'clerk')
          throw new ForbiddenError('availability is for clerks booking hearings');
        const bookings = await scheduler.availability(
          {
            ...(query.judgeId ? { judgeId: query.judgeId } : {}),
            ...(query.clerkId ? { clerkId: query.clerkId } : {}),
            siteIds: query.siteIds,
          },
          query.from,
          query.to,
        );
        return { bookings };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/me/agenda',
      summary: "The signed-in judge's hearings today and in the coming week",
      tag: 'hearings',
      auth: 'user',
      response: z.object({ hearings: z.array(BookedHearingSchema) }),
      handler: async ({ principal }) => {
        const caller = requireUser(principal);
        if (caller.role !== 'judge') throw new ForbiddenError('the agenda is for judges');
        return { hearings: await scheduler.agendaForJudge(caller.userId) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/me/ical',
      summary: "The signed-in judge's private iCal feed address",
      tag: 'hearings',
      auth: 'user',
      response: z.object({ path: z.string() }),
      handler: async ({ principal }) => {
        const caller = requireUser(principal);
        if (caller.role !== 'judge') throw new ForbiddenError('iCal feeds are for judges');
        return { path: `/api/ical/${await accounts.icalToken(caller, caller.userId)}.ics` };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/ical/:file',
      summary: "A judge's hearings as an iCal feed; the file name is the judge's private token + .ics",
      tag: 'hearings',
      auth: 'public',
      params: z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{43}\.ics$/, 'not an iCal feed address') }),
      response: z.string(),
      handler: async ({ params, reply }) => {
        const judge = await accounts.userByIcalToken(params.file.slice(0, -'.ics'.length));
        const now = Date.now();
        const hearings = await scheduler.listForJudge(judge.id, now - ICAL_PAST_MS, now + ICAL_FUTURE_MS, {
          includeCancelled: true,
        });
        // Times are written in UTC (…Z); calendar apps show them in their own zone.
        const calendar = ical({ name: `${judge.displayName} · 庭审安排`, ttl: 15 * 60 });
        for (const hearing of hearings) {
          calendar.createEvent({
            id: hearing.id,
            sequence: hearing.version,
            start: new Date(hearing.startMs),
            end: new Date(hearing.endMs),
            summary: `${hearing.status === 'cancelled' ? '【已取消】' : ''}${hearing.caseNumber} ${hearing.title}`,
            description: hearing.participants.map((p) => `${p.role}: ${p.name}`).join('\n'),
            status: hearing.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
          });
        }
        reply.type('text/calendar; charset=utf-8');
        return calendar.toString();
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/kiosk/hearings/today',
      summary: "Today's hearings at the kiosk's own site (kiosks)",
      tag: 'kiosks',
      auth: 'kiosk',
      response: z.object({
        /** The kiosk's own site, for its welcome screen. */
        site: z.object({ id: z.string(), name: z.string(), county: z.string() }),
        hearings: z.array(SiteHearingSchema),
      }),
      handler: async ({ principal }) => {
        if (principal?.kind !== 'kiosk') throw new ForbiddenError('only a kiosk may ask for this');
        assertCanSeeSiteHearings(principal, principal.siteId);
        const site = await accounts.site(principal.siteId);
        return {
          site: { id: site.id, name: site.name, county: site.county },
          hearings: await scheduler.todayForSite(principal.siteId),
        };
      },
    }),
  ];
}
