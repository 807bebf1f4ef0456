import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LevelMeter } from '../../components/LevelMeter.js';
import type { HearingSession, SessionSnapshot } from '../../services/HearingSession.js';
import { sinkIdOf } from '../../services/mediaDevices.js';
import { problemOfError } from './FloorControls.js';
import { ProblemText } from './KioskProblem.js';
import { playTestTone } from './kioskAudio.js';
import { type NetworkMeasurement, probeNetwork } from './networkProbe.js';
import type { Problem } from './problems.js';
import { type DeviceCheck, deviceChecks, type SelfTestInput, scoreSelfTest, selfTestResult } from './selfTestScore.js';
import { useTrackLevel } from './useAudioLevels.js';

/** Camera and microphone not open after this long count as missing (the score must come). */
const MEDIA_WAIT_MS = 15_000;
/** A microphone level above this means the villager's voice was heard. */
const VOICE_HEARD = 0.3;

type Tone = 'untested' | 'playing' | 'asking' | 'heard' | 'notHeard';
type Network = { state: 'measuring' } | { state: 'done'; result: NetworkMeasurement };
type Sending = { state: 'idle' } | { state: 'sending' } | { state: 'failed'; problem: Problem };

interface SelfTestProps {
  session: HearingSession | null;
  snapshot: SessionSnapshot;
  onHome: () => void;
}

/**
 * The self-test after check-in: camera preview, microphone level, speaker tone ("did you hear it?")
 * and the network to the court server, then one grade with plain advice. Any grade may continue (the
 * operator decides); continuing sends 'floor:ready' with the result and the server moves the
 * villager to the waiting room.
 */
export function SelfTest({ session, snapshot, onHome }: SelfTestProps) {
  const { t } = useTranslation();
  const [run, setRun] = useState(0);
  const [tone, setTone] = useState<Tone>('untested');
  const [network, setNetwork] = useState<Network>({ state: 'measuring' });
  const [sending, setSending] = useState<Sending>({ state: 'idle' });
  const [gaveUp, setGaveUp] = useState(false);

  useEffect(() => {
    const timer = window.setTimeout(() => setGaveUp(true), MEDIA_WAIT_MS);
    return () => window.clearTimeout(timer);
  }, []);

  useEffect(() => {
    void run; // a new run measures again
    const controller = new AbortController();
    setNetwork({ state: 'measuring' });
    void probeNetwork(controller.signal).then((result) => {
      if (!controller.signal.aborted) setNetwork({ state: 'done', result });
    });
    return () => controller.abort();
  }, [run]);

  const stream = snapshot.localMediaReady ? (session?.localStream ?? null) : null;
  const videoTrack = stream?.getVideoTracks()[0] ?? null;
  const audioTrack = stream?.getAudioTracks()[0] ?? null;
  const devices = deviceChecks({
    ready: snapshot.localMediaReady,
    error: snapshot.localMediaError,
    hasVideoTrack: videoTrack !== null && videoTrack.readyState === 'live',
    hasAudioTrack: audioTrack !== null && audioTrack.readyState === 'live',
    gaveUp,
    fallback: snapshot.inputFallback,
  });
  const { level, peak } = useTrackLevel(audioTrack);

  const input: SelfTestInput | null =
    devices.camera !== 'pending' &&
    devices.microphone !== 'pending' &&
    (tone === 'heard' || tone === 'notHeard') &&
    network.state === 'done'
      ? {
          camera: devices.camera,
          microphone: devices.microphone,
          speakerHeard: tone === 'heard',
          ...network.result,
        }
      : null;
  const verdict = input ? scoreSelfTest(input) : null;

  const playTone = () => {
    setTone('playing');
    // Through the speaker the operator chose: the one the court will be heard from.
    playTestTone(undefined, undefined, sinkIdOf(snapshot.speakerId)).then(
      () => setTone('asking'),
      () => setTone('asking'), // no sound device: the villager will answer "no"
    );
  };

  const onContinue = () => {
    if (!session || !input || !verdict) return;
    setSending({ state: 'sending' });
    session.request('floor:ready', { selfTest: selfTestResult(input, verdict.score) }).then(
      // The answer's FloorState moves the kiosk on to the waiting room.
      () => setSending({ state: 'idle' }),
      (error: unknown) => setSending({ state: 'failed', problem: problemOfError(error) }),
    );
  };

  const retest = () => {
    setTone('untested');
    setSending({ state: 'idle' });
    setRun((n) => n + 1);
  };

  const deviceText = (check: DeviceCheck, kind: 'camera' | 'mic') =>
    check === 'ok' ? null : t(`kioskFlow.selfTest.${kind}.${check}`);
  const mbps = (kbps: number | null) =>
    kbps === null ? t('kioskFlow.selfTest.network.unknown') : (kbps / 1000).toFixed(kbps >= 10_000 ? 0 : 1);
  const measured = network.state === 'done' ? network.result : null;

  return (
    <main className="kiosk kiosk-selftest" data-testid="selftest">
      <div className="kiosk-heading">
        <h2>{t('kioskFlow.selfTest.heading')}</h2>
        <span className="kiosk-date">{t('kioskFlow.selfTest.lead')}</span>
      </div>
      <div className="selftest-grid">
        <section className={`selftest-card check-${devices.camera}`}>
          <h3>{t('kioskFlow.selfTest.camera.title')}</h3>
          <CameraPreview stream={videoTrack ? stream : null} />
          <p className="selftest-note">{deviceText(devices.camera, 'camera') ?? t('kioskFlow.selfTest.camera.ok')}</p>
        </section>

        <section className={`selftest-card check-${devices.microphone}`}>
          <h3>{t('kioskFlow.selfTest.mic.title')}</h3>
          <LevelMeter level={level} label={t('kioskFlow.selfTest.mic.label')} testId="selftest-mic-level" />
          <p className="selftest-note">
            {deviceText(devices.microphone, 'mic') ??
              (peak >= VOICE_HEARD ? t('kioskFlow.selfTest.mic.heard') : t('kioskFlow.selfTest.mic.hint'))}
          </p>
        </section>

        <section
          className={`selftest-card check-${tone === 'heard' ? 'ok' : tone === 'notHeard' ? 'missing' : 'pending'}`}
        >
          <h3>{t('kioskFlow.selfTest.speaker.title')}</h3>
          {tone === 'untested' || tone === 'playing' ? (
            <button
              type="button"
              className="kiosk-button"
              data-testid="selftest-tone-play"
              disabled={tone === 'playing'}
              onClick={playTone}
            >
              {tone === 'playing' ? t('kioskFlow.selfTest.speaker.playing') : t('kioskFlow.selfTest.speaker.play')}
            </button>
          ) : (
            <>
              <p className="selftest-question">{t('kioskFlow.selfTest.speaker.question')}</p>
              <div className="selftest-answers">
                <button
                  type="button"
                  className={tone === 'heard' ? 'kiosk-button chosen' : 'kiosk-button'}
                  data-testid="selftest-tone-yes"
                  aria-pressed={tone === 'heard'}
                  onClick={() => setTone('heard')}
                >
                  {t('kioskFlow.selfTest.speaker.yes')}
                </button>
                <button
                  type="button"
                  className={tone === 'notHeard' ? 'kiosk-button secondary chosen' : 'kiosk-button secondary'}
                  data-testid="selftest-tone-no"
                  aria-pressed={tone === 'notHeard'}
                  onClick={() => setTone('notHeard')}
                >
                  {t('kioskFlow.selfTest.speaker.no')}
                </button>
              </div>
              <button type="button" className="kiosk-link" data-testid="selftest-tone-play" onClick={playTone}>
                {t('kioskFlow.selfTest.speaker.again')}
              </button>
            </>
          )}
        </section>

        <section
          className={`selftest-card check-${measured ? (measured.rttMs === null ? 'missing' : 'ok') : 'pending'}`}
          data-testid="selftest-network"
          data-state={network.state}
          data-rtt={measured?.rttMs != null ? Math.round(measured.rttMs) : undefined}
          data-download={measured?.downloadKbps != null ? Math.round(measured.downloadKbps) : undefined}
          data-upload={measured?.uploadKbps != null ? Math.round(measured.uploadKbps) : undefined}
        >
          <h3>{t('kioskFlow.selfTest.network.title')}</h3>
          {!measured ? (
            <p className="selftest-note">{t('kioskFlow.selfTest.network.measuring')}</p>
          ) : measured.rttMs === null ? (
            <p className="selftest-note">{t('kioskFlow.selfTest.network.unreachable')}</p>
          ) : (
            <ul className="selftest-figures">
              <li>{t('kioskFlow.selfTest.network.rtt', { value: Math.round(measured.rttMs) })}</li>
              <li>{t('kioskFlow.selfTest.network.download', { value: mbps(measured.downloadKbps) })}</li>
              <li>{t('kioskFlow.selfTest.network.upload', { value: mbps(measured.uploadKbps) })}</li>
            </ul>
          )}
        </section>
      </div>

      <section className={`selftest-result${verdict ? ` score-${verdict.score}` : ''}`}>
        {verdict ? (
          <div data-testid="selftest-score" data-score={verdict.score}>
            <h3>{t('kioskFlow.selfTest.scoreHeading', { grade: t(`kioskFlow.selfTest.grade.${verdict.score}`) })}</h3>
            <ul className="selftest-advice">
              {verdict.advice.map((key) => (
                <li key={key}>{t(`kioskFlow.advice.${key}`)}</li>
              ))}
            </ul>
            {verdict.score === 'bad' && <p className="selftest-note">{t('kioskFlow.selfTest.badNote')}</p>}
          </div>
        ) : (
          <p className="selftest-note">{t('kioskFlow.selfTest.unfinished')}</p>
        )}
        {sending.state === 'failed' && <ProblemText problem={sending.problem} />}
        <div className="actions">
          <button type="button" className="kiosk-button secondary" onClick={onHome}>
            {t('kioskFlow.actions.home')}
          </button>
          <button type="button" className="kiosk-button secondary" data-testid="selftest-retest" onClick={retest}>
            {t('kioskFlow.selfTest.retest')}
          </button>
          <button
            type="button"
            className="kiosk-button"
            data-testid="selftest-continue"
            disabled={!verdict || !session || sending.state === 'sending'}
            onClick={onContinue}
          >
            {sending.state === 'sending'
              ? t('kioskFlow.selfTest.sending')
              : verdict?.score === 'bad'
                ? t('kioskFlow.selfTest.continueAnyway')
                : t('kioskFlow.selfTest.continue')}
          </button>
        </div>
      </section>
    </main>
  );
}

/** The villager's own camera, mirrored like a looking glass. */
function CameraPreview({ stream }: { stream: MediaStream | null }) {
  const videoRef = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = videoRef.current;
    if (video && video.srcObject !== stream) video.srcObject = stream;
  }, [stream]);
  return (
    <video
      ref={videoRef}
      className="selftest-camera"
      data-testid="selftest-camera"
      data-live={stream !== null}
      autoPlay
      playsInline
      muted
    />
  );
}
