import type { Insertable, Selectable } from 'kysely';
import type { HearingState, ParticipantState } from '../../shared/hearingState.js';

/*
 * The database schema as Kysely sees it. Times are UTC milliseconds since the epoch (`*_ms`), shown
 * in Asia/Shanghai by the UI; ids are UUIDs as text. The same schema runs on SQLite and PostgreSQL.
 */

export interface CourtTable {
  id: string;
  name: string;
  /** 6-digit administrative region code (行政区划代码), e.g. 330112 for 临安区. */
  region_code: string;
  created_ms: number;
}

export interface SiteTable {
  id: string;
  name: string;
  county: string;
  /** The village's unified address code (统一地址编码). */
  address_code: string;
  created_ms: number;
  /** argon2 hash of the site operator's PIN, confirming identities at check-in; null until set. */
  operator_pin_hash: string | null;
}

export interface KioskTable {
  id: string;
  site_id: string;
  name: string;
  /** SHA-256 of the one-time enrollment code while it is unused; null once redeemed. */
  enrollment_code_hash: string | null;
  enrollment_expires_ms: number | null;
  /** SHA-256 of the device credential issued at enrollment. */
  credential_hash: string | null;
  enrolled_ms: number | null;
  revoked_ms: number | null;
  created_ms: number;
}

export interface UserTable {
  id: string;
  court_id: string;
  role: 'admin' | 'clerk' | 'judge';
  username: string;
  display_name: string;
  password_hash: string;
  /** Secret of the judge's private iCal feed URL. */
  ical_token: string | null;
  disabled_ms: number | null;
  created_ms: number;
}

export interface HearingTable {
  id: string;
  case_number: string;
  title: string;
  case_type: string;
  court_id: string;
  judge_id: string;
  clerk_id: string;
  start_ms: number;
  end_ms: number;
  is_public: number;
  status: HearingState;
  cancel_reason: string | null;
  /** The participant the judge put on everyone's main view. */
  spotlight_participant_id: string | null;
  version: number;
  created_ms: number;
  updated_ms: number;
}

export interface HearingParticipantTable {
  id: string;
  hearing_id: string;
  role: string;
  name: string;
  /** Last digits of the participant's ID number, asked at kiosk check-in. */
  id_tail: string;
  /** The shared-court site the participant appears at; null when at the court. */
  site_id: string | null;
  /** The kiosk of that site reserved for this hearing. */
  kiosk_id: string | null;
  position: number;
}

/** One row per resource (judge, clerk, kiosk) a scheduled hearing occupies; the overlap check reads it. */
export interface BookingTable {
  resource_key: string;
  hearing_id: string;
  start_ms: number;
  end_ms: number;
}

export interface HearingHistoryTable {
  id: string;
  hearing_id: string;
  at_ms: number;
  actor_id: string;
  action: 'booked' | 'rescheduled' | 'cancelled' | 'updated';
  reason: string | null;
  /** JSON of the hearing before and after the change. */
  before_json: string | null;
  after_json: string;
}

export interface AuditLogTable {
  seq: number;
  at_ms: number;
  actor: string;
  action: string;
  subject: string;
  details_json: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** A participant's live state in a hearing (parties and staff), kept across restarts. */
export interface FloorParticipantTable {
  hearing_id: string;
  participant_id: string;
  state: ParticipantState;
  resume_to: ParticipantState | null;
  muted: number;
  hand_raised: number;
  help_requested: number;
  /** The kiosk the participant checked in at: rejoins from it need no new check-in. */
  checked_in_kiosk_id: string | null;
  self_test_json: string | null;
  updated_ms: number;
}

/** Every change of a hearing's or a participant's state, mute and spotlight, with who and when. */
export interface FloorEventTable {
  id: string;
  hearing_id: string;
  participant_id: string | null;
  action: string;
  from_state: string | null;
  to_state: string | null;
  reason: string | null;
  /** `user:<id>`, `kiosk:<id>` or `system`. */
  actor: string;
  at_ms: number;
}

export interface TranscriptVersionTable {
  hearing_id: string;
  version: number;
  text: string;
  /** SHA-256 (hex) of the UTF-8 bytes of `text`. */
  sha256: string;
  author_id: string;
  saved_ms: number;
}

export interface TranscriptSignatureTable {
  id: string;
  hearing_id: string;
  participant_id: string;
  version: number;
  /** The hash of the exact text the participant read and signed. */
  text_sha256: string;
  signature_png: string;
  kiosk_id: string | null;
  signed_ms: number;
}

export interface AlertTable {
  id: string;
  hearing_id: string;
  participant_id: string;
  kind: string;
  raised_ms: number;
  acked_ms: number | null;
  acked_by: string | null;
}

export interface RecordingSegmentTable {
  id: string;
  hearing_id: string;
  participant_id: string;
  kind: 'audio' | 'video';
  source: string;
  producer_id: string;
  /** The negotiated codec's MIME type (audio/opus, video/VP8, video/H264). */
  codec: string;
  /** The file's container as a MIME type (audio/webm, video/webm, video/mp4). */
  content_type: string;
  /** Path of the file under the recording directory. */
  file: string;
  /** recording → complete (closed by the server) or interrupted (the recorder or the server died). */
  status: 'recording' | 'complete' | 'interrupted' | 'purged';
  /** When the recorder was started (server clock, UTC ms). */
  started_ms: number;
  /** When FFmpeg reported the first frame written (video: the first keyframe). */
  first_frame_ms: number | null;
  stopped_ms: number | null;
  stop_reason: string | null;
  /** From ffprobe after closing. */
  duration_ms: number | null;
  frame_count: number | null;
  size_bytes: number | null;
  /** SHA-256 (hex) of the closed file. */
  sha256: string | null;
}

export interface RecordingGapTable {
  id: string;
  hearing_id: string;
  /** Null for a gap of the whole hearing (a recess); set for one participant's stream. */
  participant_id: string | null;
  kind: 'audio' | 'video' | null;
  reason: string;
  /** The judge's words for a recess, or what failed. */
  detail: string | null;
  started_ms: number;
  ended_ms: number | null;
}

export interface DB {
  courts: CourtTable;
  sites: SiteTable;
  kiosks: KioskTable;
  users: UserTable;
  hearings: HearingTable;
  hearing_participants: HearingParticipantTable;
  bookings: BookingTable;
  hearing_history: HearingHistoryTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  floor_participants: FloorParticipantTable;
  floor_events: FloorEventTable;
  transcript_versions: TranscriptVersionTable;
  transcript_signatures: TranscriptSignatureTable;
  alerts: AlertTable;
  recording_segments: RecordingSegmentTable;
  recording_gaps: RecordingGapTable;
}

export type Court = Selectable<CourtTable>;
export type Site = Selectable<SiteTable>;
export type Kiosk = Selectable<KioskTable>;
export type User = Selectable<UserTable>;
export type HearingRow = Selectable<HearingTable>;
export type NewHearingRow = Insertable<HearingTable>;
export type HearingParticipantRow = Selectable<HearingParticipantTable>;
export type AuditRow = Selectable<AuditLogTable>;
