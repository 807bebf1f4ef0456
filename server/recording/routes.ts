import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { jwtVerify, SignJWT } from 'jose';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Principal, UserPrincipal } from '../../shared/accounts.js';
import { IdSchema } from '../../shared/hearing.js';
import {
  FILE_LINK_TTL_SECONDS,
  type FileLink,
  FileLinkSchema,
  RecordingTimelineSchema,
} from '../../shared/recording.js';
import { toShanghaiIso } from '../../shared/scheduling.js';
import { appendAudit } from '../audit/AuditLog.js';
import { requireUser } from '../auth/authorize.js';
import type { DialectName } from '../db/Database.js';
import type { DB } from '../db/schema.js';
import { BadRequestError, ForbiddenError, InvalidStateError, NotFoundError, UnauthorizedError } from '../errors.js';
import type { CatalogEntry, HearingCatalog } from '../hearing/HearingCatalog.js';
import { type AnyRoute, defineRoute } from '../http/Routes.js';
import type { Logger } from '../logger.js';
import { writeBundle } from './bundle.js';
import { RECORDING_AUDIT, toGap, toSegment } from './metadata.js';

const AUDIENCE = 'shared-court:file';
const LinkClaimsSchema = z.object({
  sub: z.string(),
  hearingId: IdSchema,
  /** A segment's file, or the hearing's evidence bundle. */
  segmentId: z.string().optional(),
});

interface RecordingRoutesOptions {
  db: Kysely<DB>;
  dialect: DialectName;
  catalog: HearingCatalog;
  /** The recording directory. */
  dir: string;
  /** Signs the short-lived file links (the session secret). */
  secret: Uint8Array;
  logger: Logger;
  now?: () => number;
}

/**
 * The judge's and clerk's access to a hearing's recording: the timeline, short-lived links to each
 * file (a media element or a download cannot send the session header), the files themselves with
 * HTTP ranges, and the evidence bundle. Only the judge and the clerk of that hearing get anything;
 * every link given out is in the audit log.
 */
export function recordingRoutes(options: RecordingRoutesOptions): AnyRoute<Principal>[] {
  const { db, catalog, dir, secret, logger } = options;
  const now = options.now ?? Date.now;

  /** The hearing, when the principal is its judge or clerk; FORBIDDEN for anyone else. */
  const ownHearing = async (
    principal: Principal | null,
    hearingId: string,
  ): Promise<{ user: UserPrincipal; entry: CatalogEntry }> => {
    const user = requireUser(principal);
    const entry = await catalog.load(hearingId);
    if (!entry) throw new NotFoundError(`no hearing ${hearingId}`);
    if (entry.booking.judgeId !== user.userId && entry.booking.clerkId !== user.userId) {
      throw new ForbiddenError('only the judge and the clerk of this hearing may see its recording');
    }
    return { user, entry };
  };

  /** An audit entry of a judge's or clerk's action on a hearing's recording, in its own transaction. */
  const audit = (userId: string, action: string, hearingId: string, details: Record<string, unknown>) =>
    db
      .transaction()
      .execute((trx) =>
        appendAudit(
          trx,
          options.dialect,
          { actor: `user:${userId}`, action, subject: `hearing:${hearingId}`, details },
          now(),
        ),
      );

  const issueLink = async (
    user: UserPrincipal,
    hearingId: string,
    segmentId: string | undefined,
    filePath: string,
  ): Promise<FileLink> => {
    const issued = Math.floor(now() / 1000);
    const token = await new SignJWT({ hearingId, ...(segmentId ? { segmentId } : {}) })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.userId)
      .setAudience(AUDIENCE)
      .setIssuedAt(issued)
      .setExpirationTime(issued + FILE_LINK_TTL_SECONDS)
      .sign(secret);
    await audit(
      user.userId,
      RECORDING_AUDIT.linkIssued,
      hearingId,
      segmentId ? { segmentId, file: filePath } : { bundle: true },
    );
    return {
      url: `/api/files/${token}`,
      expiresAt: toShanghaiIso((issued + FILE_LINK_TTL_SECONDS) * 1000),
    };
  };

  return [
    defineRoute({
      method: 'GET',
      url: '/api/hearings/:hearingId/recording',
      summary: "A hearing's recording: segments and gaps (its judge and clerk only)",
      tag: 'recording',
      auth: 'user',
      params: z.object({ hearingId: IdSchema }),
      response: RecordingTimelineSchema,
      handler: async ({ params, principal }) => {
        const { entry } = await ownHearing(principal, params.hearingId);
        const [segments, gaps] = await Promise.all([
          db
            .selectFrom('recording_segments')
            .selectAll()
            .where('hearing_id', '=', params.hearingId)
            .orderBy('started_ms')
            .orderBy('id')
            .execute(),
          db
            .selectFrom('recording_gaps')
            .selectAll()
            .where('hearing_id', '=', params.hearingId)
            .orderBy('started_ms')
            .orderBy('id')
            .execute(),
        ]);
        const { hearing, booking } = entry;
        return {
          hearingId: hearing.id,
          caseNumber: hearing.caseNumber,
          title: hearing.title,
          state: booking.status,
          startsAt: hearing.startsAt,
          endsAt: hearing.endsAt,
          participants: hearing.participants.map((p) => ({ id: p.id, name: p.name, role: p.role })),
          segments: segments.map(toSegment),
          gaps: gaps.map(toGap),
          bundleAvailable: booking.status === 'closed',
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/recordings/:segmentId/link',
      summary: 'A short-lived link to one recording file (audited)',
      tag: 'recording',
      auth: 'user',
      params: z.object({ segmentId: z.string().min(1).max(64) }),
      response: FileLinkSchema,
      handler: async ({ params, principal }) => {
        requireUser(principal);
        const segment = await db
          .selectFrom('recording_segments')
          .select(['hearing_id', 'file', 'status'])
          .where('id', '=', params.segmentId)
          .executeTakeFirst();
        if (!segment) throw new NotFoundError(`no recording ${params.segmentId}`);
        const { user } = await ownHearing(principal, segment.hearing_id);
        if (segment.status === 'purged') {
          throw new InvalidStateError('this recording was deleted when its retention period ended');
        }
        return issueLink(user, segment.hearing_id, params.segmentId, segment.file);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/hearings/:hearingId/bundle/link',
      summary: 'A short-lived link to the evidence bundle of a closed hearing (audited)',
      tag: 'recording',
      auth: 'user',
      params: z.object({ hearingId: IdSchema }),
      response: FileLinkSchema,
      handler: async ({ params, principal }) => {
        const { user, entry } = await ownHearing(principal, params.hearingId);
        if (entry.booking.status !== 'closed') {
          throw new InvalidStateError('the evidence bundle can be exported once the hearing is closed (闭庭)');
        }
        return issueLink(user, params.hearingId, undefined, 'bundle');
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/files/:token',
      summary: 'A recording file or evidence bundle by its short-lived link (HTTP ranges; ?download=1)',
      tag: 'recording',
      auth: 'public',
      params: z.object({ token: z.string().min(1).max(4096) }),
      query: z.object({ download: z.enum(['0', '1']).optional() }),
      response: z.any(),
      handler: async ({ params, query, request, reply }) => {
        let claims: z.infer<typeof LinkClaimsSchema>;
        try {
          const { payload } = await jwtVerify(params.token, secret, {
            algorithms: ['HS256'],
            audience: AUDIENCE,
            currentDate: new Date(now()),
          });
          claims = LinkClaimsSchema.parse(payload);
        } catch {
          throw new UnauthorizedError('this link is not valid or has expired; open the recording page again');
        }
        // Still an active account, and the judge or clerk of the hearing now (not only when linked).
        const account = await db
          .selectFrom('users')
          .select('disabled_ms')
          .where('id', '=', claims.sub)
          .executeTakeFirst();
        if (!account || account.disabled_ms !== null) {
          throw new UnauthorizedError('the account this link was made for is no longer active');
        }
        await ownHearing({ kind: 'user', userId: claims.sub, courtId: '', role: 'judge' }, claims.hearingId);
        const attachment = query.download === '1';
        if (!claims.segmentId) {
          const entry = await catalog.load(claims.hearingId);
          const name = `evidence-${(entry?.hearing.caseNumber ?? claims.hearingId).replace(/[^\p{L}\p{N}-]+/gu, '_')}.zip`;
          const stream = new PassThrough();
          writeBundle({ db, recordingDir: dir, hearingId: claims.hearingId, out: stream, now }).then(
            async (result) => {
              // The court's record of the export: the manifest's hash ties this bundle to the chain.
              await audit(claims.sub, RECORDING_AUDIT.bundleExported, claims.hearingId, {
                manifestSha256: result.manifestSha256,
                files: result.files,
              });
              logger.info({ hearingId: claims.hearingId, ...result, by: claims.sub }, 'evidence bundle exported');
            },
            (error: unknown) => {
              logger.error({ err: error, hearingId: claims.hearingId }, 'evidence bundle export failed');
              // Refused before the first byte (CONFLICT, INVALID_STATE): the error goes out as JSON, not as a ZIP.
              reply.removeHeader('content-type').removeHeader('content-disposition');
              stream.destroy(error instanceof Error ? error : new Error(String(error)));
            },
          );
          reply
            .header('content-type', 'application/zip')
            .header('cache-control', 'no-store')
            .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
          return reply.send(stream);
        }
        const segment = await db
          .selectFrom('recording_segments')
          .select(['hearing_id', 'file', 'content_type'])
          .where('id', '=', claims.segmentId)
          .executeTakeFirst();
        if (!segment || segment.hearing_id !== claims.hearingId) throw new NotFoundError('no such recording');
        const file = path.join(dir, segment.file);
        const stat = await fs.promises.stat(file).catch(() => null);
        if (!stat) throw new NotFoundError('the recording file is missing on the server');
        reply
          .header('content-type', segment.content_type)
          .header('accept-ranges', 'bytes')
          .header('cache-control', 'private, no-store');
        if (attachment) {
          reply.header('content-disposition', `attachment; filename="${path.basename(segment.file)}"`);
        }
        const range = parseRange(request.headers.range, stat.size);
        if (range === 'unsatisfiable') {
          reply.status(416).header('content-range', `bytes */${stat.size}`);
          return reply.send();
        }
        if (range) {
          reply
            .status(206)
            .header('content-range', `bytes ${range.start}-${range.end}/${stat.size}`)
            .header('content-length', range.end - range.start + 1);
          return reply.send(fs.createReadStream(file, range));
        }
        reply.header('content-length', stat.size);
        return reply.send(fs.createReadStream(file));
      },
    }),
  ];
}

/** One byte range of a Range header (the only form media elements send); null: the whole file. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) throw new BadRequestError('only a single byte range is supported (Range: bytes=start-end)');
  const [, from, to] = match;
  if (from === '' && to === '') throw new BadRequestError('an empty byte range');
  let start: number;
  let end: number;
  if (from === '') {
    const suffix = Number(to);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}
