import { assertUnreachable } from '../../../../shared/errors.js';
import type { FloorState } from '../../../../shared/floor.js';
import type { ParticipantState } from '../../../../shared/hearingState.js';

/** The kiosk's screen once it is in the hearing, driven by the server's FloorState. */
export type KioskPhase = 'joining' | 'selfTest' | 'waiting' | 'inHearing' | 'transcript' | 'cancelled' | 'left';

function phaseOfParticipant(state: ParticipantState): KioskPhase {
  switch (state) {
    case 'not_checked_in':
    case 'checked_in':
      return 'selfTest';
    case 'waiting':
      return 'waiting';
    case 'in_hearing':
      return 'inHearing';
    case 'left':
      return 'left';
    case 'disconnected':
      // Only while the server has not yet seen this connection's rejoin: shown like where it resumes.
      return 'selfTest';
    default:
      return assertUnreachable(state);
  }
}

/**
 * Which screen the kiosk shows: the hearing's end first (transcript, cancelled), then the participant's
 * own place (self-test, waiting room, in the hearing). A participant the floor does not list yet is
 * treated as just checked in.
 */
export function kioskPhase(floor: FloorState | null, participantId: string): KioskPhase {
  if (!floor) return 'joining';
  if (floor.state === 'closed') return 'transcript';
  if (floor.state === 'cancelled') return 'cancelled';
  const me = floor.participants.find((p) => p.participantId === participantId);
  if (!me) return 'selfTest';
  const { state, resumeTo } = me.status;
  return phaseOfParticipant(state === 'disconnected' && resumeTo ? resumeTo : state);
}

/** The transcript version this participant has signed, or 0. */
export function signedVersion(floor: FloorState | null, participantId: string): number {
  if (!floor) return 0;
  return floor.signatures
    .filter((s) => s.participantId === participantId)
    .reduce((max, s) => Math.max(max, s.version), 0);
}
