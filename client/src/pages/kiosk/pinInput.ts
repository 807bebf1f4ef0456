/*
 * The site operator's PIN, typed on the kiosk's keypad after the villager's ID-number tail: digits
 * only, 4 to 8 of them (the contract's rule), shown masked. Pure, like kioskInput.ts.
 */

export const PIN_MIN = 4;
export const PIN_MAX = 8;
const PIN = /^[0-9]{4,8}$/;

export type PinKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | 'clear' | 'delete';

export const PIN_KEYPAD: readonly PinKey[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'delete'];

/** The PIN after one key press; digits beyond the eighth are ignored. */
export function pressPinKey(pin: string, key: PinKey): string {
  if (key === 'delete') return pin.slice(0, -1);
  if (key === 'clear') return '';
  return pin.length >= PIN_MAX ? pin : `${pin}${key}`;
}

/** Whether the PIN has the shape the server accepts. */
export function isCompletePin(pin: string): boolean {
  return PIN.test(pin);
}

/** The key a hardware keyboard press stands for, if any (digits, Backspace, Escape). */
export function pinKeyOf(key: string): PinKey | null {
  const digit = PIN_KEYPAD.find((k) => k === key && k !== 'clear' && k !== 'delete');
  if (digit) return digit;
  if (key === 'Backspace') return 'delete';
  if (key === 'Escape') return 'clear';
  return null;
}
