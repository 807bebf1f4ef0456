import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface VideoTileProps {
  stream: MediaStream | null;
  label: string;
  participantId: string;
  /** The participant's own camera: mirrored, never played as audio. */
  self?: boolean;
  hasVideo: boolean;
  hasAudio?: boolean;
  audioMuted?: boolean;
  size: 'large' | 'medium' | 'small';
}

/** One participant's picture with their sound; the stream's tracks come and go as they publish. */
export function VideoTile({
  stream,
  label,
  participantId,
  self,
  hasVideo,
  hasAudio,
  audioMuted,
  size,
}: VideoTileProps) {
  const { t } = useTranslation();
  const videoRef = useRef<HTMLVideoElement>(null);
  const audioRef = useRef<HTMLAudioElement>(null);
  const [soundBlocked, setSoundBlocked] = useState(false);

  useEffect(() => {
    const video = videoRef.current;
    if (video && video.srcObject !== stream) video.srcObject = stream;
  }, [stream]);

  useEffect(() => {
    const audio = audioRef.current;
    if (!audio || self) return;
    if (audio.srcObject !== stream) audio.srcObject = stream;
    if (!hasAudio) return;
    audio.play().then(
      () => setSoundBlocked(false),
      () => setSoundBlocked(true), // autoplay policy: the user has to tap once
    );
  }, [stream, hasAudio, self]);

  return (
    <figure
      className={`tile tile-${size}${self ? ' tile-self' : ''}`}
      data-testid="participant-tile"
      data-participant-id={participantId}
      data-has-video={hasVideo}
    >
      <video ref={videoRef} autoPlay playsInline muted />
      {!hasVideo && <div className="tile-placeholder">{t('room.noVideo')}</div>}
      {!self && (
        // biome-ignore lint/a11y/useMediaCaption: live hearing audio; the transcript is the written record.
        <audio ref={audioRef} autoPlay />
      )}
      <figcaption>
        {label}
        {audioMuted && <span className="badge">{t('room.muted')}</span>}
      </figcaption>
      {soundBlocked && (
        <button
          type="button"
          className="sound-button"
          onClick={() => {
            void audioRef.current?.play().then(() => setSoundBlocked(false));
          }}
        >
          {t('room.enableSound')}
        </button>
      )}
    </figure>
  );
}
