import { describe, expect, it } from 'vitest';
import { isCompletePin, type PinKey, pinKeyOf, pressPinKey } from './pinInput.js';

const type = (keys: PinKey[], from = '') => keys.reduce(pressPinKey, from);

describe('operator PIN keypad', () => {
  it('types digits, deletes the last one and clears all', () => {
    expect(type(['1', '2', '3', '4'])).toBe('1234');
    expect(type(['1', '2', 'delete', '3'])).toBe('13');
    expect(type(['1', '2', 'clear', '7'])).toBe('7');
    expect(type(['delete', 'clear'])).toBe('');
  });

  it('takes at most eight digits', () => {
    expect(type(['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'])).toBe('12345678');
  });

  it('calls 4 to 8 digits complete, like the server', () => {
    expect(isCompletePin('123')).toBe(false);
    expect(isCompletePin('1234')).toBe(true);
    expect(isCompletePin('12345678')).toBe(true);
    expect(isCompletePin('123456789')).toBe(false);
    expect(isCompletePin('12a4')).toBe(false);
  });

  it('maps a hardware keyboard to the keypad', () => {
    expect(pinKeyOf('7')).toBe('7');
    expect(pinKeyOf('Backspace')).toBe('delete');
    expect(pinKeyOf('Escape')).toBe('clear');
    expect(pinKeyOf('x')).toBeNull();
  });
});
