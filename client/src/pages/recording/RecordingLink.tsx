import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate, recordingPath } from '../../services/router.js';

/**
 * The way from a hearing list or a closed hearing's room to its recording: a real link (it opens in a new
 * tab too), followed in place on a plain click.
 */
export function RecordingLink({ hearingId, className = 'small-button' }: { hearingId: string; className?: string }) {
  const { t } = useTranslation();
  const path = recordingPath(hearingId);
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(path);
  };
  return (
    <a
      href={path}
      className={`recording-link ${className}`}
      data-testid="recording-link"
      data-hearing-id={hearingId}
      onClick={follow}
    >
      {t('recording.link')}
    </a>
  );
}
