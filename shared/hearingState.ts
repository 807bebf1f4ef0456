/**
 * The state machines of a live hearing and of each participant in it, as pure functions.
 *
 * The server, the judge's desk and the kiosk all need the same answer to "may this happen now?": the
 * server to refuse a stale or forged request, the UIs to show only the buttons that will work. Keeping
 * the rules here, free of I/O, lets all three share one implementation and lets the tests walk every
 * state against every command.
 *
 * Nothing here throws on an illegal request. A refusal comes back as a value carrying a stable error
 * code (compatible with `ErrorBody`), a machine key the UI translates, and an English sentence for logs.
 * Parsing untrusted input into a command or event is the caller's job, with the schemas below.
 */
import { z } from 'zod';
import { assertUnreachable, type ErrorCode } from './errors.js';

// --- Hearing ------------------------------------------------------------------------------------

/**
 * The life of a hearing from the court's point of view:
 * - `scheduled`: booked, nobody admitted yet;
 * - `open`: the judge is present and the waiting room is open;
 * - `in_session`: the court is sitting (开庭);
 * - `paused`: adjourned for a while (休庭), always with a stated reason;
 * - `closed`: the hearing is over (闭庭);
 * - `cancelled`: called off before it was opened.
 */
export const HearingStateSchema = z.enum(['scheduled', 'open', 'in_session', 'paused', 'closed', 'cancelled']);
export type HearingState = z.infer<typeof HearingStateSchema>;

/** Every hearing state, in the order of a hearing's life; handy for iterating. */
export const HEARING_STATES: readonly HearingState[] = HearingStateSchema.options;

/**
 * The reason typed by the judge or clerk for a pause or cancellation. The schema only checks that it is
 * a string: emptiness and length are judged by {@link applyHearingCommand}, so that the refusal comes
 * back with a translatable key instead of a zod issue.
 */
const ReasonTextSchema = z.string();

/** Longest pause or cancellation reason, after trimming; UTF-16 units, like the zod limit in scheduling. */
export const MAX_REASON_LENGTH = 500;

/**
 * What the judge's desk asks the hearing to do. Objects are strict: an unexpected field means the
 * client and the server disagree about the contract, and that is better refused than ignored.
 */
export const HearingCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('open') }),
  /**
   * `withoutRecording`: the judge goes on although the hearing cannot be recorded (recording disk
   * full); without it such a start or resume is refused with RECORDING_UNAVAILABLE. Logged.
   */
  z.strictObject({ type: z.literal('start'), withoutRecording: z.literal(true).optional() }),
  z.strictObject({ type: z.literal('pause'), reason: ReasonTextSchema }),
  z.strictObject({ type: z.literal('resume'), withoutRecording: z.literal(true).optional() }),
  z.strictObject({ type: z.literal('close') }),
  z.strictObject({ type: z.literal('cancel'), reason: ReasonTextSchema }),
]);
export type HearingCommand = z.infer<typeof HearingCommandSchema>;
export type HearingCommandType = HearingCommand['type'];

/** Every hearing command type, taken from the schema so that the list cannot drift from it. */
export const HEARING_COMMAND_TYPES: readonly HearingCommandType[] = HearingCommandSchema.options.map(
  (option) => option.shape.type.value,
);

// --- Participants -------------------------------------------------------------------------------

/**
 * Where one participant stands:
 * - `not_checked_in`: expected but not yet identified at the kiosk or desk;
 * - `checked_in`: identified, the kiosk is running its camera and microphone self-test;
 * - `waiting`: ready, in the waiting room;
 * - `in_hearing`: called into the hearing by the judge;
 * - `left`: went away on purpose (and may check in again);
 * - `disconnected`: the connection dropped; `resumeTo` remembers where to put them back.
 */
export const ParticipantStateSchema = z.enum([
  'not_checked_in',
  'checked_in',
  'waiting',
  'in_hearing',
  'left',
  'disconnected',
]);
export type ParticipantState = z.infer<typeof ParticipantStateSchema>;

/** Every participant state; handy for iterating. */
export const PARTICIPANT_STATES: readonly ParticipantState[] = ParticipantStateSchema.options;

/** The states a connection can drop from, hence the only values `resumeTo` may hold. */
const RESUMABLE_STATES: ReadonlySet<ParticipantState> = new Set<ParticipantState>([
  'checked_in',
  'waiting',
  'in_hearing',
]);

/**
 * A participant's state plus, while disconnected, the state to return to on reconnect. `resumeTo` is
 * null in every other state; the schema enforces that for statuses read back from storage or the wire.
 */
export const ParticipantStatusSchema = z
  .strictObject({ state: ParticipantStateSchema, resumeTo: ParticipantStateSchema.nullable() })
  .refine(
    ({ state, resumeTo }) =>
      state === 'disconnected' ? resumeTo !== null && RESUMABLE_STATES.has(resumeTo) : resumeTo === null,
    'resumeTo is checked_in, waiting or in_hearing while disconnected, and null otherwise',
  );
export type ParticipantStatus = z.infer<typeof ParticipantStatusSchema>;

/** Where every participant starts before the hearing day. */
export const INITIAL_PARTICIPANT_STATUS: ParticipantStatus = Object.freeze({ state: 'not_checked_in', resumeTo: null });

/**
 * What happens to a participant: their own actions (check in, finish the self-test, leave), the judge's
 * (call in, send back to the waiting room) and the network's (disconnect, reconnect).
 */
export const ParticipantEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('check_in') }),
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('call_in') }),
  z.strictObject({ type: z.literal('dismiss') }),
  z.strictObject({ type: z.literal('leave') }),
  z.strictObject({ type: z.literal('disconnect') }),
  z.strictObject({ type: z.literal('reconnect') }),
]);
export type ParticipantEvent = z.infer<typeof ParticipantEventSchema>;
export type ParticipantEventType = ParticipantEvent['type'];

/** Every participant event type, taken from the schema. */
export const PARTICIPANT_EVENT_TYPES: readonly ParticipantEventType[] = ParticipantEventSchema.options.map(
  (option) => option.shape.type.value,
);

// --- Errors -------------------------------------------------------------------------------------

/**
 * The machine keys of every refusal. They are a closed set so that the UI can hold a translation for
 * each one; each names the precondition that was not met, not the command that failed.
 */
export const STATE_ERROR_REASONS = [
  'hearing.not_scheduled',
  'hearing.not_open',
  'hearing.not_in_session',
  'hearing.not_paused',
  'hearing.not_started',
  'hearing.already_closed',
  'hearing.already_cancelled',
  'reason.required',
  'reason.too_long',
  'participant.already_checked_in',
  'participant.not_checked_in',
  'participant.not_waiting',
  'participant.hearing_not_live',
  'participant.not_in_hearing',
  'participant.not_present',
  'participant.not_disconnected',
  'participant.no_resume_state',
] as const;
export type StateErrorReason = (typeof STATE_ERROR_REASONS)[number];

/** A refusal is either a malformed request (bad reason text) or a request that does not fit the state. */
export type StateErrorCode = Extract<ErrorCode, 'INVALID_STATE' | 'BAD_REQUEST'>;

/** The English explanation that ends each log message; the UI uses the key instead. */
const EXPLANATIONS: Record<StateErrorReason, string> = {
  'hearing.not_scheduled': 'only a scheduled hearing can be opened or cancelled',
  'hearing.not_open': 'the hearing must be open, with the judge present, before it can start',
  'hearing.not_in_session': 'only a hearing in session can be paused',
  'hearing.not_paused': 'only a paused hearing can be resumed',
  'hearing.not_started': 'only a hearing in session or paused can be closed',
  'hearing.already_closed': 'the hearing is closed and accepts no more commands',
  'hearing.already_cancelled': 'the hearing is cancelled and accepts no more commands',
  'reason.required': 'a reason is required',
  'reason.too_long': `the reason must be at most ${MAX_REASON_LENGTH} characters`,
  'participant.already_checked_in': 'the participant has already checked in',
  'participant.not_checked_in': 'only a checked-in participant can finish the self-test',
  'participant.not_waiting': 'only a participant in the waiting room can be called in',
  'participant.hearing_not_live': 'participants can be called in only while the hearing is open, in session or paused',
  'participant.not_in_hearing': 'only a participant in the hearing can be sent back to the waiting room',
  'participant.not_present': 'the participant has not checked in or has already left',
  'participant.not_disconnected': 'only a disconnected participant can reconnect',
  'participant.no_resume_state': 'the stored status does not say where the participant was before disconnecting',
};

function codeOf(reason: StateErrorReason): StateErrorCode {
  return reason === 'reason.required' || reason === 'reason.too_long' ? 'BAD_REQUEST' : 'INVALID_STATE';
}

/**
 * Why a command or event was refused. Assignable to `ErrorBody`, so the server can send it as is; `from`
 * is the state the machine stayed in, `command` what was asked of it.
 */
export interface StateError<From extends string = HearingState, Command extends string = HearingCommandType> {
  code: StateErrorCode;
  reason: StateErrorReason;
  message: string;
  from: From;
  command: Command;
}
export type HearingStateError = StateError<HearingState, HearingCommandType>;
export type ParticipantStateError = StateError<ParticipantState, ParticipantEventType>;

export type HearingCommandResult =
  | {
      ok: true;
      state: HearingState;
      /** The trimmed pause or cancel reason; null for other commands. */
      reason: string | null;
    }
  | { ok: false; error: HearingStateError };

export type ParticipantEventResult =
  | { ok: true; status: ParticipantStatus }
  | { ok: false; error: ParticipantStateError };

// --- Hearing machine ----------------------------------------------------------------------------

type Step<S> = { ok: true; to: S } | { ok: false; reason: StateErrorReason };

/** The state a command leads to from `from`, ignoring the command's payload. */
function hearingStep(from: HearingState, type: HearingCommandType): Step<HearingState> {
  // The terminal states refuse everything with one key, which reads better than "not paused".
  if (from === 'closed') return { ok: false, reason: 'hearing.already_closed' };
  if (from === 'cancelled') return { ok: false, reason: 'hearing.already_cancelled' };
  const go = (to: HearingState): Step<HearingState> => ({ ok: true, to });
  const refuse = (reason: StateErrorReason): Step<HearingState> => ({ ok: false, reason });
  switch (type) {
    case 'open':
      return from === 'scheduled' ? go('open') : refuse('hearing.not_scheduled');
    case 'start':
      return from === 'open' ? go('in_session') : refuse('hearing.not_open');
    case 'pause':
      return from === 'in_session' ? go('paused') : refuse('hearing.not_in_session');
    case 'resume':
      return from === 'paused' ? go('in_session') : refuse('hearing.not_paused');
    case 'close':
      return from === 'in_session' || from === 'paused' ? go('closed') : refuse('hearing.not_started');
    case 'cancel':
      // Once opened, people are connected and may have been heard: the hearing must be closed instead.
      return from === 'scheduled' ? go('cancelled') : refuse('hearing.not_scheduled');
    default:
      return assertUnreachable(type);
  }
}

/** Trims a pause or cancel reason and checks it is present and not too long. */
function checkReason(text: string): { ok: true; reason: string } | { ok: false; reason: StateErrorReason } {
  // trim() also removes the ideographic space (U+3000) a Chinese input method types.
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'reason.required' };
  if (trimmed.length > MAX_REASON_LENGTH) return { ok: false, reason: 'reason.too_long' };
  return { ok: true, reason: trimmed };
}

function hearingError(from: HearingState, command: HearingCommandType, reason: StateErrorReason): HearingCommandResult {
  return {
    ok: false,
    error: {
      code: codeOf(reason),
      reason,
      message: `hearing command "${command}" refused in state "${from}": ${EXPLANATIONS[reason]}`,
      from,
      command,
    },
  };
}

/**
 * Applies a judge's command to a hearing. The state is checked before the reason text, since a reason
 * cannot make an impossible command possible; a refused command leaves the hearing in `from`.
 */
export function applyHearingCommand(state: HearingState, command: HearingCommand): HearingCommandResult {
  const step = hearingStep(state, command.type);
  if (!step.ok) return hearingError(state, command.type, step.reason);
  switch (command.type) {
    case 'pause':
    case 'cancel': {
      const reason = checkReason(command.reason);
      if (!reason.ok) return hearingError(state, command.type, reason.reason);
      return { ok: true, state: step.to, reason: reason.reason };
    }
    case 'open':
    case 'start':
    case 'resume':
    case 'close':
      return { ok: true, state: step.to, reason: null };
    default:
      return assertUnreachable(command);
  }
}

/** The commands that can succeed in `state` (given a valid reason): the buttons a judge's desk shows. */
export function hearingCommandsAllowed(state: HearingState): HearingCommandType[] {
  return HEARING_COMMAND_TYPES.filter((type) => hearingStep(state, type).ok);
}

/** Whether the hearing room exists for participants: open, in session or paused. */
export function isHearingLive(state: HearingState): boolean {
  switch (state) {
    case 'open':
    case 'in_session':
    case 'paused':
      return true;
    case 'scheduled':
    case 'closed':
    case 'cancelled':
      return false;
    default:
      return assertUnreachable(state);
  }
}

// --- Participant machine ------------------------------------------------------------------------

function settled(state: ParticipantState): ParticipantEventResult {
  return { ok: true, status: { state, resumeTo: null } };
}

/**
 * Applies an event to one participant. `hearingState` matters for two events only: calling in needs a
 * live hearing, and someone who dropped out of a hearing that has since closed or been cancelled comes
 * back as having left rather than into a hearing that no longer exists.
 *
 * A repeated `disconnect` succeeds and returns the very same status object: connections flap, and the
 * second drop must neither fail nor overwrite `resumeTo` with `disconnected`.
 */
export function applyParticipantEvent(
  status: ParticipantStatus,
  event: ParticipantEvent,
  hearingState: HearingState,
): ParticipantEventResult {
  const from = status.state;
  const refuse = (reason: StateErrorReason): ParticipantEventResult => ({
    ok: false,
    error: {
      code: codeOf(reason),
      reason,
      message: `participant event "${event.type}" refused in state "${from}" (hearing "${hearingState}"): ${EXPLANATIONS[reason]}`,
      from,
      command: event.type,
    },
  });
  switch (event.type) {
    case 'check_in':
      return from === 'not_checked_in' || from === 'left'
        ? settled('checked_in')
        : refuse('participant.already_checked_in');
    case 'ready':
      return from === 'checked_in' ? settled('waiting') : refuse('participant.not_checked_in');
    case 'call_in':
      if (from !== 'waiting') return refuse('participant.not_waiting');
      return isHearingLive(hearingState) ? settled('in_hearing') : refuse('participant.hearing_not_live');
    case 'dismiss':
      return from === 'in_hearing' ? settled('waiting') : refuse('participant.not_in_hearing');
    case 'leave':
      return from === 'not_checked_in' || from === 'left' ? refuse('participant.not_present') : settled('left');
    case 'disconnect':
      if (from === 'disconnected') return { ok: true, status };
      if (!RESUMABLE_STATES.has(from)) return refuse('participant.not_present');
      return { ok: true, status: { state: 'disconnected', resumeTo: from } };
    case 'reconnect': {
      if (from !== 'disconnected') return refuse('participant.not_disconnected');
      const back = status.resumeTo;
      // Only a status corrupted in storage gets here; refusing beats guessing where to put them.
      if (back === null || !RESUMABLE_STATES.has(back)) return refuse('participant.no_resume_state');
      if (back === 'in_hearing' && (hearingState === 'closed' || hearingState === 'cancelled')) return settled('left');
      return settled(back);
    }
    default:
      return assertUnreachable(event);
  }
}
