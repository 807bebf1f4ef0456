import type { ErrorBody } from '../../../../shared/errors.js';
import type { ApiErrorCode } from '../../services/api.js';

/*
 * Every failure the kiosk can meet, as a sentence a villager understands plus what the operator should
 * do (`kioskFlow.problem.<key>.say` and `.operator`). Pure, so the mapping from the server's codes is
 * tested without a browser.
 */

export const PROBLEMS = [
  'wrongIdTail',
  'wrongPin',
  'tooManyTries',
  'noOperatorPin',
  'notAtThisSite',
  'checkInRefused',
  'checkInAgain',
  'hearingCancelled',
  'cannotEnterNow',
  'offline',
  'notEnrolled',
  'notFound',
  'serverError',
  'removed',
  'left',
  'actionFailed',
  'transcriptFailed',
  'transcriptChanged',
  'signFailed',
  'signatureTooBig',
  'noCrypto',
] as const;
export type Problem = (typeof PROBLEMS)[number];

/** The keypad screen a refused check-in returns to. */
export type CheckInStep = 'idTail' | 'pin';

export interface CheckInRefusal {
  problem: Problem;
  step: CheckInStep;
}

const NAMES_PIN = /\bPIN\b/i;
const NAMES_ID = /\bID\b|digits|tail/i;

/**
 * Whether a failed join is the server refusing the check-in (wrong ID tail, wrong PIN, too many tries,
 * no PIN set at the site, a hearing that cannot be entered), and then what to say and where to go back
 * to. The server's message names which part was wrong. `joinedBefore`: this session's join had already
 * succeeded once (a refused rejoin that is not about the check-in is an error to show, not a keypad).
 */
export function checkInRefusal(error: ErrorBody, joinedBefore: boolean): CheckInRefusal | null {
  switch (error.code) {
    case 'RATE_LIMITED':
      return { problem: 'tooManyTries', step: 'idTail' };
    case 'FORBIDDEN':
      if (NAMES_PIN.test(error.message)) return { problem: 'wrongPin', step: 'pin' };
      if (NAMES_ID.test(error.message)) return { problem: 'wrongIdTail', step: 'idTail' };
      if (/site|kiosk/i.test(error.message)) return { problem: 'notAtThisSite', step: 'idTail' };
      return { problem: 'checkInRefused', step: 'idTail' };
    case 'INVALID_STATE':
      if (NAMES_PIN.test(error.message)) return { problem: 'noOperatorPin', step: 'pin' };
      if (/cancel/i.test(error.message)) return { problem: 'hearingCancelled', step: 'idTail' };
      return joinedBefore ? null : { problem: 'cannotEnterNow', step: 'idTail' };
    case 'BAD_REQUEST':
      return joinedBefore ? null : { problem: 'checkInAgain', step: 'idTail' };
    default:
      return null;
  }
}

/** The sentence for a failed request, join or API call that is not a check-in refusal. */
export function problemOf(code: ApiErrorCode): Problem {
  switch (code) {
    case 'NETWORK':
    case 'TIMEOUT':
      return 'offline';
    case 'UNAUTHORIZED':
      return 'notEnrolled';
    case 'NOT_FOUND':
      return 'notFound';
    case 'FORBIDDEN':
    case 'INVALID_STATE':
    case 'CONFLICT':
    case 'BAD_REQUEST':
      return 'actionFailed';
    case 'RATE_LIMITED':
    case 'INTERNAL':
      return 'serverError';
    default:
      return 'serverError';
  }
}
