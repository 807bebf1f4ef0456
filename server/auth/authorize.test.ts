import { describe, expect, it } from 'vitest';
import type { Principal } from '../../shared/accounts.js';
import {
  assertAdmin,
  assertCanJoinHearing,
  assertCanManageHearingsOfCourt,
  assertCanSeeSiteHearings,
  canJoinHearing,
  canManageHearingsOfCourt,
  canSeeSiteHearings,
  type HearingAccess,
  isAdmin,
} from './authorize.js';

const admin: Principal = { kind: 'user', userId: 'admin-1', courtId: 'linan', role: 'admin' };
const judge: Principal = { kind: 'user', userId: 'judge-1', courtId: 'linan', role: 'judge' };
const otherJudge: Principal = { kind: 'user', userId: 'judge-2', courtId: 'linan', role: 'judge' };
const clerk: Principal = { kind: 'user', userId: 'clerk-1', courtId: 'linan', role: 'clerk' };
const otherCourtClerk: Principal = { kind: 'user', userId: 'clerk-9', courtId: 'qingyuan', role: 'clerk' };
const qingyuanKiosk: Principal = { kind: 'kiosk', kioskId: 'kiosk-1', siteId: 'site-qingyuan-x' };
const otherKiosk: Principal = { kind: 'kiosk', kioskId: 'kiosk-2', siteId: 'site-elsewhere' };

/** The tenancy dispute: Lin'an judge, plaintiff at the Qingyuan village site, defendant in Lin'an. */
const hearing: HearingAccess = {
  courtId: 'linan',
  judgeId: 'judge-1',
  clerkId: 'clerk-1',
  participants: [{ siteId: null }, { siteId: 'site-qingyuan-x' }, { siteId: 'site-linan-y' }],
};

function forbidden(fn: () => void): { code: string; message: string } | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
      return { code: error.code, message: error.message };
    }
    throw error;
  }
}

describe('authorize', () => {
  it('administrators are administrators; nobody else is', () => {
    expect([admin, judge, clerk, qingyuanKiosk].map(isAdmin)).toEqual([true, false, false, false]);
    expect(forbidden(() => assertAdmin(admin))).toBeUndefined();
    expect(forbidden(() => assertAdmin(clerk))).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/administrator/),
    });
    expect(forbidden(() => assertAdmin(qingyuanKiosk))?.code).toBe('FORBIDDEN');
  });

  it("a clerk manages the hearings of their own court, and no one else's", () => {
    expect(canManageHearingsOfCourt(clerk, 'linan')).toBe(true);
    expect(canManageHearingsOfCourt(clerk, 'qingyuan')).toBe(false);
    expect(canManageHearingsOfCourt(otherCourtClerk, 'linan')).toBe(false);
    expect(canManageHearingsOfCourt(judge, 'linan')).toBe(false);
    expect(canManageHearingsOfCourt(admin, 'linan')).toBe(false);
    expect(canManageHearingsOfCourt(qingyuanKiosk, 'linan')).toBe(false);
    expect(forbidden(() => assertCanManageHearingsOfCourt(otherCourtClerk, 'linan'))).toMatchObject({
      code: 'FORBIDDEN',
      message: "only a clerk of the hearing's court may manage its hearings",
    });
  });

  it('a judge joins only their own hearing; a clerk any hearing of their court', () => {
    expect(canJoinHearing(judge, hearing)).toBe(true);
    expect(canJoinHearing(otherJudge, hearing)).toBe(false);
    expect(canJoinHearing(clerk, hearing)).toBe(true);
    expect(canJoinHearing(otherCourtClerk, hearing)).toBe(false);
    expect(canJoinHearing(admin, hearing)).toBe(false);
    expect(forbidden(() => assertCanJoinHearing(otherJudge, hearing))?.message).toBe(
      'you may not join this hearing: it is assigned to another judge',
    );
    expect(forbidden(() => assertCanJoinHearing(otherCourtClerk, hearing))?.message).toMatch(/another court/);
    expect(forbidden(() => assertCanJoinHearing(admin, hearing))?.message).toMatch(/administrators do not take part/);
    expect(forbidden(() => assertCanJoinHearing(judge, hearing))).toBeUndefined();
  });

  it('a kiosk joins only a hearing with a participant at its own site', () => {
    expect(canJoinHearing(qingyuanKiosk, hearing)).toBe(true);
    expect(canJoinHearing(otherKiosk, hearing)).toBe(false);
    expect(canJoinHearing(qingyuanKiosk, { ...hearing, participants: [{ siteId: null }] })).toBe(false);
    expect(forbidden(() => assertCanJoinHearing(otherKiosk, hearing))).toMatchObject({
      code: 'FORBIDDEN',
      message: "you may not join this hearing: no participant of this hearing appears at this kiosk's site",
    });
  });

  it("a kiosk sees only its own site's hearings; users do not use the site list", () => {
    expect(canSeeSiteHearings(qingyuanKiosk, 'site-qingyuan-x')).toBe(true);
    expect(canSeeSiteHearings(qingyuanKiosk, 'site-linan-y')).toBe(false);
    expect(canSeeSiteHearings(otherKiosk, 'site-qingyuan-x')).toBe(false);
    expect(canSeeSiteHearings(clerk, 'site-qingyuan-x')).toBe(false);
    expect(forbidden(() => assertCanSeeSiteHearings(otherKiosk, 'site-qingyuan-x'))).toMatchObject({
      code: 'FORBIDDEN',
      message: 'a kiosk may see only the hearings of its own site',
    });
  });
});
