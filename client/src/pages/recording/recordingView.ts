/**
 * What the recording playback page shows of a RecordingTimeline, as pure functions: the lanes of the
 * timeline (one per participant and stream: camera, document camera, microphone) with their bars placed as percentages of the recorded span,
 * the segments grouped per participant, which audio file plays together with which video file, and the
 * words (i18n keys) and numbers (durations, sizes, clock times in Asia/Shanghai) of the tables. The
 * components only lay the answers out.
 */

import { assertUnreachable } from '../../../../shared/errors.js';
import type { ParticipantRole } from '../../../../shared/hearing.js';
import type { HearingState } from '../../../../shared/hearingState.js';
import type {
  GapReason,
  RecordingGap,
  RecordingKind,
  RecordingSegment,
  RecordingTimeline,
  SegmentStatus,
  StopReason,
} from '../../../../shared/recording.js';
import { parseOffsetDateTime, SHANGHAI_OFFSET_MS, toShanghaiIso } from '../../../../shared/scheduling.js';

// --- Hearing state ------------------------------------------------------------------------------

/** While the court sits or is in recess the recording grows: the page re-reads it this often. */
export const LIVE_REFRESH_MS = 5_000;

/** Whether the recording may still change (the page refreshes itself). */
export function isRecordingLive(state: HearingState): boolean {
  return state === 'in_session' || state === 'paused';
}

/** Whether a hearing in this state has a recording to look at (the lists link to the page). */
export function hasRecording(state: HearingState): boolean {
  return state === 'in_session' || state === 'paused' || state === 'closed';
}

// --- Time spans ---------------------------------------------------------------------------------

/** A closed time range in epoch milliseconds; an open segment or gap ends at "now". */
export interface Span {
  startMs: number;
  endMs: number;
}

/** Where a span sits on the timeline, in percent of its width. */
export interface BarPosition {
  leftPct: number;
  widthPct: number;
}

/** The span of a segment or gap; an open end counts as `nowMs`. Null when the start is not a date-time. */
export function spanOf(startedAt: string, endedAt: string | null, nowMs: number): Span | null {
  const startMs = parseOffsetDateTime(startedAt);
  if (startMs === null) return null;
  const parsedEnd = endedAt === null ? nowMs : parseOffsetDateTime(endedAt);
  // An unreadable end is shown as a zero-length span rather than dropped: the row still says what it is.
  const endMs = parsedEnd === null ? startMs : Math.max(startMs, parsedEnd);
  return { startMs, endMs };
}

export function segmentSpan(segment: RecordingSegment, nowMs: number): Span | null {
  return spanOf(segment.startedAt, segment.stoppedAt, nowMs);
}

export function gapSpan(gap: RecordingGap, nowMs: number): Span | null {
  return spanOf(gap.startedAt, gap.endedAt, nowMs);
}

/**
 * The span the timeline covers: from the first start to the last stop of any segment or gap (now, while
 * one is open). Null when nothing has been recorded nor any gap logged.
 */
export function timelineRange(timeline: Pick<RecordingTimeline, 'segments' | 'gaps'>, nowMs: number): Span | null {
  const spans = [
    ...timeline.segments.map((s) => segmentSpan(s, nowMs)),
    ...timeline.gaps.map((g) => gapSpan(g, nowMs)),
  ].filter((s): s is Span => s !== null);
  if (spans.length === 0) return null;
  return {
    startMs: Math.min(...spans.map((s) => s.startMs)),
    endMs: Math.max(...spans.map((s) => s.endMs)),
  };
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

/** A span's place on the timeline, clipped to it; a zero-length range puts everything at its start. */
export function barPosition(span: Span, range: Span): BarPosition {
  const total = range.endMs - range.startMs;
  if (total <= 0) return { leftPct: 0, widthPct: 0 };
  const clamp = (ms: number) => Math.min(range.endMs, Math.max(range.startMs, ms));
  const left = clamp(span.startMs) - range.startMs;
  const right = clamp(span.endMs) - range.startMs;
  return { leftPct: round((left / total) * 100), widthPct: round(((right - left) / total) * 100) };
}

/** Where an instant falls on the timeline, in percent. */
export function pointPosition(ms: number, range: Span): number {
  return barPosition({ startMs: ms, endMs: ms }, range).leftPct;
}

// --- Participants and lanes ---------------------------------------------------------------------

/** A participant as the page names them; `name` and `role` are null for an id the timeline does not list. */
export interface RecordedParticipant {
  id: string;
  name: string | null;
  role: ParticipantRole | null;
}

export interface SegmentBar {
  segment: RecordingSegment;
  span: Span;
  position: BarPosition;
}

export interface GapBar {
  gap: RecordingGap;
  span: Span;
  position: BarPosition;
}

/**
 * What a file carried, as the page tells them apart: the participant's camera (`video`), their
 * microphone (`audio`), or their kiosk's document camera (`document`, video shown as evidence at the
 * judge's request: a lane of its own beside the camera's).
 */
export type RecordedStream = RecordingKind | 'document';

/** The camera above the document camera above the microphone, in each participant's lanes. */
export const STREAM_ORDER: readonly RecordedStream[] = ['video', 'document', 'audio'];

/** The stream a segment belongs to: by its source, so that a document camera's video is not the camera's. */
export function streamOf(segment: Pick<RecordingSegment, 'kind' | 'source'>): RecordedStream {
  return segment.kind === 'video' && segment.source === 'document' ? 'document' : segment.kind;
}

/** One participant's stream: its files as bars and its own gaps as hatched spans. */
export interface Lane {
  key: string;
  participantId: string;
  kind: RecordingKind;
  stream: RecordedStream;
  segments: SegmentBar[];
  gaps: GapBar[];
}

export interface ParticipantGroup<T> {
  participant: RecordedParticipant;
  items: T[];
}

export interface TimelineView {
  /** Null when there is nothing to draw. */
  range: Span | null;
  /** Per participant (in the timeline's order), their video lane, document camera lane, audio lane. */
  groups: ParticipantGroup<Lane>[];
  /** Gaps of the whole hearing (recess, recorder failure…): drawn across every lane. */
  hearingGaps: GapBar[];
}

/** Video above audio in each participant's pair of lanes. */
export const KIND_ORDER: readonly RecordingKind[] = ['video', 'audio'];

/** The participants in the order the timeline lists them, then any id it does not list, as first met. */
export function recordedParticipants(timeline: RecordingTimeline): RecordedParticipant[] {
  const listed: RecordedParticipant[] = timeline.participants.map((p) => ({ id: p.id, name: p.name, role: p.role }));
  const known = new Set(listed.map((p) => p.id));
  const ids = [
    ...timeline.segments.map((s) => s.participantId),
    ...timeline.gaps.map((g) => g.participantId).filter((id): id is string => id !== null),
  ];
  for (const id of ids) {
    if (known.has(id)) continue;
    known.add(id);
    listed.push({ id, name: null, role: null });
  }
  return listed;
}

const byStart = (a: { span: Span }, b: { span: Span }) => a.span.startMs - b.span.startMs;

/** The lanes of the timeline, grouped per participant, and the gaps that span the whole hearing. */
export function buildTimelineView(timeline: RecordingTimeline, nowMs: number): TimelineView {
  const range = timelineRange(timeline, nowMs);
  const place = (span: Span): BarPosition => (range ? barPosition(span, range) : { leftPct: 0, widthPct: 0 });
  const lanes = new Map<string, Lane>();
  const laneOf = (participantId: string, stream: RecordedStream): Lane => {
    const key = `${participantId}/${stream}`;
    let lane = lanes.get(key);
    if (!lane) {
      const kind: RecordingKind = stream === 'document' ? 'video' : stream;
      lane = { key, participantId, kind, stream, segments: [], gaps: [] };
      lanes.set(key, lane);
    }
    return lane;
  };

  for (const segment of timeline.segments) {
    const span = segmentSpan(segment, nowMs);
    if (span) laneOf(segment.participantId, streamOf(segment)).segments.push({ segment, span, position: place(span) });
  }
  const hearingGaps: GapBar[] = [];
  for (const gap of timeline.gaps) {
    const span = gapSpan(gap, nowMs);
    if (!span) continue;
    const bar: GapBar = { gap, span, position: place(span) };
    if (gap.participantId === null) hearingGaps.push(bar);
    // A stream's gap is its camera's or microphone's: a document camera's end is no gap.
    else if (gap.kind !== null) laneOf(gap.participantId, gap.kind).gaps.push(bar);
    // A gap of one participant without a kind covers both of their streams.
    else for (const kind of KIND_ORDER) laneOf(gap.participantId, kind).gaps.push(bar);
  }
  for (const lane of lanes.values()) {
    lane.segments.sort(byStart);
    lane.gaps.sort(byStart);
  }
  hearingGaps.sort(byStart);

  const groups = recordedParticipants(timeline)
    .map((participant) => ({
      participant,
      items: STREAM_ORDER.map((stream) => lanes.get(`${participant.id}/${stream}`)).filter(
        (lane): lane is Lane => lane !== undefined,
      ),
    }))
    .filter((group) => group.items.length > 0);
  return { range, groups, hearingGaps };
}

/**
 * The segments per participant (in the timeline's order), each participant's in time order, on a tie
 * in the order of their lanes (camera, document camera, microphone).
 */
export function groupSegments(timeline: RecordingTimeline): ParticipantGroup<RecordingSegment>[] {
  const startOf = (s: RecordingSegment) => parseOffsetDateTime(s.startedAt) ?? 0;
  const rank = (s: RecordingSegment) => STREAM_ORDER.indexOf(streamOf(s));
  return recordedParticipants(timeline)
    .map((participant) => ({
      participant,
      items: timeline.segments
        .filter((s) => s.participantId === participant.id)
        .sort((a, b) => startOf(a) - startOf(b) || rank(a) - rank(b)),
    }))
    .filter((group) => group.items.length > 0);
}

/** The gaps in time order. */
export function sortedGaps(gaps: readonly RecordingGap[]): RecordingGap[] {
  const startOf = (g: RecordingGap) => parseOffsetDateTime(g.startedAt) ?? 0;
  return [...gaps].sort((a, b) => startOf(a) - startOf(b));
}

// --- Playing video and audio together -----------------------------------------------------------

/** A video file and the same participant's audio file of (mostly) the same time. */
export interface PlayPair {
  video: RecordingSegment;
  audio: RecordingSegment;
  /** Seconds to add to the video's currentTime to get the audio's: (video start − audio start) / 1000. */
  audioOffsetSec: number;
}

/**
 * For each video segment, the audio segment of the same participant that overlaps it longest (the
 * earlier one on a tie); keyed by the video segment's id. Open segments run until `nowMs`.
 */
export function playTogetherPairs(segments: readonly RecordingSegment[], nowMs: number): Map<string, PlayPair> {
  const pairs = new Map<string, PlayPair>();
  const audios = segments
    .filter((s) => s.kind === 'audio')
    .map((segment) => ({ segment, span: segmentSpan(segment, nowMs) }));
  for (const video of segments) {
    if (video.kind !== 'video') continue;
    const videoSpan = segmentSpan(video, nowMs);
    if (!videoSpan) continue;
    let best: { segment: RecordingSegment; span: Span; overlapMs: number } | null = null;
    for (const audio of audios) {
      if (audio.segment.participantId !== video.participantId || !audio.span) continue;
      const overlapMs = Math.min(videoSpan.endMs, audio.span.endMs) - Math.max(videoSpan.startMs, audio.span.startMs);
      if (overlapMs <= 0) continue;
      if (
        !best ||
        overlapMs > best.overlapMs ||
        (overlapMs === best.overlapMs && audio.span.startMs < best.span.startMs)
      ) {
        best = { segment: audio.segment, span: audio.span, overlapMs };
      }
    }
    if (best) {
      pairs.set(video.id, {
        video,
        audio: best.segment,
        audioOffsetSec: (videoSpan.startMs - best.span.startMs) / 1000,
      });
    }
  }
  return pairs;
}

/** What the audio element should do to follow the video element. */
export interface CompanionSync {
  /** Whether the audio should be playing now. */
  play: boolean;
  /** Move the audio here (seconds), or null to leave it where it is. */
  seekTo: number | null;
}

export interface MediaPositions {
  videoTime: number;
  videoPaused: boolean;
  audioTime: number;
  /** NaN or Infinity until the audio's metadata is known. */
  audioDuration: number;
  audioOffsetSec: number;
}

/** How far (seconds) the audio may drift from the video before it is moved back in line. */
export const SYNC_TOLERANCE_SEC = 0.3;

/**
 * Keeps the audio on the video's clock: it plays while the video plays and the video's instant falls
 * within the audio file; outside it the audio waits, at its start when the video is before it.
 */
export function syncCompanion(p: MediaPositions): CompanionSync {
  const target = p.videoTime + p.audioOffsetSec;
  if (target < 0) return { play: false, seekTo: p.audioTime === 0 ? null : 0 };
  if (Number.isFinite(p.audioDuration) && target >= p.audioDuration) return { play: false, seekTo: null };
  const drift = Math.abs(p.audioTime - target);
  return { play: !p.videoPaused, seekTo: drift > SYNC_TOLERANCE_SEC ? round(target) : null };
}

// --- Tables -------------------------------------------------------------------------------------

/** The columns of the files table (`recording.segments.column.*`). */
export const SEGMENT_COLUMNS = [
  'kind',
  'start',
  'stop',
  'duration',
  'frames',
  'size',
  'sha256',
  'status',
  'actions',
] as const;

/** The columns of the gaps table (`recording.gaps.column.*`). */
export const GAP_COLUMNS = ['reason', 'scope', 'detail', 'start', 'end', 'duration'] as const;

// --- Words and numbers --------------------------------------------------------------------------

/** `0:05`, `2:03`, `1:02:03` (whole seconds, rounded down). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

const SIZE_UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/** `512 B`, `1.5 KB`, `23.4 MB`, `1.2 GB` (powers of 1024; one decimal below 100, none above). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${Math.max(0, Math.round(bytes))} B`;
  let value = bytes;
  let unit: (typeof SIZE_UNITS)[number] = 'KB';
  for (const next of SIZE_UNITS) {
    value /= 1024;
    unit = next;
    if (value < 1024) break;
  }
  return `${value < 100 ? value.toFixed(1) : Math.round(value).toString()} ${unit}`;
}

/** The first characters of a checksum, enough to compare by eye; the full value is copied. */
export function shortHash(hash: string, length = 12): string {
  return hash.length <= length + 4 ? hash : `${hash.slice(0, length)}…`;
}

/** A count (frames) with the reader's digit grouping: `12,345`. */
export function formatCount(value: number, language: string): string {
  return new Intl.NumberFormat(language).format(value);
}

/**
 * An instant as the court reads it, in Asia/Shanghai: `09:31:05` on `day` (the hearing's date,
 * `YYYY-MM-DD`), `2026-12-04 00:12:40` on another day.
 */
export function clockLabel(ms: number, day: string): string {
  const iso = toShanghaiIso(ms);
  const time = iso.slice(11, 19);
  return iso.slice(0, 10) === day ? time : `${iso.slice(0, 10)} ${time}`;
}

/** An ISO instant as {@link clockLabel} shows it; the text itself when it is not a date-time. */
export function instantLabel(iso: string, day: string): string {
  const ms = parseOffsetDateTime(iso);
  return ms === null ? iso : clockLabel(ms, day);
}

/** The Asia/Shanghai date of an ISO instant (`YYYY-MM-DD`), or null when it is not a date-time. */
export function shanghaiDay(iso: string): string | null {
  const ms = parseOffsetDateTime(iso);
  return ms === null ? null : toShanghaiIso(ms).slice(0, 10);
}

export interface Tick {
  ms: number;
  leftPct: number;
  label: string;
}

const TICK_STEPS_SEC = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600] as const;

/**
 * Labelled instants along the timeline at a round step (on the Asia/Shanghai wall clock), at most
 * `maxTicks` of them: `09:30`, `09:45`… (with seconds when the step is under a minute).
 */
export function axisTicks(range: Span, maxTicks = 8): Tick[] {
  const total = range.endMs - range.startMs;
  if (total <= 0 || maxTicks < 1) return [];
  // At most floor(total / step) + 1 round instants fall within the range.
  const stepSec =
    TICK_STEPS_SEC.find((s) => Math.floor(total / (s * 1000)) + 1 <= maxTicks) ?? TICK_STEPS_SEC.at(-1) ?? 21600;
  const stepMs = stepSec * 1000;
  // Round up to the step on the Shanghai clock: shift into local time, ceil, shift back.
  const first = Math.ceil((range.startMs + SHANGHAI_OFFSET_MS) / stepMs) * stepMs - SHANGHAI_OFFSET_MS;
  const ticks: Tick[] = [];
  for (let ms = first; ms <= range.endMs; ms += stepMs) {
    const time = toShanghaiIso(ms).slice(11, 19);
    ticks.push({ ms, leftPct: pointPosition(ms, range), label: stepSec < 60 ? time : time.slice(0, 5) });
  }
  return ticks;
}

/** Adds `download=1` to a file link, so the server sends it as an attachment. */
export function downloadUrl(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}download=1`;
}

export function kindKey(kind: RecordingKind): string {
  switch (kind) {
    case 'audio':
      return 'recording.kind.audio';
    case 'video':
      return 'recording.kind.video';
    default:
      return assertUnreachable(kind);
  }
}

/** What a lane or a file is called: `录像`, `实物展台`, `录音`. */
export function streamKey(stream: RecordedStream): string {
  return stream === 'document' ? 'recording.kind.document' : kindKey(stream);
}

export function statusKey(status: SegmentStatus): string {
  switch (status) {
    case 'recording':
      return 'recording.status.recording';
    case 'complete':
      return 'recording.status.complete';
    case 'interrupted':
      return 'recording.status.interrupted';
    case 'purged':
      return 'recording.status.purged';
    default:
      return assertUnreachable(status);
  }
}

export function stopReasonKey(reason: StopReason): string {
  switch (reason) {
    case 'pause':
      return 'recording.stopReason.pause';
    case 'close':
      return 'recording.stopReason.close';
    case 'stream_ended':
      return 'recording.stopReason.streamEnded';
    case 'dismissed':
      return 'recording.stopReason.dismissed';
    case 'left':
      return 'recording.stopReason.left';
    case 'recorder_failure':
      return 'recording.stopReason.recorderFailure';
    case 'server_restart':
      return 'recording.stopReason.serverRestart';
    case 'disk_full':
      return 'recording.stopReason.diskFull';
    case 'shutdown':
      return 'recording.stopReason.shutdown';
    case 'document_stopped':
      return 'recording.stopReason.documentStopped';
    default:
      return assertUnreachable(reason);
  }
}

export function gapReasonKey(reason: GapReason): string {
  switch (reason) {
    case 'recess':
      return 'recording.gapReason.recess';
    case 'recorder_failure':
      return 'recording.gapReason.recorderFailure';
    case 'server_restart':
      return 'recording.gapReason.serverRestart';
    case 'disk_full':
      return 'recording.gapReason.diskFull';
    case 'without_recording':
      return 'recording.gapReason.withoutRecording';
    case 'stream_ended':
      return 'recording.gapReason.streamEnded';
    default:
      return assertUnreachable(reason);
  }
}
