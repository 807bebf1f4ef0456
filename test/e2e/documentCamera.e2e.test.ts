import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../server/App.js';
import type { DesktopAnswer, DesktopApi, DesktopState, DeviceChoice, KioskCredential } from '../../shared/desktop.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, openPageAs } from '../helpers/browser.js';
import { admitParties, type DemoAccess, demoAccess } from '../helpers/demo.js';
import { startTestServer, waitFor } from '../helpers/server.js';

const run = promisify(execFile);

/**
 * Chromium's fake capture with three cameras (fake_device_0..2) instead of one: the kiosk's chosen
 * camera and its document camera are then both other than the system default (fake_device_0), so the
 * test tells "opened the chosen device" from "opened the default".
 */
const ARGS = CHROMIUM_ARGS.map((arg) =>
  arg === '--use-fake-device-for-media-stream' ? '--use-fake-device-for-media-stream=device-count=3' : arg,
);

/**
 * A test double of the Electron preload in kiosk mode, already provisioned, installed before the app's
 * scripts run: the same `DesktopApi` on `window.courtDesktop`, answering the kiosk's real credential
 * (enrolled at the test server) and the operator's device choice. Runs in the page: self-contained.
 */
function installKioskShell({ credential, devices }: { credential: KioskCredential; devices: DeviceChoice }): void {
  const state: DesktopState = {
    mode: 'kiosk',
    provisioning: { status: 'provisioned', kioskId: credential.kioskId, siteId: credential.siteId },
    credentialStorage: 'encrypted',
    serverUrl: window.location.origin,
    devices,
    connection: 'online',
    operatorLock: { status: 'locked', failedAttempts: 0 },
  };
  const ok = <T>(data: T): DesktopAnswer<T> => ({ ok: true, data });
  const locked: DesktopAnswer<never> = { ok: false, error: { code: 'FORBIDDEN', message: 'locked' } };
  const api: DesktopApi = {
    getState: async () => ok(structuredClone(state)),
    getKioskCredential: async () => ok(credential),
    provision: async () => ({ ok: false, error: { code: 'INVALID_STATE', message: 'already provisioned' } }),
    setServer: async () => ({ ok: false, error: { code: 'INVALID_STATE', message: 'not the judge app' } }),
    unlock: async () => ok({ outcome: 'wrong_pin', retryAtMs: null }),
    lock: async () => ok(structuredClone(state)),
    exitKiosk: async () => locked,
    reprovision: async () => locked,
    chooseDevices: async () => locked,
    notify: async () => ok(null),
    setInHearing: async () => ok(null),
    onStateChanged: () => () => undefined,
  };
  Object.defineProperty(window, 'courtDesktop', { value: Object.freeze(api) });
}

/** What ffprobe reads of a recorded file: its video codec, picture size and frames. */
async function probeVideo(file: string): Promise<{ codec: string; width: number; frames: number }> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-count_frames',
    '-show_entries',
    'stream=codec_name,width,nb_read_frames',
    '-of',
    'json',
    file,
  ]);
  const stream = (JSON.parse(stdout) as { streams?: Array<Record<string, unknown>> }).streams?.[0] ?? {};
  return { codec: String(stream.codec_name), width: Number(stream.width), frames: Number(stream.nb_read_frames) };
}

/** A playing video element's picture width and clock, found by a CSS selector in the page. */
const videoState = (page: Page, selector: string) =>
  page.evaluate((css) => {
    const video = document.querySelector<HTMLVideoElement>(css);
    return video ? { width: video.videoWidth, time: video.currentTime } : null;
  }, selector);

/** The settings' deviceId of the first track of `kind` of a video element's stream. */
const trackDevice = (page: Page, selector: string, kind: 'audio' | 'video') =>
  page.evaluate(
    ({ css, kind }) => {
      const video = document.querySelector<HTMLVideoElement>(css);
      const stream = video?.srcObject instanceof MediaStream ? video.srcObject : null;
      const track = kind === 'video' ? stream?.getVideoTracks()[0] : stream?.getAudioTracks()[0];
      return track ? { deviceId: track.getSettings().deviceId ?? null, state: track.readyState } : null;
    },
    { css: selector, kind },
  );

/**
 * The hall's document camera, end to end: the kiosk in its desktop shell (a test double of the
 * preload) with the operator's camera, microphone, speaker and document camera chosen; the judge in
 * Chromium. The kiosk opens the chosen devices; the judge has the document camera shown, sees and
 * records it as its own picture, and stops it.
 */
describe('the kiosk’s document camera', () => {
  let app: App;
  let access: DemoAccess;
  let browser: Browser;

  beforeAll(async () => {
    if (!fs.existsSync('dist/client/index.html')) throw new Error('the UI is not built: run `npm run build` first');
    if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}`);
    app = await startTestServer({ SEED_DEMO: 'true' });
    access = await demoAccess(app);
    // The villager checked in, passed the self-test and was called in earlier; the kiosk rejoins.
    await admitParties(app, access, ['plaintiff', 'defendant']);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('opens the chosen devices, shows the document camera at the judge’s request, records it, and stops it', async () => {
    // The devices as this kiosk's browser names them (ids are per origin and profile): what the
    // operator would pick in the shell's menu.
    const context = await browser.newContext();
    const kiosk = await context.newPage();
    await kiosk.setViewportSize({ width: 1280, height: 800 });
    await kiosk.goto(`${app.url}/api/health`);
    const devices = await kiosk.evaluate(async () => {
      const probe = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      const defaultCamera = probe.getVideoTracks()[0]?.getSettings().deviceId ?? '';
      for (const track of probe.getTracks()) track.stop();
      const all = await navigator.mediaDevices.enumerateDevices();
      const ids = (kind: MediaDeviceKind) =>
        all.filter((d) => d.kind === kind && d.deviceId !== 'default').map((d) => d.deviceId);
      return {
        defaultCamera,
        cameras: ids('videoinput'),
        microphones: ids('audioinput'),
        speakers: ids('audiooutput'),
      };
    });
    // Chromium's device-count parameter works: three cameras, the first the default.
    expect(devices.cameras).toHaveLength(3);
    expect(devices.cameras[0]).toBe(devices.defaultCamera);
    const [, camera, documentCamera] = devices.cameras;
    const microphone = devices.microphones.at(-1);
    const speaker = devices.speakers.at(-1);
    if (!camera || !documentCamera || !microphone || !speaker) throw new Error('fake devices missing');
    const chosen = { camera, microphone, speaker, documentCamera, defaultCamera: devices.defaultCamera };
    const stored = access.plaintiff.stored;
    await context.addInitScript(installKioskShell, {
      credential: {
        credential: String(stored.credential),
        kioskId: String(stored.kioskId),
        siteId: String(stored.siteId),
      },
      devices: { camera, microphone, speaker, documentCamera },
    });
    const plaintiffId = access.plaintiff.participantId;
    await kiosk.goto(`${app.url}/kiosk/hearing/${access.hearingId}/${plaintiffId}`);

    const judge = await openPageAs(browser, access.judge, access.hearingId);
    await judge.setViewportSize({ width: 1280, height: 900 });
    await judge.goto(`${app.url}/hearing/${access.hearingId}/${access.judge.participantId}`);
    // The other party, at a kiosk in a plain browser (no shell: the system's devices, no document camera).
    const other = await openPageAs(browser, access.defendant, access.hearingId);
    await other.setViewportSize({ width: 1280, height: 800 });
    await other.goto(`${app.url}/kiosk/hearing/${access.hearingId}/${access.defendant.participantId}`);
    await kiosk.getByTestId('in-hearing').waitFor({ timeout: 20_000 });

    // The kiosk opened the operator's camera and microphone, not the defaults, and plays the court
    // through the chosen speaker.
    const selfVideo = '[data-testid="in-hearing"] .tile-self video';
    await expect
      .poll(() => trackDevice(kiosk, selfVideo, 'video'), { timeout: 10_000 })
      .toEqual({
        deviceId: chosen.camera,
        state: 'live',
      });
    expect(chosen.camera).not.toBe(chosen.defaultCamera);
    expect(await trackDevice(kiosk, selfVideo, 'audio')).toEqual({ deviceId: chosen.microphone, state: 'live' });
    // Every picture's sound (the judge's; the other party's once they are in) on the chosen speaker.
    const sinks = () =>
      kiosk.evaluate(() =>
        [...document.querySelectorAll<HTMLAudioElement>('[data-testid="in-hearing"] audio')].map((a) => a.sinkId),
      );
    await expect.poll(async () => [...new Set(await sinks())], { timeout: 20_000 }).toEqual([chosen.speaker]);

    // The judge's desk offers the party's document camera (not the other party's: their kiosk has
    // none); the session starts (and is recorded).
    const showButton = judge.getByTestId(`show-document-${plaintiffId}`);
    await showButton.waitFor({ timeout: 20_000 });
    await other.getByTestId('in-hearing').waitFor({ timeout: 20_000 });
    expect(await judge.getByTestId(`show-document-${access.defendant.participantId}`).count()).toBe(0);
    await judge.getByTestId('cmd-start').click();
    await expect
      .poll(() => judge.getByTestId('floor-state').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('in_session');
    await showButton.click();

    // The judge sees the document as its own large picture, labelled with whose it is, playing.
    const tile = judge.locator(`[data-testid="document-tile"][data-participant-id="${plaintiffId}"]`);
    await tile.waitFor({ timeout: 10_000 });
    expect(await tile.textContent()).toContain('李建国的实物展台');
    const judgeVideo = `[data-testid="document-tile"][data-participant-id="${plaintiffId}"] video`;
    await expect
      .poll(async () => (await videoState(judge, judgeVideo))?.width ?? 0, { timeout: 10_000 })
      .toBeGreaterThan(0);
    const before = (await videoState(judge, judgeVideo))?.time ?? 0;
    await expect
      .poll(async () => (await videoState(judge, judgeVideo))?.time ?? 0, { timeout: 5_000 })
      .toBeGreaterThan(before + 0.5);
    // The party's own camera stays a picture of its own beside it.
    const partyTile = judge.locator(`[data-testid="participant-tile"][data-participant-id="${plaintiffId}"]`);
    expect(await partyTile.getAttribute('data-has-video')).toBe('true');
    await judge.getByTestId(`stop-document-${plaintiffId}`).waitFor();
    expect(await judge.getByTestId(`showing-document-${plaintiffId}`).count()).toBe(1);

    // The other party sees the evidence as the main picture, with whose it is.
    const shownElsewhere = other.locator(`[data-testid="document-tile"][data-participant-id="${plaintiffId}"]`);
    await shownElsewhere.waitFor({ timeout: 10_000 });
    expect(await shownElsewhere.textContent()).toContain('李建国出示的材料');
    const otherVideo = `[data-testid="document-tile"][data-participant-id="${plaintiffId}"] video`;
    await expect
      .poll(async () => (await videoState(other, otherVideo))?.width ?? 0, { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(await other.getByTestId('document-sharing').count()).toBe(0);

    // The villager is told the document camera is being shown, and sees it: the chosen device.
    const sharing = kiosk.getByTestId('document-sharing');
    await expect.poll(() => sharing.getAttribute('data-state'), { timeout: 10_000 }).toBe('on');
    expect(await sharing.textContent()).toContain('正在向法庭展示');
    expect(await trackDevice(kiosk, '[data-testid="document-preview"] video', 'video')).toEqual({
      deviceId: chosen.documentCamera,
      state: 'live',
    });
    // Held on to, to see that the kiosk releases the camera when it is stopped.
    await kiosk.evaluate(() => {
      const preview = document.querySelector<HTMLVideoElement>('[data-testid="document-preview"] video');
      const stream = preview?.srcObject instanceof MediaStream ? preview.srcObject : null;
      Reflect.set(window, '__documentTrack', stream?.getVideoTracks()[0]);
    });

    // The other party's sound, come meanwhile, plays through the chosen speaker too.
    await expect
      .poll(
        async () => {
          const ids = await sinks();
          return ids.length === 2 && ids.every((id) => id === chosen.speaker);
        },
        { timeout: 10_000 },
      )
      .toBe(true);

    // The recording has the document camera as a stream of its own.
    const documentRecorder = () =>
      app.recordings
        .recorders(access.hearingId)
        .find((r) => r.participantId === plaintiffId && r.source === 'document');
    await waitFor(() => documentRecorder() !== undefined, 10_000, 'a recorder of the document camera');
    const recordedId = documentRecorder()?.segmentId;
    await new Promise((resolve) => setTimeout(resolve, 2_500));

    // The judge stops it: the picture goes on both sides, the kiosk releases the camera.
    await judge.getByTestId(`stop-document-${plaintiffId}`).click();
    await expect.poll(() => tile.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => shownElsewhere.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => sharing.count(), { timeout: 10_000 }).toBe(0);
    expect(await kiosk.getByTestId('document-preview').count()).toBe(0);
    expect(
      await kiosk.evaluate(() => {
        const track: unknown = Reflect.get(window, '__documentTrack');
        return track instanceof MediaStreamTrack ? track.readyState : null;
      }),
    ).toBe('ended');
    await showButton.waitFor({ timeout: 10_000 });
    expect(await partyTile.getAttribute('data-has-video')).toBe('true');

    await waitFor(() => documentRecorder() === undefined, 10_000, 'the document recorder to stop');
    await app.recordings.settled(access.hearingId);
    const segment = await app.database.db
      .selectFrom('recording_segments')
      .selectAll()
      .where('id', '=', recordedId ?? '')
      .executeTakeFirstOrThrow();
    expect(segment).toMatchObject({
      participant_id: plaintiffId,
      kind: 'video',
      source: 'document',
      status: 'complete',
      stop_reason: 'document_stopped',
    });
    const probed = await probeVideo(path.join(app.recordings.dir, segment.file));
    expect(probed.codec).toBe('vp8');
    expect(probed.width).toBeGreaterThan(0);
    expect(probed.frames).toBeGreaterThan(10);
    expect(segment.frame_count ?? 0).toBeGreaterThan(0);

    // The recording page shows it as a lane of its own beside the party's camera, named as such.
    await judge.goto(`${app.url}/hearings/${access.hearingId}/recording`);
    const lanes = judge.locator(`[data-testid="recording-lane"][data-participant-id="${plaintiffId}"]`);
    const documentLane = lanes.and(judge.locator('[data-stream="document"]'));
    await documentLane.waitFor({ timeout: 10_000 });
    expect(await documentLane.textContent()).toContain('实物展台');
    expect(await lanes.evaluateAll((all) => all.map((lane) => lane.getAttribute('data-stream')))).toEqual([
      'video',
      'document',
      'audio',
    ]);
  });
});
