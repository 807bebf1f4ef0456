import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Participant } from '../../../shared/hearing.js';
import { VideoTile } from '../components/VideoTile.js';
import type { RemoteView } from '../services/HearingSession.js';
import { navigate } from '../services/router.js';
import { useHearingSession } from '../services/useHearingSession.js';

interface HearingRoomProps {
  hearingId: string;
  participantId: string;
}

/**
 * The hearing as one participant sees it. At a kiosk the judge is shown large and everyone else small;
 * at the judge's desk every remote participant gets an equal tile.
 */
export function HearingRoom({ hearingId, participantId }: HearingRoomProps) {
  const { t } = useTranslation();
  const [attempt, setAttempt] = useState(0);
  const { session, snapshot } = useHearingSession(hearingId, participantId, attempt);
  const label = (p: Participant) => `${t(`role.${p.role}`)} ${p.name}`;

  if (snapshot.status === 'left' || snapshot.status === 'removed' || snapshot.status === 'failed') {
    const message =
      snapshot.status === 'failed'
        ? t('room.failed', {
            message: snapshot.error ? `${t(`error.${snapshot.error.code}`)}（${snapshot.error.message}）` : '',
          })
        : t(`room.${snapshot.status}`);
    return (
      <main className="notice" data-testid="room-status" data-status={snapshot.status}>
        <p>{message}</p>
        {snapshot.status === 'failed' && <p>{t('room.failedHelp')}</p>}
        <div className="actions">
          <button type="button" className="big-button" onClick={() => setAttempt((n) => n + 1)}>
            {t('room.rejoin')}
          </button>
          <button type="button" className="big-button secondary" onClick={() => navigate('/')}>
            {t('room.backToLobby')}
          </button>
        </div>
      </main>
    );
  }

  const kiosk = snapshot.self?.client === 'kiosk';
  const judge = snapshot.remotes.find((r) => r.participant.role === 'judge');
  const featured = kiosk ? judge : undefined;
  const others = snapshot.remotes.filter((r) => r !== featured);
  const remoteTile = (remote: RemoteView, size: 'large' | 'medium' | 'small') => (
    <VideoTile
      key={remote.participant.id}
      participantId={remote.participant.id}
      stream={session?.remoteStream(remote.participant.id) ?? null}
      label={label(remote.participant)}
      hasVideo={remote.hasVideo}
      hasAudio={remote.hasAudio}
      audioMuted={remote.audioMuted}
      size={size}
    />
  );

  return (
    <main className={`room ${kiosk ? 'room-kiosk' : 'room-judge'}`}>
      <div className="room-bar">
        <div>
          <strong>{snapshot.hearing?.caseNumber}</strong> {snapshot.hearing?.title}
        </div>
        <div className="room-status" data-testid="room-status" data-status={snapshot.status}>
          {snapshot.status === 'joined'
            ? t('room.joined')
            : t(`room.${snapshot.status === 'reconnecting' ? 'reconnecting' : 'joining'}`)}
        </div>
      </div>
      {snapshot.localMediaError && (
        <p className="warning">{t('room.localMediaError', { error: snapshot.localMediaError })}</p>
      )}
      <div className="stage">
        {featured && remoteTile(featured, 'large')}
        <div className={featured ? 'strip' : 'grid'}>
          {others.map((r) => remoteTile(r, featured ? 'small' : 'medium'))}
          {snapshot.remotes.length === 0 && snapshot.status === 'joined' && (
            <p className="notice">{t('room.waitingForOthers')}</p>
          )}
        </div>
        {snapshot.self && (
          <VideoTile
            participantId={snapshot.self.id}
            stream={snapshot.localMediaReady ? (session?.localStream ?? null) : null}
            label={`${t('room.you')}（${label(snapshot.self)}）`}
            hasVideo={snapshot.localMediaReady}
            self
            size="small"
          />
        )}
      </div>
      <aside className="people">
        <h2>{t('room.participants', { count: snapshot.remotes.length + 1 })}</h2>
        <ul data-testid="participant-list">
          {snapshot.self && (
            <li data-participant-id={snapshot.self.id}>{`${label(snapshot.self)}（${t('room.you')}）`}</li>
          )}
          {snapshot.remotes.map((r) => (
            <li key={r.participant.id} data-participant-id={r.participant.id}>
              {label(r.participant)}
              {r.participant.site && <span className="where"> · {r.participant.site.name}</span>}
            </li>
          ))}
        </ul>
      </aside>
      <div className="controls">
        <button
          type="button"
          className="big-button secondary"
          data-testid="mic-toggle"
          onClick={() => void session?.setMicMuted(!snapshot.micMuted)}
        >
          {snapshot.micMuted ? t('room.micOff') : t('room.micOn')}
        </button>
        <button
          type="button"
          className="big-button danger"
          data-testid="leave"
          onClick={() => {
            void session?.leave();
          }}
        >
          {t('room.leave')}
        </button>
      </div>
    </main>
  );
}
