import type { Selectable } from 'kysely';
import type { RecordingGap, RecordingSegment, StopReason } from '../../shared/recording.js';
import { toShanghaiIso } from '../../shared/scheduling.js';
import type { RecordingGapTable, RecordingSegmentTable } from '../db/schema.js';

export type SegmentRow = Selectable<RecordingSegmentTable>;
export type GapRow = Selectable<RecordingGapTable>;

/** Audit actions of the recording, with the details each carries. */
export const RECORDING_AUDIT = {
  /** details: SegmentAuditDetails of the row as opened (no stop, no measurements). */
  segmentOpened: 'recording.segment_opened',
  /** details: SegmentAuditDetails of the closed row, with its measurements and SHA-256. */
  segmentClosed: 'recording.segment_closed',
  /** details: SegmentAuditDetails of the purged row — its file was deleted at the end of the retention period. */
  segmentPurged: 'recording.segment_purged',
  /** details: GapAuditDetails. */
  gapOpened: 'recording.gap_opened',
  gapClosed: 'recording.gap_closed',
  /** details: { segmentId } or { bundle: true } — a judge or clerk was given a file link. */
  linkIssued: 'recording.link_issued',
  /** details: { manifestSha256, files } — an evidence bundle was exported. */
  bundleExported: 'recording.bundle_exported',
  /** details: { reason, freeBytes } — the judge chose to go on without recording. */
  withoutRecording: 'recording.continued_without',
} as const;

/** Every column of a segment row, as the audit entry records it (the row can be compared with it). */
export type SegmentAuditDetails = { [K in keyof SegmentRow as CamelCase<K & string>]: SegmentRow[K] };
type CamelCase<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;

export function segmentAuditDetails(row: SegmentRow): SegmentAuditDetails {
  return {
    id: row.id,
    hearingId: row.hearing_id,
    participantId: row.participant_id,
    kind: row.kind,
    source: row.source,
    producerId: row.producer_id,
    codec: row.codec,
    contentType: row.content_type,
    file: row.file,
    status: row.status,
    startedMs: row.started_ms,
    firstFrameMs: row.first_frame_ms,
    stoppedMs: row.stopped_ms,
    stopReason: row.stop_reason,
    durationMs: row.duration_ms,
    frameCount: row.frame_count,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
  };
}

/**
 * The first column where a segment row differs from what its closing audit entry recorded, or null
 * when they agree. Both sides go through JSON so a number read back as a string compares equal.
 */
export function segmentMismatch(row: SegmentRow, recorded: Record<string, unknown>): string | null {
  const current = segmentAuditDetails(row) as Record<string, unknown>;
  for (const key of Object.keys(current)) {
    if (JSON.stringify(current[key] ?? null) !== JSON.stringify(recorded[key] ?? null)) {
      return `${key}: row has ${JSON.stringify(current[key])}, audit entry recorded ${JSON.stringify(recorded[key])}`;
    }
  }
  return null;
}

export function toSegment(row: SegmentRow): RecordingSegment {
  return {
    id: row.id,
    hearingId: row.hearing_id,
    participantId: row.participant_id,
    kind: row.kind,
    source: row.source,
    codec: row.codec,
    contentType: row.content_type,
    status: row.status,
    startedAt: toShanghaiIso(row.started_ms),
    stoppedAt: row.stopped_ms === null ? null : toShanghaiIso(row.stopped_ms),
    stopReason: row.stop_reason as StopReason | null,
    durationMs: row.duration_ms,
    frameCount: row.frame_count,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
  };
}

export function toGap(row: GapRow): RecordingGap {
  return {
    id: row.id,
    hearingId: row.hearing_id,
    participantId: row.participant_id,
    kind: row.kind,
    reason: row.reason as RecordingGap['reason'],
    detail: row.detail,
    startedAt: toShanghaiIso(row.started_ms),
    endedAt: row.ended_ms === null ? null : toShanghaiIso(row.ended_ms),
  };
}
