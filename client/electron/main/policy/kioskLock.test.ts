import { describe, expect, it } from 'vitest';
import { isBlockedShortcut, type KeyInput, KIOSK_BLOCKED_SHORTCUTS, KioskLock, lockoutDelayMs } from './kioskLock.js';

const PIN = '4821';

function setup(options: { verdict?: 'unavailable' } = {}) {
  const clock = { now: 1_000_000 };
  const verify = async (pin: string) => options.verdict ?? (pin === PIN ? 'ok' : 'wrong');
  const lock = new KioskLock({ verify, now: () => clock.now });
  return { clock, lock };
}

describe('KioskLock', () => {
  it('starts locked and unlocks with the operator PIN', async () => {
    const { clock, lock } = setup();
    expect(lock.unlocked).toBe(false);
    expect(lock.view).toEqual({ status: 'locked', failedAttempts: 0 });
    expect(await lock.unlock(PIN)).toEqual({ outcome: 'unlocked', relocksAtMs: clock.now + 120_000 });
    expect(lock.unlocked).toBe(true);
  });

  it('relocks after the inactivity timeout, and activity pushes it back', async () => {
    const { clock, lock } = setup();
    await lock.unlock(PIN);
    clock.now += 100_000;
    lock.activity();
    clock.now += 100_000;
    expect(lock.unlocked).toBe(true);
    clock.now += 20_000;
    expect(lock.unlocked).toBe(false);
    expect(lock.view).toEqual({ status: 'locked', failedAttempts: 0 });
    lock.activity();
    expect(lock.unlocked).toBe(false);
  });

  it('locks on demand', async () => {
    const { lock } = setup();
    await lock.unlock(PIN);
    lock.lock();
    expect(lock.unlocked).toBe(false);
  });

  it('counts wrong PINs, then locks out with growing delays', async () => {
    const { clock, lock } = setup();
    expect(await lock.unlock('0000')).toEqual({ outcome: 'wrong_pin', retryAtMs: null });
    expect(await lock.unlock('1111')).toEqual({ outcome: 'wrong_pin', retryAtMs: null });
    expect(lock.view).toEqual({ status: 'locked', failedAttempts: 2 });
    expect(await lock.unlock('2222')).toEqual({ outcome: 'wrong_pin', retryAtMs: clock.now + 30_000 });

    // Locked out: even the right PIN is not checked.
    expect(await lock.unlock(PIN)).toEqual({ outcome: 'locked_out', retryAtMs: clock.now + 30_000 });
    expect(lock.unlocked).toBe(false);

    clock.now += 30_000;
    expect(await lock.unlock('3333')).toEqual({ outcome: 'wrong_pin', retryAtMs: clock.now + 60_000 });
    clock.now += 60_000;
    expect(await lock.unlock('4444')).toEqual({ outcome: 'wrong_pin', retryAtMs: clock.now + 120_000 });
    clock.now += 120_000;
    expect((await lock.unlock(PIN)).outcome).toBe('unlocked');

    // A successful unlock forgives the earlier failures.
    lock.lock();
    expect(await lock.unlock('0000')).toEqual({ outcome: 'wrong_pin', retryAtMs: null });
  });

  it('caps the lockout', () => {
    expect(lockoutDelayMs(2)).toBe(0);
    expect(lockoutDelayMs(3)).toBe(30_000);
    expect(lockoutDelayMs(4)).toBe(60_000);
    expect(lockoutDelayMs(100)).toBe(15 * 60_000);
    expect(lockoutDelayMs(10_000)).toBe(15 * 60_000);
  });

  it('does not count an unavailable check (or a verifier that throws) as a wrong PIN', async () => {
    const { lock } = setup({ verdict: 'unavailable' });
    for (let i = 0; i < 5; i += 1) expect(await lock.unlock(PIN)).toEqual({ outcome: 'unavailable' });
    expect(lock.view).toEqual({ status: 'locked', failedAttempts: 0 });

    const throwing = new KioskLock({
      verify: async () => {
        throw new Error('network down');
      },
    });
    expect(await throwing.unlock(PIN)).toEqual({ outcome: 'unavailable' });
    expect(throwing.unlocked).toBe(false);
  });

  it('does not verify two guesses in parallel', async () => {
    let release: (verdict: 'wrong') => void = () => {};
    let calls = 0;
    const lock = new KioskLock({
      verify: () => {
        calls += 1;
        return new Promise((resolve) => {
          release = resolve;
        });
      },
    });
    const first = lock.unlock('0000');
    expect(await lock.unlock('1111')).toEqual({ outcome: 'unavailable' });
    release('wrong');
    expect(await first).toEqual({ outcome: 'wrong_pin', retryAtMs: null });
    expect(calls).toBe(1);
  });

  it('refuses a nonsensical configuration', () => {
    expect(() => new KioskLock({ verify: async () => 'ok', freeAttempts: 0 })).toThrow(TypeError);
  });
});

describe('isBlockedShortcut', () => {
  const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({
    type: 'keyDown',
    key: k,
    control: false,
    alt: false,
    shift: false,
    meta: false,
    ...mods,
  });

  it.each([
    ['Alt+F4', key('F4', { alt: true })],
    ['Ctrl+W', key('w', { control: true })],
    ['Ctrl+R', key('r', { control: true })],
    ['Ctrl+Shift+R', key('R', { control: true, shift: true })],
    ['F5', key('F5')],
    ['F11', key('F11')],
    ['F12', key('F12')],
    ['Ctrl+Shift+I', key('I', { control: true, shift: true })],
    ['Ctrl+Q', key('q', { control: true })],
    ['Ctrl+P', key('p', { control: true })],
    ['Ctrl+=', key('=', { control: true })],
    ['Alt+Left', key('ArrowLeft', { alt: true })],
    ['F5 released', key('F5', { type: 'keyUp' })],
  ])('swallows %s', (_name, input) => {
    expect(isBlockedShortcut(input)).toBe(true);
  });

  it.each([
    ['typing', key('a')],
    ['capitals', key('A', { shift: true })],
    ['digits for the PIN', key('4')],
    ['Backspace', key('Backspace')],
    ['Enter', key('Enter')],
    ['Escape', key('Escape')],
    ['Ctrl+C', key('c', { control: true })],
    ['Ctrl+V', key('v', { control: true })],
    ['F4 without Alt', key('F4')],
    ['mouse events', { ...key('F5'), type: 'mouseDown' }],
  ])('lets %s through', (_name, input) => {
    expect(isBlockedShortcut(input)).toBe(false);
  });

  it('describes what each blocked shortcut would do', () => {
    for (const shortcut of KIOSK_BLOCKED_SHORTCUTS) expect(shortcut.does.length).toBeGreaterThan(0);
  });
});
