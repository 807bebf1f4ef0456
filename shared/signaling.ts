/**
 * The socket.io signaling contract between the hearing server and every client (judge desk, kiosk).
 *
 * Every client → server event is a request answered through a socket.io acknowledgement with
 * `Ack<T>`; every payload is parsed with the zod schema of the same name before the server uses it.
 * RTP objects (capabilities, parameters) are checked for shape here; mediasoup validates their
 * content and a rejection comes back as BAD_REQUEST.
 */
import { z } from 'zod';
import type { ErrorBody } from './errors.js';
import { type Hearing, IdSchema, type Participant } from './hearing.js';

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
  encodings: z.array(z.looseObject({ ssrc: z.number().int().nonnegative().optional() })).max(8).optional(),
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

export const JoinRequestSchema = z.object({ hearingId: IdSchema, participantId: IdSchema });
export type JoinRequest = z.infer<typeof JoinRequestSchema>;

export const TransportDirectionSchema = z.enum(['send', 'recv']);
export type TransportDirection = z.infer<typeof TransportDirectionSchema>;

export const CreateTransportRequestSchema = z.object({ direction: TransportDirectionSchema });
export const ConnectTransportRequestSchema = z.object({
  transportId: z.uuid(),
  dtlsParameters: DtlsParametersSchema,
});

/** What a producer carries; a second video source (document camera) comes with the kiosk issue. */
export const MediaSourceSchema = z.enum(['camera', 'microphone']);
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

// --- Data sent by the server --------------------------------------------------------------------

export interface ProducerInfo {
  producerId: string;
  participantId: string;
  kind: MediaKind;
  source: MediaSource;
  paused: boolean;
}

export interface PeerInfo {
  participant: Participant;
  producers: ProducerInfo[];
}

export interface JoinResponse {
  hearing: Hearing;
  self: Participant;
  /** Everyone else connected at the moment of joining, with what they send. */
  peers: PeerInfo[];
}

/** What mediasoup-client needs to build a transport; RTP/ICE/DTLS objects are mediasoup's own. */
export interface TransportInfo {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown[];
  dtlsParameters: unknown;
}

export interface ConsumerInfo {
  consumerId: string;
  producerId: string;
  participantId: string;
  kind: MediaKind;
  rtpParameters: unknown;
}

export type Empty = Record<string, never>;

// --- The typed socket.io event maps ---------------------------------------------------------------

export interface ClientToServerEvents {
  'hearing:join': (payload: unknown, ack: AckCallback<JoinResponse>) => void;
  'hearing:leave': (payload: unknown, ack: AckCallback<Empty>) => void;
  'media:routerRtpCapabilities': (payload: unknown, ack: AckCallback<{ rtpCapabilities: unknown }>) => void;
  'media:createTransport': (payload: unknown, ack: AckCallback<TransportInfo>) => void;
  'media:connectTransport': (payload: unknown, ack: AckCallback<Empty>) => void;
  'media:produce': (payload: unknown, ack: AckCallback<{ producerId: string }>) => void;
  'media:consume': (payload: unknown, ack: AckCallback<ConsumerInfo>) => void;
  'media:resumeConsumer': (payload: unknown, ack: AckCallback<Empty>) => void;
  'media:pauseProducer': (payload: unknown, ack: AckCallback<Empty>) => void;
  'media:resumeProducer': (payload: unknown, ack: AckCallback<Empty>) => void;
  'media:closeProducer': (payload: unknown, ack: AckCallback<Empty>) => void;
}

export interface ServerToClientEvents {
  'participant:joined': (peer: PeerInfo) => void;
  'participant:left': (event: { participantId: string; reason: LeaveReason }) => void;
  'producer:new': (producer: ProducerInfo) => void;
  'producer:closed': (event: { producerId: string; participantId: string }) => void;
  'producer:paused': (event: { producerId: string; participantId: string; paused: boolean }) => void;
  /** The server closed one of this client's consumers (its producer went away). */
  'consumer:closed': (event: { consumerId: string }) => void;
  /** This client was removed from the hearing, e.g. because the same participant joined elsewhere. */
  'hearing:removed': (event: { reason: LeaveReason }) => void;
}

export type LeaveReason = 'left' | 'disconnected' | 'replaced' | 'server-shutdown';

export type RequestName = keyof ClientToServerEvents;

/** Data type of a request's successful acknowledgement. */
export type ResponseOf<E extends RequestName> = Parameters<ClientToServerEvents[E]>[1] extends AckCallback<infer T>
  ? T
  : never;

/** What the server remembers about a connection (for logs); live objects stay server-side. */
export interface SocketData {
  hearingId?: string;
  participantId?: string;
}
