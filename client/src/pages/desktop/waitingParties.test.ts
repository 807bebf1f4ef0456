import { describe, expect, it } from 'vitest';
import type { ConsoleHearing } from '../../../../shared/floor.js';
import type { HearingState, ParticipantState } from '../../../../shared/hearingState.js';
import { floorParticipant, statusAt } from '../courtroom/floorFixtures.js';
import { newlyWaiting, waitingKey, waitingParties } from './waitingParties.js';

const person = (id: string, role: string, site: string | null = '庆元县某村共享法庭') => ({
  id,
  name: `姓名-${id}`,
  role,
  site,
});

const JUDGE = 'judge-wang';

function hearing(
  hearingId: string,
  state: HearingState,
  people: Array<[ReturnType<typeof person>, ParticipantState]>,
  judgeId = JUDGE,
): ConsoleHearing {
  return {
    hearingId,
    caseNumber: `（2026）浙1126民初${hearingId}号`,
    title: '借款纠纷',
    startsAt: '2026-11-29T09:00:00+08:00',
    endsAt: '2026-11-29T10:00:00+08:00',
    judgeId,
    judgeName: judgeId === JUDGE ? '王法官' : '周法官',
    participants: people.map(([p]) => p),
    floor: {
      hearingId,
      state,
      pauseReason: null,
      stateSince: null,
      spotlight: null,
      recording: false,
      recordingNotice: null,
      participants: people.map(([p, s]) => floorParticipant(p.id, statusAt(s))),
      transcriptVersion: 0,
      signatures: [],
      revision: 1,
    },
  };
}

describe('waiting parties of the judge’s own hearings', () => {
  it('lists parties in the waiting room, not staff, not other states, not other judges’ hearings', () => {
    const hearings = [
      hearing('1', 'open', [
        [person('judge', 'judge', null), 'waiting'],
        [person('clerk', 'clerk', null), 'waiting'],
        [person('p1', 'plaintiff'), 'waiting'],
        [person('d1', 'defendant'), 'checked_in'],
        [person('w1', 'witness'), 'in_hearing'],
        [person('a1', 'agent', null), 'disconnected'],
      ]),
      hearing('3', 'open', [[person('p3', 'plaintiff'), 'waiting']], 'judge-zhou'),
    ];
    expect(waitingParties(hearings, JUDGE)).toEqual([
      {
        hearingId: '1',
        caseNumber: '（2026）浙1126民初1号',
        participantId: 'p1',
        name: '姓名-p1',
        role: 'plaintiff',
        site: '庆元县某村共享法庭',
      },
    ]);
  });

  it('ignores closed and cancelled hearings', () => {
    const hearings = [
      hearing('1', 'closed', [[person('p1', 'plaintiff'), 'waiting']]),
      hearing('2', 'cancelled', [[person('p2', 'plaintiff'), 'waiting']]),
    ];
    expect(waitingParties(hearings, JUDGE)).toEqual([]);
  });
});

describe('newly waiting', () => {
  const now = waitingParties(
    [
      hearing('1', 'open', [
        [person('p1', 'plaintiff'), 'waiting'],
        [person('d1', 'defendant'), 'waiting'],
      ]),
      hearing('2', 'scheduled', [[person('p2', 'plaintiff'), 'waiting']]),
    ],
    JUDGE,
  );

  it('the first look notifies everyone already waiting, one notice per hearing', () => {
    const notices = newlyWaiting(null, now);
    expect(notices.map((n) => [n.hearingId, n.parties.map((p) => p.participantId)])).toEqual([
      ['1', ['p1', 'd1']],
      ['2', ['p2']],
    ]);
  });

  it('later looks notify only who is new there, and someone who comes back', () => {
    const seen = new Set(now.map(waitingKey));
    expect(newlyWaiting(seen, now)).toEqual([]);
    const withoutD1 = now.filter((p) => p.participantId !== 'd1');
    const afterLeaving = new Set(withoutD1.map(waitingKey));
    expect(newlyWaiting(afterLeaving, now).map((n) => n.parties.map((p) => p.participantId))).toEqual([['d1']]);
  });
});
