import { z } from 'zod';
import { IdSchema, ParticipantRoleSchema } from './hearing.js';
import { HearingStateSchema } from './hearingState.js';

/*
 * Recording as evidence: what the server recorded of a hearing (segments: one file per participant's
 * stream between two starts/stops) and every gap with its reason, as the judge's and clerk's playback
 * page and the evidence bundle show them. Times are ISO 8601 in Asia/Shanghai; the database keeps UTC.
 */

export const RecordingKindSchema = z.enum(['audio', 'video']);
export type RecordingKind = z.infer<typeof RecordingKindSchema>;

/**
 * recording: FFmpeg is writing it; complete: closed by the server; interrupted: its recorder or the
 * server died; purged: its file was deleted when the configured retention period ended (audited).
 */
export const SegmentStatusSchema = z.enum(['recording', 'complete', 'interrupted', 'purged']);
export type SegmentStatus = z.infer<typeof SegmentStatusSchema>;

/** Why a segment was closed. */
export const StopReasonSchema = z.enum([
  /** 休庭: the judge paused the hearing. */
  'pause',
  /** 闭庭: the judge closed the hearing. */
  'close',
  /** The participant's stream ended (camera or microphone off, connection lost). */
  'stream_ended',
  /** The judge dismissed the participant from the hearing. */
  'dismissed',
  /** The participant left the hearing on purpose (the leave button, or closing the hearing screen). */
  'left',
  /** FFmpeg died or stopped writing; a new segment follows. */
  'recorder_failure',
  /** The server stopped while the segment was open; finalized at the next start. */
  'server_restart',
  /** Free space on the recording disk fell below the configured minimum. */
  'disk_full',
  /** The server was shut down in an orderly way. */
  'shutdown',
  /**
   * The judge stopped showing the participant's document camera (its stream exists only while shown,
   * so its end is no gap in the record).
   */
  'document_stopped',
]);
export type StopReason = z.infer<typeof StopReasonSchema>;

/** Why the recording of a hearing (or of one participant's stream) has a gap. */
export const GapReasonSchema = z.enum([
  /** 休庭 (recess, non-public evidence exchange, mediation): `detail` holds the judge's reason. */
  'recess',
  'recorder_failure',
  'server_restart',
  'disk_full',
  /** The judge chose to continue without recording (disk full); logged with who and when. */
  'without_recording',
  /** A participant's stream ended while they were in the hearing (connection lost, device off). */
  'stream_ended',
]);
export type GapReason = z.infer<typeof GapReasonSchema>;

export const RecordingSegmentSchema = z.object({
  id: z.string(),
  hearingId: IdSchema,
  participantId: IdSchema,
  kind: RecordingKindSchema,
  /**
   * What the stream carried: camera, microphone, or document (the kiosk's document camera, shown at
   * the judge's request; a video segment of its own beside the participant's camera). A plain string:
   * rows written by another version stay readable.
   */
  source: z.string(),
  /** The codec as negotiated, e.g. video/VP8, audio/opus. */
  codec: z.string(),
  /** The file's type for playback, e.g. video/webm. */
  contentType: z.string(),
  status: SegmentStatusSchema,
  startedAt: z.string(),
  stoppedAt: z.string().nullable(),
  stopReason: StopReasonSchema.nullable(),
  /** From ffprobe after closing (null while recording). */
  durationMs: z.number().int().nonnegative().nullable(),
  frameCount: z.number().int().nonnegative().nullable(),
  sizeBytes: z.number().int().nonnegative().nullable(),
  sha256: z.string().nullable(),
});
export type RecordingSegment = z.infer<typeof RecordingSegmentSchema>;

export const RecordingGapSchema = z.object({
  id: z.string(),
  hearingId: IdSchema,
  /** Null: the whole hearing; otherwise one participant's stream of `kind`. */
  participantId: IdSchema.nullable(),
  kind: RecordingKindSchema.nullable(),
  reason: GapReasonSchema,
  detail: z.string().nullable(),
  startedAt: z.string(),
  /** Null while the gap lasts. */
  endedAt: z.string().nullable(),
});
export type RecordingGap = z.infer<typeof RecordingGapSchema>;

/** GET /api/hearings/:id/recording — the judge's and clerk's view of a hearing's recording. */
export const RecordingTimelineSchema = z.object({
  hearingId: IdSchema,
  caseNumber: z.string(),
  title: z.string(),
  state: HearingStateSchema,
  /** Scheduled start and end (ISO 8601, Asia/Shanghai). */
  startsAt: z.string(),
  endsAt: z.string(),
  participants: z.array(z.object({ id: IdSchema, name: z.string(), role: ParticipantRoleSchema })),
  segments: z.array(RecordingSegmentSchema),
  gaps: z.array(RecordingGapSchema),
  /** The evidence bundle can be exported (the hearing is closed). */
  bundleAvailable: z.boolean(),
});
export type RecordingTimeline = z.infer<typeof RecordingTimelineSchema>;

/**
 * POST /api/recordings/:segmentId/link and POST /api/hearings/:id/bundle/link — a short-lived address
 * of one file, for a media element or a download (which cannot send the session header). Each link is
 * authorized for the asking judge or clerk and written to the audit log.
 */
export const FileLinkSchema = z.object({ url: z.string(), expiresAt: z.string() });
export type FileLink = z.infer<typeof FileLinkSchema>;

/** How long a file link stays valid. */
export const FILE_LINK_TTL_SECONDS = 10 * 60;
