import { EventEmitter } from 'node:events';
import type { types as ms } from 'mediasoup';
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
import { AppError, BadRequestError, InvalidStateError, NotFoundError } from '../errors.js';
import type { Logger } from '../logger.js';

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
 * a producer per source (camera, microphone) and the consumers of the other participants' producers.
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
    const producer = await mediasoupCall('produce', () =>
      transport.produce({ kind, rtpParameters, appData: { source, participantId: this.participant.id } }),
    );
    if (this.#closed) {
      producer.close();
      this.#assertOpen();
    }
    this.#producers.set(producer.id, { producer, source });
    const info = (): ProducerInfo => this.#producerInfo(producer, source);
    producer.observer.once('close', () => {
      this.#producers.delete(producer.id);
      this.emit('producerClosed', info());
    });
    producer.observer.on('pause', () => this.emit('producerPaused', info()));
    producer.observer.on('resume', () => this.emit('producerPaused', info()));
    this.#logger.debug({ producerId: producer.id, kind, source }, 'produce');
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

  async resumeConsumer(consumerId: string): Promise<void> {
    this.#assertOpen();
    const consumer = this.#consumers.get(consumerId);
    if (!consumer) throw new NotFoundError(`no consumer ${consumerId} in your session`);
    await mediasoupCall('resume consumer', () => consumer.resume());
  }

  async setProducerPaused(producerId: string, paused: boolean): Promise<void> {
    this.#assertOpen();
    const entry = this.#producers.get(producerId);
    if (!entry) throw new NotFoundError(`no producer ${producerId} in your session`);
    await mediasoupCall(paused ? 'pause producer' : 'resume producer', () =>
      paused ? entry.producer.pause() : entry.producer.resume(),
    );
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
