import type { types as ms } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerToClientEvents } from '../../shared/signaling.js';
import { ROOM_HEARING } from '../../test/helpers/hearing.js';
import { OPUS_RTP_PARAMETERS, VP8_RTP_PARAMETERS } from '../../test/helpers/rtp.js';
import { createLogger } from '../logger.js';
import { MsRtpParametersSchema } from '../media/rtp.js';
import { WorkerPool } from '../media/WorkerPool.js';
import type { Notify } from './Peer.js';
import { RoomRegistry } from './RoomRegistry.js';

type Sent = { event: keyof ServerToClientEvents; payload: unknown };

/** Collects what the room sends to one participant. */
function inbox(): { notify: Notify; sent: Sent[] } {
  const sent: Sent[] = [];
  const notify: Notify = (event, ...args) => {
    sent.push({ event, payload: args[0] });
  };
  return { notify, sent };
}

describe('room and peer lifecycle on a real mediasoup worker', () => {
  const logger = createLogger('silent');
  let pool: WorkerPool;
  let rooms: RoomRegistry;

  beforeAll(async () => {
    pool = await WorkerPool.create({
      size: 1,
      listenIp: '127.0.0.1',
      announcedAddress: undefined,
      port: 0,
      minPort: 41000,
      maxPort: 41999,
      logger,
    });
    rooms = new RoomRegistry(pool, logger);
  });

  afterAll(() => {
    rooms?.close();
    pool?.close();
  });

  const transportsOf = async (router: ms.Router) => (await router.dump()).transportIds.length;

  it('opens one room per hearing, concurrently opened once', async () => {
    const [a, b] = await Promise.all([rooms.open(ROOM_HEARING), rooms.open(ROOM_HEARING)]);
    expect(a).toBe(b);
    // What clients load their Device with before joining is what this hearing's router has.
    expect(a.router.rtpCapabilities).toEqual(pool.rtpCapabilities);
    a.close();
    expect(rooms.room('demo')).toBeUndefined();
  });

  it('a leaving peer takes its transports, producers and the consumers of its streams with it', async () => {
    const room = await rooms.open(ROOM_HEARING);
    const judgeInbox = inbox();
    const kioskInbox = inbox();
    const { peer: judge } = room.join('judge-wang', judgeInbox.notify);
    const { peer: kiosk, others } = room.join('plaintiff-li', kioskInbox.notify);
    expect(others.map((o) => o.participant.id)).toEqual(['judge-wang']);
    expect(judgeInbox.sent.map((s) => s.event)).toEqual(['participant:joined']);

    const send = await kiosk.createTransport('send');
    await judge.createTransport('recv');
    const audio = await kiosk.produce(send.id, 'audio', 'microphone', MsRtpParametersSchema.parse(OPUS_RTP_PARAMETERS));
    const video = await kiosk.produce(send.id, 'video', 'camera', MsRtpParametersSchema.parse(VP8_RTP_PARAMETERS));
    expect(judgeInbox.sent.filter((s) => s.event === 'producer:new')).toHaveLength(2);

    for (const info of [audio, video]) {
      await judge.consume(room.findProducer(info.producerId, judge), room.router.rtpCapabilities);
    }
    expect(judge.consumerCount).toBe(2);
    expect(await transportsOf(room.router)).toBe(2);

    kiosk.close('disconnected');
    kiosk.close('disconnected'); // idempotent
    expect(kiosk.closed).toBe(true);
    expect(room.peer('plaintiff-li')).toBeUndefined();
    expect(await transportsOf(room.router)).toBe(1);
    await expect.poll(() => judge.consumerCount).toBe(0);
    expect(judgeInbox.sent).toContainEqual({
      event: 'participant:left',
      payload: { participantId: 'plaintiff-li', reason: 'disconnected' },
    });
    // The kiosk's closed session refuses further work.
    await expect(kiosk.createTransport('recv')).rejects.toMatchObject({ code: 'INVALID_STATE' });

    judge.close('left');
    expect(room.closed).toBe(true);
    expect(room.router.closed).toBe(true);
    expect(rooms.room('demo')).toBeUndefined();
  });

  it('closing the room closes every peer and the router', async () => {
    const room = await rooms.open(ROOM_HEARING);
    const { peer } = room.join('defendant-zhao', inbox().notify);
    await peer.createTransport('send');
    room.close();
    room.close();
    expect(peer.closed).toBe(true);
    expect(room.router.closed).toBe(true);
    expect(() => room.join('judge-wang', inbox().notify)).toThrow(/no longer open/);
  });

  it('closing the registry and the pool closes every room and worker', async () => {
    const room = await rooms.open(ROOM_HEARING);
    room.join('judge-wang', inbox().notify);
    rooms.close();
    expect(room.closed).toBe(true);
    await expect(rooms.open(ROOM_HEARING)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    pool.close();
    expect(pool.workers.every((w) => w.closed)).toBe(true);
    await expect(pool.createRouter({})).rejects.toThrow(/closed/);
  });
});
