import type { ConsoleHearing } from '../../../../shared/floor.js';

/*
 * The judge app's "a party is waiting" notifications, as pure functions: who of the judge's own
 * hearings today is in the waiting room now, and who is new there since the last look. Tested without
 * a browser; client/src/pages/desktop/JudgeShell.tsx polls and shows them through the shell.
 */

/** Roles of the court's own staff: they are not "parties" waiting for the judge. */
const STAFF_ROLES: ReadonlySet<string> = new Set(['judge', 'clerk']);

export interface WaitingParty {
  hearingId: string;
  caseNumber: string;
  participantId: string;
  name: string;
  role: string;
  /** The shared-court site's name, or null when the party appears from the court. */
  site: string | null;
}

/** One notification: the hearing, and the parties newly waiting in it. */
export interface WaitingNotice {
  hearingId: string;
  caseNumber: string;
  parties: WaitingParty[];
}

export const waitingKey = (party: Pick<WaitingParty, 'hearingId' | 'participantId'>): string =>
  `${party.hearingId}/${party.participantId}`;

/**
 * Parties in the waiting room now, of the judge's own hearings (the console lists the whole court's).
 * "Waiting" is the participant state `waiting`: checked in, self-test done,
 * ready to be called in. Hearings that are closed or cancelled have nobody to call in.
 */
export function waitingParties(hearings: readonly ConsoleHearing[], judgeId: string): WaitingParty[] {
  const parties: WaitingParty[] = [];
  for (const hearing of hearings) {
    if (hearing.judgeId !== judgeId) continue;
    if (hearing.floor.state === 'closed' || hearing.floor.state === 'cancelled') continue;
    const people = new Map(hearing.participants.map((p) => [p.id, p]));
    for (const floor of hearing.floor.participants) {
      const person = people.get(floor.participantId);
      if (!person || STAFF_ROLES.has(person.role) || floor.status.state !== 'waiting') continue;
      parties.push({
        hearingId: hearing.hearingId,
        caseNumber: hearing.caseNumber,
        participantId: person.id,
        name: person.name,
        role: person.role,
        site: person.site,
      });
    }
  }
  return parties;
}

/**
 * What to notify: the parties waiting now that were not waiting at the previous look, one notice per
 * hearing. `previous` null (the first look) notifies everyone already waiting: the judge opening the
 * app should learn that a party is waiting. A party who leaves the waiting room and comes back (a
 * dropped connection) is notified again.
 */
export function newlyWaiting(previous: ReadonlySet<string> | null, now: readonly WaitingParty[]): WaitingNotice[] {
  const notices = new Map<string, WaitingNotice>();
  for (const party of now) {
    if (previous?.has(waitingKey(party))) continue;
    const notice = notices.get(party.hearingId) ?? {
      hearingId: party.hearingId,
      caseNumber: party.caseNumber,
      parties: [],
    };
    notice.parties.push(party);
    notices.set(party.hearingId, notice);
  }
  return [...notices.values()];
}
