import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zhCN } from '../../client/src/i18n/zh-CN.js';
import type { App } from '../../server/App.js';
import { launchChromium, openPage } from '../helpers/browser.js';
import { startTestServer } from '../helpers/server.js';

/**
 * Provisioning a new village end to end through the UI: the administrator registers a shared-court
 * site and its kiosk, reads the one-time enrollment code off the console, and the kiosk enrolls with
 * it and shows its (empty) list of today's hearings. The UI is in its default language, zh-CN.
 */
describe('an administrator brings a new village kiosk into service', () => {
  let app: App;
  let browser: Browser;
  let admin: Page;
  let siteId: string;
  let kioskId: string;
  let code: string;

  const SITE = '庆元县新村共享法庭';
  const KIOSK = '新村服务大厅终端';

  beforeAll(async () => {
    app = await startTestServer({ SEED_DEMO: 'true' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('the administrator signs in and lands on the console', async () => {
    admin = await openPage(browser);
    await admin.goto(`${app.url}/login`);
    await admin.getByTestId('login-username').fill('admin');
    await admin.getByTestId('login-password').fill(app.demo?.password ?? '');
    await admin.getByTestId('login-submit').click();
    await admin.getByTestId('admin-tab-sites').waitFor({ timeout: 10_000 });
    expect(new URL(admin.url()).pathname).toBe('/admin');
    expect(await admin.getByRole('heading', { level: 2 }).textContent()).toBe(zhCN.admin.heading);
  });

  it('registers a site, after being told what is wrong with its address code', async () => {
    await admin.getByTestId('admin-tab-sites').click();
    await admin.getByTestId('admin-site-name').fill(SITE);
    await admin.getByTestId('admin-site-county').fill('庆元县');
    await admin.getByTestId('admin-site-code').fill('3311-2610');
    await admin.getByTestId('admin-site-submit').click();
    // Refused in the browser, beside the field, before anything is sent.
    await expect.poll(() => admin.getByText(zhCN.admin.problem.addressCode).count(), { timeout: 5_000 }).toBe(1);
    expect((await app.accounts.listSites()).some((s) => s.name === SITE)).toBe(false);

    await admin.getByTestId('admin-site-code').fill('331126101299');
    await admin.getByTestId('admin-site-submit').click();
    await expect
      .poll(async () => (await app.accounts.listSites()).find((s) => s.name === SITE)?.addressCode, {
        timeout: 10_000,
      })
      .toBe('331126101299');
    siteId = (await app.accounts.listSites()).find((s) => s.name === SITE)?.id ?? '';
    await admin.getByTestId(`admin-site-${siteId}`).waitFor({ timeout: 10_000 });
    expect(await admin.getByTestId(`admin-site-${siteId}`).textContent()).toContain(SITE);
    expect(await admin.getByText(zhCN.admin.problem.addressCode).count()).toBe(0);
  });

  it('registers a kiosk there and sees its one-time enrollment code, said to be shown once', async () => {
    // The new site is opened, ready for its first kiosk.
    await admin.getByTestId(`admin-kiosk-name-${siteId}`).fill(KIOSK);
    await admin.getByTestId(`admin-kiosk-submit-${siteId}`).click();
    await admin.getByTestId('admin-enrollment-code').waitFor({ timeout: 10_000 });
    code = (await admin.getByTestId('admin-enrollment-code').textContent()) ?? '';
    expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}$/);
    const panel = (await admin.getByTestId('admin-enrollment-panel').textContent()) ?? '';
    expect(panel).toContain(KIOSK);
    expect(panel).toContain(zhCN.admin.code.onlyOnce);

    const kiosks = await app.accounts.listKiosks(siteId);
    expect(kiosks.map((k) => [k.name, k.status])).toEqual([[KIOSK, 'pending']]);
    kioskId = kiosks[0]?.id ?? '';
    const row = admin.getByTestId(`admin-kiosk-${kioskId}`);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('pending');
    expect(await row.textContent()).toContain(zhCN.sites.status.pending);

    // Once closed, the code is gone from the screen.
    await admin.getByTestId('admin-enrollment-dismiss').click();
    expect(await admin.getByTestId('admin-enrollment-code').count()).toBe(0);
  });

  it("the kiosk enrolls with that code and shows today's (empty) list", async () => {
    const kiosk = await openPage(browser);
    await kiosk.goto(`${app.url}/kiosk`);
    await kiosk.getByTestId('kiosk-enroll-code').fill(code);
    await kiosk.getByTestId('kiosk-enroll-submit').click();
    await kiosk.getByText(zhCN.kiosk.todayHeading).waitFor({ timeout: 10_000 });
    expect(await kiosk.getByText(zhCN.kiosk.empty).count()).toBe(1);
    expect(await kiosk.getByTestId('kiosk-enroll-code').count()).toBe(0);
    expect((await app.accounts.listKiosks(siteId)).map((k) => k.status)).toEqual(['enrolled']);
    await kiosk.context().close();
  });

  it("the console then shows the kiosk in service, and the code can't be used twice", async () => {
    // Closing and opening the site reads its kiosks again.
    await admin.getByTestId(`admin-site-open-${siteId}`).click();
    await admin.getByTestId(`admin-site-open-${siteId}`).click();
    const row = admin.getByTestId(`admin-kiosk-${kioskId}`);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('enrolled');
    expect(await row.textContent()).toContain(zhCN.sites.status.enrolled);

    const again = await openPage(browser);
    await again.goto(`${app.url}/kiosk`);
    await again.getByTestId('kiosk-enroll-code').fill(code);
    await again.getByTestId('kiosk-enroll-submit').click();
    await again.getByTestId('kiosk-enroll-error').waitFor({ timeout: 10_000 });
    expect(await again.getByTestId('kiosk-enroll-error').textContent()).toBe(zhCN.kiosk.enroll.badCode);
    await again.context().close();
    await admin.context().close();
  });
});
