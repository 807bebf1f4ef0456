import { EventEmitter } from 'node:events';
import type { types as ms } from 'mediasoup';
import type { Hearing, Participant } from '../../shared/hearing.js';
import type { LeaveReason, PeerInfo } from '../../shared/signaling.js';
import { NotFoundError } from '../errors.js';
import type { Logger } from '../logger.js';
import { type Notify, Peer } from './Peer.js';

export interface RoomEvents {
  /** A producer was added or closed, or a peer joined or left (the recorder looks again). */
  media: [];
  closed: [];
}

interface RoomOptions {
  hearing: Hearing;
  router: ms.Router;
  webRtcServer: ms.WebRtcServer;
  logger: Logger;
}

/**
 * The live media side of one hearing: its mediasoup router and the connected participants.
 * The room tells every other peer when someone joins, leaves, starts, pauses or stops a stream, and
 * closes (with its router) when the last peer has gone.
 */
export class Room extends EventEmitter<RoomEvents> {
  readonly hearing: Hearing;
  readonly router: ms.Router;
  readonly #webRtcServer: ms.WebRtcServer;
  readonly #logger: Logger;
  readonly #peers = new Map<string, Peer>();
  #closed = false;

  constructor(options: RoomOptions) {
    super();
    this.hearing = options.hearing;
    this.router = options.router;
    this.#webRtcServer = options.webRtcServer;
    this.#logger = options.logger.child({ hearingId: options.hearing.id });
    this.router.observer.once('close', () => this.close());
  }

  get closed(): boolean {
    return this.#closed;
  }

  get peers(): Peer[] {
    return [...this.#peers.values()];
  }

  peer(participantId: string): Peer | undefined {
    return this.#peers.get(participantId);
  }

  /**
   * Adds a participant of this hearing. A participant who is already connected (a kiosk that
   * reconnected, a judge who opened a second window) replaces the earlier connection.
   */
  join(participantId: string, notify: Notify): { peer: Peer; others: PeerInfo[] } {
    if (this.#closed) throw new NotFoundError('this hearing is no longer open; join again');
    const participant = this.hearing.participants.find((p) => p.id === participantId);
    if (!participant) {
      throw new NotFoundError(`participant ${participantId} is not booked into hearing ${this.hearing.id}`);
    }
    const previous = this.#peers.get(participantId);
    if (previous) {
      previous.notify('hearing:removed', { reason: 'replaced' });
      previous.close('replaced');
    }

    const others = this.peers.map((p) => peerInfo(p));
    const peer = new Peer({
      participant,
      router: this.router,
      webRtcServer: this.#webRtcServer,
      notify,
      logger: this.#logger,
    });
    this.#peers.set(participantId, peer);
    this.#wire(peer, participant);
    this.#broadcast(peer, (other) => other.notify('participant:joined', peerInfo(peer)));
    this.#logger.info({ participantId, peers: this.#peers.size }, 'join');
    return { peer, others };
  }

  /** A producer of another participant of this room, for consuming. */
  findProducer(producerId: string, consumer: Peer): ms.Producer {
    for (const peer of this.#peers.values()) {
      if (peer === consumer) continue;
      const producer = peer.findProducer(producerId);
      if (producer) return producer;
    }
    throw new NotFoundError(`no stream ${producerId} in this hearing`);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const peer of this.#peers.values()) peer.close('server-shutdown');
    this.#peers.clear();
    this.router.close();
    this.#logger.info('room closed');
    this.emit('closed');
  }

  #wire(peer: Peer, participant: Participant): void {
    peer.on('producer', (_producer, info) => {
      this.#broadcast(peer, (other) => other.notify('producer:new', info));
      this.emit('media');
    });
    peer.on('producerPaused', (info) =>
      this.#broadcast(peer, (other) =>
        other.notify('producer:paused', {
          producerId: info.producerId,
          participantId: info.participantId,
          paused: info.paused,
        }),
      ),
    );
    peer.on('producerClosed', (info) => {
      this.emit('media');
      if (peer.closed) return; // participant:left says it all
      this.#broadcast(peer, (other) =>
        other.notify('producer:closed', { producerId: info.producerId, participantId: info.participantId }),
      );
    });
    peer.once('closed', (reason: LeaveReason) => {
      if (this.#peers.get(participant.id) === peer) this.#peers.delete(participant.id);
      this.emit('media');
      this.#broadcast(peer, (other) => other.notify('participant:left', { participantId: participant.id, reason }));
      // A replaced peer's successor is about to be added: the room stays.
      if (this.#peers.size === 0 && reason !== 'replaced') this.close();
    });
  }

  #broadcast(from: Peer, send: (other: Peer) => void): void {
    for (const other of this.#peers.values()) {
      if (other !== from && !other.closed) send(other);
    }
  }
}

function peerInfo(peer: Peer): PeerInfo {
  return { participant: peer.participant, producers: peer.producerInfos() };
}
