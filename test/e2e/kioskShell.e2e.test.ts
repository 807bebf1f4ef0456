import * as fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../server/App.js';
import { ENROLLMENT_CODE_ALPHABET } from '../../shared/accounts.js';
import type {
  DesktopAnswer,
  DesktopApi,
  DesktopState,
  KioskCredential,
  KioskDesktopState,
  UnlockResult,
} from '../../shared/desktop.js';
import { launchChromium, openPage } from '../helpers/browser.js';
import { startTestServer } from '../helpers/server.js';

/**
 * A test double of the Electron preload, installed in the page before the app's scripts run: the same
 * `DesktopApi` on `window.courtDesktop`, in kiosk mode and not yet provisioned. `provision` really
 * redeems the enrollment code at the server's enrollment endpoint (as main does) and keeps the
 * credential in memory; the operator PIN is checked against the one given (main keeps its own).
 * Runs in the page, so it is self-contained.
 */
function installDesktopDouble({ operatorPin }: { operatorPin: string }): void {
  const listeners = new Set<(state: DesktopState) => void>();
  let credential: KioskCredential | null = null;
  let state: KioskDesktopState = {
    mode: 'kiosk',
    provisioning: { status: 'unprovisioned', error: null },
    credentialStorage: 'none',
    serverUrl: null,
    devices: { camera: null, microphone: null, speaker: null, documentCamera: null },
    connection: 'online',
    operatorLock: { status: 'locked', failedAttempts: 0 },
  };
  const set = (next: KioskDesktopState): DesktopAnswer<DesktopState> => {
    state = next;
    for (const listener of listeners) listener(structuredClone(state));
    return { ok: true, data: structuredClone(state) };
  };
  const ok = <T>(data: T): DesktopAnswer<T> => ({ ok: true, data });
  const unlocked = () => state.operatorLock.status === 'unlocked';
  const forbidden: DesktopAnswer<never> = { ok: false, error: { code: 'FORBIDDEN', message: 'locked' } };
  const api: DesktopApi = {
    getState: async () => ok(structuredClone(state)),
    getKioskCredential: async () => ok(credential),
    provision: async ({ serverUrl, enrollmentCode }) => {
      set({ ...state, provisioning: { status: 'enrolling' } });
      let response: Response;
      try {
        response = await fetch(`${serverUrl}/api/kiosk/enroll`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code: enrollmentCode }),
        });
      } catch {
        return set({ ...state, provisioning: { status: 'unprovisioned', error: 'unreachable' } });
      }
      const body = await response.json().catch(() => null);
      if (response.status === 201 && body && typeof body.credential === 'string') {
        credential = { credential: body.credential, kioskId: body.kioskId, siteId: body.siteId };
        return set({
          ...state,
          serverUrl,
          provisioning: { status: 'provisioned', kioskId: body.kioskId, siteId: body.siteId },
          credentialStorage: 'encrypted',
        });
      }
      const message = String(body?.error?.message ?? '');
      const error =
        response.status === 400 || response.status === 401
          ? /expired/i.test(message)
            ? 'code_expired'
            : 'code_invalid'
          : response.status === 409
            ? 'code_used'
            : response.status === 429
              ? 'rate_limited'
              : 'server_error';
      return set({ ...state, provisioning: { status: 'unprovisioned', error } });
    },
    setServer: async () => ({ ok: false, error: { code: 'INVALID_STATE', message: 'not the judge app' } }),
    unlock: async ({ pin }) => {
      if (pin === operatorPin) {
        const relocksAtMs = Date.now() + 120_000;
        set({ ...state, operatorLock: { status: 'unlocked', relocksAtMs } });
        return ok<UnlockResult>({ outcome: 'unlocked', relocksAtMs });
      }
      const failedAttempts = state.operatorLock.status === 'locked' ? state.operatorLock.failedAttempts + 1 : 1;
      set({ ...state, operatorLock: { status: 'locked', failedAttempts } });
      return ok<UnlockResult>({ outcome: 'wrong_pin', retryAtMs: null });
    },
    lock: async () => set({ ...state, operatorLock: { status: 'locked', failedAttempts: 0 } }),
    exitKiosk: async () => (unlocked() ? ok(null) : forbidden),
    reprovision: async () => {
      if (!unlocked()) return forbidden;
      credential = null;
      return set({ ...state, provisioning: { status: 'unprovisioned', error: null }, credentialStorage: 'none' });
    },
    chooseDevices: async (devices) => (unlocked() ? set({ ...state, devices }) : forbidden),
    notify: async () => ok(null),
    setInHearing: async () => ok(null),
    onStateChanged: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  Object.defineProperty(window, 'courtDesktop', { value: Object.freeze(api) });
  // The test's hand on the shell's network watch (main's reconnect policy, in the real shell).
  Object.defineProperty(window, '__setShellConnection', {
    value: (connection: DesktopState['connection']) => set({ ...state, connection }),
  });
}

const setConnection = (page: Page, connection: DesktopState['connection']) =>
  page.evaluate((value) => {
    const setter: unknown = Reflect.get(window, '__setShellConnection');
    if (typeof setter === 'function') setter(value);
  }, connection);

/** A valid-looking code the server never issued: every character moved one place in the alphabet. */
function otherCode(code: string): string {
  return [...code]
    .map((c) => {
      const at = ENROLLMENT_CODE_ALPHABET.indexOf(c);
      return at < 0 ? c : (ENROLLMENT_CODE_ALPHABET[(at + 1) % ENROLLMENT_CODE_ALPHABET.length] ?? c);
    })
    .join('');
}

describe('the kiosk renderer in the desktop shell (preload test double)', () => {
  let app: App;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!fs.existsSync('dist/client/index.html')) throw new Error('the UI is not built: run `npm run build` first');
    app = await startTestServer({ SEED_DEMO: 'true' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('provisions, shows the welcome, checks a villager in, and opens the operator menu with the PIN', async () => {
    const demo = app.demo;
    if (!demo) throw new Error('the demo was not seeded');
    const hearingId = demo.hearingIds[0] ?? '';
    const booking = await app.scheduler.get(hearingId);
    const plaintiff = booking.participants.find((p) => p.role === 'plaintiff');
    const kiosk = demo.kiosks.find((k) => k.site.includes('小园村'));
    if (!plaintiff?.idTail || !kiosk) throw new Error('the demo plaintiff or the 小园村 kiosk is missing');

    page = await openPage(browser);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.addInitScript(installDesktopDouble, { operatorPin: demo.operatorPin });
    await page.goto(`${app.url}/`);

    // First run: the provisioning screen before anything else.
    await page.getByTestId('desktop-provisioning').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('start-login').count()).toBe(0);
    await page.getByTestId('provision-server').fill(app.url);
    await page.getByTestId('provision-code').fill(otherCode(kiosk.enrollmentCode));
    await page.getByTestId('provision-submit').click();
    const error = page.getByTestId('provision-error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.getAttribute('data-code')).toBe('code_invalid');
    expect(await error.textContent()).toContain('登记码');

    // The site's own code: enrolled, on to the welcome with today's hearing.
    await page.getByTestId('provision-code').fill(kiosk.enrollmentCode);
    await page.getByTestId('provision-submit').click();
    const welcome = page.getByTestId('kiosk-welcome');
    await welcome.waitFor({ timeout: 15_000 });
    await expect.poll(() => welcome.textContent()).toContain('小园村');
    expect(new URL(page.url()).pathname).toBe('/kiosk');
    // The credential stays with the shell: nothing of it in the browser's storage.
    expect(await page.evaluate(() => localStorage.getItem('shared-court.credentials'))).toBeNull();

    // The villager checks in: the ID digits, then the operator's PIN → the self-test.
    await page.locator(`[data-testid="kiosk-hearing-card"][data-hearing-id="${hearingId}"]`).click();
    const chooser = page.getByTestId(`kiosk-participant-${plaintiff.id}`);
    await Promise.race([chooser.waitFor(), page.getByTestId('checkin-idtail').waitFor()]);
    if ((await chooser.count()) > 0) await chooser.click();
    await page.getByTestId('checkin-idtail').waitFor();
    for (const key of plaintiff.idTail) await page.getByTestId(`keypad-${key}`).click();
    await page.getByTestId('check-in-submit').click();
    await page.getByTestId('checkin-pin').waitFor();
    for (const key of demo.operatorPin) await page.getByTestId(`keypad-${key}`).click();
    await page.getByTestId('check-in-submit').click();
    await page.getByTestId('selftest').waitFor({ timeout: 20_000 });

    // The shell loses the server: the calm screen over everything, gone when it is back.
    await setConnection(page, 'reconnecting');
    const overlay = page.getByTestId('reconnecting-overlay');
    await overlay.waitFor();
    expect(await overlay.textContent()).toContain('正在重新连接');
    await setConnection(page, 'online');
    await overlay.waitFor({ state: 'detached' });
    expect(await page.getByTestId('selftest').isVisible()).toBe(true);

    // The operator's corner: a wrong PIN is refused with a sentence, the right one opens the menu.
    await page.getByTestId('operator-button').click();
    const pinPad = page.getByTestId('operator-pin');
    await pinPad.waitFor();
    const wrong = demo.operatorPin === '0000' ? '1111' : '0000';
    for (const key of wrong) await pinPad.getByTestId(`keypad-${key}`).click();
    await pinPad.getByTestId('operator-unlock').click();
    await pinPad.getByTestId('operator-pin-error').waitFor();
    expect(await pinPad.getByTestId('operator-pin-error').textContent()).toContain('不正确');
    expect(await page.getByTestId('operator-menu').count()).toBe(0);
    for (const key of demo.operatorPin) await pinPad.getByTestId(`keypad-${key}`).click();
    await pinPad.getByTestId('operator-unlock').click();
    const menu = page.getByTestId('operator-menu');
    await menu.waitFor();
    for (const id of ['operator-devices', 'operator-reprovision', 'operator-exit']) {
      expect(await menu.getByTestId(id).isVisible()).toBe(true);
    }
    // The fake camera is offered for the kiosk's camera.
    await expect.poll(() => menu.getByTestId('operator-device-camera').locator('option').count()).toBeGreaterThan(1);
  }, 60_000);
});
