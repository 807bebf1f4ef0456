import { describe, expect, it } from 'vitest';
import {
  formatEnrollmentInput,
  isCompleteEnrollmentCode,
  isCompleteIdTail,
  type KeypadKey,
  pressKey,
} from './kioskInput.js';

const type = (keys: KeypadKey[], from = '') => keys.reduce(pressKey, from);

describe('enrollment code input', () => {
  it('upper-cases, drops look-alikes and separators, and puts the dash after five characters', () => {
    expect(formatEnrollmentInput('7kq4m')).toBe('7KQ4M');
    expect(formatEnrollmentInput('7kq4mx')).toBe('7KQ4M-X');
    expect(formatEnrollmentInput('7KQ4M-XH2PD')).toBe('7KQ4M-XH2PD');
    expect(formatEnrollmentInput(' 7kq4m xh2pd ')).toBe('7KQ4M-XH2PD');
    // 0, O, 1, I, L and U are not in the alphabet.
    expect(formatEnrollmentInput('0O1IL U7')).toBe('7');
  });

  it('stops at ten characters and knows when the code is complete', () => {
    expect(formatEnrollmentInput('7KQ4MXH2PDZZZ')).toBe('7KQ4M-XH2PD');
    expect(isCompleteEnrollmentCode('7KQ4M-XH2PD')).toBe(true);
    expect(isCompleteEnrollmentCode('7KQ4M-XH2P')).toBe(false);
  });
});

describe('ID-tail keypad', () => {
  it('types digits and deletes the last one', () => {
    expect(type(['1', '2', '3', '4'])).toBe('1234');
    expect(type(['1', '2', 'delete', '3'])).toBe('13');
    expect(type(['delete'])).toBe('');
  });

  it('takes at most six characters', () => {
    expect(type(['1', '2', '3', '4', '5', '6', '7'])).toBe('123456');
  });

  it('accepts X only as the last of at least four characters', () => {
    expect(type(['X'])).toBe('');
    expect(type(['1', '2', 'X'])).toBe('12');
    expect(type(['1', '2', '3', 'X'])).toBe('123X');
    expect(type(['1', '2', '3', 'X', '4'])).toBe('123X');
    expect(type(['1', '2', '3', 'X', 'X'])).toBe('123X');
    expect(type(['1', '2', '3', 'X', 'delete', '4'])).toBe('1234');
  });

  it('calls a tail complete with the same rule as the booking', () => {
    expect(isCompleteIdTail('123')).toBe(false);
    expect(isCompleteIdTail('1234')).toBe(true);
    expect(isCompleteIdTail('123X')).toBe(true);
    expect(isCompleteIdTail('123456')).toBe(true);
  });
});
