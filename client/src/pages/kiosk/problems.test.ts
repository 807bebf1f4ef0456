import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../../shared/errors.js';
import { kioskFlowEn, kioskFlowZhCN } from '../../i18n/kioskFlow.js';
import { checkInRefusal, PROBLEMS, problemOf } from './problems.js';

describe('check-in refusals', () => {
  it('sends a wrong PIN back to the PIN and a wrong ID tail back to the digits', () => {
    expect(
      checkInRefusal({ code: 'FORBIDDEN', message: 'the operator PIN is wrong; the operator enters it again' }, false),
    ).toEqual({
      problem: 'wrongPin',
      step: 'pin',
    });
    expect(
      checkInRefusal(
        {
          code: 'FORBIDDEN',
          message: 'the ID-number digits do not match the booking; check them with the site operator',
        },
        false,
      ),
    ).toEqual({ problem: 'wrongIdTail', step: 'idTail' });
    expect(
      checkInRefusal({ code: 'FORBIDDEN', message: "this participant does not appear at this kiosk's site" }, false),
    ).toEqual({ problem: 'notAtThisSite', step: 'idTail' });
  });

  it('explains too many tries and a site without a PIN', () => {
    expect(checkInRefusal({ code: 'RATE_LIMITED', message: 'too many check-in attempts' }, false)?.problem).toBe(
      'tooManyTries',
    );
    const noPin =
      'this site has no operator PIN yet, so no one can check in; the administrator sets it in the site list';
    expect(checkInRefusal({ code: 'INVALID_STATE', message: noPin }, false)).toEqual({
      problem: 'noOperatorPin',
      step: 'pin',
    });
    expect(checkInRefusal({ code: 'INVALID_STATE', message: 'this hearing was cancelled (x)' }, true)?.problem).toBe(
      'hearingCancelled',
    );
  });

  it('asks for a new check-in when the server no longer remembers one', () => {
    const first = 'check in first: enter the last digits of the ID number';
    expect(checkInRefusal({ code: 'BAD_REQUEST', message: first }, false)?.problem).toBe('checkInAgain');
  });

  it('leaves other failures to the error screen', () => {
    expect(checkInRefusal({ code: 'INTERNAL', message: 'boom' }, false)).toBeNull();
    expect(checkInRefusal({ code: 'TIMEOUT', message: 'no answer' }, false)).toBeNull();
    expect(checkInRefusal({ code: 'BAD_REQUEST', message: 'rtp parameters' }, true)).toBeNull();
    expect(checkInRefusal({ code: 'INVALID_STATE', message: 'not now' }, true)).toBeNull();
  });
});

describe('problems', () => {
  it('has a sentence for every error code', () => {
    for (const code of [...ERROR_CODES, 'NETWORK' as const]) expect(PROBLEMS).toContain(problemOf(code));
  });

  it('says every problem in plain words plus what the operator does, in both languages', () => {
    for (const key of PROBLEMS) {
      for (const messages of [kioskFlowZhCN, kioskFlowEn]) {
        expect(messages.problem[key].say.length).toBeGreaterThan(0);
        expect(messages.problem[key].operator.length).toBeGreaterThan(0);
      }
    }
  });
});
