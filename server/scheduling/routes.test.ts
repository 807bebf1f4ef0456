import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDayStart, toShanghaiIso } from '../../shared/scheduling.js';
import { demoAccess } from '../../test/helpers/demo.js';
import { startTestServer } from '../../test/helpers/server.js';
import type { App } from '../App.js';

/** Booking over HTTP as the 临安 clerk: refusals carry a stable code and store nothing. */
describe('booking routes', () => {
  let app: App;
  let token: string;
  let courtId: string;
  let judgeId: string;
  let clerkId: string;
  let siteId: string;
  const HOUR = 3_600_000;

  beforeAll(async () => {
    app = await startTestServer({ MEDIA_WORKERS: '1', UI_DIR: '', SEED_DEMO: 'true' });
    const access = await demoAccess(app);
    const clerk = await app.accounts.login({
      username: 'clerk.li',
      password: app.demo?.password ?? '',
      ip: '127.0.0.1',
    });
    token = clerk.token;
    courtId = clerk.principal.courtId;
    clerkId = clerk.principal.userId;
    judgeId = access.judge.participantId;
    siteId = String(access.plaintiff.stored.siteId);
  });

  afterAll(async () => {
    await app?.close();
  });

  const day = shanghaiDayStart(Date.now()) + 7 * 24 * HOUR;
  const valid = () => ({
    caseNumber: '（2026）浙0185民初3001号',
    title: '物业服务合同纠纷',
    caseType: 'civil',
    courtId,
    judgeId,
    clerkId,
    startsAt: toShanghaiIso(day + 9 * HOUR),
    endsAt: toShanghaiIso(day + 10 * HOUR),
    isPublic: false,
    participants: [{ role: 'plaintiff', name: '陈某', idTail: '4455', site: siteId }],
  });
  const book = async (body: unknown, raw?: string) => {
    const response = await fetch(`${app.url}/api/hearings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: raw ?? JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const stored = async () =>
    (await app.scheduler.listForCourt(courtId, day - 30 * 24 * HOUR, day + 30 * 24 * HOUR)).length;

  it('refuses bad bookings with 4xx and a stable code, and stores nothing', async () => {
    const before = await stored();
    const cases: Array<[string, unknown, number, string, string?]> = [
      ['invalid case number', { ...valid(), caseNumber: '2026浙0185民初3001' }, 400, 'BAD_REQUEST'],
      ['end before start', { ...valid(), endsAt: toShanghaiIso(day + 8 * HOUR) }, 400, 'BAD_REQUEST'],
      ['time without offset', { ...valid(), startsAt: '2026-12-10T09:00:00' }, 400, 'BAD_REQUEST'],
      ['unknown judge', { ...valid(), judgeId: 'no-such-judge' }, 404, 'NOT_FOUND'],
      [
        'unknown site',
        { ...valid(), participants: [{ ...valid().participants[0], site: 'no-such-site' }] },
        404,
        'NOT_FOUND',
      ],
      ['bad ID tail', { ...valid(), participants: [{ ...valid().participants[0], idTail: '12' }] }, 400, 'BAD_REQUEST'],
      ['no participants', { ...valid(), participants: [] }, 400, 'BAD_REQUEST'],
      ['missing court', { ...valid(), courtId: undefined }, 400, 'BAD_REQUEST'],
      ['oversized body', { ...valid(), title: 'x'.repeat(100_000) }, 413, 'BAD_REQUEST'],
      ['unparsable JSON', null, 400, 'BAD_REQUEST', '{"caseNumber":'],
    ];
    for (const [what, body, status, code, raw] of cases) {
      const response = await book(body, raw);
      expect([response.status, response.body.error?.code], what).toEqual([status, code]);
    }
    expect(await stored()).toBe(before);
  });

  it('books, then refuses the same judge at an overlapping time naming the clashing hearing', async () => {
    const first = await book(valid());
    expect(first.status).toBe(201);
    const clash = await book({
      ...valid(),
      caseNumber: '（2026）浙0185民初3002号',
      startsAt: toShanghaiIso(day + 9.5 * HOUR),
      endsAt: toShanghaiIso(day + 11 * HOUR),
      participants: [{ role: 'plaintiff', name: '刘某', idTail: '6677', site: null }],
    });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('CONFLICT');
    expect(clash.body.error.message).toContain('（2026）浙0185民初3001号');
    const again = await book({
      ...valid(),
      caseNumber: '（2026）浙0185民初3002号',
      startsAt: toShanghaiIso(day + 12 * HOUR),
      endsAt: toShanghaiIso(day + 13 * HOUR),
    });
    expect(again.status).toBe(201);
  });
});
