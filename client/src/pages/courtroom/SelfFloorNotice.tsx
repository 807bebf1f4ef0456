import { useTranslation } from 'react-i18next';
import type { FloorParticipant } from '../../../../shared/floor.js';
import { failureSentence } from '../../components/ErrorNotice.js';
import type { FloorRequests } from './useFloorRequest.js';

/**
 * What a participant other than the judge needs to know of their own place on the floor: the judge
 * muted them (the server holds their microphone), and the way to ask to speak — raising a hand.
 */
export function SelfFloorNotice({ self, requests }: { self: FloorParticipant; requests: FloorRequests }) {
  const { t } = useTranslation();
  if (!self.muted && !self.handRaised && !requests.failure) return null;
  return (
    <div className="self-floor" data-testid="self-floor" data-muted={self.muted} data-hand={self.handRaised}>
      {self.muted && <p>{t('courtroom.self.muted')}</p>}
      {self.handRaised && <p>{t('courtroom.self.handRaised')}</p>}
      <button
        type="button"
        className="big-button"
        data-testid="self-hand"
        disabled={requests.busy}
        onClick={() => void requests.send('floor:hand', { raised: !self.handRaised })}
      >
        {self.handRaised ? t('courtroom.self.lowerHand') : t('courtroom.self.raiseHand')}
      </button>
      {requests.failure && (
        <p className="form-error" role="alert">
          {t('courtroom.self.failed', { sentence: failureSentence(t, requests.failure) })}
        </p>
      )}
    </div>
  );
}
