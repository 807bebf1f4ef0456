import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { assertUnreachable } from '../../../../shared/errors.js';
import { checkInFor, forgetCheckIn } from '../../services/checkIn.js';
import { navigate, redirect } from '../../services/router.js';
import { useChosenDevices, useHearingSession } from '../../services/useHearingSession.js';
import { InHearing } from './InHearing.js';
import { ProblemScreen } from './KioskProblem.js';
import { kioskPhase } from './phase.js';
import { checkInRefusal, problemOf } from './problems.js';
import { storeRefusal } from './refusal.js';
import { SelfTest } from './SelfTest.js';
import { TranscriptSign } from './TranscriptSign.js';
import { KIOSK_IDLE_MS, SELFTEST_IDLE_MS, useIdle } from './useIdle.js';
import { WaitingRoom } from './WaitingRoom.js';

/** Joining longer than this shows what the operator can check, and the way back. */
const SLOW_JOIN_MS = 15_000;

interface KioskHearingProps {
  hearingId: string;
  participantId: string;
}

/**
 * A villager's hearing at the kiosk (route /kiosk/hearing/:hearingId/:participantId), driven by the
 * server's FloorState: self-test → waiting room → in the hearing (with recess) → transcript and
 * signature → thank-you. A refused check-in goes back to the keypad with the reason; a dropped
 * connection shows a calm "reconnecting" over the screen while the session rejoins by itself.
 */
export function KioskHearing({ hearingId, participantId }: KioskHearingProps) {
  const { t } = useTranslation();
  const [attempt, setAttempt] = useState(0);
  // The ID tail this join sends (read before the session forgets it), kept if only the PIN was wrong.
  const [sentTail] = useState(() => checkInFor(hearingId, participantId)?.idTail ?? '');
  // In the kiosk shell: the camera, microphone, speaker and document camera its operator chose.
  const devices = useChosenDevices();
  const { session, snapshot } = useHearingSession(hearingId, participantId, attempt, devices);
  const home = useCallback(() => navigate('/kiosk'), []);
  const again = () => setAttempt((n) => n + 1);

  const refusal =
    snapshot.status === 'failed' && snapshot.error ? checkInRefusal(snapshot.error, snapshot.self !== null) : null;
  const refusedProblem = refusal?.problem;
  const refusedStep = refusal?.step;
  useEffect(() => {
    if (!refusedProblem || !refusedStep) return;
    // Not to be sent again by a reload: the keypad asks for it anew.
    forgetCheckIn(hearingId, participantId);
    storeRefusal({ hearingId, participantId, idTail: sentTail, problem: refusedProblem, step: refusedStep });
    redirect('/kiosk');
  }, [refusedProblem, refusedStep, hearingId, participantId, sentTail]);

  const phase = kioskPhase(snapshot.floor, participantId);
  const live = snapshot.status === 'joined' || snapshot.status === 'reconnecting';
  // Idle: back to the welcome screen, except while waiting, in the hearing, or reading the transcript
  // (which keeps its own, longer rule).
  const idleMs = !live
    ? KIOSK_IDLE_MS
    : phase === 'selfTest'
      ? SELFTEST_IDLE_MS
      : phase === 'waiting' || phase === 'inHearing' || phase === 'transcript'
        ? null
        : KIOSK_IDLE_MS;
  useIdle(idleMs !== null && !refusal, idleMs ?? KIOSK_IDLE_MS, home);

  const homeButton = (
    <button type="button" className="kiosk-button secondary" onClick={home}>
      {t('kioskFlow.actions.home')}
    </button>
  );
  const enterAgainButton = (
    <button type="button" className="kiosk-button" onClick={again}>
      {t('kioskFlow.actions.enterAgain')}
    </button>
  );

  if (refusal) return <Joining onHome={home} />;
  switch (snapshot.status) {
    case 'failed':
      return (
        <ProblemScreen problem={problemOf(snapshot.error?.code ?? 'INTERNAL')} testId="kiosk-error">
          {homeButton}
          <button type="button" className="kiosk-button" onClick={again}>
            {t('kioskFlow.actions.retry')}
          </button>
        </ProblemScreen>
      );
    case 'removed':
      return (
        <ProblemScreen problem="removed" testId="kiosk-error">
          {homeButton}
          {enterAgainButton}
        </ProblemScreen>
      );
    case 'left':
      return (
        <ProblemScreen problem="left" testId="kiosk-error">
          {homeButton}
          {enterAgainButton}
        </ProblemScreen>
      );
    case 'idle':
    case 'joining':
    case 'joined':
    case 'reconnecting':
      break;
    default:
      return assertUnreachable(snapshot.status);
  }

  const floor = snapshot.floor;
  const reconnecting = snapshot.status === 'reconnecting' && <Reconnecting />;
  if (!live || !floor) {
    return (
      <>
        <Joining onHome={home} />
        {reconnecting}
      </>
    );
  }
  let screen: ReactNode;
  switch (phase) {
    case 'joining':
    case 'selfTest':
      screen = <SelfTest session={session} snapshot={snapshot} onHome={home} />;
      break;
    case 'waiting':
      screen = (
        <WaitingRoom session={session} snapshot={snapshot} floor={floor} participantId={participantId} onLeave={home} />
      );
      break;
    case 'inHearing':
      screen = <InHearing session={session} snapshot={snapshot} floor={floor} participantId={participantId} />;
      break;
    case 'transcript':
      screen = (
        <TranscriptSign
          session={session}
          snapshot={snapshot}
          floor={floor}
          participantId={participantId}
          onHome={home}
        />
      );
      break;
    case 'cancelled':
      screen = (
        <ProblemScreen problem="hearingCancelled" testId="kiosk-error">
          {homeButton}
        </ProblemScreen>
      );
      break;
    case 'left':
      screen = (
        <ProblemScreen problem="left" testId="kiosk-error">
          {homeButton}
          {enterAgainButton}
        </ProblemScreen>
      );
      break;
    default:
      screen = assertUnreachable(phase);
  }
  return (
    <>
      {screen}
      {reconnecting}
    </>
  );
}

/** Entering the hearing; after a while, what the operator can check and the way back. */
function Joining({ onHome }: { onHome: () => void }) {
  const { t } = useTranslation();
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const timer = window.setTimeout(() => setSlow(true), SLOW_JOIN_MS);
    return () => window.clearTimeout(timer);
  }, []);
  return (
    <main className="kiosk" data-testid="kiosk-joining">
      <div className="kiosk-panel">
        <p className="kiosk-lead">{t('kioskFlow.joining.heading')}</p>
        {slow && (
          <>
            <p>{t('kioskFlow.joining.slow')}</p>
            <p className="kiosk-problem-operator">{t('kioskFlow.joining.slowOperator')}</p>
            <div className="actions">
              <button type="button" className="kiosk-button secondary" onClick={onHome}>
                {t('kioskFlow.actions.home')}
              </button>
            </div>
          </>
        )}
      </div>
    </main>
  );
}

/** The calm overlay while the connection is down; the session rejoins by itself underneath. */
function Reconnecting() {
  const { t } = useTranslation();
  return (
    <div className="kiosk-reconnecting" role="status" aria-live="polite" data-testid="kiosk-reconnecting">
      <div className="kiosk-reconnecting-box">
        <span className="kiosk-spinner" aria-hidden="true" />
        <p className="kiosk-lead">{t('kioskFlow.reconnecting.heading')}</p>
        <p>{t('kioskFlow.reconnecting.lead')}</p>
        <p className="kiosk-problem-operator">{t('kioskFlow.reconnecting.operator')}</p>
      </div>
    </div>
  );
}
