import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FloorState } from '../../../../shared/floor.js';
import { isHearingLive, MAX_REASON_LENGTH } from '../../../../shared/hearingState.js';
import {
  canMuteAll,
  hasStateHint,
  type Person,
  pauseReasonProblem,
  type RoomCommand,
  roomCommands,
} from './floorView.js';
import type { FloorRequests } from './useFloorRequest.js';

interface JudgeControlsProps {
  floor: FloorState;
  people: readonly Person[];
  selfId: string;
  requests: FloorRequests;
}

type Pending = 'none' | 'pause' | 'close' | 'start' | 'resume';

/**
 * The judge's commands for the hearing as a whole: only those the hearing's state allows, a reason
 * before a recess (休庭) and a confirmation before closing (闭庭); then mute-all and the main view.
 */
export function JudgeControls({ floor, people, selfId, requests }: JudgeControlsProps) {
  const { t } = useTranslation();
  const [pending, setPending] = useState<Pending>('none');
  const [reason, setReason] = useState('');
  const commands = roomCommands(floor.state);
  const live = isHearingLive(floor.state);
  const roleOf = (id: string) => people.find((p) => p.id === id)?.role;
  // A form whose command the state no longer allows (the hearing moved on) is not shown.
  const shown: Pending = pending !== 'none' && commands.includes(pending) ? pending : 'none';
  // The server refused to start or resume because the hearing cannot be recorded (disk full): the
  // judge is asked whether to go on without recording, which the server logs.
  const unrecordable = requests.failure?.code === 'RECORDING_UNAVAILABLE';
  const problem = pauseReasonProblem(reason);
  const reasonInput = useRef<HTMLInputElement>(null);
  // The judge asked for the recess form: the cursor goes where the reason is typed.
  useEffect(() => {
    if (shown === 'pause') reasonInput.current?.focus();
  }, [shown]);
  const spotlightName = floor.spotlight
    ? (people.find((p) => p.id === floor.spotlight)?.name ?? floor.spotlight)
    : null;

  const command = async (type: RoomCommand) => {
    if (type === 'pause' || type === 'close') {
      setPending(type);
      return;
    }
    const answer = await requests.send('floor:command', { command: { type } });
    if (!answer && (type === 'start' || type === 'resume')) setPending(type);
  };
  const continueWithoutRecording = async (type: 'start' | 'resume') => {
    const answer = await requests.send('floor:command', { command: { type, withoutRecording: true } });
    if (answer) setPending('none');
  };
  const confirmPause = async () => {
    if (problem !== null) return;
    const answer = await requests.send('floor:command', { command: { type: 'pause', reason: reason.trim() } });
    if (answer) {
      setPending('none');
      setReason('');
    }
  };
  const confirmClose = async () => {
    const answer = await requests.send('floor:command', { command: { type: 'close' } });
    if (answer) setPending('none');
  };

  return (
    <section
      className="desk-panel judge-controls"
      data-testid="judge-controls"
      aria-label={t('courtroom.controls.heading')}
    >
      <h2>{t('courtroom.controls.heading')}</h2>
      {hasStateHint(floor.state) && <p className="muted">{t(`courtroom.stateHint.${floor.state}`)}</p>}
      {(shown === 'none' || ((shown === 'start' || shown === 'resume') && !unrecordable)) && commands.length > 0 && (
        <div className="command-row">
          {commands.map((type) => (
            <button
              key={type}
              type="button"
              className={
                type === 'close' ? 'big-button danger' : type === 'pause' ? 'big-button secondary' : 'big-button'
              }
              data-testid={`cmd-${type}`}
              disabled={requests.busy}
              onClick={() => void command(type)}
            >
              {t(`courtroom.command.${type}`)}
            </button>
          ))}
        </div>
      )}
      {(shown === 'start' || shown === 'resume') && unrecordable && (
        <div
          className="inline-form confirm"
          role="alertdialog"
          aria-label={t('courtroom.withoutRecording.title')}
          data-testid="without-recording"
        >
          <p>{t('courtroom.withoutRecording.question')}</p>
          <div className="row-actions">
            <button
              type="button"
              className="big-button danger"
              data-testid="without-recording-confirm"
              disabled={requests.busy}
              onClick={() => void continueWithoutRecording(shown)}
            >
              {t(`courtroom.withoutRecording.${shown}`)}
            </button>
            <button
              type="button"
              className="big-button secondary"
              onClick={() => {
                setPending('none');
                requests.dismiss();
              }}
            >
              {t('courtroom.back')}
            </button>
          </div>
        </div>
      )}
      {shown === 'pause' && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void confirmPause();
          }}
        >
          <label className="field">
            <span>{t('courtroom.pause.reason')}</span>
            <input
              type="text"
              data-testid="pause-reason"
              placeholder={t('courtroom.pause.example')}
              required
              ref={reasonInput}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </label>
          {problem === 'tooLong' && (
            <p className="form-error">{t('courtroom.pause.tooLong', { max: MAX_REASON_LENGTH })}</p>
          )}
          <div className="row-actions">
            <button
              type="submit"
              className="big-button"
              data-testid="pause-confirm"
              disabled={requests.busy || problem !== null}
            >
              {t('courtroom.pause.confirm')}
            </button>
            <button type="button" className="big-button secondary" onClick={() => setPending('none')}>
              {t('courtroom.back')}
            </button>
          </div>
          {problem === 'required' && <p className="muted">{t('courtroom.pause.required')}</p>}
        </form>
      )}
      {shown === 'close' && (
        <div className="inline-form confirm" role="alertdialog" aria-label={t('courtroom.command.close')}>
          <p>{t('courtroom.close.question')}</p>
          <div className="row-actions">
            <button
              type="button"
              className="big-button danger"
              data-testid="close-confirm"
              disabled={requests.busy}
              onClick={() => void confirmClose()}
            >
              {t('courtroom.close.confirm')}
            </button>
            <button type="button" className="big-button secondary" onClick={() => setPending('none')}>
              {t('courtroom.back')}
            </button>
          </div>
        </div>
      )}
      {live && (
        <div className="command-row">
          <button
            type="button"
            className="small-button"
            data-testid="mute-all"
            disabled={requests.busy || !canMuteAll(floor, roleOf, selfId)}
            onClick={() => void requests.send('floor:muteAll', {})}
          >
            {t('courtroom.muteAll')}
          </button>
          {spotlightName !== null && (
            <button
              type="button"
              className="small-button"
              data-testid="spotlight-clear"
              disabled={requests.busy}
              onClick={() => void requests.send('floor:spotlight', { participantId: null })}
            >
              {t('courtroom.clearSpotlight')}
            </button>
          )}
        </div>
      )}
      {requests.busy && (
        <p className="muted" role="status">
          {t('courtroom.controls.sending')}
        </p>
      )}
    </section>
  );
}
