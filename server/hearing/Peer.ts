import { EventEmitter } from 'node:events';
import type { types as ms } from 'mediasoup';
import { assertUnreachable } from '../../shared/errors.js';
import type { Participant } from '../../shared/hearing.js';
import type {
  ConsumerInfo,
  LeaveReason,
  MediaKind,
  MediaSource,
  ProducerInfo,
  ServerToClientEvents,
  TransportDirection,
  TransportInfo,
} from '../../shared/signaling.js';
import { AppError, BadRequestError, ForbiddenError, InvalidStateError, NotFoundError } from '../errors.js';
import type { Logger } from '../logger.js';
import { type MediaHolds, NO_HOLDS } from './Floor.js';

/** Sends one server → client event to this peer's connection. */
export type Notify = <E extends keyof ServerToClientEvents>(
  event: E,
  ...args: Parameters<ServerToClientEvents[E]>
) => void;

export interface PeerEvents {
  producer: [ms.Producer, ProducerInfo];
  producerClosed: [ProducerInfo];
  producerPaused: [ProducerInfo];
  closed: [LeaveReason];
}

interface PeerOptions {
  participant: Participant;
  router: ms.Router;
  webRtcServer: ms.WebRtcServer;
  notify: Notify;
  logger: Logger;
}

/**
 * One participant's media session in a hearing: at most one send and one receive WebRTC transport,
 * a producer per source (camera, microphone, and a kiosk's document camera while the judge has it
 * shown) and the consumers of the other participants' producers.
 *
 * Every async operation re-checks `closed` after its await: a connection that drops while a request is
 * in flight gets the new mediasoup object closed at once instead of leaking it.
 */
export class Peer extends EventEmitter<PeerEvents> {
  readonly participant: Participant;
  readonly #router: ms.Router;
  readonly #webRtcServer: ms.WebRtcServer;
  readonly #notify: Notify;
  readonly #logger: Logger;
  readonly #transports = new Map<string, ms.WebRtcTransport>();
  readonly #producers = new Map<string, { producer: ms.Producer; source: MediaSource }>();
  readonly #consumers = new Map<string, ms.Consumer>();
  #closed = false;
  /** What the server holds back (the judge's mute, not yet called in); the client cannot lift it. */
  #holds: MediaHolds = NO_HOLDS;
  /** Producers the client itself paused (its own mute button). */
  readonly #clientPaused = new Set<string>();
  /** Consumers the client asked to receive. */
  readonly #consumerWanted = new Set<string>();
  /** Pause/resume calls run one after another, so the last decision is the one that holds. */
  #applying: Promise<void> = Promise.resolve();

  constructor(options: PeerOptions) {
    super();
    this.participant = options.participant;
    this.#router = options.router;
    this.#webRtcServer = options.webRtcServer;
    this.#notify = options.notify;
    this.#logger = options.logger.child({ participantId: options.participant.id });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get notify(): Notify {
    return this.#notify;
  }

  get transportCount(): number {
    return this.#transports.size;
  }

  get consumerCount(): number {
    return this.#consumers.size;
  }

  producerInfos(): ProducerInfo[] {
    return [...this.#producers.values()].map(({ producer, source }) => this.#producerInfo(producer, source));
  }

  /** This participant's live producers with what each carries (for the recorder). */
  producerEntries(): { producer: ms.Producer; source: MediaSource }[] {
    return [...this.#producers.values()].filter(({ producer }) => !producer.closed);
  }

  findProducer(producerId: string): ms.Producer | undefined {
    return this.#producers.get(producerId)?.producer;
  }

  async createTransport(direction: TransportDirection): Promise<TransportInfo> {
    this.#assertOpen();
    if (this.#transportFor(direction)) {
      throw new InvalidStateError(`a ${direction} transport already exists for this participant`);
    }
    const transport = await this.#router.createWebRtcTransport({
      webRtcServer: this.#webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: 1_000_000,
      appData: { direction, participantId: this.participant.id },
    });
    if (this.#closed || this.#transportFor(direction)) {
      transport.close();
      this.#assertOpen();
      throw new InvalidStateError(`a ${direction} transport already exists for this participant`);
    }
    this.#transports.set(transport.id, transport);
    transport.observer.once('close', () => {
      this.#transports.delete(transport.id);
    });
    transport.on('dtlsstatechange', (state) => {
      if (state === 'failed' || state === 'closed') {
        this.#logger.warn({ transportId: transport.id, state }, 'transport DTLS ended');
      }
    });
    this.#logger.debug({ transportId: transport.id, direction }, 'createTransport');
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectTransport(transportId: string, dtlsParameters: ms.DtlsParameters): Promise<void> {
    const transport = this.#ownTransport(transportId);
    await mediasoupCall('connect transport', () => transport.connect({ dtlsParameters }));
  }

  async produce(
    transportId: string,
    kind: MediaKind,
    source: MediaSource,
    rtpParameters: ms.RtpParameters,
  ): Promise<ProducerInfo> {
    const transport = this.#ownTransport(transportId);
    if (transport.appData.direction !== 'send') {
      throw new BadRequestError('produce needs the send transport, not the receive transport');
    }
    if ([...this.#producers.values()].some((p) => p.source === source)) {
      throw new InvalidStateError(`this participant already sends a ${source} stream; close it first`);
    }
    if ((source === 'microphone') !== (kind === 'audio')) {
      throw new BadRequestError(`a ${source} source cannot carry ${kind}`);
    }
    // Evidence is shown when the judge asks for it, not whenever a client likes.
    if (source === 'document' && this.#holds.document !== null) {
      throw new ForbiddenError('the document camera is shown only while the judge asks for it');
    }
    const producer = await mediasoupCall('produce', () =>
      transport.produce({ kind, rtpParameters, appData: { source, participantId: this.participant.id } }),
    );
    if (this.#closed) {
      producer.close();
      this.#assertOpen();
    }
    if (source === 'document' && this.#holds.document !== null) {
      // The judge stopped it while the stream was being set up.
      producer.close();
      throw new ForbiddenError('the judge stopped showing the document camera');
    }
    this.#producers.set(producer.id, { producer, source });
    const info = (): ProducerInfo => this.#producerInfo(producer, source);
    producer.observer.once('close', () => {
      this.#producers.delete(producer.id);
      this.#clientPaused.delete(producer.id);
      this.emit('producerClosed', info());
    });
    producer.observer.on('pause', () => this.emit('producerPaused', info()));
    producer.observer.on('resume', () => this.emit('producerPaused', info()));
    this.#logger.debug({ producerId: producer.id, kind, source }, 'produce');
    // A held source starts paused, before anyone can consume it.
    if (this.#holdOf(source) !== null) await producer.pause();
    this.emit('producer', producer, info());
    return info();
  }

  /** Creates a paused consumer of another participant's producer on this peer's receive transport. */
  async consume(producer: ms.Producer, rtpCapabilities: ms.RtpCapabilities): Promise<ConsumerInfo> {
    this.#assertOpen();
    const transport = this.#transportFor('recv');
    if (!transport) throw new InvalidStateError('create a receive transport before consuming');
    if (!this.#router.canConsume({ producerId: producer.id, rtpCapabilities })) {
      throw new BadRequestError('your RTP capabilities cannot receive this stream');
    }
    const consumer = await mediasoupCall('consume', () =>
      transport.consume({ producerId: producer.id, rtpCapabilities, paused: true }),
    );
    if (this.#closed) {
      consumer.close();
      this.#assertOpen();
    }
    this.#consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => {
      this.#consumers.delete(consumer.id);
      this.#consumerWanted.delete(consumer.id);
    });
    consumer.on('producerclose', () => {
      this.#consumers.delete(consumer.id);
      if (!this.#closed) this.#notify('consumer:closed', { consumerId: consumer.id });
    });
    const participantId = producer.appData.participantId;
    return {
      consumerId: consumer.id,
      producerId: producer.id,
      participantId: typeof participantId === 'string' ? participantId : '',
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters,
    };
  }

  /** The client is ready to receive; while the server holds its reception, it stays paused until released. */
  async resumeConsumer(consumerId: string): Promise<void> {
    this.#assertOpen();
    const consumer = this.#consumers.get(consumerId);
    if (!consumer) throw new NotFoundError(`no consumer ${consumerId} in your session`);
    this.#consumerWanted.add(consumerId);
    await this.#apply();
  }

  /**
   * The client's own mute. Resuming a stream the server holds (the judge muted the participant, or
   * they are not called in yet) is refused: a modified client cannot talk over a mute.
   */
  async setProducerPaused(producerId: string, paused: boolean): Promise<void> {
    this.#assertOpen();
    const entry = this.#producers.get(producerId);
    if (!entry) throw new NotFoundError(`no producer ${producerId} in your session`);
    if (paused) {
      this.#clientPaused.add(producerId);
    } else {
      const hold = this.#holdOf(entry.source);
      if (hold === 'muted') throw new ForbiddenError('the judge has muted you; raise your hand to ask to speak');
      if (hold !== null) throw new ForbiddenError('you are not in the hearing yet; the judge will call you in');
      this.#clientPaused.delete(producerId);
    }
    await this.#apply();
  }

  get holds(): MediaHolds {
    return this.#holds;
  }

  /**
   * Sets what the server holds back from this participant and applies it to every stream now. A
   * document stream the judge no longer has shown is closed here, by the server: everyone's consumers
   * of it go, whatever the kiosk does.
   */
  async setHolds(holds: MediaHolds): Promise<void> {
    this.#holds = holds;
    if (this.#closed) return;
    if (holds.document !== null) {
      for (const { producer, source } of [...this.#producers.values()]) {
        if (source === 'document' && !producer.closed) {
          this.#logger.info({ producerId: producer.id }, 'document camera stream closed: no longer shown');
          producer.close();
        }
      }
    }
    await this.#apply();
  }

  /** What holds a source back now; the document camera also pauses with the camera (not in the hearing). */
  #holdOf(source: MediaSource): string | null {
    switch (source) {
      case 'microphone':
        return this.#holds.microphone;
      case 'camera':
        return this.#holds.camera;
      case 'document':
        return this.#holds.document ?? this.#holds.camera;
      default:
        return assertUnreachable(source);
    }
  }

  /** Brings every producer and consumer to the state the client's wishes and the server's holds give. */
  #apply(): Promise<void> {
    const run = this.#applying.then(async () => {
      if (this.#closed) return;
      const calls: Promise<void>[] = [];
      for (const [id, { producer, source }] of this.#producers) {
        const hold = this.#holdOf(source);
        const paused = this.#clientPaused.has(id) || hold !== null;
        if (producer.closed || producer.paused === paused) continue;
        calls.push(paused ? producer.pause() : producer.resume());
      }
      for (const [id, consumer] of this.#consumers) {
        const paused = !this.#consumerWanted.has(id) || this.#holds.receive;
        if (consumer.closed || consumer.paused === paused) continue;
        calls.push(paused ? consumer.pause() : consumer.resume());
      }
      const results = await Promise.allSettled(calls);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      // A stream closed meanwhile is no failure; anything else is the worker refusing.
      if (failed && !this.#closed) this.#logger.warn({ err: failed.reason }, 'pause/resume failed');
    });
    this.#applying = run.catch(() => undefined);
    return run;
  }

  closeProducer(producerId: string): void {
    this.#assertOpen();
    const entry = this.#producers.get(producerId);
    if (!entry) throw new NotFoundError(`no producer ${producerId} in your session`);
    entry.producer.close();
  }

  /** Closes every transport (and with them producers and consumers). Idempotent. */
  close(reason: LeaveReason): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const transport of this.#transports.values()) transport.close();
    this.#transports.clear();
    this.#producers.clear();
    this.#consumers.clear();
    this.#logger.info({ reason }, 'peer closed');
    this.emit('closed', reason);
  }

  #producerInfo(producer: ms.Producer, source: MediaSource): ProducerInfo {
    return {
      producerId: producer.id,
      participantId: this.participant.id,
      kind: producer.kind,
      source,
      paused: producer.paused,
    };
  }

  #assertOpen(): void {
    if (this.#closed) throw new InvalidStateError('you have left the hearing; join again');
  }

  #transportFor(direction: TransportDirection): ms.WebRtcTransport | undefined {
    return [...this.#transports.values()].find((t) => t.appData.direction === direction);
  }

  #ownTransport(transportId: string): ms.WebRtcTransport {
    this.#assertOpen();
    const transport = this.#transports.get(transportId);
    if (!transport) throw new NotFoundError(`no transport ${transportId} in your session`);
    return transport;
  }
}

/**
 * Runs a mediasoup call on client-supplied parameters. mediasoup rejects what it cannot accept
 * (TypeError, UnsupportedError, a worker-side refusal such as a second connect); those are the
 * client's to fix and come back as BAD_REQUEST, or INVALID_STATE when the object was closed meanwhile.
 */
async function mediasoupCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AppError || !(error instanceof Error)) throw error;
    if (error.name === 'InvalidStateError') throw new InvalidStateError(`${operation}: ${error.message}`);
    throw new BadRequestError(`${operation} refused: ${error.message}`);
  }
}
