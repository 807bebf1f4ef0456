/**
 * The ID-number tail a villager typed at check-in, held for the hearing room that sends it with the
 * join (the server compares it with the booking). Kept for this tab only (sessionStorage): a reload of
 * the room rejoins without asking again, closing the tab forgets it.
 */
const key = (hearingId: string, participantId: string) => `shared-court.check-in.${hearingId}.${participantId}`;

export function rememberCheckIn(hearingId: string, participantId: string, idTail: string): void {
  sessionStorage.setItem(key(hearingId, participantId), idTail);
}

export function checkInFor(hearingId: string, participantId: string): string | null {
  return sessionStorage.getItem(key(hearingId, participantId));
}

export function forgetCheckIn(hearingId: string, participantId: string): void {
  sessionStorage.removeItem(key(hearingId, participantId));
}
