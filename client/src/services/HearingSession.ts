import type { Device, types as msc } from 'mediasoup-client';
import { z } from 'zod';
import type { DeviceChoice } from '../../../shared/desktop.js';
import type { ErrorBody } from '../../../shared/errors.js';
import type { DeviceStatus, FloorState, StatsReport } from '../../../shared/floor.js';
import type { Hearing, Participant } from '../../../shared/hearing.js';
import {
  DtlsParametersSchema,
  type EventName,
  type EventOf,
  EventSchemas,
  type MediaSource,
  MediaSourceSchema,
  type PeerInfo,
  type ProducerInfo,
  type RequestName,
  type ResponseOf,
  RtpParametersSchema,
  TransportInfoSchema,
} from '../../../shared/signaling.js';
import type { Connection } from './Connection.js';
import { checkInFor, forgetCheckIn } from './checkIn.js';
import { documentConstraints, type InputKind, inputStatus, openChosenMedia } from './mediaDevices.js';
import { type ClientSocket, RequestError, request } from './signaling.js';

/*
 * Typed views of the wire objects for mediasoup-client: the shared schemas check the shape, and
 * mediasoup-client validates the content.
 */
const MscRtpParameters = z.custom<msc.RtpParameters>((v) => RtpParametersSchema.safeParse(v).success);
const MscTransportOptions = z.custom<Pick<msc.TransportOptions, 'id' | 'iceParameters' | 'iceCandidates'>>(
  (v) => TransportInfoSchema.safeParse(v).success,
);
const MscDtlsParameters = z.custom<msc.DtlsParameters>((v) => DtlsParametersSchema.safeParse(v).success);

export type SessionStatus = 'idle' | 'joining' | 'joined' | 'reconnecting' | 'left' | 'removed' | 'failed';

export interface RemoteView {
  participant: Participant;
  hasVideo: boolean;
  hasAudio: boolean;
  audioMuted: boolean;
  /** The participant's document camera is shown (see `remoteDocumentStream`). */
  hasDocument: boolean;
}

/**
 * This kiosk's document camera: not shown; being opened at the judge's request; shown; or it could
 * not be opened (the kiosk then tells the server it has none, and the judge sees so).
 */
export type DocumentShare = 'off' | 'starting' | 'on' | 'failed';

export interface SessionSnapshot {
  status: SessionStatus;
  error: ErrorBody | null;
  hearing: Hearing | null;
  self: Participant | null;
  remotes: RemoteView[];
  micMuted: boolean;
  /** Camera and microphone are open (the self view can show). */
  localMediaReady: boolean;
  /** The camera or microphone could not be opened; the participant still sees and hears the others. */
  localMediaError: string | null;
  /** The hearing's live state as the server last sent it (null before joining). */
  floor: FloorState | null;
  /** Alerts the server sent the judge and clerk in this session (a recorder failed, the disk is full), newest last. */
  alerts: EventOf<'alert:raised'>[];
  /** Chosen camera or microphone that was not there: the system default is used instead. */
  inputFallback: InputKind[];
  /** The speaker chosen for the court's sound (a MediaDeviceInfo.deviceId); null: the system default. */
  speakerId: string | null;
  /** This participant's own document camera. */
  document: DocumentShare;
}

/** How many alerts a session keeps for display. */
const MAX_ALERTS = 5;

/** How often a joined session reports its connection statistics to the server. */
export const STATS_INTERVAL_MS = 5000;

interface Remote {
  participant: Participant;
  producers: Map<string, ProducerInfo>;
  /** Camera and microphone. */
  stream: MediaStream;
  /** The document camera, a picture of its own. */
  document: MediaStream;
}

/** What the camera and microphone are asked for, whichever devices they are. */
const CAPTURE = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 25 } },
} satisfies { audio: MediaTrackConstraints; video: MediaTrackConstraints };

/** The snapshot of a session that has not started. */
export const INITIAL_SNAPSHOT: SessionSnapshot = {
  status: 'idle',
  error: null,
  hearing: null,
  self: null,
  remotes: [],
  micMuted: false,
  localMediaReady: false,
  localMediaError: null,
  floor: null,
  alerts: [],
  inputFallback: [],
  speakerId: null,
  document: 'off',
};

/**
 * The live side of a participant's connection to a hearing: the socket, the mediasoup-client Device,
 * its two transports, the local camera/microphone producers (and a kiosk's document camera while the
 * judge has it shown) and the consumers of everyone else. The devices are the ones the desktop shell's
 * operator chose, when there is a shell. React components read a serializable snapshot through
 * `subscribe`/`snapshot` and get MediaStreams by participant id; nothing live is kept in React state.
 */
export class HearingSession {
  readonly hearingId: string;
  readonly participantId: string;
  readonly #connection: Connection;
  /** The connection's socket while this session is started. */
  #socket: ClientSocket | null = null;
  /** Listeners this session added to the shared socket, removed when it leaves. */
  readonly #detach: Array<() => void> = [];
  #device: Device | null = null;
  #sendTransport: msc.Transport | null = null;
  #recvTransport: msc.Transport | null = null;
  #recvReady: Promise<msc.Transport> | null = null;
  readonly #producers = new Map<MediaSource, msc.Producer>();
  readonly #consumers = new Map<string, { consumer: msc.Consumer; participantId: string; source: MediaSource }>();
  readonly #remotes = new Map<string, Remote>();
  #localStream: MediaStream | null = null;
  /** The shell operator's choice of devices (null in a plain browser: the system defaults, no document camera). */
  #devices: DeviceChoice | null;
  /** The judge asks this kiosk to show its document camera (the latest word of the server). */
  #documentWanted = false;
  /** The document camera's own stream while it is open. */
  #documentStream: MediaStream | null = null;
  /** Increments whenever the document camera should stop, so that an opening in flight gives up. */
  #documentTurn = 0;
  #snapshot: SessionSnapshot = INITIAL_SNAPSHOT;
  readonly #listeners = new Set<() => void>();
  /** Increments on every (re)join so that work of an abandoned attempt stops touching state. */
  #generation = 0;
  #statsTimer: ReturnType<typeof setInterval> | null = null;
  /** Byte and packet counters of the previous stats report, for rates over the interval. */
  #lastCounters: { atMs: number; sent: number; received: number; packets: number; lost: number } | null = null;

  constructor(options: {
    connection: Connection;
    hearingId: string;
    participantId: string;
    /** The desktop shell's device choice; camera and microphone are opened with it when the session starts. */
    devices?: DeviceChoice | null;
  }) {
    this.#connection = options.connection;
    this.hearingId = options.hearingId;
    this.participantId = options.participantId;
    this.#devices = options.devices ?? null;
    this.#snapshot = { ...INITIAL_SNAPSHOT, speakerId: this.#devices?.speaker ?? null };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  snapshot = (): SessionSnapshot => this.#snapshot;

  get localStream(): MediaStream | null {
    return this.#localStream;
  }

  remoteStream(participantId: string): MediaStream | null {
    return this.#remotes.get(participantId)?.stream ?? null;
  }

  /** A participant's document camera as this session receives it. */
  remoteDocumentStream(participantId: string): MediaStream | null {
    return this.#remotes.get(participantId)?.document ?? null;
  }

  /** This kiosk's own document camera while it is shown. */
  get documentStream(): MediaStream | null {
    return this.#documentStream;
  }

  /**
   * The shell operator changed the devices. The speaker and the document camera follow at once;
   * camera and microphone are opened with the new choice at the next (re)join, not in the middle of
   * a hearing.
   */
  setDevices(devices: DeviceChoice | null): void {
    const before = this.#devices?.documentCamera ?? null;
    this.#devices = devices;
    const speakerId = devices?.speaker ?? null;
    if (speakerId !== this.#snapshot.speakerId) this.#update({ speakerId });
    const after = devices?.documentCamera ?? null;
    if (before === after) return;
    // Another document camera, or none: what is shown stops (on the server too), the server hears the
    // new answer, and the new camera is shown if the judge still asks for it.
    this.#stopDocument('off', true);
    const socket = this.#socket;
    if (socket && this.#snapshot.status === 'joined') {
      this.#declareDocumentCamera(socket);
      this.#syncDocument();
    }
  }

  /** Joins the hearing, starts sending camera and microphone and receiving everyone. */
  start(): void {
    if (this.#socket) return;
    // User Timing mark of the join call (read by npm run bench:join and visible in DevTools).
    performance.mark('hearing:join');
    const socket = this.#connection.socket;
    this.#socket = socket;
    this.#update({ status: 'joining', error: null });
    this.#listen(socket);
    const media = this.#openLocalMedia();
    const onConnect = (): void => {
      void this.#join(socket, media);
    };
    const onDisconnect = (): void => {
      this.#stopStats();
      this.#teardownMedia();
      if (this.#snapshot.status === 'joined' || this.#snapshot.status === 'joining') {
        this.#update({ status: 'reconnecting' });
      }
    };
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    this.#detach.push(
      () => socket.off('connect', onConnect),
      () => socket.off('disconnect', onDisconnect),
    );
    if (socket.connected) onConnect();
  }

  /** Leaves the hearing and releases camera and microphone; the connection stays. Idempotent. */
  async leave(): Promise<void> {
    const socket = this.#socket;
    if (!socket) return;
    this.#socket = null;
    this.#generation++;
    this.#stopStats();
    for (const detach of this.#detach.splice(0)) detach();
    this.#teardownMedia();
    for (const track of this.#localStream?.getTracks() ?? []) track.stop();
    this.#localStream = null;
    this.#documentWanted = false;
    this.#update({ localMediaReady: false });
    if (this.#snapshot.status !== 'removed' && this.#snapshot.status !== 'failed') {
      this.#update({ status: 'left' });
    }
    if (socket.connected) await request(socket, 'hearing:leave').catch(() => undefined);
  }

  async setMicMuted(muted: boolean): Promise<void> {
    const socket = this.#socket;
    const producer = this.#producers.get('microphone');
    if (!socket || !producer) {
      this.#update({ micMuted: muted });
      return;
    }
    if (muted) producer.pause();
    else producer.resume();
    this.#update({ micMuted: muted });
    await request(socket, muted ? 'media:pauseProducer' : 'media:resumeProducer', { producerId: producer.id });
  }

  /**
   * Sends a hearing request (a judge's command, a raised hand, a transcript save…) on this session's
   * connection; a FloorState in the answer becomes the shown state. Rejects with RequestError.
   */
  async request<E extends RequestName>(event: E, payload: unknown = {}): Promise<ResponseOf<E>> {
    const socket = this.#socket;
    if (!socket) throw new RequestError({ code: 'INVALID_STATE', message: 'not in a hearing' });
    const answer = await request(socket, event, payload);
    if (event.startsWith('floor:') && event !== 'floor:stats') this.#setFloor(answer as FloorState);
    return answer;
  }

  #setFloor(floor: FloorState): void {
    const shown = this.#snapshot.floor;
    if (shown && shown.hearingId === floor.hearingId && shown.revision > floor.revision) return;
    this.#update({ floor });
    // The floor says whether the judge has this kiosk's document camera shown (after a missed
    // 'document:show', too).
    const self = floor.participants.find((p) => p.participantId === this.participantId);
    if (self && self.showingDocument !== this.#documentWanted) {
      this.#documentWanted = self.showingDocument;
      this.#syncDocument();
    }
  }

  #startStats(socket: ClientSocket): void {
    this.#stopStats();
    this.#lastCounters = null;
    this.#statsTimer = setInterval(() => {
      void this.#collectStats()
        .then((report) => request(socket, 'floor:stats', report))
        .catch(() => {
          /* a report lost while reconnecting is replaced by the next one */
        });
    }, STATS_INTERVAL_MS);
  }

  #stopStats(): void {
    if (this.#statsTimer) clearInterval(this.#statsTimer);
    this.#statsTimer = null;
  }

  /** RTT, inbound loss and bitrates from the transports' WebRTC statistics, plus the devices' state. */
  async #collectStats(): Promise<StatsReport> {
    let rttMs: number | null = null;
    let sent = 0;
    let received = 0;
    let packets = 0;
    let lost = 0;
    for (const transport of [this.#sendTransport, this.#recvTransport]) {
      if (!transport || transport.closed) continue;
      const stats = await transport.getStats();
      stats.forEach((entry: Record<string, unknown>) => {
        const num = (key: string): number => (typeof entry[key] === 'number' ? (entry[key] as number) : 0);
        if (
          entry.type === 'candidate-pair' &&
          entry.nominated === true &&
          typeof entry.currentRoundTripTime === 'number'
        ) {
          rttMs = Math.max(rttMs ?? 0, Math.round(entry.currentRoundTripTime * 1000));
        }
        if (entry.type === 'outbound-rtp') sent += num('bytesSent');
        if (entry.type === 'inbound-rtp') {
          received += num('bytesReceived');
          packets += num('packetsReceived');
          lost += num('packetsLost');
        }
      });
    }
    const now = performance.now();
    const last = this.#lastCounters;
    this.#lastCounters = { atMs: now, sent, received, packets, lost };
    const seconds = last ? (now - last.atMs) / 1000 : 0;
    const rate = (bytes: number): number | null => (seconds > 0 ? Math.max(0, (bytes * 8) / 1000 / seconds) : null);
    const newPackets = last ? packets - last.packets : 0;
    const newLost = last ? Math.max(0, lost - last.lost) : 0;
    return {
      rttMs,
      packetLossPct: newPackets + newLost > 0 ? Math.min(100, (100 * newLost) / (newPackets + newLost)) : null,
      sendKbps: last ? rate(sent - last.sent) : null,
      recvKbps: last ? rate(received - last.received) : null,
      camera: this.#deviceStatus('camera'),
      microphone: this.#deviceStatus('microphone'),
    };
  }

  #deviceStatus(input: InputKind): DeviceStatus {
    const kind = input === 'camera' ? 'video' : 'audio';
    return inputStatus({
      error: this.#snapshot.localMediaError,
      track: this.#localStream?.getTracks().find((t) => t.kind === kind),
      fellBack: this.#snapshot.inputFallback.includes(input),
    });
  }

  /** Camera and microphone as the operator chose them, or the defaults when a chosen one is gone. */
  async #openLocalMedia(): Promise<MediaStream | null> {
    const choice = { camera: this.#devices?.camera ?? null, microphone: this.#devices?.microphone ?? null };
    try {
      const { stream, fallback } = await openChosenMedia(
        (constraints) => navigator.mediaDevices.getUserMedia(constraints),
        choice,
        CAPTURE,
      );
      this.#localStream = stream;
      this.#update({ localMediaReady: true, inputFallback: fallback });
      return stream;
    } catch (error) {
      this.#update({ localMediaError: error instanceof Error ? error.name : 'UnknownError' });
      return null;
    }
  }

  /** A kiosk tells the server whether it has a document camera, so that the judge can ask for it. */
  #declareDocumentCamera(socket: ClientSocket): void {
    if (this.#snapshot.self?.client !== 'kiosk') return;
    const available = (this.#devices?.documentCamera ?? null) !== null && this.#snapshot.document !== 'failed';
    request(socket, 'floor:documentCamera', { available }).then(
      (floor) => this.#setFloor(floor),
      () => {
        /* said again at the next join */
      },
    );
  }

  /**
   * Brings the document camera in line with the judge's wish: opened with the chosen device and sent
   * as the 'document' source while the judge has it shown, closed otherwise. The server closes the
   * stream on its side when the judge stops; here the camera is released.
   */
  #syncDocument(): void {
    const socket = this.#socket;
    const send = this.#sendTransport;
    const deviceId = this.#devices?.documentCamera ?? null;
    const want = this.#documentWanted && deviceId !== null && this.#snapshot.status === 'joined';
    if (!want) {
      if (this.#documentStream || this.#snapshot.document === 'starting' || this.#snapshot.document === 'on') {
        this.#stopDocument('off');
      }
      return;
    }
    // Shown already, being opened, or it failed (the judge asks again once the operator has fixed it).
    if (this.#snapshot.document !== 'off' || !socket || !send || send.closed) return;
    void this.#startDocument(socket, send, deviceId);
  }

  async #startDocument(socket: ClientSocket, send: msc.Transport, deviceId: string): Promise<void> {
    const turn = ++this.#documentTurn;
    const current = () => turn === this.#documentTurn && this.#socket === socket;
    this.#update({ document: 'starting' });
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia(documentConstraints(deviceId));
    } catch {
      if (!current()) return;
      // Gone or refused: no other camera stands in for it. The server hears there is none, so the
      // judge's desk stops offering it until the operator fixes it (or the kiosk joins again).
      this.#update({ document: 'failed' });
      this.#declareDocumentCamera(socket);
      return;
    }
    const track = stream.getVideoTracks()[0];
    if (!current() || !track) {
      for (const t of stream.getTracks()) t.stop();
      if (current()) this.#update({ document: 'failed' });
      return;
    }
    this.#documentStream = stream;
    try {
      const producer = await send.produce({ track, stopTracks: false, appData: { source: 'document' } });
      if (!current()) {
        producer.close();
        return;
      }
      this.#producers.set('document', producer);
      this.#update({ document: 'on' });
    } catch {
      // The judge stopped it meanwhile (the server refuses a document stream no longer asked for).
      if (current()) this.#stopDocument('off');
    }
  }

  /**
   * Closes the document camera's stream and releases the camera. `tellServer`: the kiosk stops it on
   * its own (another device chosen); when the judge stops it, the server has closed its side already.
   */
  #stopDocument(state: DocumentShare, tellServer = false): void {
    this.#documentTurn++;
    const producer = this.#producers.get('document');
    this.#producers.delete('document');
    const socket = this.#socket;
    if (tellServer && producer && !producer.closed && socket?.connected) {
      request(socket, 'media:closeProducer', { producerId: producer.id }).catch(() => undefined);
    }
    producer?.close();
    for (const track of this.#documentStream?.getTracks() ?? []) track.stop();
    this.#documentStream = null;
    if (this.#snapshot.document !== state) this.#update({ document: state });
  }

  async #join(socket: ClientSocket, media: Promise<MediaStream | null>): Promise<void> {
    const generation = ++this.#generation;
    const current = (): boolean => generation === this.#generation && this.#socket === socket;
    try {
      this.#update({ status: this.#snapshot.status === 'reconnecting' ? 'reconnecting' : 'joining' });
      const checkIn = checkInFor(this.hearingId, this.participantId);
      const [joined, device] = await Promise.all([
        request(socket, 'hearing:join', {
          hearingId: this.hearingId,
          participantId: this.participantId,
          ...(checkIn ? { checkIn } : {}),
        }),
        this.#connection.device(),
      ]);
      if (!current()) return;
      // The server now knows this participant checked in at this kiosk: a rejoin needs no PIN.
      if (checkIn) forgetCheckIn(this.hearingId, this.participantId);
      this.#device = device;
      this.#remotes.clear();
      for (const peer of joined.peers) this.#addRemote(peer);
      this.#update({ hearing: joined.hearing, self: joined.self, floor: joined.floor });
      this.#startStats(socket);
      // A new connection shows no document yet; a camera that failed before is worth another try.
      this.#documentWanted = false;
      if (this.#snapshot.document === 'failed') this.#update({ document: 'off' });
      this.#declareDocumentCamera(socket);

      // Receiving first: what the participant needs most is to see and hear the court.
      this.#recvReady = this.#createTransport(socket, device, 'recv');
      const recv = await this.#recvReady;
      if (!current()) return;
      // Video before audio: the first picture is what tells a villager the hearing has started.
      const existing = joined.peers
        .flatMap((p) => p.producers)
        .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'video' ? -1 : 1));
      await Promise.all(existing.map((p) => this.#consume(socket, device, recv, p)));
      if (!current()) return;
      this.#update({ status: 'joined', error: null });

      const [send, stream] = await Promise.all([this.#createTransport(socket, device, 'send'), media]);
      if (!current()) return;
      // The judge may have asked for the document camera while the send transport was being set up.
      this.#syncDocument();
      if (!stream) return;
      await this.#produceTracks(socket, send, stream);
    } catch (error) {
      if (!current()) return;
      const body: ErrorBody =
        error instanceof RequestError
          ? { code: error.code, message: error.message }
          : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
      this.#update({ status: 'failed', error: body });
    }
  }

  async #createTransport(socket: ClientSocket, device: Device, direction: 'send' | 'recv'): Promise<msc.Transport> {
    const info = await request(socket, 'media:createTransport', { direction });
    const options = {
      ...MscTransportOptions.parse(info),
      dtlsParameters: MscDtlsParameters.parse(info.dtlsParameters),
    };
    const transport = direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      request(socket, 'media:connectTransport', { transportId: transport.id, dtlsParameters }).then(
        () => callback(),
        (error: unknown) => errback(error instanceof Error ? error : new Error(String(error))),
      );
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        // The document camera says so in its appData; other tracks are the camera and the microphone.
        const named = MediaSourceSchema.safeParse(appData.source);
        const source: MediaSource = named.success ? named.data : kind === 'audio' ? 'microphone' : 'camera';
        request(socket, 'media:produce', { transportId: transport.id, kind, source, rtpParameters }).then(
          ({ producerId }) => callback({ id: producerId }),
          (error: unknown) => errback(error instanceof Error ? error : new Error(String(error))),
        );
      });
      this.#sendTransport = transport;
    } else {
      this.#recvTransport = transport;
    }
    return transport;
  }

  async #produceTracks(socket: ClientSocket, send: msc.Transport, stream: MediaStream): Promise<void> {
    const audio = stream.getAudioTracks()[0];
    const video = stream.getVideoTracks()[0];
    if (video) {
      this.#producers.set('camera', await send.produce({ track: video, stopTracks: false }));
    }
    if (audio) {
      const producer = await send.produce({ track: audio, stopTracks: false });
      this.#producers.set('microphone', producer);
      if (this.#snapshot.micMuted) {
        producer.pause();
        await request(socket, 'media:pauseProducer', { producerId: producer.id });
      }
    }
  }

  async #consume(socket: ClientSocket, device: Device, recv: msc.Transport, producer: ProducerInfo): Promise<void> {
    const info = await request(socket, 'media:consume', {
      producerId: producer.producerId,
      rtpCapabilities: device.rtpCapabilities,
    });
    const consumer = await recv.consume({
      id: info.consumerId,
      producerId: info.producerId,
      kind: info.kind,
      rtpParameters: MscRtpParameters.parse(info.rtpParameters),
    });
    this.#consumers.set(consumer.id, { consumer, participantId: info.participantId, source: producer.source });
    const remote = this.#remotes.get(info.participantId);
    if (remote) {
      // The document camera is a picture of its own, not a second video track of the participant's.
      (producer.source === 'document' ? remote.document : remote.stream).addTrack(consumer.track);
      remote.producers.set(producer.producerId, producer);
    }
    this.#emitRemotes();
    await request(socket, 'media:resumeConsumer', { consumerId: consumer.id });
  }

  #listen(socket: ClientSocket): void {
    const on = <E extends EventName>(event: E, handler: (payload: EventOf<E>) => void): void => {
      const schema = EventSchemas[event];
      const listener = (raw: unknown): void => {
        const parsed = schema.safeParse(raw);
        if (parsed.success) handler(parsed.data as EventOf<E>);
      };
      socket.on(event as EventName, listener);
      this.#detach.push(() => socket.off(event as EventName, listener));
    };
    on('participant:joined', (peer) => {
      this.#addRemote(peer);
      this.#emitRemotes();
    });
    on('participant:left', ({ participantId }) => {
      for (const [id, entry] of this.#consumers) {
        if (entry.participantId === participantId) this.#closeConsumer(id);
      }
      this.#remotes.delete(participantId);
      this.#emitRemotes();
    });
    on('producer:new', (producer) => {
      const device = this.#device;
      const recvReady = this.#recvReady;
      const remote = this.#remotes.get(producer.participantId);
      if (!device || !recvReady || !remote) return;
      remote.producers.set(producer.producerId, producer);
      void recvReady
        .then((recv) => this.#consume(socket, device, recv, producer))
        .catch(() => {
          /* the producer went away or we left meanwhile */
        });
    });
    on('producer:closed', ({ producerId, participantId }) => {
      this.#remotes.get(participantId)?.producers.delete(producerId);
      for (const [id, entry] of this.#consumers) {
        if (entry.consumer.producerId === producerId) this.#closeConsumer(id);
      }
      this.#emitRemotes();
    });
    on('producer:paused', ({ producerId, participantId, paused }) => {
      const info = this.#remotes.get(participantId)?.producers.get(producerId);
      if (info) info.paused = paused;
      this.#emitRemotes();
    });
    on('consumer:closed', ({ consumerId }) => {
      this.#closeConsumer(consumerId);
      this.#emitRemotes();
    });
    on('floor:state', (floor) => this.#setFloor(floor));
    on('document:show', ({ show }) => {
      this.#documentWanted = show;
      this.#syncDocument();
    });
    on('alert:raised', (alert) => this.#update({ alerts: [...this.#snapshot.alerts, alert].slice(-MAX_ALERTS) }));
    on('hearing:removed', () => {
      this.#update({ status: 'removed' });
      void this.leave();
    });
  }

  #addRemote(peer: PeerInfo): void {
    const existing = this.#remotes.get(peer.participant.id);
    if (existing) return;
    this.#remotes.set(peer.participant.id, {
      participant: peer.participant,
      producers: new Map(peer.producers.map((p) => [p.producerId, p])),
      stream: new MediaStream(),
      document: new MediaStream(),
    });
  }

  #closeConsumer(consumerId: string): void {
    const entry = this.#consumers.get(consumerId);
    if (!entry) return;
    this.#consumers.delete(consumerId);
    const remote = this.#remotes.get(entry.participantId);
    (entry.source === 'document' ? remote?.document : remote?.stream)?.removeTrack(entry.consumer.track);
    entry.consumer.close();
  }

  #teardownMedia(): void {
    this.#stopDocument(this.#snapshot.document === 'failed' ? 'failed' : 'off');
    for (const id of [...this.#consumers.keys()]) this.#closeConsumer(id);
    for (const producer of this.#producers.values()) producer.close();
    this.#producers.clear();
    this.#sendTransport?.close();
    this.#recvTransport?.close();
    this.#sendTransport = null;
    this.#recvTransport = null;
    this.#recvReady = null;
    this.#device = null;
    this.#remotes.clear();
    this.#emitRemotes();
  }

  #emitRemotes(): void {
    const remotes: RemoteView[] = [...this.#remotes.values()].map((remote) => {
      const producers = [...remote.producers.values()];
      const tracks = remote.stream.getTracks();
      return {
        participant: remote.participant,
        hasVideo: tracks.some((t) => t.kind === 'video'),
        hasAudio: tracks.some((t) => t.kind === 'audio'),
        audioMuted: producers.some((p) => p.kind === 'audio' && p.paused),
        hasDocument: remote.document.getVideoTracks().length > 0,
      };
    });
    this.#update({ remotes });
  }

  #update(patch: Partial<SessionSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...patch };
    this.#emit();
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }
}
