/**
 * The wire contract of the bare baseline: the smallest signaling mediasoup-client needs, as JSON
 * requests `POST /rpc {method, params}` answered with the result (or an HTTP error). Types only; the
 * bench trusts its own page and mediasoup validates what it is handed.
 */
import type { types as msc } from 'mediasoup-client';

export interface BareTransportInfo {
  id: string;
  iceParameters: msc.IceParameters;
  iceCandidates: msc.IceCandidate[];
  dtlsParameters: msc.DtlsParameters;
}

export interface BareConsumerInfo {
  id: string;
  producerId: string;
  kind: msc.MediaKind;
  rtpParameters: msc.RtpParameters;
}

type Empty = Record<string, never>;

/** Request parameters and result of each method. */
export interface BareRpc {
  routerRtpCapabilities: { params: Empty; result: { rtpCapabilities: msc.RtpCapabilities } };
  createTransport: { params: { direction: 'send' | 'recv' }; result: BareTransportInfo };
  connectTransport: { params: { transportId: string; dtlsParameters: msc.DtlsParameters }; result: Empty };
  produce: {
    params: { transportId: string; kind: msc.MediaKind; rtpParameters: msc.RtpParameters };
    result: { id: string };
  };
  /** Consumes the sender's video (the baseline has exactly one sender), paused like the product does. */
  consume: { params: { transportId: string; rtpCapabilities: msc.RtpCapabilities }; result: BareConsumerInfo };
  resumeConsumer: { params: { consumerId: string }; result: Empty };
}

export type BareMethod = keyof BareRpc;

/** What the bare page puts on `window` for the bench to call through page.evaluate. */
export interface BarePageApi {
  /** Opens the fake camera and sends it (the sender page). */
  bareSend(): Promise<void>;
  /** getRouterRtpCapabilities → device.load → createRecvTransport → consume → resume (a receiver page). */
  bareJoin(): Promise<void>;
}
