/**
 * What the courtroom screens show of a FloorState, as pure functions: which commands and participant
 * actions the judge is offered, how a connection's quality reads, the order of the clerk's alerts, who
 * signed the transcript. The rules come from shared/hearingState.ts, so the buttons shown are the ones
 * the server will accept; the components only lay the answers out.
 */

import { assertUnreachable } from '../../../../shared/errors.js';
import {
  type Alert,
  type ConnectionQuality,
  documentRefusal,
  type FloorParticipant,
  type FloorState,
  type ParticipantAction,
  type QualityGrade,
  type TranscriptSignatureInfo,
} from '../../../../shared/floor.js';
import {
  applyParticipantEvent,
  type HearingCommandType,
  type HearingState,
  hearingCommandsAllowed,
  isHearingLive,
  MAX_REASON_LENGTH,
  type ParticipantState,
  type ParticipantStatus,
} from '../../../../shared/hearingState.js';
import { parseOffsetDateTime, toShanghaiIso } from '../../../../shared/scheduling.js';

// --- Who is who ---------------------------------------------------------------------------------

/** A participant as the screens name them (from the join answer or the console). */
export interface Person {
  id: string;
  name: string;
  /** A ParticipantRole; the console sends it as a plain string. */
  role: string;
  /** The shared-court site's name; null when at the court. */
  site: string | null;
}

/** Court staff take part from their desks: nobody calls them in or sends them to the waiting room. */
const STAFF_ROLES: ReadonlySet<string> = new Set(['judge', 'clerk']);

function isStaff(role: string | undefined): boolean {
  return role !== undefined && STAFF_ROLES.has(role);
}

// --- Hearing commands ---------------------------------------------------------------------------

/** The commands given from the courtroom; cancelling a hearing belongs to the scheduler. */
export type RoomCommand = Exclude<HearingCommandType, 'cancel'>;

export const ROOM_COMMANDS: readonly RoomCommand[] = ['open', 'start', 'pause', 'resume', 'close'];

/** The command buttons the judge's desk shows in `state`, in the order of a hearing's life. */
export function roomCommands(state: HearingState): RoomCommand[] {
  const allowed = new Set<HearingCommandType>(hearingCommandsAllowed(state));
  return ROOM_COMMANDS.filter((command) => allowed.has(command));
}

/** The states whose next step needs a word of explanation on the judge's desk (`courtroom.stateHint.*`). */
export const HINTED_STATES: readonly HearingState[] = ['scheduled', 'open', 'closed', 'cancelled'];

export function hasStateHint(state: HearingState): boolean {
  return HINTED_STATES.includes(state);
}

export type ReasonProblem = 'required' | 'tooLong';

/** What is wrong with a pause reason as typed, judged as the server will (trimmed), or null. */
export function pauseReasonProblem(text: string): ReasonProblem | null {
  const trimmed = text.trim();
  if (trimmed === '') return 'required';
  if (trimmed.length > MAX_REASON_LENGTH) return 'tooLong';
  return null;
}

// --- Participants -------------------------------------------------------------------------------

/** What the judge can do to one participant row: the floor actions, the main view, the document camera. */
export type RowAction = ParticipantAction | 'spotlight' | 'unspotlight' | 'show_document' | 'stop_document';

export const ROW_ACTIONS: readonly RowAction[] = [
  'call_in',
  'dismiss',
  'mute',
  'unmute',
  'spotlight',
  'unspotlight',
  'show_document',
  'stop_document',
];

/** Present in the hearing's life: checked in, waiting, in the hearing, or dropped and coming back. */
function isPresent(state: ParticipantState): boolean {
  switch (state) {
    case 'checked_in':
    case 'waiting':
    case 'in_hearing':
    case 'disconnected':
      return true;
    case 'not_checked_in':
    case 'left':
      return false;
    default:
      return assertUnreachable(state);
  }
}

/**
 * The actions the judge is offered on a participant's row. Nothing while the hearing is not live (a
 * closed hearing takes no more orders), nothing on the judge's own row; calling in and sending back
 * follow the participant state machine; staff are muted but neither moved nor put on the main view;
 * observers only watch. A participant's document camera is offered when the server will show it
 * (shared rule: connected, in the hearing, a kiosk with one), and can always be stopped while shown.
 */
export function rowActions(
  floor: Pick<FloorState, 'state' | 'spotlight'>,
  participant: Pick<
    FloorParticipant,
    'participantId' | 'status' | 'muted' | 'connected' | 'documentCamera' | 'showingDocument'
  >,
  role: string | undefined,
  selfId: string,
): RowAction[] {
  if (!isHearingLive(floor.state)) return [];
  if (participant.participantId === selfId || role === 'judge') return [];
  const actions: RowAction[] = [];
  const { status } = participant;
  const may = (type: 'call_in' | 'dismiss') => applyParticipantEvent(status, { type }, floor.state).ok;
  if (!isStaff(role)) {
    if (may('call_in')) actions.push('call_in');
    if (may('dismiss')) actions.push('dismiss');
  }
  if (role !== 'observer') {
    if (participant.muted) actions.push('unmute');
    else if (isPresent(status.state)) actions.push('mute');
  }
  if (floor.spotlight === participant.participantId) actions.push('unspotlight');
  else if (status.state === 'in_hearing' && !isStaff(role) && role !== 'observer') actions.push('spotlight');
  if (participant.showingDocument) actions.push('stop_document');
  else if (documentRefusal(floor.state, participant, isStaff(role)) === null) actions.push('show_document');
  return actions;
}

/** Whether "mute all" would mute anyone: somebody present who may speak and is not muted yet. */
export function canMuteAll(
  floor: Pick<FloorState, 'state' | 'participants'>,
  roleOf: (participantId: string) => string | undefined,
  selfId: string,
): boolean {
  if (!isHearingLive(floor.state)) return false;
  return floor.participants.some((p) => {
    const role = roleOf(p.participantId);
    return (
      p.participantId !== selfId && role !== 'judge' && role !== 'observer' && !p.muted && isPresent(p.status.state)
    );
  });
}

/** Where a participant appears in the judge's list: in the hearing, in the waiting room, or not here. */
export type FloorGroup = 'in_hearing' | 'waiting' | 'away';

export const FLOOR_GROUPS: readonly FloorGroup[] = ['in_hearing', 'waiting', 'away'];

/** A dropped participant is listed where they will come back to. */
export function floorGroup(status: ParticipantStatus): FloorGroup {
  const where = status.state === 'disconnected' ? status.resumeTo : status.state;
  switch (where) {
    case 'in_hearing':
      return 'in_hearing';
    case 'checked_in':
    case 'waiting':
      return 'waiting';
    case 'not_checked_in':
    case 'left':
    case 'disconnected':
    case null:
      return 'away';
    default:
      return assertUnreachable(where);
  }
}

/** The floor's participants by group, each group in the order of `people` (the booking's order). */
export function groupParticipants(
  participants: readonly FloorParticipant[],
  people: readonly Person[],
): Record<FloorGroup, FloorParticipant[]> {
  const order = new Map(people.map((p, index) => [p.id, index]));
  const rank = (p: FloorParticipant) => order.get(p.participantId) ?? Number.MAX_SAFE_INTEGER;
  const groups: Record<FloorGroup, FloorParticipant[]> = { in_hearing: [], waiting: [], away: [] };
  for (const p of [...participants].sort((a, b) => rank(a) - rank(b))) groups[floorGroup(p.status)].push(p);
  return groups;
}

// --- Connection quality -------------------------------------------------------------------------

/** How a connection reads: the server's grade, no report yet, or not connected at all. */
export type QualityLabel = QualityGrade | 'unknown' | 'offline';

export const QUALITY_LABELS: readonly QualityLabel[] = ['good', 'ok', 'bad', 'unknown', 'offline'];

export interface QualityView {
  label: QualityLabel;
  /** Figures ready to print, null when not measured. */
  rttMs: string | null;
  packetLossPct: string | null;
  sendKbps: string | null;
  recvKbps: string | null;
}

function whole(value: number | null): string | null {
  return value === null || !Number.isFinite(value) ? null : String(Math.round(value));
}

/** Loss below 10 % keeps one decimal (0.4 % and 3.5 % matter); above, whole percents. */
function percent(value: number | null): string | null {
  if (value === null || !Number.isFinite(value)) return null;
  return value < 10 ? value.toFixed(1) : String(Math.round(value));
}

export function qualityView(participant: {
  connected: boolean;
  quality: Pick<ConnectionQuality, 'grade' | 'rttMs' | 'packetLossPct' | 'sendKbps' | 'recvKbps'> | null;
}): QualityView {
  const { quality } = participant;
  if (!participant.connected || quality === null) {
    return {
      label: participant.connected ? 'unknown' : 'offline',
      rttMs: null,
      packetLossPct: null,
      sendKbps: null,
      recvKbps: null,
    };
  }
  return {
    label: quality.grade,
    rttMs: whole(quality.rttMs),
    packetLossPct: percent(quality.packetLossPct),
    sendKbps: whole(quality.sendKbps),
    recvKbps: whole(quality.recvKbps),
  };
}

export type DeviceProblem =
  | 'camera_blocked'
  | 'camera_missing'
  | 'camera_fallback'
  | 'microphone_blocked'
  | 'microphone_missing'
  | 'microphone_fallback';

export const DEVICE_PROBLEMS: readonly DeviceProblem[] = [
  'camera_blocked',
  'camera_missing',
  'camera_fallback',
  'microphone_blocked',
  'microphone_missing',
  'microphone_fallback',
];

/**
 * The camera and microphone problems a connected participant reports (an old report says nothing).
 * `fallback`: the kiosk's chosen device is gone and the system default stands in; the court still
 * sees and hears them, but the site operator should choose the device again.
 */
export function deviceProblems(
  participant: Pick<FloorParticipant, 'connected' | 'camera' | 'microphone'>,
): DeviceProblem[] {
  if (!participant.connected) return [];
  const problems: DeviceProblem[] = [];
  for (const input of ['camera', 'microphone'] as const) {
    const status = participant[input];
    switch (status) {
      case 'blocked':
      case 'missing':
      case 'fallback':
        problems.push(`${input}_${status}`);
        break;
      case 'ok':
      case null:
        break;
      default:
        assertUnreachable(status);
    }
  }
  return problems;
}

// --- The clerk's alerts -------------------------------------------------------------------------

function instant(iso: string | null): number {
  return iso === null ? 0 : (parseOffsetDateTime(iso) ?? 0);
}

/** Alerts to act on first, then acknowledged ones; newest first within each. */
export function orderAlerts(alerts: readonly Alert[]): Alert[] {
  return [...alerts].sort((a, b) => {
    const acked = Number(a.ackedAt !== null) - Number(b.ackedAt !== null);
    return acked !== 0 ? acked : instant(b.raisedAt) - instant(a.raisedAt);
  });
}

export function openAlertCount(alerts: readonly Alert[]): number {
  return alerts.filter((a) => a.ackedAt === null).length;
}

// --- Transcript signatures ----------------------------------------------------------------------

/** Roles that read and sign the transcript: everyone but the court's staff and the public. */
function signs(role: string): boolean {
  return !isStaff(role) && role !== 'observer';
}

export interface SignatureRow {
  participantId: string;
  person: Person | null;
  /** The newest version this participant signed, and when. */
  version: number;
  signedAt: string;
  /** Every signature of this participant still matches the stored text it was given for. */
  intact: boolean;
  /** The transcript has a newer version than the one signed. */
  outdated: boolean;
}

/**
 * One row per participant who signed (their newest signature), and the participants expected to sign
 * who have not. A participant is flagged as not intact when any of their signatures no longer matches:
 * a changed older version is as much a tampered record as a changed newest one.
 */
export function signatureView(
  floor: Pick<FloorState, 'signatures' | 'transcriptVersion'>,
  people: readonly Person[],
): { signed: SignatureRow[]; unsigned: Person[] } {
  const byParticipant = new Map<string, TranscriptSignatureInfo[]>();
  for (const s of floor.signatures)
    byParticipant.set(s.participantId, [...(byParticipant.get(s.participantId) ?? []), s]);
  const order = new Map(people.map((p, index) => [p.id, index]));
  const signed: SignatureRow[] = [];
  for (const [participantId, list] of byParticipant) {
    const newest = list.reduce((a, b) =>
      b.version > a.version || (b.version === a.version && instant(b.signedAt) > instant(a.signedAt)) ? b : a,
    );
    signed.push({
      participantId,
      person: people.find((p) => p.id === participantId) ?? null,
      version: newest.version,
      signedAt: newest.signedAt,
      intact: list.every((s) => s.intact),
      outdated: newest.version < floor.transcriptVersion,
    });
  }
  const rank = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER;
  signed.sort((a, b) => rank(a.participantId) - rank(b.participantId));
  const unsigned = people.filter((p) => signs(p.role) && !byParticipant.has(p.id));
  return { signed, unsigned };
}

// --- Times --------------------------------------------------------------------------------------

/**
 * An ISO 8601 instant as the court reads it, in Asia/Shanghai: `09:31:05` on the day of `nowMs`,
 * `2026-12-02 09:31` on another day; null when it is not a date-time.
 */
export function clockTime(iso: string | null, nowMs: number): string | null {
  if (iso === null) return null;
  const ms = parseOffsetDateTime(iso);
  if (ms === null) return null;
  const text = toShanghaiIso(ms);
  return text.slice(0, 10) === toShanghaiIso(nowMs).slice(0, 10)
    ? text.slice(11, 19)
    : `${text.slice(0, 10)} ${text.slice(11, 16)}`;
}
