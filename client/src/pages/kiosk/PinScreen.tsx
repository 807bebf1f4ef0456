import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { SiteHearingSchema } from '../../../../shared/api.js';
import { Keypad } from '../../components/Keypad.js';
import { timeRange } from '../../services/shanghaiTime.js';
import { ProblemText } from './KioskProblem.js';
import { isCompletePin, PIN_KEYPAD, PIN_MAX, PIN_MIN, pinKeyOf, pressPinKey } from './pinInput.js';
import type { Problem } from './problems.js';

type SiteHearing = z.infer<typeof SiteHearingSchema>;

interface PinScreenProps {
  hearing: SiteHearing;
  participant: SiteHearing['participants'][number];
  pin: string;
  problem: Problem | null;
  stale: ReactNode;
  onPin: (pin: string) => void;
  onBack: () => void;
  onSubmit: () => void;
}

/**
 * The operator confirms the villager's identity with their PIN: a masked display, a big digit keypad
 * (same keys and test ids as the ID-tail keypad, plus clear) and one button on to the self-test.
 */
export function PinScreen({ hearing, participant, pin, problem, stale, onPin, onBack, onSubmit }: PinScreenProps) {
  const { t } = useTranslation();
  const complete = isCompletePin(pin);

  // A hardware keyboard works the same keypad.
  const latest = useRef({ pin, complete, onPin, onSubmit });
  latest.current = { pin, complete, onPin, onSubmit };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const { pin: current, complete: ready, onPin: setPin, onSubmit: submit } = latest.current;
      if (event.key === 'Enter') {
        if (ready) submit();
        return;
      }
      const key = pinKeyOf(event.key);
      if (key) setPin(pressPinKey(current, key));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const boxes = Math.max(PIN_MIN, Math.min(PIN_MAX, pin.length + (pin.length < PIN_MAX ? 1 : 0)));
  return (
    <main className="kiosk kiosk-check-in" data-testid="checkin-pin">
      {stale}
      <div className="kiosk-heading">
        <h2>{t('kioskFlow.pin.heading')}</h2>
        <span className="kiosk-date">
          {t('kioskFlow.pin.forWhom', { role: t(`role.${participant.role}`), name: participant.name })} ·{' '}
          {timeRange(hearing.startMs, hearing.endMs)} {hearing.title}
        </span>
      </div>
      <div className="check-in-body">
        <div className="check-in-side">
          {problem ? (
            <ProblemText problem={problem} testId="checkin-error" />
          ) : (
            <p className="kiosk-lead">{t('kioskFlow.pin.lead')}</p>
          )}
          <output className="tail-display pin-display" data-testid="check-in-pin" aria-label={t('kioskFlow.pin.label')}>
            {Array.from({ length: boxes }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the boxes are positions
              <span key={i} className={i < pin.length ? 'tail-box filled' : 'tail-box'}>
                {i < pin.length ? '●' : ''}
              </span>
            ))}
          </output>
          <div className="actions">
            <button type="button" className="kiosk-button secondary" data-testid="kiosk-back" onClick={onBack}>
              {t('common.back')}
            </button>
            <button
              type="button"
              className="kiosk-button"
              data-testid="check-in-submit"
              disabled={!complete}
              onClick={onSubmit}
            >
              {t('kioskFlow.pin.submit')}
            </button>
          </div>
        </div>
        <Keypad keys={PIN_KEYPAD} value={pin} press={pressPinKey} onChange={onPin} />
      </div>
    </main>
  );
}
