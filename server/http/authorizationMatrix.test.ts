import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccess } from '../../test/helpers/demo.js';
import { startTestServer } from '../../test/helpers/server.js';
import type { App } from '../App.js';

/**
 * Every route × every kind of caller, against the seeded demo: the 临安 court's tenancy hearing, whose
 * parties appear at a 庆元 village site and a 临安 community site. Requests that would change data are
 * sent with a body the route refuses after its authorization check, so an allowed caller gets 400
 * (or 404) and a refused one 401/403, and nothing is changed.
 */
const CALLERS = [
  'anonymous',
  'admin',
  'judgeOwn',
  'judgeOther',
  'clerkOwn',
  'clerkOther',
  'kioskOwn',
  'kioskOther',
] as const;
type Caller = (typeof CALLERS)[number];

describe('authorization matrix', () => {
  let app: App;
  const headers = new Map<Caller, Record<string, string>>();
  let hearingId: string;
  let linanCourt: string;
  let qingyuanCourt: string;

  beforeAll(async () => {
    app = await startTestServer({ MEDIA_WORKERS: '1', UI_DIR: '', SEED_DEMO: 'true' });
    const access = await demoAccess(app);
    hearingId = access.hearingId;
    const password = app.demo?.password ?? '';
    const token = async (username: string) => {
      const session = await app.accounts.login({ username, password, ip: '127.0.0.1' });
      return session;
    };
    const judgeOther = await token('judge.chen');
    const admin = await token('admin');
    linanCourt = admin.principal.courtId;
    qingyuanCourt = judgeOther.principal.courtId;
    const kioskOther = [...access.kioskBySite.entries()].find(
      ([siteId]) => siteId !== access.plaintiff.stored.siteId && siteId !== access.defendant.stored.siteId,
    )?.[1];
    if (!kioskOther || !('kioskCredential' in access.plaintiff.auth)) throw new Error('demo kiosks missing');
    headers.set('anonymous', {});
    headers.set('admin', { authorization: `Bearer ${admin.token}` });
    headers.set('judgeOwn', { authorization: `Bearer ${String(access.judge.stored.token)}` });
    headers.set('judgeOther', { authorization: `Bearer ${judgeOther.token}` });
    headers.set('clerkOwn', { authorization: `Bearer ${String(access.clerk.stored.token)}` });
    headers.set('clerkOther', { authorization: `Bearer ${(await token('clerk.zhou')).token}` });
    headers.set('kioskOwn', { authorization: `Kiosk ${access.plaintiff.auth.kioskCredential}` });
    headers.set('kioskOther', { authorization: `Kiosk ${kioskOther.credential}` });
  });

  afterAll(async () => {
    await app?.close();
  });

  /** A body given as a function is made when the row runs (after the server is seeded). */
  type Row = [method: string, path: () => string, body: unknown, expected: Record<Caller, number>];
  const U = 401;
  const F = 403;
  const day = () => `from=${Date.now() - 86_400_000}&to=${Date.now() + 86_400_000}`;
  const rows: Row[] = [
    [
      'GET',
      () => '/api/courts',
      undefined,
      {
        anonymous: U,
        admin: 200,
        judgeOwn: 200,
        judgeOther: 200,
        clerkOwn: 200,
        clerkOther: 200,
        kioskOwn: F,
        kioskOther: F,
      },
    ],
    [
      'POST',
      () => '/api/courts',
      { name: '' },
      { anonymous: U, admin: 400, judgeOwn: F, judgeOther: F, clerkOwn: F, clerkOther: F, kioskOwn: F, kioskOther: F },
    ],
    [
      'GET',
      () => '/api/sites',
      undefined,
      {
        anonymous: U,
        admin: 200,
        judgeOwn: 200,
        judgeOther: 200,
        clerkOwn: 200,
        clerkOther: 200,
        kioskOwn: F,
        kioskOther: F,
      },
    ],
    [
      'POST',
      () => '/api/sites',
      { name: '' },
      { anonymous: U, admin: 400, judgeOwn: F, judgeOther: F, clerkOwn: F, clerkOther: F, kioskOwn: F, kioskOther: F },
    ],
    [
      'GET',
      () => '/api/kiosks',
      undefined,
      {
        anonymous: U,
        admin: 200,
        judgeOwn: F,
        judgeOther: F,
        clerkOwn: 200,
        clerkOther: 200,
        kioskOwn: F,
        kioskOther: F,
      },
    ],
    [
      'POST',
      () => '/api/kiosks',
      { siteId: 'no-such-site', name: '终端' },
      { anonymous: U, admin: 404, judgeOwn: F, judgeOther: F, clerkOwn: F, clerkOther: F, kioskOwn: F, kioskOther: F },
    ],
    [
      'POST',
      () => '/api/kiosks/no-such-kiosk/revoke',
      undefined,
      { anonymous: U, admin: 404, judgeOwn: F, judgeOther: F, clerkOwn: F, clerkOther: F, kioskOwn: F, kioskOther: F },
    ],
    [
      'GET',
      () => `/api/users?courtId=${linanCourt}`,
      undefined,
      {
        anonymous: U,
        admin: 200,
        judgeOwn: F,
        judgeOther: F,
        clerkOwn: 200,
        clerkOther: F,
        kioskOwn: F,
        kioskOther: F,
      },
    ],
    [
      'POST',
      () => '/api/users',
      { role: 'judge' },
      { anonymous: U, admin: 400, judgeOwn: F, judgeOther: F, clerkOwn: F, clerkOther: F, kioskOwn: F, kioskOther: F },
    ],
    [
      'GET',
      () => `/api/hearings/${hearingId}`,
      undefined,
      {
        anonymous: U,
        admin: F,
        judgeOwn: 200,
        judgeOther: F,
        clerkOwn: 200,
        clerkOther: F,
        kioskOwn: F,
        kioskOther: F,
      },
    ],
    [
      'GET',
      () => `/api/hearings/${hearingId}/history`,
      undefined,
      {
        anonymous: U,
        admin: F,
        judgeOwn: 200,
        judgeOther: F,
        clerkOwn: 200,
        clerkOther: F,
        kioskOwn: F,
        kioskOther: F,
      },
    ],
    [
      'POST',
      () => '/api/hearings',
      () => ({ courtId: linanCourt }),
      { anonymous: U, admin: F, judgeOwn: F, judgeOther: F, clerkOwn: 400, clerkOther: F, kioskOwn: F, kioskOther: F },
    ],
    [
      'POST',
      () => `/api/hearings/${hearingId}/reschedule`,
      { startsAt: 'soon' },
      { anonymous: U, admin: F, judgeOwn: F, judgeOther: F, clerkOwn: 400, clerkOther: F, kioskOwn: F, kioskOther: F },
    ],
    [
      'POST',
      () => `/api/hearings/${hearingId}/cancel`,
      { reason: '' },
      { anonymous: U, admin: F, judgeOwn: F, judgeOther: F, clerkOwn: 400, clerkOther: F, kioskOwn: F, kioskOther: F },
    ],
    [
      'GET',
      () => `/api/courts/${linanCourt}/hearings?${day()}`,
      undefined,
      {
        anonymous: U,
        admin: F,
        judgeOwn: 200,
        judgeOther: F,
        clerkOwn: 200,
        clerkOther: F,
        kioskOwn: F,
        kioskOther: F,
      },
    ],
    [
      'GET',
      () => `/api/courts/${qingyuanCourt}/hearings?${day()}`,
      undefined,
      {
        anonymous: U,
        admin: F,
        judgeOwn: F,
        judgeOther: 200,
        clerkOwn: F,
        clerkOther: 200,
        kioskOwn: F,
        kioskOther: F,
      },
    ],
    [
      'GET',
      () => `/api/availability?${day()}`,
      undefined,
      {
        anonymous: U,
        admin: F,
        judgeOwn: F,
        judgeOther: F,
        clerkOwn: 200,
        clerkOther: 200,
        kioskOwn: F,
        kioskOther: F,
      },
    ],
    [
      'GET',
      () => '/api/me/agenda',
      undefined,
      {
        anonymous: U,
        admin: F,
        judgeOwn: 200,
        judgeOther: 200,
        clerkOwn: F,
        clerkOther: F,
        kioskOwn: F,
        kioskOther: F,
      },
    ],
    [
      'GET',
      () => '/api/me/ical',
      undefined,
      {
        anonymous: U,
        admin: F,
        judgeOwn: 200,
        judgeOther: 200,
        clerkOwn: F,
        clerkOther: F,
        kioskOwn: F,
        kioskOther: F,
      },
    ],
    [
      'GET',
      () => '/api/kiosk/hearings/today',
      undefined,
      {
        anonymous: U,
        admin: F,
        judgeOwn: F,
        judgeOther: F,
        clerkOwn: F,
        clerkOther: F,
        kioskOwn: 200,
        kioskOther: 200,
      },
    ],
    [
      'GET',
      () => '/api/auth/me',
      undefined,
      {
        anonymous: U,
        admin: 200,
        judgeOwn: 200,
        judgeOther: 200,
        clerkOwn: 200,
        clerkOther: 200,
        kioskOwn: 200,
        kioskOther: 200,
      },
    ],
  ];

  it.each(rows)('%s %s', async (method, path, body, expected) => {
    const observed: Record<string, number> = {};
    const payload: unknown = typeof body === 'function' ? body() : body;
    for (const caller of CALLERS) {
      const response = await fetch(`${app.url}${path()}`, {
        method,
        headers: { ...headers.get(caller), ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
      });
      observed[caller] = response.status;
    }
    expect(observed).toEqual(expected);
  });

  it("a kiosk lists only its own site's hearings: the tenancy hearing for the plaintiff's site, not elsewhere", async () => {
    const list = async (caller: Caller) => {
      const response = await fetch(`${app.url}/api/kiosk/hearings/today`, { headers: headers.get(caller) });
      return ((await response.json()).hearings as Array<{ id: string }>).map((h) => h.id);
    };
    expect(await list('kioskOwn')).toContain(hearingId);
    expect(await list('kioskOther')).not.toContain(hearingId);
  });
});
