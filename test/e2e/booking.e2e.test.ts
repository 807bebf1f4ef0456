import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../server/App.js';
import { shanghaiDayStart, toShanghaiIso } from '../../shared/scheduling.js';
import { launchChromium, openPage } from '../helpers/browser.js';
import { startTestServer } from '../helpers/server.js';

/**
 * Scheduling end to end through the UI: the 临安 clerk books a hearing with parties at two sites in two
 * counties; the kiosk of one site lists it for today; the judge sees it and enters the room.
 */
describe('a clerk books a cross-county hearing that the kiosk and the judge then see', () => {
  let app: App;
  let browser: Browser;
  let hearingId: string;

  beforeAll(async () => {
    app = await startTestServer({ SEED_DEMO: 'true' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const signIn = async (page: Page, username: string): Promise<void> => {
    await page.goto(`${app.url}/login`);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(app.demo?.password ?? '');
    await page.getByTestId('login-submit').click();
  };

  const siteId = async (nameFragment: string): Promise<string> => {
    const site = (await app.accounts.listSites()).find((s) => s.name.includes(nameFragment));
    if (!site) throw new Error(`no demo site ${nameFragment}`);
    return site.id;
  };

  it('the clerk books it in the booking form', async () => {
    const [qingyuanSite, linanSite] = [await siteId('大济村'), await siteId('月亮桥村')];
    const clerk = await openPage(browser);
    await signIn(clerk, 'clerk.li');
    await clerk.getByTestId('clerk-tab-book').click();

    const today = toShanghaiIso(shanghaiDayStart(Date.now())).slice(0, 10);
    await clerk.getByTestId('clerk-book-case-number').fill('（2026）浙0185民初2001号');
    await clerk.getByTestId('clerk-book-title').fill('买卖合同纠纷');
    await clerk.getByTestId('clerk-book-judge').selectOption({ label: '王法官' });
    await clerk.getByTestId('clerk-book-date').fill(today);
    await clerk.getByTestId('clerk-book-start').fill('17:00');
    await clerk.getByTestId('clerk-book-end').fill('17:30');
    const party = async (index: number, name: string, tail: string, site: string) => {
      await clerk.getByTestId(`clerk-participant-${index}-name`).fill(name);
      await clerk.getByTestId(`clerk-participant-${index}-id-tail`).fill(tail);
      await clerk.getByTestId(`clerk-participant-${index}-site`).selectOption(site);
    };
    await party(0, '吴大伯', '2222', qingyuanSite);
    await party(1, '临安某商贸公司（周经理）', '3333', linanSite);
    await clerk.getByTestId('clerk-book-submit').click();

    // The booking is stored as the clerk entered it, and the schedule shows it.
    let booked: Awaited<ReturnType<App['scheduler']['listForCourt']>>[number] | undefined;
    await expect
      .poll(
        async () => {
          const clerkUser = (await app.accounts.listUsers({ role: 'clerk' })).find((u) => u.username === 'clerk.li');
          const from = shanghaiDayStart(Date.now());
          const hearings = await app.scheduler.listForCourt(clerkUser?.courtId ?? '', from, from + 86_400_000);
          booked = hearings.find((h) => h.caseNumber === '（2026）浙0185民初2001号');
          return booked?.status;
        },
        { timeout: 10_000 },
      )
      .toBe('scheduled');
    if (!booked) throw new Error('not booked');
    hearingId = booked.id;
    expect(booked.participants.map((p) => p.siteId)).toEqual([qingyuanSite, linanSite]);
    expect(booked.startsAt).toBe(`${today}T17:00:00+08:00`);
    await expect.poll(() => clerk.getByTestId(`clerk-hearing-${hearingId}`).count(), { timeout: 10_000 }).toBe(1);
    await clerk.context().close();
  });

  it("the 庆元 village kiosk, once enrolled, lists it among today's hearings", async () => {
    const code = app.demo?.kiosks.find((k) => k.site.includes('大济村'))?.enrollmentCode;
    if (!code) throw new Error('no demo kiosk code');
    const kiosk = await openPage(browser);
    await kiosk.goto(`${app.url}/kiosk`);
    await kiosk.getByTestId('kiosk-enroll-code').fill(code);
    await kiosk.getByTestId('kiosk-enroll-submit').click();
    await expect.poll(() => kiosk.getByTestId(`kiosk-hearing-${hearingId}`).count(), { timeout: 10_000 }).toBe(1);
    expect(await kiosk.getByTestId(`kiosk-hearing-${hearingId}`).textContent()).toContain('买卖合同纠纷');
    await kiosk.context().close();
  });

  it('the judge sees it on the agenda and enters the room', async () => {
    const judge = await openPage(browser);
    await signIn(judge, 'judge.wang');
    await expect.poll(() => judge.getByTestId(`judge-hearing-${hearingId}`).count(), { timeout: 10_000 }).toBe(1);
    await judge.getByTestId(`enter-${hearingId}`).click();
    await expect
      .poll(() => judge.getByTestId('room-status').first().getAttribute('data-status'), { timeout: 20_000 })
      .toBe('joined');
    expect(app.rooms.room(hearingId)?.peers.map((p) => p.participant.role)).toEqual(['judge']);
    await judge.context().close();
  });
});
