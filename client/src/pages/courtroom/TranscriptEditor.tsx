import { useCallback, useEffect, useReducer, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_TRANSCRIPT_CHARS } from '../../../../shared/floor.js';
import { failureSentence } from '../../components/ErrorNotice.js';
import type { HearingSession } from '../../services/HearingSession.js';
import { clockTime } from './floorView.js';
import {
  AUTOSAVE_DELAY_MS,
  draftReducer,
  draftStatus,
  hasUnsavedText,
  INITIAL_DRAFT,
  shouldSave,
} from './transcriptDraft.js';
import { requestFailure } from './useFloorRequest.js';

interface TranscriptEditorProps {
  session: HearingSession | null;
  /** The newest version the server announced (FloorState.transcriptVersion). */
  transcriptVersion: number;
  /** The session is joined: requests can go out. */
  joined: boolean;
  /** Someone has signed a version already. */
  signed: boolean;
}

/**
 * The clerk's transcript (笔录): saved about two seconds after typing stops and when the field loses
 * focus, each save naming the version it started from. When someone else saved a newer version first,
 * the editor shows that version and keeps the clerk's text beside it until they choose.
 */
export function TranscriptEditor({ session, transcriptVersion, joined, signed }: TranscriptEditorProps) {
  const { t } = useTranslation();
  const [draft, dispatch] = useReducer(draftReducer, INITIAL_DRAFT);
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const inflight = useRef(false);
  const timer = useRef<number | null>(null);

  const clearTimer = useCallback(() => {
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = null;
  }, []);

  const read = useCallback(async () => {
    if (!session) return;
    try {
      dispatch({ type: 'loaded', transcript: await session.request('transcript:get') });
    } catch (error) {
      dispatch({ type: 'loadFailed', failure: requestFailure(error) });
    }
  }, [session]);

  const save = useCallback(async () => {
    clearTimer();
    const current = draftRef.current;
    if (!session || inflight.current || !shouldSave(current)) return;
    inflight.current = true;
    const text = current.text;
    dispatch({ type: 'saveStarted', text });
    try {
      const saved = await session.request('transcript:save', { text, baseVersion: current.baseVersion });
      dispatch({ type: 'saved', transcript: saved });
    } catch (error) {
      const failure = requestFailure(error);
      if (failure.code === 'CONFLICT') {
        try {
          dispatch({ type: 'conflict', newest: await session.request('transcript:get'), failure });
        } catch {
          dispatch({ type: 'saveFailed', failure });
        }
      } else {
        dispatch({ type: 'saveFailed', failure });
      }
    } finally {
      inflight.current = false;
    }
  }, [session, clearTimer]);

  const schedule = useCallback(() => {
    clearTimer();
    timer.current = window.setTimeout(() => {
      timer.current = null;
      void save();
    }, AUTOSAVE_DELAY_MS);
  }, [clearTimer, save]);

  // The first read, once the session is in the hearing.
  useEffect(() => {
    if (joined && !draft.loaded) void read();
  }, [joined, draft.loaded, read]);

  // A newer version saved elsewhere (another window of the clerk): shown while nothing here is unsaved.
  const unsaved = hasUnsavedText(draft);
  const saving = draft.saving !== null;
  useEffect(() => {
    if (joined && draft.loaded && !unsaved && !saving && transcriptVersion > draft.baseVersion) void read();
  }, [joined, draft.loaded, unsaved, saving, transcriptVersion, draft.baseVersion, read]);

  // Text typed while a save was on its way, or put back after a conflict, is saved in turn; after a
  // failure the next keystroke, the retry button or the rejoin saves it, not a loop of retries.
  useEffect(() => {
    if (shouldSave(draft) && draft.saveFailure === null && timer.current === null) schedule();
  }, [draft, schedule]);

  // Back in the hearing after a dropped connection: save what waited.
  useEffect(() => {
    if (joined && shouldSave(draftRef.current)) void save();
  }, [joined, save]);

  useEffect(() => clearTimer, [clearTimer]);

  // Closing the window with unsaved text asks first.
  const atRisk = unsaved || saving || draft.displaced !== null;
  useEffect(() => {
    if (!atRisk) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [atRisk]);

  const status = draftStatus(draft);
  const statusText =
    status === 'saving' && !saving
      ? t('courtroom.transcript.status.pending')
      : t(`courtroom.transcript.status.${status}`);
  const savedAt = clockTime(draft.savedAt, Date.now());
  const conflict = draft.displaced !== null;

  return (
    <section className="desk-panel transcript" aria-label={t('courtroom.transcript.heading')}>
      <div className="transcript-heading">
        <h2>{t('courtroom.transcript.heading')}</h2>
        <span data-testid="transcript-version" data-version={draft.baseVersion}>
          {draft.baseVersion > 0
            ? t('courtroom.transcript.version', { version: draft.baseVersion })
            : t('courtroom.transcript.noVersion')}
          {savedAt && ` · ${t('courtroom.transcript.savedAt', { time: savedAt })}`}
        </span>
        <span
          className={`transcript-status transcript-status-${status}`}
          data-testid="transcript-status"
          data-status={status}
          data-unsaved={unsaved}
          role="status"
        >
          {statusText}
        </span>
      </div>
      {signed && <p className="warning-text">{t('courtroom.transcript.signedNote')}</p>}
      {draft.loadFailure && (
        <div className="form-error" role="alert">
          {t('courtroom.transcript.loadFailed', { sentence: failureSentence(t, draft.loadFailure) })}{' '}
          <button type="button" className="small-button" onClick={() => void read()}>
            {t('courtroom.transcript.reload')}
          </button>
        </div>
      )}
      {draft.saveFailure && !conflict && (
        <div className="form-error" role="alert" data-testid="transcript-error" data-code={draft.saveFailure.code}>
          {t('courtroom.transcript.saveFailed', { sentence: failureSentence(t, draft.saveFailure) })}{' '}
          {unsaved && (
            <button type="button" className="small-button" disabled={saving} onClick={() => void save()}>
              {t('courtroom.transcript.retry')}
            </button>
          )}
        </div>
      )}
      {conflict && (
        <div className="transcript-conflict" role="alert" data-testid="transcript-conflict">
          <p>{t('courtroom.transcript.conflict', { version: draft.baseVersion })}</p>
          <label className="field">
            <span>{t('courtroom.transcript.mine')}</span>
            <textarea readOnly rows={6} value={draft.displaced ?? ''} data-testid="transcript-mine" />
          </label>
          <div className="row-actions">
            <button
              type="button"
              className="big-button"
              data-testid="transcript-keep-mine"
              onClick={() => dispatch({ type: 'keepMine' })}
            >
              {t('courtroom.transcript.keepMine')}
            </button>
            <button
              type="button"
              className="big-button secondary"
              data-testid="transcript-discard-mine"
              onClick={() => dispatch({ type: 'discardMine' })}
            >
              {t('courtroom.transcript.discardMine')}
            </button>
          </div>
        </div>
      )}
      <textarea
        className="transcript-editor"
        data-testid="transcript-editor"
        aria-label={t('courtroom.transcript.heading')}
        placeholder={t('courtroom.transcript.placeholder')}
        maxLength={MAX_TRANSCRIPT_CHARS}
        disabled={!draft.loaded}
        value={draft.text}
        onChange={(e) => {
          dispatch({ type: 'edited', text: e.target.value });
          schedule();
        }}
        onBlur={() => void save()}
      />
    </section>
  );
}
