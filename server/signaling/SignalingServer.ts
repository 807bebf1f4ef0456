import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import type { Principal } from '../../shared/accounts.js';
import {
  type Ack,
  type ClientToServerEvents,
  ConnectTransportRequestSchema,
  ConsumeRequestSchema,
  ConsumerRequestSchema,
  CreateTransportRequestSchema,
  HandshakeAuthSchema,
  JoinRequestSchema,
  ProduceRequestSchema,
  ProducerRequestSchema,
  type RequestName,
  type ResponseOf,
  type ServerToClientEvents,
  type SocketData,
} from '../../shared/signaling.js';
import type { AccountService } from '../auth/AccountService.js';
import { BadRequestError, InvalidStateError, NotFoundError, toErrorBody, UnauthorizedError } from '../errors.js';
import type { HearingCatalog } from '../hearing/HearingCatalog.js';
import { JoinGate } from '../hearing/JoinGate.js';
import type { Notify, Peer } from '../hearing/Peer.js';
import type { Room } from '../hearing/Room.js';
import type { RoomRegistry } from '../hearing/RoomRegistry.js';
import type { Logger } from '../logger.js';
import { MsDtlsParametersSchema, MsRtpCapabilitiesSchema, MsRtpParametersSchema } from '../media/rtp.js';
import type { WorkerPool } from '../media/WorkerPool.js';

type HearingSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type HearingIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Biggest signaling message accepted; RTP capabilities of a browser are a few kilobytes. */
const MAX_MESSAGE_BYTES = 64 * 1024;

const ProduceSchema = ProduceRequestSchema.extend({ rtpParameters: MsRtpParametersSchema });
const ConsumeSchema = ConsumeRequestSchema.extend({ rtpCapabilities: MsRtpCapabilitiesSchema });
const ConnectSchema = ConnectTransportRequestSchema.extend({ dtlsParameters: MsDtlsParametersSchema });

function parse<T>(schema: z.ZodType<T>, payload: unknown): T {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`)
      .join('; ');
    throw new BadRequestError(`malformed request (${issues})`);
  }
  return result.data;
}

interface SignalingOptions {
  httpServer: HttpServer;
  pool: WorkerPool;
  rooms: RoomRegistry;
  catalog: HearingCatalog;
  accounts: AccountService;
  logger: Logger;
}

/** socket.io signaling: one connection per client, at most one hearing joined per connection. */
export function attachSignaling(options: SignalingOptions): HearingIo {
  const { rooms, catalog, accounts, pool } = options;
  const gate = new JoinGate();

  /** Checked at every join, so a revoked kiosk or a disabled account cannot join again. */
  const authenticate = async (auth: unknown): Promise<Principal> => {
    const parsed = HandshakeAuthSchema.safeParse(auth);
    if (parsed.success && 'token' in parsed.data) return accounts.authenticateSession(parsed.data.token);
    if (parsed.success && 'kioskCredential' in parsed.data) {
      return accounts.authenticateKiosk(parsed.data.kioskCredential);
    }
    throw new UnauthorizedError('sign in (judges and clerks) or enroll this kiosk before joining a hearing');
  };
  const io: HearingIo = new Server(options.httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    cors: { origin: false },
  });

  io.on('connection', (socket: HearingSocket) => {
    const logger = options.logger.child({ socketId: socket.id });
    /** This connection's participant session, if it has joined. */
    let session: { room: Room; peer: Peer } | undefined;

    const requirePeer = (): { room: Room; peer: Peer } => {
      if (!session || session.peer.closed) throw new InvalidStateError('join the hearing first');
      return session;
    };

    const handle = <E extends RequestName>(event: E, run: (payload: unknown) => Promise<ResponseOf<E>>): void => {
      const listener = async (payload: unknown, ack: unknown): Promise<void> => {
        if (typeof ack !== 'function') {
          logger.warn({ event }, 'request without acknowledgement callback ignored');
          return;
        }
        let response: Ack<ResponseOf<E>>;
        try {
          response = { ok: true, data: await run(payload) };
        } catch (error) {
          const body = toErrorBody(error);
          if (body.code === 'INTERNAL') logger.error({ err: error, event }, 'request failed');
          else logger.debug({ event, code: body.code, message: body.message }, 'request refused');
          response = { ok: false, error: body };
        }
        ack(response);
      };
      // socket.io types listeners per event; every listener here takes (payload, ack) and checks both.
      socket.on(event as RequestName, listener as never);
    };

    const notify: Notify = (event, ...args) => {
      socket.emit(event, ...args);
    };

    const leave = (reason: 'left' | 'disconnected'): void => {
      if (!session) return;
      const { peer } = session;
      session = undefined;
      peer.close(reason);
    };

    handle('hearing:join', async (payload) => {
      const { hearingId, participantId, checkIn } = parse(JoinRequestSchema, payload);
      const principal = await authenticate(socket.handshake.auth);
      const entry = await catalog.load(hearingId);
      if (!entry) throw new NotFoundError(`no hearing ${hearingId}; check the hearing number`);
      gate.check(principal, entry, participantId, checkIn?.idTail);
      leave('left');
      const room = await rooms.open(entry.hearing);
      if (socket.disconnected) {
        if (room.peers.length === 0) room.close();
        throw new InvalidStateError('connection closed while joining');
      }
      const { peer, others } = room.join(participantId, notify);
      session = { room, peer };
      socket.data.hearingId = hearingId;
      socket.data.participantId = participantId;
      peer.once('closed', () => {
        if (session?.peer === peer) session = undefined;
      });
      return { hearing: room.hearing, self: peer.participant, peers: others };
    });

    handle('hearing:leave', async () => {
      requirePeer();
      leave('left');
      return {};
    });

    // Answered before joining too: clients prepare their Device while the operator is still choosing.
    handle('media:routerRtpCapabilities', async () => ({ rtpCapabilities: pool.rtpCapabilities }));

    handle('media:createTransport', async (payload) => {
      const { direction } = parse(CreateTransportRequestSchema, payload);
      return requirePeer().peer.createTransport(direction);
    });

    handle('media:connectTransport', async (payload) => {
      const { transportId, dtlsParameters } = parse(ConnectSchema, payload);
      await requirePeer().peer.connectTransport(transportId, dtlsParameters);
      return {};
    });

    handle('media:produce', async (payload) => {
      const { transportId, kind, source, rtpParameters } = parse(ProduceSchema, payload);
      const info = await requirePeer().peer.produce(transportId, kind, source, rtpParameters);
      return { producerId: info.producerId };
    });

    handle('media:consume', async (payload) => {
      const { producerId, rtpCapabilities } = parse(ConsumeSchema, payload);
      const { room, peer } = requirePeer();
      return peer.consume(room.findProducer(producerId, peer), rtpCapabilities);
    });

    handle('media:resumeConsumer', async (payload) => {
      const { consumerId } = parse(ConsumerRequestSchema, payload);
      await requirePeer().peer.resumeConsumer(consumerId);
      return {};
    });

    handle('media:pauseProducer', async (payload) => {
      const { producerId } = parse(ProducerRequestSchema, payload);
      await requirePeer().peer.setProducerPaused(producerId, true);
      return {};
    });

    handle('media:resumeProducer', async (payload) => {
      const { producerId } = parse(ProducerRequestSchema, payload);
      await requirePeer().peer.setProducerPaused(producerId, false);
      return {};
    });

    handle('media:closeProducer', async (payload) => {
      const { producerId } = parse(ProducerRequestSchema, payload);
      requirePeer().peer.closeProducer(producerId);
      return {};
    });

    socket.on('disconnect', (reason) => {
      logger.debug({ reason, participantId: socket.data.participantId }, 'disconnect');
      leave('disconnected');
    });
  });

  return io;
}
