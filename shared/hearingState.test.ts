import { describe, expect, it } from 'vitest';
import {
  applyHearingCommand,
  applyParticipantEvent,
  HEARING_COMMAND_TYPES,
  HEARING_STATES,
  type HearingCommand,
  HearingCommandSchema,
  type HearingCommandType,
  type HearingState,
  HearingStateSchema,
  hearingCommandsAllowed,
  INITIAL_PARTICIPANT_STATUS,
  isHearingLive,
  MAX_REASON_LENGTH,
  PARTICIPANT_EVENT_TYPES,
  PARTICIPANT_STATES,
  type ParticipantEvent,
  ParticipantEventSchema,
  type ParticipantEventType,
  type ParticipantState,
  ParticipantStateSchema,
  type ParticipantStatus,
  ParticipantStatusSchema,
  STATE_ERROR_REASONS,
  type StateErrorReason,
} from './hearingState.js';

/** An expected refusal in the tables below; any other cell is the state or status the machine moves to. */
type Refused = { refused: StateErrorReason };
const no = (reason: StateErrorReason): Refused => ({ refused: reason });

/** A valid instance of each command type; pause and cancel carry a reason that needs no trimming. */
function command(type: HearingCommandType): HearingCommand {
  switch (type) {
    case 'pause':
      return { type, reason: '当事人申请休庭' };
    case 'cancel':
      return { type, reason: '原告撤诉' };
    default:
      return { type };
  }
}

const event = (type: ParticipantEventType): ParticipantEvent => ({ type });

// Written out by hand from the specification; do not derive it from the implementation.
const HEARING_TABLE: Record<HearingState, Record<HearingCommandType, HearingState | Refused>> = {
  scheduled: {
    open: 'open',
    start: no('hearing.not_open'),
    pause: no('hearing.not_in_session'),
    resume: no('hearing.not_paused'),
    close: no('hearing.not_started'),
    cancel: 'cancelled',
  },
  open: {
    open: no('hearing.not_scheduled'),
    start: 'in_session',
    pause: no('hearing.not_in_session'),
    resume: no('hearing.not_paused'),
    close: no('hearing.not_started'),
    cancel: no('hearing.not_scheduled'),
  },
  in_session: {
    open: no('hearing.not_scheduled'),
    start: no('hearing.not_open'),
    pause: 'paused',
    resume: no('hearing.not_paused'),
    close: 'closed',
    cancel: no('hearing.not_scheduled'),
  },
  paused: {
    open: no('hearing.not_scheduled'),
    start: no('hearing.not_open'),
    pause: no('hearing.not_in_session'),
    resume: 'in_session',
    close: 'closed',
    cancel: no('hearing.not_scheduled'),
  },
  closed: {
    open: no('hearing.already_closed'),
    start: no('hearing.already_closed'),
    pause: no('hearing.already_closed'),
    resume: no('hearing.already_closed'),
    close: no('hearing.already_closed'),
    cancel: no('hearing.already_closed'),
  },
  cancelled: {
    open: no('hearing.already_cancelled'),
    start: no('hearing.already_cancelled'),
    pause: no('hearing.already_cancelled'),
    resume: no('hearing.already_cancelled'),
    close: no('hearing.already_cancelled'),
    cancel: no('hearing.already_cancelled'),
  },
};

const ALL_HEARING_STATES = ['scheduled', 'open', 'in_session', 'paused', 'closed', 'cancelled'] as const;
const ALL_COMMAND_TYPES = ['open', 'start', 'pause', 'resume', 'close', 'cancel'] as const;

describe('hearing state machine', () => {
  it('lists every state and command type the tables cover', () => {
    expect(HEARING_STATES).toEqual(ALL_HEARING_STATES);
    expect(HEARING_COMMAND_TYPES).toEqual(ALL_COMMAND_TYPES);
    expect(Object.keys(HEARING_TABLE)).toEqual(ALL_HEARING_STATES);
    for (const row of Object.values(HEARING_TABLE)) expect(Object.keys(row)).toEqual(ALL_COMMAND_TYPES);
  });

  const cases = ALL_HEARING_STATES.flatMap((from) =>
    ALL_COMMAND_TYPES.map((type) => [from, type, HEARING_TABLE[from][type]] as const),
  );

  it.each(cases)('%s + %s → %j', (from, type, expected) => {
    const cmd = Object.freeze(command(type));
    const result = applyHearingCommand(from, cmd);
    if (typeof expected === 'string') {
      const reason = type === 'pause' || type === 'cancel' ? (cmd as { reason: string }).reason : null;
      expect(result).toEqual({ ok: true, state: expected, reason });
    } else {
      expect(result).toEqual({
        ok: false,
        error: { code: 'INVALID_STATE', reason: expected.refused, message: expect.any(String), from, command: type },
      });
      if (!result.ok) {
        // The log line names both the state the hearing stayed in and the command refused.
        expect(result.error.message).toContain(`"${from}"`);
        expect(result.error.message).toContain(`"${type}"`);
      }
    }
  });

  it.each(ALL_HEARING_STATES)('offers in %s exactly the commands that succeed', (state) => {
    const succeeding = ALL_COMMAND_TYPES.filter((type) => applyHearingCommand(state, command(type)).ok);
    expect(hearingCommandsAllowed(state)).toEqual(succeeding);
  });

  it('offers no command once the hearing has ended', () => {
    expect(hearingCommandsAllowed('closed')).toEqual([]);
    expect(hearingCommandsAllowed('cancelled')).toEqual([]);
  });

  it.each([
    ['scheduled', false],
    ['open', true],
    ['in_session', true],
    ['paused', true],
    ['closed', false],
    ['cancelled', false],
  ] as const)('isHearingLive(%s) is %s', (state, live) => {
    expect(isHearingLive(state)).toBe(live);
  });

  it('walks a whole hearing: open, start, pause, resume, close', () => {
    let state: HearingState = 'scheduled';
    const commands: HearingCommand[] = [
      { type: 'open' },
      { type: 'start' },
      { type: 'pause', reason: '证人身体不适' },
      { type: 'resume' },
      { type: 'pause', reason: '合议' },
      { type: 'close' },
    ];
    const seen: HearingState[] = [];
    for (const cmd of commands) {
      const result = applyHearingCommand(state, cmd);
      if (!result.ok) throw new Error(result.error.message);
      state = result.state;
      seen.push(state);
    }
    expect(seen).toEqual(['open', 'in_session', 'paused', 'in_session', 'paused', 'closed']);
  });
});

describe('pause and cancel reasons', () => {
  it.each([
    ['in_session', 'pause', 'paused'],
    ['scheduled', 'cancel', 'cancelled'],
  ] as const)('are trimmed when %s takes %s', (from, type, to) => {
    for (const [raw, trimmed] of [
      ['  证人身体不适  ', '证人身体不适'],
      ['\u3000当事人未到庭\u3000', '当事人未到庭'],
      ['\n\tnetwork down at the site \r\n', 'network down at the site'],
      ['no trimming needed', 'no trimming needed'],
    ] as const) {
      expect(applyHearingCommand(from, { type, reason: raw })).toEqual({ ok: true, state: to, reason: trimmed });
    }
  });

  it('accept exactly the maximum length, counted after trimming', () => {
    expect(MAX_REASON_LENGTH).toBe(500);
    const longest = '休'.repeat(500);
    expect(applyHearingCommand('in_session', { type: 'pause', reason: longest })).toEqual({
      ok: true,
      state: 'paused',
      reason: longest,
    });
    expect(applyHearingCommand('scheduled', { type: 'cancel', reason: `  ${longest}\n` })).toEqual({
      ok: true,
      state: 'cancelled',
      reason: longest,
    });
  });

  const badReasons = [
    ['', 'reason.required'],
    [' ', 'reason.required'],
    ['\u3000\u3000', 'reason.required'],
    ['\t\r\n ', 'reason.required'],
    ['a'.repeat(501), 'reason.too_long'],
    [` ${'休'.repeat(501)} `, 'reason.too_long'],
    ['x'.repeat(10_000), 'reason.too_long'],
  ] as const;

  it.each(
    badReasons.flatMap(([text, key]) => [
      ['in_session', 'pause', text, key] as const,
      ['scheduled', 'cancel', text, key] as const,
    ]),
  )('%s + %s with a bad reason is BAD_REQUEST (%#)', (from, type, text, key) => {
    const result = applyHearingCommand(from, { type, reason: text });
    expect(result).toEqual({
      ok: false,
      error: { code: 'BAD_REQUEST', reason: key, message: expect.any(String), from, command: type },
    });
    if (!result.ok) expect(result.error.message).toContain(`"${from}"`);
  });

  it('are not looked at when the command is impossible in the state anyway', () => {
    expect(applyHearingCommand('closed', { type: 'pause', reason: '' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_STATE', reason: 'hearing.already_closed', from: 'closed' },
    });
    expect(applyHearingCommand('open', { type: 'cancel', reason: 'a'.repeat(501) })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_STATE', reason: 'hearing.not_scheduled', from: 'open' },
    });
  });
});

// --- Participants -------------------------------------------------------------------------------

const at = (state: Exclude<ParticipantState, 'disconnected'>): ParticipantStatus => ({ state, resumeTo: null });
const dropped = (resumeTo: 'checked_in' | 'waiting' | 'in_hearing'): ParticipantStatus => ({
  state: 'disconnected',
  resumeTo,
});

/** A cell whose outcome depends on the hearing's state, spelled out for each of them. */
type ByHearing = { byHearing: Record<HearingState, ParticipantStatus | Refused> };
type Cell = ParticipantStatus | Refused | ByHearing;

const STATUSES = {
  not_checked_in: at('not_checked_in'),
  checked_in: at('checked_in'),
  waiting: at('waiting'),
  in_hearing: at('in_hearing'),
  left: at('left'),
  'disconnected<checked_in>': dropped('checked_in'),
  'disconnected<waiting>': dropped('waiting'),
  'disconnected<in_hearing>': dropped('in_hearing'),
} as const;
type StatusName = keyof typeof STATUSES;

// Written out by hand from the specification; do not derive it from the implementation.
const PARTICIPANT_TABLE: Record<StatusName, Record<ParticipantEventType, Cell>> = {
  not_checked_in: {
    check_in: at('checked_in'),
    ready: no('participant.not_checked_in'),
    call_in: no('participant.not_waiting'),
    dismiss: no('participant.not_in_hearing'),
    leave: no('participant.not_present'),
    disconnect: no('participant.not_present'),
    reconnect: no('participant.not_disconnected'),
  },
  checked_in: {
    check_in: no('participant.already_checked_in'),
    ready: at('waiting'),
    call_in: no('participant.not_waiting'),
    dismiss: no('participant.not_in_hearing'),
    leave: at('left'),
    disconnect: dropped('checked_in'),
    reconnect: no('participant.not_disconnected'),
  },
  waiting: {
    check_in: no('participant.already_checked_in'),
    ready: no('participant.not_checked_in'),
    call_in: {
      byHearing: {
        scheduled: no('participant.hearing_not_live'),
        open: at('in_hearing'),
        in_session: at('in_hearing'),
        paused: at('in_hearing'),
        closed: no('participant.hearing_not_live'),
        cancelled: no('participant.hearing_not_live'),
      },
    },
    dismiss: no('participant.not_in_hearing'),
    leave: at('left'),
    disconnect: dropped('waiting'),
    reconnect: no('participant.not_disconnected'),
  },
  in_hearing: {
    check_in: no('participant.already_checked_in'),
    ready: no('participant.not_checked_in'),
    call_in: no('participant.not_waiting'),
    dismiss: at('waiting'),
    leave: at('left'),
    disconnect: dropped('in_hearing'),
    reconnect: no('participant.not_disconnected'),
  },
  left: {
    check_in: at('checked_in'),
    ready: no('participant.not_checked_in'),
    call_in: no('participant.not_waiting'),
    dismiss: no('participant.not_in_hearing'),
    leave: no('participant.not_present'),
    disconnect: no('participant.not_present'),
    reconnect: no('participant.not_disconnected'),
  },
  'disconnected<checked_in>': {
    check_in: no('participant.already_checked_in'),
    ready: no('participant.not_checked_in'),
    call_in: no('participant.not_waiting'),
    dismiss: no('participant.not_in_hearing'),
    leave: at('left'),
    disconnect: dropped('checked_in'),
    reconnect: at('checked_in'),
  },
  'disconnected<waiting>': {
    check_in: no('participant.already_checked_in'),
    ready: no('participant.not_checked_in'),
    call_in: no('participant.not_waiting'),
    dismiss: no('participant.not_in_hearing'),
    leave: at('left'),
    disconnect: dropped('waiting'),
    reconnect: at('waiting'),
  },
  'disconnected<in_hearing>': {
    check_in: no('participant.already_checked_in'),
    ready: no('participant.not_checked_in'),
    call_in: no('participant.not_waiting'),
    dismiss: no('participant.not_in_hearing'),
    leave: at('left'),
    disconnect: dropped('in_hearing'),
    reconnect: {
      byHearing: {
        scheduled: at('in_hearing'),
        open: at('in_hearing'),
        in_session: at('in_hearing'),
        paused: at('in_hearing'),
        closed: at('left'),
        cancelled: at('left'),
      },
    },
  },
};

const ALL_PARTICIPANT_STATES = [
  'not_checked_in',
  'checked_in',
  'waiting',
  'in_hearing',
  'left',
  'disconnected',
] as const;
const ALL_EVENT_TYPES = ['check_in', 'ready', 'call_in', 'dismiss', 'leave', 'disconnect', 'reconnect'] as const;

function expectedFor(cell: Cell, hearing: HearingState): ParticipantStatus | Refused {
  return 'byHearing' in cell ? cell.byHearing[hearing] : cell;
}

describe('participant state machine', () => {
  it('lists every state and event type the table covers', () => {
    expect(PARTICIPANT_STATES).toEqual(ALL_PARTICIPANT_STATES);
    expect(PARTICIPANT_EVENT_TYPES).toEqual(ALL_EVENT_TYPES);
    expect([...new Set(Object.values(STATUSES).map((status) => status.state))]).toEqual(ALL_PARTICIPANT_STATES);
    for (const row of Object.values(PARTICIPANT_TABLE)) expect(Object.keys(row)).toEqual(ALL_EVENT_TYPES);
  });

  const cases = (Object.keys(STATUSES) as StatusName[]).flatMap((name) =>
    ALL_EVENT_TYPES.flatMap((type) =>
      ALL_HEARING_STATES.map(
        (hearing) => [name, type, hearing, expectedFor(PARTICIPANT_TABLE[name][type], hearing)] as const,
      ),
    ),
  );

  it.each(cases)('%s + %s while the hearing is %s → %j', (name, type, hearing, expected) => {
    const status = Object.freeze({ ...STATUSES[name] });
    const result = applyParticipantEvent(status, Object.freeze(event(type)), hearing);
    if ('refused' in expected) {
      expect(result).toEqual({
        ok: false,
        error: {
          code: 'INVALID_STATE',
          reason: expected.refused,
          message: expect.any(String),
          from: status.state,
          command: type,
        },
      });
      if (!result.ok) {
        expect(result.error.message).toContain(`"${status.state}"`);
        expect(result.error.message).toContain(`"${type}"`);
      }
    } else {
      expect(result).toEqual({ ok: true, status: expected });
    }
  });

  it('starts everyone as not checked in', () => {
    expect(INITIAL_PARTICIPANT_STATUS).toEqual({ state: 'not_checked_in', resumeTo: null });
    expect(ParticipantStatusSchema.safeParse(INITIAL_PARTICIPANT_STATUS).success).toBe(true);
  });

  it.each(
    (['checked_in', 'waiting', 'in_hearing'] as const).flatMap((state) =>
      (['open', 'in_session', 'paused'] as const).map((hearing) => [state, hearing] as const),
    ),
  )('puts a participant back in %s after a dropped connection (hearing %s)', (state, hearing) => {
    const before = at(state);
    const down = applyParticipantEvent(before, { type: 'disconnect' }, hearing);
    expect(down).toEqual({ ok: true, status: { state: 'disconnected', resumeTo: state } });
    if (!down.ok) return;
    expect(applyParticipantEvent(down.status, { type: 'reconnect' }, hearing)).toEqual({ ok: true, status: before });
  });

  it.each(['checked_in', 'waiting', 'in_hearing'] as const)(
    'treats repeated drops from %s as one and keeps where to resume',
    (state) => {
      const first = applyParticipantEvent(at(state), { type: 'disconnect' }, 'in_session');
      if (!first.ok) throw new Error(first.error.message);
      let status = first.status;
      for (let drop = 0; drop < 3; drop += 1) {
        const again = applyParticipantEvent(status, { type: 'disconnect' }, 'in_session');
        expect(again).toEqual({ ok: true, status: { state: 'disconnected', resumeTo: state } });
        if (!again.ok) return;
        expect(again.status).toBe(status);
        status = again.status;
      }
      expect(applyParticipantEvent(status, { type: 'reconnect' }, 'in_session')).toEqual({
        ok: true,
        status: at(state),
      });
    },
  );

  it('lets someone who left check in again and go through the self-test', () => {
    let status: ParticipantStatus = INITIAL_PARTICIPANT_STATUS;
    const seen: ParticipantState[] = [];
    for (const type of ['check_in', 'ready', 'call_in', 'leave', 'check_in', 'ready', 'call_in', 'dismiss'] as const) {
      const result = applyParticipantEvent(status, { type }, 'in_session');
      if (!result.ok) throw new Error(result.error.message);
      status = result.status;
      seen.push(status.state);
    }
    expect(seen).toEqual([
      'checked_in',
      'waiting',
      'in_hearing',
      'left',
      'checked_in',
      'waiting',
      'in_hearing',
      'waiting',
    ]);
  });

  it.each([null, 'not_checked_in', 'left', 'disconnected'] as const)(
    'refuses to reconnect a stored status whose resumeTo is %s instead of guessing',
    (resumeTo) => {
      const corrupt: ParticipantStatus = { state: 'disconnected', resumeTo };
      expect(ParticipantStatusSchema.safeParse(corrupt).success).toBe(false);
      expect(applyParticipantEvent(corrupt, { type: 'reconnect' }, 'in_session')).toEqual({
        ok: false,
        error: {
          code: 'INVALID_STATE',
          reason: 'participant.no_resume_state',
          message: expect.any(String),
          from: 'disconnected',
          command: 'reconnect',
        },
      });
      // Leaving still works, so the participant is not stuck.
      expect(applyParticipantEvent(corrupt, { type: 'leave' }, 'in_session')).toEqual({ ok: true, status: at('left') });
    },
  );

  it('clears a stray resumeTo on the way out of a state that should not have one', () => {
    const stray: ParticipantStatus = { state: 'waiting', resumeTo: 'in_hearing' };
    expect(applyParticipantEvent(stray, { type: 'call_in' }, 'open')).toEqual({ ok: true, status: at('in_hearing') });
  });
});

// --- Schemas ------------------------------------------------------------------------------------

const GARBAGE = [
  undefined,
  null,
  0,
  true,
  'open',
  [],
  [{ type: 'open' }],
  {},
  { type: '' },
  { type: null },
  { type: 1 },
  { type: 'OPEN' },
  { type: 'reopen' },
  { type: 'call_in ' },
  { kind: 'open' },
] as const;

describe('schemas', () => {
  it('accept every state and refuse anything else', () => {
    for (const state of ALL_HEARING_STATES) expect(HearingStateSchema.parse(state)).toBe(state);
    for (const state of ALL_PARTICIPANT_STATES) expect(ParticipantStateSchema.parse(state)).toBe(state);
    for (const bad of ['', 'Open', 'in-session', 'live', 'connected', null, 1, {}]) {
      expect(HearingStateSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
      expect(ParticipantStateSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('accept every well-formed hearing command as is', () => {
    for (const type of ALL_COMMAND_TYPES) expect(HearingCommandSchema.parse(command(type))).toEqual(command(type));
    // Reason content is the machine's business, so that the refusal carries a translatable key.
    expect(HearingCommandSchema.parse({ type: 'pause', reason: '  ' })).toEqual({ type: 'pause', reason: '  ' });
  });

  it('refuse unknown and misshapen hearing commands', () => {
    for (const bad of [
      ...GARBAGE,
      { type: 'pause' },
      { type: 'pause', reason: 5 },
      { type: 'pause', reason: null },
      { type: 'cancel' },
      { type: 'cancel', reason: ['a'] },
      { type: 'open', reason: 'extra' },
      { type: 'start', force: true },
      { type: 'pause', reason: 'x', by: 'judge' },
      { type: 'check_in' },
    ]) {
      expect(HearingCommandSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('accept every participant event and refuse unknown and misshapen ones', () => {
    for (const type of ALL_EVENT_TYPES) expect(ParticipantEventSchema.parse({ type })).toEqual({ type });
    for (const bad of [
      ...GARBAGE,
      { type: 'check_in', at: 1 },
      { type: 'reconnect', resumeTo: 'waiting' },
      { type: 'pause', reason: 'x' },
    ]) {
      expect(ParticipantEventSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('hold statuses to the resumeTo rule', () => {
    for (const status of Object.values(STATUSES)) expect(ParticipantStatusSchema.parse(status)).toEqual(status);
    for (const bad of [
      { state: 'waiting', resumeTo: 'checked_in' },
      { state: 'disconnected', resumeTo: null },
      { state: 'disconnected', resumeTo: 'left' },
      { state: 'disconnected' },
      { state: 'waiting' },
      { state: 'waiting', resumeTo: null, extra: 1 },
      { state: 'gone', resumeTo: null },
      null,
    ]) {
      expect(ParticipantStatusSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('error reasons', () => {
  it('are all reachable, so the UI translates no dead key', () => {
    const seen = new Set<StateErrorReason>();
    const record = (result: { ok: true } | { ok: false; error: { reason: StateErrorReason } }) => {
      if (!result.ok) seen.add(result.error.reason);
    };
    for (const state of ALL_HEARING_STATES) {
      for (const type of ALL_COMMAND_TYPES) record(applyHearingCommand(state, command(type)));
      for (const reason of ['', 'a'.repeat(501)]) {
        record(applyHearingCommand(state, { type: 'pause', reason }));
        record(applyHearingCommand(state, { type: 'cancel', reason }));
      }
    }
    const statuses: ParticipantStatus[] = [...Object.values(STATUSES), { state: 'disconnected', resumeTo: null }];
    for (const status of statuses) {
      for (const type of ALL_EVENT_TYPES) {
        for (const hearing of ALL_HEARING_STATES) record(applyParticipantEvent(status, { type }, hearing));
      }
    }
    expect([...seen].sort()).toEqual([...STATE_ERROR_REASONS].sort());
  });

  it('are BAD_REQUEST only for a bad reason text', () => {
    expect(applyHearingCommand('in_session', { type: 'pause', reason: '' })).toMatchObject({
      error: { code: 'BAD_REQUEST', reason: 'reason.required' },
    });
    expect(applyHearingCommand('scheduled', { type: 'start' })).toMatchObject({
      error: { code: 'INVALID_STATE', reason: 'hearing.not_open' },
    });
  });
});
