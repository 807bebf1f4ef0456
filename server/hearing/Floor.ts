import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Kysely, Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '../../shared/accounts.js';
import {
  type AlertKind,
  type ConnectionQuality,
  type DeviceStatus,
  DOCUMENT_REFUSAL_EXPLANATIONS,
  type DocumentRefusalReason,
  documentRefusal,
  type FloorParticipant,
  type FloorState,
  gradeQuality,
  type ParticipantAction,
  type SelfTestResult,
  type StatsReport,
  type Transcript,
  type TranscriptSignatureInfo,
} from '../../shared/floor.js';
import {
  applyHearingCommand,
  applyParticipantEvent,
  type HearingCommand,
  type HearingState,
  INITIAL_PARTICIPANT_STATUS,
  isHearingLive,
  type ParticipantEvent,
  type ParticipantStatus,
  type StateError,
} from '../../shared/hearingState.js';
import { toShanghaiIso } from '../../shared/scheduling.js';
import { appendAudit } from '../audit/AuditLog.js';
import type { DialectName } from '../db/Database.js';
import type { DB } from '../db/schema.js';
import {
  AppError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
} from '../errors.js';
import type { Logger } from '../logger.js';
import type { CatalogEntry } from './HearingCatalog.js';

/** Who asks for a change: a signed-in user, a kiosk, or the server itself (a dropped connection). */
export type FloorActor = Principal | { kind: 'system' };

/** What the server holds back from a participant's connection, from their state and the judge's mute. */
export interface MediaHolds {
  /** The microphone is held: muted by the judge, or not (yet) called into the hearing. */
  microphone: 'muted' | 'not_in_hearing' | null;
  /** The camera is held: not (yet) called into the hearing. */
  camera: 'not_in_hearing' | null;
  /** The participant receives nobody: not (yet) called into the hearing. */
  receive: boolean;
  /**
   * The document camera is not to be shown: the judge has not asked for it (or stopped it). A document
   * stream is refused while held and closed when the hold comes back.
   */
  document: 'not_shown' | null;
}

export const NO_HOLDS: MediaHolds = { microphone: null, camera: null, receive: false, document: 'not_shown' };

interface Record {
  participantId: string;
  name: string;
  /** Judge and clerk: in the hearing whenever connected; they never check in or wait. */
  staff: boolean;
  /** The participant appears at a shared-court site (checks in at its kiosk). */
  siteId: string | null;
  status: ParticipantStatus;
  muted: boolean;
  handRaised: boolean;
  helpRequested: boolean;
  checkedInKioskId: string | null;
  selfTest: SelfTestResult | null;
  connected: boolean;
  quality: ConnectionQuality | null;
  camera: DeviceStatus | null;
  microphone: DeviceStatus | null;
  /**
   * The connected kiosk said it has a document camera; and whether the judge asked to show it. Facts
   * of the connection, not stored: a new connection starts without either and declares again.
   */
  documentCamera: boolean;
  showingDocument: boolean;
}

/** The in-memory state of a floor before a change, put back when the change fails. */
interface Saved {
  state: HearingState;
  pauseReason: string | null;
  stateSinceMs: number | null;
  spotlight: string | null;
  transcript: { version: number; text: string; sha256: string; savedMs: number | null };
  signatures: TranscriptSignatureInfo[];
  records: Map<string, Record>;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export const actorName = (actor: FloorActor): string =>
  actor.kind === 'user' ? `user:${actor.userId}` : actor.kind === 'kiosk' ? `kiosk:${actor.kioskId}` : 'system';

/** Why a document camera cannot be shown, as the error the judge's desk sees. */
function documentRefused(reason: DocumentRefusalReason): AppError {
  return new AppError(
    'INVALID_STATE',
    `the document camera cannot be shown: ${DOCUMENT_REFUSAL_EXPLANATIONS[reason]} [${reason}]`,
    {
      reason,
    },
  );
}

/** A state-machine refusal as the error every client sees (INVALID_STATE or BAD_REQUEST). */
function refusal(error: Pick<StateError, 'code' | 'message' | 'reason'>): AppError {
  return new AppError(error.code, `${error.message} [${error.reason}]`, { reason: error.reason });
}

/**
 * The live state of one hearing, held in memory and written through to the database with every
 * change (so a restart or a reload restores it). Changes run one at a time; after each, the new
 * FloorState goes to the service's `changed` listeners (the signaling server sends it to everyone in
 * the hearing and applies the media holds).
 */
export class Floor {
  readonly hearingId: string;
  readonly caseNumber: string;
  readonly courtId: string;
  readonly judgeId: string;
  readonly clerkId: string;
  #state: HearingState;
  #pauseReason: string | null = null;
  #stateSinceMs: number | null = null;
  #spotlight: string | null;
  readonly #records = new Map<string, Record>();
  #transcript: { version: number; text: string; sha256: string; savedMs: number | null } = {
    version: 0,
    text: '',
    sha256: sha256Hex(''),
    savedMs: null,
  };
  #signatures: TranscriptSignatureInfo[] = [];
  #revision = 0;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #service: FloorService;

  constructor(service: FloorService, entry: CatalogEntry, state: HearingState, spotlight: string | null) {
    this.#service = service;
    const { booking, hearing } = entry;
    this.hearingId = booking.id;
    this.caseNumber = booking.caseNumber;
    this.courtId = booking.courtId;
    this.judgeId = booking.judgeId;
    this.clerkId = booking.clerkId;
    this.#state = state;
    this.#spotlight = spotlight;
    for (const p of hearing.participants) {
      const staff = p.role === 'judge' || p.role === 'clerk';
      this.#records.set(p.id, {
        participantId: p.id,
        name: p.name,
        staff,
        siteId: p.site?.id ?? null,
        status: INITIAL_PARTICIPANT_STATUS,
        muted: false,
        handRaised: false,
        helpRequested: false,
        checkedInKioskId: null,
        selfTest: null,
        connected: false,
        quality: null,
        camera: null,
        microphone: null,
        documentCamera: false,
        showingDocument: false,
      });
    }
  }

  get state(): HearingState {
    return this.#state;
  }

  snapshot(): FloorState {
    return {
      hearingId: this.hearingId,
      state: this.#state,
      pauseReason: this.#state === 'paused' ? this.#pauseReason : null,
      stateSince: this.#stateSinceMs === null ? null : toShanghaiIso(this.#stateSinceMs),
      spotlight: this.#spotlight,
      ...this.#service.recordingStatus(this.hearingId, this.#state),
      participants: [...this.#records.values()].map(
        (r): FloorParticipant => ({
          participantId: r.participantId,
          status: r.status,
          connected: r.connected,
          muted: r.muted,
          handRaised: r.handRaised,
          helpRequested: r.helpRequested,
          quality: r.quality,
          camera: r.camera,
          microphone: r.microphone,
          selfTest: r.selfTest,
          documentCamera: r.documentCamera,
          showingDocument: r.showingDocument,
        }),
      ),
      transcriptVersion: this.#transcript.version,
      signatures: this.#signatures,
      revision: this.#revision,
    };
  }

  /** What the server holds back from this participant's connection now. */
  holdsFor(participantId: string): MediaHolds {
    const record = this.#records.get(participantId);
    if (!record) return NO_HOLDS;
    // Staff are always in the hearing; the judge may still mute the clerk.
    if (record.staff) return { ...NO_HOLDS, microphone: record.muted ? 'muted' : null };
    const inHearing = record.status.state === 'in_hearing';
    return {
      microphone: record.muted ? 'muted' : inHearing ? null : 'not_in_hearing',
      camera: inHearing ? null : 'not_in_hearing',
      receive: !inHearing,
      document: inHearing && record.showingDocument ? null : 'not_shown',
    };
  }

  /** Whether the judge has the participant's document camera shown now (for the recorder's stop reason). */
  showingDocument(participantId: string): boolean {
    return this.#records.get(participantId)?.showingDocument ?? false;
  }

  /** Where the participant stands now (null: not booked into this hearing). */
  statusOf(participantId: string): ParticipantStatus | null {
    return this.#records.get(participantId)?.status ?? null;
  }

  /** The kiosk this participant checked in at, while their check-in holds (not after leaving). */
  checkedInAt(participantId: string): string | null {
    const record = this.#records.get(participantId);
    if (!record || record.status.state === 'not_checked_in' || record.status.state === 'left') return null;
    return record.checkedInKioskId;
  }

  // --- Connections ---------------------------------------------------------------------------------

  /** A connection of the participant joined; `checkedInAt` is the kiosk where they just checked in. */
  connect(participantId: string, actor: FloorActor, checkedInAt: string | null): Promise<FloorState> {
    return this.#change(async (trx, now) => {
      const record = this.#record(participantId);
      record.connected = true;
      // A new connection has not said yet whether it has a document camera, and shows nothing.
      record.documentCamera = false;
      record.showingDocument = false;
      // Whoever comes (back) sees the signatures as the database holds them now: a transcript edited
      // behind the server's back shows as no longer intact.
      if (this.#signatures.length > 0) this.#signatures = await signaturesOf(trx, this.hearingId);
      if (record.staff) {
        if (record.status.state !== 'in_hearing') {
          await this.#setStatus(trx, now, actor, record, { state: 'in_hearing', resumeTo: null }, 'joined');
        }
        return;
      }
      if (checkedInAt !== null) {
        if (record.status.state === 'not_checked_in' || record.status.state === 'left') {
          await this.#participantEvent(trx, now, actor, record, { type: 'check_in' });
        } else if (record.status.state === 'disconnected') {
          await this.#participantEvent(trx, now, actor, record, { type: 'reconnect' });
        }
        record.checkedInKioskId = checkedInAt;
        await this.#saveRecord(trx, now, record);
        return;
      }
      if (record.status.state === 'disconnected') {
        await this.#participantEvent(trx, now, actor, record, { type: 'reconnect' });
      }
    });
  }

  /** The participant's connection dropped (not a leave): they return to where they were on rejoining. */
  disconnect(participantId: string): Promise<FloorState> {
    return this.#change(async (trx, now) => {
      const record = this.#record(participantId);
      record.connected = false;
      record.quality = null;
      record.documentCamera = false;
      record.showingDocument = false;
      const system: FloorActor = { kind: 'system' };
      if (record.staff) {
        if (record.status.state === 'in_hearing') {
          await this.#setStatus(
            trx,
            now,
            system,
            record,
            { state: 'disconnected', resumeTo: 'in_hearing' },
            'disconnect',
          );
        }
        return;
      }
      const state = record.status.state;
      if (state === 'checked_in' || state === 'waiting' || state === 'in_hearing') {
        await this.#participantEvent(trx, now, system, record, { type: 'disconnect' });
        if (isHearingLive(this.#state)) await this.#service.raiseAlert(trx, this, record, 'disconnected', now);
      }
    });
  }

  /** The participant left on purpose (the leave button, or closing the hearing screen). */
  leave(participantId: string, actor: FloorActor): Promise<FloorState> {
    return this.#change(async (trx, now) => {
      const record = this.#record(participantId);
      record.connected = false;
      record.quality = null;
      record.documentCamera = false;
      record.showingDocument = false;
      if (record.staff) {
        await this.#setStatus(trx, now, actor, record, { state: 'left', resumeTo: null }, 'leave');
        return;
      }
      if (record.status.state !== 'not_checked_in' && record.status.state !== 'left') {
        await this.#participantEvent(trx, now, actor, record, { type: 'leave' });
      }
    });
  }

  // --- The judge -----------------------------------------------------------------------------------

  command(actor: FloorActor, command: HearingCommand): Promise<FloorState> {
    return this.#change(async (trx, now) => {
      this.#assertJudge(actor);
      const result = applyHearingCommand(this.#state, command);
      if (!result.ok) throw refusal(result.error);
      if (command.type === 'start' || command.type === 'resume') {
        // Refuses (RECORDING_UNAVAILABLE) a session that cannot be recorded, unless the judge goes on
        // without recording; that choice is logged.
        await this.#service.recordingGate?.(trx, this, actor, command, now);
      }
      const from = this.#state;
      this.#state = result.state;
      this.#stateSinceMs = now;
      if (result.state === 'paused') this.#pauseReason = result.reason;
      if (result.state === 'closed') {
        // Nobody speaks over a closed hearing; raised hands are moot, and no evidence is shown any more.
        for (const record of this.#records.values()) {
          record.handRaised = false;
          record.showingDocument = false;
        }
      }
      await trx
        .updateTable('hearings')
        .set({ status: result.state, updated_ms: now })
        .where('id', '=', this.hearingId)
        .execute();
      await this.#event(trx, now, actor, null, command.type, from, result.state, result.reason);
    });
  }

  participantAction(actor: FloorActor, participantId: string, action: ParticipantAction): Promise<FloorState> {
    return this.#change(async (trx, now) => {
      this.#assertJudge(actor);
      const record = this.#records.get(participantId);
      if (!record) throw new NotFoundError(`participant ${participantId} is not booked into this hearing`);
      switch (action) {
        case 'call_in':
        case 'dismiss':
          if (record.staff) throw new BadRequestError('the judge and the clerk are always in the hearing');
          await this.#participantEvent(trx, now, actor, record, { type: action });
          if (action === 'call_in') record.handRaised = false;
          // Evidence is shown in the hearing: back in the waiting room, the document camera stops.
          if (action === 'dismiss') record.showingDocument = false;
          await this.#saveRecord(trx, now, record);
          return;
        case 'mute':
        case 'unmute': {
          if (participantId === this.judgeId) throw new BadRequestError('the judge mutes their own microphone');
          const muted = action === 'mute';
          if (record.muted === muted) return;
          record.muted = muted;
          if (!muted) record.handRaised = false;
          await this.#saveRecord(trx, now, record);
          await this.#event(trx, now, actor, record.participantId, action, null, null, null);
          return;
        }
      }
    });
  }

  /** Mutes everyone but the judge. */
  muteAll(actor: FloorActor): Promise<FloorState> {
    return this.#change(async (trx, now) => {
      this.#assertJudge(actor);
      for (const record of this.#records.values()) {
        if (record.participantId === this.judgeId || record.muted) continue;
        record.muted = true;
        await this.#saveRecord(trx, now, record);
      }
      await this.#event(trx, now, actor, null, 'mute_all', null, null, null);
    });
  }

  spotlight(actor: FloorActor, participantId: string | null): Promise<FloorState> {
    return this.#change(async (trx, now) => {
      this.#assertJudge(actor);
      if (participantId !== null && !this.#records.has(participantId)) {
        throw new NotFoundError(`participant ${participantId} is not booked into this hearing`);
      }
      this.#spotlight = participantId;
      await trx
        .updateTable('hearings')
        .set({ spotlight_participant_id: participantId })
        .where('id', '=', this.hearingId)
        .execute();
      await this.#event(trx, now, actor, participantId, 'spotlight', null, null, null);
    });
  }

  /**
   * The judge has a participant's kiosk show its document camera to the hearing, or stops it. Showing
   * is refused (INVALID_STATE, the reason's key in the message) unless the participant is connected, in
   * the hearing and their kiosk declared a document camera; stopping always succeeds. Both are logged:
   * what was shown as evidence, and when, belongs to the record.
   */
  showDocument(actor: FloorActor, participantId: string, show: boolean): Promise<FloorState> {
    return this.#change(async (trx, now) => {
      this.#assertJudge(actor);
      const record = this.#records.get(participantId);
      if (!record) throw new NotFoundError(`participant ${participantId} is not booked into this hearing`);
      if (show) {
        const reason = documentRefusal(this.#state, record, record.staff);
        if (reason !== null) throw documentRefused(reason);
      }
      if (record.showingDocument === show) return;
      record.showingDocument = show;
      await this.#event(trx, now, actor, participantId, show ? 'document_show' : 'document_stop', null, null, null);
    });
  }

  // --- The participant themselves ------------------------------------------------------------------

  /**
   * A kiosk's connection says whether it has a document camera (the operator configured one). Saying
   * it has none any more (unplugged, or it would not open) also stops showing it, logged as the kiosk's.
   */
  setDocumentCamera(participantId: string, actor: FloorActor, available: boolean): Promise<FloorState> {
    return this.#change(async (trx, now) => {
      const record = this.#record(participantId);
      if (record.staff || actor.kind !== 'kiosk') {
        throw new ForbiddenError('only a kiosk declares a document camera, for the party checked in at it');
      }
      record.documentCamera = available;
      if (!available && record.showingDocument) {
        record.showingDocument = false;
        await this.#event(trx, now, actor, participantId, 'document_stop', null, null, null);
      }
    });
  }

  /** The kiosk's self-test is done: the villager goes to the waiting room. */
  ready(participantId: string, actor: FloorActor, selfTest: SelfTestResult): Promise<FloorState> {
    return this.#change(async (trx, now) => {
      const record = this.#record(participantId);
      if (record.staff) throw new BadRequestError('the judge and the clerk do not wait');
      await this.#participantEvent(trx, now, actor, record, { type: 'ready' });
      record.selfTest = selfTest;
      await this.#saveRecord(trx, now, record);
    });
  }

  setHand(participantId: string, raised: boolean): Promise<FloorState> {
    return this.#change(async (trx, now) => {
      const record = this.#record(participantId);
      if (record.staff) throw new BadRequestError('the judge and the clerk do not raise hands');
      if (raised && !isHearingLive(this.#state)) {
        throw new InvalidStateError('hands are raised while the hearing is open, in session or paused');
      }
      if (record.handRaised === raised) return;
      record.handRaised = raised;
      await this.#saveRecord(trx, now, record);
    });
  }

  setHelp(participantId: string, requested: boolean): Promise<FloorState> {
    return this.#change(async (trx, now) => {
      const record = this.#record(participantId);
      if (record.helpRequested === requested) return;
      record.helpRequested = requested;
      await this.#saveRecord(trx, now, record);
      if (requested) await this.#service.raiseAlert(trx, this, record, 'help_requested', now);
    });
  }

  /** A client's periodic statistics; raises alerts for blocked devices and a bad connection. */
  report(participantId: string, report: StatsReport): Promise<FloorState> {
    return this.#change(async (trx, now) => {
      const record = this.#record(participantId);
      const grade = gradeQuality(report);
      record.quality = {
        grade,
        rttMs: report.rttMs,
        packetLossPct: report.packetLossPct,
        sendKbps: report.sendKbps,
        recvKbps: report.recvKbps,
        atMs: now,
      };
      record.camera = report.camera;
      record.microphone = report.microphone;
      if (record.staff) return;
      if (report.camera === 'blocked') await this.#service.raiseAlert(trx, this, record, 'camera_blocked', now);
      if (report.microphone === 'blocked') {
        await this.#service.raiseAlert(trx, this, record, 'microphone_blocked', now);
      }
      if (grade === 'bad') await this.#service.raiseAlert(trx, this, record, 'poor_connection', now);
    });
  }

  // --- The transcript ------------------------------------------------------------------------------

  transcript(): Transcript {
    const t = this.#transcript;
    return {
      version: t.version,
      text: t.text,
      sha256: t.sha256,
      savedAt: t.savedMs === null ? null : toShanghaiIso(t.savedMs),
    };
  }

  /** The clerk saves a new version; CONFLICT when it does not build on the newest one. */
  async saveTranscript(actor: FloorActor, text: string, baseVersion: number): Promise<Transcript> {
    await this.#change(async (trx, now) => {
      if (actor.kind !== 'user' || actor.userId !== this.clerkId) {
        throw new ForbiddenError('only the clerk of this hearing writes its transcript');
      }
      if (this.#state === 'scheduled' || this.#state === 'cancelled') {
        throw new InvalidStateError('the transcript is written once the hearing is open');
      }
      if (baseVersion !== this.#transcript.version) {
        throw new ConflictError(
          `the transcript was saved meanwhile (version ${this.#transcript.version}, yours builds on ${baseVersion}); load the newest and apply your changes to it`,
        );
      }
      if (text === this.#transcript.text) return;
      const version = this.#transcript.version + 1;
      const sha256 = sha256Hex(text);
      await trx
        .insertInto('transcript_versions')
        .values({ hearing_id: this.hearingId, version, text, sha256, author_id: actor.userId, saved_ms: now })
        .execute();
      await appendAudit(
        trx,
        this.#service.dialect,
        {
          actor: actorName(actor),
          action: 'transcript.saved',
          subject: `hearing:${this.hearingId}`,
          details: { version, sha256, chars: text.length },
        },
        now,
      );
      this.#transcript = { version, text, sha256, savedMs: now };
    });
    return this.transcript();
  }

  /**
   * A party signs the transcript at their kiosk after the hearing closed. The signature is bound to
   * the hash of the exact text they read: when it is not the newest version's hash, they read an older
   * text and are asked to read again (CONFLICT).
   */
  async sign(
    participantId: string,
    actor: FloorActor,
    request: { version: number; textSha256: string; signaturePng: string },
  ): Promise<TranscriptSignatureInfo> {
    let info: TranscriptSignatureInfo | undefined;
    await this.#change(async (trx, now) => {
      const record = this.#record(participantId);
      if (record.staff || actor.kind !== 'kiosk') {
        throw new ForbiddenError('the parties sign the transcript at their kiosk');
      }
      if (this.#state !== 'closed') throw new InvalidStateError('the transcript is signed after the hearing closed');
      const t = this.#transcript;
      if (t.version === 0) throw new InvalidStateError('the clerk has not written the transcript yet');
      if (request.version !== t.version || request.textSha256 !== t.sha256) {
        throw new ConflictError(
          `the transcript changed while it was being read (now version ${t.version}); read it again before signing`,
        );
      }
      const signatureSha256 = sha256Hex(request.signaturePng);
      await trx
        .insertInto('transcript_signatures')
        .values({
          id: uuidv7(),
          hearing_id: this.hearingId,
          participant_id: participantId,
          version: t.version,
          text_sha256: t.sha256,
          signature_png: request.signaturePng,
          kiosk_id: actor.kioskId,
          signed_ms: now,
        })
        .execute();
      await appendAudit(
        trx,
        this.#service.dialect,
        {
          actor: actorName(actor),
          action: 'transcript.signed',
          subject: `hearing:${this.hearingId}`,
          details: { participantId, version: t.version, textSha256: t.sha256, signatureSha256 },
        },
        now,
      );
      info = { participantId, version: t.version, textSha256: t.sha256, signedAt: toShanghaiIso(now), intact: true };
      this.#signatures = [...this.#signatures.filter((s) => s.participantId !== participantId), info];
    });
    if (!info) throw new Error('unreachable: signature not recorded');
    return info;
  }

  // --- Internals -----------------------------------------------------------------------------------

  /** Loads what the database holds for this hearing (after a restart nobody is connected). */
  async load(db: Kysely<DB>): Promise<void> {
    const rows = await db
      .selectFrom('floor_participants')
      .selectAll()
      .where('hearing_id', '=', this.hearingId)
      .execute();
    for (const row of rows) {
      const record = this.#records.get(row.participant_id);
      if (!record) continue;
      let status: ParticipantStatus = { state: row.state, resumeTo: row.resume_to };
      // Nobody is connected to a freshly loaded hearing: who was there comes back when they rejoin.
      if (status.state === 'checked_in' || status.state === 'waiting' || status.state === 'in_hearing') {
        status = { state: 'disconnected', resumeTo: status.state };
      }
      record.status = status;
      record.muted = row.muted === 1;
      record.handRaised = row.hand_raised === 1;
      record.helpRequested = row.help_requested === 1;
      record.checkedInKioskId = row.checked_in_kiosk_id;
      record.selfTest = row.self_test_json === null ? null : (JSON.parse(row.self_test_json) as SelfTestResult);
    }
    const last = await db
      .selectFrom('floor_events')
      .select(['to_state', 'reason', 'at_ms'])
      .where('hearing_id', '=', this.hearingId)
      .where('participant_id', 'is', null)
      .where('to_state', 'is not', null)
      .orderBy('at_ms', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (last) {
      this.#stateSinceMs = last.at_ms;
      this.#pauseReason = last.to_state === 'paused' ? last.reason : null;
    }
    const transcript = await db
      .selectFrom('transcript_versions')
      .selectAll()
      .where('hearing_id', '=', this.hearingId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (transcript) {
      this.#transcript = {
        version: transcript.version,
        text: transcript.text,
        sha256: transcript.sha256,
        savedMs: transcript.saved_ms,
      };
    }
    this.#signatures = await signaturesOf(db, this.hearingId);
  }

  /** The booking was cancelled by the clerk after this floor was loaded. */
  syncCancelled(): void {
    if (this.#state === 'scheduled') this.#state = 'cancelled';
  }

  #assertJudge(actor: FloorActor): void {
    if (actor.kind !== 'user' || actor.userId !== this.judgeId) {
      throw new ForbiddenError('only the judge of this hearing gives this command');
    }
  }

  #record(participantId: string): Record {
    const record = this.#records.get(participantId);
    if (!record) throw new NotFoundError(`participant ${participantId} is not booked into this hearing`);
    return record;
  }

  async #participantEvent(
    trx: Transaction<DB>,
    now: number,
    actor: FloorActor,
    record: Record,
    event: ParticipantEvent,
  ): Promise<void> {
    const result = applyParticipantEvent(record.status, event, this.#state);
    if (!result.ok) throw refusal(result.error);
    await this.#setStatus(trx, now, actor, record, result.status, event.type);
  }

  async #setStatus(
    trx: Transaction<DB>,
    now: number,
    actor: FloorActor,
    record: Record,
    status: ParticipantStatus,
    action: string,
  ): Promise<void> {
    const from = record.status.state;
    record.status = status;
    await this.#saveRecord(trx, now, record);
    if (from !== status.state)
      await this.#event(trx, now, actor, record.participantId, action, from, status.state, null);
  }

  async #saveRecord(trx: Transaction<DB>, now: number, record: Record): Promise<void> {
    const values = {
      state: record.status.state,
      resume_to: record.status.resumeTo,
      muted: record.muted ? 1 : 0,
      hand_raised: record.handRaised ? 1 : 0,
      help_requested: record.helpRequested ? 1 : 0,
      checked_in_kiosk_id: record.checkedInKioskId,
      self_test_json: record.selfTest === null ? null : JSON.stringify(record.selfTest),
      updated_ms: now,
    };
    await trx
      .insertInto('floor_participants')
      .values({ hearing_id: this.hearingId, participant_id: record.participantId, ...values })
      .onConflict((oc) => oc.columns(['hearing_id', 'participant_id']).doUpdateSet(values))
      .execute();
  }

  /** A stored state change, also appended to the audit chain. */
  async #event(
    trx: Transaction<DB>,
    now: number,
    actor: FloorActor,
    participantId: string | null,
    action: string,
    from: string | null,
    to: string | null,
    reason: string | null,
  ): Promise<void> {
    const who = actorName(actor);
    await trx
      .insertInto('floor_events')
      .values({
        id: uuidv7(),
        hearing_id: this.hearingId,
        participant_id: participantId,
        action,
        from_state: from,
        to_state: to,
        reason,
        actor: who,
        at_ms: now,
      })
      .execute();
    await appendAudit(
      trx,
      this.#service.dialect,
      {
        actor: who,
        action: participantId === null ? `hearing.${action}` : `participant.${action}`,
        subject: participantId === null ? `hearing:${this.hearingId}` : `participant:${participantId}`,
        details: {
          hearingId: this.hearingId,
          caseNumber: this.caseNumber,
          ...(from !== null ? { from } : {}),
          ...(to !== null ? { to } : {}),
          ...(reason !== null ? { reason } : {}),
        },
      },
      now,
    );
  }

  /**
   * Runs one change after the previous ones, in a database transaction; the in-memory state is put
   * back when the change fails, so a refused or failed change leaves nothing behind anywhere.
   */
  #change(run: (trx: Transaction<DB>, now: number) => Promise<void>): Promise<FloorState> {
    const next = this.#queue.then(async () => {
      const saved = this.#save();
      try {
        await this.#service.db.transaction().execute((trx) => run(trx, this.#service.now()));
      } catch (error) {
        this.#restore(saved);
        throw error;
      }
      this.#revision++;
      const state = this.snapshot();
      this.#service.emit('changed', this, state);
      return state;
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Sends the current state to everyone again without changing it (the recording started or stopped),
   * in order with the changes.
   */
  announce(): Promise<FloorState> {
    return this.#change(async () => undefined);
  }

  #save(): Saved {
    return {
      state: this.#state,
      pauseReason: this.#pauseReason,
      stateSinceMs: this.#stateSinceMs,
      spotlight: this.#spotlight,
      transcript: this.#transcript,
      signatures: this.#signatures,
      records: new Map([...this.#records].map(([id, r]) => [id, { ...r }])),
    };
  }

  #restore(saved: Saved): void {
    this.#state = saved.state;
    this.#pauseReason = saved.pauseReason;
    this.#stateSinceMs = saved.stateSinceMs;
    this.#spotlight = saved.spotlight;
    this.#transcript = saved.transcript;
    this.#signatures = saved.signatures;
    for (const [id, record] of saved.records) this.#records.set(id, record);
  }
}

/** Every participant's newest signature of a hearing, with whether the signed text is still intact. */
export async function signaturesOf(
  db: Kysely<DB> | Transaction<DB>,
  hearingId: string,
): Promise<TranscriptSignatureInfo[]> {
  const rows = await db
    .selectFrom('transcript_signatures')
    .select(['participant_id', 'version', 'text_sha256', 'signed_ms'])
    .where('hearing_id', '=', hearingId)
    .orderBy('signed_ms')
    .execute();
  if (rows.length === 0) return [];
  const versions = await db
    .selectFrom('transcript_versions')
    .select(['version', 'text', 'sha256'])
    .where('hearing_id', '=', hearingId)
    .where('version', 'in', [...new Set(rows.map((r) => r.version))])
    .execute();
  // Intact: the stored text of the signed version still hashes to what was signed (an edited text, an
  // edited hash column or a removed version all show).
  const hashOf = new Map(versions.map((v) => [v.version, sha256Hex(v.text) === v.sha256 ? v.sha256 : null]));
  const newest = new Map<string, TranscriptSignatureInfo>();
  for (const row of rows) {
    newest.set(row.participant_id, {
      participantId: row.participant_id,
      version: row.version,
      textSha256: row.text_sha256,
      signedAt: toShanghaiIso(row.signed_ms),
      intact: hashOf.get(row.version) === row.text_sha256,
    });
  }
  return [...newest.values()];
}

export interface FloorServiceEvents {
  changed: [Floor, FloorState];
  alert: [{ hearingId: string; participantId: string; kind: AlertKind; raisedMs: number }];
}

/** What the recorder tells the floor: whether the hearing is being recorded, and why not. */
export type RecordingStatus = Pick<FloorState, 'recording' | 'recordingNotice'>;

/** Checks that a start or resume can be recorded (throws RECORDING_UNAVAILABLE otherwise). */
export type RecordingGate = (
  trx: Transaction<DB>,
  floor: Floor,
  actor: FloorActor,
  command: Extract<HearingCommand, { type: 'start' | 'resume' }>,
  now: number,
) => Promise<void>;

/** The floors of the hearings in use, loaded from the database on first use. */
export class FloorService extends EventEmitter<FloorServiceEvents> {
  readonly db: Kysely<DB>;
  readonly dialect: DialectName;
  readonly now: () => number;
  readonly #logger: Logger;
  readonly #floors = new Map<string, Promise<Floor>>();
  /** Set by the recording service. */
  recordingStatus: (hearingId: string, state: HearingState) => RecordingStatus = () => ({
    recording: false,
    recordingNotice: null,
  });
  recordingGate: RecordingGate | null = null;

  constructor(options: { db: Kysely<DB>; dialect: DialectName; now?: () => number; logger: Logger }) {
    super();
    this.db = options.db;
    this.dialect = options.dialect;
    this.now = options.now ?? Date.now;
    this.#logger = options.logger;
  }

  /** The floor of a booked hearing (one per hearing for the life of the server). */
  async floor(entry: CatalogEntry): Promise<Floor> {
    const id = entry.booking.id;
    let pending = this.#floors.get(id);
    if (!pending) {
      pending = this.#load(entry);
      this.#floors.set(id, pending);
      pending.catch(() => this.#floors.delete(id));
    }
    const floor = await pending;
    if (entry.booking.status === 'cancelled') floor.syncCancelled();
    return floor;
  }

  /** The floor if it is loaded already (for the console: the others are read from the database). */
  loaded(hearingId: string): Promise<Floor> | undefined {
    return this.#floors.get(hearingId);
  }

  async #load(entry: CatalogEntry): Promise<Floor> {
    const row = await this.db
      .selectFrom('hearings')
      .select(['status', 'spotlight_participant_id'])
      .where('id', '=', entry.booking.id)
      .executeTakeFirst();
    if (!row) throw new NotFoundError(`no hearing ${entry.booking.id}`);
    const floor = new Floor(this, entry, row.status, row.spotlight_participant_id);
    await floor.load(this.db);
    return floor;
  }

  /** Raises an alert for the clerk's console unless the same one is still unacknowledged. */
  async raiseAlert(
    trx: Transaction<DB>,
    floor: Floor,
    /** '' for the hearing as a whole. */
    record: { participantId: string },
    kind: AlertKind,
    now: number,
  ) {
    const open = await trx
      .selectFrom('alerts')
      .select('id')
      .where('hearing_id', '=', floor.hearingId)
      .where('participant_id', '=', record.participantId)
      .where('kind', '=', kind)
      .where('acked_ms', 'is', null)
      .executeTakeFirst();
    if (open) return;
    await trx
      .insertInto('alerts')
      .values({
        id: uuidv7(),
        hearing_id: floor.hearingId,
        participant_id: record.participantId,
        kind,
        raised_ms: now,
        acked_ms: null,
        acked_by: null,
      })
      .execute();
    this.#logger.info({ hearingId: floor.hearingId, participantId: record.participantId, kind }, 'alert');
    this.emit('alert', { hearingId: floor.hearingId, participantId: record.participantId, kind, raisedMs: now });
  }
}

export interface TranscriptProblem {
  hearingId: string;
  participantId: string;
  version: number;
  problem: string;
}

/**
 * Checks every transcript signature of the database: the stored text of the signed version must still
 * hash to what was signed, and the signature must match the hash its (hash-chained) audit entry
 * recorded, so editing the text and the signature's hash together is caught as well.
 */
export async function verifyTranscripts(db: Kysely<DB>): Promise<TranscriptProblem[]> {
  const signatures = await db
    .selectFrom('transcript_signatures')
    .select(['hearing_id', 'participant_id', 'version', 'text_sha256'])
    .orderBy('signed_ms')
    .execute();
  if (signatures.length === 0) return [];
  const versions = await db
    .selectFrom('transcript_versions')
    .select(['hearing_id', 'version', 'text'])
    .where('hearing_id', 'in', [...new Set(signatures.map((s) => s.hearing_id))])
    .execute();
  const textOf = new Map(versions.map((v) => [`${v.hearing_id}:${v.version}`, v.text]));
  const entries = await db
    .selectFrom('audit_log')
    .select(['subject', 'details_json'])
    .where('action', '=', 'transcript.signed')
    .execute();
  const signedHashes = new Set<string>();
  for (const entry of entries) {
    const details = JSON.parse(entry.details_json) as { participantId?: string; version?: number; textSha256?: string };
    signedHashes.add(`${entry.subject}:${details.participantId}:${details.version}:${details.textSha256}`);
  }
  const problems: TranscriptProblem[] = [];
  for (const s of signatures) {
    const where = { hearingId: s.hearing_id, participantId: s.participant_id, version: s.version };
    const text = textOf.get(`${s.hearing_id}:${s.version}`);
    if (text === undefined) problems.push({ ...where, problem: 'the signed version of the transcript is missing' });
    else if (sha256Hex(text) !== s.text_sha256) {
      problems.push({ ...where, problem: 'the stored text differs from the text that was signed' });
    }
    if (!signedHashes.has(`hearing:${s.hearing_id}:${s.participant_id}:${s.version}:${s.text_sha256}`)) {
      problems.push({ ...where, problem: 'the signature does not match the hash its audit entry recorded' });
    }
  }
  return problems;
}
