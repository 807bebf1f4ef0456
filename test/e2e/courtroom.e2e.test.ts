import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../server/App.js';
import { inboundStats, launchChromium, openPageAs } from '../helpers/browser.js';
import { type DemoAccess, demoAccess, type Place } from '../helpers/demo.js';
import { startTestServer, waitFor } from '../helpers/server.js';

/** Screenshots of the kiosk and judge screens, linked from the README (written by this test). */
const SCREENSHOTS = path.resolve('docs/screenshots');

type Party = 'plaintiff' | 'defendant';

/**
 * The hearing itself, end to end, in four Chromium pages with fake cameras and microphones: the two
 * village kiosks of the demo hearing (check-in with the operator's PIN, self-test, waiting room,
 * hearing, transcript signature), the judge (waiting room, call-in, session, pause, mute, close) and
 * the clerk (transcript, live console). What each step asserts is what the person at that screen sees,
 * plus what the media does (getStats) and what the server stored.
 */
describe('a hearing from check-in to the signed transcript', () => {
  let app: App;
  let access: DemoAccess;
  let browser: Browser;
  const pages = new Map<string, Page>();
  const page = (who: string): Page => {
    const found = pages.get(who);
    if (!found) throw new Error(`no page for ${who} (an earlier step failed)`);
    return found;
  };
  /** Kiosk screens as the villager sees them (one screen); the judge's and clerk's pages whole. */
  const shot = async (who: string, name: string) => {
    const shown = page(who);
    await shown.evaluate(() => window.scrollTo(0, 0));
    await shown.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: !name.startsWith('kiosk') });
  };
  const floorState = (who: string) => page(who).getByTestId('floor-state').getAttribute('data-state');
  const row = (who: Party) => page('judge').getByTestId(`participant-row-${access[who].participantId}`);

  const open = async (who: string, place: Place, url: string, viewport = { width: 1280, height: 800 }) => {
    const opened = await openPageAs(
      browser,
      { participantId: place.participantId, stored: place.stored },
      access.hearingId,
    );
    await opened.setViewportSize(viewport);
    await opened.goto(`${app.url}${url}`);
    pages.set(who, opened);
    return opened;
  };
  const press = async (kiosk: Page, digits: string) => {
    for (const key of digits) await kiosk.getByTestId(`keypad-${key}`).click();
  };
  /** The operator taps the hearing and the villager; the villager types the digits, the operator the PIN. */
  const checkIn = async (who: Party, idTail: string, pin: string) => {
    const kiosk = page(who);
    await kiosk.locator(`[data-testid="kiosk-hearing-card"][data-hearing-id="${access.hearingId}"]`).click();
    // A site with one participant of the hearing goes straight to the keypad; otherwise choose who.
    const chooser = kiosk.getByTestId(`kiosk-participant-${access[who].participantId}`);
    await Promise.race([chooser.waitFor(), kiosk.getByTestId('checkin-idtail').waitFor()]);
    if ((await chooser.count()) > 0) await chooser.click();
    await kiosk.getByTestId('checkin-idtail').waitFor();
    await press(kiosk, idTail);
    await kiosk.getByTestId('check-in-submit').click();
    await kiosk.getByTestId('checkin-pin').waitFor();
    await press(kiosk, pin);
    await kiosk.getByTestId('check-in-submit').click();
  };
  const statusOnServer = async (who: Party) => {
    const entry = await app.catalog.load(access.hearingId);
    if (!entry) throw new Error('demo hearing missing');
    const floor = (await app.floors.floor(entry)).snapshot();
    return floor.participants.find((p) => p.participantId === access[who].participantId)?.status.state;
  };
  /** Audio RTP packets this page received from `from` (by the tracks of that participant's tile). */
  const audioPacketsFrom = (viewer: Page, from: string) =>
    viewer.evaluate(async (participantId) => {
      const tile = document.querySelector(`[data-testid="participant-tile"][data-participant-id="${participantId}"]`);
      const ids = new Set<string>();
      for (const media of tile?.querySelectorAll('video, audio') ?? []) {
        const stream = (media as HTMLMediaElement).srcObject;
        if (stream instanceof MediaStream) for (const track of stream.getAudioTracks()) ids.add(track.id);
      }
      let packets = 0;
      const pcs: RTCPeerConnection[] = Reflect.get(window, '__peerConnections') ?? [];
      for (const pc of pcs) {
        if (pc.connectionState === 'closed') continue;
        (await pc.getStats()).forEach(
          (s: { type: string; kind?: string; trackIdentifier?: string; packetsReceived?: number }) => {
            if (s.type === 'inbound-rtp' && s.kind === 'audio' && ids.has(s.trackIdentifier ?? '')) {
              packets += s.packetsReceived ?? 0;
            }
          },
        );
      }
      return packets;
    }, from);
  /** Audio RTP packets this page sent. */
  const audioPacketsSent = (sender: Page) =>
    sender.evaluate(async () => {
      let packets = 0;
      const pcs: RTCPeerConnection[] = Reflect.get(window, '__peerConnections') ?? [];
      for (const pc of pcs) {
        if (pc.connectionState === 'closed') continue;
        (await pc.getStats()).forEach((s: { type: string; kind?: string; packetsSent?: number }) => {
          if (s.type === 'outbound-rtp' && s.kind === 'audio') packets += s.packetsSent ?? 0;
        });
      }
      return packets;
    });
  const sign = async (who: Party) => {
    const kiosk = page(who);
    await kiosk.getByTestId('transcript-text').waitFor({ timeout: 15_000 });
    const pad = kiosk.getByTestId('signature-pad');
    await pad.scrollIntoViewIfNeeded();
    const box = await pad.boundingBox();
    if (!box) throw new Error('the signature pad is not visible');
    await kiosk.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.6);
    await kiosk.mouse.down();
    for (let i = 1; i <= 12; i++) {
      await kiosk.mouse.move(box.x + box.width * (0.2 + i * 0.05), box.y + box.height * (0.6 - 0.3 * Math.sin(i / 2)));
    }
    await kiosk.mouse.up();
    await kiosk.getByTestId('sign-submit').click();
    await kiosk.getByTestId('signed-done').waitFor({ timeout: 10_000 });
  };

  beforeAll(async () => {
    if (!fs.existsSync('dist/client/index.html')) throw new Error('the UI is not built: run `npm run build` first');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    app = await startTestServer({ SEED_DEMO: 'true' });
    access = await demoAccess(app);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a villager whose ID digits are wrong is sent back to the keypad; with the right ones the self-test completes', async () => {
    const plaintiff = await open('plaintiff', access.plaintiff, '/kiosk');
    await plaintiff.getByTestId('kiosk-welcome').waitFor({ timeout: 15_000 });
    await expect.poll(() => plaintiff.getByTestId('kiosk-welcome').textContent()).toContain('小园村');
    await shot('plaintiff', 'kiosk-welcome');

    await checkIn('plaintiff', '0000', access.plaintiff.operatorPin ?? '');
    await plaintiff.getByTestId('checkin-error').waitFor({ timeout: 10_000 });
    expect(await plaintiff.getByTestId('selftest').count()).toBe(0);
    expect(await statusOnServer('plaintiff')).toBe('not_checked_in');

    // Back on the keypad, with the sentence: the villager types the right digits, the operator the PIN.
    expect(await plaintiff.getByTestId('checkin-idtail').count()).toBe(1);
    await press(plaintiff, access.plaintiff.idTail ?? '');
    await plaintiff.getByTestId('check-in-submit').click();
    await plaintiff.getByTestId('checkin-pin').waitFor();
    await press(plaintiff, access.plaintiff.operatorPin ?? '');
    await plaintiff.getByTestId('check-in-submit').click();
    await plaintiff.getByTestId('selftest').waitFor({ timeout: 20_000 });
    expect(await statusOnServer('plaintiff')).toBe('checked_in');

    // Camera preview, microphone level, the tone heard, the network measured, a score.
    await waitFor(
      () => plaintiff.getByTestId('selftest-camera').evaluate((v) => (v as HTMLVideoElement).videoWidth > 0),
      15_000,
      'the camera preview',
    );
    await waitFor(
      async () => Number(await plaintiff.getByTestId('selftest-mic-level').getAttribute('data-level')) > 0,
      15_000,
      'the microphone level to move',
    );
    await plaintiff.getByTestId('selftest-tone-play').first().click();
    await plaintiff.getByTestId('selftest-tone-yes').click({ timeout: 10_000 });
    await waitFor(
      async () => (await plaintiff.getByTestId('selftest-network').getAttribute('data-rtt')) !== null,
      20_000,
      'the network check',
    );
    const score = await plaintiff.getByTestId('selftest-score').getAttribute('data-score', { timeout: 10_000 });
    expect(['good', 'ok', 'bad']).toContain(score);
    await shot('plaintiff', 'kiosk-self-test');
    await plaintiff.getByTestId('selftest-continue').click();
    await plaintiff.getByTestId('waiting-room').waitFor({ timeout: 10_000 });
    expect(await statusOnServer('plaintiff')).toBe('waiting');
    // A reload of the kiosk comes back to the same place, without a new check-in.
    await plaintiff.reload();
    await plaintiff.getByTestId('waiting-room').waitFor({ timeout: 20_000 });
    expect(await statusOnServer('plaintiff')).toBe('waiting');

    // The defendant, at the other county's site, the same way.
    const defendant = await open('defendant', access.defendant, '/kiosk');
    await defendant.getByTestId('kiosk-welcome').waitFor({ timeout: 15_000 });
    await checkIn('defendant', access.defendant.idTail ?? '', access.defendant.operatorPin ?? '');
    await defendant.getByTestId('selftest').waitFor({ timeout: 20_000 });
    await defendant.getByTestId('selftest-tone-play').first().click();
    await defendant.getByTestId('selftest-tone-yes').click({ timeout: 10_000 });
    await defendant.getByTestId('selftest-continue').click({ timeout: 30_000 });
    await defendant.getByTestId('waiting-room').waitFor({ timeout: 10_000 });
    const booking = await app.scheduler.get(access.hearingId);
    const defendantName = booking.participants.find((p) => p.id === access.defendant.participantId)?.name ?? '?';
    await expect
      .poll(() => plaintiff.getByTestId('waiting-others').textContent(), { timeout: 10_000 })
      .toContain(defendantName);
    await shot('plaintiff', 'kiosk-waiting-room');
  });

  it('the judge opens the waiting room, calls both in and starts; everyone sees and hears the others', async () => {
    const judge = await open('judge', access.judge, `/hearing/${access.hearingId}/${access.judge.participantId}`);
    await expect.poll(() => floorState('judge'), { timeout: 20_000 }).toBe('scheduled');
    await judge.getByTestId('cmd-open').click();
    await expect.poll(() => floorState('judge')).toBe('open');
    for (const who of ['plaintiff', 'defendant'] as const) {
      await expect.poll(() => row(who).getAttribute('data-status')).toBe('waiting');
      await judge.getByTestId(`call-in-${access[who].participantId}`).click();
      await expect.poll(() => row(who).getAttribute('data-status')).toBe('in_hearing');
      await page(who).getByTestId('in-hearing').waitFor({ timeout: 10_000 });
    }
    await judge.getByTestId('cmd-start').click();
    await expect.poll(() => floorState('judge')).toBe('in_session');
    await expect
      .poll(() => page('plaintiff').getByTestId('in-hearing').getAttribute('data-hearing-state'))
      .toBe('in_session');

    for (const who of ['judge', 'plaintiff', 'defendant']) {
      await waitFor(
        async () => {
          const stats = await inboundStats(page(who));
          return stats.video.filter((f) => f > 0).length >= 2 && stats.audio.filter((s) => s > 0).length >= 2;
        },
        20_000,
        `${who} to decode video and receive audio from both others`,
      );
    }
    await shot('plaintiff', 'kiosk-in-hearing');
    await shot('judge', 'judge-room');
  });

  it('a muted villager is not heard even though the kiosk keeps sending; they raise a hand; unmuted, heard again', async () => {
    const judge = page('judge');
    const plaintiff = page('plaintiff');
    const from = access.plaintiff.participantId;
    await judge.getByTestId(`mute-${from}`).click();
    await plaintiff.getByTestId('muted-notice').waitFor({ timeout: 10_000 });
    await expect.poll(() => row('plaintiff').getAttribute('data-muted')).toBe('true');

    await new Promise((resolve) => setTimeout(resolve, 1500)); // packets in flight arrive
    const [received0, sent0, other0] = await Promise.all([
      audioPacketsFrom(judge, from),
      audioPacketsSent(plaintiff),
      audioPacketsFrom(judge, access.defendant.participantId),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const [received1, sent1, other1] = await Promise.all([
      audioPacketsFrom(judge, from),
      audioPacketsSent(plaintiff),
      audioPacketsFrom(judge, access.defendant.participantId),
    ]);
    expect(sent1 - sent0, 'the kiosk keeps sending its microphone').toBeGreaterThan(50);
    expect(received1 - received0, 'the judge receives nothing of it').toBe(0);
    expect(other1 - other0, 'the defendant is still heard').toBeGreaterThan(50);

    // The judge puts the defendant on everyone's main view, then gives it back.
    const large = () => plaintiff.locator('.tile-large').getAttribute('data-participant-id');
    expect(await large()).toBe(access.judge.participantId);
    await judge.getByTestId(`spotlight-${access.defendant.participantId}`).click();
    await expect.poll(large, { timeout: 10_000 }).toBe(access.defendant.participantId);
    await judge.getByTestId('spotlight-clear').click();
    await expect.poll(large, { timeout: 10_000 }).toBe(access.judge.participantId);

    await plaintiff.getByTestId('raise-hand').click();
    await judge.getByTestId(`hand-${from}`).waitFor({ timeout: 10_000 });
    await judge.getByTestId(`unmute-${from}`).click();
    await waitFor(
      async () => (await audioPacketsFrom(judge, from)) > received1 + 20,
      10_000,
      'the judge to hear the plaintiff again',
    );
  });

  it('pause with a reason and resume; a reload of the judge page mid-session restores the state', async () => {
    const judge = page('judge');
    await judge.getByTestId('cmd-pause').click();
    await judge.getByTestId('pause-reason').fill('合议庭评议');
    await judge.getByTestId('pause-confirm').click();
    await expect.poll(() => floorState('judge')).toBe('paused');
    await page('defendant').getByTestId('paused-banner').waitFor({ timeout: 10_000 });
    expect(await page('defendant').getByTestId('paused-banner').textContent()).toContain('合议庭评议');
    await judge.getByTestId('cmd-resume').click();
    await expect.poll(() => floorState('judge')).toBe('in_session');

    await judge.reload();
    await expect.poll(() => floorState('judge'), { timeout: 20_000 }).toBe('in_session');
    for (const who of ['plaintiff', 'defendant'] as const) {
      await expect.poll(() => row(who).getAttribute('data-status'), { timeout: 10_000 }).toBe('in_hearing');
    }
    await waitFor(
      async () => (await inboundStats(judge)).video.filter((f) => f > 0).length >= 2,
      20_000,
      'the reloaded judge page to see both kiosks again',
    );
  });

  it('the clerk writes the transcript; after closing both villagers sign it and the judge sees both signatures', async () => {
    const clerk = await open('clerk', access.clerk, `/hearing/${access.hearingId}/${access.clerk.participantId}`);
    const editor = clerk.getByTestId('transcript-editor');
    await editor.waitFor({ timeout: 20_000 });
    const text = '审判长：现在开庭。\n原告吴某：请求被告支付拖欠租金。\n被告郑某：对欠款无异议，请求分期。';
    await editor.fill(text);
    await expect
      .poll(() => clerk.getByTestId('transcript-status').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('saved');
    expect(Number(await clerk.getByTestId('transcript-version').getAttribute('data-version'))).toBeGreaterThanOrEqual(
      1,
    );

    const judge = page('judge');
    await judge.getByTestId('cmd-close').click();
    await judge.getByTestId('close-confirm').click();
    await expect.poll(() => floorState('judge')).toBe('closed');

    for (const who of ['plaintiff', 'defendant'] as const) {
      await page(who).getByTestId('transcript-text').waitFor({ timeout: 15_000 });
      expect(await page(who).getByTestId('transcript-text').textContent()).toContain('请求分期');
    }
    await shot('plaintiff', 'kiosk-transcript');
    for (const who of ['plaintiff', 'defendant'] as const) await sign(who);
    for (const who of ['plaintiff', 'defendant'] as const) {
      await expect
        .poll(() => judge.getByTestId(`signature-${access[who].participantId}`).getAttribute('data-intact'), {
          timeout: 10_000,
        })
        .toBe('true');
    }
    await shot('judge', 'judge-signatures');

    const stored = await app.database.db
      .selectFrom('transcript_signatures')
      .select(['participant_id', 'version', 'signature_png'])
      .where('hearing_id', '=', access.hearingId)
      .execute();
    expect(stored.map((s) => s.participant_id).sort()).toEqual(
      [access.plaintiff.participantId, access.defendant.participantId].sort(),
    );
    for (const s of stored) expect(s.signature_png).toMatch(/^data:image\/png;base64,/);
  });

  it('tampering with the stored transcript text after signing is shown to the judge', async () => {
    const latest = await app.database.db
      .selectFrom('transcript_versions')
      .select(['version', 'text'])
      .where('hearing_id', '=', access.hearingId)
      .orderBy('version', 'desc')
      .executeTakeFirstOrThrow();
    await app.database.db
      .updateTable('transcript_versions')
      .set({ text: latest.text.replace('请求分期', '同意一次付清') })
      .where('hearing_id', '=', access.hearingId)
      .where('version', '=', latest.version)
      .execute();
    const judge = page('judge');
    await judge.reload();
    for (const who of ['plaintiff', 'defendant'] as const) {
      await expect
        .poll(() => judge.getByTestId(`signature-${access[who].participantId}`).getAttribute('data-intact'), {
          timeout: 20_000,
        })
        .toBe('false');
    }
  });

  it("the clerk's console lists the court's hearings of today and takes acknowledgements", async () => {
    // A help request from a kiosk of another, still scheduled hearing would need another check-in;
    // the plaintiff's disconnection alerts of this hearing are there already (the reloads did not
    // raise any: the judge is staff). Raise one the villager's way: the help button is on the hearing
    // screen, gone after closing, so ask through the floor as the kiosk would.
    const entry = await app.catalog.load(access.hearingId);
    if (!entry) throw new Error('demo hearing missing');
    await (await app.floors.floor(entry)).setHelp(access.defendant.participantId, true);

    const clerk = page('clerk');
    await clerk.goto(`${app.url}/clerk`);
    await clerk.getByTestId('console').waitFor({ timeout: 20_000 });
    await clerk.getByTestId(`console-hearing-${access.hearingId}`).waitFor({ timeout: 10_000 });
    const alert = clerk.locator('[data-testid^="alert-"][data-kind="help_requested"]').first();
    await alert.waitFor({ timeout: 10_000 });
    const alertId = (await alert.getAttribute('data-testid'))?.slice('alert-'.length) ?? '';
    await clerk.getByTestId(`ack-${alertId}`).click();
    await waitFor(
      async () =>
        (await app.database.db.selectFrom('alerts').select('acked_ms').where('id', '=', alertId).executeTakeFirst())
          ?.acked_ms != null,
      10_000,
      'the acknowledgement to be stored',
    );
    await shot('clerk', 'clerk-console');
  });
});
