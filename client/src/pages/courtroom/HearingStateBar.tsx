import { useTranslation } from 'react-i18next';
import type { FloorState } from '../../../../shared/floor.js';
import type { EventOf } from '../../../../shared/signaling.js';
import { clockTime, type Person } from './floorView.js';

/**
 * The hearing's state as everyone at a desk reads it: since when, why paused, recording (and why not),
 * main view, and the newest alert the server sent the judge and clerk (a recorder failed, the disk).
 */
export function HearingStateBar({
  floor,
  people,
  alerts = [],
}: {
  floor: FloorState;
  people: readonly Person[];
  alerts?: readonly EventOf<'alert:raised'>[];
}) {
  const { t } = useTranslation();
  const since = clockTime(floor.stateSince, Date.now());
  const latest = alerts.at(-1);
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
      {floor.recordingNotice && (
        <span
          className="recording-notice"
          role="alert"
          data-testid="recording-notice"
          data-notice={floor.recordingNotice}
        >
          {t(`courtroom.recordingNotice.${floor.recordingNotice}`)}
        </span>
      )}
      {spotlight && <span className="tag">{t('courtroom.spotlightOn', { name: spotlight })}</span>}
      {latest && (
        <span className="room-alert" role="status" data-testid="room-alert" data-kind={latest.kind}>
          {t('courtroom.roomAlert', {
            time: clockTime(latest.raisedAt, Date.now()) ?? '',
            what: t(`courtroom.alert.${latest.kind}`),
            who: latest.participantId ? (people.find((p) => p.id === latest.participantId)?.name ?? '') : '',
          })}
        </span>
      )}
    </div>
  );
}
