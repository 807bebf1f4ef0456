import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import * as yauzl from 'yauzl';
import { ZipFile } from 'yazl';
import { z } from 'zod';
import { HearingStateSchema } from '../../shared/hearingState.js';
import { RecordingKindSchema, SegmentStatusSchema } from '../../shared/recording.js';
import { toShanghaiIso } from '../../shared/scheduling.js';
import { entryHash } from '../audit/AuditLog.js';
import type { AuditRow, DB, HearingRow } from '../db/schema.js';
import { ConflictError, InvalidStateError, NotFoundError } from '../errors.js';
import { hashFile } from './ffmpeg.js';
import {
  type GapRow,
  RECORDING_AUDIT,
  type SegmentAuditDetails,
  type SegmentRow,
  segmentAuditDetails,
  segmentMismatch,
} from './metadata.js';

/*
 * The evidence bundle of a closed hearing: one ZIP holding its recordings, the metadata of every
 * segment and gap, the transcript with its signatures, and every audit entry about the hearing, with
 * a manifest of the SHA-256 of each file. Anyone can check a bundle with `npm run bundle:verify`,
 * without the court's database: the files against the manifest, and the metadata against the audit
 * entries, each of which carries the hash of its own content.
 *
 * What a bundle alone cannot prove is that nobody rebuilt it from scratch with consistent hashes:
 * the manifest's SHA-256 is what ties a bundle to the court, and the export command records it in
 * the court's audit chain (`recording.bundle_exported`).
 */

/** The `format` of the manifest; a bundle of another format is refused by the verifier. */
export const BUNDLE_FORMAT = 'shared-court-evidence/1';

const MANIFEST = 'manifest.json';
const README = 'README.txt';
const HEARING_FILE = 'metadata/hearing.json';
const SEGMENTS_FILE = 'metadata/segments.json';
const GAPS_FILE = 'metadata/gaps.json';
const TRANSCRIPT_FILE = 'transcript/transcript.txt';
const VERSIONS_FILE = 'transcript/versions.json';
const SIGNATURES_FILE = 'transcript/signatures.json';
const AUDIT_FILE = 'audit/entries.json';
const RECORDINGS_DIR = 'recordings/';
const SIGNATURES_DIR = 'transcript/signatures/';

/** Every bundle holds these (besides the manifest), even when they are empty lists. */
const REQUIRED_FILES = [
  README,
  HEARING_FILE,
  SEGMENTS_FILE,
  GAPS_FILE,
  TRANSCRIPT_FILE,
  VERSIONS_FILE,
  SIGNATURES_FILE,
  AUDIT_FILE,
] as const;

/** The files the verifier keeps in memory (everything but the recordings) are at most this big. */
const MAX_KEPT_BYTES = 64 * 1024 * 1024;

/** How a signature image is stored and how its audit entry hashed it (see Floor.sign). */
const PNG_DATA_URL = 'data:image/png;base64,';

// --- What a bundle holds -------------------------------------------------------------------------

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lowercase hex');

/** A path inside the bundle: relative, `/`-separated, no empty, `.` or `..` parts, no hidden names. */
const BundlePathSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/, 'a relative path inside the bundle');

const ManifestSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  hearingId: z.string().min(1),
  caseNumber: z.string(),
  /** ISO 8601, Asia/Shanghai. */
  exportedAt: z.string(),
  /** Every file of the bundle but the manifest, in the order of the ZIP. */
  files: z.array(
    z.strictObject({ path: BundlePathSchema, sha256: Sha256Schema, size: z.number().int().nonnegative() }),
  ),
});
type Manifest = z.infer<typeof ManifestSchema>;

const PersonSchema = z.strictObject({ id: z.string(), name: z.string() });

const HearingInfoSchema = z.strictObject({
  id: z.string(),
  caseNumber: z.string(),
  title: z.string(),
  caseType: z.string(),
  court: z.string(),
  judge: PersonSchema,
  clerk: PersonSchema,
  /** Scheduled start and end, ISO 8601 in Asia/Shanghai. */
  startsAt: z.string(),
  endsAt: z.string(),
  isPublic: z.boolean(),
  status: HearingStateSchema,
  /** The judge, the clerk and the booked parties, with the shared-court site each appeared at. */
  participants: z.array(
    z.strictObject({ id: z.string(), role: z.string(), name: z.string(), site: z.string().nullable() }),
  ),
});
type HearingInfo = z.infer<typeof HearingInfoSchema>;

/** A segment as the bundle lists it: its audit details and where its file is in the bundle. */
const BundleSegmentSchema = z.strictObject({
  id: z.string().min(1),
  hearingId: z.string(),
  participantId: z.string(),
  kind: RecordingKindSchema,
  source: z.string(),
  producerId: z.string(),
  codec: z.string(),
  contentType: z.string(),
  file: z.string(),
  status: SegmentStatusSchema,
  startedMs: z.number(),
  firstFrameMs: z.number().nullable(),
  stoppedMs: z.number().nullable(),
  stopReason: z.string().nullable(),
  durationMs: z.number().nullable(),
  frameCount: z.number().nullable(),
  sizeBytes: z.number().nullable(),
  sha256: z.string().nullable(),
  bundlePath: BundlePathSchema,
}) satisfies z.ZodType<SegmentAuditDetails & { bundlePath: string }>;
type BundleSegment = z.infer<typeof BundleSegmentSchema>;

const BundleGapSchema = z.strictObject({
  id: z.string(),
  hearingId: z.string(),
  participantId: z.string().nullable(),
  kind: RecordingKindSchema.nullable(),
  reason: z.string(),
  detail: z.string().nullable(),
  startedMs: z.number(),
  endedMs: z.number().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});
type BundleGap = z.infer<typeof BundleGapSchema>;

const BundleVersionSchema = z.strictObject({
  version: z.number().int().positive(),
  sha256: Sha256Schema,
  savedAt: z.string(),
});
type BundleVersion = z.infer<typeof BundleVersionSchema>;

const BundleSignatureSchema = z.strictObject({
  participantId: z.string().min(1),
  version: z.number().int().positive(),
  textSha256: Sha256Schema,
  signedAt: z.string(),
  /** The signature image (PNG) in the bundle. */
  image: BundlePathSchema,
});
type BundleSignature = z.infer<typeof BundleSignatureSchema>;

/** An audit entry with every column as stored. */
const AuditEntrySchema = z.strictObject({
  seq: z.number().int().positive(),
  at_ms: z.number().int(),
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  details_json: z.string(),
  prev_hash: z.string(),
  hash: z.string(),
}) satisfies z.ZodType<AuditRow>;

/** The details the audit entries this module compares carry (see metadata.ts and Floor.ts). */
const SegmentClosedDetailsSchema = z.looseObject({ id: z.string() });
const TranscriptSavedDetailsSchema = z.looseObject({ version: z.number(), sha256: z.string() });
const TranscriptSignedDetailsSchema = z.looseObject({
  participantId: z.string(),
  version: z.number(),
  textSha256: z.string(),
  signatureSha256: z.string(),
});

// --- Export ----------------------------------------------------------------------------------------

export interface WriteBundleOptions {
  db: Kysely<DB>;
  /** The directory segment rows' `file` paths are relative to. */
  recordingDir: string;
  hearingId: string;
  /** A file path (written under a temporary name, renamed when complete) or a stream (ended when complete). */
  out: NodeJS.WritableStream | string;
  /** The clock (epoch ms) for `exportedAt` and the files' times. */
  now?: () => number;
}

export interface BundleResult {
  /** SHA-256 of manifest.json, the fingerprint of the whole bundle. */
  manifestSha256: string;
  /** Files listed in the manifest (every file but the manifest). */
  files: number;
  /** Size of the ZIP written. */
  bytes: number;
}

/** A file of the bundle besides the recordings, as bytes. */
interface SmallFile {
  path: string;
  bytes: Buffer;
  compress: boolean;
}

interface RecordingFile {
  segmentId: string;
  path: string;
  /** Absolute path on disk. */
  source: string;
  sha256: string;
  size: number;
}

/**
 * Writes the evidence bundle of a closed hearing as a ZIP to `out`. The recordings are streamed and
 * hashed as they go, never held in memory.
 *
 * Refuses, before anything is written: NOT_FOUND for an unknown hearing; INVALID_STATE unless the
 * hearing is closed and none of its segments is still being recorded; CONFLICT when the evidence does
 * not hold as it is — a segment file missing or differing from the SHA-256 and size its row recorded
 * (each file is hashed once before writing), a segment row differing from its closing audit entry,
 * an audit entry of the hearing changed, a transcript or signature not matching its audit entry. A
 * bundle that would not pass {@link verifyBundle} is never exported: exporting known-bad evidence
 * would pass the problem on to whoever trusts the file, while the refusal names what to investigate.
 * A recording that changes while it is being written also fails the export (a file `out` is then
 * removed; a stream `out` is destroyed).
 *
 * Does not write to the database: the caller records the export (`recording.bundle_exported`).
 */
export async function writeBundle(options: WriteBundleOptions): Promise<BundleResult> {
  const { db, hearingId, out } = options;
  if (typeof hearingId !== 'string' || hearingId === '') throw new TypeError('hearingId must be a non-empty string');
  if (typeof options.recordingDir !== 'string' || options.recordingDir === '') {
    throw new TypeError('recordingDir must be the recording directory');
  }
  const now = (options.now ?? Date.now)();
  const recordingDir = path.resolve(options.recordingDir);

  const hearing = await db.selectFrom('hearings').selectAll().where('id', '=', hearingId).executeTakeFirst();
  if (!hearing) throw new NotFoundError(`no hearing ${hearingId}; check the hearing id`);
  if (hearing.status !== 'closed') {
    throw new InvalidStateError(
      `hearing ${hearing.case_number} is ${hearing.status}: its evidence bundle is exported once the judge has closed it`,
    );
  }
  const segmentRows = await db
    .selectFrom('recording_segments')
    .selectAll()
    .where('hearing_id', '=', hearingId)
    .orderBy('started_ms')
    .orderBy('id')
    .execute();
  const purged = segmentRows.find((s) => s.status === 'purged');
  if (purged) {
    throw new InvalidStateError(
      `the recordings of hearing ${hearing.case_number} were deleted when their retention period ended; no bundle can be made`,
    );
  }
  const open = segmentRows.find((s) => s.status === 'recording');
  if (open) {
    throw new InvalidStateError(
      `segment ${open.id} of hearing ${hearing.case_number} is still being recorded; export once the server has closed it`,
    );
  }

  const [info, gapRows, versionRows, signatureRows, audit] = await Promise.all([
    hearingInfo(db, hearing),
    db
      .selectFrom('recording_gaps')
      .selectAll()
      .where('hearing_id', '=', hearingId)
      .orderBy('started_ms')
      .orderBy('id')
      .execute(),
    db.selectFrom('transcript_versions').selectAll().where('hearing_id', '=', hearingId).orderBy('version').execute(),
    db
      .selectFrom('transcript_signatures')
      .selectAll()
      .where('hearing_id', '=', hearingId)
      .orderBy('signed_ms')
      .orderBy('id')
      .execute(),
    // No index on subject: a full scan of the audit log, acceptable for an export.
    db.selectFrom('audit_log').selectAll().where('subject', '=', hearingSubject(hearingId)).orderBy('seq').execute(),
  ]);

  // The recordings, hashed once before anything is written.
  const recordings: RecordingFile[] = [];
  const segments: BundleSegment[] = [];
  for (const row of segmentRows) {
    const bundlePath = `${RECORDINGS_DIR}${fileName(row.id, 'segment id')}.${extensionOf(row)}`;
    const source = path.resolve(recordingDir, row.file);
    if (!isInside(recordingDir, source)) {
      throw new ConflictError(`the file of segment ${row.id} (${row.file}) lies outside the recording directory`);
    }
    let digest: Digest;
    try {
      digest = await hashFile(source);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
      throw new ConflictError(
        `the file of segment ${row.id} (${row.file}) is missing from the recording directory ${recordingDir}; the evidence of hearing ${hearing.case_number} is incomplete, so it is not exported`,
      );
    }
    recordings.push({ segmentId: row.id, path: bundlePath, source, ...digest });
    segments.push({ ...segmentAuditDetails(row), bundlePath });
  }

  const versions: BundleVersion[] = versionRows.map((v) => ({
    version: v.version,
    sha256: v.sha256,
    savedAt: toShanghaiIso(v.saved_ms),
  }));
  const newest = versionRows.at(-1);
  const small: SmallFile[] = [];
  const json = (file: string, value: unknown): void => {
    small.push({ path: file, bytes: Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8'), compress: true });
  };
  small.push({ path: README, bytes: Buffer.from(readme(info), 'utf8'), compress: true });
  json(HEARING_FILE, info);
  json(SEGMENTS_FILE, segments);
  json(GAPS_FILE, gapRows.map(bundleGap));
  small.push({ path: TRANSCRIPT_FILE, bytes: Buffer.from(newest?.text ?? '', 'utf8'), compress: true });
  json(VERSIONS_FILE, versions);

  const signatures: BundleSignature[] = [];
  const images: SmallFile[] = [];
  for (const s of signatureRows) {
    const png = pngOf(s.signature_png);
    if (!png) {
      throw new ConflictError(
        `the signature of participant ${s.participant_id} on transcript version ${s.version} is not a PNG data URL`,
      );
    }
    const base = `${SIGNATURES_DIR}${fileName(s.participant_id, 'participant id')}-v${s.version}`;
    // A party may sign the same version twice; each signature keeps its own image.
    let image = `${base}.png`;
    for (let n = 2; images.some((i) => i.path === image); n++) image = `${base}-${n}.png`;
    images.push({ path: image, bytes: png, compress: false });
    signatures.push({
      participantId: s.participant_id,
      version: s.version,
      textSha256: s.text_sha256,
      signedAt: toShanghaiIso(s.signed_ms),
      image,
    });
  }
  json(SIGNATURES_FILE, signatures);
  small.push(...images);
  json(AUDIT_FILE, audit);

  const files = new Map<string, Digest>();
  for (const f of small) files.set(f.path, digestOf(f.bytes));
  for (const r of recordings) files.set(r.path, { sha256: r.sha256, size: r.size });
  const problem = checkContent({
    hearingId,
    segments,
    gaps: gapRows.map(bundleGap),
    audit,
    versions,
    signatures,
    files,
    images: new Map(images.map((i) => [i.path, i.bytes])),
  });
  if (problem) {
    const recording = recordings.find((r) => r.path === problem.path);
    throw new ConflictError(
      `the evidence of hearing ${hearing.case_number} does not hold, so it is not exported: ${problem.problem}${recording ? ` (the file ${recording.source})` : ''}. Find out what changed (npm run audit:verify) before exporting`,
    );
  }

  const manifestFiles: Manifest['files'] = [
    ...small.map((f) => ({ path: f.path, ...digestOrThrow(files, f.path) })),
    ...recordings.map((r) => ({ path: r.path, sha256: r.sha256, size: r.size })),
  ];
  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    hearingId,
    caseNumber: hearing.case_number,
    exportedAt: toShanghaiIso(now),
    files: manifestFiles,
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  const bytes = await writeZip(out, new Date(now), small, recordings, manifestBytes);
  return { manifestSha256: digestOf(manifestBytes).sha256, files: manifestFiles.length, bytes };
}

/**
 * Streams the ZIP to `out`: the small files, then each recording (hashed again on the way, failing
 * when it no longer matches), then the manifest. Answers the number of bytes written.
 */
async function writeZip(
  out: NodeJS.WritableStream | string,
  mtime: Date,
  small: SmallFile[],
  recordings: RecordingFile[],
  manifest: Buffer,
): Promise<number> {
  // A file is written under a temporary name, so that a failed export leaves no bundle-like file behind.
  let temp: string | null = null;
  let target: NodeJS.WritableStream;
  if (typeof out === 'string') {
    temp = path.join(path.dirname(out), `.${path.basename(out)}.${randomBytes(4).toString('hex')}.partial`);
    target = fs.createWriteStream(temp, { flags: 'wx' });
  } else {
    target = out;
  }
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const zip = new ZipFile();
  const sources: fs.ReadStream[] = [];
  const fail = (error: Error): void => {
    for (const s of sources) s.destroy();
    counter.destroy(error);
  };
  zip.on('error', fail);
  const written = pipeline(zip.outputStream, counter, target);

  for (const f of small) zip.addBuffer(f.bytes, f.path, { mtime, compress: f.compress });
  const streamed = recordings.map(
    (r) =>
      new Promise<void>((resolve, reject) => {
        zip.addReadStreamLazy(r.path, { mtime, compress: false, size: r.size }, (callback) => {
          const source = fs.createReadStream(r.source);
          sources.push(source);
          const hash = createHash('sha256');
          let size = 0;
          const check = new Transform({
            transform(chunk: Buffer, _encoding, next) {
              hash.update(chunk);
              size += chunk.length;
              next(null, chunk);
            },
            flush(next) {
              const sha256 = hash.digest('hex');
              if (sha256 === r.sha256 && size === r.size) {
                next();
                resolve();
              } else {
                next(
                  new ConflictError(
                    `the file of segment ${r.segmentId} changed while it was being exported (now ${size} bytes, SHA-256 ${sha256}); export again and investigate why it changed`,
                  ),
                );
              }
            },
          });
          const abort = (error: Error): void => {
            reject(error);
            fail(error);
          };
          source.on('error', abort);
          check.on('error', abort);
          callback(null, source.pipe(check));
        });
      }),
  );

  try {
    await Promise.race([
      Promise.all(streamed),
      written.then(() => {
        throw new Error('the bundle output ended before its recordings were written');
      }),
    ]);
    zip.addBuffer(manifest, MANIFEST, { mtime, compress: true });
    zip.end();
    await written;
  } catch (error) {
    fail(error instanceof Error ? error : new Error(String(error)));
    await written.catch(() => undefined);
    if (temp !== null) await fs.promises.rm(temp, { force: true });
    throw error;
  }
  if (temp !== null && typeof out === 'string') await fs.promises.rename(temp, out);
  return bytes;
}

async function hearingInfo(db: Kysely<DB>, hearing: HearingRow): Promise<HearingInfo> {
  const [court, staff, participants] = await Promise.all([
    db.selectFrom('courts').select('name').where('id', '=', hearing.court_id).executeTakeFirst(),
    db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('id', 'in', [hearing.judge_id, hearing.clerk_id])
      .execute(),
    db
      .selectFrom('hearing_participants')
      .leftJoin('sites', 'sites.id', 'hearing_participants.site_id')
      .select([
        'hearing_participants.id',
        'hearing_participants.role',
        'hearing_participants.name',
        'sites.name as site',
      ])
      .where('hearing_participants.hearing_id', '=', hearing.id)
      .orderBy('hearing_participants.position')
      .execute(),
  ]);
  const person = (id: string) => ({ id, name: staff.find((s) => s.id === id)?.display_name ?? '' });
  const judge = person(hearing.judge_id);
  const clerk = person(hearing.clerk_id);
  return {
    id: hearing.id,
    caseNumber: hearing.case_number,
    title: hearing.title,
    caseType: hearing.case_type,
    court: court?.name ?? '',
    judge,
    clerk,
    startsAt: toShanghaiIso(hearing.start_ms),
    endsAt: toShanghaiIso(hearing.end_ms),
    isPublic: hearing.is_public === 1,
    status: hearing.status,
    participants: [
      { ...judge, role: 'judge', site: null },
      { ...clerk, role: 'clerk', site: null },
      ...participants.map((p) => ({ id: p.id, role: p.role, name: p.name, site: p.site ?? null })),
    ],
  };
}

function bundleGap(row: GapRow): BundleGap {
  return {
    id: row.id,
    hearingId: row.hearing_id,
    participantId: row.participant_id,
    kind: row.kind,
    reason: row.reason,
    detail: row.detail,
    startedMs: row.started_ms,
    endedMs: row.ended_ms,
    startedAt: toShanghaiIso(row.started_ms),
    endedAt: row.ended_ms === null ? null : toShanghaiIso(row.ended_ms),
  };
}

function readme(info: HearingInfo): string {
  return [
    '共享法庭 — 庭审证据包',
    '',
    `案号：${info.caseNumber}`,
    `案由：${info.title}`,
    `法院：${info.court}`,
    '',
    '本压缩包是一次已闭庭庭审的证据包：recordings/ 为庭审录音录像原始文件，metadata/ 为庭审、',
    '录制片段及录制中断的记录，transcript/ 为庭审笔录（最新版本全文、各版本哈希及当事人签名），',
    'audit/entries.json 为与本庭审有关的全部审计日志条目（每条均含其内容的哈希）。',
    'manifest.json 列出其余每个文件的 SHA-256 与大小。',
    '',
    '核验方法：在共享法庭服务器目录中运行',
    '  npm run bundle:verify -- <证据包.zip>',
    '核验程序逐一检查每个文件与清单是否一致、审计条目是否完整、录制片段与笔录签名是否与审计',
    '条目相符，并指出第一处不符。导出时清单的 SHA-256 已记入法院的审计日志，可请法院核对。',
    '',
    '----',
    '',
    'Shared court — evidence bundle of a hearing',
    '',
    `Case number: ${info.caseNumber}`,
    '',
    'This archive is the evidence bundle of a closed hearing: recordings/ holds the original audio and',
    'video files, metadata/ the hearing, its recording segments and the gaps in its recording,',
    'transcript/ the transcript (the newest version in full, the hash of every version, the parties’',
    'signatures), and audit/entries.json every audit log entry about the hearing (each one carries the',
    'hash of its content). manifest.json lists the SHA-256 and size of every other file.',
    '',
    'To verify it, run in the shared-court server directory',
    '  npm run bundle:verify -- <bundle.zip>',
    'The verifier checks every file against the manifest, every audit entry against its hash, the',
    'recording segments and the transcript signatures against their audit entries, and names the',
    'first mismatch. The manifest’s SHA-256 was recorded in the court’s audit log at export: the court',
    'can confirm it.',
    '',
  ].join('\n');
}

// --- Verification ------------------------------------------------------------------------------------

export type VerifyBundleResult =
  | { ok: true; files: number; summary: string }
  | { ok: false; problem: string; path: string | null };

interface Problem {
  problem: string;
  /** The file of the bundle concerned, when there is one. */
  path: string | null;
}

const broken = (problem: string, path: string | null): { ok: false; problem: string; path: string | null } => ({
  ok: false,
  problem,
  path,
});

/**
 * Checks an evidence bundle and reports the first thing that does not hold, in this order: the
 * manifest is present and valid; every file it lists is in the ZIP with its size and SHA-256; no file
 * of the ZIP is missing from it; every audit entry is intact (its hash covers its content); every
 * segment agrees with its last `recording.segment_closed` entry and its recording with the segment's
 * SHA-256 (and every closed segment of the audit log is in the bundle); the transcript is the newest
 * version's text and every version and signature matches its audit entry. Files are streamed out of
 * the ZIP and hashed, never unpacked to disk. Throws only when the file cannot be read at all.
 */
export async function verifyBundle(zipPath: string): Promise<VerifyBundleResult> {
  if (typeof zipPath !== 'string' || zipPath === '') throw new TypeError('zipPath must be the path of a bundle');
  await fs.promises.access(zipPath, fs.constants.R_OK);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false });
  } catch (error) {
    return broken(`the file is not a readable ZIP archive (${messageOf(error)})`, null);
  }
  try {
    return await verifyZip(zip);
  } finally {
    zip.close();
  }
}

async function verifyZip(zip: yauzl.ZipFile): Promise<VerifyBundleResult> {
  const entries = new Map<string, yauzl.Entry>();
  try {
    for await (const entry of zip.eachEntry()) {
      // Directory entries hold nothing; yazl writes none.
      if (entry.fileName.endsWith('/') && entry.uncompressedSize === 0) continue;
      if (entries.has(entry.fileName)) {
        return broken(`${entry.fileName} appears more than once in the bundle`, entry.fileName);
      }
      entries.set(entry.fileName, entry);
    }
  } catch (error) {
    return broken(`the ZIP archive's directory is damaged (${messageOf(error)})`, null);
  }

  // The manifest.
  const manifestEntry = entries.get(MANIFEST);
  if (!manifestEntry) {
    return broken('the bundle has no manifest.json: it is not an evidence bundle, or it was damaged', MANIFEST);
  }
  const manifestRead = await readEntry(zip, manifestEntry, true);
  if (!manifestRead.ok) return broken(`manifest.json could not be read (${manifestRead.reason})`, MANIFEST);
  const manifestParsed = parseJson(manifestRead.bytes, ManifestSchema);
  if (!manifestParsed.ok) return broken(`manifest.json is not a valid manifest: ${manifestParsed.reason}`, MANIFEST);
  const manifest = manifestParsed.value;
  const listed = new Set<string>();
  for (const f of manifest.files) {
    if (f.path === MANIFEST || listed.has(f.path)) {
      return broken(`manifest.json is not a valid manifest: it lists ${f.path} more than once`, MANIFEST);
    }
    listed.add(f.path);
  }

  // Every listed file, streamed and hashed; all but the recordings are kept for the checks below.
  const files = new Map<string, Digest>();
  const kept = new Map<string, Buffer>();
  for (const f of manifest.files) {
    const entry = entries.get(f.path);
    if (!entry) return broken(`${f.path} is listed in the manifest but missing from the bundle`, f.path);
    if (entry.uncompressedSize !== f.size) {
      return broken(`${f.path} has ${entry.uncompressedSize} bytes; the manifest lists ${f.size}`, f.path);
    }
    const read = await readEntry(zip, entry, !f.path.startsWith(RECORDINGS_DIR));
    if (!read.ok) return broken(`${f.path} could not be read from the ZIP archive (${read.reason})`, f.path);
    if (read.sha256 !== f.sha256) {
      return broken(`${f.path} was changed: its SHA-256 is ${read.sha256}; the manifest lists ${f.sha256}`, f.path);
    }
    files.set(f.path, { sha256: read.sha256, size: read.size });
    if (read.bytes) kept.set(f.path, read.bytes);
  }
  for (const name of entries.keys()) {
    if (name !== MANIFEST && !listed.has(name)) return broken(`${name} is in the bundle but not in the manifest`, name);
  }
  for (const name of REQUIRED_FILES) {
    if (!listed.has(name)) return broken(`the bundle has no ${name}`, name);
  }

  // The content.
  const text = (name: string): Buffer => kept.get(name) ?? Buffer.alloc(0);
  const hearing = parseJson(text(HEARING_FILE), HearingInfoSchema);
  if (!hearing.ok) return broken(`${HEARING_FILE} is not valid: ${hearing.reason}`, HEARING_FILE);
  if (hearing.value.id !== manifest.hearingId || hearing.value.caseNumber !== manifest.caseNumber) {
    return broken(
      `${HEARING_FILE} describes hearing ${hearing.value.caseNumber} (${hearing.value.id}); the manifest names ${manifest.caseNumber} (${manifest.hearingId})`,
      HEARING_FILE,
    );
  }
  const gaps = parseJson(text(GAPS_FILE), z.array(BundleGapSchema));
  if (!gaps.ok) return broken(`${GAPS_FILE} is not valid: ${gaps.reason}`, GAPS_FILE);
  const segments = parseJson(text(SEGMENTS_FILE), z.array(BundleSegmentSchema));
  if (!segments.ok) return broken(`${SEGMENTS_FILE} is not valid: ${segments.reason}`, SEGMENTS_FILE);
  const versions = parseJson(text(VERSIONS_FILE), z.array(BundleVersionSchema));
  if (!versions.ok) return broken(`${VERSIONS_FILE} is not valid: ${versions.reason}`, VERSIONS_FILE);
  const signatures = parseJson(text(SIGNATURES_FILE), z.array(BundleSignatureSchema));
  if (!signatures.ok) return broken(`${SIGNATURES_FILE} is not valid: ${signatures.reason}`, SIGNATURES_FILE);
  const audit = parseJson(text(AUDIT_FILE), z.array(AuditEntrySchema));
  if (!audit.ok) return broken(`${AUDIT_FILE} is not valid: ${audit.reason}`, AUDIT_FILE);

  const problem = checkContent({
    hearingId: manifest.hearingId,
    segments: segments.value,
    gaps: gaps.value,
    audit: audit.value,
    versions: versions.value,
    signatures: signatures.value,
    files,
    images: kept,
  });
  if (problem) return broken(problem.problem, problem.path);

  const newest = versions.value.reduce((n, v) => Math.max(n, v.version), 0);
  const manifestSha256 = digestOf(manifestRead.bytes).sha256;
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const summary = [
    `hearing ${manifest.caseNumber} (${manifest.hearingId}): ${count(manifest.files.length, 'file', 'files')}`,
    count(segments.value.length, 'recording segment', 'recording segments'),
    count(gaps.value.length, 'gap', 'gaps'),
    count(audit.value.length, 'audit entry', 'audit entries'),
    newest === 0
      ? 'no transcript'
      : `transcript version ${newest} with ${count(signatures.value.length, 'signature', 'signatures')}`,
    `manifest SHA-256 ${manifestSha256}`,
  ].join(', ');
  return { ok: true, files: manifest.files.length, summary };
}

/**
 * Every gap as its audit entries recorded it (opened with its reason, stream and start; closed with
 * its end), and every gap the audit log opened is in the bundle.
 */
function checkGaps(c: BundleContent): Problem | null {
  const opened = new Map<string, { seq: number; details: Record<string, unknown> }>();
  const closedAt = new Map<string, { seq: number; endedMs: unknown }>();
  for (const entry of c.audit) {
    if (entry.action !== RECORDING_AUDIT.gapOpened && entry.action !== RECORDING_AUDIT.gapClosed) continue;
    const details = parseText(entry.details_json, z.looseObject({ gapId: z.string() }));
    if (!details.ok) {
      return {
        problem: `audit entry ${entry.seq} (${entry.action}) does not hold the details of its action: ${details.reason}`,
        path: AUDIT_FILE,
      };
    }
    if (entry.action === RECORDING_AUDIT.gapOpened) {
      opened.set(details.value.gapId, { seq: entry.seq, details: details.value });
    } else {
      closedAt.set(details.value.gapId, { seq: entry.seq, endedMs: details.value.endedMs });
    }
  }
  const listed = new Set<string>();
  for (const gap of c.gaps) {
    listed.add(gap.id);
    const entry = opened.get(gap.id);
    if (!entry) return { problem: `gap ${gap.id} has no ${RECORDING_AUDIT.gapOpened} audit entry`, path: GAPS_FILE };
    const recorded: Record<string, unknown> = {
      participantId: gap.participantId,
      kind: gap.kind,
      reason: gap.reason,
      detail: gap.detail,
      startedMs: gap.startedMs,
    };
    for (const [key, value] of Object.entries(recorded)) {
      if (JSON.stringify(value) !== JSON.stringify(entry.details[key] ?? null)) {
        return {
          problem: `gap ${gap.id} differs from its ${RECORDING_AUDIT.gapOpened} audit entry (entry ${entry.seq}): ${key}: the bundle has ${JSON.stringify(value)}, the entry recorded ${JSON.stringify(entry.details[key])}`,
          path: GAPS_FILE,
        };
      }
    }
    const closed = closedAt.get(gap.id);
    if ((closed?.endedMs ?? null) !== gap.endedMs) {
      return {
        problem: `gap ${gap.id} ends at ${JSON.stringify(gap.endedMs)} in the bundle; the audit log recorded ${closed ? `${JSON.stringify(closed.endedMs)} (entry ${closed.seq})` : 'no end'}`,
        path: GAPS_FILE,
      };
    }
  }
  for (const [id, entry] of opened) {
    if (!listed.has(id)) {
      return {
        problem: `the audit log records gap ${id} (entry ${entry.seq}), but the bundle has no such gap`,
        path: GAPS_FILE,
      };
    }
  }
  return null;
}

// --- The checks both sides make ----------------------------------------------------------------------

interface BundleContent {
  hearingId: string;
  segments: BundleSegment[];
  gaps: BundleGap[];
  /** The hearing's audit entries in seq order. */
  audit: AuditRow[];
  versions: BundleVersion[];
  signatures: BundleSignature[];
  /** SHA-256 and size of the bundle's files by path. */
  files: Map<string, Digest>;
  /** The bytes of the signature images by path (other files may be there too). */
  images: Map<string, Buffer>;
}

/**
 * What the export checks before writing and the verifier after reading the files: the audit entries
 * are intact, and the segments, the transcript and its signatures agree with them. Answers the first
 * problem, naming the bundle file concerned.
 */
function checkContent(c: BundleContent): Problem | null {
  // The audit entries: intact, of this hearing, in order, linked where they follow each other.
  const subject = hearingSubject(c.hearingId);
  let previous: AuditRow | undefined;
  for (const entry of c.audit) {
    const name = `audit entry ${entry.seq} (${entry.action})`;
    if (entryHash(entry) !== entry.hash) {
      return {
        problem: `${name} was changed after it was written: its hash does not match its content`,
        path: AUDIT_FILE,
      };
    }
    if (entry.subject !== subject)
      return { problem: `${name} is not about this hearing (${entry.subject})`, path: AUDIT_FILE };
    if (previous && entry.seq <= previous.seq) {
      return { problem: `${name} is out of order: it follows entry ${previous.seq}`, path: AUDIT_FILE };
    }
    if (previous && entry.seq === previous.seq + 1 && entry.prev_hash !== previous.hash) {
      return { problem: `${name} does not link to entry ${previous.seq} before it`, path: AUDIT_FILE };
    }
    previous = entry;
  }

  // What the entries recorded.
  const closed = new Map<string, { seq: number; details: Record<string, unknown> }>();
  const saved = new Map<number, { seq: number; sha256: string }>();
  const signed: { seq: number; details: z.infer<typeof TranscriptSignedDetailsSchema> }[] = [];
  for (const entry of c.audit) {
    const invalid = (reason: string): Problem => ({
      problem: `audit entry ${entry.seq} (${entry.action}) does not hold the details of its action: ${reason}`,
      path: AUDIT_FILE,
    });
    if (entry.action === RECORDING_AUDIT.segmentClosed) {
      const details = parseText(entry.details_json, SegmentClosedDetailsSchema);
      if (!details.ok) return invalid(details.reason);
      closed.set(details.value.id, { seq: entry.seq, details: details.value });
    } else if (entry.action === 'transcript.saved') {
      const details = parseText(entry.details_json, TranscriptSavedDetailsSchema);
      if (!details.ok) return invalid(details.reason);
      saved.set(details.value.version, { seq: entry.seq, sha256: details.value.sha256 });
    } else if (entry.action === 'transcript.signed') {
      const details = parseText(entry.details_json, TranscriptSignedDetailsSchema);
      if (!details.ok) return invalid(details.reason);
      signed.push({ seq: entry.seq, details: details.value });
    }
  }

  // The segments and their recordings.
  const bundled = new Set<string>();
  for (const s of c.segments) {
    if (bundled.has(s.id)) return { problem: `segment ${s.id} is listed twice`, path: SEGMENTS_FILE };
    bundled.add(s.id);
    const entry = closed.get(s.id);
    if (!entry) {
      return { problem: `segment ${s.id} has no ${RECORDING_AUDIT.segmentClosed} audit entry`, path: SEGMENTS_FILE };
    }
    const mismatch = segmentMismatch(segmentRowOf(s), entry.details);
    if (mismatch !== null) {
      return {
        problem: `segment ${s.id} differs from its ${RECORDING_AUDIT.segmentClosed} audit entry (entry ${entry.seq}): ${mismatch}`,
        path: SEGMENTS_FILE,
      };
    }
    if (s.status === 'recording') {
      return { problem: `segment ${s.id} was still being recorded when the bundle was made`, path: SEGMENTS_FILE };
    }
    const file = c.files.get(s.bundlePath);
    if (!s.bundlePath.startsWith(RECORDINGS_DIR) || !file) {
      return { problem: `the recording of segment ${s.id} (${s.bundlePath}) is not in the bundle`, path: s.bundlePath };
    }
    if (file.sha256 !== s.sha256) {
      return {
        problem: `the recording of segment ${s.id} (${s.bundlePath}) has SHA-256 ${file.sha256}; the segment recorded ${s.sha256}`,
        path: s.bundlePath,
      };
    }
    if (file.size !== s.sizeBytes) {
      return {
        problem: `the recording of segment ${s.id} (${s.bundlePath}) has ${file.size} bytes; the segment recorded ${s.sizeBytes}`,
        path: s.bundlePath,
      };
    }
  }
  for (const [id, entry] of closed) {
    if (!bundled.has(id)) {
      return {
        problem: `the audit log records segment ${id} as closed (entry ${entry.seq}), but the bundle has no such segment`,
        path: SEGMENTS_FILE,
      };
    }
  }
  const gapProblem = checkGaps(c);
  if (gapProblem) return gapProblem;
  const recordingPaths = new Set(c.segments.map((s) => s.bundlePath));
  for (const file of c.files.keys()) {
    if (file.startsWith(RECORDINGS_DIR) && !recordingPaths.has(file)) {
      return { problem: `${file} is the recording of no segment`, path: file };
    }
  }

  // The transcript: the newest version's text, every version and signature as their entries recorded.
  const hashOf = new Map<number, string>();
  for (const v of c.versions) {
    if (hashOf.has(v.version))
      return { problem: `transcript version ${v.version} is listed twice`, path: VERSIONS_FILE };
    hashOf.set(v.version, v.sha256);
  }
  const newest = c.versions.reduce<BundleVersion | null>((n, v) => (n && n.version > v.version ? n : v), null);
  const transcript = c.files.get(TRANSCRIPT_FILE)?.sha256;
  const expected = newest?.sha256 ?? EMPTY_SHA256;
  if (transcript !== expected) {
    return {
      problem: newest
        ? `the transcript text has SHA-256 ${transcript}; its newest version (${newest.version}) recorded ${newest.sha256}`
        : 'the transcript text is not empty, but no version of the transcript was saved',
      path: TRANSCRIPT_FILE,
    };
  }
  for (const v of c.versions) {
    const entry = saved.get(v.version);
    if (!entry)
      return { problem: `transcript version ${v.version} has no transcript.saved audit entry`, path: VERSIONS_FILE };
    if (entry.sha256 !== v.sha256) {
      return {
        problem: `transcript version ${v.version} has SHA-256 ${v.sha256}; its transcript.saved audit entry (entry ${entry.seq}) recorded ${entry.sha256}`,
        path: VERSIONS_FILE,
      };
    }
  }
  for (const [version, entry] of saved) {
    if (!hashOf.has(version)) {
      return {
        problem: `the audit log records transcript version ${version} as saved (entry ${entry.seq}), but the bundle does not list it`,
        path: VERSIONS_FILE,
      };
    }
  }
  const imageSha256 = (image: string): string | null => {
    const png = c.images.get(image);
    return png ? sha256Of(Buffer.from(`${PNG_DATA_URL}${png.toString('base64')}`, 'utf8')) : null;
  };
  for (const s of c.signatures) {
    const who = `the signature of participant ${s.participantId} on transcript version ${s.version}`;
    const versionSha256 = hashOf.get(s.version);
    if (versionSha256 === undefined)
      return { problem: `${who} is of a version that is not listed`, path: SIGNATURES_FILE };
    if (versionSha256 !== s.textSha256) {
      return {
        problem: `${who} is bound to text SHA-256 ${s.textSha256}; version ${s.version} has ${versionSha256}`,
        path: SIGNATURES_FILE,
      };
    }
    const entries = signed.filter(
      (e) => e.details.participantId === s.participantId && e.details.version === s.version,
    );
    if (entries.length === 0) return { problem: `${who} has no transcript.signed audit entry`, path: SIGNATURES_FILE };
    const bound = entries.filter((e) => e.details.textSha256 === s.textSha256);
    if (bound.length === 0) {
      return {
        problem: `${who} is bound to text SHA-256 ${s.textSha256}; its transcript.signed audit entry (entry ${entries.at(-1)?.seq}) recorded ${entries.at(-1)?.details.textSha256}`,
        path: SIGNATURES_FILE,
      };
    }
    if (!s.image.startsWith(SIGNATURES_DIR) || !c.files.has(s.image)) {
      return { problem: `the image of ${who} (${s.image}) is not in the bundle`, path: s.image };
    }
    const image = imageSha256(s.image);
    if (!bound.some((e) => e.details.signatureSha256 === image)) {
      return {
        problem: `the image of ${who} (${s.image}) is not the one its transcript.signed audit entry (entry ${bound.at(-1)?.seq}) recorded`,
        path: s.image,
      };
    }
  }
  for (const entry of signed) {
    const d = entry.details;
    const found = c.signatures.some(
      (s) =>
        s.participantId === d.participantId &&
        s.version === d.version &&
        s.textSha256 === d.textSha256 &&
        imageSha256(s.image) === d.signatureSha256,
    );
    if (!found) {
      return {
        problem: `the audit log records a signature of participant ${d.participantId} on transcript version ${d.version} (entry ${entry.seq}), but the bundle does not hold it`,
        path: SIGNATURES_FILE,
      };
    }
  }
  const images = new Set(c.signatures.map((s) => s.image));
  for (const file of c.files.keys()) {
    if (file.startsWith(SIGNATURES_DIR) && !images.has(file)) {
      return { problem: `${file} is the image of no signature`, path: file };
    }
  }
  return null;
}

/** The segment row a bundle's segment stands for, to compare with its audit entry. */
function segmentRowOf(s: BundleSegment): SegmentRow {
  return {
    id: s.id,
    hearing_id: s.hearingId,
    participant_id: s.participantId,
    kind: s.kind,
    source: s.source,
    producer_id: s.producerId,
    codec: s.codec,
    content_type: s.contentType,
    file: s.file,
    status: s.status,
    started_ms: s.startedMs,
    first_frame_ms: s.firstFrameMs,
    stopped_ms: s.stoppedMs,
    stop_reason: s.stopReason,
    duration_ms: s.durationMs,
    frame_count: s.frameCount,
    size_bytes: s.sizeBytes,
    sha256: s.sha256,
  };
}

// --- Helpers -------------------------------------------------------------------------------------------

interface Digest {
  sha256: string;
  size: number;
}

const EMPTY_SHA256 = createHash('sha256').digest('hex');

const hearingSubject = (hearingId: string): string => `hearing:${hearingId}`;

function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function digestOf(bytes: Buffer): Digest {
  return { sha256: sha256Of(bytes), size: bytes.length };
}

function digestOrThrow(files: Map<string, Digest>, file: string): Digest {
  const digest = files.get(file);
  if (!digest) throw new Error(`unreachable: ${file} was not hashed`);
  return digest;
}

/** Hashes a stream to its end; collects its bytes into `keep` when given. */
async function digestStream(source: NodeJS.ReadableStream, keep: Buffer[] | null): Promise<Digest> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    source,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        keep?.push(chunk);
        callback();
      },
    }),
  );
  return { sha256: hash.digest('hex'), size };
}

type EntryRead = { ok: true; sha256: string; size: number; bytes: Buffer } | { ok: false; reason: string };

/** Streams one entry out of the ZIP and hashes it; keeps its bytes when asked (else `bytes` is empty). */
async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, keep: boolean): Promise<EntryRead> {
  if (entry.isEncrypted()) return { ok: false, reason: 'it is encrypted' };
  if (keep && entry.uncompressedSize > MAX_KEPT_BYTES) {
    return { ok: false, reason: `it has ${entry.uncompressedSize} bytes, more than such a file of a bundle can have` };
  }
  try {
    const chunks: Buffer[] = [];
    const digest = await digestStream(await zip.openReadStreamPromise(entry), keep ? chunks : null);
    return { ok: true, ...digest, bytes: Buffer.concat(chunks) };
  } catch (error) {
    return { ok: false, reason: messageOf(error) };
  }
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function parseJson<T>(bytes: Buffer, schema: z.ZodType<T>): Parsed<T> {
  return parseText(bytes.toString('utf8'), schema);
}

function parseText<T>(text: string, schema: z.ZodType<T>): Parsed<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON (${messageOf(error)})` };
  }
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false, reason: issue ? `${issue.path.join('.') || 'the value'}: ${issue.message}` : 'invalid' };
}

/** The PNG of a signature stored as a data URL; null when it is not one. */
function pngOf(dataUrl: string): Buffer | null {
  if (!dataUrl.startsWith(PNG_DATA_URL)) return null;
  return Buffer.from(dataUrl.slice(PNG_DATA_URL.length), 'base64');
}

/** An id as part of a file name in the bundle; ids are UUIDs or similar, never paths. */
function fileName(id: string, what: string): string {
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/.test(id)) {
    throw new ConflictError(`the ${what} ${JSON.stringify(id)} cannot name a file of the bundle`);
  }
  return id;
}

/** The extension of a segment's file (webm, mp4), or one from its content type. */
function extensionOf(row: SegmentRow): string {
  const ext = path.extname(row.file).slice(1).toLowerCase();
  if (/^[a-z0-9]{1,8}$/.test(ext)) return ext;
  if (row.content_type.endsWith('/webm')) return 'webm';
  if (row.content_type.endsWith('/mp4')) return 'mp4';
  return 'bin';
}

function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
