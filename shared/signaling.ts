/**
 * The socket.io signaling contract between the hearing server and every client (judge desk, kiosk).
 *
 * Every client → server event is a request answered through a socket.io acknowledgement with
 * `Ack<T>`; every payload is parsed with the zod schema of the same name before the server uses it.
 * RTP objects (capabilities, parameters) are checked for shape here; mediasoup validates their
 * content and a rejection comes back as BAD_REQUEST.
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorBody } from './errors.js';
import {
  AlertKindSchema,
  DocumentCameraRequestSchema,
  FloorCommandRequestSchema,
  FloorParticipantRequestSchema,
  FloorStateSchema,
  HandRequestSchema,
  HelpRequestSchema,
  ReadyRequestSchema,
  ShowDocumentRequestSchema,
  SpotlightRequestSchema,
  StatsReportSchema,
  TranscriptSaveRequestSchema,
  TranscriptSchema,
  TranscriptSignatureInfoSchema,
  TranscriptSignRequestSchema,
} from './floor.js';
import { HearingSchema, IdSchema, ParticipantSchema } from './hearing.js';

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type AckCallback<T> = (response: Ack<T>) => void;

/** Longest time a client waits for an acknowledgement. */
export const REQUEST_TIMEOUT_MS = 10_000;

// --- RTP / DTLS / ICE shapes (wire format of mediasoup and mediasoup-client) -----------------------

const MediaKindSchema = z.enum(['audio', 'video']);
export type MediaKind = z.infer<typeof MediaKindSchema>;

const RtcpFeedbackSchema = z.looseObject({ type: z.string().max(64), parameter: z.string().max(64).optional() });
const CodecParametersSchema = z.record(z.string().max(64), z.union([z.string().max(256), z.number()]));

export const RtpCapabilitiesSchema = z.looseObject({
  codecs: z
    .array(
      z.looseObject({
        kind: MediaKindSchema,
        mimeType: z.string().max(64),
        clockRate: z.number().int().positive(),
        preferredPayloadType: z.number().int().min(0).max(127).optional(),
        channels: z.number().int().positive().optional(),
        parameters: CodecParametersSchema.optional(),
        rtcpFeedback: z.array(RtcpFeedbackSchema).max(32).optional(),
      }),
    )
    .max(64)
    .optional(),
  headerExtensions: z
    .array(z.looseObject({ uri: z.string().max(256), preferredId: z.number().int() }))
    .max(64)
    .optional(),
});

export const RtpParametersSchema = z.looseObject({
  mid: z.string().max(32).optional(),
  codecs: z
    .array(
      z.looseObject({
        mimeType: z.string().max(64),
        payloadType: z.number().int().min(0).max(127),
        clockRate: z.number().int().positive(),
        channels: z.number().int().positive().optional(),
        parameters: CodecParametersSchema.optional(),
        rtcpFeedback: z.array(RtcpFeedbackSchema).max(32).optional(),
      }),
    )
    .min(1)
    .max(16),
  headerExtensions: z
    .array(z.looseObject({ uri: z.string().max(256), id: z.number().int() }))
    .max(32)
    .optional(),
  encodings: z
    .array(z.looseObject({ ssrc: z.number().int().nonnegative().optional() }))
    .max(8)
    .optional(),
  rtcp: z.looseObject({ cname: z.string().max(256).optional() }).optional(),
});

export const DtlsParametersSchema = z.object({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(
      z.object({
        algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
        value: z.string().regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})+$/),
      }),
    )
    .min(1)
    .max(8),
});

// --- Requests (client → server) ---------------------------------------------------------------

export const JoinRequestSchema = z.object({
  hearingId: IdSchema,
  participantId: IdSchema,
  /**
   * At a kiosk, the first time: the last digits of the participant's ID number as the villager typed
   * them, and the site operator's PIN confirming who they are. A participant already checked in at
   * this kiosk (a reload, a dropped connection) rejoins without it.
   */
  checkIn: z
    .object({
      idTail: z.string().min(1).max(8),
      operatorPin: z
        .string()
        .regex(/^[0-9]{4,8}$/, 'the operator PIN is 4 to 8 digits')
        .optional(),
    })
    .optional(),
});
export type JoinRequest = z.infer<typeof JoinRequestSchema>;

export const TransportDirectionSchema = z.enum(['send', 'recv']);
export type TransportDirection = z.infer<typeof TransportDirectionSchema>;

export const CreateTransportRequestSchema = z.object({ direction: TransportDirectionSchema });
export const ConnectTransportRequestSchema = z.object({
  transportId: z.uuid(),
  dtlsParameters: DtlsParametersSchema,
});

/**
 * What a producer carries: the participant's camera and microphone, and the kiosk hall's document
 * camera (实物展台, a second video source for showing evidence), produced only while the judge asks
 * that kiosk to show it.
 */
export const MediaSourceSchema = z.enum(['camera', 'microphone', 'document']);
export type MediaSource = z.infer<typeof MediaSourceSchema>;

export const ProduceRequestSchema = z.object({
  transportId: z.uuid(),
  kind: MediaKindSchema,
  source: MediaSourceSchema,
  rtpParameters: RtpParametersSchema,
});
export const ConsumeRequestSchema = z.object({
  producerId: z.uuid(),
  rtpCapabilities: RtpCapabilitiesSchema,
});
export const ConsumerRequestSchema = z.object({ consumerId: z.uuid() });
export const ProducerRequestSchema = z.object({ producerId: z.uuid() });

// --- Data sent by the server (parsed by the client with these schemas) -------------------------

export const ProducerInfoSchema = z.object({
  producerId: z.string(),
  participantId: z.string(),
  kind: MediaKindSchema,
  source: MediaSourceSchema,
  paused: z.boolean(),
});
export type ProducerInfo = z.infer<typeof ProducerInfoSchema>;

export const PeerInfoSchema = z.object({
  participant: ParticipantSchema,
  producers: z.array(ProducerInfoSchema),
});
export type PeerInfo = z.infer<typeof PeerInfoSchema>;

export const JoinResponseSchema = z.object({
  hearing: HearingSchema,
  self: ParticipantSchema,
  /** Everyone else connected at the moment of joining, with what they send. */
  peers: z.array(PeerInfoSchema),
  /** The hearing's live state as the server holds it. */
  floor: FloorStateSchema,
});
export type JoinResponse = z.infer<typeof JoinResponseSchema>;

const IceParametersSchema = z.looseObject({
  usernameFragment: z.string(),
  password: z.string(),
  iceLite: z.boolean().optional(),
});
const IceCandidateSchema = z.looseObject({
  foundation: z.string(),
  priority: z.number(),
  address: z.string(),
  protocol: z.enum(['udp', 'tcp']),
  port: z.number().int(),
  type: z.enum(['host', 'srflx', 'prflx', 'relay']),
  tcpType: z.enum(['active', 'passive', 'so']).optional(),
});

/** What mediasoup-client needs to build a transport. */
export const TransportInfoSchema = z.object({
  id: z.string(),
  iceParameters: IceParametersSchema,
  iceCandidates: z.array(IceCandidateSchema),
  dtlsParameters: DtlsParametersSchema,
});
export type TransportInfo = z.infer<typeof TransportInfoSchema>;

export const ConsumerInfoSchema = z.object({
  consumerId: z.string(),
  producerId: z.string(),
  participantId: z.string(),
  kind: MediaKindSchema,
  rtpParameters: RtpParametersSchema,
});
export type ConsumerInfo = z.infer<typeof ConsumerInfoSchema>;

export const EmptySchema = z.object({});
export type Empty = z.infer<typeof EmptySchema>;

export const LeaveReasonSchema = z.enum(['left', 'disconnected', 'replaced', 'server-shutdown']);
export type LeaveReason = z.infer<typeof LeaveReasonSchema>;

/** The data of each request's successful acknowledgement. */
export const ResponseSchemas = {
  'hearing:join': JoinResponseSchema,
  'hearing:leave': EmptySchema,
  'media:routerRtpCapabilities': z.object({ rtpCapabilities: RtpCapabilitiesSchema }),
  'media:createTransport': TransportInfoSchema,
  'media:connectTransport': EmptySchema,
  'media:produce': z.object({ producerId: z.string() }),
  'media:consume': ConsumerInfoSchema,
  'media:resumeConsumer': EmptySchema,
  'media:pauseProducer': EmptySchema,
  'media:resumeProducer': EmptySchema,
  'media:closeProducer': EmptySchema,
  'floor:command': FloorStateSchema,
  'floor:participant': FloorStateSchema,
  'floor:muteAll': FloorStateSchema,
  'floor:spotlight': FloorStateSchema,
  'floor:ready': FloorStateSchema,
  'floor:hand': FloorStateSchema,
  'floor:help': FloorStateSchema,
  'floor:stats': EmptySchema,
  'floor:documentCamera': FloorStateSchema,
  'floor:showDocument': FloorStateSchema,
  'transcript:get': TranscriptSchema,
  'transcript:save': TranscriptSchema,
  'transcript:sign': TranscriptSignatureInfoSchema,
} as const;

/** The payload schema of each request that carries one (the others take `{}`). */
export const RequestSchemas = {
  'floor:command': FloorCommandRequestSchema,
  'floor:participant': FloorParticipantRequestSchema,
  'floor:spotlight': SpotlightRequestSchema,
  'floor:ready': ReadyRequestSchema,
  'floor:hand': HandRequestSchema,
  'floor:help': HelpRequestSchema,
  'floor:stats': StatsReportSchema,
  'floor:documentCamera': DocumentCameraRequestSchema,
  'floor:showDocument': ShowDocumentRequestSchema,
  'transcript:save': TranscriptSaveRequestSchema,
  'transcript:sign': TranscriptSignRequestSchema,
} as const;

export type RequestName = keyof typeof ResponseSchemas;
export type ResponseOf<E extends RequestName> = z.infer<(typeof ResponseSchemas)[E]>;

/** Payloads the server pushes, parsed by the client before use. */
export const EventSchemas = {
  'participant:joined': PeerInfoSchema,
  'participant:left': z.object({ participantId: z.string(), reason: LeaveReasonSchema }),
  'producer:new': ProducerInfoSchema,
  'producer:closed': z.object({ producerId: z.string(), participantId: z.string() }),
  'producer:paused': z.object({ producerId: z.string(), participantId: z.string(), paused: z.boolean() }),
  'consumer:closed': z.object({ consumerId: z.string() }),
  'hearing:removed': z.object({ reason: LeaveReasonSchema }),
  /** The hearing's live state after a change; sent to everyone in the hearing. */
  'floor:state': FloorStateSchema,
  /**
   * To one kiosk only: the judge asks it to show its document camera (`show: true`) or to stop. On a
   * stop the server has already closed the document stream; the kiosk releases the camera.
   */
  'document:show': z.object({ show: z.boolean() }),
  /** The clerk saved a new transcript version. */
  'transcript:saved': z.object({ version: z.number().int().positive(), sha256: z.string() }),
  /** An alert of this hearing (a recorder failed, the recording disk is full…), to the judge and clerk. */
  'alert:raised': z.object({
    kind: AlertKindSchema,
    /** The participant concerned; null for the hearing as a whole. */
    participantId: z.string().nullable(),
    raisedAt: z.string(),
  }),
} as const;

export type EventName = keyof typeof EventSchemas;
export type EventOf<E extends EventName> = z.infer<(typeof EventSchemas)[E]>;

export const AckErrorSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });
/** The envelope of every acknowledgement; `data` is then parsed with the request's response schema. */
export const AckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: AckErrorSchema }),
]);

// --- The typed socket.io event maps ---------------------------------------------------------------

type Request<E extends RequestName> = (payload: unknown, ack: AckCallback<ResponseOf<E>>) => void;

export type ClientToServerEvents = { [E in RequestName]: Request<E> };

export type ServerToClientEvents = { [E in EventName]: (event: EventOf<E>) => void };

/** What a connection presents in its handshake (`auth`): a user's session token or a kiosk's credential. */
export const HandshakeAuthSchema = z.union([
  z.object({ token: z.string().min(1).max(4096) }),
  z.object({ kioskCredential: z.string().min(1).max(256) }),
  z.object({}),
]);

/** What the server remembers about a connection (for logs); live objects stay server-side. */
export interface SocketData {
  hearingId?: string;
  participantId?: string;
}
