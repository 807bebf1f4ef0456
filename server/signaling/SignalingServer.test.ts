import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DemoAccess, demoAccess, type Place } from '../../test/helpers/demo.js';
import { DTLS_PARAMETERS, OPUS_RTP_PARAMETERS, VP8_RTP_PARAMETERS } from '../../test/helpers/rtp.js';
import { routerTransportCount, startTestServer, waitFor } from '../../test/helpers/server.js';
import { ackCode, connectRaw, okData, type RawClient } from '../../test/helpers/signalingClient.js';
import type { App } from '../App.js';
import { MAX_MESSAGE_BYTES } from './SignalingServer.js';

/** Signaling against the real server and a real mediasoup worker, driven from Node. */
describe('signaling server', () => {
  let app: App;
  let access: DemoAccess;
  const clients: RawClient[] = [];
  type Who = 'judge' | 'clerk' | 'plaintiff' | 'defendant';

  const connect = async (auth: Place['auth'] | Record<string, never> = {}): Promise<RawClient> => {
    const client = await connectRaw(app.url, auth);
    clients.push(client);
    return client;
  };
  const joinPayload = (who: Who) => ({
    hearingId: access.hearingId,
    participantId: access[who].participantId,
    ...(access[who].idTail ? { checkIn: { idTail: access[who].idTail, operatorPin: access[who].operatorPin } } : {}),
  });
  const room = () => app.rooms.room(access.hearingId);
  const peerOf = (who: Who) => room()?.peer(access[who].participantId);
  const transports = () => routerTransportCount(app, access.hearingId);

  /** Joins the demo hearing and sets up both transports; optionally sends audio and video. */
  const joinWithMedia = async (who: Who, produce: boolean) => {
    const client = await connect(access[who].auth);
    const joined = okData(await client.request('hearing:join', joinPayload(who)));
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
    app = await startTestServer({ MEDIA_WORKERS: '1', UI_DIR: '', SEED_DEMO: 'true' });
    access = await demoAccess(app);
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await waitFor(() => app.rooms.rooms.length === 0, 5000, 'every room to close');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('a participant receives what the others send; leaving removes everything of theirs', async () => {
    const judge = await joinWithMedia('judge', true);
    const joinedEvent = judge.client.next('participant:joined');
    const kiosk = await joinWithMedia('plaintiff', false);

    // The kiosk learns at join time who is there and what they send.
    const peers = kiosk.joined.peers;
    expect(Array.isArray(peers) && peers.length).toBe(1);
    expect(JSON.stringify(peers)).toContain(access.judge.participantId);
    expect(await joinedEvent).toMatchObject({ participant: { id: access.plaintiff.participantId } });

    const { rtpCapabilities } = okData(await kiosk.client.request('media:routerRtpCapabilities'));
    for (const producerId of judge.producers) {
      const consumer = okData(await kiosk.client.request('media:consume', { producerId, rtpCapabilities }));
      expect(consumer).toMatchObject({ producerId, participantId: access.judge.participantId });
      const serverConsumer = peerOf('plaintiff');
      expect(serverConsumer?.consumerCount).toBeGreaterThan(0);
      expect(ackCode(await kiosk.client.request('media:resumeConsumer', { consumerId: consumer.consumerId }))).toBe(
        'ok',
      );
    }
    expect(peerOf('plaintiff')?.consumerCount).toBe(2);
    expect(await transports()).toBe(4);

    // A paused microphone is announced to the others.
    const paused = kiosk.client.next('producer:paused');
    expect(ackCode(await judge.client.request('media:pauseProducer', { producerId: judge.producers[0] }))).toBe('ok');
    expect(await paused).toMatchObject({ producerId: judge.producers[0], paused: true });

    // The judge stops the camera: the kiosk's consumer of it is closed.
    const consumerClosed = kiosk.client.next('consumer:closed');
    expect(ackCode(await judge.client.request('media:closeProducer', { producerId: judge.producers[1] }))).toBe('ok');
    await consumerClosed;
    expect(peerOf('plaintiff')?.consumerCount).toBe(1);

    const left = judge.client.next('participant:left');
    expect(ackCode(await kiosk.client.request('hearing:leave'))).toBe('ok');
    expect(await left).toEqual({ participantId: access.plaintiff.participantId, reason: 'left' });
    expect(peerOf('plaintiff')).toBeUndefined();
    expect(await transports()).toBe(2);
  });

  it('a connection that drops mid-request leaves no transports, producers or consumers behind', async () => {
    const judge = await joinWithMedia('judge', true);
    const kiosk = await connect(access.defendant.auth);
    okData(await kiosk.request('hearing:join', joinPayload('defendant')));
    // Fire requests and vanish without waiting for their answers.
    kiosk.socket.emit('media:createTransport', { direction: 'recv' }, () => undefined);
    kiosk.socket.emit('media:createTransport', { direction: 'send' }, () => undefined);
    kiosk.socket.disconnect();

    await waitFor(() => peerOf('defendant') === undefined, 5000, 'the peer to go');
    // Let the in-flight createTransport calls finish inside mediasoup, then count what the router holds.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await transports()).toBe(2);
    expect(room()?.peers.map((p) => p.participant.id)).toEqual([access.judge.participantId]);
    judge.client.close();
    await waitFor(() => app.rooms.rooms.length === 0, 5000, 'the room to close when empty');
  });

  it('the same participant joining again replaces the earlier connection', async () => {
    const first = await joinWithMedia('plaintiff', true);
    const removed = first.client.next('hearing:removed');
    const second = await joinWithMedia('plaintiff', false);
    expect(await removed).toEqual({ reason: 'replaced' });
    expect(room()?.peers).toHaveLength(1);
    expect(await transports()).toBe(2);
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

  describe('joining requires the right sign-in or kiosk and check-in', () => {
    it('refuses the anonymous, other courts, other sites, other places and wrong ID digits', async () => {
      const chen = await app.accounts
        .login({ username: 'judge.chen', password: access.judge.idTail ?? 'x', ip: '1.1.1.1' })
        .catch(() => null);
      expect(chen).toBeNull(); // wrong password; sign in properly below
      const otherJudge = await app.accounts.login({
        username: 'judge.chen',
        password: app.demo?.password ?? '',
        ip: '127.0.0.1',
      });
      const otherSiteKiosk = [...access.kioskBySite.entries()].find(
        ([siteId]) =>
          siteId !== String(access.plaintiff.stored.siteId) && siteId !== String(access.defendant.stored.siteId),
      )?.[1];
      if (!otherSiteKiosk) throw new Error('the demo has a third site');
      const mediation = await app.scheduler.get(app.demo?.hearingIds[2] ?? '');
      const mediationParty = mediation.participants[1];
      const mediationKiosk = mediationParty?.siteId ? access.kioskBySite.get(mediationParty.siteId) : undefined;
      if (!mediationParty || !mediationKiosk) throw new Error('the demo mediation has a party at a kiosk');

      const attempts: Array<[string, Place['auth'] | Record<string, never>, unknown, string]> = [
        ['no credentials', {}, joinPayload('judge'), 'UNAUTHORIZED'],
        ['a forged session', { token: 'forged.token.value' }, joinPayload('judge'), 'UNAUTHORIZED'],
        [
          'the judge of another court',
          { token: otherJudge.token },
          { ...joinPayload('judge'), participantId: otherJudge.principal.userId },
          'FORBIDDEN',
        ],
        [
          'the judge taking a party’s place',
          access.judge.auth,
          { ...joinPayload('judge'), participantId: access.plaintiff.participantId },
          'FORBIDDEN',
        ],
        [
          'a kiosk of a site not in the hearing',
          { kioskCredential: otherSiteKiosk.credential },
          joinPayload('plaintiff'),
          'FORBIDDEN',
        ],
        ['a kiosk taking the other site’s party', access.plaintiff.auth, { ...joinPayload('defendant') }, 'FORBIDDEN'],
        [
          'a kiosk without check-in (for a participant never checked in there)',
          { kioskCredential: mediationKiosk.credential },
          { hearingId: mediation.id, participantId: mediationParty.id },
          'BAD_REQUEST',
        ],
        [
          'a kiosk with wrong ID digits',
          access.plaintiff.auth,
          { ...joinPayload('plaintiff'), checkIn: { idTail: '9999', operatorPin: access.plaintiff.operatorPin } },
          'FORBIDDEN',
        ],
        [
          'a kiosk with the wrong operator PIN',
          access.plaintiff.auth,
          { ...joinPayload('plaintiff'), checkIn: { idTail: access.plaintiff.idTail, operatorPin: '0000' } },
          'FORBIDDEN',
        ],
        [
          'a kiosk without the operator PIN',
          access.plaintiff.auth,
          { ...joinPayload('plaintiff'), checkIn: { idTail: access.plaintiff.idTail } },
          'BAD_REQUEST',
        ],
      ];
      for (const [what, auth, payload, code] of attempts) {
        const client = await connect(auth);
        expect(ackCode(await client.request('hearing:join', payload)), what).toBe(code);
        client.close();
      }
      expect(room()).toBeUndefined(); // nobody got in

      // The clerk and the right kiosk with the right digits get in.
      okData(await (await connect(access.clerk.auth)).request('hearing:join', joinPayload('clerk')));
      okData(await (await connect(access.plaintiff.auth)).request('hearing:join', joinPayload('plaintiff')));
      expect(room()?.peers).toHaveLength(2);
    });

    it('stops guessing ID digits after five wrong tries', async () => {
      // The 庆元 mediation: both parties at one village site, guessed at from its kiosk.
      const mediation = await app.scheduler.get(app.demo?.hearingIds[2] ?? '');
      const party = mediation.participants[0];
      const kiosk = party?.siteId ? access.kioskBySite.get(party.siteId) : undefined;
      if (!party || !kiosk) throw new Error('the demo mediation has a party at a kiosk');
      const client = await connect({ kioskCredential: kiosk.credential });
      const attempt = (idTail: string) =>
        client.request('hearing:join', {
          hearingId: mediation.id,
          participantId: party.id,
          checkIn: { idTail, operatorPin: access.plaintiff.operatorPin },
        });
      const codes: string[] = [];
      for (let i = 0; i < 6; i++) codes.push(ackCode(await attempt(`000${i}`)));
      expect(codes).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'RATE_LIMITED']);
      // Even the right digits wait until the window has passed.
      expect(ackCode(await attempt(party.idTail))).toBe('RATE_LIMITED');
    });

    it('a revoked kiosk cannot join again', async () => {
      const admin = await app.accounts.login({
        username: 'admin',
        password: app.demo?.password ?? '',
        ip: '127.0.0.1',
      });
      const kiosk = await connect(access.plaintiff.auth);
      await app.accounts.revokeKiosk(admin.principal, String(access.plaintiff.stored.kioskId));
      expect(ackCode(await kiosk.request('hearing:join', joinPayload('plaintiff')))).toBe('FORBIDDEN');
    });
  });

  describe('bad input gets an error ack with a stable code; the others keep being served', () => {
    it('refuses malformed, unknown, out-of-order and foreign requests', async () => {
      const judge = await joinWithMedia('judge', true);
      // An enrolled kiosk (the defendant's site) that misbehaves.
      const stranger = await connect(access.defendant.auth);

      const cases: Array<[string, string, unknown, string]> = [
        ['join before anything: no payload', 'hearing:join', undefined, 'BAD_REQUEST'],
        ['join: wrong types', 'hearing:join', { hearingId: 42, participantId: ['x'] }, 'BAD_REQUEST'],
        ['join: hostile id', 'hearing:join', { hearingId: '../../etc/passwd', participantId: 'x' }, 'BAD_REQUEST'],
        [
          'join: unknown hearing',
          'hearing:join',
          { hearingId: 'no-such-hearing', participantId: access.defendant.participantId },
          'NOT_FOUND',
        ],
        [
          'join: not a participant',
          'hearing:join',
          { hearingId: access.hearingId, participantId: 'mallory', checkIn: { idTail: '0000' } },
          'FORBIDDEN',
        ],
        ['transport before join', 'media:createTransport', { direction: 'send' }, 'INVALID_STATE'],
        ['leave before join', 'hearing:leave', {}, 'INVALID_STATE'],
        ['payload is a string', 'media:createTransport', 'send', 'BAD_REQUEST'],
        ['payload is null', 'media:consume', null, 'BAD_REQUEST'],
        ['payload is an array', 'media:produce', [1, 2, 3], 'BAD_REQUEST'],
      ];
      for (const [what, event, payload, code] of cases) {
        expect(ackCode(await stranger.request(event, payload)), what).toBe(code);
      }

      okData(await stranger.request('hearing:join', joinPayload('defendant')));
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
      expect(ackCode(await stranger.request('hearing:join', joinPayload('defendant')))).toBe('ok');

      // The judge's session was never disturbed.
      expect(peerOf('judge')?.producerInfos()).toHaveLength(2);
      expect(ackCode(await judge.client.request('media:pauseProducer', { producerId: judge.producers[0] }))).toBe('ok');
    });

    it('a message above the size limit drops only that connection', async () => {
      const judge = await joinWithMedia('judge', true);
      const attacker = await connect();
      const dropped = new Promise<void>((resolve) => attacker.socket.once('disconnect', () => resolve()));
      attacker.socket.emit(
        'hearing:join',
        { hearingId: access.hearingId, participantId: 'x'.repeat(MAX_MESSAGE_BYTES + 1000) },
        () => undefined,
      );
      await dropped;

      expect(ackCode(await judge.client.request('media:resumeProducer', { producerId: judge.producers[0] }))).toBe(
        'ok',
      );
      const health = await fetch(`${app.url}/api/health`);
      expect(health.status).toBe(200);
    });
  });
});
