import type { Principal, UserPrincipal } from '../../shared/accounts.js';
import { assertUnreachable } from '../../shared/errors.js';
import { ForbiddenError } from '../errors.js';

/*
 * The ownership rules every route applies after authentication, as pure functions of the principal
 * and the thing asked for, so each rule is written (and tested) once. `can…` answers; `assert…`
 * throws FORBIDDEN with a message the caller can act on.
 */

/** What the rules need to know about a hearing. */
export interface HearingAccess {
  courtId: string;
  judgeId: string;
  clerkId: string;
  /** Where each participant appears: a shared-court site, or null when at the court. */
  participants: ReadonlyArray<{ siteId: string | null }>;
}

/** The signed-in user behind a request, or FORBIDDEN for a kiosk (or nobody). */
export function requireUser(principal: Principal | null): UserPrincipal {
  if (principal?.kind !== 'user') throw new ForbiddenError('sign in as a user');
  return principal;
}

export function isAdmin(principal: Principal): boolean {
  return principal.kind === 'user' && principal.role === 'admin';
}

export function assertAdmin(principal: Principal): void {
  if (!isAdmin(principal)) {
    throw new ForbiddenError('only an administrator may do this; ask your court administrator');
  }
}

/** Scheduling, changing and cancelling hearings: the clerks of the court that owns them. */
export function canManageHearingsOfCourt(principal: Principal, courtId: string): boolean {
  return principal.kind === 'user' && principal.role === 'clerk' && principal.courtId === courtId;
}

export function assertCanManageHearingsOfCourt(principal: Principal, courtId: string): void {
  if (!canManageHearingsOfCourt(principal, courtId)) {
    throw new ForbiddenError("only a clerk of the hearing's court may manage its hearings");
  }
}

/**
 * Joining a hearing: the judge assigned to it; a clerk of its court (clerks stand in for one another
 * on the day); a kiosk only when one of the hearing's participants appears at the kiosk's site.
 * Administrators register things; they do not take part in hearings.
 */
export function canJoinHearing(principal: Principal, hearing: HearingAccess): boolean {
  switch (principal.kind) {
    case 'kiosk':
      return hearing.participants.some((participant) => participant.siteId === principal.siteId);
    case 'user':
      switch (principal.role) {
        case 'judge':
          return principal.userId === hearing.judgeId;
        case 'clerk':
          return principal.courtId === hearing.courtId;
        case 'admin':
          return false;
        default:
          return assertUnreachable(principal.role);
      }
    default:
      return assertUnreachable(principal);
  }
}

export function assertCanJoinHearing(principal: Principal, hearing: HearingAccess): void {
  if (canJoinHearing(principal, hearing)) return;
  const reason =
    principal.kind === 'kiosk'
      ? "no participant of this hearing appears at this kiosk's site"
      : principal.role === 'judge'
        ? 'it is assigned to another judge'
        : principal.role === 'clerk'
          ? 'it belongs to another court'
          : 'administrators do not take part in hearings';
  throw new ForbiddenError(`you may not join this hearing: ${reason}`);
}

/** A site's hearing list (today's hearings on the kiosk screen): the kiosks of that site only. */
export function canSeeSiteHearings(principal: Principal, siteId: string): boolean {
  return principal.kind === 'kiosk' && principal.siteId === siteId;
}

export function assertCanSeeSiteHearings(principal: Principal, siteId: string): void {
  if (!canSeeSiteHearings(principal, siteId)) {
    throw new ForbiddenError('a kiosk may see only the hearings of its own site');
  }
}
