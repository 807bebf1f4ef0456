import { useTranslation } from 'react-i18next';
import type { FloorState } from '../../../../shared/floor.js';
import { clockTime, type Person } from './floorView.js';

/** The hearing's state as everyone at a desk reads it: since when, why paused, recording, main view. */
export function HearingStateBar({ floor, people }: { floor: FloorState; people: readonly Person[] }) {
  const { t } = useTranslation();
  const since = clockTime(floor.stateSince, Date.now());
  const spotlight = floor.spotlight ? (people.find((p) => p.id === floor.spotlight)?.name ?? floor.spotlight) : null;
  return (
    <div className="hearing-state-bar">
      <span className={`hearing-state hearing-state-${floor.state}`} data-testid="floor-state" data-state={floor.state}>
        {t(`courtroom.state.${floor.state}`)}
      </span>
      {since && <span className="muted">{t('courtroom.since', { time: since })}</span>}
      {floor.state === 'paused' && floor.pauseReason && (
        <span className="pause-reason" data-testid="pause-reason-shown">
          {t('courtroom.pausedBecause', { reason: floor.pauseReason })}
        </span>
      )}
      {floor.recording && (
        <span className="recording-indicator" data-testid="recording">
          {t('courtroom.recording')}
        </span>
      )}
      {spotlight && <span className="tag">{t('courtroom.spotlightOn', { name: spotlight })}</span>}
    </div>
  );
}
