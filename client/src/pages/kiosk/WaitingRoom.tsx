import { useTranslation } from 'react-i18next';
import type { FloorState } from '../../../../shared/floor.js';
import type { Participant } from '../../../../shared/hearing.js';
import { VideoTile } from '../../components/VideoTile.js';
import type { HearingSession, SessionSnapshot } from '../../services/HearingSession.js';
import { HelpButton, LeaveButton, PausedBanner } from './FloorControls.js';

interface WaitingRoomProps {
  session: HearingSession | null;
  snapshot: SessionSnapshot;
  floor: FloorState;
  participantId: string;
  onLeave: () => void;
}

/**
 * The waiting room: "please wait, the judge will call you in", where the hearing stands, who else is
 * waiting, the villager's own picture (as the judge will see it) and "need help". Never times out.
 */
export function WaitingRoom({ session, snapshot, floor, participantId, onLeave }: WaitingRoomProps) {
  const { t } = useTranslation();
  const me = floor.participants.find((p) => p.participantId === participantId);
  const people = snapshot.hearing?.participants ?? [];
  const label = (p: Participant) => `${t(`role.${p.role}`)} ${p.name}`;
  const others = floor.participants
    .filter((p) => p.participantId !== participantId && p.status.state === 'waiting')
    .map((p) => people.find((person) => person.id === p.participantId))
    .filter((p): p is Participant => p !== undefined);
  const stateLine =
    floor.state === 'scheduled'
      ? t('kioskFlow.waiting.scheduled')
      : floor.state === 'open'
        ? t('kioskFlow.waiting.open')
        : floor.state === 'in_session'
          ? t('kioskFlow.waiting.inSession')
          : null;

  return (
    <main className="kiosk kiosk-waiting" data-testid="waiting-room" data-hearing-state={floor.state}>
      {floor.state === 'paused' && <PausedBanner reason={floor.pauseReason} />}
      <div className="kiosk-heading">
        <h2>{t('kioskFlow.waiting.heading')}</h2>
        {snapshot.hearing && (
          <span className="kiosk-date">
            {snapshot.hearing.caseNumber} {snapshot.hearing.title}
          </span>
        )}
      </div>
      {stateLine && <p className="kiosk-lead">{stateLine}</p>}
      <div className="waiting-body">
        <section className="waiting-self">
          {snapshot.self && (
            <VideoTile
              participantId={snapshot.self.id}
              stream={snapshot.localMediaReady ? (session?.localStream ?? null) : null}
              label={t('kioskFlow.waiting.selfView')}
              hasVideo={snapshot.localMediaReady}
              self
              size="medium"
            />
          )}
        </section>
        <section className="waiting-others">
          <h3>{t('kioskFlow.waiting.othersHeading')}</h3>
          {others.length === 0 ? (
            <p>{t('kioskFlow.waiting.nobodyElse')}</p>
          ) : (
            <ul data-testid="waiting-others">
              {others.map((p) => (
                <li key={p.id} data-participant-id={p.id}>
                  {label(p)}
                  {p.site && <span className="where"> · {p.site.name}</span>}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <div className="kiosk-hearing-controls">
        <HelpButton session={session} requested={me?.helpRequested ?? false} />
      </div>
      <div className="kiosk-leave">
        <LeaveButton onLeave={onLeave} />
      </div>
    </main>
  );
}
