/**
 * The live state of a hearing as the server holds it (the "floor"): the hearing's state, every
 * participant's state, who the judge muted, raised hands, help requests, connection quality and the
 * transcript's signatures. The server is the authority: it sends the whole FloorState to everyone in
 * the hearing after every change, and clients only render it (a reload gets it with the join answer).
 */
import { z } from 'zod';
import { IdSchema } from './hearing.js';
import {
  HearingCommandSchema,
  type HearingState,
  HearingStateSchema,
  isHearingLive,
  type ParticipantStatus,
  ParticipantStatusSchema,
} from './hearingState.js';

/**
 * How a device (camera, microphone) could be opened at the client. `fallback`: the device the site
 * operator chose is gone (unplugged, replaced), so the system default is used instead; it works, but
 * the operator should choose again.
 */
export const DeviceStatusSchema = z.enum(['ok', 'fallback', 'blocked', 'missing']);
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;

export const QualityGradeSchema = z.enum(['good', 'ok', 'bad']);
export type QualityGrade = z.infer<typeof QualityGradeSchema>;

/** What a client reports every few seconds from its WebRTC statistics. */
export const StatsReportSchema = z.strictObject({
  /** Round trip to the server (ICE candidate pair), ms. */
  rttMs: z.number().min(0).max(60_000).nullable(),
  /** Share of inbound packets lost over the last interval, percent. */
  packetLossPct: z.number().min(0).max(100).nullable(),
  /** Outbound bitrate over the last interval, kbit/s. */
  sendKbps: z.number().min(0).max(1_000_000).nullable(),
  /** Inbound bitrate over the last interval, kbit/s. */
  recvKbps: z.number().min(0).max(1_000_000).nullable(),
  camera: DeviceStatusSchema,
  microphone: DeviceStatusSchema,
});
export type StatsReport = z.infer<typeof StatsReportSchema>;

/** Thresholds of a connection's grade; "bad" raises an alert for the clerk. */
export const QUALITY_LIMITS = {
  good: { rttMs: 150, packetLossPct: 2 },
  ok: { rttMs: 400, packetLossPct: 8 },
} as const;

/** The grade of a report: the worse of RTT and loss; unknown values do not count against it. */
export function gradeQuality(report: Pick<StatsReport, 'rttMs' | 'packetLossPct'>): QualityGrade {
  const rtt = report.rttMs ?? 0;
  const loss = report.packetLossPct ?? 0;
  if (rtt <= QUALITY_LIMITS.good.rttMs && loss <= QUALITY_LIMITS.good.packetLossPct) return 'good';
  if (rtt <= QUALITY_LIMITS.ok.rttMs && loss <= QUALITY_LIMITS.ok.packetLossPct) return 'ok';
  return 'bad';
}

export const ConnectionQualitySchema = z.object({
  grade: QualityGradeSchema,
  rttMs: z.number().nullable(),
  packetLossPct: z.number().nullable(),
  sendKbps: z.number().nullable(),
  recvKbps: z.number().nullable(),
  /** Server time of the report, ms since the epoch. */
  atMs: z.number(),
});
export type ConnectionQuality = z.infer<typeof ConnectionQualitySchema>;

/** The kiosk's self-test result, sent when the villager moves on to the waiting room. */
export const SelfTestResultSchema = z.strictObject({
  score: QualityGradeSchema,
  camera: DeviceStatusSchema,
  microphone: DeviceStatusSchema,
  /** The villager heard the test tone. */
  speakerHeard: z.boolean(),
  rttMs: z.number().min(0).max(60_000).nullable(),
  uploadKbps: z.number().min(0).max(10_000_000).nullable(),
  downloadKbps: z.number().min(0).max(10_000_000).nullable(),
});
export type SelfTestResult = z.infer<typeof SelfTestResultSchema>;

export const FloorParticipantSchema = z.object({
  participantId: IdSchema,
  status: ParticipantStatusSchema,
  /** A connection of this participant is in the hearing now. */
  connected: z.boolean(),
  /** Muted by the judge: the server holds the participant's microphone until the judge unmutes. */
  muted: z.boolean(),
  handRaised: z.boolean(),
  helpRequested: z.boolean(),
  quality: ConnectionQualitySchema.nullable(),
  camera: DeviceStatusSchema.nullable(),
  microphone: DeviceStatusSchema.nullable(),
  selfTest: SelfTestResultSchema.nullable(),
  /** The participant's kiosk has a document camera (its connection said so after joining). */
  documentCamera: z.boolean(),
  /** The judge asked this participant's kiosk to show its document camera to the hearing. */
  showingDocument: z.boolean(),
});
export type FloorParticipant = z.infer<typeof FloorParticipantSchema>;

export const TranscriptSignatureInfoSchema = z.object({
  participantId: IdSchema,
  version: z.number().int().positive(),
  textSha256: z.string(),
  /** ISO 8601, Asia/Shanghai. */
  signedAt: z.string(),
  /** The signed text is still exactly the stored text of that version. */
  intact: z.boolean(),
});
export type TranscriptSignatureInfo = z.infer<typeof TranscriptSignatureInfoSchema>;

export const FloorStateSchema = z.object({
  hearingId: IdSchema,
  state: HearingStateSchema,
  /** Why the hearing is paused (休庭), while it is. */
  pauseReason: z.string().nullable(),
  /** When the hearing entered its state, ISO 8601 Asia/Shanghai; null while scheduled. */
  stateSince: z.string().nullable(),
  /** The participant the judge put on everyone's main view, or null. */
  spotlight: IdSchema.nullable(),
  /** A recorder is writing this hearing now (everyone in the hearing sees it). */
  recording: z.boolean(),
  /**
   * Why the hearing is in session but not (fully) recorded: the recording disk is full, or the judge
   * chose to go on without recording.
   */
  recordingNotice: z.enum(['disk_low', 'without_recording']).nullable(),
  participants: z.array(FloorParticipantSchema),
  /** The transcript's newest version (0: nothing written yet). */
  transcriptVersion: z.number().int().nonnegative(),
  signatures: z.array(TranscriptSignatureInfoSchema),
  /** Grows with every change, so a client can drop a snapshot older than the one it shows. */
  revision: z.number().int().nonnegative(),
});
export type FloorState = z.infer<typeof FloorStateSchema>;

// --- Requests ----------------------------------------------------------------------------------

/** Judge: a hearing command (open, start, pause with reason, resume, close). */
export const FloorCommandRequestSchema = z.strictObject({ command: HearingCommandSchema });

export const ParticipantActionSchema = z.enum(['call_in', 'dismiss', 'mute', 'unmute']);
export type ParticipantAction = z.infer<typeof ParticipantActionSchema>;

/** Judge: act on one participant. */
export const FloorParticipantRequestSchema = z.strictObject({
  participantId: IdSchema,
  action: ParticipantActionSchema,
});

/** Judge: one participant on everyone's main view, or back to the judge (null). */
export const SpotlightRequestSchema = z.strictObject({ participantId: IdSchema.nullable() });

/** Kiosk: the self-test is done, the villager moves to the waiting room. */
export const ReadyRequestSchema = z.strictObject({ selfTest: SelfTestResultSchema });

export const HandRequestSchema = z.strictObject({ raised: z.boolean() });

/** Kiosk: this connection has a document camera (the operator configured one), or no longer has one. */
export const DocumentCameraRequestSchema = z.strictObject({ available: z.boolean() });

/** Judge: ask one participant's kiosk to show its document camera to the hearing, or to stop. */
export const ShowDocumentRequestSchema = z.strictObject({ participantId: IdSchema, show: z.boolean() });

/**
 * Why the judge cannot have a participant's document camera shown now. Machine keys (the server puts
 * the key in the refusal's message, `[document.no_camera]`, with the code INVALID_STATE), checked in
 * this order:
 * - `document.hearing_not_live`: the hearing is not open, in session or paused;
 * - `document.staff`: the judge and the clerk take part from their desks, not from a kiosk;
 * - `document.not_connected`: no connection of the participant is in the hearing now;
 * - `document.not_in_hearing`: the participant is in the waiting room (evidence is shown in the hearing);
 * - `document.no_camera`: the participant's kiosk has no document camera.
 */
export const DOCUMENT_REFUSAL_REASONS = [
  'document.hearing_not_live',
  'document.staff',
  'document.not_connected',
  'document.not_in_hearing',
  'document.no_camera',
] as const;
export type DocumentRefusalReason = (typeof DOCUMENT_REFUSAL_REASONS)[number];

/** The English explanation of each refusal, for logs and the error message. */
export const DOCUMENT_REFUSAL_EXPLANATIONS: Record<DocumentRefusalReason, string> = {
  'document.hearing_not_live': 'evidence is shown while the hearing is open, in session or paused',
  'document.staff': 'the judge and the clerk have no kiosk document camera',
  'document.not_connected': 'the participant is not connected now',
  'document.not_in_hearing': 'the participant is not in the hearing; call them in first',
  'document.no_camera': "the participant's kiosk has no document camera",
};

/**
 * Whether the judge may have this participant's document camera shown, or why not (null: allowed).
 * One rule for the server, which refuses, and the judge's desk, which shows the button only then.
 * Stopping is always allowed.
 */
export function documentRefusal(
  hearingState: HearingState,
  participant: { status: ParticipantStatus; connected: boolean; documentCamera: boolean },
  staff: boolean,
): DocumentRefusalReason | null {
  if (!isHearingLive(hearingState)) return 'document.hearing_not_live';
  if (staff) return 'document.staff';
  if (!participant.connected) return 'document.not_connected';
  if (participant.status.state !== 'in_hearing') return 'document.not_in_hearing';
  if (!participant.documentCamera) return 'document.no_camera';
  return null;
}
export const HelpRequestSchema = z.strictObject({ requested: z.boolean() });

/** Longest transcript accepted, in characters (a long hearing's 笔录 is a few tens of thousands). */
export const MAX_TRANSCRIPT_CHARS = 200_000;

export const TranscriptSchema = z.object({
  version: z.number().int().nonnegative(),
  text: z.string(),
  /** SHA-256 (hex) of the UTF-8 bytes of `text`. */
  sha256: z.string(),
  /** ISO 8601 Asia/Shanghai; null before the first save. */
  savedAt: z.string().nullable(),
});
export type Transcript = z.infer<typeof TranscriptSchema>;

/** Clerk: save the transcript; refused with CONFLICT when someone saved a newer version meanwhile. */
export const TranscriptSaveRequestSchema = z.strictObject({
  text: z.string().max(MAX_TRANSCRIPT_CHARS),
  baseVersion: z.number().int().nonnegative(),
});

/** Biggest signature image accepted (a PNG data URL of a finger-drawn signature is ~10–60 KB). */
export const MAX_SIGNATURE_BYTES = 256 * 1024;

/** Kiosk: sign the transcript version shown, binding the signature to the hash of its exact text. */
export const TranscriptSignRequestSchema = z.strictObject({
  version: z.number().int().positive(),
  textSha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lowercase hex'),
  signaturePng: z
    .string()
    .max(MAX_SIGNATURE_BYTES)
    .regex(/^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/, 'a PNG data URL'),
});

// --- The clerk's live console (REST: GET /api/console, POST /api/console/alerts/:id/ack) ---------

export const AlertKindSchema = z.enum([
  'disconnected',
  'camera_blocked',
  'microphone_blocked',
  'poor_connection',
  'help_requested',
  /** A recorder of the participant's stream died or stopped writing (restarted at once; the gap is logged). */
  'recorder_failure',
  /** The recording disk is (nearly) full: the hearing is not being recorded. */
  'disk_low',
]);
export type AlertKind = z.infer<typeof AlertKindSchema>;

export const AlertSchema = z.object({
  id: z.string(),
  hearingId: IdSchema,
  caseNumber: z.string(),
  participantId: IdSchema,
  participantName: z.string(),
  kind: AlertKindSchema,
  /** ISO 8601, Asia/Shanghai. */
  raisedAt: z.string(),
  ackedAt: z.string().nullable(),
  /** Display name of who acknowledged it. */
  ackedBy: z.string().nullable(),
});
export type Alert = z.infer<typeof AlertSchema>;

export const ConsoleHearingSchema = z.object({
  hearingId: IdSchema,
  caseNumber: z.string(),
  title: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  /** The judge's account id: the judge app picks its own hearings by it. */
  judgeId: IdSchema,
  judgeName: z.string(),
  participants: z.array(z.object({ id: IdSchema, name: z.string(), role: z.string(), site: z.string().nullable() })),
  floor: FloorStateSchema,
});
export type ConsoleHearing = z.infer<typeof ConsoleHearingSchema>;

export const ConsoleSchema = z.object({
  /** Today's hearings of the clerk's court (Asia/Shanghai day), in start order. */
  hearings: z.array(ConsoleHearingSchema),
  /** Unacknowledged alerts first, newest first; acknowledged ones of today after them. */
  alerts: z.array(AlertSchema),
});
export type Console = z.infer<typeof ConsoleSchema>;

/** Self-test network probe (GET /api/selftest/download?kb=…, POST /api/selftest/upload). */
export const SELFTEST_MAX_KB = 2048;
