import { EventEmitter } from 'node:events';
import type { Hearing } from '../../shared/hearing.js';
import { NotFoundError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { WorkerPool } from '../media/WorkerPool.js';
import { Room } from './Room.js';

/** The open rooms by hearing id; a room is created on its first join and dropped when it closes. */
export interface RoomRegistryEvents {
  opened: [Room];
}

export class RoomRegistry extends EventEmitter<RoomRegistryEvents> {
  readonly #rooms = new Map<string, Room>();
  readonly #opening = new Map<string, Promise<Room>>();
  readonly #pool: WorkerPool;
  readonly #logger: Logger;
  #closed = false;

  constructor(pool: WorkerPool, logger: Logger) {
    super();
    this.#pool = pool;
    this.#logger = logger;
  }

  get rooms(): Room[] {
    return [...this.#rooms.values()];
  }

  room(hearingId: string): Room | undefined {
    return this.#rooms.get(hearingId);
  }

  /** The open room of a hearing, creating it (and its router) if needed. */
  async open(hearing: Hearing): Promise<Room> {
    const hearingId = hearing.id;
    if (this.#closed) throw new NotFoundError('the server is shutting down');
    const existing = this.#rooms.get(hearingId);
    if (existing && !existing.closed) return existing;
    const pending = this.#opening.get(hearingId);
    if (pending) return pending;

    const opening = this.#pool
      .createRouter({ hearingId })
      .then(({ router, webRtcServer }) => {
        const room = new Room({ hearing, router, webRtcServer, logger: this.#logger });
        this.#rooms.set(hearingId, room);
        room.once('closed', () => {
          if (this.#rooms.get(hearingId) === room) this.#rooms.delete(hearingId);
        });
        if (this.#closed) room.close();
        else this.emit('opened', room);
        return room;
      })
      .finally(() => this.#opening.delete(hearingId));
    this.#opening.set(hearingId, opening);
    return opening;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const room of this.#rooms.values()) room.close();
    this.#rooms.clear();
  }
}
