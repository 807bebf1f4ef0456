import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { FloorState } from '../../../../shared/floor.js';
import type { Participant } from '../../../../shared/hearing.js';
import { VideoTile } from '../../components/VideoTile.js';
import { desktopApi } from '../../services/desktop.js';
import type { HearingSession, RemoteView, SessionSnapshot } from '../../services/HearingSession.js';
import { DocumentTile } from '../courtroom/DocumentTile.js';
import { HandButton, HelpButton, PausedBanner } from './FloorControls.js';
import { useSpeaker } from './useAudioLevels.js';
import { useAudioOutput } from './useAudioOutput.js';

interface InHearingProps {
  session: HearingSession | null;
  snapshot: SessionSnapshot;
  floor: FloorState;
  participantId: string;
}

/** Floor states of people not in the hearing room itself: their pictures are not shown. */
const OUTSIDE = new Set(['not_checked_in', 'checked_in', 'waiting', 'left']);

/**
 * The hearing as the villager sees it: the judge (or whoever the judge put on the main view) large,
 * everyone else in a strip, the villager small in the corner, who is speaking, the "recording"
 * indicator, the judge's mute, and the two things a villager can do: raise a hand, ask for help.
 * A document shown by another party (its document camera, at the judge's request) takes the main
 * view while it lasts; when it is this kiosk's own, the villager is told so and sees what is shown.
 * The court's sound plays through the speaker the site operator chose.
 */
export function InHearing({ session, snapshot, floor, participantId }: InHearingProps) {
  const { t } = useTranslation();
  // In the kiosk shell the machine stays awake (no sleep, no screen saver) while this screen shows.
  useEffect(() => {
    const shell = desktopApi();
    if (!shell) return undefined;
    void shell.setInHearing({ inHearing: true });
    return () => void shell.setInHearing({ inHearing: false });
  }, []);
  const me = floor.participants.find((p) => p.participantId === participantId);
  const label = (p: Participant) => `${t(`role.${p.role}`)} ${p.name}`;
  const stateOf = (id: string) => floor.participants.find((p) => p.participantId === id)?.status.state;
  const visible = snapshot.remotes.filter(
    (r) => r.participant.role !== 'observer' && !OUTSIDE.has(stateOf(r.participant.id) ?? 'in_hearing'),
  );
  const spotlight =
    floor.spotlight && floor.spotlight !== participantId
      ? visible.find((r) => r.participant.id === floor.spotlight)
      : undefined;
  const featured = spotlight ?? visible.find((r) => r.participant.role === 'judge');
  const others = visible.filter((r) => r !== featured);
  const speaker = useSpeaker(session, visible);
  const speaking = visible.find((r) => r.participant.id === speaker);
  // Evidence shown by another party: on the main view, everyone else in the strip.
  const shownDocument = visible.find((r) => r.hasDocument);
  const strip = shownDocument ? visible : others;
  const screen = useAudioOutput(snapshot.speakerId);

  const tile = (remote: RemoteView, size: 'large' | 'small') => {
    const isSpeaking = remote.participant.id === speaker;
    return (
      <div
        key={remote.participant.id}
        className={`kiosk-tile kiosk-tile-${size}${isSpeaking ? ' speaking' : ''}`}
        data-speaking={isSpeaking}
      >
        <VideoTile
          participantId={remote.participant.id}
          stream={session?.remoteStream(remote.participant.id) ?? null}
          label={label(remote.participant)}
          hasVideo={remote.hasVideo}
          hasAudio={remote.hasAudio}
          audioMuted={remote.audioMuted}
          size={size}
        />
      </div>
    );
  };

  return (
    <main className="kiosk-hearing" data-testid="in-hearing" data-hearing-state={floor.state} ref={screen}>
      <div className="kiosk-hearing-bar">
        <span className="kiosk-hearing-case">
          {snapshot.hearing?.caseNumber} {snapshot.hearing?.title}
        </span>
        {floor.recording && (
          <span className="recording-indicator" role="status" data-testid="recording-indicator">
            <span className="recording-dot" aria-hidden="true" />
            {t('kioskFlow.hearing.recording')}
          </span>
        )}
      </div>
      {floor.state === 'paused' && <PausedBanner reason={floor.pauseReason} />}
      {me?.muted && (
        <p className="kiosk-muted-notice" role="status" data-testid="muted-notice">
          {t('kioskFlow.hearing.muted')}
        </p>
      )}
      {snapshot.document !== 'off' && (
        <div
          className="kiosk-document-notice"
          role="status"
          data-testid="document-sharing"
          data-state={snapshot.document}
        >
          <p>
            {snapshot.document === 'on'
              ? t('kioskFlow.hearing.documentSharing')
              : snapshot.document === 'starting'
                ? t('kioskFlow.hearing.documentStarting')
                : t('kioskFlow.hearing.documentFailed')}
          </p>
          {snapshot.document === 'on' && snapshot.self && (
            <DocumentTile
              stream={session?.documentStream ?? null}
              label={t('kioskFlow.hearing.documentPreview')}
              participantId={snapshot.self.id}
              size="small"
              testId="document-preview"
            />
          )}
        </div>
      )}
      <p className="kiosk-speaking" data-testid="speaking" data-participant-id={speaker ?? ''} aria-live="polite">
        {speaking ? t('kioskFlow.hearing.speaking', { name: label(speaking.participant) }) : '\u00a0'}
      </p>
      <div className="kiosk-stage">
        <div className="kiosk-stage-main">
          {shownDocument ? (
            <DocumentTile
              stream={session?.remoteDocumentStream(shownDocument.participant.id) ?? null}
              label={t('kioskFlow.hearing.documentOf', { name: label(shownDocument.participant) })}
              participantId={shownDocument.participant.id}
              size="large"
            />
          ) : featured ? (
            tile(featured, 'large')
          ) : (
            <div className="kiosk-stage-empty">{t('kioskFlow.hearing.judgeAway')}</div>
          )}
          {snapshot.self && (
            <VideoTile
              participantId={snapshot.self.id}
              stream={snapshot.localMediaReady ? (session?.localStream ?? null) : null}
              label={`${t('kioskFlow.hearing.you')}（${label(snapshot.self)}）`}
              hasVideo={snapshot.localMediaReady}
              self
              size="small"
            />
          )}
        </div>
        {strip.length > 0 && <div className="kiosk-stage-strip">{strip.map((r) => tile(r, 'small'))}</div>}
      </div>
      <div className="kiosk-hearing-controls">
        <HandButton session={session} raised={me?.handRaised ?? false} />
        <HelpButton session={session} requested={me?.helpRequested ?? false} />
      </div>
    </main>
  );
}
