import { z } from 'zod';
import {
  CourtSummarySchema,
  CreateUserInputSchema,
  KioskSummarySchema,
  type Principal,
  PrincipalSchema,
  RegisterCourtInputSchema,
  RegisterKioskInputSchema,
  RegisterSiteInputSchema,
  SetOperatorPinInputSchema,
  SiteSummarySchema,
  UserRoleSchema,
  UserSummarySchema,
} from '../../shared/accounts.js';
import { IdSchema } from '../../shared/hearing.js';
import { ForbiddenError } from '../errors.js';
import { type AnyRoute, defineRoute } from '../http/Routes.js';
import type { AccountService } from './AccountService.js';
import { assertAdmin, requireUser } from './authorize.js';

const KioskIdParams = z.object({ kioskId: IdSchema });
const UserIdParams = z.object({ userId: IdSchema });
const IssuedCodeSchema = z.object({
  kiosk: KioskSummarySchema,
  enrollmentCode: z.string(),
  enrollmentExpiresMs: z.number().int(),
});
/** Bodies are parsed by the account service itself (it names the field that is wrong). */
const AnyBody = z.unknown();

/** Sign-in, kiosk enrollment, and the administrator's registries of courts, sites, kiosks and users. */
export function accountRoutes(accounts: AccountService): AnyRoute<Principal>[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/auth/login',
      summary: 'Sign in with username and password; answers a session token',
      tag: 'auth',
      auth: 'public',
      body: z.object({ username: z.string().max(64), password: z.string().max(256) }),
      response: z.object({
        token: z.string(),
        expiresMs: z.number().int(),
        principal: PrincipalSchema,
        user: UserSummarySchema,
      }),
      handler: ({ body, request }) => accounts.login({ ...body, ip: request.ip }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/auth/me',
      summary: 'Who the caller is (user session or kiosk credential)',
      tag: 'auth',
      auth: 'user-or-kiosk',
      response: z.object({ principal: PrincipalSchema }),
      handler: async ({ principal }) => ({ principal: PrincipalSchema.parse(principal) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/kiosk/enroll',
      summary: 'Redeem a one-time enrollment code; answers the device credential, once',
      tag: 'kiosks',
      auth: 'public',
      body: z.object({ code: z.string().max(64) }),
      response: z.object({ kioskId: IdSchema, siteId: IdSchema, credential: z.string() }),
      status: 201,
      handler: ({ body, request }) => accounts.enrollKiosk({ code: body.code, ip: request.ip }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/kiosk/operator-pin/verify',
      summary: "Check the operator PIN of the kiosk's site (the kiosk shell's operator actions); audited, rate-limited",
      tag: 'kiosks',
      auth: 'kiosk',
      body: AnyBody,
      documentedBody: SetOperatorPinInputSchema,
      response: z.object({ valid: z.boolean() }),
      handler: ({ principal, body, request }) => accounts.verifyOperatorPin(principal, body, request.ip),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/courts',
      summary: 'All courts',
      tag: 'registry',
      auth: 'user',
      response: z.object({ courts: z.array(CourtSummarySchema) }),
      handler: async () => ({ courts: await accounts.listCourts() }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/courts',
      summary: 'Register a court (administrators)',
      tag: 'registry',
      auth: 'user',
      body: AnyBody,
      documentedBody: RegisterCourtInputSchema,
      response: CourtSummarySchema,
      status: 201,
      handler: ({ principal, body }) => accounts.registerCourt(requireUser(principal), body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/sites',
      summary: 'Shared-court sites of every county (clerks book any of them)',
      tag: 'registry',
      auth: 'user',
      query: z.object({ county: z.string().max(64).optional() }),
      response: z.object({ sites: z.array(SiteSummarySchema) }),
      handler: async ({ query }) => ({ sites: await accounts.listSites(query.county ? { county: query.county } : {}) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/sites',
      summary: 'Register a shared-court site (administrators)',
      tag: 'registry',
      auth: 'user',
      body: AnyBody,
      documentedBody: RegisterSiteInputSchema,
      response: SiteSummarySchema,
      status: 201,
      handler: ({ principal, body }) => accounts.registerSite(requireUser(principal), body),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/sites/:siteId/operator-pin',
      summary: "Set the site operator's check-in PIN (administrators)",
      tag: 'registry',
      auth: 'user',
      params: z.object({ siteId: z.string() }),
      body: AnyBody,
      documentedBody: SetOperatorPinInputSchema,
      response: SiteSummarySchema,
      handler: ({ principal, params, body }) => accounts.setOperatorPin(requireUser(principal), params.siteId, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/kiosks',
      summary: 'Kiosks and their enrollment state (administrators and clerks)',
      tag: 'registry',
      auth: 'user',
      query: z.object({ siteId: IdSchema.optional() }),
      response: z.object({ kiosks: z.array(KioskSummarySchema) }),
      handler: async ({ principal, query }) => {
        if (requireUser(principal).role === 'judge')
          throw new ForbiddenError('kiosk lists are for administrators and clerks');
        return { kiosks: await accounts.listKiosks(query.siteId) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/kiosks',
      summary: 'Register a kiosk at a site; answers its one-time enrollment code (administrators)',
      tag: 'registry',
      auth: 'user',
      body: AnyBody,
      documentedBody: RegisterKioskInputSchema,
      response: IssuedCodeSchema,
      status: 201,
      handler: ({ principal, body }) => accounts.registerKiosk(requireUser(principal), body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/kiosks/:kioskId/enrollment-code',
      summary: 'Issue a new enrollment code to re-provision a kiosk (administrators)',
      tag: 'registry',
      auth: 'user',
      params: KioskIdParams,
      response: IssuedCodeSchema,
      handler: ({ principal, params }) => accounts.regenerateEnrollmentCode(requireUser(principal), params.kioskId),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/kiosks/:kioskId/revoke',
      summary: "Revoke a kiosk's device credential (administrators)",
      tag: 'registry',
      auth: 'user',
      params: KioskIdParams,
      response: KioskSummarySchema,
      handler: ({ principal, params }) => accounts.revokeKiosk(requireUser(principal), params.kioskId),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/users',
      summary: 'Accounts (administrators: all; clerks: their court, to pick the judge)',
      tag: 'registry',
      auth: 'user',
      query: z.object({ courtId: IdSchema.optional(), role: UserRoleSchema.optional() }),
      response: z.object({ users: z.array(UserSummarySchema) }),
      handler: async ({ principal, query }) => {
        const caller = requireUser(principal);
        if (caller.role === 'judge') throw new ForbiddenError('account lists are for administrators and clerks');
        const courtId = caller.role === 'admin' ? query.courtId : caller.courtId;
        if (caller.role === 'clerk' && query.courtId && query.courtId !== caller.courtId) {
          throw new ForbiddenError('clerks see the accounts of their own court only');
        }
        return {
          users: await accounts.listUsers({
            ...(courtId ? { courtId } : {}),
            ...(query.role ? { role: query.role } : {}),
          }),
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/users',
      summary: 'Create an account bound to a court (administrators)',
      tag: 'registry',
      auth: 'user',
      body: AnyBody,
      documentedBody: CreateUserInputSchema,
      response: UserSummarySchema,
      status: 201,
      handler: ({ principal, body }) => accounts.createUser(requireUser(principal), body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/users/:userId/disable',
      summary: 'Disable an account; its sessions end at once (administrators)',
      tag: 'registry',
      auth: 'user',
      params: UserIdParams,
      response: UserSummarySchema,
      handler: async ({ principal, params }) => {
        assertAdmin(requireUser(principal));
        return accounts.disableUser(requireUser(principal), params.userId);
      },
    }),
  ];
}
