import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FloorState } from '../../../shared/floor.js';
import type { Participant } from '../../../shared/hearing.js';
import { failureSentence } from '../components/ErrorNotice.js';
import { VideoTile } from '../components/VideoTile.js';
import type { HearingSession, RemoteView, SessionSnapshot } from '../services/HearingSession.js';
import { navigate } from '../services/router.js';
import { useChosenDevices, useHearingSession } from '../services/useHearingSession.js';
import { DocumentTile } from './courtroom/DocumentTile.js';
import { FloorPanel } from './courtroom/FloorPanel.js';
import type { Person } from './courtroom/floorView.js';
import { HearingStateBar } from './courtroom/HearingStateBar.js';
import { JudgeControls } from './courtroom/JudgeControls.js';
import { SelfFloorNotice } from './courtroom/SelfFloorNotice.js';
import { Signatures } from './courtroom/Signatures.js';
import { TranscriptEditor } from './courtroom/TranscriptEditor.js';
import { TranscriptView } from './courtroom/TranscriptView.js';
import { type FloorRequests, useFloorRequests } from './courtroom/useFloorRequest.js';
import { useAudioOutput } from './kiosk/useAudioOutput.js';
import { RecordingLink } from './recording/RecordingLink.js';

interface HearingRoomProps {
  hearingId: string;
  participantId: string;
}

/**
 * The hearing as one participant sees it. At the judge's and the clerk's desks: every remote
 * participant in an equal tile (the spotlighted one large), the hearing's state, everyone booked with
 * their state and connection, the judge's controls, the transcript and its signatures. At a kiosk the
 * judge (or the spotlighted participant) is shown large and everyone else small.
 */
export function HearingRoom({ hearingId, participantId }: HearingRoomProps) {
  const { t } = useTranslation();
  const [attempt, setAttempt] = useState(0);
  // In the judge's desktop app: the devices chosen there; in a browser, the system's.
  const devices = useChosenDevices();
  const { session, snapshot } = useHearingSession(hearingId, participantId, attempt, devices);
  const requests = useFloorRequests(session);
  const label = (p: Participant) => `${t(`role.${p.role}`)} ${p.name}`;
  const screen = useAudioOutput(snapshot.speakerId);

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
  const floor = snapshot.floor;
  const judge = snapshot.remotes.find((r) => r.participant.role === 'judge');
  const spotlighted = floor?.spotlight ? snapshot.remotes.find((r) => r.participant.id === floor.spotlight) : undefined;
  // A document shown as evidence (a party's document camera) is the main picture while it lasts.
  const documents = snapshot.remotes.filter((r) => r.hasDocument);
  const featured = documents.length > 0 ? undefined : kiosk ? (spotlighted ?? judge) : spotlighted;
  const others = snapshot.remotes.filter((r) => r !== featured);
  const selfFloor = floor?.participants.find((p) => p.participantId === snapshot.self?.id);
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
  const selfTile = snapshot.self && (
    <VideoTile
      participantId={snapshot.self.id}
      stream={snapshot.localMediaReady ? (session?.localStream ?? null) : null}
      label={`${t('room.you')}（${label(snapshot.self)}）`}
      hasVideo={snapshot.localMediaReady}
      self
      size="small"
    />
  );

  return (
    <main className={`room ${kiosk ? 'room-kiosk' : 'room-judge room-desk'}`} ref={screen}>
      <div className="room-bar">
        <div>
          <strong>{snapshot.hearing?.caseNumber}</strong> {snapshot.hearing?.title}
        </div>
        {floor && !kiosk && <HearingStateBar floor={floor} people={peopleOf(snapshot)} alerts={snapshot.alerts} />}
        {/* After 闭庭 the judge and the clerk can go on to the hearing's recording. */}
        {floor?.state === 'closed' && (snapshot.self?.role === 'judge' || snapshot.self?.role === 'clerk') && (
          <RecordingLink hearingId={hearingId} />
        )}
        <div className="room-status" data-testid="room-status" data-status={snapshot.status}>
          {snapshot.status === 'joined'
            ? t('room.joined')
            : t(`room.${snapshot.status === 'reconnecting' ? 'reconnecting' : 'joining'}`)}
        </div>
      </div>
      {snapshot.localMediaError && (
        <p className="warning">{t('room.localMediaError', { error: snapshot.localMediaError })}</p>
      )}
      {/* Who is connected to the media. At a desk a compact line above the pictures: each person's
          state, connection and actions are in the 参加人员 panel beside them. */}
      <aside className="people">
        <h2>{t('room.participants', { count: snapshot.remotes.length + 1 })}</h2>
        <ul data-testid="participant-list">
          {snapshot.self && (
            <li data-participant-id={snapshot.self.id}>{`${label(snapshot.self)}（${t('room.you')}）`}</li>
          )}
          {snapshot.remotes.map((r) => (
            <li key={r.participant.id} data-participant-id={r.participant.id} title={r.participant.site?.name}>
              {label(r.participant)}
              {kiosk && r.participant.site && <span className="where"> · {r.participant.site.name}</span>}
            </li>
          ))}
        </ul>
      </aside>
      <div className="stage">
        {documents.map((remote) => (
          <DocumentTile
            key={`document-${remote.participant.id}`}
            stream={session?.remoteDocumentStream(remote.participant.id) ?? null}
            label={t('courtroom.document.tile', { name: label(remote.participant) })}
            participantId={remote.participant.id}
            size="large"
          />
        ))}
        {featured && remoteTile(featured, 'large')}
        <div
          className={featured || documents.length > 0 ? 'strip' : 'grid'}
          data-columns={galleryColumns(others.length + (!kiosk && snapshot.self ? 1 : 0))}
        >
          {others.map((r) => remoteTile(r, featured ? 'small' : 'medium'))}
          {snapshot.remotes.length === 0 && snapshot.status === 'joined' && (
            <p className="notice">{t('room.waitingForOthers')}</p>
          )}
          {/* At a desk the own picture is one of the strip's tiles; at a kiosk it sits over the stage. */}
          {!kiosk && selfTile}
        </div>
        {kiosk && selfTile}
      </div>
      {!kiosk && floor && snapshot.self && (
        <DeskPanels session={session} snapshot={snapshot} floor={floor} selfId={snapshot.self.id} requests={requests} />
      )}
      <div className="controls">
        {snapshot.self?.role !== 'judge' && selfFloor && <SelfFloorNotice self={selfFloor} requests={requests} />}
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

/** Columns of the equal grid for this many pictures: a row of up to three, then as square as can be. */
function galleryColumns(tiles: number): number {
  return tiles <= 3 ? Math.max(tiles, 1) : Math.ceil(Math.sqrt(tiles));
}

/** The people of the hearing as the courtroom panels name them. */
function peopleOf(snapshot: SessionSnapshot): Person[] {
  return (snapshot.hearing?.participants ?? []).map((p) => ({
    id: p.id,
    name: p.name,
    role: p.role,
    site: p.site?.name ?? null,
  }));
}

interface DeskPanelsProps {
  session: HearingSession | null;
  snapshot: SessionSnapshot;
  floor: FloorState;
  selfId: string;
  requests: FloorRequests;
}

/**
 * The judge's and the clerk's work beside the pictures: the judge commands the hearing and its
 * participants and follows the transcript; the clerk watches everyone's connection and writes it.
 */
function DeskPanels({ session, snapshot, floor, selfId, requests }: DeskPanelsProps) {
  const { t } = useTranslation();
  const role = snapshot.self?.role;
  const isJudge = role === 'judge';
  const isClerk = role === 'clerk';
  const people = peopleOf(snapshot);
  const joined = snapshot.status === 'joined';
  const showSignatures = floor.state === 'closed' || floor.signatures.length > 0;
  return (
    <>
      <div className="desk-side">
        {isJudge && requests.failure && (
          <div
            className="form-error floor-error"
            role="alert"
            data-testid="floor-error"
            data-code={requests.failure.code}
          >
            <span>{t('courtroom.controls.failed', { sentence: failureSentence(t, requests.failure) })}</span>
            <button type="button" className="small-button" onClick={requests.dismiss}>
              {t('courtroom.controls.dismiss')}
            </button>
          </div>
        )}
        {isJudge && <JudgeControls floor={floor} people={people} selfId={selfId} requests={requests} />}
        <FloorPanel floor={floor} people={people} selfId={selfId} requests={isJudge ? requests : null} />
      </div>
      <div className="desk-main">
        {showSignatures && <Signatures floor={floor} people={people} />}
        {isClerk && (
          <TranscriptEditor
            session={session}
            transcriptVersion={floor.transcriptVersion}
            joined={joined}
            signed={floor.signatures.length > 0}
          />
        )}
        {!isClerk && <TranscriptView session={session} transcriptVersion={floor.transcriptVersion} joined={joined} />}
      </div>
    </>
  );
}
