import { describe, expect, it } from 'vitest';
import {
  DOCUMENT_REFUSAL_EXPLANATIONS,
  DOCUMENT_REFUSAL_REASONS,
  DocumentCameraRequestSchema,
  type DocumentRefusalReason,
  documentRefusal,
  ShowDocumentRequestSchema,
} from './floor.js';
import { HEARING_STATES, PARTICIPANT_STATES, type ParticipantStatus } from './hearingState.js';

const status = (state: ParticipantStatus['state']): ParticipantStatus =>
  state === 'disconnected' ? { state, resumeTo: 'in_hearing' } : { state, resumeTo: null };

const READY = { status: status('in_hearing'), connected: true, documentCamera: true };

describe('showing a document camera', () => {
  it('is allowed for a connected party in the hearing whose kiosk has one, while the hearing is live', () => {
    for (const hearing of ['open', 'in_session', 'paused'] as const) {
      expect(documentRefusal(hearing, READY, false), hearing).toBeNull();
    }
  });

  it('is refused for the first unmet condition, each with its own key', () => {
    expect(documentRefusal('closed', { ...READY, connected: false }, true)).toBe('document.hearing_not_live');
    expect(documentRefusal('in_session', { ...READY, connected: false }, true)).toBe('document.staff');
    expect(documentRefusal('in_session', { ...READY, status: status('disconnected'), connected: false }, false)).toBe(
      'document.not_connected',
    );
    expect(documentRefusal('in_session', { ...READY, status: status('waiting') }, false)).toBe(
      'document.not_in_hearing',
    );
    expect(documentRefusal('in_session', { ...READY, documentCamera: false }, false)).toBe('document.no_camera');
  });

  it('has every refusal reachable and explained, so no key is dead', () => {
    const seen = new Set<DocumentRefusalReason>();
    for (const hearing of HEARING_STATES) {
      for (const state of PARTICIPANT_STATES) {
        for (const connected of [true, false]) {
          for (const documentCamera of [true, false]) {
            for (const staff of [true, false]) {
              const reason = documentRefusal(hearing, { status: status(state), connected, documentCamera }, staff);
              if (reason) seen.add(reason);
            }
          }
        }
      }
    }
    expect([...seen].sort()).toEqual([...DOCUMENT_REFUSAL_REASONS].sort());
    for (const reason of DOCUMENT_REFUSAL_REASONS) expect(DOCUMENT_REFUSAL_EXPLANATIONS[reason]).not.toBe('');
  });

  it('takes strict requests', () => {
    expect(ShowDocumentRequestSchema.safeParse({ participantId: 'p1', show: true }).success).toBe(true);
    expect(ShowDocumentRequestSchema.safeParse({ participantId: 'p1' }).success).toBe(false);
    expect(ShowDocumentRequestSchema.safeParse({ participantId: 'p1', show: 'yes' }).success).toBe(false);
    expect(DocumentCameraRequestSchema.safeParse({ available: true, deviceId: 'x' }).success).toBe(false);
  });
});
