import type { FloorParticipant } from '../../../../shared/floor.js';
import type { ParticipantState, ParticipantStatus } from '../../../../shared/hearingState.js';

/*
 * Test fixtures of the floor's participants, for the unit tests of the screens that read a FloorState
 * (courtroom, kiosk, the judge app's notifications). Imported by tests only.
 */

/** A participant's status in `state` (a dropped connection comes back to the waiting room). */
export const statusAt = (state: ParticipantState): ParticipantStatus =>
  state === 'disconnected' ? { state, resumeTo: 'waiting' } : { state, resumeTo: null };

/** A participant of the floor: connected in the states where a client is there, nothing else going on. */
export function floorParticipant(
  id: string,
  status: ParticipantStatus,
  extra: Partial<FloorParticipant> = {},
): FloorParticipant {
  return {
    participantId: id,
    status,
    connected: status.state !== 'not_checked_in' && status.state !== 'left' && status.state !== 'disconnected',
    muted: false,
    handRaised: false,
    helpRequested: false,
    quality: null,
    camera: null,
    microphone: null,
    selfTest: null,
    documentCamera: false,
    showingDocument: false,
    ...extra,
  };
}
