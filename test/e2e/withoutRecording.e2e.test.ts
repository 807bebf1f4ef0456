import * as fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../server/App.js';
import { launchChromium, openPageAs } from '../helpers/browser.js';
import { type DemoAccess, demoAccess } from '../helpers/demo.js';
import { startTestServer } from '../helpers/server.js';

/**
 * A judge whose server cannot record (the recording disk below its minimum: here a minimum far above
 * the disk's real free space) is not left stuck at 开庭: asked whether to go on without recording,
 * the judge confirms, the session starts, and the room says it is not recorded.
 */
describe('starting a hearing that cannot be recorded', () => {
  let app: App;
  let access: DemoAccess;
  let browser: Browser;

  beforeAll(async () => {
    if (!fs.existsSync('dist/client/index.html')) throw new Error('the UI is not built: run `npm run build` first');
    app = await startTestServer({ SEED_DEMO: 'true', RECORDING_MIN_FREE_MB: '1000000000' });
    access = await demoAccess(app);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('asks the judge, and starts without recording only when the judge confirms', async () => {
    const judge = await openPageAs(browser, access.judge, access.hearingId);
    await judge.setViewportSize({ width: 1280, height: 800 });
    await judge.goto(`${app.url}/hearing/${access.hearingId}/${access.judge.participantId}`);
    const state = () => judge.getByTestId('floor-state').getAttribute('data-state');
    await judge.getByTestId('cmd-open').click();
    await expect.poll(state, { timeout: 10_000 }).toBe('open');

    await judge.getByTestId('cmd-start').click();
    await judge.getByTestId('without-recording').waitFor({ timeout: 10_000 });
    expect(await state()).toBe('open');
    expect((await app.scheduler.get(access.hearingId)).status).toBe('open');

    await judge.getByTestId('without-recording-confirm').click();
    await expect.poll(state, { timeout: 10_000 }).toBe('in_session');
    const notice = judge.getByTestId('recording-notice');
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.getAttribute('data-notice')).toBe('without_recording');
    expect(await judge.getByTestId('recording').count()).toBe(0);
    const logged = await app.database.db
      .selectFrom('audit_log')
      .select('details_json')
      .where('action', '=', 'recording.continued_without')
      .execute();
    expect(logged.map((e) => JSON.parse(e.details_json).by)).toEqual([`user:${access.judge.participantId}`]);
  });
});
