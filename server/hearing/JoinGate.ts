import { timingSafeEqual } from 'node:crypto';
import type { Principal } from '../../shared/accounts.js';
import { assertCanJoinHearing } from '../auth/authorize.js';
import { LoginRateLimiter } from '../auth/LoginRateLimiter.js';
import { verifyPassword } from '../auth/passwords.js';
import { BadRequestError, ForbiddenError, InvalidStateError } from '../errors.js';
import type { CatalogEntry } from './HearingCatalog.js';

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** What a kiosk typed at check-in: the villager's ID-number tail and the operator's PIN. */
export interface CheckInInput {
  idTail: string;
  operatorPin?: string | undefined;
}

/**
 * Who may take which place in a hearing: a judge or clerk as themselves in a hearing that is theirs;
 * a kiosk for a participant booked at its own site, after the villager's check-in with the last digits
 * of their ID number confirmed by the site operator's PIN (at most 5 wrong tries per participant and
 * kiosk in 15 minutes), or again without one when the participant already checked in at this kiosk.
 */
export class JoinGate {
  readonly #checkIns: LoginRateLimiter;
  readonly #operatorPinHash: (siteId: string) => Promise<string | null>;

  constructor(options: { operatorPinHash: (siteId: string) => Promise<string | null>; now?: () => number }) {
    this.#operatorPinHash = options.operatorPinHash;
    this.#checkIns = new LoginRateLimiter({
      attemptName: 'check-in',
      maxPerAccount: 5,
      maxPerIp: 30,
      ...(options.now ? { now: options.now } : {}),
    });
  }

  /**
   * Refuses with a clear error, or answers the kiosk where the participant checks in now (null for
   * judges, clerks and rejoins).
   * `checkedInAt`: the kiosk the participant is checked in at already, if any.
   */
  async check(
    principal: Principal,
    entry: CatalogEntry,
    participantId: string,
    checkIn: CheckInInput | undefined,
    checkedInAt: string | null,
  ): Promise<{ checkedInAt: string | null }> {
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
      return { checkedInAt: null };
    }
    const booked = booking.participants.find((p) => p.id === participantId);
    if (!booked || booked.siteId !== principal.siteId) {
      throw new ForbiddenError("this participant does not appear at this kiosk's site");
    }
    if (!checkIn) {
      if (checkedInAt === principal.kioskId) return { checkedInAt: null };
      throw new BadRequestError('check in first: enter the last digits of the ID number');
    }
    const pinHash = await this.#operatorPinHash(principal.siteId);
    if (pinHash === null) {
      throw new InvalidStateError(
        'this site has no operator PIN yet, so no one can check in; the administrator sets it in the site list',
      );
    }
    if (!checkIn.operatorPin) throw new BadRequestError('the site operator confirms the check-in with their PIN');
    const keys = { account: `${principal.kioskId}:${participantId}`, ip: principal.kioskId };
    this.#checkIns.consume(keys);
    if (!sameText(checkIn.idTail.trim().toUpperCase(), booked.idTail)) {
      throw new ForbiddenError('the ID-number digits do not match the booking; check them with the site operator');
    }
    if (!(await verifyPassword(pinHash, checkIn.operatorPin))) {
      throw new ForbiddenError('the operator PIN is wrong; the operator enters it again');
    }
    this.#checkIns.succeeded(keys);
    return { checkedInAt: principal.kioskId };
  }
}
