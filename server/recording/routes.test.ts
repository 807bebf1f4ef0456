import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt, SignJWT } from 'jose';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { UserPrincipal } from '../../shared/accounts.js';
import { FileLinkSchema, RecordingTimelineSchema } from '../../shared/recording.js';
import { type DemoAccess, demoAccess } from '../../test/helpers/demo.js';
import { startTestServer, waitFor } from '../../test/helpers/server.js';
import type { App } from '../App.js';
import { appendAudit } from '../audit/AuditLog.js';
import { SYSTEM } from '../auth/AccountService.js';
import { loadSessionSecret } from '../auth/Tokens.js';
import { verifyBundle } from './bundle.js';
import { RECORDING_AUDIT, type SegmentRow, segmentAuditDetails } from './metadata.js';

const run = promisify(execFile);
const FFMPEG = '/usr/bin/ffmpeg';
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

const ErrorResponseSchema = z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string() }) });

/** Who asks: everyone but the hearing's judge and clerk is refused. */
const REFUSED = ['anonymous', 'kiosk', 'judgeOther', 'clerkOther', 'clerkSameCourt', 'admin'] as const;
type Refused = (typeof REFUSED)[number];
const EXPECTED: Record<Refused, { status: number; code: string }> = {
  anonymous: { status: 401, code: 'UNAUTHORIZED' },
  kiosk: { status: 403, code: 'FORBIDDEN' },
  judgeOther: { status: 403, code: 'FORBIDDEN' },
  clerkOther: { status: 403, code: 'FORBIDDEN' },
  clerkSameCourt: { status: 403, code: 'FORBIDDEN' },
  admin: { status: 403, code: 'FORBIDDEN' },
};

/**
 * The judge's and clerk's access to a hearing's recording over HTTP, against the seeded demo with
 * real WebM files written by FFmpeg into the server's recording directory (no browser: the segment
 * rows and their audit entries are written as the recorder writes them). Only the hearing's judge and
 * clerk get the timeline, links and files; every link is audited; a file link names its file and
 * expires; the evidence bundle of the closed hearing verifies.
 */
describe('recording routes', () => {
  let app: App;
  let access: DemoAccess;
  let secret: Uint8Array;
  let hearingId: string;
  let otherHearingId: string;
  let judge: UserPrincipal;
  let clerk: UserPrincipal;
  let judgeOther: UserPrincipal;
  const bearer = new Map<'judge' | 'clerk' | Refused, Record<string, string>>();
  /** The demo hearing's video and audio segments; a segment of judge.chen's hearing. */
  let video: SegmentRow;
  let audio: SegmentRow;
  let foreign: SegmentRow;
  let tmp: string;

  const ffmpeg = (args: string[]) => run(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args]);

  /** A closed segment as the recorder leaves it: the file, its row, and its opening and closing audit entries. */
  const recordSegment = async (
    hearing: string,
    participantId: string,
    kind: 'audio' | 'video',
    startedMs: number,
  ): Promise<SegmentRow> => {
    const id = uuidv7();
    const file = `${hearing}/${id}.webm`;
    const absolute = path.join(app.recordings.dir, file);
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    if (kind === 'video') {
      await ffmpeg([
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=160x120:rate=10',
        '-t',
        '1',
        '-c:v',
        'libvpx',
        '-f',
        'webm',
        absolute,
      ]);
    } else {
      await ffmpeg([
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440:sample_rate=48000',
        '-t',
        '1',
        '-c:a',
        'libopus',
        '-f',
        'webm',
        absolute,
      ]);
    }
    const bytes = fs.readFileSync(absolute);
    const opened: SegmentRow = {
      id,
      hearing_id: hearing,
      participant_id: participantId,
      kind,
      source: kind === 'video' ? 'camera' : 'microphone',
      producer_id: randomUUID(),
      codec: kind === 'video' ? 'video/VP8' : 'audio/opus',
      content_type: kind === 'video' ? 'video/webm' : 'audio/webm',
      file,
      status: 'recording',
      started_ms: startedMs,
      first_frame_ms: null,
      stopped_ms: null,
      stop_reason: null,
      duration_ms: null,
      frame_count: null,
      size_bytes: null,
      sha256: null,
    };
    const closed: SegmentRow = {
      ...opened,
      status: 'complete',
      first_frame_ms: startedMs + 40,
      stopped_ms: startedMs + 1040,
      stop_reason: 'pause',
      duration_ms: 1000,
      frame_count: kind === 'video' ? 10 : 50,
      size_bytes: bytes.length,
      sha256: sha256(bytes),
    };
    const { dialect } = app.database;
    await app.database.db.transaction().execute(async (trx) => {
      await trx.insertInto('recording_segments').values(opened).execute();
      await appendAudit(trx, dialect, {
        actor: 'system',
        action: RECORDING_AUDIT.segmentOpened,
        subject: `hearing:${hearing}`,
        details: segmentAuditDetails(opened),
      });
    });
    const { id: _id, ...update } = closed;
    await app.database.db.transaction().execute(async (trx) => {
      await trx.updateTable('recording_segments').set(update).where('id', '=', id).execute();
      await appendAudit(trx, dialect, {
        actor: 'system',
        action: RECORDING_AUDIT.segmentClosed,
        subject: `hearing:${hearing}`,
        details: segmentAuditDetails(closed),
      });
    });
    return closed;
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-court-recording-routes-'));
    // The server reads its session secret from the process environment (not from its config), once at
    // startup; the test needs it to sign links of its own.
    const configured = randomBytes(32).toString('base64');
    const previous = process.env.SESSION_SECRET;
    process.env.SESSION_SECRET = configured;
    try {
      app = await startTestServer({
        MEDIA_WORKERS: '1',
        UI_DIR: '',
        SEED_DEMO: 'true',
        RECORDING_RETENTION_DAYS: '30',
      });
    } finally {
      if (previous === undefined) delete process.env.SESSION_SECRET;
      else process.env.SESSION_SECRET = previous;
    }
    secret = loadSessionSecret({ SESSION_SECRET: configured }).secret;
    access = await demoAccess(app);
    hearingId = access.hearingId;
    const demo = app.demo;
    if (!demo) throw new Error('the demo was seeded');
    // judge.chen's mediation at 庆元: another judge, another clerk, another court.
    const other = demo.hearingIds[2];
    if (!other) throw new Error('the demo has a hearing of the 庆元 court');
    otherHearingId = other;

    const login = (username: string) => app.accounts.login({ username, password: demo.password, ip: '127.0.0.1' });
    const judgeSession = await login('judge.wang');
    const clerkSession = await login('clerk.li');
    const otherJudgeSession = await login('judge.chen');
    judge = judgeSession.principal;
    clerk = clerkSession.principal;
    judgeOther = otherJudgeSession.principal;
    // A clerk of the hearing's own court who is not its clerk.
    await app.accounts.createUser(SYSTEM, {
      courtId: clerk.courtId,
      role: 'clerk',
      username: 'clerk.sun',
      displayName: '孙书记员',
      password: demo.password,
    });
    if (!('kioskCredential' in access.plaintiff.auth)) throw new Error('the demo plaintiff is at a kiosk');
    bearer.set('judge', { authorization: `Bearer ${judgeSession.token}` });
    bearer.set('clerk', { authorization: `Bearer ${clerkSession.token}` });
    bearer.set('anonymous', {});
    bearer.set('kiosk', { authorization: `Kiosk ${access.plaintiff.auth.kioskCredential}` });
    bearer.set('judgeOther', { authorization: `Bearer ${otherJudgeSession.token}` });
    bearer.set('clerkOther', { authorization: `Bearer ${(await login('clerk.zhou')).token}` });
    bearer.set('clerkSameCourt', { authorization: `Bearer ${(await login('clerk.sun')).token}` });
    bearer.set('admin', { authorization: `Bearer ${(await login('admin')).token}` });

    const start = Date.now() - 3_600_000;
    video = await recordSegment(hearingId, judge.userId, 'video', start);
    audio = await recordSegment(hearingId, access.plaintiff.participantId, 'audio', start + 10);
    foreign = await recordSegment(otherHearingId, judgeOther.userId, 'video', start);
  });

  afterAll(async () => {
    await app?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const headersOf = (who: 'judge' | 'clerk' | Refused): Record<string, string> => {
    const headers = bearer.get(who);
    if (!headers) throw new Error(`no credentials for ${who}`);
    return headers;
  };
  const request = (method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}${url}`, { method, headers });
  const json = async (response: Response): Promise<unknown> => JSON.parse(await response.text());
  const link = async (who: 'judge' | 'clerk', url: string) => {
    const response = await request('POST', url, headersOf(who));
    expect(response.status, url).toBe(200);
    return FileLinkSchema.parse(await json(response));
  };
  const tokenOf = (url: string): string => {
    expect(url).toMatch(/^\/api\/files\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    return url.slice('/api/files/'.length);
  };
  const bytesOf = async (response: Response): Promise<Buffer> => Buffer.from(await response.arrayBuffer());
  const fileOf = (segment: SegmentRow): Buffer => fs.readFileSync(path.join(app.recordings.dir, segment.file));

  /** Asserts a refusal: its status, its stable code, and a body that names nothing of the recording. */
  const expectRefused = async (response: Response, status: number, code: string, what: string): Promise<void> => {
    const text = await response.text();
    expect(response.status, `${what}: ${text}`).toBe(status);
    const body = ErrorResponseSchema.parse(JSON.parse(text));
    expect(body.error.code, what).toBe(code);
    for (const secretThing of [video.id, audio.id, video.file, video.sha256 ?? '', '/api/files/', app.recordings.dir]) {
      expect(text, what).not.toContain(secretThing);
    }
    expect(response.headers.get('content-range'), what).toBeNull();
  };
  const auditCount = async (action?: string): Promise<number> => {
    let query = app.database.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n'));
    if (action) query = query.where('action', '=', action);
    return Number((await query.executeTakeFirstOrThrow()).n);
  };
  /** Signs a file link as the server does, from the claims of a real one with some of them changed. */
  const forge = async (
    model: string,
    change: { sub?: string; exp?: number; iat?: number } & Record<string, unknown>,
  ) => {
    const { sub, aud, iat, exp, ...claims } = decodeJwt(model);
    const issuedAt = change.iat ?? iat ?? Math.floor(Date.now() / 1000);
    const { sub: newSub, exp: newExp, iat: _iat, ...rest } = change;
    return new SignJWT({ ...claims, ...rest })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(newSub ?? sub ?? '')
      .setAudience(typeof aud === 'string' ? aud : '')
      .setIssuedAt(issuedAt)
      .setExpirationTime(newExp ?? exp ?? issuedAt + 600)
      .sign(secret);
  };

  it('routes a file link as long as the links it issues', async () => {
    const issued = await link('judge', `/api/recordings/${video.id}/link`);
    // A signed token naming its hearing, segment and user is some 300 characters long: longer than
    // Fastify's default maxParamLength (100), beyond which the router answers 414 before any route runs.
    expect(tokenOf(issued.url).length).toBeGreaterThan(100);
    const response = await request('GET', issued.url, { range: 'bytes=0-0' });
    expect(response.status, await response.text()).toBe(206);
  });

  it("gives the hearing's judge and clerk its timeline, links, and the files with ranges", async () => {
    for (const who of ['judge', 'clerk'] as const) {
      const response = await request('GET', `/api/hearings/${hearingId}/recording`, headersOf(who));
      expect(response.status).toBe(200);
      const timeline = RecordingTimelineSchema.parse(await json(response));
      expect(timeline).toMatchObject({
        hearingId,
        caseNumber: '（2026）浙0185民初1234号',
        state: 'scheduled',
        bundleAvailable: false,
        gaps: [],
      });
      expect(timeline.segments.map((s) => s.id)).toEqual([video.id, audio.id]);
      expect(timeline.segments[0]).toMatchObject({
        kind: 'video',
        contentType: 'video/webm',
        status: 'complete',
        stopReason: 'pause',
        sizeBytes: video.size_bytes,
        sha256: video.sha256,
      });
      expect(timeline.participants.map((p) => p.role)).toEqual(
        expect.arrayContaining(['judge', 'clerk', 'plaintiff', 'defendant']),
      );

      for (const segment of [video, audio]) {
        const issued = await link(who, `/api/recordings/${segment.id}/link`);
        const remainingMs = Date.parse(issued.expiresAt) - Date.now();
        expect(remainingMs).toBeGreaterThan(9 * 60_000);
        expect(remainingMs).toBeLessThanOrEqual(10 * 60_000);
        // A file link is fetched without the session header: the token authorizes.
        const whole = await request('GET', issued.url);
        expect(whole.status).toBe(200);
        expect(whole.headers.get('content-type')).toBe(segment.content_type);
        expect(whole.headers.get('accept-ranges')).toBe('bytes');
        expect(whole.headers.get('content-disposition')).toBeNull();
        const bytes = await bytesOf(whole);
        expect(bytes.length).toBe(segment.size_bytes);
        expect(sha256(bytes)).toBe(segment.sha256);
      }

      const issued = await link(who, `/api/recordings/${video.id}/link`);
      const size = video.size_bytes ?? 0;
      expect(size).toBeGreaterThan(100);
      const partial = await request('GET', issued.url, { range: 'bytes=0-99' });
      expect(partial.status).toBe(206);
      expect(partial.headers.get('content-range')).toBe(`bytes 0-99/${size}`);
      const first = await bytesOf(partial);
      expect(first.length).toBe(100);
      expect(first.equals(fileOf(video).subarray(0, 100))).toBe(true);

      const tail = await request('GET', issued.url, { range: 'bytes=-10' });
      expect(tail.status).toBe(206);
      expect(tail.headers.get('content-range')).toBe(`bytes ${size - 10}-${size - 1}/${size}`);
      expect((await bytesOf(tail)).equals(fileOf(video).subarray(size - 10))).toBe(true);

      const beyond = await request('GET', issued.url, { range: 'bytes=999999999-' });
      expect(beyond.status).toBe(416);
      expect(beyond.headers.get('content-range')).toBe(`bytes */${size}`);
      expect((await bytesOf(beyond)).length).toBe(0);

      const download = await request('GET', `${issued.url}?download=1`);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${video.id}.webm"`);
      expect(sha256(await bytesOf(download))).toBe(video.sha256);
    }
  });

  it('writes every link it gives out to the audit log', async () => {
    const before = await app.database.db
      .selectFrom('audit_log')
      .select('seq')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    await link('judge', `/api/recordings/${video.id}/link`);
    await link('clerk', `/api/recordings/${audio.id}/link`);
    const entries = await app.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', before.seq)
      .where('action', '=', RECORDING_AUDIT.linkIssued)
      .orderBy('seq')
      .execute();
    expect(entries.map((e) => ({ ...e, details: JSON.parse(e.details_json) }))).toMatchObject([
      {
        actor: `user:${judge.userId}`,
        subject: `hearing:${hearingId}`,
        details: { segmentId: video.id, file: video.file },
      },
      {
        actor: `user:${clerk.userId}`,
        subject: `hearing:${hearingId}`,
        details: { segmentId: audio.id, file: audio.file },
      },
    ]);
  });

  it('refuses everyone else the timeline, the links and the bundle, with a stable code, appending nothing', async () => {
    const before = await auditCount();
    const urls: Array<['GET' | 'POST', string]> = [
      ['GET', `/api/hearings/${hearingId}/recording`],
      ['POST', `/api/recordings/${video.id}/link`],
      ['POST', `/api/recordings/${audio.id}/link`],
      ['POST', `/api/hearings/${hearingId}/bundle/link`],
    ];
    for (const who of REFUSED) {
      const { status, code } = EXPECTED[who];
      for (const [method, url] of urls) {
        await expectRefused(await request(method, url, headersOf(who)), status, code, `${who} ${method} ${url}`);
      }
    }
    // The other hearing's judge has their own recording, and is still refused this one's.
    const own = await request('POST', `/api/recordings/${foreign.id}/link`, headersOf('judgeOther'));
    expect(own.status).toBe(200);
    // …and the demo hearing's judge and clerk are refused theirs.
    for (const who of ['judge', 'clerk'] as const) {
      await expectRefused(
        await request('POST', `/api/recordings/${foreign.id}/link`, headersOf(who)),
        403,
        'FORBIDDEN',
        `${who} links a segment of another hearing`,
      );
      await expectRefused(
        await request('GET', `/api/hearings/${otherHearingId}/recording`, headersOf(who)),
        403,
        'FORBIDDEN',
        `${who} reads another hearing's timeline`,
      );
    }
    // An unknown segment or hearing.
    const unknown = await request('POST', `/api/recordings/${randomUUID()}/link`, headersOf('judge'));
    expect(unknown.status).toBe(404);
    expect(ErrorResponseSchema.parse(await json(unknown)).error.code).toBe('NOT_FOUND');
    const nobody = await request('GET', `/api/hearings/${randomUUID()}/recording`, headersOf('judge'));
    expect(nobody.status).toBe(404);
    // Only the link judge.chen was given is new in the audit log.
    expect(await auditCount()).toBe(before + 1);
  });

  it('serves a file only for a genuine, unexpired link naming that file', async () => {
    const issued = await link('judge', `/api/recordings/${video.id}/link`);
    const token = tokenOf(issued.url);
    const before = await auditCount();

    // The token names its hearing and its segment, and is bound to the file audience.
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: judge.userId, hearingId, segmentId: video.id });
    expect(typeof claims.aud).toBe('string');

    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) throw new Error('a JWT has three parts');
    // One character of the signature changed (in the middle: every bit of it counts).
    const index = Math.floor(signature.length / 2);
    const changed = `${header}.${payload}.${signature.slice(0, index)}${signature[index] === 'A' ? 'B' : 'A'}${signature.slice(index + 1)}`;
    // The payload of a link to the audio segment under the video link's signature.
    const otherPayload = Buffer.from(JSON.stringify({ ...claims, segmentId: audio.id })).toString('base64url');
    const past = Math.floor(Date.now() / 1000) - 3600;
    const refusedTokens: Array<[string, string]> = [
      ['garbage', 'not-a-token'],
      ['garbage JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
      ['one character changed', changed],
      ['segment swapped under the signature', `${header}.${otherPayload}.${signature}`],
      ['expired', await forge(token, { iat: past, exp: past + 600 })],
      ['signed with another key', await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(randomBytes(32))],
      ['a session token of the judge', String(headersOf('judge').authorization).slice('Bearer '.length)],
    ];
    for (const [what, refusedToken] of refusedTokens) {
      for (const query of ['', '?download=1']) {
        const response = await request('GET', `/api/files/${refusedToken}${query}`, { range: 'bytes=0-99' });
        await expectRefused(response, 401, 'UNAUTHORIZED', what);
      }
    }
    // The very same claims, signed properly and unexpired, are served (so the expired one failed on time).
    const fresh = await request('GET', `/api/files/${await forge(token, {})}`);
    expect(fresh.status).toBe(200);
    expect(sha256(await bytesOf(fresh))).toBe(video.sha256);

    // A link names its own file: the video link serves the video, the audio link the audio.
    const audioLink = await link('judge', `/api/recordings/${audio.id}/link`);
    expect(tokenOf(audioLink.url)).not.toBe(token);
    expect(sha256(await bytesOf(await request('GET', issued.url)))).toBe(video.sha256);
    expect(sha256(await bytesOf(await request('GET', audioLink.url)))).toBe(audio.sha256);
    // A genuine link whose segment is not in the hearing it names is not served.
    await expectRefused(
      await request('GET', `/api/files/${await forge(token, { sub: judgeOther.userId, hearingId: otherHearingId })}`),
      404,
      'NOT_FOUND',
      "the demo hearing's segment under judge.chen's hearing",
    );
    // A genuine link for someone who is not the hearing's judge or clerk is not served.
    await expectRefused(
      await request('GET', `/api/files/${await forge(token, { sub: judgeOther.userId })}`),
      403,
      'FORBIDDEN',
      'a link signed for judge.chen',
    );

    // The judge's genuine link still works after all that.
    const again = await request('GET', issued.url, { range: 'bytes=0-99' });
    expect(again.status).toBe(206);
    expect((await bytesOf(again)).length).toBe(100);
    // Fetching files writes nothing (only issuing a link does): one more link was issued above.
    expect(await auditCount()).toBe(before + 1);
  });

  it('exports the evidence bundle of the hearing once it is closed', async () => {
    const bundleUrl = `/api/hearings/${hearingId}/bundle/link`;
    const before = await auditCount();
    for (const who of ['judge', 'clerk'] as const) {
      const response = await request('POST', bundleUrl, headersOf(who));
      expect(response.status).toBe(409);
      expect(ErrorResponseSchema.parse(await json(response)).error.code).toBe('INVALID_STATE');
    }
    expect(await auditCount()).toBe(before);

    // The judge opens, starts and closes the hearing (no browser sends media: nothing is recorded).
    const entry = await app.catalog.load(hearingId);
    if (!entry) throw new Error('the demo hearing is booked');
    const floor = await app.floors.floor(entry);
    const judgePrincipal = { ...judge, role: 'judge' } as const;
    await floor.command(judgePrincipal, { type: 'open' });
    await floor.connect(judge.userId, judgePrincipal, null);
    await floor.command(judgePrincipal, { type: 'start' });
    await floor.command(judgePrincipal, { type: 'close' });
    await app.recordings.settled(hearingId);

    const timeline = RecordingTimelineSchema.parse(
      await json(await request('GET', `/api/hearings/${hearingId}/recording`, headersOf('clerk'))),
    );
    expect(timeline).toMatchObject({ state: 'closed', bundleAvailable: true });
    expect(timeline.segments.map((s) => s.id)).toEqual([video.id, audio.id]);

    // Still only the judge and the clerk.
    for (const who of REFUSED) {
      const { status, code } = EXPECTED[who];
      await expectRefused(await request('POST', bundleUrl, headersOf(who)), status, code, `${who} bundle link`);
    }

    const seqBefore = await app.database.db
      .selectFrom('audit_log')
      .select('seq')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    const issued = await link('judge', bundleUrl);
    expect(decodeJwt(tokenOf(issued.url))).toMatchObject({ sub: judge.userId, hearingId });
    expect(decodeJwt(tokenOf(issued.url)).segmentId).toBeUndefined();
    const response = await request('GET', issued.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename\*=UTF-8''evidence-.+\.zip$/);
    const zip = path.join(tmp, 'bundle.zip');
    fs.writeFileSync(zip, await bytesOf(response));
    const verified = await verifyBundle(zip);
    expect(verified, JSON.stringify(verified)).toMatchObject({ ok: true });

    // The export is recorded once the bundle is written (after the response may have ended).
    const exported = async () =>
      app.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>', seqBefore.seq)
        .where('action', 'in', [RECORDING_AUDIT.linkIssued, RECORDING_AUDIT.bundleExported])
        .orderBy('seq')
        .execute();
    await waitFor(async () => (await exported()).length === 2, 5_000, 'the bundle export in the audit log');
    const entries = (await exported()).map((e) => ({ ...e, details: JSON.parse(e.details_json) as unknown }));
    expect(entries).toMatchObject([
      {
        action: RECORDING_AUDIT.linkIssued,
        actor: `user:${judge.userId}`,
        subject: `hearing:${hearingId}`,
        details: { bundle: true },
      },
      {
        action: RECORDING_AUDIT.bundleExported,
        actor: `user:${judge.userId}`,
        subject: `hearing:${hearingId}`,
        details: { manifestSha256: expect.stringMatching(/^[0-9a-f]{64}$/), files: expect.any(Number) },
      },
    ]);
    // The bundle's manifest is the one the audit entry names.
    const { files } = z.object({ files: z.number() }).parse(entries[1]?.details);
    expect(verified).toMatchObject({ ok: true, files });
  });

  it('refuses, as JSON with CONFLICT, to export evidence that no longer holds', async () => {
    // The hearing was closed by the test before. A segment row changed after its closing audit entry:
    const { db } = app.database;
    const exportedBefore = await auditCount(RECORDING_AUDIT.bundleExported);
    await db.updateTable('recording_segments').set({ duration_ms: 1500 }).where('id', '=', video.id).execute();
    try {
      const issued = await link('clerk', `/api/hearings/${hearingId}/bundle/link`);
      const response = await request('GET', issued.url);
      const text = await response.text();
      expect(response.status, text).toBe(409);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('content-disposition')).toBeNull();
      const body = ErrorResponseSchema.parse(JSON.parse(text));
      expect(body.error.code).toBe('CONFLICT');
      expect(body.error.message).toContain(`segment ${video.id}`);
      expect(body.error.message).toContain('durationMs: row has 1500, audit entry recorded 1000');
    } finally {
      await db.updateTable('recording_segments').set({ duration_ms: 1000 }).where('id', '=', video.id).execute();
    }
    expect(await auditCount(RECORDING_AUDIT.bundleExported)).toBe(exportedBefore);
  });

  it('deletes recordings past the retention period, audited, and refuses their links', async () => {
    // The hearing is closed (earlier test); a segment that stopped 40 days ago, with 30 days' retention.
    const { db } = app.database;
    const old = await recordSegment(hearingId, judge.userId, 'video', Date.now() - 40 * 86_400_000);
    const oldFile = path.join(app.recordings.dir, old.file);
    expect(fs.existsSync(oldFile)).toBe(true);
    expect(await app.recordings.purgeExpired()).toBe(1);
    expect(fs.existsSync(oldFile)).toBe(false);
    const row = await db
      .selectFrom('recording_segments')
      .selectAll()
      .where('id', '=', old.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('purged');
    expect(row.sha256).toBe(old.sha256);
    const purged = await db
      .selectFrom('audit_log')
      .select('details_json')
      .where('action', '=', RECORDING_AUDIT.segmentPurged)
      .execute();
    expect(purged.map((e) => JSON.parse(e.details_json))).toEqual([
      expect.objectContaining({ id: old.id, status: 'purged', retentionDays: 30 }),
    ]);
    // The recent recordings are kept.
    expect(fs.existsSync(path.join(app.recordings.dir, video.file))).toBe(true);
    expect(await app.recordings.purgeExpired()).toBe(0);
    // A deleted recording has no link, and the hearing no longer has a bundle.
    const refused = await request('POST', `/api/recordings/${old.id}/link`, headersOf('judge'));
    await expectRefused(refused, 409, 'INVALID_STATE', 'a link to a purged recording');
    const issued = await link('judge', `/api/hearings/${hearingId}/bundle/link`);
    const bundle = await request('GET', issued.url);
    expect(bundle.status).toBe(409);
    expect(ErrorResponseSchema.parse(await bundle.json()).error.code).toBe('INVALID_STATE');
  });
});
