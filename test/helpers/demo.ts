import type { App } from '../../server/App.js';
import type { Floor } from '../../server/hearing/Floor.js';

/** A participant's place in the demo hearing and what its client presents to join it. */
export interface Place {
  participantId: string;
  /** The socket.io handshake `auth`. */
  auth: { token: string } | { kioskCredential: string };
  /** For kiosk participants: the ID-number tail to check in with. */
  idTail?: string;
  /** For kiosk participants: the site operator's PIN confirming the check-in. */
  operatorPin?: string;
  /** What the web UI keeps in localStorage for this sign-in. */
  stored: Record<string, unknown>;
}

export interface DemoAccess {
  hearingId: string;
  judge: Place;
  clerk: Place;
  /** At the 庆元 village site. */
  plaintiff: Place;
  /** At the 临安 community site. */
  defendant: Place;
  /** Every demo kiosk's credential by site id. */
  kioskBySite: Map<string, { kioskId: string; credential: string }>;
}

/**
 * Signs in the demo judge and clerk and enrolls every demo kiosk of a server started with SEED_DEMO,
 * and returns the places in the first demo hearing (the 临安 tenancy dispute).
 */
export async function demoAccess(app: App): Promise<DemoAccess> {
  const demo = app.demo;
  if (!demo) throw new Error('start the server with SEED_DEMO=true');
  const ip = '127.0.0.1';
  const signIn = async (username: string): Promise<Place> => {
    const session = await app.accounts.login({ username, password: demo.password, ip });
    return {
      participantId: session.principal.userId,
      auth: { token: session.token },
      stored: { kind: 'user', token: session.token, expiresMs: session.expiresMs, principal: session.principal },
    };
  };
  const kioskBySite = new Map<string, { kioskId: string; credential: string }>();
  for (const kiosk of demo.kiosks) {
    const enrolled = await app.accounts.enrollKiosk({ code: kiosk.enrollmentCode, ip });
    kioskBySite.set(enrolled.siteId, { kioskId: enrolled.kioskId, credential: enrolled.credential });
  }
  const hearingId = demo.hearingIds[0];
  if (!hearingId) throw new Error('the demo has no hearing');
  const booking = await app.scheduler.get(hearingId);
  const atKiosk = (role: 'plaintiff' | 'defendant'): Place => {
    const participant = booking.participants.find((p) => p.role === role);
    const kiosk = participant?.siteId ? kioskBySite.get(participant.siteId) : undefined;
    if (!participant?.siteId || !kiosk) throw new Error(`the demo ${role} is not at a kiosk`);
    return {
      participantId: participant.id,
      auth: { kioskCredential: kiosk.credential },
      idTail: participant.idTail,
      operatorPin: demo.operatorPin,
      stored: { kind: 'kiosk', credential: kiosk.credential, kioskId: kiosk.kioskId, siteId: participant.siteId },
    };
  };
  return {
    hearingId,
    judge: await signIn('judge.wang'),
    clerk: await signIn('clerk.li'),
    plaintiff: atKiosk('plaintiff'),
    defendant: atKiosk('defendant'),
    kioskBySite,
  };
}

/**
 * Puts kiosk participants of a hearing where a finished check-in, self-test and the judge's call-in
 * leave them, and then drops their connection: the hearing is open, each is 'disconnected' and comes
 * back into the hearing ('in_hearing') when a page of their kiosk joins, without a check-in screen.
 * Done through the server's own floor, as the kiosks and the judge would. For tests and benchmarks of
 * what happens in the hearing rather than before it; answers the hearing's floor.
 */
export async function admitToHearing(app: App, hearingId: string, judge: Place, parties: Place[]): Promise<Floor> {
  const { floor, judge: judgePrincipal } = await hearingFloor(app, hearingId, judge);
  if (floor.state === 'scheduled') await floor.command(judgePrincipal, { type: 'open' });
  for (const place of parties) {
    const kiosk = kioskActor(place);
    await floor.connect(place.participantId, kiosk, kiosk.kioskId); // checked in at this kiosk
    await floor.ready(place.participantId, kiosk, GOOD_SELF_TEST);
    await floor.participantAction(judgePrincipal, place.participantId, 'call_in');
    await floor.disconnect(place.participantId);
  }
  return floor;
}

/** A self-test that passed everything: what a kiosk reports before its party enters the waiting room. */
export const GOOD_SELF_TEST = {
  score: 'good',
  camera: 'ok',
  microphone: 'ok',
  speakerHeard: true,
  rttMs: 1,
  uploadKbps: null,
  downloadKbps: null,
} as const;

/** The kiosk a party sits at, as the floor sees the actor. */
export function kioskActor(place: Place) {
  return { kind: 'kiosk', kioskId: String(place.stored.kioskId), siteId: String(place.stored.siteId) } as const;
}

/** A hearing's live floor, and its judge as the floor's actor (to act as the judge's client would). */
export async function hearingFloor(app: App, hearingId: string, judge: Place) {
  const entry = await app.catalog.load(hearingId);
  if (!entry) throw new Error(`no hearing ${hearingId}`);
  const floor = await app.floors.floor(entry);
  const judgeActor = {
    kind: 'user',
    userId: judge.participantId,
    courtId: entry.booking.courtId,
    role: 'judge',
  } as const;
  return { floor, judge: judgeActor };
}

/** admitToHearing for the demo hearing's parties. */
export async function admitParties(app: App, access: DemoAccess, who: Array<'plaintiff' | 'defendant'>): Promise<void> {
  await admitToHearing(
    app,
    access.hearingId,
    access.judge,
    who.map((party) => access[party]),
  );
}
