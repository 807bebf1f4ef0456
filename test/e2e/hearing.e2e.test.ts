import * as fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../server/App.js';
import { inboundStats, launchChromium, openPageAs } from '../helpers/browser.js';
import { admitParties, type DemoAccess, demoAccess } from '../helpers/demo.js';
import { routerTransportCount, startTestServer, waitFor } from '../helpers/server.js';
import { ackCode, connectRaw } from '../helpers/signalingClient.js';

/**
 * The walking skeleton end to end: the real server with real mediasoup workers, and three headless
 * Chromium pages with fake cameras and microphones — the 临安 judge, the 庆元 village kiosk (plaintiff)
 * and the 临安 community kiosk (defendant) of the demo hearing.
 */
describe('a cross-county hearing in three browsers', () => {
  let app: App;
  let access: DemoAccess;
  let browser: Browser;
  const pages = new Map<string, Page>();

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

  const remoteTiles = (page: Page) => page.locator('[data-testid="participant-tile"]:not(.tile-self)');

  it('the signed-in judge and both kiosks, called in, join: all see and hear each other', async () => {
    // Check-in, self-test and call-in are the courtroom test's; here both parties are in the hearing.
    await admitParties(app, access, ['plaintiff', 'defendant']);
    for (const who of ['judge', 'plaintiff', 'defendant'] as const) {
      const place = access[who];
      const page = await openPageAs(browser, place, access.hearingId);
      const path = who === 'judge' ? '/hearing' : '/kiosk/hearing';
      await page.goto(`${app.url}${path}/${access.hearingId}/${place.participantId}`);
      pages.set(who, page);
    }

    const judgePage = pages.get('judge');
    if (!judgePage) throw new Error('no judge page');
    await expect
      .poll(() => judgePage.getByTestId('room-status').first().getAttribute('data-status'), { timeout: 20_000 })
      .toBe('joined');
    await expect.poll(() => remoteTiles(judgePage).count(), { timeout: 20_000 }).toBe(2);
    for (const who of ['plaintiff', 'defendant'] as const) {
      await pages.get(who)?.getByTestId('in-hearing').waitFor({ timeout: 20_000 });
    }

    // Every page decodes video from the two others and receives their audio.
    for (const [id, page] of pages) {
      await waitFor(
        async () => {
          const stats = await inboundStats(page);
          return stats.video.filter((f) => f > 0).length >= 2 && stats.audio.filter((s) => s > 0).length >= 2;
        },
        20_000,
        `${id} to decode video and receive audio from both others`,
      );
      const stats = await inboundStats(page);
      expect(stats.video.filter((frames) => frames > 0)).toHaveLength(2);
      expect(stats.audio.filter((samples) => samples > 0)).toHaveLength(2);
    }

    // The kiosk shows the judge large.
    const plaintiff = pages.get('plaintiff');
    expect(await plaintiff?.locator('.tile-large').getAttribute('data-participant-id')).toBe(
      access.judge.participantId,
    );
    // Three participants, two transports each, on the server.
    await expect.poll(() => routerTransportCount(app, access.hearingId), { timeout: 10_000 }).toBe(6);
  });

  it('hostile signaling payloads get error acks while the hearing goes on undisturbed', async () => {
    const judge = pages.get('judge');
    if (!judge) throw new Error('previous test did not open the judge page');
    const framesBefore = (await inboundStats(judge)).video.reduce((a, b) => a + b, 0);

    const hostile = await connectRaw(app.url);
    try {
      expect(
        ackCode(await hostile.request('hearing:join', { hearingId: access.hearingId, participantId: { $ne: null } })),
      ).toBe('BAD_REQUEST');
      expect(ackCode(await hostile.request('media:createTransport', { direction: 'send' }))).toBe('INVALID_STATE');
      const someTransport = (await app.rooms.room(access.hearingId)?.router.dump())?.transportIds[0];
      expect(
        ackCode(await hostile.request('media:connectTransport', { transportId: someTransport, dtlsParameters: {} })),
      ).toBe('BAD_REQUEST');
      expect(ackCode(await hostile.request('media:consume', '{"producerId":1}'))).toBe('BAD_REQUEST');
    } finally {
      hostile.close();
    }

    await waitFor(
      async () => (await inboundStats(judge)).video.reduce((a, b) => a + b, 0) > framesBefore + 20,
      10_000,
      'the judge to keep decoding video',
    );
    expect(app.rooms.room(access.hearingId)?.peers).toHaveLength(3);
  });

  it('a kiosk whose connection drops rejoins by itself and sees and hears the others again', async () => {
    const plaintiff = pages.get('plaintiff');
    if (!plaintiff) throw new Error('previous test did not open the plaintiff page');
    const socket = [...app.io.sockets.sockets.values()].find(
      (s) => s.data.participantId === access.plaintiff.participantId,
    );
    if (!socket) throw new Error('the plaintiff has no connection on the server');
    const oldPeer = app.rooms.room(access.hearingId)?.peer(access.plaintiff.participantId);
    socket.conn.close(); // the network drops under the kiosk (not a server-initiated disconnect)

    await waitFor(() => oldPeer?.closed === true, 5_000, 'the server to drop the old connection');
    await waitFor(
      () => {
        const peer = app.rooms.room(access.hearingId)?.peer(access.plaintiff.participantId);
        return peer !== undefined && peer !== oldPeer && peer.producerInfos().length === 2;
      },
      20_000,
      'the kiosk to rejoin and send again',
    );
    await plaintiff.getByTestId('in-hearing').waitFor({ timeout: 20_000 });
    await waitFor(
      async () => {
        const stats = await inboundStats(plaintiff);
        return stats.video.filter((f) => f > 0).length >= 2 && stats.audio.filter((s) => s > 0).length >= 2;
      },
      20_000,
      'the rejoined kiosk to receive both others again',
    );
    await expect.poll(() => remoteTiles(plaintiff).count()).toBe(2);
    await expect.poll(() => routerTransportCount(app, access.hearingId), { timeout: 10_000 }).toBe(6);
  });

  it('when a kiosk leaves, the others see it go and the server holds nothing for it', async () => {
    const defendant = pages.get('defendant');
    const judgePage = pages.get('judge');
    if (!defendant || !judgePage) throw new Error('previous test did not open the pages');
    // The judge sends the defendant back to the waiting room, where the operator may leave.
    await judgePage.getByTestId(`dismiss-${access.defendant.participantId}`).click();
    await defendant.getByTestId('waiting-room').waitFor({ timeout: 10_000 });
    await defendant.getByTestId('kiosk-leave').click();
    await defendant.getByTestId('kiosk-leave-confirm').click();
    await waitFor(
      () => app.rooms.room(access.hearingId)?.peer(access.defendant.participantId) === undefined,
      10_000,
      'the defendant to leave',
    );

    for (const id of ['judge', 'plaintiff']) {
      const page = pages.get(id);
      if (!page) throw new Error(`no page for ${id}`);
      await expect.poll(() => remoteTiles(page).count(), { timeout: 10_000 }).toBe(1);
      await expect
        .poll(() =>
          page
            .locator(`[data-testid="participant-list"] [data-participant-id="${access.defendant.participantId}"]`)
            .count(),
        )
        .toBe(0);
    }
    const room = app.rooms.room(access.hearingId);
    expect(room?.peer(access.defendant.participantId)).toBeUndefined();
    await waitFor(
      async () => (await routerTransportCount(app, access.hearingId)) === 4,
      5_000,
      'the server to drop its transports',
    );
    for (const peer of room?.peers ?? []) expect(peer.consumerCount).toBe(2); // audio + video of the one other
  });

  it('a kiosk that closes its window is dropped like one that left; the empty room closes', async () => {
    await pages.get('plaintiff')?.context().close();
    await waitFor(
      async () => (await routerTransportCount(app, access.hearingId)) === 2,
      10_000,
      'the closed kiosk to be dropped',
    );
    const judge = pages.get('judge');
    await expect.poll(() => (judge ? remoteTiles(judge).count() : -1), { timeout: 10_000 }).toBe(0);

    const router = app.rooms.room(access.hearingId)?.router;
    await judge?.context().close();
    await waitFor(() => app.rooms.room(access.hearingId) === undefined, 10_000, 'the room to close');
    expect(router?.closed).toBe(true);
  });
});
