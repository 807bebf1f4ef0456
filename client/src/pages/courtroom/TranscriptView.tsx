import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Transcript } from '../../../../shared/floor.js';
import { failureSentence } from '../../components/ErrorNotice.js';
import type { ApiFailure } from '../../services/api.js';
import type { HearingSession } from '../../services/HearingSession.js';
import { clockTime } from './floorView.js';
import { requestFailure } from './useFloorRequest.js';

interface TranscriptViewProps {
  session: HearingSession | null;
  /** The newest version the server announced; a higher one than shown is read again. */
  transcriptVersion: number;
  joined: boolean;
}

/** The transcript as the judge follows it: read-only, re-read whenever the clerk saves a version. */
export function TranscriptView({ session, transcriptVersion, joined }: TranscriptViewProps) {
  const { t } = useTranslation();
  const [shown, setShown] = useState<Transcript | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  const read = useCallback(async () => {
    if (!session) return;
    try {
      const transcript = await session.request('transcript:get');
      setFailure(null);
      // Answers can cross: never go back to an older version.
      setShown((previous) => (previous && previous.version > transcript.version ? previous : transcript));
    } catch (error) {
      setFailure(requestFailure(error));
    }
  }, [session]);

  const shownVersion = shown?.version ?? -1;
  useEffect(() => {
    if (joined && transcriptVersion > shownVersion) void read();
  }, [joined, transcriptVersion, shownVersion, read]);

  const savedAt = clockTime(shown?.savedAt ?? null, Date.now());
  return (
    <section className="desk-panel transcript" aria-label={t('courtroom.transcript.heading')}>
      <div className="transcript-heading">
        <h2>{t('courtroom.transcript.heading')}</h2>
        <span data-testid="transcript-version" data-version={shown?.version ?? 0}>
          {shown && shown.version > 0
            ? t('courtroom.transcript.version', { version: shown.version })
            : t('courtroom.transcript.noVersion')}
          {savedAt && ` · ${t('courtroom.transcript.savedAt', { time: savedAt })}`}
        </span>
      </div>
      <p className="muted">{t('courtroom.transcript.readOnly')}</p>
      {failure && (
        <div className="form-error" role="alert">
          {t('courtroom.transcript.loadFailed', { sentence: failureSentence(t, failure) })}{' '}
          <button type="button" className="small-button" onClick={() => void read()}>
            {t('courtroom.transcript.reload')}
          </button>
        </div>
      )}
      <div className="transcript-text" data-testid="transcript-text">
        {shown && shown.text !== '' ? shown.text : <span className="muted">{t('courtroom.transcript.empty')}</span>}
      </div>
    </section>
  );
}
