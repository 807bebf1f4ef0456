/**
 * The clerk's transcript editor as a pure state machine: what the textarea holds, which saved version
 * it was started from, what is being saved, and — after a save refused because someone saved a newer
 * version — the clerk's own text, kept aside until they choose what to do with it. Nothing typed is
 * ever dropped: a newer version is adopted only while the editor holds no unsaved text.
 */
import { assertUnreachable } from '../../../../shared/errors.js';
import type { Transcript } from '../../../../shared/floor.js';
import type { ApiFailure } from '../../services/api.js';

/** How long after the last keystroke the editor saves. */
export const AUTOSAVE_DELAY_MS = 2000;

export interface TranscriptDraft {
  /** The first version has been read (before that the editor is not usable). */
  loaded: boolean;
  /** What the textarea shows. */
  text: string;
  /** The version the text was started from: the newest this editor read or saved. */
  baseVersion: number;
  /** The text of `baseVersion`. */
  baseText: string;
  /** When `baseVersion` was saved (ISO 8601), null before the first save. */
  savedAt: string | null;
  /** The text on its way to the server, or null. */
  saving: string | null;
  /** Why the last save failed; cleared by the next successful save. */
  saveFailure: ApiFailure | null;
  /** Why reading the transcript failed (shown until a read succeeds). */
  loadFailure: ApiFailure | null;
  /** The clerk's unsaved text that a newer version displaced from the editor, until they choose. */
  displaced: string | null;
}

export const INITIAL_DRAFT: TranscriptDraft = {
  loaded: false,
  text: '',
  baseVersion: 0,
  baseText: '',
  savedAt: null,
  saving: null,
  saveFailure: null,
  loadFailure: null,
  displaced: null,
};

export type DraftEvent =
  /** The newest version as read from the server. */
  | { type: 'loaded'; transcript: Transcript }
  | { type: 'loadFailed'; failure: ApiFailure }
  | { type: 'edited'; text: string }
  | { type: 'saveStarted'; text: string }
  | { type: 'saved'; transcript: Transcript }
  | { type: 'saveFailed'; failure: ApiFailure }
  /** A save was refused with CONFLICT; `newest` is the version someone else saved meanwhile. */
  | { type: 'conflict'; newest: Transcript; failure: ApiFailure }
  /** Put the displaced text back into the editor (it will be saved over the newer version). */
  | { type: 'keepMine' }
  /** Forget the displaced text. */
  | { type: 'discardMine' };

function adopt(draft: TranscriptDraft, transcript: Transcript): TranscriptDraft {
  return {
    ...draft,
    loaded: true,
    text: transcript.text,
    baseVersion: transcript.version,
    baseText: transcript.text,
    savedAt: transcript.savedAt,
    loadFailure: null,
  };
}

export function hasUnsavedText(draft: TranscriptDraft): boolean {
  return draft.loaded && draft.text !== draft.baseText;
}

export function draftReducer(draft: TranscriptDraft, event: DraftEvent): TranscriptDraft {
  switch (event.type) {
    case 'loaded': {
      if (!draft.loaded) return adopt(draft, event.transcript);
      // Typing or saving: keep the clerk's text; their save will meet the newer version as a conflict.
      if (hasUnsavedText(draft) || draft.saving !== null) return draft;
      if (event.transcript.version <= draft.baseVersion) return { ...draft, loadFailure: null };
      return adopt(draft, event.transcript);
    }
    case 'loadFailed':
      return { ...draft, loadFailure: event.failure };
    case 'edited':
      return { ...draft, text: event.text };
    case 'saveStarted':
      return { ...draft, saving: event.text };
    case 'saved': {
      // An answer older than what the editor already holds changes nothing but the in-flight mark.
      if (event.transcript.version < draft.baseVersion) return { ...draft, saving: null };
      return {
        ...draft,
        saving: null,
        saveFailure: null,
        baseVersion: event.transcript.version,
        baseText: event.transcript.text,
        savedAt: event.transcript.savedAt,
      };
    }
    case 'saveFailed':
      return { ...draft, saving: null, saveFailure: event.failure };
    case 'conflict': {
      const newest = event.newest;
      const adopted = { ...adopt(draft, newest), saving: null };
      // Someone saved exactly this text: nothing of the clerk's is lost.
      if (draft.text === newest.text) return { ...adopted, saveFailure: null };
      const displaced = draft.displaced === null ? draft.text : `${draft.displaced}\n\n${draft.text}`;
      return { ...adopted, displaced, saveFailure: event.failure };
    }
    case 'keepMine':
      if (draft.displaced === null) return draft;
      return { ...draft, text: draft.displaced, displaced: null, saveFailure: null };
    case 'discardMine':
      return {
        ...draft,
        displaced: null,
        saveFailure: draft.saveFailure?.code === 'CONFLICT' ? null : draft.saveFailure,
      };
    default:
      return assertUnreachable(event);
  }
}

/** The editor should send its text now (when the autosave delay is over or the field lost focus). */
export function shouldSave(draft: TranscriptDraft): boolean {
  return draft.loaded && draft.saving === null && draft.text !== draft.baseText;
}

/**
 * What the status line says (and `data-status` carries): text waiting for its autosave counts as
 * saving, since it will be saved without the clerk doing anything; `failed` until a save succeeds.
 */
export type DraftStatus = 'loading' | 'saving' | 'saved' | 'failed';

export function draftStatus(draft: TranscriptDraft): DraftStatus {
  if (!draft.loaded) return draft.loadFailure ? 'failed' : 'loading';
  if (draft.saving !== null) return 'saving';
  if (draft.saveFailure) return 'failed';
  if (draft.text !== draft.baseText) return 'saving';
  return 'saved';
}
