import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

interface DocumentTileProps {
  /** The document camera's picture (no sound). */
  stream: MediaStream | null;
  /** Whose document camera it is, as the screen names them. */
  label: string;
  participantId: string;
  size: 'large' | 'small';
  /** `document-tile` for a shown document; the kiosk's own preview has its own id. */
  testId?: string;
}

/**
 * A document camera's picture (evidence shown at the judge's request), apart from its owner's camera:
 * never mirrored, the whole page kept in view, and labelled with whose document camera it is.
 */
export function DocumentTile({ stream, label, participantId, size, testId = 'document-tile' }: DocumentTileProps) {
  const { t } = useTranslation();
  const videoRef = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = videoRef.current;
    if (video && video.srcObject !== stream) video.srcObject = stream;
  }, [stream]);
  return (
    <figure className={`tile tile-${size} tile-document`} data-testid={testId} data-participant-id={participantId}>
      <video ref={videoRef} autoPlay playsInline muted />
      <figcaption>
        {label}
        <span className="badge badge-document">{t('courtroom.document.badge')}</span>
      </figcaption>
    </figure>
  );
}
