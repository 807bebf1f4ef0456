import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type FloorState, MAX_SIGNATURE_BYTES, type Transcript } from '../../../../shared/floor.js';
import { SignaturePad, type SignaturePadHandle } from '../../components/SignaturePad.js';
import type { HearingSession, SessionSnapshot } from '../../services/HearingSession.js';
import { RequestError } from '../../services/signaling.js';
import { ProblemText } from './KioskProblem.js';
import { signedVersion } from './phase.js';
import type { Problem } from './problems.js';
import { sha256Hex } from './sha256.js';
import { THANKS_MS, TRANSCRIPT_IDLE_MS, useIdle, useTouched } from './useIdle.js';

type Loaded =
  | { state: 'loading' }
  | { state: 'failed'; problem: Problem }
  /** `sha256`: the hash of exactly `transcript.text`, the text shown, computed here. */
  | { state: 'ready'; transcript: Transcript; sha256: string };
type Signing = { state: 'idle' } | { state: 'sending' } | { state: 'failed'; problem: Problem };

interface TranscriptSignProps {
  session: HearingSession | null;
  snapshot: SessionSnapshot;
  floor: FloorState;
  participantId: string;
  onHome: () => void;
}

/**
 * After the hearing closed: the transcript to read (large text, scrolls) and a finger-signature pad.
 * The signature goes with the version and the SHA-256 of exactly the text shown; when the clerk saves
 * a newer version meanwhile, the new text replaces the old one and the pad is wiped. Once signed: a
 * thank-you, then back to the welcome screen.
 */
export function TranscriptSign({ session, snapshot, floor, participantId, onHome }: TranscriptSignProps) {
  const { t } = useTranslation();
  const [attempt, setAttempt] = useState(0);
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [signing, setSigning] = useState<Signing>({ state: 'idle' });
  const [hasInk, setHasInk] = useState(false);
  const [signedHere, setSignedHere] = useState(0);
  /** The version shown before the newest load, to say "the transcript was updated". */
  const [replaced, setReplaced] = useState(false);
  const shownVersion = useRef(0);
  const pad = useRef<SignaturePadHandle>(null);
  const joined = snapshot.status === 'joined';
  const newest = floor.transcriptVersion;

  useEffect(() => {
    void attempt; // "try again" loads again
    if (!session || !joined || newest === 0) return;
    let current = true;
    session
      .request('transcript:get')
      .then(async (transcript) => ({ transcript, sha256: await sha256Hex(transcript.text) }))
      .then(
        ({ transcript, sha256 }) => {
          if (!current) return;
          if (shownVersion.current !== 0 && transcript.version !== shownVersion.current) {
            // A signature belongs to the text read: a new text needs a new signature.
            setReplaced(true);
            pad.current?.clear();
          }
          shownVersion.current = transcript.version;
          setLoaded({ state: 'ready', transcript, sha256 });
        },
        (error: unknown) => {
          if (!current) return;
          const problem: Problem =
            error instanceof RequestError ? (error.code === 'TIMEOUT' ? 'offline' : 'transcriptFailed') : 'noCrypto';
          setLoaded({ state: 'failed', problem });
        },
      );
    return () => {
      current = false;
    };
  }, [session, joined, newest, attempt]);

  const signed = Math.max(signedVersion(floor, participantId), signedHere);
  const done = newest > 0 && signed >= newest;
  // An unread transcript returns to the welcome screen after a long while; once touched, it waits.
  const touched = useTouched(!done);
  useIdle(!done && !touched, TRANSCRIPT_IDLE_MS, onHome);

  if (done) return <Thanks onHome={onHome} />;

  const onSign = () => {
    if (!session || loaded.state !== 'ready') return;
    const png = pad.current?.toPng(MAX_SIGNATURE_BYTES) ?? null;
    if (!png) {
      setSigning({ state: 'failed', problem: 'signatureTooBig' });
      return;
    }
    setSigning({ state: 'sending' });
    session
      .request('transcript:sign', {
        version: loaded.transcript.version,
        textSha256: loaded.sha256,
        signaturePng: png,
      })
      .then(
        (info) => {
          setSignedHere(info.version);
          setSigning({ state: 'idle' });
        },
        (error: unknown) => {
          const code = error instanceof RequestError ? error.code : 'INTERNAL';
          if (code === 'CONFLICT') {
            // The clerk saved a newer text meanwhile: load it; the pad is wiped when it arrives.
            setSigning({ state: 'failed', problem: 'transcriptChanged' });
            setAttempt((n) => n + 1);
            return;
          }
          setSigning({ state: 'failed', problem: code === 'TIMEOUT' ? 'offline' : 'signFailed' });
        },
      );
  };

  if (newest === 0 || (loaded.state === 'ready' && loaded.transcript.version === 0)) {
    return (
      <main className="kiosk kiosk-transcript" data-testid="transcript-waiting">
        <div className="kiosk-panel">
          <p className="kiosk-lead">{t('kioskFlow.transcript.notYet')}</p>
          <p className="kiosk-problem-operator">{t('kioskFlow.transcript.notYetOperator')}</p>
        </div>
      </main>
    );
  }

  if (loaded.state !== 'ready') {
    return (
      <main className="kiosk kiosk-transcript">
        <div className="kiosk-panel">
          {loaded.state === 'loading' ? (
            <p className="kiosk-lead">{t('kioskFlow.transcript.loading')}</p>
          ) : (
            <>
              <ProblemText problem={loaded.problem} testId="transcript-error" />
              <div className="actions">
                <button type="button" className="kiosk-button" onClick={() => setAttempt((n) => n + 1)}>
                  {t('kioskFlow.actions.retry')}
                </button>
              </div>
            </>
          )}
        </div>
      </main>
    );
  }

  const { transcript } = loaded;
  const stale = transcript.version < newest;
  return (
    <main className="kiosk kiosk-transcript" data-testid="transcript" data-version={transcript.version}>
      <div className="kiosk-heading">
        <h2>{t('kioskFlow.transcript.heading')}</h2>
        <span className="kiosk-date">
          {snapshot.hearing?.caseNumber} · {t('kioskFlow.transcript.version', { version: transcript.version })}
        </span>
      </div>
      {replaced || (signed > 0 && signed < newest) ? (
        <p className="kiosk-stale" role="status">
          {t('kioskFlow.transcript.updated')}
        </p>
      ) : (
        <p className="kiosk-lead">{t('kioskFlow.transcript.lead')}</p>
      )}
      <div
        className="transcript-text"
        data-testid="transcript-text"
        data-sha256={loaded.sha256}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the text scrolls; a keyboard must reach it
        tabIndex={0}
      >
        {transcript.text}
      </div>
      <section className="signature-section">
        <h3>{t('kioskFlow.transcript.signHeading')}</h3>
        <SignaturePad ref={pad} onInk={setHasInk} label={t('kioskFlow.transcript.padLabel')} testId="signature-pad" />
        {signing.state === 'failed' && <ProblemText problem={signing.problem} testId="sign-error" />}
        <div className="actions">
          <button
            type="button"
            className="kiosk-button secondary"
            data-testid="sign-clear"
            disabled={signing.state === 'sending'}
            onClick={() => {
              pad.current?.clear();
              setSigning({ state: 'idle' });
            }}
          >
            {t('kioskFlow.transcript.clear')}
          </button>
          <button
            type="button"
            className="kiosk-button"
            data-testid="sign-submit"
            disabled={!hasInk || stale || !joined || signing.state === 'sending'}
            onClick={onSign}
          >
            {signing.state === 'sending' ? t('kioskFlow.transcript.sending') : t('kioskFlow.transcript.submit')}
          </button>
        </div>
      </section>
    </main>
  );
}

/** The thank-you after signing; back to the welcome screen after THANKS_MS (or at once, on a tap). */
function Thanks({ onHome }: { onHome: () => void }) {
  const { t } = useTranslation();
  const [seconds, setSeconds] = useState(Math.round(THANKS_MS / 1000));
  useEffect(() => {
    const timer = window.setInterval(() => setSeconds((s) => Math.max(0, s - 1)), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const onHomeRef = useRef(onHome);
  onHomeRef.current = onHome;
  useEffect(() => {
    if (seconds === 0) onHomeRef.current();
  }, [seconds]);
  return (
    <main className="kiosk" data-testid="signed-done">
      <div className="kiosk-panel kiosk-thanks">
        <h2>{t('kioskFlow.done.heading')}</h2>
        <p className="kiosk-lead">{t('kioskFlow.done.lead')}</p>
        <p className="kiosk-date">{t('kioskFlow.done.countdown', { seconds })}</p>
        <div className="actions">
          <button type="button" className="kiosk-button" onClick={onHome}>
            {t('kioskFlow.actions.home')}
          </button>
        </div>
      </div>
    </main>
  );
}
