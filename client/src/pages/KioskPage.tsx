import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { SiteHearingSchema } from '../../../shared/api.js';
import { Keypad } from '../components/Keypad.js';
import { type ApiFailure, apiRequest, toFailure } from '../services/api.js';
import { rememberCheckIn } from '../services/checkIn.js';
import { type StoredCredentials, storeCredentials } from '../services/credentials.js';
import { desktopApi } from '../services/desktop.js';
import { kioskHearingPath, navigate } from '../services/router.js';
import { formatDay, shanghaiDate, shanghaiTime, timeRange } from '../services/shanghaiTime.js';
import { useApiQuery } from '../services/useApiQuery.js';
import { KioskHearing } from './kiosk/KioskHearing.js';
import { ProblemText } from './kiosk/KioskProblem.js';
import { PinScreen } from './kiosk/PinScreen.js';
import type { Problem } from './kiosk/problems.js';
import { clearRefusal, storedRefusal } from './kiosk/refusal.js';
import { KIOSK_IDLE_MS, useIdle } from './kiosk/useIdle.js';
import {
  formatEnrollmentInput,
  ID_TAIL_MAX,
  isCompleteEnrollmentCode,
  isCompleteIdTail,
  KEYPAD_LAYOUT,
  pressKey,
} from './kioskInput.js';

const EnrollResponseSchema = z.object({ kioskId: z.string(), siteId: z.string(), credential: z.string() });
/** Today's hearings at the kiosk's site; `site` (the site's own name for the welcome) when the server sends it. */
const TodaySchema = z.object({
  hearings: z.array(SiteHearingSchema),
  site: z.object({ name: z.string() }).nullish(),
});
type SiteHearing = z.infer<typeof SiteHearingSchema>;

export { KIOSK_IDLE_MS } from './kiosk/useIdle.js';

const REFRESH_MS = 30_000;

/**
 * The village kiosk. Not enrolled: the operator types the enrollment code once. Enrolled: the welcome
 * screen with today's hearings at this site → who are you → the last digits of your ID number → the
 * operator's PIN → the kiosk's hearing route (self-test, waiting room, hearing, transcript; KioskHearing).
 * Every screen has one thing to do, a way back, and big touch targets; every error says what to do.
 */
export function KioskPage({
  stored,
  hearing,
}: {
  stored: StoredCredentials | null;
  hearing?: { hearingId: string; participantId: string };
}) {
  if (stored?.kind !== 'kiosk') return <EnrollScreen />;
  if (hearing) return <KioskHearing hearingId={hearing.hearingId} participantId={hearing.participantId} />;
  return <KioskHome key={stored.kioskId} />;
}

// ---------------------------------------------------------------------------------------------------
// Enrollment.

type EnrollState = { state: 'idle' } | { state: 'sending' } | { state: 'failed'; failure: ApiFailure };

function enrollProblem(failure: ApiFailure): string {
  switch (failure.code) {
    case 'UNAUTHORIZED':
    case 'BAD_REQUEST':
    case 'NOT_FOUND':
      return 'kiosk.enroll.badCode';
    case 'RATE_LIMITED':
      return 'kiosk.enroll.tooMany';
    case 'NETWORK':
      return 'kiosk.noNetwork';
    default:
      return 'kiosk.enroll.failed';
  }
}

function EnrollScreen() {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [enroll, setEnroll] = useState<EnrollState>({ state: 'idle' });

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!isCompleteEnrollmentCode(code)) return;
    setEnroll({ state: 'sending' });
    try {
      const answer = await apiRequest(EnrollResponseSchema, 'POST', '/api/kiosk/enroll', { code }, { auth: false });
      storeCredentials({
        kind: 'kiosk',
        credential: answer.credential,
        kioskId: answer.kioskId,
        siteId: answer.siteId,
      });
    } catch (error) {
      setEnroll({ state: 'failed', failure: toFailure(error) });
    }
  };

  return (
    <main className="kiosk kiosk-enroll">
      <form className="kiosk-panel" onSubmit={(e) => void onSubmit(e)}>
        <h2>{t('kiosk.enroll.heading')}</h2>
        <p className="kiosk-lead">{t('kiosk.enroll.lead')}</p>
        <input
          className="enroll-code"
          data-testid="kiosk-enroll-code"
          aria-label={t('kiosk.enroll.codeLabel')}
          placeholder="XXXXX-XXXXX"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          value={code}
          onChange={(e) => {
            setCode(formatEnrollmentInput(e.target.value));
            if (enroll.state === 'failed') setEnroll({ state: 'idle' });
          }}
        />
        {enroll.state === 'failed' && (
          <p className="kiosk-error" role="alert" data-testid="kiosk-enroll-error" data-code={enroll.failure.code}>
            {t(enrollProblem(enroll.failure), { code: enroll.failure.code })}
          </p>
        )}
        <div className="actions">
          <button
            type="submit"
            className="kiosk-button"
            data-testid="kiosk-enroll-submit"
            disabled={!isCompleteEnrollmentCode(code) || enroll.state === 'sending'}
          >
            {enroll.state === 'sending' ? t('kiosk.enroll.sending') : t('kiosk.enroll.submit')}
          </button>
          <button type="button" className="kiosk-button secondary" onClick={() => navigate('/')}>
            {t('common.back')}
          </button>
        </div>
      </form>
    </main>
  );
}

// ---------------------------------------------------------------------------------------------------
// Today's hearings and check-in.

/** `problem`: why the server refused the last check-in, shown on the keypad until the next key press. */
type Screen =
  | { name: 'list' }
  | { name: 'who'; hearingId: string }
  | { name: 'tail'; hearingId: string; participantId: string; tail: string; problem: Problem | null }
  | { name: 'pin'; hearingId: string; participantId: string; tail: string; pin: string; problem: Problem | null };

/** The first screen: the welcome, or the keypad again when the server just refused a check-in. */
function initialScreen(): Screen {
  const refusal = storedRefusal();
  if (!refusal) return { name: 'list' };
  const { hearingId, participantId, problem } = refusal;
  return refusal.step === 'pin' && refusal.idTail !== ''
    ? { name: 'pin', hearingId, participantId, tail: refusal.idTail, pin: '', problem }
    : { name: 'tail', hearingId, participantId, tail: '', problem };
}

function loadProblem(failure: ApiFailure): { key: string; reenroll: boolean } {
  switch (failure.code) {
    case 'UNAUTHORIZED':
    case 'FORBIDDEN':
      // In the desktop shell the credential is the shell's: re-enrolling goes through its operator menu.
      return desktopApi()
        ? { key: 'kiosk.notEnrolledShell', reenroll: false }
        : { key: 'kiosk.notEnrolled', reenroll: true };
    case 'NETWORK':
      return { key: 'kiosk.noNetwork', reenroll: false };
    case 'RATE_LIMITED':
      return { key: 'kiosk.busy', reenroll: false };
    default:
      return { key: 'kiosk.loadFailed', reenroll: false };
  }
}

function KioskHome() {
  const { t, i18n } = useTranslation();
  const [screen, setScreen] = useState<Screen>(initialScreen);
  // The refusal is shown once: read at mount, then forgotten.
  useEffect(() => clearRefusal(), []);
  const [today, reload] = useApiQuery(
    '/api/kiosk/hearings/today',
    () => apiRequest(TodaySchema, 'GET', '/api/kiosk/hearings/today'),
    { refreshMs: REFRESH_MS },
  );
  useIdle(screen.name !== 'list', KIOSK_IDLE_MS, () => setScreen({ name: 'list' }));

  if (today.status === 'loading') return <main className="kiosk notice">{t('kiosk.loading')}</main>;
  if (today.status === 'failed') {
    const problem = loadProblem(today.failure);
    return (
      <main className="kiosk">
        <div className="kiosk-panel" role="alert" data-testid="kiosk-error" data-code={today.failure.code}>
          <p className="kiosk-error">{t(problem.key, { code: today.failure.code })}</p>
          <div className="actions">
            <button type="button" className="kiosk-button" onClick={reload}>
              {t('common.retry')}
            </button>
            {problem.reenroll && (
              <button
                type="button"
                className="kiosk-button secondary"
                data-testid="kiosk-reenroll"
                onClick={() => storeCredentials(null)}
              >
                {t('kiosk.reenroll')}
              </button>
            )}
          </div>
        </div>
      </main>
    );
  }

  const hearings = [...today.data.hearings].sort((a, b) => a.startMs - b.startMs);
  const hearing = screen.name === 'list' ? undefined : hearings.find((h) => h.id === screen.hearingId);
  const stale = today.failure ? (
    <p className="kiosk-stale" role="status">
      {t('kiosk.stale')}
    </p>
  ) : null;

  // The chosen hearing vanished (cancelled meanwhile): back to the list, which no longer shows it.
  if (screen.name === 'list' || !hearing) {
    const site = today.data.site?.name;
    return (
      <main className="kiosk kiosk-welcome" data-testid="kiosk-welcome">
        {stale}
        <p className="kiosk-welcome-title">
          {site ? t('kioskFlow.welcome.heading', { site }) : t('kioskFlow.welcome.headingGeneric')}
        </p>
        <div className="kiosk-heading">
          <h2>{t('kiosk.todayHeading')}</h2>
          <span className="kiosk-date">{formatDay(shanghaiDate(Date.now()), i18n.language)}</span>
        </div>
        {hearings.length === 0 ? (
          <div className="kiosk-panel">
            <p className="kiosk-lead">{t('kiosk.empty')}</p>
            <div className="actions">
              <button type="button" className="kiosk-button secondary" onClick={reload}>
                {t('common.refresh')}
              </button>
            </div>
          </div>
        ) : (
          <>
            <p className="kiosk-lead">{t('kiosk.tapYourHearing')}</p>
            <ul className="kiosk-hearings">
              {hearings.map((h) => (
                <li key={h.id} data-testid={`kiosk-hearing-${h.id}`}>
                  <KioskHearingCard
                    hearing={h}
                    onChoose={() => {
                      const only = h.participants.length === 1 ? h.participants[0] : undefined;
                      setScreen(
                        only
                          ? { name: 'tail', hearingId: h.id, participantId: only.id, tail: '', problem: null }
                          : { name: 'who', hearingId: h.id },
                      );
                    }}
                  />
                </li>
              ))}
            </ul>
          </>
        )}
      </main>
    );
  }

  const back = () => setScreen({ name: 'list' });
  if (screen.name === 'who') {
    return (
      <main className="kiosk">
        {stale}
        <div className="kiosk-heading">
          <h2>{t('kiosk.whoHeading')}</h2>
          <span className="kiosk-date">
            {timeRange(hearing.startMs, hearing.endMs)} {hearing.title}
          </span>
        </div>
        {hearing.participants.length === 0 ? (
          <p className="kiosk-error">{t('kiosk.nobodyHere')}</p>
        ) : (
          <ul className="kiosk-people">
            {hearing.participants.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className="kiosk-choice"
                  data-testid={`kiosk-participant-${p.id}`}
                  onClick={() =>
                    setScreen({ name: 'tail', hearingId: hearing.id, participantId: p.id, tail: '', problem: null })
                  }
                >
                  <span className="kiosk-role">{t(`role.${p.role}`)}</span>
                  <strong>{p.name}</strong>
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="actions">
          <button type="button" className="kiosk-button secondary" data-testid="kiosk-back" onClick={back}>
            {t('kiosk.backToList')}
          </button>
        </div>
      </main>
    );
  }

  const participant = hearing.participants.find((p) => p.id === screen.participantId);
  if (!participant) {
    return (
      <main className="kiosk">
        <div className="kiosk-panel">
          <p className="kiosk-error">{t('kiosk.nobodyHere')}</p>
          <div className="actions">
            <button type="button" className="kiosk-button" onClick={back}>
              {t('kiosk.backToList')}
            </button>
          </div>
        </div>
      </main>
    );
  }
  if (screen.name === 'pin') {
    return (
      <PinScreen
        hearing={hearing}
        participant={participant}
        pin={screen.pin}
        problem={screen.problem}
        stale={stale}
        onPin={(pin) => setScreen({ ...screen, pin, problem: null })}
        onBack={() =>
          setScreen({
            name: 'tail',
            hearingId: hearing.id,
            participantId: participant.id,
            tail: screen.tail,
            problem: null,
          })
        }
        onSubmit={() => {
          rememberCheckIn(hearing.id, participant.id, { idTail: screen.tail, operatorPin: screen.pin });
          navigate(kioskHearingPath(hearing.id, participant.id));
        }}
      />
    );
  }
  return (
    <CheckInScreen
      hearing={hearing}
      participant={participant}
      tail={screen.tail}
      problem={screen.problem}
      stale={stale}
      onTail={(tail) => setScreen({ ...screen, tail, problem: null })}
      onBack={() =>
        setScreen(hearing.participants.length > 1 ? { name: 'who', hearingId: hearing.id } : { name: 'list' })
      }
      onSubmit={() =>
        setScreen({
          name: 'pin',
          hearingId: hearing.id,
          participantId: participant.id,
          tail: screen.tail,
          pin: '',
          problem: null,
        })
      }
    />
  );
}

function KioskHearingCard({ hearing, onChoose }: { hearing: SiteHearing; onChoose: () => void }) {
  const { t } = useTranslation();
  const now = Date.now();
  const phase = now >= hearing.endMs ? 'ended' : now >= hearing.startMs ? 'inProgress' : 'upcoming';
  return (
    <button
      type="button"
      className={`kiosk-card phase-${phase}`}
      data-testid="kiosk-hearing-card"
      data-hearing-id={hearing.id}
      onClick={onChoose}
    >
      <span className="kiosk-card-time">
        <strong>{shanghaiTime(hearing.startMs)}</strong>
        <span>{t('kiosk.until', { time: shanghaiTime(hearing.endMs) })}</span>
      </span>
      <span className="kiosk-card-title">{hearing.title}</span>
      <span className="kiosk-card-meta">
        <span className={`kiosk-phase phase-${phase}`}>{t(`kiosk.phase.${phase}`)}</span>
        <span>{hearing.caseNumber}</span>
      </span>
    </button>
  );
}

interface CheckInProps {
  hearing: SiteHearing;
  participant: SiteHearing['participants'][number];
  tail: string;
  problem: Problem | null;
  stale: ReactNode;
  onTail: (tail: string) => void;
  onBack: () => void;
  onSubmit: () => void;
}

/** The ID-tail entry: a big on-screen keypad, the digits shown large, one button on to the operator's PIN. */
function CheckInScreen({ hearing, participant, tail, problem, stale, onTail, onBack, onSubmit }: CheckInProps) {
  const { t } = useTranslation();
  const complete = isCompleteIdTail(tail);

  // A hardware keyboard (the operator's, or a test's) works the same keypad.
  const latest = useRef({ tail, complete, onTail, onSubmit });
  latest.current = { tail, complete, onTail, onSubmit };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const { tail: current, complete: ready, onTail: setTail, onSubmit: submit } = latest.current;
      const typed = event.key.toUpperCase();
      const key = KEYPAD_LAYOUT.find((k) => k === typed);
      if (typed === 'ENTER' && ready) submit();
      else if (typed === 'BACKSPACE') setTail(pressKey(current, 'delete'));
      else if (key) setTail(pressKey(current, key));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <main className="kiosk kiosk-check-in" data-testid="checkin-idtail">
      {stale}
      <div className="kiosk-heading">
        <h2>{t('kiosk.tailHeading', { name: participant.name })}</h2>
        <span className="kiosk-date">
          {timeRange(hearing.startMs, hearing.endMs)} {hearing.title}
        </span>
      </div>
      <div className="check-in-body">
        <div className="check-in-side">
          {problem ? (
            <ProblemText problem={problem} testId="checkin-error" />
          ) : (
            <p className="kiosk-lead">{t('kiosk.tailLead')}</p>
          )}
          <output className="tail-display" data-testid="check-in-tail" aria-label={t('kiosk.tailLabel')}>
            {Array.from({ length: Math.max(4, Math.min(ID_TAIL_MAX, tail.length + (complete ? 0 : 1))) }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the boxes are positions
              <span key={i} className={tail[i] ? 'tail-box filled' : 'tail-box'}>
                {tail[i] ?? ''}
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
              {t('kioskFlow.checkIn.next')}
            </button>
          </div>
        </div>
        <Keypad keys={KEYPAD_LAYOUT} value={tail} press={pressKey} onChange={onTail} />
      </div>
    </main>
  );
}
