import { describe, expect, it } from 'vitest';
import { DTLS_PARAMETERS, OPUS_RTP_PARAMETERS } from '../test/helpers/rtp.js';
import {
  AckSchema,
  ConnectTransportRequestSchema,
  EventSchemas,
  JoinRequestSchema,
  ProduceRequestSchema,
  ResponseSchemas,
} from './signaling.js';

describe('signaling contract schemas', () => {
  it('accept a well-formed join and refuse malformed ones', () => {
    expect(JoinRequestSchema.safeParse({ hearingId: 'demo', participantId: 'judge-wang' }).success).toBe(true);
    for (const bad of [
      undefined,
      null,
      'demo',
      {},
      { hearingId: 'demo' },
      { hearingId: '', participantId: 'a' },
      { hearingId: 'a/b', participantId: 'c' },
      { hearingId: 'a'.repeat(65), participantId: 'c' },
      { hearingId: 1, participantId: 2 },
    ]) {
      expect(JoinRequestSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('check DTLS fingerprints and transport ids', () => {
    const transportId = '3f1c1b8e-8d5b-4c3e-9a61-0c2f4f1d2e3a';
    expect(ConnectTransportRequestSchema.safeParse({ transportId, dtlsParameters: DTLS_PARAMETERS }).success).toBe(
      true,
    );
    expect(
      ConnectTransportRequestSchema.safeParse({ transportId: 'not-a-uuid', dtlsParameters: DTLS_PARAMETERS }).success,
    ).toBe(false);
    expect(
      ConnectTransportRequestSchema.safeParse({
        transportId,
        dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: '<script>' }] },
      }).success,
    ).toBe(false);
    expect(ConnectTransportRequestSchema.safeParse({ transportId, dtlsParameters: { fingerprints: [] } }).success).toBe(
      false,
    );
  });

  it('check the shape of RTP parameters and bound their size', () => {
    const base = {
      transportId: '3f1c1b8e-8d5b-4c3e-9a61-0c2f4f1d2e3a',
      kind: 'audio',
      source: 'microphone',
    };
    expect(ProduceRequestSchema.safeParse({ ...base, rtpParameters: OPUS_RTP_PARAMETERS }).success).toBe(true);
    expect(ProduceRequestSchema.safeParse({ ...base, rtpParameters: { codecs: [] } }).success).toBe(false);
    expect(ProduceRequestSchema.safeParse({ ...base, kind: 'smell', rtpParameters: OPUS_RTP_PARAMETERS }).success).toBe(
      false,
    );
    const tooMany = { ...OPUS_RTP_PARAMETERS, encodings: Array.from({ length: 100 }, (_, i) => ({ ssrc: i })) };
    expect(ProduceRequestSchema.safeParse({ ...base, rtpParameters: tooMany }).success).toBe(false);
  });

  it('parse acknowledgements and server events the client receives', () => {
    expect(AckSchema.safeParse({ ok: true, data: {} }).success).toBe(true);
    expect(AckSchema.safeParse({ ok: false, error: { code: 'NOT_FOUND', message: 'x' } }).success).toBe(true);
    expect(AckSchema.safeParse({ ok: false, error: { code: 'WHATEVER', message: 'x' } }).success).toBe(false);
    expect(AckSchema.safeParse({ ok: 'yes' }).success).toBe(false);
    expect(ResponseSchemas['media:produce'].safeParse({ producerId: 'p' }).success).toBe(true);
    expect(ResponseSchemas['media:produce'].safeParse({}).success).toBe(false);
    expect(EventSchemas['participant:left'].safeParse({ participantId: 'a', reason: 'left' }).success).toBe(true);
    expect(EventSchemas['participant:left'].safeParse({ participantId: 'a', reason: 'bored' }).success).toBe(false);
  });
});
