/**
 * A villager's check-in (the ID-number tail they typed and the operator's PIN), held for the hearing
 * room until its join has sent it to the server; after that the server remembers that the participant
 * checked in at this kiosk, and rejoins (a reload, a dropped connection) need nothing. Kept for this
 * tab only (sessionStorage).
 */
export interface CheckIn {
  idTail: string;
  operatorPin: string;
}

const key = (hearingId: string, participantId: string) => `shared-court.check-in.${hearingId}.${participantId}`;

export function rememberCheckIn(hearingId: string, participantId: string, checkIn: CheckIn): void {
  sessionStorage.setItem(key(hearingId, participantId), JSON.stringify(checkIn));
}

export function checkInFor(hearingId: string, participantId: string): CheckIn | null {
  const raw = sessionStorage.getItem(key(hearingId, participantId));
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (
      value &&
      typeof value === 'object' &&
      typeof (value as CheckIn).idTail === 'string' &&
      typeof (value as CheckIn).operatorPin === 'string'
    ) {
      return value as CheckIn;
    }
  } catch {
    /* an older or damaged entry: check in again */
  }
  return null;
}

export function forgetCheckIn(hearingId: string, participantId: string): void {
  sessionStorage.removeItem(key(hearingId, participantId));
}
