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

interface FloorToggleProps {
  on: boolean;
  session: HearingSession | null;
  /** Asks the server to turn it on or off; the floor state it answers shows the result. */
  request: (session: HearingSession, on: boolean) => Promise<unknown>;
  testId: string;
  /** The data attribute carrying `on`, for tests and styles (data-raised, data-requested). */
  dataName: string;
  kind: string;
  label: { on: string; off: string; note: string };
}

/** A big on/off button of the villager's (raise hand, need help), one request at a time. */
function FloorToggle({ on, session, request, testId, dataName, kind, label }: FloorToggleProps) {
  const { busy, problem, send } = useFloorRequest();
  return (
    <div className="kiosk-control">
      <button
        type="button"
        className={on ? `kiosk-button ${kind} active` : `kiosk-button ${kind}`}
        data-testid={testId}
        {...{ [`data-${dataName}`]: on }}
        aria-pressed={on}
        disabled={!session || busy}
        onClick={() => send(() => (session ? request(session, !on) : Promise.resolve()))}
      >
        {on ? label.on : label.off}
      </button>
      {on && <p className="kiosk-control-note">{label.note}</p>}
      {problem && <ProblemText problem={problem} />}
    </div>
  );
}

/** "Need help": tells the court's staff (the clerk's console raises an alert); tap again to cancel. */
export function HelpButton({ session, requested }: { session: HearingSession | null; requested: boolean }) {
  const { t } = useTranslation();
  return (
    <FloorToggle
      on={requested}
      session={session}
      request={(s, on) => s.request('floor:help', { requested: on })}
      testId="need-help"
      dataName="requested"
      kind="kiosk-help"
      label={{
        on: t('kioskFlow.hearing.cancelHelp'),
        off: t('kioskFlow.hearing.needHelp'),
        note: t('kioskFlow.hearing.helpRequested'),
      }}
    />
  );
}

/** "Raise hand" to ask the judge for the floor; tap again to lower it. */
export function HandButton({ session, raised }: { session: HearingSession | null; raised: boolean }) {
  const { t } = useTranslation();
  return (
    <FloorToggle
      on={raised}
      session={session}
      request={(s, on) => s.request('floor:hand', { raised: on })}
      testId="raise-hand"
      dataName="raised"
      kind="kiosk-hand"
      label={{
        on: t('kioskFlow.hearing.lowerHand'),
        off: t('kioskFlow.hearing.raiseHand'),
        note: t('kioskFlow.hearing.handRaised'),
      }}
    />
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
