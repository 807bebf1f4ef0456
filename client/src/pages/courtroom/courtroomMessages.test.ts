import { describe, expect, it } from 'vitest';
import { AlertKindSchema } from '../../../../shared/floor.js';
import { HEARING_STATES, PARTICIPANT_STATES } from '../../../../shared/hearingState.js';
import { courtroomEn, courtroomZhCN } from '../../i18n/courtroom.js';
import { lookup } from '../../i18n/lookup.js';
import {
  DEVICE_PROBLEMS,
  FLOOR_GROUPS,
  HINTED_STATES,
  QUALITY_LABELS,
  ROOM_COMMANDS,
  ROW_ACTIONS,
} from './floorView.js';

describe('courtroom messages', () => {
  it('name every value the courtroom shows through a computed key, in both languages', () => {
    const keys = [
      ...HEARING_STATES.map((s) => `state.${s}`),
      ...HINTED_STATES.map((s) => `stateHint.${s}`),
      ...PARTICIPANT_STATES.map((s) => `participantState.${s}`),
      ...ROOM_COMMANDS.map((c) => `command.${c}`),
      ...ROW_ACTIONS.map((a) => `action.${a}`),
      ...FLOOR_GROUPS.map((g) => `people.group.${g}`),
      ...QUALITY_LABELS.map((q) => `quality.${q}`),
      ...DEVICE_PROBLEMS.map((d) => `device.${d}`),
      ...AlertKindSchema.options.map((k) => `alert.${k}`),
      ...['loading', 'saving', 'pending', 'saved', 'failed'].map((s) => `transcript.status.${s}`),
    ];
    const missing = keys.filter(
      (k) => typeof lookup(courtroomZhCN, k) !== 'string' || typeof lookup(courtroomEn, k) !== 'string',
    );
    expect(missing).toEqual([]);
  });
});
