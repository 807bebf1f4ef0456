import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { types as ms } from 'mediasoup';
import { v7 as uuidv7 } from 'uuid';
import type { FloorState } from '../../shared/floor.js';
import type { HearingState } from '../../shared/hearingState.js';
import type { GapReason, RecordingKind, StopReason } from '../../shared/recording.js';
import { appendAudit } from '../audit/AuditLog.js';
import type { DialectName } from '../db/Database.js';
import type { DB } from '../db/schema.js';
import { AppError } from '../errors.js';
import {
  actorName,
  type Floor,
  type FloorService,
  type RecordingGate,
  type RecordingStatus,
} from '../hearing/Floor.js';
import type { Room } from '../hearing/Room.js';
import type { RoomRegistry } from '../hearing/RoomRegistry.js';
import type { Logger } from '../logger.js';
import { type FfmpegTools, hashFile, probe } from './ffmpeg.js';
import { RECORDING_AUDIT, type SegmentRow, segmentAuditDetails } from './metadata.js';
import type { PortPool } from './ports.js';
import { Recorder } from './Recorder.js';
import { containerFor, mediaCodecOf } from './sdp.js';

/** A document camera's stream (shown at the judge's request), recorded as segments of its own. */
const isDocument = (active: { source: string }): boolean => active.source === 'document';

/** Restarts after a failure: immediately, then waiting longer when a stream keeps failing. */
const RESTART_DELAYS_MS = [0, 1_000, 2_000, 5_000, 10_000, 30_000];
/** Failures older than this no longer lengthen the wait before a restart. */
const FAILURE_MEMORY_MS = 60_000;
/** How often recordings past their retention period are looked for. */
const RETENTION_CHECK_MS = 6 * 3_600_000;
/** How often free space is checked while a hearing is recorded. */
const DISK_CHECK_MS = 5_000;

export interface RecordingServiceOptions {
  db: Kysely<DB>;
  dialect: DialectName;
  floors: FloorService;
  rooms: RoomRegistry;
  tools: FfmpegTools;
  /** Where recordings are written (created if missing). */
  dir: string;
  ports: PortPool;
  /** Below this much free space on the recording disk, nothing is recorded and the judge is told. */
  minFreeBytes: number;
  /** Recordings of closed or cancelled hearings are deleted this many days after they stopped; 0 keeps them. */
  retentionDays: number;
  /** FFmpeg writing nothing for this long while its stream arrives is a recorder failure. */
  stallMs: number;
  now?: () => number;
  logger: Logger;
}

/** One stream's recorder: armed (FFmpeg listening, nothing flowing yet) or writing its open segment. */
interface Active {
  recorder: Recorder;
  /** The segment it writes (its row exists once the segment is open). */
  segmentId: string;
  participantId: string;
  kind: RecordingKind;
  source: string;
  codec: string;
  contentType: string;
  /** Under the recording directory. */
  file: string;
  /** The stream flows and the segment's row exists. */
  segmentOpen?: boolean;
}

/** What the recorder keeps per hearing between reconciliations. */
interface HearingRecording {
  hearingId: string;
  queue: Promise<void>;
  active: Map<string, Active>;
  /** The hearing state seen at the last reconciliation. */
  state: HearingState | null;
  /** Free space is below the minimum. */
  diskLow: boolean;
  /** The judge chose to go on without recording (until the disk has room again). */
  waived: boolean;
  /** Recent failure times per producer, for the restart backoff. */
  failures: Map<string, number[]>;
  /** Producer ids whose restart waits for its backoff. */
  waiting: Set<string>;
  announced: RecordingStatus;
}

/**
 * Records every hearing in session: each stream of each participant in the hearing goes to its own
 * FFmpeg, one file per segment. Reconciles what should be recorded (hearing in session, participant in
 * the hearing, stream present, disk not full) with what is, whenever the floor or a room changes: so a
 * pause closes every segment (reason logged as a gap), a resume opens new ones, a participant called
 * in mid-session gets their own segment from then on. Every segment and gap is a database row and an
 * audit entry; a recorder that dies is replaced at once, its gap logged and the judge and clerk alerted.
 */
export class RecordingService {
  readonly #options: RecordingServiceOptions;
  readonly #db: Kysely<DB>;
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #hearings = new Map<string, HearingRecording>();
  /** Closing segments being measured and hashed (waited for at shutdown). */
  readonly #finalizing = new Set<Promise<void>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #diskTimer: NodeJS.Timeout | null = null;
  #retentionTimer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(options: RecordingServiceOptions) {
    this.#options = options;
    this.#db = options.db;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
    fs.mkdirSync(options.dir, { recursive: true });
  }

  get dir(): string {
    return this.#options.dir;
  }

  /**
   * Finalizes what the previous run of the server left open (probed, hashed, marked interrupted), logs
   * the gap until recording resumes, and starts following floors and rooms.
   */
  async start(): Promise<void> {
    await this.#recover();
    const { floors, rooms } = this.#options;
    floors.recordingStatus = (hearingId, state) => this.status(hearingId, state);
    floors.recordingGate = this.#gate;
    floors.on('changed', (floor, state) => this.#schedule(floor.hearingId, state));
    rooms.on('opened', (room) => this.#watchRoom(room));
    for (const room of rooms.rooms) this.#watchRoom(room);
    this.#diskTimer = setInterval(() => void this.#checkDisks(), DISK_CHECK_MS);
    this.#diskTimer.unref();
    if (this.#options.retentionDays > 0) {
      await this.purgeExpired();
      this.#retentionTimer = setInterval(() => void this.purgeExpired().catch(() => undefined), RETENTION_CHECK_MS);
      this.#retentionTimer.unref();
    }
  }

  /**
   * Deletes the files of segments of closed or cancelled hearings that stopped more than the retention
   * period ago; each row stays, marked purged, with an audit entry. Answers how many were purged.
   */
  async purgeExpired(): Promise<number> {
    const days = this.#options.retentionDays;
    if (days <= 0) return 0;
    const cutoff = this.#now() - days * 86_400_000;
    const expired = await this.#db
      .selectFrom('recording_segments')
      .innerJoin('hearings', 'hearings.id', 'recording_segments.hearing_id')
      .selectAll('recording_segments')
      .where('recording_segments.status', 'in', ['complete', 'interrupted'])
      .where('recording_segments.stopped_ms', '<', cutoff)
      .where('hearings.status', 'in', ['closed', 'cancelled'])
      .execute();
    for (const row of expired) {
      await fs.promises.rm(path.join(this.#options.dir, row.file), { force: true });
      const now = this.#now();
      await this.#db.transaction().execute(async (trx) => {
        await trx.updateTable('recording_segments').set({ status: 'purged' }).where('id', '=', row.id).execute();
        await this.#audit(
          trx,
          RECORDING_AUDIT.segmentPurged,
          row.hearing_id,
          { ...segmentAuditDetails({ ...row, status: 'purged' }), retentionDays: days },
          now,
        );
      });
    }
    if (expired.length > 0)
      this.#logger.info({ purged: expired.length, retentionDays: days }, 'recordings past retention deleted');
    return expired.length;
  }

  /** Whether the hearing is being recorded now, and why not when it should be (`state`: the floor's, if newer). */
  status(hearingId: string, state?: HearingState): RecordingStatus {
    const h = this.#hearings.get(hearingId);
    if (!h) return { recording: false, recordingNotice: null };
    const live = (state ?? h.state) === 'in_session';
    const notice = h.diskLow && live ? (h.waived ? 'without_recording' : 'disk_low') : null;
    return { recording: [...h.active.values()].some((a) => a.segmentOpen), recordingNotice: notice };
  }

  /** The FFmpeg processes recording a hearing now (for tests and the benchmark). */
  recorders(hearingId: string): {
    participantId: string;
    kind: RecordingKind;
    source: string;
    pid: number | undefined;
    segmentId: string;
    firstFrameMs: number | null;
  }[] {
    const h = this.#hearings.get(hearingId);
    return [...(h?.active.values() ?? [])]
      .filter((a) => a.segmentOpen)
      .map((a) => ({
        participantId: a.participantId,
        kind: a.kind,
        source: a.source,
        pid: a.recorder.pid,
        segmentId: a.segmentId,
        firstFrameMs: a.recorder.firstFrameMs,
      }));
  }

  /** The router transports the recorders of a hearing hold (one each, armed or recording). */
  transportCount(hearingId: string): number {
    return this.#hearings.get(hearingId)?.active.size ?? 0;
  }

  /** How many recorders wait armed (FFmpeg listening) for the hearing's start or resume. */
  armed(hearingId: string): number {
    return [...(this.#hearings.get(hearingId)?.active.values() ?? [])].filter((a) => !a.segmentOpen).length;
  }

  /** Waits until everything scheduled for the hearing (and every closing segment) is done. */
  async settled(hearingId: string): Promise<void> {
    const h = this.#hearings.get(hearingId);
    if (h) await h.queue;
    await Promise.all([...this.#finalizing]);
  }

  /** Stops every recorder (segments closed with reason shutdown, their measuring finished). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#diskTimer) clearInterval(this.#diskTimer);
    if (this.#retentionTimer) clearInterval(this.#retentionTimer);
    for (const timer of this.#timers) clearTimeout(timer);
    for (const h of this.#hearings.values()) {
      const done = h.queue.then(async () => {
        await Promise.all(
          [...h.active.values()].map((active) =>
            active.segmentOpen ? this.#closeSegment(h, active, 'shutdown', 'complete') : this.#disarm(h, active),
          ),
        );
      });
      h.queue = done.catch(() => undefined);
    }
    await Promise.all([...this.#hearings.values()].map((h) => h.queue));
    await Promise.all([...this.#finalizing]);
  }

  /**
   * What a crash of the server leaves behind, for the restart test: every recorder is forgotten with
   * its segment left open in the database, and its FFmpeg killed as the kernel kills it when the
   * server process dies (see FfmpegTools.launcher). Nothing is written.
   */
  abandon(): void {
    this.#closed = true;
    if (this.#diskTimer) clearInterval(this.#diskTimer);
    for (const timer of this.#timers) clearTimeout(timer);
    for (const h of this.#hearings.values()) {
      for (const active of h.active.values()) {
        const pid = active.recorder.pid;
        if (pid !== undefined) process.kill(pid, 'SIGKILL');
      }
    }
    this.#hearings.clear();
  }

  // --- What should be recorded -------------------------------------------------------------------

  #watchRoom(room: Room): void {
    const hearingId = room.hearing.id;
    room.on('media', () => this.#schedule(hearingId));
    room.once('closed', () => this.#schedule(hearingId));
    this.#schedule(hearingId);
  }

  #hearing(hearingId: string): HearingRecording {
    let h = this.#hearings.get(hearingId);
    if (!h) {
      h = {
        hearingId,
        queue: Promise.resolve(),
        active: new Map(),
        state: null,
        diskLow: false,
        waived: false,
        failures: new Map(),
        waiting: new Set(),
        announced: { recording: false, recordingNotice: null },
      };
      this.#hearings.set(hearingId, h);
    }
    return h;
  }

  /**
   * Runs a reconciliation after whatever is queued for the hearing; `observed` is the floor state of
   * the change that asked for it, so that every state change is seen in order even when the next one
   * has already happened.
   */
  #schedule(hearingId: string, observed?: FloorState): void {
    if (this.#closed) return;
    const h = this.#hearing(hearingId);
    h.queue = h.queue
      .then(() => this.#reconcile(h, observed))
      .catch((error: unknown) => this.#logger.error({ err: error, hearingId }, 'recording reconciliation failed'));
  }

  async #reconcile(h: HearingRecording, observed?: FloorState): Promise<void> {
    if (this.#closed) return;
    const floor = await this.#options.floors.loaded(h.hearingId)?.catch(() => undefined);
    const state = observed?.state ?? floor?.state ?? null;
    if (state !== h.state) {
      await this.#stateChanged(h, h.state, state, observed?.pauseReason ?? floor?.snapshot().pauseReason ?? null);
      h.state = state;
    }
    const room = this.#options.rooms.room(h.hearingId);
    const recording = state === 'in_session';
    // Open (waiting for 开庭) or in recess: recorders wait armed for the start or the resume.
    const arming = state === 'open' || state === 'paused';
    const desired = new Map<string, { participantId: string; producer: ms.Producer; source: string }>();
    if (floor && (recording || arming) && room && !room.closed) {
      await this.#updateDisk(h, floor);
      if (!h.diskLow) {
        for (const peer of room.peers) {
          if (peer.closed || floor.statusOf(peer.participant.id)?.state !== 'in_hearing') continue;
          for (const { producer, source } of peer.producerEntries()) {
            desired.set(producer.id, { participantId: peer.participant.id, producer, source });
          }
        }
      }
    }
    // Streams stop and start side by side: a recess stops every recorder of the hearing at once (and
    // arms new ones for the resume).
    await Promise.all(
      [...h.active]
        .filter(([producerId, active]) => !desired.has(producerId) || (active.segmentOpen && !recording))
        .map(([, active]) =>
          active.segmentOpen
            ? this.#closeSegment(h, active, this.#stopReason(h, active, state, floor), 'complete')
            : this.#disarm(h, active),
        ),
    );
    await Promise.all(
      [...desired]
        .filter(([producerId]) => !h.waiting.has(producerId))
        .map(([producerId, want]) => {
          const active = h.active.get(producerId);
          if (!active) return this.#startRecorder(h, floor as Floor, want, recording);
          return recording && !active.segmentOpen ? this.#beginSegment(h, active) : undefined;
        }),
    );
    await this.#announce(h, floor);
  }

  #stopReason(h: HearingRecording, active: Active, state: HearingState | null, floor: Floor | undefined): StopReason {
    if (state === 'paused') return 'pause';
    if (state !== 'in_session') return 'close';
    if (h.diskLow) return 'disk_full';
    const status = floor?.statusOf(active.participantId)?.state;
    if (status === 'waiting') return 'dismissed';
    if (status === 'left') return 'left';
    if (isDocument(active) && status === 'in_hearing' && floor?.showingDocument(active.participantId) === false) {
      return 'document_stopped';
    }
    return 'stream_ended';
  }

  /** Tells everyone in the hearing when recording starts, stops or cannot happen. */
  async #announce(h: HearingRecording, floor: Floor | undefined): Promise<void> {
    const status = this.status(h.hearingId);
    if (status.recording === h.announced.recording && status.recordingNotice === h.announced.recordingNotice) return;
    h.announced = status;
    // Not awaited: the floor's queue may be waiting for this reconciliation's caller.
    floor?.announce().catch((error: unknown) => this.#logger.warn({ err: error }, 'recording status not sent'));
  }

  // --- Gaps of the whole hearing ------------------------------------------------------------------

  /** A recess opens a gap of the whole hearing (with the judge's reason); resuming or closing ends it. */
  async #stateChanged(
    h: HearingRecording,
    from: HearingState | null,
    to: HearingState | null,
    pauseReason: string | null,
  ): Promise<void> {
    const now = this.#now();
    if (to === 'in_session' && from !== null && from !== 'in_session') {
      h.waived = h.waived && h.diskLow;
      await this.#endGaps(h.hearingId, now, { hearingWide: true, reasons: ['recess'] });
    }
    if (to !== 'in_session' && from === 'in_session') {
      // The recess (or the close) explains everything from here on: streams' gaps end now.
      await this.#endGaps(h.hearingId, now, { hearingWide: false });
      await this.#endGaps(h.hearingId, now, { hearingWide: true, reasons: ['disk_full', 'without_recording'] });
      h.waived = false;
      if (to === 'paused') {
        const open = await this.#db
          .selectFrom('recording_gaps')
          .select('id')
          .where('hearing_id', '=', h.hearingId)
          .where('reason', '=', 'recess')
          .where('ended_ms', 'is', null)
          .executeTakeFirst();
        if (!open) await this.#openGap(h.hearingId, null, null, 'recess', pauseReason, now);
      }
    }
    if ((to === 'closed' || to === 'cancelled') && from !== null) {
      await this.#endGaps(h.hearingId, now, { hearingWide: true });
      await this.#endGaps(h.hearingId, now, { hearingWide: false });
    }
  }

  async #openGap(
    hearingId: string,
    participantId: string | null,
    kind: RecordingKind | null,
    reason: GapReason,
    detail: string | null,
    startedMs: number,
    trx?: Transaction<DB>,
  ): Promise<void> {
    const write = async (t: Transaction<DB>): Promise<void> => {
      const row = {
        id: uuidv7(),
        hearing_id: hearingId,
        participant_id: participantId,
        kind,
        reason,
        detail,
        started_ms: startedMs,
        ended_ms: null,
      };
      await t.insertInto('recording_gaps').values(row).execute();
      await this.#audit(
        t,
        RECORDING_AUDIT.gapOpened,
        hearingId,
        { gapId: row.id, participantId, kind, reason, detail, startedMs },
        startedMs,
      );
    };
    if (trx) await write(trx);
    else await this.#db.transaction().execute(write);
  }

  /** Ends the open gaps of a hearing: the whole hearing's (of some reasons) or one or every stream's. */
  async #endGaps(
    hearingId: string,
    endedMs: number,
    which: { hearingWide: boolean; reasons?: GapReason[]; participantId?: string; kind?: RecordingKind },
    trx?: Transaction<DB>,
  ): Promise<void> {
    const write = async (t: Transaction<DB>): Promise<void> => {
      let query = t
        .selectFrom('recording_gaps')
        .select(['id', 'reason', 'participant_id', 'kind'])
        .where('hearing_id', '=', hearingId)
        .where('ended_ms', 'is', null)
        .where('participant_id', which.hearingWide ? 'is' : 'is not', null);
      if (which.reasons) query = query.where('reason', 'in', which.reasons);
      if (which.participantId !== undefined) query = query.where('participant_id', '=', which.participantId);
      if (which.kind !== undefined) query = query.where('kind', '=', which.kind);
      const open = await query.execute();
      for (const gap of open) {
        await t.updateTable('recording_gaps').set({ ended_ms: endedMs }).where('id', '=', gap.id).execute();
        await this.#audit(
          t,
          RECORDING_AUDIT.gapClosed,
          hearingId,
          { gapId: gap.id, participantId: gap.participant_id, kind: gap.kind, reason: gap.reason, endedMs },
          endedMs,
        );
      }
    };
    if (trx) await write(trx);
    else await this.#db.transaction().execute(write);
  }

  // --- Segments ----------------------------------------------------------------------------------

  /**
   * Starts a recorder for a stream: FFmpeg listening, the consumer paused. In session it begins its
   * segment at once; while the hearing is open or in recess it waits armed, so that the session's
   * start or resume costs no FFmpeg start-up.
   */
  async #startRecorder(
    h: HearingRecording,
    floor: Floor,
    want: { participantId: string; producer: ms.Producer; source: string },
    begin: boolean,
  ): Promise<void> {
    const room = this.#options.rooms.room(h.hearingId);
    if (!room) return;
    const { producer, participantId, source } = want;
    const codec = mediaCodecOf(producer.rtpParameters).mimeType;
    const container = containerFor(codec);
    const segmentId = uuidv7();
    const relative = path.join(h.hearingId, `${segmentId}.${container.extension}`);
    const file = path.join(this.#options.dir, relative);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    let recorder: Recorder;
    try {
      recorder = await Recorder.start({
        tools: this.#options.tools,
        router: room.router,
        producer,
        file,
        container,
        ports: this.#options.ports,
        stallMs: this.#options.stallMs,
        startedMs: this.#now(),
        now: this.#now,
        logger: this.#logger.child({ hearingId: h.hearingId, participantId, kind: producer.kind, source }),
      });
    } catch (error) {
      await fs.promises.rm(file, { force: true });
      if (producer.closed || room.closed) return; // the stream went away while starting
      this.#logger.error({ err: error, hearingId: h.hearingId, participantId }, 'recorder did not start');
      this.#retryLater(h, producer.id);
      return;
    }
    const active: Active = {
      recorder,
      segmentId,
      participantId,
      kind: producer.kind,
      source,
      codec,
      contentType: container.contentType,
      file: relative,
    };
    h.active.set(producer.id, active);
    recorder.on('firstFrame', (at) => {
      void this.#db
        .updateTable('recording_segments')
        .set({ first_frame_ms: at })
        .where('id', '=', segmentId)
        .where('first_frame_ms', 'is', null)
        .execute()
        .catch((error: unknown) => this.#logger.warn({ err: error }, 'first frame time not stored'));
    });
    recorder.once('failed', (reason) => {
      if (this.#closed) return;
      h.queue = h.queue
        .then(() => this.#recorderFailed(h, floor, producer.id, active, reason))
        .catch((error: unknown) => this.#logger.error({ err: error }, 'recorder failure not handled'));
    });
    if (begin) await this.#beginSegment(h, active);
  }

  /** Lets an armed recorder's stream flow: its segment starts now (a row and an audit entry). */
  async #beginSegment(h: HearingRecording, active: Active): Promise<void> {
    const { recorder, segmentId, participantId, kind } = active;
    await recorder.flow();
    if (!recorder.flowing) return; // it failed or stopped meanwhile; the failure handler takes over
    // The segment starts when its stream flows to FFmpeg: what the file holds from its first frame.
    const startedMs = recorder.flowingMs;
    const row: SegmentRow = {
      id: segmentId,
      hearing_id: h.hearingId,
      participant_id: participantId,
      kind,
      source: active.source,
      producer_id: recorder.producer.id,
      codec: active.codec,
      content_type: active.contentType,
      file: active.file,
      status: 'recording',
      started_ms: startedMs,
      first_frame_ms: recorder.firstFrameMs,
      stopped_ms: null,
      stop_reason: null,
      duration_ms: null,
      frame_count: null,
      size_bytes: null,
      sha256: null,
    };
    await this.#db.transaction().execute(async (trx) => {
      await trx.insertInto('recording_segments').values(row).execute();
      await this.#audit(trx, RECORDING_AUDIT.segmentOpened, h.hearingId, segmentAuditDetails(row), startedMs);
      // Recording of this stream resumes: its gap (and any of the whole hearing but a recess) ends. A
      // document camera's stream ends no gap: the participant's camera gap is its own.
      if (!isDocument(active)) {
        await this.#endGaps(h.hearingId, startedMs, { hearingWide: false, participantId, kind }, trx);
      }
      await this.#endGaps(
        h.hearingId,
        startedMs,
        { hearingWide: true, reasons: ['disk_full', 'without_recording', 'server_restart'] },
        trx,
      );
    });
    active.segmentOpen = true;
    this.#logger.info(
      { hearingId: h.hearingId, participantId, kind, source: active.source, segmentId, codec: active.codec },
      'segment opened',
    );
  }

  /** Stops an armed recorder that never began its segment: nothing was recorded, nothing is kept. */
  async #disarm(h: HearingRecording, active: Active): Promise<void> {
    const producerId = active.recorder.producer.id;
    if (h.active.get(producerId) === active) h.active.delete(producerId);
    await active.recorder.stop();
    await fs.promises.rm(path.join(this.#options.dir, active.file), { force: true });
  }

  /**
   * Closes a segment: the stop is written at once (so a crash while measuring still knows it), FFmpeg
   * finishes its file, and ffprobe's measurements and the file's SHA-256 are written with the closing
   * audit entry in the background.
   */
  async #closeSegment(
    h: HearingRecording,
    active: Active,
    reason: StopReason,
    status: 'complete' | 'interrupted',
    /** What failed, for the gap's record. */
    detail: string | null = null,
  ): Promise<void> {
    const producerId = active.recorder.producer.id;
    if (h.active.get(producerId) === active) h.active.delete(producerId);
    const stoppedMs = this.#now();
    await this.#db
      .updateTable('recording_segments')
      .set({ stopped_ms: stoppedMs, stop_reason: reason })
      .where('id', '=', active.segmentId)
      .execute();
    await active.recorder.stop();
    const state = h.state;
    // A document camera streams only while the judge has it shown: its end is no gap of its own (a gap
    // row, kept per participant and kind, would read as a gap of their camera); its segment's stop
    // reason and status say what happened. Gaps of the whole hearing are opened as for any stream.
    const streamGap = !isDocument(active) && (reason === 'stream_ended' || reason === 'recorder_failure');
    if (state === 'in_session' && streamGap) {
      await this.#openGap(h.hearingId, active.participantId, active.kind, reason, detail, stoppedMs);
    } else if (state === 'in_session' && (reason === 'shutdown' || reason === 'disk_full')) {
      const gapReason: GapReason =
        reason === 'shutdown' ? 'server_restart' : h.waived ? 'without_recording' : 'disk_full';
      const open = await this.#db
        .selectFrom('recording_gaps')
        .select('id')
        .where('hearing_id', '=', h.hearingId)
        .where('participant_id', 'is', null)
        .where('reason', '=', gapReason)
        .where('ended_ms', 'is', null)
        .executeTakeFirst();
      if (!open) await this.#openGap(h.hearingId, null, null, gapReason, null, stoppedMs);
    }
    this.#finalize(active.segmentId, status);
    this.#logger.info({ hearingId: h.hearingId, segmentId: active.segmentId, reason }, 'segment closed');
  }

  /** Measures and hashes a stopped segment's file and records the result (in the background). */
  #finalize(segmentId: string, status: 'complete' | 'interrupted'): void {
    const done = this.#measure(segmentId, status)
      .catch((error: unknown) => this.#logger.error({ err: error, segmentId }, 'segment could not be finalized'))
      .finally(() => this.#finalizing.delete(done));
    this.#finalizing.add(done);
  }

  async #measure(segmentId: string, status: 'complete' | 'interrupted'): Promise<void> {
    const row = await this.#db
      .selectFrom('recording_segments')
      .selectAll()
      .where('id', '=', segmentId)
      .executeTakeFirst();
    if (!row) return;
    const file = path.join(this.#options.dir, row.file);
    let measured: Pick<SegmentRow, 'duration_ms' | 'frame_count' | 'size_bytes' | 'sha256'>;
    try {
      const [probed, hashed] = await Promise.all([
        probe(this.#options.tools, file).catch(() => ({ durationMs: null, frameCount: 0 })),
        hashFile(file),
      ]);
      measured = {
        duration_ms: probed.durationMs,
        frame_count: probed.frameCount,
        size_bytes: hashed.size,
        sha256: hashed.sha256,
      };
    } catch {
      // FFmpeg never wrote the file (it died before the first frame): an empty segment.
      measured = { duration_ms: null, frame_count: 0, size_bytes: 0, sha256: null };
    }
    const closed: SegmentRow = { ...row, ...measured, status };
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .updateTable('recording_segments')
        .set({ ...measured, status })
        .where('id', '=', segmentId)
        .execute();
      await this.#audit(trx, RECORDING_AUDIT.segmentClosed, row.hearing_id, segmentAuditDetails(closed), this.#now());
    });
  }

  // --- Failures ----------------------------------------------------------------------------------

  async #recorderFailed(
    h: HearingRecording,
    floor: Floor,
    producerId: string,
    active: Active,
    reason: string,
  ): Promise<void> {
    if (h.active.get(producerId) !== active) return;
    if (!active.segmentOpen) {
      // An armed recorder died before recording anything: started again shortly, nothing to log.
      await this.#disarm(h, active);
      this.#logger.warn({ hearingId: h.hearingId, participantId: active.participantId, reason }, 'armed recorder died');
      this.#retryLater(h, producerId, 1_000);
      return;
    }
    await this.#closeSegment(h, active, 'recorder_failure', 'interrupted', reason.slice(0, 500));
    const now = this.#now();
    const recent = (h.failures.get(producerId) ?? []).filter((t) => now - t < FAILURE_MEMORY_MS);
    recent.push(now);
    h.failures.set(producerId, recent);
    await this.#db.transaction().execute(async (trx) => {
      await this.#options.floors.raiseAlert(
        trx,
        floor,
        { participantId: active.participantId },
        'recorder_failure',
        now,
      );
    });
    this.#logger.warn(
      { hearingId: h.hearingId, participantId: active.participantId, reason },
      'recorder failed; restarting',
    );
    const delay = RESTART_DELAYS_MS[Math.min(recent.length - 1, RESTART_DELAYS_MS.length - 1)] ?? 0;
    if (delay === 0) await this.#reconcile(h, undefined);
    else this.#retryLater(h, producerId, delay);
  }

  #retryLater(h: HearingRecording, producerId: string, delayMs?: number): void {
    const failures = h.failures.get(producerId) ?? [];
    const delay = delayMs ?? RESTART_DELAYS_MS[Math.min(failures.length + 1, RESTART_DELAYS_MS.length - 1)] ?? 1_000;
    h.waiting.add(producerId);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      h.waiting.delete(producerId);
      this.#schedule(h.hearingId);
    }, delay);
    this.#timers.add(timer);
  }

  // --- Disk space ----------------------------------------------------------------------------------

  async #freeBytes(): Promise<number> {
    const stats = await fs.promises.statfs(this.#options.dir);
    return stats.bavail * stats.bsize;
  }

  /** Rechecks free space; going low alerts the judge and clerk (once until it recovers). */
  async #updateDisk(h: HearingRecording, floor: Floor): Promise<void> {
    const free = await this.#freeBytes();
    const low = free < this.#options.minFreeBytes;
    if (low && !h.diskLow) {
      const now = this.#now();
      this.#logger.error({ hearingId: h.hearingId, free, minimum: this.#options.minFreeBytes }, 'recording disk low');
      await this.#db.transaction().execute(async (trx) => {
        await this.#options.floors.raiseAlert(trx, floor, { participantId: '' }, 'disk_low', now);
      });
    }
    h.diskLow = low;
  }

  async #checkDisks(): Promise<void> {
    for (const h of this.#hearings.values()) {
      if (h.state !== 'in_session') continue;
      const low = (await this.#freeBytes().catch(() => 0)) < this.#options.minFreeBytes;
      if (low !== h.diskLow) this.#schedule(h.hearingId);
    }
  }

  /** Refuses to start or resume a session that cannot be recorded, unless the judge goes on without. */
  readonly #gate: RecordingGate = async (trx, floor, actor, command, now) => {
    const free = await this.#freeBytes();
    if (free >= this.#options.minFreeBytes) return;
    const freeMb = Math.floor(free / 1_048_576);
    const minimumMb = Math.ceil(this.#options.minFreeBytes / 1_048_576);
    if (!command.withoutRecording) {
      throw new AppError(
        'RECORDING_UNAVAILABLE',
        `the recording disk has ${freeMb} MB free, less than the ${minimumMb} MB a hearing needs: free space, or ${command.type} without recording`,
        { freeBytes: free, minFreeBytes: this.#options.minFreeBytes },
      );
    }
    const h = this.#hearing(floor.hearingId);
    h.waived = true;
    h.diskLow = true;
    await this.#audit(
      trx,
      RECORDING_AUDIT.withoutRecording,
      floor.hearingId,
      { command: command.type, freeBytes: free, minFreeBytes: this.#options.minFreeBytes, by: actorName(actor) },
      now,
    );
    await this.#openGap(
      floor.hearingId,
      null,
      null,
      'without_recording',
      `${command.type}: ${freeMb} MB free`,
      now,
      trx,
    );
  };

  // --- Restart -------------------------------------------------------------------------------------

  /**
   * Segments the previous run left open are finalized: those it was closing are measured as complete;
   * those it was writing are marked interrupted (stopped when their file was last written) and, in a
   * hearing still in session or paused, the gap until recording resumes is logged.
   */
  async #recover(): Promise<void> {
    const open = await this.#db
      .selectFrom('recording_segments')
      .selectAll()
      .where('status', '=', 'recording')
      .execute();
    for (const row of open) {
      if (row.stopped_ms !== null) {
        await this.#measure(row.id, 'complete');
        continue;
      }
      const file = path.join(this.#options.dir, row.file);
      const stoppedMs = await fs.promises.stat(file).then(
        (s) => Math.max(row.started_ms, Math.floor(s.mtimeMs)),
        () => row.started_ms,
      );
      await this.#db
        .updateTable('recording_segments')
        .set({ stopped_ms: stoppedMs, stop_reason: 'server_restart' })
        .where('id', '=', row.id)
        .execute();
      await this.#measure(row.id, 'interrupted');
      const hearing = await this.#db
        .selectFrom('hearings')
        .select('status')
        .where('id', '=', row.hearing_id)
        .executeTakeFirst();
      if (hearing?.status === 'in_session') {
        await this.#openGap(row.hearing_id, row.participant_id, row.kind, 'server_restart', null, stoppedMs);
      }
      this.#logger.warn(
        { segmentId: row.id, hearingId: row.hearing_id },
        'segment left open by the previous run finalized',
      );
    }
  }

  async #audit(
    trx: Transaction<DB>,
    action: string,
    hearingId: string,
    details: Record<string, unknown>,
    now: number,
  ): Promise<void> {
    await appendAudit(
      trx,
      this.#options.dialect,
      { actor: 'system', action, subject: `hearing:${hearingId}`, details },
      now,
    );
  }
}
