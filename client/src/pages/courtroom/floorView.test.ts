import { describe, expect, it } from 'vitest';
import type { Alert, FloorParticipant, FloorState } from '../../../../shared/floor.js';
import { HEARING_STATES, type HearingState, MAX_REASON_LENGTH } from '../../../../shared/hearingState.js';
import { floorParticipant, statusAt } from './floorFixtures.js';
import {
  canMuteAll,
  clockTime,
  deviceProblems,
  floorGroup,
  groupParticipants,
  orderAlerts,
  type Person,
  pauseReasonProblem,
  qualityView,
  roomCommands,
  rowActions,
  signatureView,
} from './floorView.js';

const JUDGE = 'judge-wang';

const participant = floorParticipant;
const at = statusAt;

function floor(
  state: HearingState,
  participants: FloorParticipant[] = [],
  extra: Partial<FloorState> = {},
): FloorState {
  return {
    hearingId: 'h1',
    state,
    pauseReason: null,
    stateSince: null,
    spotlight: null,
    recording: false,
    recordingNotice: null,
    participants,
    transcriptVersion: 0,
    signatures: [],
    revision: 1,
    ...extra,
  };
}

const PEOPLE: Person[] = [
  { id: JUDGE, name: '王法官', role: 'judge', site: null },
  { id: 'clerk-li', name: '李书记员', role: 'clerk', site: null },
  { id: 'p1', name: '李建国', role: 'plaintiff', site: '庆元县某村' },
  { id: 'd1', name: '赵丽', role: 'defendant', site: '临安某社区' },
  { id: 'o1', name: '旁听人', role: 'observer', site: '临安某社区' },
];
const roleOf = (id: string) => PEOPLE.find((p) => p.id === id)?.role;

describe('roomCommands', () => {
  it('offers each state exactly the commands the hearing machine allows, never cancel', () => {
    expect(roomCommands('scheduled')).toEqual(['open']);
    expect(roomCommands('open')).toEqual(['start']);
    expect(roomCommands('in_session')).toEqual(['pause', 'close']);
    expect(roomCommands('paused')).toEqual(['resume', 'close']);
    expect(roomCommands('closed')).toEqual([]);
    expect(roomCommands('cancelled')).toEqual([]);
    for (const state of HEARING_STATES) expect(roomCommands(state)).not.toContain('cancel');
  });
});

describe('pauseReasonProblem', () => {
  it('wants a reason that is not blank once trimmed, and not too long', () => {
    expect(pauseReasonProblem('')).toBe('required');
    expect(pauseReasonProblem(' \u3000 ')).toBe('required');
    expect(pauseReasonProblem('合议庭评议')).toBeNull();
    expect(pauseReasonProblem(` ${'长'.repeat(MAX_REASON_LENGTH)} `)).toBeNull();
    expect(pauseReasonProblem('长'.repeat(MAX_REASON_LENGTH + 1))).toBe('tooLong');
  });
});

describe('rowActions', () => {
  const act = (f: FloorState, p: FloorParticipant) => rowActions(f, p, roleOf(p.participantId), JUDGE);

  it('calls in someone in the waiting room, and sends back someone in the hearing', () => {
    const waiting = participant('p1', at('waiting'));
    const inside = participant('d1', at('in_hearing'));
    const f = floor('in_session', [waiting, inside]);
    expect(act(f, waiting)).toEqual(['call_in', 'mute']);
    expect(act(f, inside)).toEqual(['dismiss', 'mute', 'spotlight']);
  });

  it('can call in from the waiting room while the hearing is open or paused', () => {
    const waiting = participant('p1', at('waiting'));
    expect(act(floor('open', [waiting]), waiting)).toContain('call_in');
    expect(act(floor('paused', [waiting]), waiting)).toContain('call_in');
  });

  it('offers nothing while the hearing is not live', () => {
    const waiting = participant('p1', at('waiting'), { muted: true });
    for (const state of ['scheduled', 'closed', 'cancelled'] as const)
      expect(act(floor(state, [waiting]), waiting)).toEqual([]);
  });

  it('offers a party’s document camera once the server would show it, and its stop while shown', () => {
    const ready = participant('p1', at('in_hearing'), { documentCamera: true });
    expect(act(floor('in_session', [ready]), ready)).toEqual(['dismiss', 'mute', 'spotlight', 'show_document']);
    expect(act(floor('paused', [ready]), ready)).toContain('show_document');
    // Not while the kiosk has none, is not connected, or waits outside.
    const without = { ...ready, documentCamera: false };
    const offline = { ...ready, connected: false };
    const waiting = { ...ready, status: at('waiting') };
    for (const p of [without, offline, waiting])
      expect(act(floor('in_session', [p]), p)).not.toContain('show_document');
    const shown = { ...ready, showingDocument: true };
    expect(act(floor('in_session', [shown]), shown)).toEqual(['dismiss', 'mute', 'spotlight', 'stop_document']);
    // Staff have no kiosk document camera, whatever the floor says.
    const clerk = participant('clerk-li', at('in_hearing'), { documentCamera: true });
    expect(act(floor('in_session', [clerk]), clerk)).toEqual(['mute']);
  });

  it('offers nothing on the judge, and only muting on the clerk', () => {
    const judge = participant(JUDGE, at('in_hearing'));
    const clerk = participant('clerk-li', at('in_hearing'));
    const f = floor('in_session', [judge, clerk]);
    expect(act(f, judge)).toEqual([]);
    expect(act(f, clerk)).toEqual(['mute']);
  });

  it('unmutes a muted participant wherever they are, and mutes only someone present', () => {
    const mutedAway = participant('p1', at('left'), { muted: true });
    const notHere = participant('d1', at('not_checked_in'));
    const dropped = participant('d1', at('disconnected'));
    const f = floor('in_session', [mutedAway]);
    expect(act(f, mutedAway)).toEqual(['unmute']);
    expect(act(f, notHere)).toEqual([]);
    expect(act(f, dropped)).toEqual(['mute']);
  });

  it('neither mutes nor spotlights an observer', () => {
    const observer = participant('o1', at('in_hearing'));
    expect(act(floor('in_session', [observer]), observer)).toEqual(['dismiss']);
  });

  it('turns the spotlight off on the participant who has it', () => {
    const inside = participant('d1', at('in_hearing'));
    const f = floor('in_session', [inside], { spotlight: 'd1' });
    expect(act(f, inside)).toEqual(['dismiss', 'mute', 'unspotlight']);
  });
});

describe('canMuteAll', () => {
  it('is offered while someone present who may speak is not muted', () => {
    const judge = participant(JUDGE, at('in_hearing'));
    const p1 = participant('p1', at('in_hearing'));
    const observer = participant('o1', at('in_hearing'));
    expect(canMuteAll(floor('in_session', [judge, p1, observer]), roleOf, JUDGE)).toBe(true);
    expect(canMuteAll(floor('in_session', [judge, { ...p1, muted: true }, observer]), roleOf, JUDGE)).toBe(false);
    expect(canMuteAll(floor('closed', [judge, p1]), roleOf, JUDGE)).toBe(false);
    expect(canMuteAll(floor('open', [judge, participant('p1', at('left'))]), roleOf, JUDGE)).toBe(false);
  });
});

describe('floorGroup and groupParticipants', () => {
  it('lists a dropped participant where they come back to', () => {
    expect(floorGroup({ state: 'disconnected', resumeTo: 'in_hearing' })).toBe('in_hearing');
    expect(floorGroup({ state: 'disconnected', resumeTo: 'checked_in' })).toBe('waiting');
    expect(floorGroup(at('waiting'))).toBe('waiting');
    expect(floorGroup(at('left'))).toBe('away');
    expect(floorGroup(at('not_checked_in'))).toBe('away');
  });

  it('keeps the booking order inside each group, unknown participants last', () => {
    const groups = groupParticipants(
      [
        participant('stranger', at('waiting')),
        participant('d1', at('waiting')),
        participant('p1', at('waiting')),
        participant(JUDGE, at('in_hearing')),
      ],
      PEOPLE,
    );
    expect(groups.waiting.map((p) => p.participantId)).toEqual(['p1', 'd1', 'stranger']);
    expect(groups.in_hearing.map((p) => p.participantId)).toEqual([JUDGE]);
    expect(groups.away).toEqual([]);
  });
});

describe('qualityView', () => {
  const quality = { grade: 'ok' as const, rttMs: 212.6, packetLossPct: 3.456, sendKbps: 812.4, recvKbps: null };

  it('prints the figures rounded, and leaves out what was not measured', () => {
    expect(qualityView({ connected: true, quality })).toEqual({
      label: 'ok',
      rttMs: '213',
      packetLossPct: '3.5',
      sendKbps: '812',
      recvKbps: null,
    });
    expect(qualityView({ connected: true, quality: { ...quality, packetLossPct: 12.4 } }).packetLossPct).toBe('12');
  });

  it('says offline for a participant not connected, whatever the last report said', () => {
    expect(qualityView({ connected: false, quality }).label).toBe('offline');
    expect(qualityView({ connected: false, quality }).rttMs).toBeNull();
  });

  it('says unknown before the first report', () => {
    expect(qualityView({ connected: true, quality: null }).label).toBe('unknown');
  });
});

describe('deviceProblems', () => {
  it('names blocked and missing devices of a connected participant', () => {
    const p = participant('p1', at('waiting'), { camera: 'blocked', microphone: 'missing' });
    expect(deviceProblems(p)).toEqual(['camera_blocked', 'microphone_missing']);
    expect(deviceProblems({ ...p, camera: 'ok', microphone: 'ok' })).toEqual([]);
    expect(deviceProblems({ ...p, connected: false })).toEqual([]);
  });

  it('names a chosen device replaced by the system default', () => {
    const p = participant('p1', at('in_hearing'), { camera: 'fallback', microphone: 'fallback' });
    expect(deviceProblems(p)).toEqual(['camera_fallback', 'microphone_fallback']);
  });
});

describe('orderAlerts', () => {
  const alert = (id: string, raisedAt: string, ackedAt: string | null = null): Alert => ({
    id,
    hearingId: 'h1',
    caseNumber: '（2026）浙0185民初1234号',
    participantId: 'p1',
    participantName: '李建国',
    kind: 'poor_connection',
    raisedAt,
    ackedAt,
    ackedBy: ackedAt ? '李书记员' : null,
  });

  it('puts open alerts first, newest first in each part', () => {
    const ordered = orderAlerts([
      alert('old-acked', '2026-12-03T09:00:00+08:00', '2026-12-03T09:01:00+08:00'),
      alert('old', '2026-12-03T09:05:00+08:00'),
      alert('new-acked', '2026-12-03T09:40:00+08:00', '2026-12-03T09:41:00+08:00'),
      alert('new', '2026-12-03T09:30:00+08:00'),
    ]);
    expect(ordered.map((a) => a.id)).toEqual(['new', 'old', 'new-acked', 'old-acked']);
  });

  it('compares instants, not strings of different offsets', () => {
    const ordered = orderAlerts([alert('a', '2026-12-03T01:10:00Z'), alert('b', '2026-12-03T09:05:00+08:00')]);
    expect(ordered.map((a) => a.id)).toEqual(['a', 'b']);
  });
});

describe('signatureView', () => {
  const sig = (participantId: string, version: number, intact = true, signedAt = '2026-12-03T10:40:00+08:00') => ({
    participantId,
    version,
    textSha256: 'f'.repeat(64),
    signedAt,
    intact,
  });

  it('shows each signer once with their newest version, and who still has to sign', () => {
    const view = signatureView(
      { transcriptVersion: 3, signatures: [sig('d1', 3), sig('p1', 2), sig('p1', 3)] },
      PEOPLE,
    );
    expect(view.signed.map((r) => [r.participantId, r.version, r.intact, r.outdated])).toEqual([
      ['p1', 3, true, false],
      ['d1', 3, true, false],
    ]);
    expect(view.unsigned).toEqual([]);
  });

  it('flags a signer whose signed text no longer matches, even on an older version', () => {
    const view = signatureView({ transcriptVersion: 3, signatures: [sig('p1', 2, false), sig('p1', 3)] }, PEOPLE);
    expect(view.signed[0]?.intact).toBe(false);
  });

  it('marks a signature of an older version than the newest, and lists parties yet to sign', () => {
    const view = signatureView({ transcriptVersion: 4, signatures: [sig('p1', 3)] }, PEOPLE);
    expect(view.signed[0]?.outdated).toBe(true);
    // Staff and observers do not sign.
    expect(view.unsigned.map((p) => p.id)).toEqual(['d1']);
  });
});

describe('clockTime', () => {
  const now = Date.parse('2026-12-03T10:00:00+08:00');

  it('gives the Shanghai time of today, with the date on another day', () => {
    expect(clockTime('2026-12-03T09:31:05+08:00', now)).toBe('09:31:05');
    expect(clockTime('2026-12-03T01:31:05Z', now)).toBe('09:31:05');
    expect(clockTime('2026-12-02T09:31:05+08:00', now)).toBe('2026-12-02 09:31');
    expect(clockTime(null, now)).toBeNull();
    expect(clockTime('yesterday', now)).toBeNull();
  });
});
