import type { Device, types as msc } from 'mediasoup-client';
import { z } from 'zod';
import type { ErrorBody } from '../../../shared/errors.js';
import type { DeviceStatus, FloorState, StatsReport } from '../../../shared/floor.js';
import type { Hearing, Participant } from '../../../shared/hearing.js';
import {
  DtlsParametersSchema,
  type EventName,
  type EventOf,
  EventSchemas,
  type MediaSource,
  type PeerInfo,
  type ProducerInfo,
  type RequestName,
  type ResponseOf,
  RtpParametersSchema,
  TransportInfoSchema,
} from '../../../shared/signaling.js';
import type { Connection } from './Connection.js';
import { checkInFor, forgetCheckIn } from './checkIn.js';
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
}

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
}

/** How many alerts a session keeps for display. */
const MAX_ALERTS = 5;

/** How often a joined session reports its connection statistics to the server. */
export const STATS_INTERVAL_MS = 5000;

interface Remote {
  participant: Participant;
  producers: Map<string, ProducerInfo>;
  stream: MediaStream;
}

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
};

/**
 * The live side of a participant's connection to a hearing: the socket, the mediasoup-client Device,
 * its two transports, the local camera/microphone producers and the consumers of everyone else.
 * React components read a serializable snapshot through `subscribe`/`snapshot` and get MediaStreams
 * by participant id; nothing live is kept in React state.
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
  readonly #consumers = new Map<string, { consumer: msc.Consumer; participantId: string }>();
  readonly #remotes = new Map<string, Remote>();
  #localStream: MediaStream | null = null;
  #snapshot: SessionSnapshot = INITIAL_SNAPSHOT;
  readonly #listeners = new Set<() => void>();
  /** Increments on every (re)join so that work of an abandoned attempt stops touching state. */
  #generation = 0;
  #statsTimer: ReturnType<typeof setInterval> | null = null;
  /** Byte and packet counters of the previous stats report, for rates over the interval. */
  #lastCounters: { atMs: number; sent: number; received: number; packets: number; lost: number } | null = null;

  constructor(options: { connection: Connection; hearingId: string; participantId: string }) {
    this.#connection = options.connection;
    this.hearingId = options.hearingId;
    this.participantId = options.participantId;
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
      camera: this.#deviceStatus('video'),
      microphone: this.#deviceStatus('audio'),
    };
  }

  #deviceStatus(kind: 'audio' | 'video'): DeviceStatus {
    const error = this.#snapshot.localMediaError;
    if (error === 'NotAllowedError' || error === 'SecurityError') return 'blocked';
    const track = this.#localStream?.getTracks().find((t) => t.kind === kind);
    if (!track || track.readyState === 'ended') return 'missing';
    return 'ok';
  }

  async #openLocalMedia(): Promise<MediaStream | null> {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
        video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 25 } },
      });
      this.#localStream = stream;
      this.#update({ localMediaReady: true });
      return stream;
    } catch (error) {
      this.#update({ localMediaError: error instanceof Error ? error.name : 'UnknownError' });
      return null;
    }
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
      if (!current() || !stream) return;
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
      transport.on('produce', ({ kind, rtpParameters }, callback, errback) => {
        const source: MediaSource = kind === 'audio' ? 'microphone' : 'camera';
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
    this.#consumers.set(consumer.id, { consumer, participantId: info.participantId });
    const remote = this.#remotes.get(info.participantId);
    if (remote) {
      remote.stream.addTrack(consumer.track);
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
    });
  }

  #closeConsumer(consumerId: string): void {
    const entry = this.#consumers.get(consumerId);
    if (!entry) return;
    this.#consumers.delete(consumerId);
    this.#remotes.get(entry.participantId)?.stream.removeTrack(entry.consumer.track);
    entry.consumer.close();
  }

  #teardownMedia(): void {
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
