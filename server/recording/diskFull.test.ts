import * as fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserPrincipal } from '../../shared/accounts.js';
import type { FloorState } from '../../shared/floor.js';
import { demoAccess } from '../../test/helpers/demo.js';
import { refused } from '../../test/helpers/refused.js';
import { startTestServer, waitFor } from '../../test/helpers/server.js';
import type { App } from '../App.js';
import { loadConfig } from '../config.js';
import type { Floor } from '../hearing/Floor.js';
import { FfmpegMissingError, findFfmpeg } from './ffmpeg.js';
import { RECORDING_AUDIT } from './metadata.js';

/**
 * A recording disk with less free space than the configured minimum (the real statfs of the recording
 * directory against a minimum no disk has): the judge cannot start or resume the demo hearing unless
 * they choose to go on without recording, and that choice is logged, shown and kept as a gap.
 */
describe('a hearing that cannot be recorded', () => {
  const MIN_FREE_MB = 1_000_000_000;
  let app: App;
  let hearingId: string;
  let judge: UserPrincipal;
  let floor: Floor;

  beforeAll(async () => {
    app = await startTestServer({
      MEDIA_WORKERS: '1',
      UI_DIR: '',
      SEED_DEMO: 'true',
      RECORDING_MIN_FREE_MB: String(MIN_FREE_MB),
    });
    const access = await demoAccess(app);
    hearingId = access.hearingId;
    const entry = await app.catalog.load(hearingId);
    if (!entry) throw new Error('the demo hearing is booked');
    judge = { kind: 'user', userId: access.judge.participantId, courtId: entry.booking.courtId, role: 'judge' };
    floor = await app.floors.floor(entry);
    await floor.command(judge, { type: 'open' });
    await floor.connect(judge.userId, judge, null);
    await app.recordings.settled(hearingId);
  });

  afterAll(async () => {
    await app?.close();
  });

  /** What a refused command must leave as it was. */
  const stored = async () => {
    const { db } = app.database;
    const hearing = await db.selectFrom('hearings').select('status').where('id', '=', hearingId).executeTakeFirst();
    const count = async (table: 'floor_events' | 'recording_gaps' | 'audit_log') => {
      let query = db.selectFrom(table).select(sql<number>`count(*)`.as('n'));
      if (table !== 'audit_log') query = query.where('hearing_id', '=', hearingId);
      return Number((await query.executeTakeFirstOrThrow()).n);
    };
    return {
      status: hearing?.status,
      floorEvents: await count('floor_events'),
      gaps: await count('recording_gaps'),
      audit: await count('audit_log'),
    };
  };
  const gaps = () =>
    app.database.db
      .selectFrom('recording_gaps')
      .selectAll()
      .where('hearing_id', '=', hearingId)
      .orderBy('started_ms')
      .execute();
  const continuedWithout = async () =>
    (
      await app.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', RECORDING_AUDIT.withoutRecording)
        .where('subject', '=', `hearing:${hearingId}`)
        .orderBy('seq')
        .execute()
    ).map((entry) => ({ ...entry, details: JSON.parse(entry.details_json) as unknown }));
  const freeMb = async () => {
    const stats = await fs.promises.statfs(app.recordings.dir);
    return Math.floor((stats.bavail * stats.bsize) / 1_048_576);
  };
  const notice = (expected: FloorState['recordingNotice']) =>
    waitFor(() => floor.snapshot().recordingNotice === expected, 5_000, `the recording notice ${expected}`);

  /** A refused start or resume: it says how much is free and what the judge may do, and changes nothing. */
  const expectUnavailable = async (command: 'start' | 'resume') => {
    await app.recordings.settled(hearingId);
    const snapshot = floor.snapshot();
    const before = await stored();
    const error = await refused(floor.command(judge, { type: command }), 'RECORDING_UNAVAILABLE');
    const free = /has (\d+) MB free/.exec(error.message)?.[1];
    expect(free, error.message).toBeDefined();
    // The disk's free space as the server saw it (other processes may write meanwhile).
    expect(Math.abs(Number(free) - (await freeMb()))).toBeLessThan(1024);
    expect(error.message).toContain(`${MIN_FREE_MB} MB`);
    expect(error.message).toContain(`${command} without recording`);
    expect(error.details).toMatchObject({ freeBytes: expect.any(Number), minFreeBytes: MIN_FREE_MB * 1_048_576 });
    await app.recordings.settled(hearingId);
    expect(floor.snapshot()).toEqual(snapshot);
    expect(await stored()).toEqual(before);
  };

  it('refuses to start the session, saying how much is free, and changes nothing', async () => {
    expect(floor.state).toBe('open');
    await expectUnavailable('start');
    expect((await stored()).status).toBe('open');
    expect(await continuedWithout()).toEqual([]);
  });

  it('starts without recording when the judge says so: logged, shown, and kept as a gap', async () => {
    const state = await floor.command(judge, { type: 'start', withoutRecording: true });
    expect(state.state).toBe('in_session');
    // The judge's own answer already says so (everyone else gets the same state).
    expect(state.recordingNotice).toBe('without_recording');
    expect((await stored()).status).toBe('in_session');
    await notice('without_recording');
    expect(floor.snapshot()).toMatchObject({ state: 'in_session', recording: false });

    const logged = await continuedWithout();
    expect(logged).toMatchObject([
      {
        actor: 'system',
        details: {
          command: 'start',
          by: `user:${judge.userId}`,
          freeBytes: expect.any(Number),
          minFreeBytes: MIN_FREE_MB * 1_048_576,
        },
      },
    ]);
    const open = await gaps();
    expect(open).toMatchObject([{ reason: 'without_recording', participant_id: null, kind: null, ended_ms: null }]);
    expect(open[0]?.detail).toMatch(/^start: \d+ MB free$/);
    expect(
      await app.database.db.selectFrom('recording_segments').select('id').where('hearing_id', '=', hearingId).execute(),
    ).toEqual([]);
  });

  it('asks again when the session resumes after a recess', async () => {
    await floor.command(judge, { type: 'pause', reason: '双方交换证据' });
    await app.recordings.settled(hearingId);
    await notice(null);
    // The recess explains the gap from here on: going on without recording ended with it.
    expect(await gaps()).toMatchObject([
      { reason: 'without_recording', ended_ms: expect.any(Number) },
      { reason: 'recess', detail: '双方交换证据', ended_ms: null },
    ]);

    await expectUnavailable('resume');
    expect(floor.state).toBe('paused');

    const state = await floor.command(judge, { type: 'resume', withoutRecording: true });
    expect(state.state).toBe('in_session');
    await app.recordings.settled(hearingId);
    await notice('without_recording');
    expect(floor.snapshot().recording).toBe(false);
    expect((await continuedWithout()).map((e) => e.details)).toMatchObject([
      { command: 'start', by: `user:${judge.userId}` },
      { command: 'resume', by: `user:${judge.userId}` },
    ]);
    expect(await gaps()).toMatchObject([
      { reason: 'without_recording', ended_ms: expect.any(Number) },
      { reason: 'recess', ended_ms: expect.any(Number) },
      { reason: 'without_recording', ended_ms: null },
    ]);
  });

  it('ends every gap of the hearing when it closes', async () => {
    await floor.command(judge, { type: 'close' });
    await app.recordings.settled(hearingId);
    expect(floor.snapshot()).toMatchObject({ state: 'closed', recording: false, recordingNotice: null });
    const all = await gaps();
    expect(all.length).toBe(3);
    for (const gap of all) {
      expect(gap.ended_ms, `${gap.reason} gap`).not.toBeNull();
      expect(Number(gap.ended_ms)).toBeGreaterThanOrEqual(Number(gap.started_ms));
    }
  });
});

describe('recording configuration', () => {
  it('refuses a recording port range without two ports', () => {
    for (const [min, max] of [
      ['43000', '43000'],
      ['43001', '43000'],
    ]) {
      expect(() => loadConfig({ RECORDING_MIN_PORT: min, RECORDING_MAX_PORT: max })).toThrow(
        /RECORDING_MIN_PORT must be below RECORDING_MAX_PORT/,
      );
    }
    expect(loadConfig({ RECORDING_MIN_PORT: '43000', RECORDING_MAX_PORT: '43001' })).toMatchObject({
      RECORDING_MIN_PORT: 43000,
      RECORDING_MAX_PORT: 43001,
    });
  });

  it('refuses to start without FFmpeg, saying how to install it', async () => {
    for (const call of [findFfmpeg('/nonexistent/ffmpeg'), findFfmpeg('/usr/bin/ffmpeg', '/nonexistent/ffprobe')]) {
      const error = await call.then(
        () => {
          throw new Error('a missing FFmpeg was accepted');
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(FfmpegMissingError);
      expect((error as Error).message).toContain('apt-get install ffmpeg');
      expect((error as Error).message).toContain('/nonexistent/');
    }
    // The server itself does not start (before it opens a database or a port).
    await expect(
      startTestServer({ MEDIA_WORKERS: '1', UI_DIR: '', FFMPEG_PATH: '/nonexistent/ffmpeg' }),
    ).rejects.toThrow(FfmpegMissingError);
    await expect(findFfmpeg('/usr/bin/ffmpeg', '/usr/bin/ffprobe')).resolves.toMatchObject({
      ffmpeg: '/usr/bin/ffmpeg',
      version: expect.any(String),
    });
  });
});
