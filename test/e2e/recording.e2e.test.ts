import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../server/App.js';
import { verifyBundle, writeBundle } from '../../server/recording/bundle.js';
import type { SegmentRow } from '../../server/recording/metadata.js';
import { verifyRecordings } from '../../server/recording/verifyRecordings.js';
import { launchChromium, openPageAs } from '../helpers/browser.js';
import { admitParties, type DemoAccess, demoAccess, hearingFloor } from '../helpers/demo.js';
import { startTestServer, waitFor } from '../helpers/server.js';

const run = promisify(execFile);

/** Frames FFmpeg decodes in the first second of a video file. */
async function framesInFirstSecond(file: string): Promise<number> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-count_frames',
    '-read_intervals',
    '%+1',
    '-show_entries',
    'stream=nb_read_frames',
    '-of',
    'csv=p=0',
    file,
  ]);
  return Number.parseInt(stdout.trim(), 10) || 0;
}

/** Duration of a media file as ffprobe reads it, in ms. */
async function probedDurationMs(file: string): Promise<number> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  return Math.round(Number.parseFloat(stdout.trim()) * 1000);
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Recording as evidence, end to end: the judge and two village kiosks in Chromium with fake devices;
 * the server records each one's camera and microphone with FFmpeg. The files are checked with ffprobe
 * (durations against the logged times, video decodable from its first second) and their SHA-256
 * against the metadata; a killed FFmpeg is replaced and its gap logged.
 */
describe('recording a hearing', () => {
  let app: App;
  let access: DemoAccess;
  let browser: Browser;
  const pages = new Map<string, Page>();
  const page = (who: string): Page => {
    const found = pages.get(who);
    if (!found) throw new Error(`no page for ${who}`);
    return found;
  };
  const segments = () =>
    app.database.db
      .selectFrom('recording_segments')
      .selectAll()
      .where('hearing_id', '=', access.hearingId)
      .orderBy('started_ms')
      .execute();
  const gaps = () =>
    app.database.db
      .selectFrom('recording_gaps')
      .selectAll()
      .where('hearing_id', '=', access.hearingId)
      .orderBy('started_ms')
      .execute();
  const fileOf = (row: SegmentRow) => path.join(app.recordings.dir, row.file);
  const judgeState = () => page('judge').getByTestId('floor-state').getAttribute('data-state');
  const command = async (type: 'start' | 'pause' | 'resume' | 'close', reason?: string) => {
    const judge = page('judge');
    await judge.getByTestId(`cmd-${type}`).click();
    if (type === 'pause') {
      await judge.getByTestId('pause-reason').fill(reason ?? '');
      await judge.getByTestId('pause-confirm').click();
    }
    if (type === 'close') await judge.getByTestId('close-confirm').click();
    const expected = { start: 'in_session', pause: 'paused', resume: 'in_session', close: 'closed' }[type];
    await expect.poll(judgeState, { timeout: 10_000 }).toBe(expected);
  };
  /** Streams the server records now. */
  const recording = () => app.recordings.recorders(access.hearingId);
  /** Participant ids sending camera and microphone. */
  const people = () => [access.judge.participantId, access.plaintiff.participantId, access.defendant.participantId];

  beforeAll(async () => {
    if (!fs.existsSync('dist/client/index.html')) throw new Error('the UI is not built: run `npm run build` first');
    app = await startTestServer({ SEED_DEMO: 'true' });
    access = await demoAccess(app);
    browser = await launchChromium();
    await admitParties(app, access, ['plaintiff', 'defendant']);
    for (const who of ['judge', 'plaintiff', 'defendant'] as const) {
      const place = access[who];
      const opened = await openPageAs(browser, place, access.hearingId);
      await opened.setViewportSize({ width: 1280, height: 800 });
      const route = who === 'judge' ? '/hearing' : '/kiosk/hearing';
      await opened.goto(`${app.url}${route}/${access.hearingId}/${place.participantId}`);
      pages.set(who, opened);
    }
    // Everyone sends a camera and a microphone stream before the session starts.
    await waitFor(
      () => people().every((id) => (app.rooms.room(access.hearingId)?.peer(id)?.producerInfos().length ?? 0) === 2),
      30_000,
      'the judge and both kiosks to send camera and microphone',
    );
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a session with a recess makes two segments per stream, matching the log, decodable, hashed', async () => {
    expect(await page('plaintiff').getByTestId('recording-indicator').count()).toBe(0);
    const startedAt = Date.now();
    await command('start');
    await waitFor(() => recording().length === 6, 10_000, 'six recorders (3 people × camera, microphone)');
    // Everyone sees that the hearing is recorded.
    await page('plaintiff').getByTestId('recording-indicator').waitFor({ timeout: 10_000 });
    await page('judge').getByTestId('recording').waitFor({ timeout: 10_000 });
    await sleep(4_000);
    await command('pause', '休庭：核对证据原件');
    await waitFor(() => recording().length === 0, 10_000, 'every recorder to stop at the recess');
    await expect.poll(() => page('plaintiff').getByTestId('recording-indicator').count(), { timeout: 10_000 }).toBe(0);
    await sleep(2_000);
    await command('resume');
    await waitFor(() => recording().length === 6, 10_000, 'six new recorders after the recess');
    await sleep(4_000);
    await command('pause', '休庭：合议');
    await waitFor(() => recording().length === 0, 10_000, 'every recorder to stop at the second recess');
    await app.recordings.settled(access.hearingId);
    const elapsed = Date.now() - startedAt;

    const rows = await segments();
    // On a mismatch, say which streams have extra or missing segments and why each one stopped.
    const described = rows.map((r) => `${r.participant_id.slice(-4)}/${r.kind}/${r.source}: ${r.stop_reason}`);
    expect(rows.length, described.join('; ')).toBe(12);
    for (const id of people()) {
      for (const kind of ['audio', 'video'] as const) {
        const own = rows.filter((r) => r.participant_id === id && r.kind === kind);
        expect(own, `${kind} segments of ${id}`).toHaveLength(2);
        for (const row of own) {
          expect(row.status).toBe('complete');
          expect(row.stop_reason).toBe('pause');
          expect(row.codec).toBe(kind === 'audio' ? 'audio/opus' : 'video/VP8');
          const file = fileOf(row);
          const logged = (row.stopped_ms ?? 0) - row.started_ms;
          expect(logged).toBeGreaterThan(3_000);
          expect(logged).toBeLessThan(elapsed);
          // ffprobe's duration matches the logged start and stop within a second.
          expect(Math.abs((await probedDurationMs(file)) - logged), `${row.file}: ffprobe vs log`).toBeLessThan(1_000);
          expect(Math.abs((row.duration_ms ?? 0) - logged)).toBeLessThan(1_000);
          expect(row.frame_count ?? 0).toBeGreaterThan(0);
          expect(row.sha256).toBe(sha256(file));
          expect(row.size_bytes).toBe(fs.statSync(file).size);
          if (kind === 'video') expect(await framesInFirstSecond(file), `${row.file} decodes`).toBeGreaterThan(0);
        }
      }
    }
    // The recesses are the hearing's gaps, with the judge's reasons and times.
    const recesses = (await gaps()).filter((g) => g.reason === 'recess');
    expect(recesses.map((g) => g.detail)).toEqual(['休庭：核对证据原件', '休庭：合议']);
    const first = recesses[0];
    expect(first?.ended_ms).not.toBeNull();
    expect((first?.ended_ms ?? 0) - (first?.started_ms ?? 0)).toBeGreaterThan(1_500);
    expect(recesses[1]?.ended_ms).toBeNull();
  });

  it('an FFmpeg killed mid-session is replaced within 3 s, with the gap logged and the judge alerted', async () => {
    await command('resume');
    await waitFor(() => recording().length === 6, 10_000, 'six recorders after resuming');
    await sleep(1_500);
    const victim = recording().find((r) => r.participantId === access.plaintiff.participantId && r.kind === 'video');
    if (!victim?.pid) throw new Error('no recorder of the plaintiff camera');
    const killedAt = Date.now();
    process.kill(victim.pid, 'SIGKILL');
    await waitFor(
      () =>
        recording().some(
          (r) =>
            r.participantId === access.plaintiff.participantId &&
            r.kind === 'video' &&
            r.segmentId !== victim.segmentId,
        ),
      3_000,
      'a new recorder of the plaintiff camera within 3 s',
    );
    const restartedWithin = Date.now() - killedAt;
    expect(restartedWithin).toBeLessThan(3_000);
    await app.recordings.settled(access.hearingId);
    const rows = await segments();
    const killed = rows.find((r) => r.id === victim.segmentId);
    expect(killed?.status).toBe('interrupted');
    expect(killed?.stop_reason).toBe('recorder_failure');
    expect(killed?.sha256).toBe(sha256(fileOf(killed as SegmentRow)));
    const replacement = rows.find(
      (r) => r.participant_id === access.plaintiff.participantId && r.kind === 'video' && r.status === 'recording',
    );
    expect(replacement).toBeDefined();
    expect((replacement?.started_ms ?? 0) - killedAt).toBeLessThan(3_000);
    const failure = (await gaps()).find((g) => g.reason === 'recorder_failure');
    expect(failure).toMatchObject({ participant_id: access.plaintiff.participantId, kind: 'video' });
    expect(failure?.ended_ms).toBe(replacement?.started_ms);
    const alerts = await app.database.db
      .selectFrom('alerts')
      .selectAll()
      .where('hearing_id', '=', access.hearingId)
      .where('kind', '=', 'recorder_failure')
      .execute();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.participant_id).toBe(access.plaintiff.participantId);
    // The judge sees it in the room at once.
    const shown = page('judge').getByTestId('room-alert');
    await shown.waitFor({ timeout: 5_000 });
    expect(await shown.getAttribute('data-kind')).toBe('recorder_failure');
  });

  it('a hung FFmpeg (writing nothing while its stream arrives) is replaced as well', async () => {
    const defendant = access.defendant.participantId;
    const victim = recording().find((r) => r.participantId === defendant && r.kind === 'audio');
    if (!victim?.pid) throw new Error('no recorder of the defendant microphone');
    const hungAt = Date.now();
    process.kill(victim.pid, 'SIGSTOP');
    await waitFor(
      () =>
        recording().some(
          (r) => r.participantId === defendant && r.kind === 'audio' && r.segmentId !== victim.segmentId,
        ),
      15_000,
      'a new recorder of the defendant microphone',
    );
    // The stall limit (5 s) plus the watchdog's second and the restart.
    expect(Date.now() - hungAt).toBeLessThan(9_000);
    await app.recordings.settled(access.hearingId);
    const hung = (await segments()).find((r) => r.id === victim.segmentId);
    expect(hung).toMatchObject({ status: 'interrupted', stop_reason: 'recorder_failure' });
    const gap = (await gaps()).find((g) => g.reason === 'recorder_failure' && g.participant_id === defendant);
    expect(gap?.detail).toMatch(/wrote nothing/);
    expect(gap?.ended_ms).not.toBeNull();
  });

  it('a participant dismissed and called in again mid-session gets new segments from that moment', async () => {
    const defendant = access.defendant.participantId;
    const { floor, judge } = await hearingFloor(app, access.hearingId, access.judge);
    const before = (await segments()).filter((r) => r.participant_id === defendant && r.status === 'recording');
    expect(before).toHaveLength(2);
    await floor.participantAction(judge, defendant, 'dismiss');
    await waitFor(
      () => !recording().some((r) => r.participantId === defendant),
      10_000,
      'the defendant no longer recorded',
    );
    await app.recordings.settled(access.hearingId);
    const closed = (await segments()).filter((r) => before.some((b) => b.id === r.id));
    expect(closed.map((r) => r.stop_reason)).toEqual(['dismissed', 'dismissed']);
    // Leaving the hearing is not a gap in its recording.
    expect((await gaps()).filter((g) => g.participant_id === defendant && g.ended_ms === null)).toEqual([]);

    const calledAt = Date.now();
    await floor.participantAction(judge, defendant, 'call_in');
    await waitFor(
      () => recording().filter((r) => r.participantId === defendant).length === 2,
      10_000,
      'the defendant recorded again',
    );
    const again = (await segments()).filter((r) => r.participant_id === defendant && r.status === 'recording');
    expect(again).toHaveLength(2);
    for (const row of again) expect(row.started_ms).toBeGreaterThanOrEqual(calledAt);
  });

  it('closing the hearing closes every segment; all of it is in the audit chain', async () => {
    await sleep(1_000);
    await command('close');
    await waitFor(() => recording().length === 0, 10_000, 'every recorder to stop at the close');
    await app.recordings.settled(access.hearingId);
    const rows = await segments();
    expect(rows.every((r) => r.status !== 'recording')).toBe(true);
    expect(rows.filter((r) => r.stop_reason === 'close')).toHaveLength(6);
    expect((await gaps()).every((g) => g.ended_ms !== null)).toBe(true);
    const closedEntries = await app.database.db
      .selectFrom('audit_log')
      .select('details_json')
      .where('action', '=', 'recording.segment_closed')
      .execute();
    expect(closedEntries).toHaveLength(rows.length);

    // The evidence bundle of this real hearing (recordings, recesses, a recorder failure) verifies.
    const zip = path.join(app.recordings.dir, 'evidence.zip');
    await writeBundle({ db: app.database.db, recordingDir: app.recordings.dir, hearingId: access.hearingId, out: zip });
    const verified = await verifyBundle(zip);
    expect(verified, JSON.stringify(verified)).toMatchObject({ ok: true });
    fs.rmSync(zip);

    // The judge opens the recording from the room, sees every segment and plays one in the browser.
    const judge = page('judge');
    await judge.getByTestId('recording-link').first().click();
    await judge.getByTestId('recording-page').waitFor({ timeout: 10_000 });
    await expect.poll(() => judge.getByTestId('recording-segment-row').count(), { timeout: 10_000 }).toBe(rows.length);
    expect(await judge.locator('[data-testid="recording-gap-row"][data-reason="recess"]').count()).toBe(2);
    expect(await judge.locator('[data-testid="recording-gap-row"][data-reason="recorder_failure"]').count()).toBe(2);
    await judge
      .locator('[data-testid="recording-segment-row"][data-kind="video"][data-status="complete"]')
      .first()
      .getByTestId('recording-play')
      .click();
    const video = judge.locator('[data-testid="recording-player"] video');
    await video.waitFor({ timeout: 10_000 });
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 })
      .toBeGreaterThan(0.5);
    expect(await video.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
    await judge.screenshot({ path: path.resolve('docs/screenshots/recording-playback.png'), fullPage: true });
    const issued = await app.database.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'recording.link_issued')
      .execute();
    expect(issued.map((e) => e.actor)).toEqual([`user:${access.judge.participantId}`]);
  });

  it('the verify command finds an edited metadata row and a changed byte in a recording', async () => {
    const { db } = app.database;
    expect(await verifyRecordings(db, app.recordings.dir)).toEqual([]);
    const [first, second] = (await segments()).filter((r) => r.status === 'complete');
    if (!first || !second) throw new Error('no complete segments');
    await db
      .updateTable('recording_segments')
      .set({ stopped_ms: (first.stopped_ms ?? 0) + 60_000 })
      .where('id', '=', first.id)
      .execute();
    const file = fileOf(second);
    const bytes = fs.readFileSync(file);
    const tampered = Buffer.from(bytes);
    const middle = Math.floor(bytes.length / 2);
    tampered.writeUInt8((tampered.readUInt8(middle) ^ 0xff) & 0xff, middle);
    fs.writeFileSync(file, tampered);
    try {
      const problems = await verifyRecordings(db, app.recordings.dir);
      expect(problems.map((p) => p.segmentId)).toEqual(expect.arrayContaining([first.id, second.id]));
      expect(problems).toHaveLength(2);
      expect(problems.find((p) => p.segmentId === first.id)?.problem).toContain('stoppedMs');
      expect(problems.find((p) => p.segmentId === second.id)?.problem).toContain('changed');
    } finally {
      await db
        .updateTable('recording_segments')
        .set({ stopped_ms: first.stopped_ms })
        .where('id', '=', first.id)
        .execute();
      fs.writeFileSync(file, bytes);
    }
    expect(await verifyRecordings(db, app.recordings.dir)).toEqual([]);
  });
});
