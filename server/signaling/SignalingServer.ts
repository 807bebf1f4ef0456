import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import type { Principal } from '../../shared/accounts.js';
import type { FloorState } from '../../shared/floor.js';
import { toShanghaiIso } from '../../shared/scheduling.js';
import {
  type Ack,
  type ClientToServerEvents,
  ConnectTransportRequestSchema,
  ConsumeRequestSchema,
  ConsumerRequestSchema,
  CreateTransportRequestSchema,
  EmptySchema,
  HandshakeAuthSchema,
  JoinRequestSchema,
  ProduceRequestSchema,
  ProducerRequestSchema,
  type RequestName,
  RequestSchemas,
  type ResponseOf,
  type ServerToClientEvents,
  type SocketData,
} from '../../shared/signaling.js';
import type { AccountService } from '../auth/AccountService.js';
import { BadRequestError, InvalidStateError, NotFoundError, toErrorBody, UnauthorizedError } from '../errors.js';
import type { Floor, FloorService } from '../hearing/Floor.js';
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

/**
 * Biggest signaling message accepted: RTP capabilities of a browser are a few kilobytes; a transcript
 * save (MAX_TRANSCRIPT_CHARS) or a finger-drawn signature (MAX_SIGNATURE_BYTES) are the big ones.
 */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

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
  floors: FloorService;
  accounts: AccountService;
  logger: Logger;
}

/** socket.io signaling: one connection per client, at most one hearing joined per connection. */
export function attachSignaling(options: SignalingOptions): HearingIo {
  const { rooms, catalog, accounts, pool, floors } = options;
  const gate = new JoinGate({ operatorPinHash: (siteId) => accounts.operatorPinHash(siteId) });

  // Every change of a hearing's live state goes to everyone in it, and their media follows it.
  floors.on('changed', (floor, state) => {
    const room = rooms.room(floor.hearingId);
    if (!room) return;
    for (const peer of room.peers) {
      if (peer.closed) continue;
      peer.notify('floor:state', state);
      void peer.setHolds(floor.holdsFor(peer.participant.id));
    }
  });

  // Alerts of a hearing (a recorder failed, the disk is full) reach its judge and clerk at once.
  floors.on('alert', (alert) => {
    const room = rooms.room(alert.hearingId);
    if (!room) return;
    for (const peer of room.peers) {
      if (peer.closed || (peer.participant.role !== 'judge' && peer.participant.role !== 'clerk')) continue;
      peer.notify('alert:raised', {
        kind: alert.kind,
        participantId: alert.participantId || null,
        raisedAt: toShanghaiIso(alert.raisedMs),
      });
    }
  });

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
    let session: { room: Room; peer: Peer; floor: Floor; principal: Principal } | undefined;

    const requirePeer = (): { room: Room; peer: Peer; floor: Floor; principal: Principal } => {
      if (!session || session.peer.closed) throw new InvalidStateError('join the hearing first');
      return session;
    };
    /** A payload checked with the contract's schema of the request. */
    const payloadOf = <E extends keyof typeof RequestSchemas>(
      event: E,
      payload: unknown,
    ): z.infer<(typeof RequestSchemas)[E]> =>
      parse(RequestSchemas[event] as unknown as z.ZodType<z.infer<(typeof RequestSchemas)[E]>>, payload);

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

    /** Keeps the floor's record of who is connected in step with this connection's peer. */
    const track = (floor: Floor, peer: Peer, principal: Principal): void => {
      peer.once('closed', (reason) => {
        const participantId = peer.participant.id;
        const done =
          reason === 'left'
            ? floor.leave(participantId, principal)
            : reason === 'disconnected'
              ? floor.disconnect(participantId)
              : undefined; // replaced: the new connection carries on; shutdown: the state stays as it is
        done?.catch((error: unknown) => logger.error({ err: error, participantId }, 'floor update failed'));
      });
    };

    handle('hearing:join', async (payload) => {
      const { hearingId, participantId, checkIn } = parse(JoinRequestSchema, payload);
      const principal = await authenticate(socket.handshake.auth);
      const entry = await catalog.load(hearingId);
      if (!entry) throw new NotFoundError(`no hearing ${hearingId}; check the hearing number`);
      const floor = await floors.floor(entry);
      const { checkedInAt } = await gate.check(
        principal,
        entry,
        participantId,
        checkIn,
        floor.checkedInAt(participantId),
      );
      leave('left');
      const room = await rooms.open(entry.hearing);
      if (socket.disconnected) {
        if (room.peers.length === 0) room.close();
        throw new InvalidStateError('connection closed while joining');
      }
      // The server holds back what this participant may not send or receive yet before any stream exists.
      const { peer, others } = room.join(participantId, notify);
      session = { room, peer, floor, principal };
      socket.data.hearingId = hearingId;
      socket.data.participantId = participantId;
      peer.once('closed', () => {
        if (session?.peer === peer) session = undefined;
      });
      let state: FloorState;
      try {
        state = await floor.connect(participantId, principal, checkedInAt);
      } catch (error) {
        leave('left');
        throw error;
      }
      track(floor, peer, principal);
      await peer.setHolds(floor.holdsFor(participantId));
      return { hearing: room.hearing, self: peer.participant, peers: others, floor: state };
    });

    handle('hearing:leave', async () => {
      requirePeer();
      leave('left');
      return {};
    });

    handle('floor:command', async (payload) => {
      const { command } = payloadOf('floor:command', payload);
      const { floor, principal } = requirePeer();
      return floor.command(principal, command);
    });

    handle('floor:participant', async (payload) => {
      const { participantId, action } = payloadOf('floor:participant', payload);
      const { floor, principal } = requirePeer();
      return floor.participantAction(principal, participantId, action);
    });

    handle('floor:muteAll', async (payload) => {
      parse(EmptySchema, payload);
      const { floor, principal } = requirePeer();
      return floor.muteAll(principal);
    });

    handle('floor:spotlight', async (payload) => {
      const { participantId } = payloadOf('floor:spotlight', payload);
      const { floor, principal } = requirePeer();
      return floor.spotlight(principal, participantId);
    });

    handle('floor:ready', async (payload) => {
      const { selfTest } = payloadOf('floor:ready', payload);
      const { floor, peer, principal } = requirePeer();
      return floor.ready(peer.participant.id, principal, selfTest);
    });

    handle('floor:hand', async (payload) => {
      const { raised } = payloadOf('floor:hand', payload);
      const { floor, peer } = requirePeer();
      return floor.setHand(peer.participant.id, raised);
    });

    handle('floor:help', async (payload) => {
      const { requested } = payloadOf('floor:help', payload);
      const { floor, peer } = requirePeer();
      return floor.setHelp(peer.participant.id, requested);
    });

    handle('floor:stats', async (payload) => {
      const report = payloadOf('floor:stats', payload);
      const { floor, peer } = requirePeer();
      await floor.report(peer.participant.id, report);
      return {};
    });

    handle('floor:documentCamera', async (payload) => {
      const { available } = payloadOf('floor:documentCamera', payload);
      const { floor, peer, principal } = requirePeer();
      return floor.setDocumentCamera(peer.participant.id, principal, available);
    });

    handle('floor:showDocument', async (payload) => {
      const { participantId, show } = payloadOf('floor:showDocument', payload);
      const { floor, room, principal } = requirePeer();
      // Refused unless this is the hearing's judge and the participant can show it; the new holds are
      // on the participant's peer by the time this resolves, so the kiosk's document stream is welcome.
      const state = await floor.showDocument(principal, participantId, show);
      const target = room.peer(participantId);
      if (target && !target.closed) {
        target.notify('document:show', { show });
        logger.info({ hearingId: floor.hearingId, participantId, show }, 'document camera request forwarded');
      }
      return state;
    });

    handle('transcript:get', async (payload) => {
      parse(EmptySchema, payload);
      return requirePeer().floor.transcript();
    });

    handle('transcript:save', async (payload) => {
      const { text, baseVersion } = payloadOf('transcript:save', payload);
      const { floor, room, principal } = requirePeer();
      const saved = await floor.saveTranscript(principal, text, baseVersion);
      for (const peer of room.peers) peer.notify('transcript:saved', { version: saved.version, sha256: saved.sha256 });
      return saved;
    });

    handle('transcript:sign', async (payload) => {
      const request = payloadOf('transcript:sign', payload);
      const { floor, peer, principal } = requirePeer();
      return floor.sign(peer.participant.id, principal, request);
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
