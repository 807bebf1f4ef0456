import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../test/helpers/server.js';
import type { App } from '../App.js';
import { SYSTEM } from './AccountService.js';

/** The account routes over HTTP against the real server and its SQLite database. */
describe('account routes', () => {
  let app: App;
  let adminToken: string;
  let courtId: string;

  const call = async (
    method: string,
    path: string,
    options: { token?: string; kiosk?: string; body?: unknown } = {},
  ) => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.kiosk) headers.authorization = `Kiosk ${options.kiosk}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${app.url}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    return { status: response.status, headers: response.headers, body: await response.json() };
  };

  const login = async (username: string, password: string): Promise<string> => {
    const { status, body } = await call('POST', '/api/auth/login', { body: { username, password } });
    expect(status, JSON.stringify(body)).toBe(200);
    return body.token;
  };

  beforeAll(async () => {
    app = await startTestServer({ MEDIA_WORKERS: '1', UI_DIR: '' });
    const court = await app.accounts.registerCourt(SYSTEM, { name: '临安区人民法院', regionCode: '330112' });
    courtId = court.id;
    await app.accounts.createUser(SYSTEM, {
      courtId,
      role: 'admin',
      username: 'admin',
      displayName: '管理员',
      password: 'admin-password-1',
    });
    adminToken = await login('admin', 'admin-password-1');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('an administrator registers a site and a kiosk; the kiosk enrolls and is known by its credential', async () => {
    const site = await call('POST', '/api/sites', {
      token: adminToken,
      body: { name: '庆元县屏都街道小园村共享法庭', county: '庆元县', addressCode: '331126101201' },
    });
    expect(site.status).toBe(201);
    const kiosk = await call('POST', '/api/kiosks', {
      token: adminToken,
      body: { siteId: site.body.id, name: '一号终端' },
    });
    expect(kiosk.status).toBe(201);
    expect(kiosk.body.enrollmentCode).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/);

    const enrolled = await call('POST', '/api/kiosk/enroll', { body: { code: kiosk.body.enrollmentCode } });
    expect(enrolled.status).toBe(201);
    const me = await call('GET', '/api/auth/me', { kiosk: enrolled.body.credential });
    expect(me.body.principal).toEqual({ kind: 'kiosk', kioskId: kiosk.body.kiosk.id, siteId: site.body.id });
    // The code works once.
    expect((await call('POST', '/api/kiosk/enroll', { body: { code: kiosk.body.enrollmentCode } })).status).toBe(401);

    const revoked = await call('POST', `/api/kiosks/${kiosk.body.kiosk.id}/revoke`, { token: adminToken });
    expect(revoked.body.status).toBe('revoked');
    const refused = await call('GET', '/api/auth/me', { kiosk: enrolled.body.credential });
    expect(refused.status).toBe(403);
  });

  it('refuses the unauthenticated, the wrong role and the wrong credentials with stable codes', async () => {
    const judge = await app.accounts.createUser(SYSTEM, {
      courtId,
      role: 'judge',
      username: 'judge.wang',
      displayName: '王法官',
      password: 'judge-password-1',
    });
    const judgeToken = await login('judge.wang', 'judge-password-1');
    const cases: Array<[string, string, { token?: string; kiosk?: string; body?: unknown }, number, string]> = [
      ['GET', '/api/courts', {}, 401, 'UNAUTHORIZED'],
      ['GET', '/api/courts', { token: 'not-a-token' }, 401, 'UNAUTHORIZED'],
      ['GET', '/api/courts', { kiosk: 'A'.repeat(43) }, 403, 'FORBIDDEN'],
      ['GET', '/api/kiosks', { token: judgeToken }, 403, 'FORBIDDEN'],
      ['POST', '/api/courts', { token: judgeToken, body: { name: '某法院', regionCode: '330100' } }, 403, 'FORBIDDEN'],
      ['POST', `/api/users/${judge.id}/disable`, { token: judgeToken }, 403, 'FORBIDDEN'],
      [
        'POST',
        '/api/sites',
        { token: adminToken, body: { name: '某村', county: '某县', addressCode: '12' } },
        400,
        'BAD_REQUEST',
      ],
      ['POST', '/api/kiosks', { token: adminToken, body: { siteId: 'nope', name: '终端' } }, 404, 'NOT_FOUND'],
      ['POST', '/api/kiosk/enroll', { body: { code: 'ZZZZZ-ZZZZZ' } }, 401, 'UNAUTHORIZED'],
    ];
    for (const [method, path, options, status, code] of cases) {
      const response = await call(method, path, options);
      expect([response.status, response.body.error?.code], `${method} ${path}`).toEqual([status, code]);
    }
  });

  it('limits failed sign-ins and says when to try again', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const response = await call('POST', '/api/auth/login', {
        body: { username: 'admin', password: `wrong-${i}-xxxxx` },
      });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it("a kiosk checks its site operator's PIN (for the shell's operator actions): audited, rate-limited", async () => {
    const site = await call('POST', '/api/sites', {
      token: adminToken,
      body: { name: '庆元县松源街道大岩村共享法庭', county: '庆元县', addressCode: '331126101301' },
    });
    const kiosk = await call('POST', '/api/kiosks', {
      token: adminToken,
      body: { siteId: site.body.id, name: '一号终端' },
    });
    const enrolled = await call('POST', '/api/kiosk/enroll', { body: { code: kiosk.body.enrollmentCode } });
    const credential: string = enrolled.body.credential;
    const verify = (pin: unknown, who: { kiosk?: string; token?: string } = { kiosk: credential }) =>
      call('POST', '/api/kiosk/operator-pin/verify', { ...who, body: { pin } });

    // No PIN set for the site yet: nothing opens.
    expect((await verify('2468')).body).toEqual({ valid: false });
    await call('PUT', `/api/sites/${site.body.id}/operator-pin`, { token: adminToken, body: { pin: '2468' } });
    expect((await verify('2468')).body).toEqual({ valid: true });
    expect((await verify('1357')).body).toEqual({ valid: false });
    expect((await verify('12')).status).toBe(400);
    expect((await verify('2468', {})).status).toBe(401);
    expect((await verify('2468', { token: adminToken })).status).toBe(403);
    const audited = await app.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject', '=', `site:${site.body.id}`)
      .where('action', 'like', 'kiosk.operator%')
      .execute();
    expect(audited.map((a) => a.action)).toEqual([
      'kiosk.operator_pin_refused',
      'kiosk.operator_unlocked',
      'kiosk.operator_pin_refused',
    ]);
    // Guessing is limited like sign-ins: after a few failures even the right PIN waits.
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await verify('9999')).status);
    expect(statuses).toContain(429);
    expect((await verify('2468')).status).toBe(429);
  });
});
