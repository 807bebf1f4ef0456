import { describe, expect, it } from 'vitest';
import type { FloorParticipant, FloorState } from '../../../../shared/floor.js';
import type { ParticipantStatus } from '../../../../shared/hearingState.js';
import { floorParticipant } from '../courtroom/floorFixtures.js';
import { kioskPhase, signedVersion } from './phase.js';

/** Connected whatever the state: the kiosk's own page is there. */
const participant = (participantId: string, status: ParticipantStatus): FloorParticipant =>
  floorParticipant(participantId, status, { connected: true });

function floor(patch: Partial<FloorState>, me?: ParticipantStatus): FloorState {
  return {
    hearingId: 'h1',
    state: 'open',
    pauseReason: null,
    stateSince: null,
    spotlight: null,
    recording: false,
    recordingNotice: null,
    participants: me ? [participant('p1', me)] : [],
    transcriptVersion: 0,
    signatures: [],
    revision: 1,
    ...patch,
  };
}

describe('kiosk phase', () => {
  it('waits for the first floor', () => {
    expect(kioskPhase(null, 'p1')).toBe('joining');
  });

  it('follows the participant from self-test to waiting room to hearing', () => {
    expect(kioskPhase(floor({}, { state: 'checked_in', resumeTo: null }), 'p1')).toBe('selfTest');
    expect(kioskPhase(floor({}, { state: 'waiting', resumeTo: null }), 'p1')).toBe('waiting');
    expect(kioskPhase(floor({ state: 'in_session' }, { state: 'in_hearing', resumeTo: null }), 'p1')).toBe('inHearing');
    expect(kioskPhase(floor({ state: 'paused' }, { state: 'in_hearing', resumeTo: null }), 'p1')).toBe('inHearing');
    expect(kioskPhase(floor({}, { state: 'left', resumeTo: null }), 'p1')).toBe('left');
  });

  it('shows a disconnected participant where they will resume', () => {
    expect(kioskPhase(floor({}, { state: 'disconnected', resumeTo: 'waiting' }), 'p1')).toBe('waiting');
  });

  it('moves everyone to the transcript when the hearing closes', () => {
    expect(kioskPhase(floor({ state: 'closed' }, { state: 'in_hearing', resumeTo: null }), 'p1')).toBe('transcript');
    expect(kioskPhase(floor({ state: 'cancelled' }), 'p1')).toBe('cancelled');
  });

  it('treats a participant not yet listed as just checked in', () => {
    expect(kioskPhase(floor({}), 'p1')).toBe('selfTest');
  });

  it('knows the newest version this participant signed', () => {
    const signature = { textSha256: 'a'.repeat(64), signedAt: '2026-12-03T10:40:00+08:00', intact: true };
    const signed = floor({
      signatures: [
        { ...signature, participantId: 'p1', version: 2 },
        { ...signature, participantId: 'p1', version: 3 },
        { ...signature, participantId: 'p2', version: 4 },
      ],
    });
    expect(signedVersion(signed, 'p1')).toBe(3);
    expect(signedVersion(signed, 'p3')).toBe(0);
  });
});
