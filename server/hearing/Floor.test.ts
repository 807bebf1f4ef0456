import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FloorStateSchema } from '../../shared/floor.js';
import { type DemoAccess, demoAccess, GOOD_SELF_TEST, type Place } from '../../test/helpers/demo.js';
import { DTLS_PARAMETERS, OPUS_RTP_PARAMETERS, VP8_RTP_PARAMETERS } from '../../test/helpers/rtp.js';
import { startTestServer, waitFor } from '../../test/helpers/server.js';
import { ackCode, connectRaw, okData, type RawClient } from '../../test/helpers/signalingClient.js';
import type { App } from '../App.js';
import { verifyAudit } from '../audit/AuditLog.js';
import { FloorService, sha256Hex, signaturesOf, verifyTranscripts } from './Floor.js';
import { HearingCatalog } from './HearingCatalog.js';

type Who = 'judge' | 'clerk' | 'plaintiff' | 'defendant';

/**
 * The hearing's live state on the real server with a real mediasoup worker, driven over socket.io
 * from Node: the judge's commands, check-in and the waiting room, the server-enforced mute, the
 * transcript and its signatures, refusals of out-of-order and foreign commands, and what a restart
 * finds in the database.
 */
describe('hearing floor', () => {
  let app: App;
  let access: DemoAccess;
  const clients: RawClient[] = [];

  const connect = async (auth: Place['auth'] | Record<string, never>): Promise<RawClient> => {
    const client = await connectRaw(app.url, auth);
    clients.push(client);
    return client;
  };
  const checkIn = (who: Who) =>
    access[who].idTail ? { checkIn: { idTail: access[who].idTail, operatorPin: access[who].operatorPin } } : {};
  const join = async (who: Who, withCheckIn = true) => {
    const client = await connect(access[who].auth);
    const ack = await client.request('hearing:join', {
      hearingId: access.hearingId,
      participantId: access[who].participantId,
      ...(withCheckIn ? checkIn(who) : {}),
    });
    return { client, ack };
  };
  const floorOf = (data: unknown) => FloorStateSchema.parse(data);
  const statusOf = (floor: ReturnType<typeof floorOf>, who: Who) =>
    floor.participants.find((p) => p.participantId === access[who].participantId);
  const current = async (client: RawClient) => {
    // Every floor answer is the full state; a no-op hand lowering asks for it without changing anything.
    const floor = floorOf(okData(await client.request('floor:help', { requested: false })));
    return floor;
  };
  const serverPeer = (who: Who) => app.rooms.room(access.hearingId)?.peer(access[who].participantId);

  /** Both transports plus a microphone (and camera) producer; answers the producer ids. */
  const sendMedia = async (client: RawClient) => {
    const send = okData(await client.request('media:createTransport', { direction: 'send' }));
    okData(await client.request('media:connectTransport', { transportId: send.id, dtlsParameters: DTLS_PARAMETERS }));
    const mic = okData(
      await client.request('media:produce', {
        transportId: send.id,
        kind: 'audio',
        source: 'microphone',
        rtpParameters: OPUS_RTP_PARAMETERS,
      }),
    );
    const cam = okData(
      await client.request('media:produce', {
        transportId: send.id,
        kind: 'video',
        source: 'camera',
        rtpParameters: VP8_RTP_PARAMETERS,
      }),
    );
    return { mic: String(mic.producerId), cam: String(cam.producerId) };
  };
  const producerPaused = (who: Who, producerId: string) => serverPeer(who)?.findProducer(producerId)?.paused;

  beforeAll(async () => {
    app = await startTestServer({ MEDIA_WORKERS: '1', UI_DIR: '', SEED_DEMO: 'true' });
    access = await demoAccess(app);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('runs a hearing from the waiting room to the signed transcript, refusing every out-of-order or foreign command', async () => {
    const judge = await join('judge');
    const judgeFloor = floorOf(okData(judge.ack).floor);
    expect(judgeFloor.state).toBe('scheduled');
    expect(statusOf(judgeFloor, 'judge')?.status.state).toBe('in_hearing');

    const plaintiff = await join('plaintiff');
    expect(statusOf(floorOf(okData(plaintiff.ack).floor), 'plaintiff')).toMatchObject({
      status: { state: 'checked_in' },
      connected: true,
      muted: false,
    });
    const clerk = await join('clerk');
    const before = await current(judge.client);

    // Out of order, foreign, or about someone who is not there: refused, nothing changes.
    const refused: Array<[string, RawClient, string, unknown, string]> = [
      ['close before start', judge.client, 'floor:command', { command: { type: 'close' } }, 'INVALID_STATE'],
      ['start before open', judge.client, 'floor:command', { command: { type: 'start' } }, 'INVALID_STATE'],
      ['resume before pause', judge.client, 'floor:command', { command: { type: 'resume' } }, 'INVALID_STATE'],
      ['a kiosk opening', plaintiff.client, 'floor:command', { command: { type: 'open' } }, 'FORBIDDEN'],
      ['the clerk opening', clerk.client, 'floor:command', { command: { type: 'open' } }, 'FORBIDDEN'],
      [
        'a kiosk calling itself in',
        plaintiff.client,
        'floor:participant',
        { participantId: access.plaintiff.participantId, action: 'call_in' },
        'FORBIDDEN',
      ],
      ['a kiosk muting all', plaintiff.client, 'floor:muteAll', {}, 'FORBIDDEN'],
      [
        'call-in of someone not booked',
        judge.client,
        'floor:participant',
        { participantId: 'mallory', action: 'call_in' },
        'NOT_FOUND',
      ],
      [
        'call-in of a party still at the self-test',
        judge.client,
        'floor:participant',
        { participantId: access.plaintiff.participantId, action: 'call_in' },
        'INVALID_STATE',
      ],
      ['unknown command', judge.client, 'floor:command', { command: { type: 'adjourn' } }, 'BAD_REQUEST'],
      ['command with extra fields', judge.client, 'floor:command', { command: { type: 'open', x: 1 } }, 'BAD_REQUEST'],
      ['spotlight of a stranger', judge.client, 'floor:spotlight', { participantId: 'mallory' }, 'NOT_FOUND'],
      ['the judge writing the transcript', judge.client, 'transcript:save', { text: 'x', baseVersion: 0 }, 'FORBIDDEN'],
      ['a transcript before opening', clerk.client, 'transcript:save', { text: 'x', baseVersion: 0 }, 'INVALID_STATE'],
      ['stats out of range', plaintiff.client, 'floor:stats', { rttMs: -1 }, 'BAD_REQUEST'],
    ];
    for (const [what, client, event, payload, code] of refused) {
      expect(ackCode(await client.request(event, payload)), what).toBe(code);
    }
    const after = await current(judge.client);
    expect({ ...after, revision: 0 }).toEqual({ ...before, revision: 0 });

    // The villager finishes the self-test; the judge opens the waiting room and calls them in.
    const media = await sendMedia(plaintiff.client);
    expect(producerPaused('plaintiff', media.mic)).toBe(true); // not called in: nobody hears them
    expect(producerPaused('plaintiff', media.cam)).toBe(true);
    expect(ackCode(await plaintiff.client.request('media:resumeProducer', { producerId: media.mic }))).toBe(
      'FORBIDDEN',
    );
    const waiting = floorOf(okData(await plaintiff.client.request('floor:ready', { selfTest: GOOD_SELF_TEST })));
    expect(statusOf(waiting, 'plaintiff')?.status.state).toBe('waiting');
    expect(statusOf(waiting, 'plaintiff')?.selfTest).toEqual(GOOD_SELF_TEST);

    const pushed = plaintiff.client.next('floor:state');
    expect(floorOf(okData(await judge.client.request('floor:command', { command: { type: 'open' } }))).state).toBe(
      'open',
    );
    expect(floorOf(await pushed).state).toBe('open'); // everyone in the hearing gets the new state
    okData(
      await judge.client.request('floor:participant', {
        participantId: access.plaintiff.participantId,
        action: 'call_in',
      }),
    );
    await waitFor(() => producerPaused('plaintiff', media.mic) === false, 3000, 'the microphone to be released');
    expect(producerPaused('plaintiff', media.cam)).toBe(false);
    expect(floorOf(okData(await judge.client.request('floor:command', { command: { type: 'start' } }))).state).toBe(
      'in_session',
    );
    expect(
      ackCode(await judge.client.request('floor:command', { command: { type: 'pause', reason: '  ' } })),
      'a pause needs a reason',
    ).toBe('BAD_REQUEST');
    const paused = floorOf(
      okData(await judge.client.request('floor:command', { command: { type: 'pause', reason: '休庭十分钟' } })),
    );
    expect(paused).toMatchObject({ state: 'paused', pauseReason: '休庭十分钟' });
    expect(floorOf(okData(await judge.client.request('floor:command', { command: { type: 'resume' } }))).state).toBe(
      'in_session',
    );

    // The judge mutes the villager: the server holds the microphone whatever the client asks.
    const muted = floorOf(
      okData(
        await judge.client.request('floor:participant', {
          participantId: access.plaintiff.participantId,
          action: 'mute',
        }),
      ),
    );
    expect(statusOf(muted, 'plaintiff')?.muted).toBe(true);
    await waitFor(() => producerPaused('plaintiff', media.mic) === true, 3000, 'the microphone to be held');
    expect(ackCode(await plaintiff.client.request('media:resumeProducer', { producerId: media.mic }))).toBe(
      'FORBIDDEN',
    );
    expect(producerPaused('plaintiff', media.mic)).toBe(true);
    expect(producerPaused('plaintiff', media.cam)).toBe(false); // the camera is not muted
    const hand = floorOf(okData(await plaintiff.client.request('floor:hand', { raised: true })));
    expect(statusOf(hand, 'plaintiff')?.handRaised).toBe(true);

    // The connection drops: the floor remembers where the villager was, and the mute.
    plaintiff.client.close();
    await waitFor(
      async () => statusOf(await current(judge.client), 'plaintiff')?.status.state === 'disconnected',
      3000,
      'the plaintiff to show as disconnected',
    );
    expect(statusOf(await current(judge.client), 'plaintiff')?.status.resumeTo).toBe('in_hearing');
    // Another site's kiosk cannot take the place; the same kiosk rejoins without a new check-in.
    const otherKiosk = await connect(access.defendant.auth);
    expect(
      ackCode(
        await otherKiosk.request('hearing:join', {
          hearingId: access.hearingId,
          participantId: access.plaintiff.participantId,
        }),
      ),
    ).toBe('FORBIDDEN');
    const back = await join('plaintiff', false);
    expect(statusOf(floorOf(okData(back.ack).floor), 'plaintiff')).toMatchObject({
      status: { state: 'in_hearing', resumeTo: null },
      muted: true,
      connected: true,
    });
    const again = await sendMedia(back.client);
    expect(producerPaused('plaintiff', again.mic)).toBe(true);
    expect(ackCode(await back.client.request('media:resumeProducer', { producerId: again.mic }))).toBe('FORBIDDEN');
    okData(
      await judge.client.request('floor:participant', {
        participantId: access.plaintiff.participantId,
        action: 'unmute',
      }),
    );
    await waitFor(() => producerPaused('plaintiff', again.mic) === false, 3000, 'the microphone to be released');
    // Mute all: everyone but the judge; then the judge unmutes the villager again.
    const all = floorOf(okData(await judge.client.request('floor:muteAll', {})));
    expect(
      all.participants
        .filter((p) => p.muted)
        .map((p) => p.participantId)
        .sort(),
    ).toEqual([access.clerk.participantId, access.defendant.participantId, access.plaintiff.participantId].sort());
    await waitFor(() => producerPaused('plaintiff', again.mic) === true, 3000, 'the microphone to be held');
    okData(
      await judge.client.request('floor:participant', {
        participantId: access.plaintiff.participantId,
        action: 'unmute',
      }),
    );
    await waitFor(() => producerPaused('plaintiff', again.mic) === false, 3000, 'the microphone to be released');

    // The transcript: the clerk saves versions; a stale save is refused.
    const v1 = okData(await clerk.client.request('transcript:save', { text: '审判长：现在开庭。', baseVersion: 0 }));
    expect(v1).toMatchObject({ version: 1, sha256: sha256Hex('审判长：现在开庭。') });
    const text = '审判长：现在开庭。\n原告：我请求被告支付拖欠的租金。';
    const v2 = okData(await clerk.client.request('transcript:save', { text, baseVersion: 1 }));
    expect(v2.version).toBe(2);
    expect(ackCode(await clerk.client.request('transcript:save', { text: 'stale', baseVersion: 1 }))).toBe('CONFLICT');
    expect(okData(await back.client.request('transcript:get'))).toMatchObject({ version: 2, text });

    const signature = {
      version: 2,
      textSha256: sha256Hex(text),
      signaturePng:
        'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    };
    expect(ackCode(await back.client.request('transcript:sign', signature)), 'signing before closing').toBe(
      'INVALID_STATE',
    );
    expect(ackCode(await judge.client.request('transcript:sign', signature)), 'the judge signing').toBe('FORBIDDEN');
    const closed = floorOf(okData(await judge.client.request('floor:command', { command: { type: 'close' } })));
    expect(closed.state).toBe('closed');
    expect(
      ackCode(await back.client.request('transcript:sign', { ...signature, textSha256: sha256Hex('other') })),
      'a signature of another text',
    ).toBe('CONFLICT');
    expect(
      ackCode(await back.client.request('transcript:sign', { ...signature, signaturePng: 'data:text/html,<b>' })),
      'a signature that is not a PNG',
    ).toBe('BAD_REQUEST');
    const signed = okData(await back.client.request('transcript:sign', signature));
    expect(signed).toMatchObject({ participantId: access.plaintiff.participantId, version: 2, intact: true });
    const withSignature = await current(judge.client);
    expect(withSignature.signatures).toHaveLength(1);
    expect(ackCode(await judge.client.request('floor:command', { command: { type: 'start' } }))).toBe('INVALID_STATE');

    // Tampering with the stored text after signing shows.
    const db = app.database.db;
    expect(await signaturesOf(db, access.hearingId)).toMatchObject([{ intact: true }]);
    await db
      .updateTable('transcript_versions')
      .set({ text: `${text}（被告：同意支付。）` })
      .where('hearing_id', '=', access.hearingId)
      .where('version', '=', 2)
      .execute();
    expect(await signaturesOf(db, access.hearingId)).toMatchObject([
      { participantId: access.plaintiff.participantId, version: 2, intact: false },
    ]);
    expect(await verifyTranscripts(db)).toEqual([
      {
        hearingId: access.hearingId,
        participantId: access.plaintiff.participantId,
        version: 2,
        problem: 'the stored text differs from the text that was signed',
      },
    ]);
    // Changing the signature's hash to the new text's is caught by the audit entry of the signature.
    await db
      .updateTable('transcript_signatures')
      .set({ text_sha256: sha256Hex(`${text}（被告：同意支付。）`) })
      .where('hearing_id', '=', access.hearingId)
      .execute();
    expect((await verifyTranscripts(db)).map((p) => p.problem)).toEqual([
      'the signature does not match the hash its audit entry recorded',
    ]);

    // Every transition is stored with who and when, and the audit chain holds.
    const events = await db
      .selectFrom('floor_events')
      .select(['action', 'from_state', 'to_state', 'actor'])
      .where('hearing_id', '=', access.hearingId)
      .where('participant_id', 'is', null)
      .orderBy('at_ms')
      .orderBy('id')
      .execute();
    expect(events.filter((e) => e.to_state !== null).map((e) => `${e.from_state}→${e.to_state}`)).toEqual([
      'scheduled→open',
      'open→in_session',
      'in_session→paused',
      'paused→in_session',
      'in_session→closed',
    ]);
    expect(new Set(events.map((e) => e.actor))).toEqual(new Set([`user:${access.judge.participantId}`]));
    expect(await verifyAudit(db)).toMatchObject({ ok: true });
    const actions = await db.selectFrom('audit_log').select('action').execute();
    for (const action of ['hearing.open', 'hearing.start', 'hearing.pause', 'hearing.close', 'transcript.signed']) {
      expect(actions.map((a) => a.action)).toContain(action);
    }
    const alerts = await db.selectFrom('alerts').select(['kind', 'participant_id']).execute();
    expect(alerts).toContainEqual({ kind: 'disconnected', participant_id: access.plaintiff.participantId });

    // What a restart finds: the state, the mute, the signature; nobody connected.
    const restarted = new FloorService({ db, dialect: app.database.dialect, logger: app.logger });
    const entry = await new HearingCatalog(app.scheduler, db).load(access.hearingId);
    if (!entry) throw new Error('the demo hearing exists');
    const reloaded = (await restarted.floor(entry)).snapshot();
    expect(reloaded.state).toBe('closed');
    expect(reloaded.transcriptVersion).toBe(2);
    expect(reloaded.signatures).toMatchObject([{ participantId: access.plaintiff.participantId, intact: false }]);
    expect(statusOf(reloaded, 'plaintiff')).toMatchObject({
      status: { state: 'disconnected', resumeTo: 'in_hearing' },
      connected: false,
      muted: false,
    });
  });

  it('a wrong check-in leaves the participant not checked in', async () => {
    const judge = await join('judge');
    const kiosk = await connect(access.defendant.auth);
    const wrong = await kiosk.request('hearing:join', {
      hearingId: access.hearingId,
      participantId: access.defendant.participantId,
      checkIn: { idTail: '0000', operatorPin: access.defendant.operatorPin },
    });
    expect(ackCode(wrong)).toBe('FORBIDDEN');
    expect(statusOf(await current(judge.client), 'defendant')).toMatchObject({
      status: { state: 'not_checked_in' },
      connected: false,
    });
  });
});
