import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../shared/accounts.js';
import type { AccountService } from '../auth/AccountService.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { Authenticator, AuthRequirement } from './Routes.js';

/** How a request carries its credentials. */
export const USER_SCHEME = 'Bearer';
export const KIOSK_SCHEME = 'Kiosk';

/** Reads `Authorization: <scheme> <secret>`; the scheme names who is calling. */
export function parseAuthorization(header: string | undefined): { scheme: string; secret: string } | null {
  const match = /^([A-Za-z]+) ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(header ?? '');
  if (!match?.[1] || !match[2]) return null;
  return { scheme: match[1], secret: match[2] };
}

/**
 * Users sign in and send `Authorization: Bearer <session token>`; enrolled kiosks send
 * `Authorization: Kiosk <device credential>`. The account service checks both against the database
 * on every request, so a disabled account or a revoked kiosk is refused at once.
 */
export function createAuthenticator(accounts: AccountService): Authenticator<Principal> {
  return {
    async authenticate(request: FastifyRequest, requirement: Exclude<AuthRequirement, 'public'>): Promise<Principal> {
      const credentials = parseAuthorization(request.headers.authorization);
      if (!credentials) {
        throw new UnauthorizedError(
          requirement === 'kiosk' ? 'this kiosk is not enrolled; enroll it first' : 'sign in first',
        );
      }
      const kind = credentials.scheme === KIOSK_SCHEME ? 'kiosk' : credentials.scheme === USER_SCHEME ? 'user' : null;
      if (kind === null) throw new UnauthorizedError(`unknown authorization scheme ${credentials.scheme}`);
      if (requirement !== 'user-or-kiosk' && requirement !== kind) {
        throw new ForbiddenError(requirement === 'kiosk' ? 'only a kiosk may ask for this' : 'sign in as a user');
      }
      return kind === 'kiosk'
        ? accounts.authenticateKiosk(credentials.secret)
        : accounts.authenticateSession(credentials.secret);
    },
  };
}
