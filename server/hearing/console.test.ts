import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Console, ConsoleSchema } from '../../shared/floor.js';
import { type DemoAccess, demoAccess, GOOD_SELF_TEST, hearingFloor, kioskActor } from '../../test/helpers/demo.js';
import { startTestServer } from '../../test/helpers/server.js';
import type { App } from '../App.js';

/*
 * GET /api/console: today's hearings of the caller's court, live (the clerk's console and the judge
 * app's "a party is waiting" notifications read it every few seconds).
 */
describe('the live console', () => {
  let app: App;
  let access: DemoAccess;

  beforeAll(async () => {
    app = await startTestServer({ SEED_DEMO: 'true' });
    access = await demoAccess(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  const consoleAs = async (token: string | null): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${app.url}/api/console`, {
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: await response.json() };
  };
  const tokenOf = (place: DemoAccess['judge']): string => ('token' in place.auth ? place.auth.token : '');
  const read = async (place: DemoAccess['judge']): Promise<Console> => {
    const answer = await consoleAs(tokenOf(place));
    expect(answer.status).toBe(200);
    return ConsoleSchema.parse(answer.body);
  };

  it('lists today’s hearings of the court with their people and live state; begun ones stay, cancelled ones go', async () => {
    const demo = app.demo;
    if (!demo) throw new Error('no demo');
    const booking = await app.scheduler.get(access.hearingId);
    const before = await read(access.clerk);
    const today = await app.scheduler.listForCourt(booking.courtId, Date.now() - 86_400_000, Date.now() + 86_400_000);
    expect(before.hearings.length).toBeGreaterThan(0);
    const listed = before.hearings.find((h) => h.hearingId === access.hearingId);
    expect(listed).toMatchObject({ caseNumber: booking.caseNumber, judgeId: booking.judgeId, judgeName: '王法官' });
    expect(listed?.participants.map((p) => p.role)).toEqual([
      'judge',
      'clerk',
      ...booking.participants.map((p) => p.role),
    ]);
    expect(listed?.participants.find((p) => p.id === access.plaintiff.participantId)?.site).toContain('小园村');
    expect(listed?.floor.state).toBe('scheduled');
    // Only this court's hearings, in start order.
    const starts = before.hearings.map((h) => Date.parse(h.startsAt));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    for (const h of before.hearings) expect(today.map((b) => b.id)).toContain(h.hearingId);

    // The judge opens the waiting room and the plaintiff's kiosk is ready: the console says so.
    const { floor, judge } = await hearingFloor(app, access.hearingId, access.judge);
    await floor.command(judge, { type: 'open' });
    const kiosk = kioskActor(access.plaintiff);
    await floor.connect(access.plaintiff.participantId, kiosk, kiosk.kioskId);
    await floor.ready(access.plaintiff.participantId, kiosk, GOOD_SELF_TEST);
    const live = (await read(access.judge)).hearings.find((h) => h.hearingId === access.hearingId);
    expect(live?.floor.state).toBe('open');
    expect(live?.floor.participants.find((p) => p.participantId === access.plaintiff.participantId)?.status.state).toBe(
      'waiting',
    );

    // A cancelled hearing leaves the console.
    const other = before.hearings.find((h) => h.hearingId !== access.hearingId && h.floor.state === 'scheduled');
    if (!other) throw new Error('the demo has a second hearing of this court today');
    await app.scheduler.cancel({ userId: access.clerk.participantId }, other.hearingId, '当事人申请撤诉');
    expect((await read(access.clerk)).hearings.map((h) => h.hearingId)).not.toContain(other.hearingId);
  });

  it('is for the court’s clerks and judges only', async () => {
    expect((await consoleAs(null)).status).toBe(401);
    const kioskCredential = [...access.kioskBySite.values()][0]?.credential ?? '';
    const kiosk = await fetch(`${app.url}/api/console`, { headers: { authorization: `Kiosk ${kioskCredential}` } });
    expect(kiosk.status).toBe(403);
  });
});
