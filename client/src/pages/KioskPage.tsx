import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { SiteHearingSchema } from '../../../shared/api.js';
import { type ApiFailure, apiRequest, toFailure } from '../services/api.js';
import { rememberCheckIn } from '../services/checkIn.js';
import { type StoredCredentials, storeCredentials } from '../services/credentials.js';
import { hearingPath, navigate } from '../services/router.js';
import { formatDay, shanghaiDate, shanghaiTime, timeRange } from '../services/shanghaiTime.js';
import { useApiQuery } from '../services/useApiQuery.js';
import {
  formatEnrollmentInput,
  ID_TAIL_MAX,
  isCompleteEnrollmentCode,
  isCompleteIdTail,
  KEYPAD_LAYOUT,
  type KeypadKey,
  pressKey,
} from './kioskInput.js';

const EnrollResponseSchema = z.object({ kioskId: z.string(), siteId: z.string(), credential: z.string() });
const TodaySchema = z.object({ hearings: z.array(SiteHearingSchema) });
type SiteHearing = z.infer<typeof SiteHearingSchema>;

/** A screen left untouched this long returns to the list, so the next villager starts from the top. */
export const KIOSK_IDLE_MS = 2 * 60 * 1000;
const REFRESH_MS = 30_000;

/**
 * The village kiosk. Not enrolled: the operator types the enrollment code once. Enrolled: today's
 * hearings at this site → who are you → the last digits of your ID number → the hearing room.
 * Every screen has one thing to do, a way back, and big touch targets; every error says what to do.
 */
export function KioskPage({ stored }: { stored: StoredCredentials | null }) {
  if (stored?.kind !== 'kiosk') return <EnrollScreen />;
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

type Screen =
  | { name: 'list' }
  | { name: 'who'; hearingId: string }
  | { name: 'tail'; hearingId: string; participantId: string; tail: string };

/** Calls `onIdle` when nothing was touched or typed for `ms` while `active`. */
function useIdle(active: boolean, ms: number, onIdle: () => void): void {
  const onIdleRef = useRef(onIdle);
  onIdleRef.current = onIdle;
  useEffect(() => {
    if (!active) return;
    let timer = window.setTimeout(() => onIdleRef.current(), ms);
    const touched = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => onIdleRef.current(), ms);
    };
    const events = ['pointerdown', 'keydown', 'touchstart'] as const;
    for (const event of events) window.addEventListener(event, touched, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const event of events) window.removeEventListener(event, touched);
    };
  }, [active, ms]);
}

function loadProblem(failure: ApiFailure): { key: string; reenroll: boolean } {
  switch (failure.code) {
    case 'UNAUTHORIZED':
    case 'FORBIDDEN':
      return { key: 'kiosk.notEnrolled', reenroll: true };
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
  const [screen, setScreen] = useState<Screen>({ name: 'list' });
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
    return (
      <main className="kiosk">
        {stale}
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
                <li key={h.id}>
                  <KioskHearingCard
                    hearing={h}
                    onChoose={() => {
                      const only = h.participants.length === 1 ? h.participants[0] : undefined;
                      setScreen(
                        only
                          ? { name: 'tail', hearingId: h.id, participantId: only.id, tail: '' }
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
                  onClick={() => setScreen({ name: 'tail', hearingId: hearing.id, participantId: p.id, tail: '' })}
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
  return (
    <CheckInScreen
      hearing={hearing}
      participant={participant}
      tail={screen.tail}
      stale={stale}
      onTail={(tail) => setScreen({ ...screen, tail })}
      onBack={() =>
        setScreen(hearing.participants.length > 1 ? { name: 'who', hearingId: hearing.id } : { name: 'list' })
      }
      onSubmit={() => {
        rememberCheckIn(hearing.id, participant.id, screen.tail);
        navigate(hearingPath(hearing.id, participant.id));
      }}
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
      data-testid={`kiosk-hearing-${hearing.id}`}
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
  stale: ReactNode;
  onTail: (tail: string) => void;
  onBack: () => void;
  onSubmit: () => void;
}

/** The ID-tail entry: a big on-screen keypad, the digits shown large, one button to go in. */
function CheckInScreen({ hearing, participant, tail, stale, onTail, onBack, onSubmit }: CheckInProps) {
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

  const keyLabel = (key: KeypadKey) => (key === 'delete' ? t('kiosk.keypad.delete') : key);
  return (
    <main className="kiosk kiosk-check-in">
      {stale}
      <div className="kiosk-heading">
        <h2>{t('kiosk.tailHeading', { name: participant.name })}</h2>
        <span className="kiosk-date">
          {timeRange(hearing.startMs, hearing.endMs)} {hearing.title}
        </span>
      </div>
      <div className="check-in-body">
        <div className="check-in-side">
          <p className="kiosk-lead">{t('kiosk.tailLead')}</p>
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
              {t('kiosk.enterHearing')}
            </button>
          </div>
        </div>
        <div className="keypad">
          {KEYPAD_LAYOUT.map((key) => (
            <button
              key={key}
              type="button"
              className={key === 'delete' ? 'keypad-key keypad-delete' : 'keypad-key'}
              data-testid={`keypad-${key}`}
              disabled={key !== 'delete' && pressKey(tail, key) === tail}
              onClick={() => onTail(pressKey(tail, key))}
            >
              {keyLabel(key)}
            </button>
          ))}
        </div>
      </div>
    </main>
  );
}
