import * as fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../server/App.js';
import type { DesktopAnswer, DesktopApi, DesktopState, JudgeDesktopState, NotifyInput } from '../../shared/desktop.js';
import { launchChromium, openPage } from '../helpers/browser.js';
import { type DemoAccess, demoAccess, GOOD_SELF_TEST, hearingFloor, kioskActor } from '../helpers/demo.js';
import { startTestServer } from '../helpers/server.js';

/**
 * A test double of the Electron preload in judge mode, installed before the app's scripts run: the
 * same `DesktopApi` on `window.courtDesktop`. Like main, it remembers the server across loads (here in
 * sessionStorage; main: settings.json) and, on `setServer`, loads `<server>/judge` in the window. The
 * notifications it is asked to show are kept in `window.__notifications` for the test to read.
 * Runs in the page, so it is self-contained.
 */
function installJudgeDouble(): void {
  const KEY = 'judge-double-server';
  const listeners = new Set<(state: DesktopState) => void>();
  const notifications: NotifyInput[] = [];
  const state: JudgeDesktopState = {
    mode: 'judge',
    serverUrl: sessionStorage.getItem(KEY),
    devices: { camera: null, microphone: null, speaker: null, documentCamera: null },
    connection: 'online',
  };
  const ok = <T>(data: T): DesktopAnswer<T> => ({ ok: true, data });
  const refused: DesktopAnswer<never> = { ok: false, error: { code: 'INVALID_STATE', message: 'not a kiosk' } };
  const api: DesktopApi = {
    getState: async () => ok(structuredClone(state)),
    getKioskCredential: async () => ok(null),
    provision: async () => refused,
    setServer: async ({ serverUrl }) => {
      // Main parses with ServerUrlSchema; the renderer checked the same before sending.
      const url = new URL(serverUrl.trim());
      sessionStorage.setItem(KEY, url.origin);
      window.location.assign(`${url.origin}/judge`);
      return ok({ ...structuredClone(state), serverUrl: url.origin });
    },
    unlock: async () => refused,
    lock: async () => ok(structuredClone(state)),
    exitKiosk: async () => refused,
    reprovision: async () => refused,
    chooseDevices: async (devices) => ok({ ...structuredClone(state), devices }),
    notify: async (input) => {
      notifications.push(input);
      return ok(null);
    },
    setInHearing: async () => ok(null),
    onStateChanged: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  Object.defineProperty(window, 'courtDesktop', { value: Object.freeze(api) });
  Object.defineProperty(window, '__notifications', { value: notifications });
}

const notifications = (page: Page) =>
  page.evaluate(() => structuredClone(Reflect.get(window, '__notifications') as NotifyInput[]));

describe('the judge app renderer in the desktop shell (preload test double)', () => {
  let app: App;
  let browser: Browser;
  let access: DemoAccess;

  beforeAll(async () => {
    if (!fs.existsSync('dist/client/index.html')) throw new Error('the UI is not built: run `npm run build` first');
    app = await startTestServer({ SEED_DEMO: 'true' });
    access = await demoAccess(app);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('chooses the server, signs the judge in, and notifies when a party of today’s hearing is waiting', async () => {
    const demo = app.demo;
    if (!demo) throw new Error('the demo was not seeded');
    const page = await openPage(browser);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.addInitScript(installJudgeDouble);
    await page.goto(`${app.url}/`);

    // First run: the server choice, before anything else; a bad address is refused with a sentence.
    const form = page.getByTestId('judge-server');
    await form.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('start-login').count()).toBe(0);
    await page.getByTestId('judge-server-url').fill('http://court.example');
    await page.getByTestId('judge-server-submit').click();
    await page.getByTestId('judge-server-error').waitFor();
    expect(await page.getByTestId('judge-server-error').textContent()).toContain('https://');
    await page.getByTestId('judge-server-url').fill(app.url);
    await page.getByTestId('judge-server-submit').click();

    // The shell loads the server's judge page: the sign-in, with the server shown at the bottom.
    await page.getByTestId('login-username').waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/judge');
    expect(await page.getByTestId('judge-shell-bar').textContent()).toContain(new URL(app.url).host);

    // A party is already waiting when the judge signs in: notified at once.
    const floor = await openWaitingRoom(app, access);
    await floor.ready(access.plaintiff.participantId, kioskActor(access.plaintiff), GOOD_SELF_TEST);
    await page.getByTestId('login-username').fill('judge.wang');
    await page.getByTestId('login-password').fill(demo.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId(`judge-day-${todayInShanghai()}`).waitFor({ timeout: 15_000 });
    const booking = await app.scheduler.get(access.hearingId);
    const plaintiff = booking.participants.find((p) => p.id === access.plaintiff.participantId);
    const defendant = booking.participants.find((p) => p.id === access.defendant.participantId);
    await expect.poll(() => notifications(page), { timeout: 10_000 }).toHaveLength(1);
    const [first] = await notifications(page);
    expect(first?.title).toContain(booking.caseNumber);
    expect(first?.body).toContain(plaintiff?.name ?? '?');
    expect(first?.body).toContain('原告');

    // Then only who is new in the waiting room: the defendant, once.
    await floor.ready(access.defendant.participantId, kioskActor(access.defendant), GOOD_SELF_TEST);
    await expect.poll(() => notifications(page), { timeout: 15_000, interval: 500 }).toHaveLength(2);
    const second = (await notifications(page))[1];
    expect(second?.body).toContain(defendant?.name ?? '?');
    expect(second?.body).not.toContain(plaintiff?.name ?? '?');
    await page.waitForTimeout(11_000);
    expect(await notifications(page)).toHaveLength(2);

    // The server is remembered: a new load goes straight to the judge's page, signed in.
    await page.goto(`${app.url}/judge`);
    await page.getByTestId(`judge-day-${todayInShanghai()}`).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('judge-server').count()).toBe(0);

    // The shell's reconnecting page: the calm screen, and the way to another server stays open.
    await page.goto(`${app.url}/reconnecting`);
    await page.getByTestId('reconnecting-overlay').waitFor();
    expect(await page.getByTestId('reconnecting-overlay').textContent()).toContain('正在重新连接');
    await page.getByTestId('judge-change-server').click();
    await page.getByTestId('judge-server').waitFor();
    await page.screenshot({ path: 'docs/screenshots/judge-app-change-server.png' });
  }, 90_000);
});

/** Opens the demo hearing's waiting room and checks both kiosk parties in (they are in their self-test). */
async function openWaitingRoom(app: App, access: DemoAccess) {
  const { floor, judge } = await hearingFloor(app, access.hearingId, access.judge);
  await floor.command(judge, { type: 'open' });
  for (const place of [access.plaintiff, access.defendant]) {
    const kiosk = kioskActor(place);
    await floor.connect(place.participantId, kiosk, kiosk.kioskId);
  }
  return floor;
}

function todayInShanghai(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}
