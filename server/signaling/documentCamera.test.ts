import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FloorState, FloorStateSchema } from '../../shared/floor.js';
import { type DemoAccess, demoAccess, GOOD_SELF_TEST, type Place } from '../../test/helpers/demo.js';
import { DTLS_PARAMETERS, OPUS_RTP_PARAMETERS, VP8_RTP_PARAMETERS } from '../../test/helpers/rtp.js';
import { startTestServer, waitFor } from '../../test/helpers/server.js';
import {
  ackCode,
  ackMessage,
  collect,
  connectRaw,
  okData,
  type RawClient,
} from '../../test/helpers/signalingClient.js';
import type { App } from '../App.js';

type Who = 'judge' | 'clerk' | 'plaintiff' | 'defendant';

/** A second video stream of the same connection: its own MID and SSRC. */
const DOCUMENT_RTP_PARAMETERS = { ...VP8_RTP_PARAMETERS, mid: '2', encodings: [{ ssrc: 33333333 }] };

/** Lets events that would have been sent arrive before checking that they were not. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

/**
 * The kiosk's document camera (a second video source the judge can have shown as evidence), on the
 * real server with a real mediasoup worker, driven over socket.io from Node: who may ask for it, the
 * refusals and their stable codes, the request reaching that kiosk's connection only, the server
 * accepting a 'document' stream only while it is asked for and closing it when stopped, and its own
 * recording segments.
 */
describe('the document camera', () => {
  let app: App;
  let access: DemoAccess;
  const clients: RawClient[] = [];

  const connect = async (auth: Place['auth']): Promise<RawClient> => {
    const client = await connectRaw(app.url, auth);
    clients.push(client);
    return client;
  };
  const join = async (who: Who, checkIn: boolean): Promise<{ client: RawClient; floor: FloorState }> => {
    const place = access[who];
    const client = await connect(place.auth);
    const ack = await client.request('hearing:join', {
      hearingId: access.hearingId,
      participantId: place.participantId,
      ...(checkIn && place.idTail ? { checkIn: { idTail: place.idTail, operatorPin: place.operatorPin } } : {}),
    });
    return { client, floor: FloorStateSchema.parse(okData(ack).floor) };
  };
  const floorOf = (ack: unknown) => FloorStateSchema.parse(okData(ack));
  const rowOf = (floor: FloorState, who: Who) =>
    floor.participants.find((p) => p.participantId === access[who].participantId);
  const idOf = (who: Who) => access[who].participantId;
  const serverPeer = (who: Who) => app.rooms.room(access.hearingId)?.peer(idOf(who));
  const documentProducers = (who: Who) =>
    serverPeer(who)
      ?.producerInfos()
      .filter((p) => p.source === 'document') ?? [];
  const show = (judge: RawClient, who: Who, on: boolean) =>
    judge.request('floor:showDocument', { participantId: idOf(who), show: on });

  /** A send transport (and a receive transport to watch the others). */
  const transports = async (client: RawClient) => {
    const send = okData(await client.request('media:createTransport', { direction: 'send' }));
    okData(await client.request('media:connectTransport', { transportId: send.id, dtlsParameters: DTLS_PARAMETERS }));
    okData(await client.request('media:createTransport', { direction: 'recv' }));
    return String(send.id);
  };
  const produce = (client: RawClient, transportId: string, source: 'camera' | 'microphone' | 'document') =>
    client.request('media:produce', {
      transportId,
      kind: source === 'microphone' ? 'audio' : 'video',
      source,
      rtpParameters:
        source === 'microphone'
          ? OPUS_RTP_PARAMETERS
          : source === 'camera'
            ? VP8_RTP_PARAMETERS
            : DOCUMENT_RTP_PARAMETERS,
    });

  /** The judge in the open hearing and both parties called in (checked in at their kiosks, self-tested). */
  const hearingWithParties = async () => {
    const judge = await join('judge', true);
    if (judge.floor.state === 'scheduled') {
      okData(await judge.client.request('floor:command', { command: { type: 'open' } }));
    }
    const parties = {} as Record<'plaintiff' | 'defendant', RawClient>;
    for (const who of ['plaintiff', 'defendant'] as const) {
      const fresh = rowOf(judge.floor, who)?.status.state === 'not_checked_in';
      const party = await join(who, fresh);
      parties[who] = party.client;
      if (rowOf(party.floor, who)?.status.state === 'checked_in') {
        okData(await party.client.request('floor:ready', { selfTest: GOOD_SELF_TEST }));
      }
      const state = rowOf(floorOf(await party.client.request('floor:help', { requested: false })), who)?.status.state;
      if (state === 'waiting') {
        okData(await judge.client.request('floor:participant', { participantId: idOf(who), action: 'call_in' }));
      }
    }
    return { judge: judge.client, ...parties };
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

  it('only the judge of the hearing has it shown; the request reaches that kiosk alone; the server closes it on stop', async () => {
    const { judge, plaintiff, defendant } = await hearingWithParties();
    const clerk = (await join('clerk', false)).client;
    const toPlaintiff = collect(plaintiff, 'document:show');
    const toDefendant = collect(defendant, 'document:show');
    const toJudge = collect(judge, 'document:show');
    const send = await transports(plaintiff);
    okData(await produce(plaintiff, send, 'camera'));

    // A kiosk without a document camera: refused with the reason's key, nothing shown.
    const noCamera = await show(judge, 'plaintiff', true);
    expect(ackCode(noCamera)).toBe('INVALID_STATE');
    expect(ackMessage(noCamera)).toContain('[document.no_camera]');
    // Nobody sends a document stream unasked, declared camera or not.
    expect(ackCode(await produce(plaintiff, send, 'document'))).toBe('FORBIDDEN');

    // The kiosk says it has one: the judge's desk sees it.
    const declared = floorOf(await plaintiff.request('floor:documentCamera', { available: true }));
    expect(rowOf(declared, 'plaintiff')).toMatchObject({ documentCamera: true, showingDocument: false });
    expect(ackCode(await produce(plaintiff, send, 'document'))).toBe('FORBIDDEN');

    // Only the hearing's judge asks for it: not the clerk, not a kiosk (its own or another's).
    const notTheJudge: Array<[string, RawClient, Who]> = [
      ['the clerk', clerk, 'plaintiff'],
      ['the kiosk itself', plaintiff, 'plaintiff'],
      ['the other party’s kiosk', defendant, 'plaintiff'],
    ];
    for (const [what, client, who] of notTheJudge)
      expect(ackCode(await show(client, who, true)), what).toBe('FORBIDDEN');
    // Staff declare no kiosk document camera; malformed requests are refused by the contract.
    expect(ackCode(await judge.request('floor:documentCamera', { available: true }))).toBe('FORBIDDEN');
    expect(ackCode(await judge.request('floor:showDocument', { participantId: idOf('plaintiff') }))).toBe(
      'BAD_REQUEST',
    );
    expect(ackCode(await judge.request('floor:showDocument', { participantId: 'mallory', show: true }))).toBe(
      'NOT_FOUND',
    );
    await settle();
    expect([toPlaintiff, toDefendant, toJudge]).toEqual([[], [], []]);

    // The judge asks: the kiosk's connection hears it, nobody else's; everyone sees it in the floor.
    const newProducer = collect(defendant, 'producer:new');
    const shown = floorOf(await show(judge, 'plaintiff', true));
    expect(rowOf(shown, 'plaintiff')?.showingDocument).toBe(true);
    await waitFor(() => toPlaintiff.length === 1, 3000, 'the request to reach the plaintiff’s kiosk');
    expect(toPlaintiff).toEqual([{ show: true }]);
    await settle();
    expect([toDefendant, toJudge]).toEqual([[], []]);

    // Now the kiosk's document stream is accepted, beside its camera, and announced to the others.
    const documentId = String(okData(await produce(plaintiff, send, 'document')).producerId);
    expect(ackCode(await produce(plaintiff, send, 'document')), 'a second document stream').toBe('INVALID_STATE');
    expect(
      serverPeer('plaintiff')
        ?.producerInfos()
        .map((p) => p.source),
    ).toEqual(['camera', 'document']);
    await waitFor(() => newProducer.length > 0, 3000, 'the other party to hear of the document stream');
    expect(newProducer).toEqual([
      expect.objectContaining({ producerId: documentId, participantId: idOf('plaintiff'), source: 'document' }),
    ]);

    // The judge stops it: the server closes the stream (everyone's consumers go) and tells the kiosk.
    const closed = collect(defendant, 'producer:closed');
    const stopped = floorOf(await show(judge, 'plaintiff', false));
    expect(rowOf(stopped, 'plaintiff')).toMatchObject({ documentCamera: true, showingDocument: false });
    await waitFor(() => documentProducers('plaintiff').length === 0, 3000, 'the server to close the document stream');
    expect(
      serverPeer('plaintiff')
        ?.producerInfos()
        .map((p) => p.source),
    ).toEqual(['camera']);
    await waitFor(() => closed.length === 1, 3000, 'the other party to hear the stream closed');
    expect(closed).toEqual([{ producerId: documentId, participantId: idOf('plaintiff') }]);
    await waitFor(() => toPlaintiff.length === 2, 3000, 'the stop to reach the kiosk');
    expect(toPlaintiff[1]).toEqual({ show: false });
    expect(ackCode(await produce(plaintiff, send, 'document')), 'after the stop').toBe('FORBIDDEN');
    // Stopping again changes nothing and is no error.
    expect(rowOf(floorOf(await show(judge, 'plaintiff', false)), 'plaintiff')?.showingDocument).toBe(false);

    // Both are on the record of the hearing.
    const events = await app.database.db
      .selectFrom('floor_events')
      .select(['action', 'participant_id', 'actor'])
      .where('hearing_id', '=', access.hearingId)
      .where('action', 'in', ['document_show', 'document_stop'])
      .orderBy('at_ms')
      .execute();
    expect(events).toEqual([
      { action: 'document_show', participant_id: idOf('plaintiff'), actor: `user:${idOf('judge')}` },
      { action: 'document_stop', participant_id: idOf('plaintiff'), actor: `user:${idOf('judge')}` },
    ]);
  });

  it('is refused, with stable codes, for a party not connected, not in the hearing, or of another hearing', async () => {
    const { judge, plaintiff, defendant } = await hearingWithParties();
    for (const client of [plaintiff, defendant])
      okData(await client.request('floor:documentCamera', { available: true }));

    // In the waiting room: evidence is shown in the hearing.
    okData(await judge.request('floor:participant', { participantId: idOf('defendant'), action: 'dismiss' }));
    const waiting = await show(judge, 'defendant', true);
    expect([ackCode(waiting), ackMessage(waiting)]).toEqual([
      'INVALID_STATE',
      expect.stringContaining('[document.not_in_hearing]'),
    ]);

    // Sent back to the waiting room while shown: the showing and its stream end.
    okData(await judge.request('floor:participant', { participantId: idOf('defendant'), action: 'call_in' }));
    okData(await defendant.request('floor:documentCamera', { available: true }));
    okData(await show(judge, 'defendant', true));
    const send = await transports(defendant);
    okData(await produce(defendant, send, 'document'));
    const dismissed = floorOf(
      await judge.request('floor:participant', { participantId: idOf('defendant'), action: 'dismiss' }),
    );
    expect(rowOf(dismissed, 'defendant')?.showingDocument).toBe(false);
    await waitFor(() => documentProducers('defendant').length === 0, 3000, 'the dismissed party’s document to close');

    // The kiosk's document camera goes away (unplugged, the operator chose none) while shown: it stops.
    okData(await show(judge, 'plaintiff', true));
    const gone = floorOf(await plaintiff.request('floor:documentCamera', { available: false }));
    expect(rowOf(gone, 'plaintiff')).toMatchObject({ documentCamera: false, showingDocument: false });
    expect(ackMessage(await show(judge, 'plaintiff', true))).toContain('[document.no_camera]');

    // Not connected: the kiosk dropped (and its declaration with the connection).
    okData(await plaintiff.request('floor:documentCamera', { available: true }));
    plaintiff.close();
    await waitFor(() => serverPeer('plaintiff') === undefined, 3000, 'the plaintiff’s connection to go');
    const offline = await show(judge, 'plaintiff', true);
    expect([ackCode(offline), ackMessage(offline)]).toEqual([
      'INVALID_STATE',
      expect.stringContaining('[document.not_connected]'),
    ]);
    // Back, it has to say again that it has one.
    const back = await join('plaintiff', false);
    expect(rowOf(back.floor, 'plaintiff')).toMatchObject({ connected: true, documentCamera: false });
    expect(ackMessage(await show(judge, 'plaintiff', true))).toContain('[document.no_camera]');

    // The judge of another hearing (another court) can neither join this one nor reach its parties.
    const chen = await app.accounts.login({
      username: 'judge.chen',
      password: app.demo?.password ?? '',
      ip: '127.0.0.1',
    });
    const otherHearing = app.demo?.hearingIds[2] ?? '';
    const stranger = await connect({ token: chen.token });
    expect(
      ackCode(
        await stranger.request('hearing:join', { hearingId: access.hearingId, participantId: chen.principal.userId }),
      ),
    ).toBe('FORBIDDEN');
    okData(await stranger.request('hearing:join', { hearingId: otherHearing, participantId: chen.principal.userId }));
    okData(await stranger.request('floor:command', { command: { type: 'open' } }));
    okData(await back.client.request('floor:documentCamera', { available: true }));
    const toPlaintiff = collect(back.client, 'document:show');
    expect(ackCode(await show(stranger, 'plaintiff', true))).toBe('NOT_FOUND');
    await settle();
    expect(toPlaintiff).toEqual([]);
    expect(
      rowOf(floorOf(await back.client.request('floor:help', { requested: false })), 'plaintiff')?.showingDocument,
    ).toBe(false);
  });

  it('records a shown document as its own segments, ended by the stop without a gap', async () => {
    const { judge, plaintiff } = await hearingWithParties();
    okData(await plaintiff.request('floor:documentCamera', { available: true }));
    const send = await transports(plaintiff);
    okData(await produce(plaintiff, send, 'camera'));
    const state = (await app.floors.loaded(access.hearingId))?.state;
    if (state !== 'in_session') okData(await judge.request('floor:command', { command: { type: 'start' } }));
    const recordsDocument = () =>
      app.recordings
        .recorders(access.hearingId)
        .some((r) => r.participantId === idOf('plaintiff') && r.source === 'document');

    okData(await show(judge, 'plaintiff', true));
    okData(await produce(plaintiff, send, 'document'));
    await waitFor(recordsDocument, 10_000, 'a recorder of the document camera');
    okData(await show(judge, 'plaintiff', false));
    await waitFor(() => !recordsDocument(), 10_000, 'the document recorder to stop');
    await app.recordings.settled(access.hearingId);

    const segments = await app.database.db
      .selectFrom('recording_segments')
      .select(['participant_id', 'kind', 'source', 'stop_reason'])
      .where('hearing_id', '=', access.hearingId)
      .where('participant_id', '=', idOf('plaintiff'))
      .execute();
    // The camera goes on being recorded; the document camera's segment is its own, stopped by the judge.
    expect(segments.filter((s) => s.source === 'document')).toEqual([
      { participant_id: idOf('plaintiff'), kind: 'video', source: 'document', stop_reason: 'document_stopped' },
    ]);
    expect(segments.filter((s) => s.source === 'camera' && s.stop_reason === null)).toHaveLength(1);
    // The end of a shown document is no gap of the participant's streams.
    const gaps = await app.database.db
      .selectFrom('recording_gaps')
      .select(['reason', 'kind'])
      .where('hearing_id', '=', access.hearingId)
      .where('participant_id', '=', idOf('plaintiff'))
      .where('ended_ms', 'is', null)
      .execute();
    expect(gaps).toEqual([]);
  });
});
