import { useTranslation } from 'react-i18next';
import { assertUnreachable } from '../../../../shared/errors.js';
import type { FloorParticipant, FloorState } from '../../../../shared/floor.js';
import { FLOOR_GROUPS, groupParticipants, type Person, type RowAction, rowActions } from './floorView.js';
import { ParticipantFacts } from './ParticipantFacts.js';
import type { FloorRequests } from './useFloorRequest.js';

interface FloorPanelProps {
  floor: FloorState;
  people: readonly Person[];
  selfId: string;
  /** The judge acts on the rows; the clerk only watches them. */
  requests: FloorRequests | null;
}

/** Everyone booked for the hearing, by where they are: in the hearing, in the waiting room, not here. */
export function FloorPanel({ floor, people, selfId, requests }: FloorPanelProps) {
  const { t } = useTranslation();
  const groups = groupParticipants(floor.participants, people);
  return (
    <section className="desk-panel floor-panel" aria-label={t('courtroom.people.heading')}>
      <h2>{t('courtroom.people.heading')}</h2>
      {FLOOR_GROUPS.map((group) => (
        <div key={group} className="floor-group" data-group={group}>
          <h3>
            {t('courtroom.people.groupCount', {
              group: t(`courtroom.people.group.${group}`),
              count: groups[group].length,
            })}
          </h3>
          {groups[group].length === 0 ? (
            <p className="muted">{t('courtroom.people.none')}</p>
          ) : (
            <ul className="floor-list">
              {groups[group].map((p) => (
                <FloorRow
                  key={p.participantId}
                  floor={floor}
                  participant={p}
                  person={people.find((person) => person.id === p.participantId) ?? null}
                  selfId={selfId}
                  requests={requests}
                />
              ))}
            </ul>
          )}
        </div>
      ))}
    </section>
  );
}

const ACTION_TEST_IDS: Record<RowAction, string> = {
  call_in: 'call-in',
  dismiss: 'dismiss',
  mute: 'mute',
  unmute: 'unmute',
  spotlight: 'spotlight',
  unspotlight: 'spotlight',
  show_document: 'show-document',
  stop_document: 'stop-document',
};

/** The toggles among the actions, and whether each is on: the main view and the document camera. */
const PRESSED: Partial<Record<RowAction, boolean>> = {
  spotlight: false,
  unspotlight: true,
  show_document: false,
  stop_document: true,
};

interface FloorRowProps {
  floor: FloorState;
  participant: FloorParticipant;
  person: Person | null;
  selfId: string;
  requests: FloorRequests | null;
}

function FloorRow({ floor, participant: p, person, selfId, requests }: FloorRowProps) {
  const { t } = useTranslation();
  const id = p.participantId;
  const actions = requests ? rowActions(floor, p, person?.role, selfId) : [];
  const act = (action: RowAction) => {
    if (!requests) return;
    switch (action) {
      case 'spotlight':
        void requests.send('floor:spotlight', { participantId: id });
        return;
      case 'unspotlight':
        void requests.send('floor:spotlight', { participantId: null });
        return;
      case 'call_in':
      case 'dismiss':
      case 'mute':
      case 'unmute':
        void requests.send('floor:participant', { participantId: id, action });
        return;
      case 'show_document':
      case 'stop_document':
        void requests.send('floor:showDocument', { participantId: id, show: action === 'show_document' });
        return;
      default:
        assertUnreachable(action);
    }
  };
  const where = person ? (person.site ?? t('courtroom.people.atCourt')) : null;
  return (
    <li
      className={`floor-row${p.helpRequested || p.handRaised ? ' floor-row-attention' : ''}`}
      data-testid={`participant-row-${id}`}
      data-status={p.status.state}
      data-muted={p.muted}
      data-connected={p.connected}
    >
      <div className="floor-who">
        <strong>{person ? `${t(`role.${person.role}`, { defaultValue: person.role })} ${person.name}` : id}</strong>
        {where && <span className="where"> · {where}</span>}
        {id === selfId && <span className="muted">（{t('courtroom.people.you')}）</span>}
        {!person && <span className="muted"> {t('courtroom.people.unknown')}</span>}
      </div>
      <ParticipantFacts participant={p} spotlighted={floor.spotlight === id} withTestIds />
      {actions.length > 0 && (
        <div className="floor-actions">
          {actions.map((action) => (
            <button
              key={action}
              type="button"
              className={action === 'call_in' || action === 'show_document' ? 'small-button primary' : 'small-button'}
              data-testid={`${ACTION_TEST_IDS[action]}-${id}`}
              data-active={PRESSED[action] || undefined}
              aria-pressed={PRESSED[action]}
              disabled={requests?.busy}
              onClick={() => act(action)}
            >
              {t(`courtroom.action.${action}`)}
            </button>
          ))}
        </div>
      )}
    </li>
  );
}
