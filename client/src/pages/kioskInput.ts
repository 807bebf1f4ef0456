import { ENROLLMENT_CODE_ALPHABET, ENROLLMENT_CODE_LENGTH } from '../../../shared/accounts.js';

/*
 * What the kiosk's operator and villagers type: the enrollment code and the ID-number tail. Pure
 * functions, so the screens stay simple and the rules are tested without a browser.
 */

/**
 * The enrollment code as typed so far, in its display form: upper case, look-alike-free alphabet only,
 * a dash after the fifth character (`7kq4mx` → `7KQ4M-X`), at most ten characters.
 */
export function formatEnrollmentInput(typed: string): string {
  const allowed = new Set(ENROLLMENT_CODE_ALPHABET);
  const chars = [...typed.toUpperCase()].filter((c) => allowed.has(c)).slice(0, ENROLLMENT_CODE_LENGTH);
  const half = ENROLLMENT_CODE_LENGTH / 2;
  return chars.length > half ? `${chars.slice(0, half).join('')}-${chars.slice(half).join('')}` : chars.join('');
}

/** Whether the typed code has all ten characters. */
export function isCompleteEnrollmentCode(formatted: string): boolean {
  return formatted.replace('-', '').length === ENROLLMENT_CODE_LENGTH;
}

/** The last digits of an ID number: 4 to 6 characters; the last of them may be X (the check digit). */
export const ID_TAIL_MIN = 4;
export const ID_TAIL_MAX = 6;
const ID_TAIL = /^(\d{4,6}|\d{3,5}X)$/;

export type KeypadKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | 'X' | 'delete';

export const KEYPAD_LAYOUT: readonly KeypadKey[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', '0', 'delete'];

/**
 * The ID tail after one key press. Keys that cannot make a valid tail are ignored: nothing after X,
 * X only as the last of at least four characters, never more than six.
 */
export function pressKey(tail: string, key: KeypadKey): string {
  if (key === 'delete') return tail.slice(0, -1);
  if (tail.endsWith('X') || tail.length >= ID_TAIL_MAX) return tail;
  if (key === 'X') return tail.length >= ID_TAIL_MIN - 1 ? `${tail}X` : tail;
  return `${tail}${key}`;
}

/** Whether the tail has the shape of one (the server compares it with the booking). */
export function isCompleteIdTail(tail: string): boolean {
  return ID_TAIL.test(tail);
}
