import { timingSafeEqual } from 'node:crypto';
import type { Principal } from '../../shared/accounts.js';
import { assertCanJoinHearing } from '../auth/authorize.js';
import { LoginRateLimiter } from '../auth/LoginRateLimiter.js';
import { BadRequestError, ForbiddenError, InvalidStateError } from '../errors.js';
import type { CatalogEntry } from './HearingCatalog.js';

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Who may take which place in a hearing: a judge or clerk as themselves in a hearing that is theirs;
 * a kiosk for a participant booked at its own site, after the villager's check-in with the last digits
 * of their ID number (at most 5 wrong tries per participant and kiosk in 15 minutes).
 */
export class JoinGate {
  readonly #checkIns: LoginRateLimiter;

  constructor(options: { now?: () => number } = {}) {
    this.#checkIns = new LoginRateLimiter({
      attemptName: 'check-in',
      maxPerAccount: 5,
      maxPerIp: 30,
      ...(options.now ? { now: options.now } : {}),
    });
  }

  check(principal: Principal, entry: CatalogEntry, participantId: string, idTail: string | undefined): void {
    const { booking } = entry;
    if (booking.status === 'cancelled') {
      throw new InvalidStateError(`this hearing was cancelled (${booking.cancelReason ?? 'no reason given'})`);
    }
    assertCanJoinHearing(principal, booking);
    if (principal.kind === 'user') {
      if (participantId !== principal.userId) throw new ForbiddenError('you can only take your own place');
      if (principal.role === 'clerk' && booking.clerkId !== principal.userId) {
        throw new ForbiddenError('only the clerk booked for this hearing takes part in it');
      }
      return;
    }
    const booked = booking.participants.find((p) => p.id === participantId);
    if (!booked || booked.siteId !== principal.siteId) {
      throw new ForbiddenError("this participant does not appear at this kiosk's site");
    }
    if (!idTail) throw new BadRequestError('check in first: enter the last digits of the ID number');
    const keys = { account: `${principal.kioskId}:${participantId}`, ip: principal.kioskId };
    this.#checkIns.consume(keys);
    if (!sameText(idTail.trim().toUpperCase(), booked.idTail)) {
      throw new ForbiddenError('the ID-number digits do not match the booking; check them with the site operator');
    }
    this.#checkIns.succeeded(keys);
  }
}
