import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DTLS_PARAMETERS, OPUS_RTP_PARAMETERS, VP8_RTP_PARAMETERS } from '../../test/helpers/rtp.js';
import { routerTransportCount, startTestServer, waitFor } from '../../test/helpers/server.js';
import { ackCode, connectRaw, okData, type RawClient } from '../../test/helpers/signalingClient.js';
import type { App } from '../App.js';

/** Signaling against the real server and a real mediasoup worker, driven from Node. */
describe('signaling server', () => {
  let app: App;
  const clients: RawClient[] = [];

  const connect = async (): Promise<RawClient> => {
    const client = await connectRaw(app.url);
    clients.push(client);
    return client;
  };

  /** Joins the demo hearing and sets up both transports; optionally sends audio and video. */
  const joinWithMedia = async (participantId: string, produce: boolean) => {
    const client = await connect();
    const joined = okData(await client.request('hearing:join', { hearingId: 'demo', participantId }));
    const send = okData(await client.request('media:createTransport', { direction: 'send' }));
    const recv = okData(await client.request('media:createTransport', { direction: 'recv' }));
    expect(
      ackCode(
        await client.request('media:connectTransport', { transportId: send.id, dtlsParameters: DTLS_PARAMETERS }),
      ),
    ).toBe('ok');
    const producers: string[] = [];
    if (produce) {
      for (const [kind, source, rtpParameters] of [
        ['audio', 'microphone', OPUS_RTP_PARAMETERS],
        ['video', 'camera', VP8_RTP_PARAMETERS],
      ] as const) {
        const produced = okData(
          await client.request('media:produce', { transportId: send.id, kind, source, rtpParameters }),
        );
        producers.push(String(produced.producerId));
      }
    }
    return { client, joined, sendId: String(send.id), recvId: String(recv.id), producers };
  };

  beforeAll(async () => {
    app = await startTestServer({ MEDIA_WORKERS: '1', UI_DIR: '' });
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await waitFor(() => app.rooms.rooms.length === 0, 5000, 'every room to close');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('a participant receives what the others send; leaving removes everything of theirs', async () => {
    const judge = await joinWithMedia('judge-wang', true);
    const joinedEvent = judge.client.next('participant:joined');
    const kiosk = await joinWithMedia('plaintiff-li', false);

    // The kiosk learns at join time who is there and what they send.
    const peers = kiosk.joined.peers;
    expect(Array.isArray(peers) && peers.length).toBe(1);
    expect(JSON.stringify(peers)).toContain('judge-wang');
    expect(await joinedEvent).toMatchObject({ participant: { id: 'plaintiff-li' } });

    const { rtpCapabilities } = okData(await kiosk.client.request('media:routerRtpCapabilities'));
    for (const producerId of judge.producers) {
      const consumer = okData(await kiosk.client.request('media:consume', { producerId, rtpCapabilities }));
      expect(consumer).toMatchObject({ producerId, participantId: 'judge-wang' });
      const serverConsumer = app.rooms.room('demo')?.peer('plaintiff-li');
      expect(serverConsumer?.consumerCount).toBeGreaterThan(0);
      expect(ackCode(await kiosk.client.request('media:resumeConsumer', { consumerId: consumer.consumerId }))).toBe(
        'ok',
      );
    }
    expect(app.rooms.room('demo')?.peer('plaintiff-li')?.consumerCount).toBe(2);
    expect(await routerTransportCount(app, 'demo')).toBe(4);

    // A paused microphone is announced to the others.
    const paused = kiosk.client.next('producer:paused');
    expect(ackCode(await judge.client.request('media:pauseProducer', { producerId: judge.producers[0] }))).toBe('ok');
    expect(await paused).toMatchObject({ producerId: judge.producers[0], paused: true });

    // The judge stops the camera: the kiosk's consumer of it is closed.
    const consumerClosed = kiosk.client.next('consumer:closed');
    expect(ackCode(await judge.client.request('media:closeProducer', { producerId: judge.producers[1] }))).toBe('ok');
    await consumerClosed;
    expect(app.rooms.room('demo')?.peer('plaintiff-li')?.consumerCount).toBe(1);

    const left = judge.client.next('participant:left');
    expect(ackCode(await kiosk.client.request('hearing:leave'))).toBe('ok');
    expect(await left).toEqual({ participantId: 'plaintiff-li', reason: 'left' });
    expect(app.rooms.room('demo')?.peer('plaintiff-li')).toBeUndefined();
    expect(await routerTransportCount(app, 'demo')).toBe(2);
  });

  it('a connection that drops mid-request leaves no transports, producers or consumers behind', async () => {
    const judge = await joinWithMedia('judge-wang', true);
    const kiosk = await connect();
    okData(await kiosk.request('hearing:join', { hearingId: 'demo', participantId: 'defendant-zhao' }));
    // Fire requests and vanish without waiting for their answers.
    kiosk.socket.emit('media:createTransport', { direction: 'recv' }, () => undefined);
    kiosk.socket.emit('media:createTransport', { direction: 'send' }, () => undefined);
    kiosk.socket.disconnect();

    await waitFor(() => app.rooms.room('demo')?.peer('defendant-zhao') === undefined, 5000, 'the peer to go');
    // Let the in-flight createTransport calls finish inside mediasoup, then count what the router holds.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await routerTransportCount(app, 'demo')).toBe(2);
    expect(app.rooms.room('demo')?.peers.map((p) => p.participant.id)).toEqual(['judge-wang']);
    judge.client.close();
    await waitFor(() => app.rooms.rooms.length === 0, 5000, 'the room to close when empty');
  });

  it('the same participant joining again replaces the earlier connection', async () => {
    const first = await joinWithMedia('plaintiff-li', true);
    const removed = first.client.next('hearing:removed');
    const second = await joinWithMedia('plaintiff-li', false);
    expect(await removed).toEqual({ reason: 'replaced' });
    expect(app.rooms.room('demo')?.peers).toHaveLength(1);
    expect(await routerTransportCount(app, 'demo')).toBe(2);
    // The first connection's ids are no longer usable.
    expect(ackCode(await first.client.request('media:createTransport', { direction: 'recv' }))).toBe('INVALID_STATE');
    expect(
      ackCode(
        await second.client.request('media:connectTransport', {
          transportId: first.sendId,
          dtlsParameters: DTLS_PARAMETERS,
        }),
      ),
    ).toBe('NOT_FOUND');
  });

  describe('bad input gets an error ack with a stable code; the others keep being served', () => {
    it('refuses malformed, unknown, out-of-order and foreign requests', async () => {
      const judge = await joinWithMedia('judge-wang', true);
      const stranger = await connect();

      const cases: Array<[string, string, unknown, string]> = [
        ['join before anything: no payload', 'hearing:join', undefined, 'BAD_REQUEST'],
        ['join: wrong types', 'hearing:join', { hearingId: 42, participantId: ['x'] }, 'BAD_REQUEST'],
        ['join: hostile id', 'hearing:join', { hearingId: '../../etc/passwd', participantId: 'x' }, 'BAD_REQUEST'],
        [
          'join: unknown hearing',
          'hearing:join',
          { hearingId: 'no-such-hearing', participantId: 'judge-wang' },
          'NOT_FOUND',
        ],
        ['join: not a participant', 'hearing:join', { hearingId: 'demo', participantId: 'mallory' }, 'NOT_FOUND'],
        ['transport before join', 'media:createTransport', { direction: 'send' }, 'INVALID_STATE'],
        ['leave before join', 'hearing:leave', {}, 'INVALID_STATE'],
        ['payload is a string', 'media:createTransport', 'send', 'BAD_REQUEST'],
        ['payload is null', 'media:consume', null, 'BAD_REQUEST'],
        ['payload is an array', 'media:produce', [1, 2, 3], 'BAD_REQUEST'],
      ];
      for (const [what, event, payload, code] of cases) {
        expect(ackCode(await stranger.request(event, payload)), what).toBe(code);
      }

      okData(await stranger.request('hearing:join', { hearingId: 'demo', participantId: 'defendant-zhao' }));
      const ownSend = okData(await stranger.request('media:createTransport', { direction: 'send' }));
      const { rtpCapabilities } = okData(await stranger.request('media:routerRtpCapabilities'));
      const joinedCases: Array<[string, string, unknown, string]> = [
        ['bad direction', 'media:createTransport', { direction: 'sideways' }, 'BAD_REQUEST'],
        ['second send transport', 'media:createTransport', { direction: 'send' }, 'INVALID_STATE'],
        [
          'someone else’s transport',
          'media:connectTransport',
          { transportId: judge.sendId, dtlsParameters: DTLS_PARAMETERS },
          'NOT_FOUND',
        ],
        [
          'produce on someone else’s transport',
          'media:produce',
          { transportId: judge.sendId, kind: 'audio', source: 'microphone', rtpParameters: OPUS_RTP_PARAMETERS },
          'NOT_FOUND',
        ],
        [
          'transport id not a uuid',
          'media:connectTransport',
          { transportId: 'abc', dtlsParameters: DTLS_PARAMETERS },
          'BAD_REQUEST',
        ],
        [
          'bad fingerprint',
          'media:connectTransport',
          { transportId: ownSend.id, dtlsParameters: { fingerprints: [{ algorithm: 'md5', value: 'zz' }] } },
          'BAD_REQUEST',
        ],
        [
          'garbage rtp parameters',
          'media:produce',
          { transportId: ownSend.id, kind: 'audio', source: 'microphone', rtpParameters: { codecs: 'opus' } },
          'BAD_REQUEST',
        ],
        [
          'unsupported codec',
          'media:produce',
          {
            transportId: ownSend.id,
            kind: 'video',
            source: 'camera',
            rtpParameters: {
              ...VP8_RTP_PARAMETERS,
              codecs: [{ mimeType: 'video/FOO', payloadType: 100, clockRate: 90000 }],
            },
          },
          'BAD_REQUEST',
        ],
        [
          'camera carrying audio',
          'media:produce',
          { transportId: ownSend.id, kind: 'audio', source: 'camera', rtpParameters: OPUS_RTP_PARAMETERS },
          'BAD_REQUEST',
        ],
        [
          'consume without receive transport',
          'media:consume',
          { producerId: judge.producers[0], rtpCapabilities },
          'INVALID_STATE',
        ],
        [
          'consume an unknown producer',
          'media:consume',
          { producerId: '00000000-0000-4000-8000-000000000000', rtpCapabilities },
          'NOT_FOUND',
        ],
        [
          'resume an unknown consumer',
          'media:resumeConsumer',
          { consumerId: '00000000-0000-4000-8000-000000000000' },
          'NOT_FOUND',
        ],
        ['pause someone else’s producer', 'media:pauseProducer', { producerId: judge.producers[0] }, 'NOT_FOUND'],
        ['close someone else’s producer', 'media:closeProducer', { producerId: judge.producers[1] }, 'NOT_FOUND'],
        [
          'capabilities not an object',
          'media:consume',
          { producerId: judge.producers[0], rtpCapabilities: 'all' },
          'BAD_REQUEST',
        ],
      ];
      for (const [what, event, payload, code] of joinedCases) {
        expect(ackCode(await stranger.request(event, payload)), what).toBe(code);
      }
      // A participant cannot consume their own stream.
      okData(await stranger.request('media:createTransport', { direction: 'recv' }));
      const own = okData(
        await stranger.request('media:produce', {
          transportId: ownSend.id,
          kind: 'audio',
          source: 'microphone',
          rtpParameters: OPUS_RTP_PARAMETERS,
        }),
      );
      expect(ackCode(await stranger.request('media:consume', { producerId: own.producerId, rtpCapabilities }))).toBe(
        'NOT_FOUND',
      );

      // Capabilities are answered before joining too (clients prepare their Device early).
      expect(ackCode(await (await connect()).request('media:routerRtpCapabilities'))).toBe('ok');

      // Requests without an acknowledgement callback and unknown events are ignored.
      stranger.socket.emit('media:createTransport', { direction: 'recv' });
      stranger.socket.emit('no-such-event', { x: 1 }, () => undefined);
      expect(
        ackCode(await stranger.request('hearing:join', { hearingId: 'demo', participantId: 'defendant-zhao' })),
      ).toBe('ok');

      // The judge's session was never disturbed.
      expect(app.rooms.room('demo')?.peer('judge-wang')?.producerInfos()).toHaveLength(2);
      expect(ackCode(await judge.client.request('media:pauseProducer', { producerId: judge.producers[0] }))).toBe('ok');
    });

    it('a message above the size limit drops only that connection', async () => {
      const judge = await joinWithMedia('judge-wang', true);
      const attacker = await connect();
      const dropped = new Promise<void>((resolve) => attacker.socket.once('disconnect', () => resolve()));
      attacker.socket.emit('hearing:join', { hearingId: 'demo', participantId: 'x'.repeat(200_000) }, () => undefined);
      await dropped;

      expect(ackCode(await judge.client.request('media:resumeProducer', { producerId: judge.producers[0] }))).toBe(
        'ok',
      );
      const health = await fetch(`${app.url}/api/health`);
      expect(health.status).toBe(200);
    });
  });
});
