import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HearingSession } from '../../services/HearingSession.js';
import { RequestError } from '../../services/signaling.js';
import { ProblemText } from './KioskProblem.js';
import { type Problem, problemOf } from './problems.js';

/** The failure of a request as a kiosk problem. */
export function problemOfError(error: unknown): Problem {
  return problemOf(error instanceof RequestError ? error.code : 'INTERNAL');
}

/** One request at a time from a button, with its failure as a sentence. */
function useFloorRequest(): { busy: boolean; problem: Problem | null; send: (run: () => Promise<unknown>) => void } {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const send = (run: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    run().then(
      () => setBusy(false),
      (error: unknown) => {
        setBusy(false);
        setProblem(problemOfError(error));
      },
    );
  };
  return { busy, problem, send };
}

/** The calm recess banner: the hearing is paused (休庭), and why. */
export function PausedBanner({ reason }: { reason: string | null }) {
  const { t } = useTranslation();
  return (
    <div className="kiosk-paused" role="status" data-testid="paused-banner">
      <strong className="kiosk-paused-title">{t('kioskFlow.paused.heading')}</strong>
      {reason && <span>{t('kioskFlow.paused.reason', { reason })}</span>}
      <span>{t('kioskFlow.paused.lead')}</span>
    </div>
  );
}

/** "Need help": tells the court's staff (the clerk's console raises an alert); tap again to cancel. */
export function HelpButton({ session, requested }: { session: HearingSession | null; requested: boolean }) {
  const { t } = useTranslation();
  const { busy, problem, send } = useFloorRequest();
  return (
    <div className="kiosk-control">
      <button
        type="button"
        className={requested ? 'kiosk-button kiosk-help active' : 'kiosk-button kiosk-help'}
        data-testid="need-help"
        data-requested={requested}
        aria-pressed={requested}
        disabled={!session || busy}
        onClick={() => send(() => session?.request('floor:help', { requested: !requested }) ?? Promise.resolve())}
      >
        {requested ? t('kioskFlow.hearing.cancelHelp') : t('kioskFlow.hearing.needHelp')}
      </button>
      {requested && <p className="kiosk-control-note">{t('kioskFlow.hearing.helpRequested')}</p>}
      {problem && <ProblemText problem={problem} />}
    </div>
  );
}

/** "Raise hand" to ask the judge for the floor; tap again to lower it. */
export function HandButton({ session, raised }: { session: HearingSession | null; raised: boolean }) {
  const { t } = useTranslation();
  const { busy, problem, send } = useFloorRequest();
  return (
    <div className="kiosk-control">
      <button
        type="button"
        className={raised ? 'kiosk-button kiosk-hand active' : 'kiosk-button kiosk-hand'}
        data-testid="raise-hand"
        data-raised={raised}
        aria-pressed={raised}
        disabled={!session || busy}
        onClick={() => send(() => session?.request('floor:hand', { raised: !raised }) ?? Promise.resolve())}
      >
        {raised ? t('kioskFlow.hearing.lowerHand') : t('kioskFlow.hearing.raiseHand')}
      </button>
      {raised && <p className="kiosk-control-note">{t('kioskFlow.hearing.handRaised')}</p>}
      {problem && <ProblemText problem={problem} />}
    </div>
  );
}

/** The operator's way out of the waiting room, asked twice so a villager's stray tap does not leave. */
export function LeaveButton({ onLeave }: { onLeave: () => void }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="kiosk-link" data-testid="kiosk-leave" onClick={() => setAsking(true)}>
        {t('kioskFlow.waiting.leave')}
      </button>
    );
  }
  return (
    <div className="kiosk-leave-ask" role="alertdialog" aria-label={t('kioskFlow.waiting.leave')}>
      <p>{t('kioskFlow.waiting.leaveQuestion')}</p>
      <div className="actions">
        <button type="button" className="kiosk-button secondary" onClick={() => setAsking(false)}>
          {t('kioskFlow.waiting.leaveCancel')}
        </button>
        <button type="button" className="kiosk-button" data-testid="kiosk-leave-confirm" onClick={onLeave}>
          {t('kioskFlow.waiting.leaveConfirm')}
        </button>
      </div>
    </div>
  );
}
