import { useTranslation } from 'react-i18next';
import type { FloorParticipant } from '../../../../shared/floor.js';
import { deviceProblems, qualityView } from './floorView.js';

interface ParticipantFactsProps {
  participant: FloorParticipant;
  spotlighted: boolean;
  /** Give the hand and help flags their test ids (the room does; the console lists many hearings). */
  withTestIds?: boolean;
}

/**
 * What the court sees of one participant at a glance: their state, the judge's mute, a raised hand or a
 * call for help, their kiosk's document camera (there, or shown now), the connection's grade and
 * figures, and camera or microphone trouble.
 */
export function ParticipantFacts({ participant: p, spotlighted, withTestIds = false }: ParticipantFactsProps) {
  const { t } = useTranslation();
  const quality = qualityView(p);
  const figures = [
    quality.rttMs !== null ? t('courtroom.stats.rtt', { value: quality.rttMs }) : null,
    quality.packetLossPct !== null ? t('courtroom.stats.loss', { value: quality.packetLossPct }) : null,
    quality.sendKbps !== null ? t('courtroom.stats.send', { value: quality.sendKbps }) : null,
    quality.recvKbps !== null ? t('courtroom.stats.recv', { value: quality.recvKbps }) : null,
  ].filter((f): f is string => f !== null);
  const id = p.participantId;
  return (
    <div className="floor-facts">
      <span className={`floor-chip floor-state-${p.status.state}`}>
        {t(`courtroom.participantState.${p.status.state}`)}
      </span>
      {p.muted && <span className="floor-chip floor-flag-muted">{t('courtroom.flag.muted')}</span>}
      {p.handRaised && (
        <span className="floor-chip floor-flag-hand" data-testid={withTestIds ? `hand-${id}` : undefined}>
          {t('courtroom.flag.hand')}
        </span>
      )}
      {p.helpRequested && (
        <span className="floor-chip floor-flag-help" data-testid={withTestIds ? `help-${id}` : undefined}>
          {t('courtroom.flag.help')}
        </span>
      )}
      {spotlighted && <span className="floor-chip floor-flag-spotlight">{t('courtroom.flag.spotlight')}</span>}
      {p.showingDocument ? (
        <span
          className="floor-chip floor-flag-document"
          data-testid={withTestIds ? `showing-document-${id}` : undefined}
        >
          {t('courtroom.flag.showingDocument')}
        </span>
      ) : (
        p.documentCamera && (
          <span className="floor-chip floor-flag-document-camera">{t('courtroom.flag.documentCamera')}</span>
        )
      )}
      <span className={`floor-quality quality-${quality.label}`} data-quality={quality.label}>
        {t(`courtroom.quality.${quality.label}`)}
        {figures.length > 0 && <span className="floor-figures"> · {figures.join(' · ')}</span>}
      </span>
      {deviceProblems(p).map((problem) => (
        <span key={problem} className="floor-chip floor-flag-device">
          {t(`courtroom.device.${problem}`)}
        </span>
      ))}
    </div>
  );
}
