import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as yauzl from 'yauzl';
import { ZipFile } from 'yazl';
import { z } from 'zod';
import type { UserPrincipal } from '../../shared/accounts.js';
import { openTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { insertCourt, insertKiosk, insertSite, insertUser } from '../../test/helpers/fixtures.js';
import { refused } from '../../test/helpers/refused.js';
import { appendAudit } from '../audit/AuditLog.js';
import type { DB } from '../db/schema.js';
import { FloorService, sha256Hex } from '../hearing/Floor.js';
import { HearingCatalog } from '../hearing/HearingCatalog.js';
import { createLogger } from '../logger.js';
import { HearingScheduler } from '../scheduling/HearingScheduler.js';
import { verifyBundle, writeBundle } from './bundle.js';
import { RECORDING_AUDIT, type SegmentRow, segmentAuditDetails } from './metadata.js';

const run = promisify(execFile);
const FFMPEG = '/usr/bin/ffmpeg';

/** 2026-12-03 at hh:mm in Asia/Shanghai. */
const at = (hhmm: string): string => `2026-12-03T${hhmm}:00+08:00`;
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

const TEXT_V1 = '书记员：现在开庭。\n';
const TEXT_V2 = '书记员：现在开庭。\n原告：请求被告支付租金一万二千元。\n被告：同意分期支付。\n';

/** Every file of a ZIP (test bundles are small). */
async function readZip(file: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  const files = new Map<string, Buffer>();
  try {
    for await (const entry of zip.eachEntry()) {
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(Buffer.from(chunk));
      files.set(entry.fileName, Buffer.concat(chunks));
    }
  } finally {
    zip.close();
  }
  return files;
}

/** Writes the files as a new ZIP, as someone altering a bundle would. */
async function writeZip(file: string, files: Map<string, Buffer>): Promise<void> {
  const zip = new ZipFile();
  for (const [name, bytes] of files) zip.addBuffer(bytes, name);
  zip.end();
  await pipeline(zip.outputStream, fs.createWriteStream(file));
}

const ManifestSchema = z.object({
  hearingId: z.string(),
  files: z.array(z.object({ path: z.string(), sha256: z.string(), size: z.number() })),
});
const json = (bytes: Buffer | undefined): unknown => JSON.parse(bytes?.toString('utf8') ?? 'null');
const toJson = (value: unknown): Buffer => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

/** Recomputes the manifest's hashes and sizes, as someone covering their tracks would. */
function fixManifest(files: Map<string, Buffer>): void {
  const manifest = ManifestSchema.loose().parse(json(files.get('manifest.json')));
  for (const f of manifest.files) {
    const bytes = files.get(f.path);
    if (!bytes) throw new Error(`${f.path} is not in the bundle`);
    f.sha256 = sha256(bytes);
    f.size = bytes.length;
  }
  files.set('manifest.json', toJson(manifest));
}

/**
 * The evidence bundle of a closed hearing, end to end: a hearing booked by the scheduler and run
 * through its floor (transcript saved by the clerk, signed at the kiosk), real WebM files written by
 * FFmpeg with their segment rows and audit entries as the recorder writes them; then the export, the
 * verifier, and what each of them does with evidence that was changed.
 */
describe('evidence bundle', () => {
  let database: TestDatabase;
  let db: Kysely<DB>;
  let dir: string;
  let recordingDir: string;
  let hearingId: string;
  let openHearingId: string;
  let bundle: string;
  let png: Buffer;
  let plaintiffId: string;
  const segments: SegmentRow[] = [];
  let clock = Date.parse(at('09:00'));
  const now = () => clock;

  /** A segment as the recorder writes it: opened with an audit entry, closed with another. */
  const recordSegment = async (values: Omit<SegmentRow, 'status' | 'sha256' | 'size_bytes'>): Promise<SegmentRow> => {
    const opened: SegmentRow = {
      ...values,
      status: 'recording',
      first_frame_ms: null,
      stopped_ms: null,
      stop_reason: null,
      duration_ms: null,
      frame_count: null,
      size_bytes: null,
      sha256: null,
    };
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('recording_segments').values(opened).execute();
      await appendAudit(
        trx,
        database.dialect,
        {
          actor: 'system',
          action: RECORDING_AUDIT.segmentOpened,
          subject: `hearing:${values.hearing_id}`,
          details: segmentAuditDetails(opened),
        },
        values.started_ms,
      );
    });
    const bytes = fs.readFileSync(path.join(recordingDir, values.file));
    const closed: SegmentRow = {
      ...values,
      status: values.stop_reason === 'server_restart' ? 'interrupted' : 'complete',
      size_bytes: bytes.length,
      sha256: sha256(bytes),
    };
    const { id: _id, ...update } = closed;
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('recording_segments').set(update).where('id', '=', closed.id).execute();
      await appendAudit(
        trx,
        database.dialect,
        {
          actor: 'system',
          action: RECORDING_AUDIT.segmentClosed,
          subject: `hearing:${values.hearing_id}`,
          details: segmentAuditDetails(closed),
        },
        values.stopped_ms ?? values.started_ms,
      );
    });
    return closed;
  };

  const ffmpeg = (args: string[]) => run(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args]);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-court-bundle-'));
    recordingDir = path.join(dir, 'recordings');
    database = await openTestDatabase('sqlite');
    db = database.db;

    const court = await insertCourt(db);
    const judge = await insertUser(db, { court_id: court.id, role: 'judge', display_name: '王法官' });
    const clerk = await insertUser(db, { court_id: court.id, role: 'clerk', display_name: '陈书记员' });
    const site = await insertSite(db, { name: '清源村共享法庭' });
    await insertKiosk(db, { site_id: site.id });
    const scheduler = new HearingScheduler({ db, dialect: database.dialect, bufferMinutes: 0, now });
    const book = (caseNumber: string, startsAt: string, endsAt: string) =>
      scheduler.book(
        { userId: clerk.id },
        {
          caseNumber,
          title: '房屋租赁合同纠纷',
          caseType: 'civil',
          courtId: court.id,
          judgeId: judge.id,
          clerkId: clerk.id,
          startsAt,
          endsAt,
          isPublic: true,
          participants: [
            { role: 'plaintiff', name: '李建国', idTail: '1234', site: site.id },
            { role: 'defendant', name: '临安某物业公司', idTail: '567X', site: null },
          ],
        },
      );
    const booked = await book('(2026)浙0185民初1234号', at('09:30'), at('10:30'));
    const other = await book('(2026)浙0185民初1235号', at('14:00'), at('15:00'));
    hearingId = booked.id;
    openHearingId = other.id;
    const plaintiff = booked.participants.find((p) => p.role === 'plaintiff');
    if (!plaintiff?.kioskId || !plaintiff.siteId) throw new Error('the plaintiff appears at a kiosk');
    plaintiffId = plaintiff.id;

    // Real media, as the recorder's FFmpeg writes it: VP8 video and Opus audio in WebM; a PNG signature.
    const hearingDir = path.join(recordingDir, hearingId);
    fs.mkdirSync(hearingDir, { recursive: true });
    const videoId = uuidv7();
    const audioId = uuidv7();
    const pngFile = path.join(dir, 'signature.png');
    const lavfi = (source: string, codec: string[], file: string) =>
      ffmpeg(['-f', 'lavfi', '-i', source, '-t', '1', ...codec, file]);
    await Promise.all([
      lavfi('testsrc=size=160x120:rate=10', ['-c:v', 'libvpx', '-f', 'webm'], path.join(hearingDir, `${videoId}.webm`)),
      lavfi(
        'sine=frequency=440:sample_rate=48000',
        ['-c:a', 'libopus', '-f', 'webm'],
        path.join(hearingDir, `${audioId}.webm`),
      ),
      lavfi('color=c=white:s=64x32', ['-frames:v', '1', '-c:v', 'png', '-f', 'image2'], pngFile),
    ]);
    png = fs.readFileSync(pngFile);

    const catalog = new HearingCatalog(scheduler, db);
    const floors = new FloorService({ db, dialect: database.dialect, now, logger: createLogger('silent') });
    const floorOf = async (id: string) => {
      const entry = await catalog.load(id);
      if (!entry) throw new Error(`hearing ${id} is booked`);
      return floors.floor(entry);
    };
    const judgeActor: UserPrincipal = { kind: 'user', userId: judge.id, courtId: court.id, role: 'judge' };
    const clerkActor: UserPrincipal = { kind: 'user', userId: clerk.id, courtId: court.id, role: 'clerk' };

    const floor = await floorOf(hearingId);
    clock = Date.parse(at('09:30'));
    await floor.command(judgeActor, { type: 'open' });
    await floor.command(judgeActor, { type: 'start' });
    segments.push(
      await recordSegment({
        id: videoId,
        hearing_id: hearingId,
        participant_id: judge.id,
        kind: 'video',
        source: 'camera',
        producer_id: randomUUID(),
        codec: 'video/VP8',
        content_type: 'video/webm',
        file: `${hearingId}/${videoId}.webm`,
        started_ms: clock,
        first_frame_ms: clock + 120,
        stopped_ms: clock + 1120,
        stop_reason: 'close',
        duration_ms: 1000,
        frame_count: 10,
      }),
      await recordSegment({
        id: audioId,
        hearing_id: hearingId,
        participant_id: plaintiffId,
        kind: 'audio',
        source: 'microphone',
        producer_id: randomUUID(),
        codec: 'audio/opus',
        content_type: 'audio/webm',
        file: `${hearingId}/${audioId}.webm`,
        started_ms: clock + 10,
        first_frame_ms: clock + 30,
        stopped_ms: clock + 1030,
        stop_reason: 'server_restart',
        duration_ms: 1000,
        frame_count: 50,
      }),
    );
    // A recess gap, opened and closed with its audit entries as the recording service writes them.
    const gapId = uuidv7();
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('recording_gaps')
        .values({
          id: gapId,
          hearing_id: hearingId,
          participant_id: null,
          kind: null,
          reason: 'recess',
          detail: '双方交换证据',
          started_ms: clock + 2000,
          ended_ms: clock + 62_000,
        })
        .execute();
      for (const [action, details] of [
        [
          RECORDING_AUDIT.gapOpened,
          { gapId, participantId: null, kind: null, reason: 'recess', detail: '双方交换证据', startedMs: clock + 2000 },
        ],
        [
          RECORDING_AUDIT.gapClosed,
          { gapId, participantId: null, kind: null, reason: 'recess', endedMs: clock + 62_000 },
        ],
      ] as const) {
        await appendAudit(trx, database.dialect, {
          actor: 'system',
          action,
          subject: `hearing:${hearingId}`,
          details,
        });
      }
    });
    clock += 60_000;
    await floor.saveTranscript(clerkActor, TEXT_V1, 0);
    clock += 60_000;
    await floor.saveTranscript(clerkActor, TEXT_V2, 1);
    await floor.command(judgeActor, { type: 'close' });
    clock += 60_000;
    await floor.sign(
      plaintiffId,
      { kind: 'kiosk', kioskId: plaintiff.kioskId, siteId: plaintiff.siteId },
      { version: 2, textSha256: sha256Hex(TEXT_V2), signaturePng: `data:image/png;base64,${png.toString('base64')}` },
    );

    // The other hearing is sitting: not closed.
    const sitting = await floorOf(openHearingId);
    clock = Date.parse(at('14:00'));
    await sitting.command(judgeActor, { type: 'open' });
    await sitting.command(judgeActor, { type: 'start' });

    clock = Date.parse(at('16:00'));
    bundle = path.join(dir, 'bundle.zip');
  });

  afterAll(async () => {
    await database?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of the bundle with `change` applied to its files. */
  const altered = async (name: string, change: (files: Map<string, Buffer>) => void): Promise<string> => {
    const files = await readZip(bundle);
    change(files);
    const file = path.join(dir, `${name}.zip`);
    await writeZip(file, files);
    return file;
  };

  it('exports a closed hearing into a bundle that verifies', async () => {
    const result = await writeBundle({ db, recordingDir, hearingId, out: bundle, now });
    const files = await readZip(bundle);
    const manifest = z
      .object({
        format: z.literal('shared-court-evidence/1'),
        hearingId: z.string(),
        caseNumber: z.string(),
        exportedAt: z.string(),
        files: z.array(z.object({ path: z.string(), sha256: z.string(), size: z.number() })),
      })
      .parse(json(files.get('manifest.json')));
    const [video, audio] = segments;
    if (!video || !audio) throw new Error('two segments were recorded');
    expect(manifest).toMatchObject({ hearingId, caseNumber: '（2026）浙0185民初1234号', exportedAt: at('16:00') });
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      [
        'README.txt',
        'metadata/hearing.json',
        'metadata/segments.json',
        'metadata/gaps.json',
        'transcript/transcript.txt',
        'transcript/versions.json',
        'transcript/signatures.json',
        `transcript/signatures/${plaintiffId}-v2.png`,
        'audit/entries.json',
        `recordings/${video.id}.webm`,
        `recordings/${audio.id}.webm`,
      ].sort(),
    );
    expect([...files.keys()].sort()).toEqual([...manifest.files.map((f) => f.path), 'manifest.json'].sort());
    expect(result).toEqual({
      manifestSha256: sha256(files.get('manifest.json') ?? Buffer.alloc(0)),
      files: manifest.files.length,
      bytes: fs.statSync(bundle).size,
    });

    // The recordings are the files FFmpeg wrote, byte for byte; the transcript is the newest text.
    expect(files.get(`recordings/${video.id}.webm`)?.equals(fs.readFileSync(path.join(recordingDir, video.file)))).toBe(
      true,
    );
    expect(sha256(files.get(`recordings/${audio.id}.webm`) ?? Buffer.alloc(0))).toBe(audio.sha256);
    expect(files.get('transcript/transcript.txt')?.toString('utf8')).toBe(TEXT_V2);
    expect(files.get(`transcript/signatures/${plaintiffId}-v2.png`)?.equals(png)).toBe(true);
    expect(json(files.get('transcript/versions.json'))).toEqual([
      { version: 1, sha256: sha256Hex(TEXT_V1), savedAt: at('09:31') },
      { version: 2, sha256: sha256Hex(TEXT_V2), savedAt: at('09:32') },
    ]);
    expect(json(files.get('transcript/signatures.json'))).toEqual([
      {
        participantId: plaintiffId,
        version: 2,
        textSha256: sha256Hex(TEXT_V2),
        signedAt: at('09:33'),
        image: `transcript/signatures/${plaintiffId}-v2.png`,
      },
    ]);
    expect(json(files.get('metadata/segments.json'))).toEqual(
      segments.map((s) => ({ ...segmentAuditDetails(s), bundlePath: `recordings/${s.id}.webm` })),
    );
    expect(json(files.get('metadata/gaps.json'))).toMatchObject([
      {
        reason: 'recess',
        detail: '双方交换证据',
        startedAt: '2026-12-03T09:30:02+08:00',
        endedAt: '2026-12-03T09:31:02+08:00',
      },
    ]);
    expect(json(files.get('metadata/hearing.json'))).toMatchObject({
      id: hearingId,
      status: 'closed',
      court: '临安区人民法院',
      startsAt: at('09:30'),
      participants: [
        { role: 'judge', name: '王法官' },
        { role: 'clerk', name: '陈书记员' },
        { role: 'plaintiff', name: '李建国', site: '清源村共享法庭' },
        { role: 'defendant', name: '临安某物业公司', site: null },
      ],
    });
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('subject', '=', `hearing:${hearingId}`)
      .orderBy('seq')
      .execute();
    expect(json(files.get('audit/entries.json'))).toEqual(audit);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['hearing.close', 'recording.segment_closed', 'transcript.saved', 'transcript.signed']),
    );
    expect(files.get('README.txt')?.toString('utf8')).toContain('npm run bundle:verify -- <bundle.zip>');

    expect(await verifyBundle(bundle)).toEqual({ ok: true, files: manifest.files.length, summary: expect.any(String) });
  });

  it('streams the bundle into a writable stream as well', async () => {
    const file = path.join(dir, 'streamed.zip');
    const result = await writeBundle({ db, recordingDir, hearingId, out: fs.createWriteStream(file), now });
    expect(result.bytes).toBe(fs.statSync(file).size);
    expect(await verifyBundle(file)).toMatchObject({ ok: true, files: result.files });
  });

  it('refuses a hearing that is not closed, and an unknown one, writing nothing', async () => {
    const out = path.join(dir, 'refused.zip');
    const error = await refused(writeBundle({ db, recordingDir, hearingId: openHearingId, out, now }), 'INVALID_STATE');
    expect(error.message).toContain('in_session');
    expect(fs.existsSync(out)).toBe(false);
    await refused(writeBundle({ db, recordingDir, hearingId: randomUUID(), out, now }), 'NOT_FOUND');
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.includes('refused'))).toEqual([]);
  });

  it('names every file of the bundle in which one byte was changed', async () => {
    const names = [...(await readZip(bundle)).keys()];
    expect(names.length).toBe(12);
    for (const name of names) {
      const file = await altered('one-byte', (files) => {
        const bytes = Buffer.from(files.get(name) ?? Buffer.alloc(0));
        // The manifest's first byte: a changed hash in it cannot be told from a changed file.
        const index = name === 'manifest.json' ? 0 : Math.floor(bytes.length / 2);
        bytes[index] = (bytes[index] ?? 0) ^ 0x01;
        files.set(name, bytes);
      });
      const result = await verifyBundle(file);
      expect(result, name).toMatchObject({ ok: false, path: name });
      if (!result.ok) expect(result.problem, name).toContain(name);
    }
  });

  it('catches a file added to the bundle', async () => {
    const file = await altered('added', (files) => files.set('recordings/extra.webm', Buffer.from('not evidence')));
    expect(await verifyBundle(file)).toMatchObject({ ok: false, path: 'recordings/extra.webm' });
  });

  it('catches a changed segment through its audit entry, even with the manifest fixed', async () => {
    const [video] = segments;
    if (!video) throw new Error('a segment was recorded');
    const file = await altered('segment-changed', (files) => {
      const listed = z
        .array(z.looseObject({ id: z.string(), durationMs: z.number() }))
        .parse(json(files.get('metadata/segments.json')));
      for (const s of listed) if (s.id === video.id) s.durationMs += 500;
      files.set('metadata/segments.json', toJson(listed));
      fixManifest(files);
    });
    const result = await verifyBundle(file);
    expect(result).toMatchObject({ ok: false, path: 'metadata/segments.json' });
    if (!result.ok) {
      expect(result.problem).toContain(video.id);
      expect(result.problem).toContain('durationMs: row has 1500, audit entry recorded 1000');
    }
  });

  it('catches a changed gap (its reason, its end) or a removed one through their audit entries', async () => {
    const edited = await altered('gap-changed', (files) => {
      const listed = z
        .array(z.looseObject({ id: z.string(), detail: z.string().nullable() }))
        .parse(json(files.get('metadata/gaps.json')));
      for (const g of listed) g.detail = '（无）';
      files.set('metadata/gaps.json', toJson(listed));
      fixManifest(files);
    });
    const changed = await verifyBundle(edited);
    expect(changed).toMatchObject({ ok: false, path: 'metadata/gaps.json' });
    if (!changed.ok)
      expect(changed.problem).toContain('detail: the bundle has "（无）", the entry recorded "双方交换证据"');

    const shortened = await altered('gap-shortened', (files) => {
      const listed = z
        .array(z.looseObject({ id: z.string(), endedMs: z.number().nullable() }))
        .parse(json(files.get('metadata/gaps.json')));
      for (const g of listed) if (g.endedMs !== null) g.endedMs -= 30_000;
      files.set('metadata/gaps.json', toJson(listed));
      fixManifest(files);
    });
    expect(await verifyBundle(shortened)).toMatchObject({ ok: false, path: 'metadata/gaps.json' });

    const removed = await altered('gap-removed', (files) => {
      files.set('metadata/gaps.json', toJson([]));
      fixManifest(files);
    });
    const missing = await verifyBundle(removed);
    expect(missing).toMatchObject({ ok: false, path: 'metadata/gaps.json' });
    if (!missing.ok) expect(missing.problem).toContain('but the bundle has no such gap');
  });

  it('catches a segment removed with its recording, through the audit entry that closed it', async () => {
    const [, audio] = segments;
    if (!audio) throw new Error('a segment was recorded');
    const file = await altered('segment-removed', (files) => {
      const listed = z.array(z.looseObject({ id: z.string() })).parse(json(files.get('metadata/segments.json')));
      files.set('metadata/segments.json', toJson(listed.filter((s) => s.id !== audio.id)));
      files.delete(`recordings/${audio.id}.webm`);
      const manifest = ManifestSchema.loose().parse(json(files.get('manifest.json')));
      manifest.files = manifest.files.filter((f) => f.path !== `recordings/${audio.id}.webm`);
      files.set('manifest.json', toJson(manifest));
      fixManifest(files);
    });
    const result = await verifyBundle(file);
    expect(result).toMatchObject({ ok: false, path: 'metadata/segments.json' });
    if (!result.ok) expect(result.problem).toContain(`segment ${audio.id} as closed`);
  });

  it('catches a changed audit entry, even with the segment and the manifest changed to match', async () => {
    const [video] = segments;
    if (!video) throw new Error('a segment was recorded');
    let seq = 0;
    const file = await altered('audit-changed', (files) => {
      const entries = z
        .array(z.looseObject({ seq: z.number(), action: z.string(), details_json: z.string() }))
        .parse(json(files.get('audit/entries.json')));
      for (const entry of entries) {
        const details = z
          .looseObject({ id: z.string(), durationMs: z.number() })
          .safeParse(JSON.parse(entry.details_json));
        if (entry.action !== 'recording.segment_closed' || !details.success || details.data.id !== video.id) continue;
        entry.details_json = JSON.stringify({ ...details.data, durationMs: 1500 });
        seq = entry.seq;
      }
      files.set('audit/entries.json', toJson(entries));
      const listed = z
        .array(z.looseObject({ id: z.string(), durationMs: z.number() }))
        .parse(json(files.get('metadata/segments.json')));
      for (const s of listed) if (s.id === video.id) s.durationMs = 1500;
      files.set('metadata/segments.json', toJson(listed));
      fixManifest(files);
    });
    expect(seq).toBeGreaterThan(0);
    const result = await verifyBundle(file);
    expect(result).toMatchObject({ ok: false, path: 'audit/entries.json' });
    if (!result.ok) expect(result.problem).toContain(`audit entry ${seq} (recording.segment_closed) was changed`);
  });

  it('refuses to export a segment row that differs from its audit entry, or a file that differs from its row', async () => {
    const [video, audio] = segments;
    if (!video || !audio) throw new Error('two segments were recorded');
    const out = path.join(dir, 'conflict.zip');

    // The row was changed in the database after the segment closed.
    await db.updateTable('recording_segments').set({ duration_ms: 1500 }).where('id', '=', video.id).execute();
    try {
      const error = await refused(writeBundle({ db, recordingDir, hearingId, out, now }), 'CONFLICT');
      expect(error.message).toContain(`segment ${video.id}`);
      expect(error.message).toContain('durationMs: row has 1500, audit entry recorded 1000');
    } finally {
      await db.updateTable('recording_segments').set({ duration_ms: 1000 }).where('id', '=', video.id).execute();
    }
    expect(fs.existsSync(out)).toBe(false);

    // The file was changed on disk.
    const source = path.join(recordingDir, audio.file);
    const original = fs.readFileSync(source);
    const changed = Buffer.from(original);
    changed[100] = (changed[100] ?? 0) ^ 0x01;
    fs.writeFileSync(source, changed);
    try {
      const error = await refused(writeBundle({ db, recordingDir, hearingId, out, now }), 'CONFLICT');
      expect(error.message).toContain(`segment ${audio.id}`);
      expect(error.message).toContain(sha256(changed));
    } finally {
      fs.writeFileSync(source, original);
    }
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.includes('conflict'))).toEqual([]);
  });
});
