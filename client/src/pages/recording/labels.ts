import type { TFunction } from 'i18next';
import type { RecordedParticipant } from './recordingView.js';

/** `张三（原告）`; an id the timeline does not list reads as an unlisted participant. */
export function participantLabel(t: TFunction, participant: RecordedParticipant): string {
  if (participant.name === null) return t('recording.unknownParticipant');
  if (participant.role === null) return participant.name;
  return t('recording.segments.participant', { name: participant.name, role: t(`role.${participant.role}`) });
}

/** Finds a participant of the page by id (an unlisted one when the timeline does not name it). */
export function participantById(participants: readonly RecordedParticipant[], id: string): RecordedParticipant {
  return participants.find((p) => p.id === id) ?? { id, name: null, role: null };
}
