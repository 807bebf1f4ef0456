import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordingKind, RecordingSegment } from '../../../../shared/recording.js';
import { failureSentence } from '../../components/ErrorNotice.js';
import type { ApiFailure } from '../../services/api.js';
import { type PlayPair, syncCompanion } from './recordingView.js';

/** A file as the player plays it, from the link the server gave for it. */
export interface PlayerSource {
  segmentId: string;
  kind: RecordingKind;
  contentType: string;
  url: string;
}

/** What the user asked to play: one segment, or a video with its paired audio. */
export interface PlayRequest {
  segment: RecordingSegment;
  pair: PlayPair | null;
}

export type PlayerState =
  | { status: 'loading'; request: PlayRequest }
  | { status: 'failed'; request: PlayRequest; failure: ApiFailure }
  | {
      status: 'ready';
      request: PlayRequest;
      main: PlayerSource;
      /** The audio that follows the video, `audioOffsetSec` ahead of its clock. */
      companion: (PlayerSource & { audioOffsetSec: number }) | null;
    };

interface PlayerProps {
  state: PlayerState;
  heading: string;
  onClose: () => void;
  /** Asks for new links (after a failure, or when the link expired while playing). */
  onRetry: () => void;
}

/** The inline player under a segment's row: the file itself, or a video with its audio kept in step. */
export function RecordingPlayer({ state, heading, onClose, onRetry }: PlayerProps) {
  const { t } = useTranslation();
  const [mediaFailed, setMediaFailed] = useState(false);
  const mainUrl = state.status === 'ready' ? state.main.url : null;
  // A new link is a new chance: forget the previous element's failure.
  useEffect(() => {
    if (mainUrl !== null) setMediaFailed(false);
  }, [mainUrl]);

  return (
    <div
      className="recording-player"
      data-testid="recording-player"
      data-status={state.status}
      data-segment-id={state.request.segment.id}
      data-together={state.request.pair !== null}
    >
      <div className="recording-player-heading">
        <strong>{heading}</strong>
        <button type="button" className="recording-mini-button" onClick={onClose} data-testid="recording-player-close">
          {t('recording.player.close')}
        </button>
      </div>
      {state.status === 'loading' && <p className="muted">{t('recording.player.loading')}</p>}
      {state.status === 'failed' && (
        <div className="form-error" role="alert" data-code={state.failure.code}>
          <span>{t('recording.player.failed', { sentence: failureSentence(t, state.failure) })}</span>{' '}
          <button type="button" className="recording-mini-button" onClick={onRetry}>
            {t('recording.player.newLink')}
          </button>
        </div>
      )}
      {state.status === 'ready' && (
        <>
          <Media
            key={state.main.url}
            main={state.main}
            companion={state.companion}
            onError={() => setMediaFailed(true)}
          />
          {mediaFailed && (
            <div className="form-error" role="alert" data-testid="recording-media-error">
              <span>{t('recording.player.mediaFailed')}</span>{' '}
              <button type="button" className="recording-mini-button" onClick={onRetry}>
                {t('recording.player.newLink')}
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}

interface MediaProps {
  main: PlayerSource;
  companion: (PlayerSource & { audioOffsetSec: number }) | null;
  onError: () => void;
}

function Media({ main, companion, onError }: MediaProps) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const audioRef = useRef<HTMLAudioElement>(null);
  const offset = companion?.audioOffsetSec ?? null;

  // The audio follows the video's clock: play, pause, seek, speed and volume.
  useEffect(() => {
    const video = videoRef.current;
    const audio = audioRef.current;
    if (!video || !audio || offset === null) return;
    let stalled = false;
    const sync = () => {
      const action = syncCompanion({
        videoTime: video.currentTime,
        videoPaused: video.paused || video.ended || stalled,
        audioTime: audio.currentTime,
        audioDuration: audio.duration,
        audioOffsetSec: offset,
      });
      if (action.seekTo !== null) audio.currentTime = action.seekTo;
      if (action.play && audio.paused) audio.play().catch(() => undefined);
      if (!action.play && !audio.paused) audio.pause();
    };
    const onWaiting = () => {
      stalled = true;
      sync();
    };
    const onPlaying = () => {
      stalled = false;
      sync();
    };
    const onRate = () => {
      audio.playbackRate = video.playbackRate;
    };
    const onVolume = () => {
      audio.volume = video.volume;
      audio.muted = video.muted;
    };
    const syncEvents = ['play', 'pause', 'seeking', 'seeked', 'timeupdate', 'ended'] as const;
    for (const name of syncEvents) video.addEventListener(name, sync);
    video.addEventListener('waiting', onWaiting);
    video.addEventListener('playing', onPlaying);
    video.addEventListener('ratechange', onRate);
    video.addEventListener('volumechange', onVolume);
    audio.addEventListener('loadedmetadata', sync);
    return () => {
      for (const name of syncEvents) video.removeEventListener(name, sync);
      video.removeEventListener('waiting', onWaiting);
      video.removeEventListener('playing', onPlaying);
      video.removeEventListener('ratechange', onRate);
      video.removeEventListener('volumechange', onVolume);
      audio.removeEventListener('loadedmetadata', sync);
      audio.pause();
    };
  }, [offset]);

  if (main.kind === 'audio') {
    // biome-ignore lint/a11y/useMediaCaption: a court recording; the signed transcript is the written record.
    return <audio className="recording-audio" src={main.url} controls autoPlay preload="metadata" onError={onError} />;
  }
  return (
    <div className="recording-media">
      {/* biome-ignore lint/a11y/useMediaCaption: a court recording; the signed transcript is the written record. */}
      <video
        ref={videoRef}
        className="recording-video"
        src={main.url}
        controls
        autoPlay
        playsInline
        preload="metadata"
        onError={onError}
      />
      {companion && (
        // biome-ignore lint/a11y/useMediaCaption: the sound of the video above, played in step with it.
        <audio ref={audioRef} src={companion.url} preload="auto" onError={onError} data-testid="recording-companion" />
      )}
    </div>
  );
}
