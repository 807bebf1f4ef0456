import type { OperatorLockView, UnlockResult } from '../../../../shared/desktop.js';
import { assertUnreachable } from '../../../../shared/errors.js';

/*
 * The kiosk's operator lock. The villager cannot leave the kiosk; the site operator (联络员) opens the
 * operator actions (exit, device settings, re-provision) with the site's operator PIN, for a short
 * while: after `idleMs` without input the kiosk locks itself again. Wrong PINs are counted; from the
 * `freeAttempts`-th consecutive wrong PIN on, each wrong PIN starts a lockout that doubles up to
 * `maxLockoutMs`, so a 4-digit PIN cannot be walked through at the kiosk.
 *
 * How the PIN is checked is injected (`PinVerifier`), so this file depends on neither the network nor
 * a hash function. The choice for the main process: the operator PIN is per site and the server holds
 * its argon2 hash (sites.operator_pin_hash, the one JoinGate checks at check-in); the verifier asks the
 * server (policy/pinVerifier.ts). When the server cannot answer, it falls back to the PIN the server
 * last accepted at this kiosk, kept as a salted scrypt hash encrypted with safeStorage: the operator
 * most needs to leave the kiosk exactly when the network is down. The cost is that someone holding
 * the kiosk's disk and its OS keyring could brute-force that PIN offline; the PIN guards the kiosk's
 * screen, and the device credential on that same disk is the stronger secret, so that is accepted.
 * With no server and nothing remembered the verifier answers 'unavailable', which is not counted as a
 * wrong PIN.
 */

export type PinVerdict = 'ok' | 'wrong' | 'unavailable';
export type PinVerifier = (pin: string) => Promise<PinVerdict>;

export interface KioskLockOptions {
  verify: PinVerifier;
  /** UTC ms since the epoch; injected for tests. */
  now?: () => number;
  /** Wrong PINs in a row before the first lockout (default 3). */
  freeAttempts?: number;
  /** First lockout (default 30 s); each further wrong PIN doubles it. */
  lockoutBaseMs?: number;
  /** Longest lockout (default 15 min). */
  maxLockoutMs?: number;
  /** Inactivity after which an unlocked kiosk locks again (default 2 min). */
  idleMs?: number;
}

export type LockState =
  | { status: 'locked'; failedAttempts: number; lockedOutUntilMs: number | null }
  | { status: 'unlocked'; lastActivityMs: number };

export interface LockPolicy {
  freeAttempts: number;
  lockoutBaseMs: number;
  maxLockoutMs: number;
  idleMs: number;
}

export const DEFAULT_LOCK_POLICY: LockPolicy = {
  freeAttempts: 3,
  lockoutBaseMs: 30_000,
  maxLockoutMs: 15 * 60_000,
  idleMs: 2 * 60_000,
};

export const INITIAL_LOCK_STATE: LockState = { status: 'locked', failedAttempts: 0, lockedOutUntilMs: null };

/** How long the lockout after the `failedAttempts`-th wrong PIN lasts (0 while attempts are free). */
export function lockoutDelayMs(failedAttempts: number, policy: LockPolicy = DEFAULT_LOCK_POLICY): number {
  const level = failedAttempts - policy.freeAttempts;
  if (level < 0) return 0;
  return Math.min(policy.maxLockoutMs, policy.lockoutBaseMs * 2 ** Math.min(level, 30));
}

/** The state as of `nowMs`: an unlocked kiosk idle for `idleMs` reads as locked. */
export function currentLockState(state: LockState, nowMs: number, policy: LockPolicy = DEFAULT_LOCK_POLICY): LockState {
  if (state.status === 'unlocked' && nowMs - state.lastActivityMs >= policy.idleMs) return INITIAL_LOCK_STATE;
  return state;
}

/** The transition after the verifier answered. Pure. */
export function afterVerdict(
  state: LockState,
  verdict: PinVerdict,
  nowMs: number,
  policy: LockPolicy = DEFAULT_LOCK_POLICY,
): LockState {
  const failedAttempts = state.status === 'locked' ? state.failedAttempts : 0;
  switch (verdict) {
    case 'ok':
      return { status: 'unlocked', lastActivityMs: nowMs };
    case 'unavailable':
      return state;
    case 'wrong': {
      const failed = failedAttempts + 1;
      const delay = lockoutDelayMs(failed, policy);
      return { status: 'locked', failedAttempts: failed, lockedOutUntilMs: delay > 0 ? nowMs + delay : null };
    }
    default:
      return assertUnreachable(verdict);
  }
}

/** What the renderer is shown. */
export function lockView(state: LockState, nowMs: number, policy: LockPolicy = DEFAULT_LOCK_POLICY): OperatorLockView {
  const current = currentLockState(state, nowMs, policy);
  if (current.status === 'unlocked') {
    return { status: 'unlocked', relocksAtMs: current.lastActivityMs + policy.idleMs };
  }
  if (current.lockedOutUntilMs !== null && current.lockedOutUntilMs > nowMs) {
    return { status: 'locked_out', retryAtMs: current.lockedOutUntilMs };
  }
  return { status: 'locked', failedAttempts: current.failedAttempts };
}

/** The lock with its injected verifier and clock; the main process holds one per kiosk. */
export class KioskLock {
  readonly #verify: PinVerifier;
  readonly #now: () => number;
  readonly #policy: LockPolicy;
  #state: LockState = INITIAL_LOCK_STATE;
  #verifying = false;

  constructor(options: KioskLockOptions) {
    if (typeof options.verify !== 'function') throw new TypeError('KioskLock: verify must be a function');
    this.#verify = options.verify;
    this.#now = options.now ?? Date.now;
    this.#policy = {
      freeAttempts: options.freeAttempts ?? DEFAULT_LOCK_POLICY.freeAttempts,
      lockoutBaseMs: options.lockoutBaseMs ?? DEFAULT_LOCK_POLICY.lockoutBaseMs,
      maxLockoutMs: options.maxLockoutMs ?? DEFAULT_LOCK_POLICY.maxLockoutMs,
      idleMs: options.idleMs ?? DEFAULT_LOCK_POLICY.idleMs,
    };
    if (this.#policy.freeAttempts < 1 || this.#policy.lockoutBaseMs <= 0 || this.#policy.idleMs <= 0) {
      throw new TypeError('KioskLock: freeAttempts must be ≥ 1, lockoutBaseMs and idleMs > 0');
    }
  }

  get view(): OperatorLockView {
    return lockView(this.#state, this.#now(), this.#policy);
  }

  /** Whether operator actions are allowed right now (false once the idle timeout passed). */
  get unlocked(): boolean {
    this.#state = currentLockState(this.#state, this.#now(), this.#policy);
    return this.#state.status === 'unlocked';
  }

  /**
   * Checks `pin`. While locked out the verifier is not asked; a second attempt while one is being
   * verified answers 'unavailable' (no parallel guessing).
   */
  async unlock(pin: string): Promise<UnlockResult> {
    const before = this.view;
    if (before.status === 'unlocked') return { outcome: 'unlocked', relocksAtMs: before.relocksAtMs };
    if (before.status === 'locked_out') return { outcome: 'locked_out', retryAtMs: before.retryAtMs };
    if (this.#verifying) return { outcome: 'unavailable' };
    this.#verifying = true;
    let verdict: PinVerdict;
    try {
      verdict = await this.#verify(pin);
    } catch {
      verdict = 'unavailable';
    } finally {
      this.#verifying = false;
    }
    const nowMs = this.#now();
    this.#state = afterVerdict(currentLockState(this.#state, nowMs, this.#policy), verdict, nowMs, this.#policy);
    const after = lockView(this.#state, nowMs, this.#policy);
    switch (after.status) {
      case 'unlocked':
        return { outcome: 'unlocked', relocksAtMs: after.relocksAtMs };
      case 'locked_out':
        return { outcome: 'wrong_pin', retryAtMs: after.retryAtMs };
      case 'locked':
        return verdict === 'unavailable' ? { outcome: 'unavailable' } : { outcome: 'wrong_pin', retryAtMs: null };
      default:
        return assertUnreachable(after);
    }
  }

  /** Operator input (any key or touch while unlocked) pushes the relock back. */
  activity(): void {
    const nowMs = this.#now();
    this.#state = currentLockState(this.#state, nowMs, this.#policy);
    if (this.#state.status === 'unlocked') this.#state = { status: 'unlocked', lastActivityMs: nowMs };
  }

  /** Locks now (the operator pressed "done", or an operator action completed). Keeps the wrong-PIN count at 0. */
  lock(): void {
    this.#state = INITIAL_LOCK_STATE;
  }
}

/** Electron's `before-input-event` input, the fields this policy reads. */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  alt: boolean;
  shift: boolean;
  meta: boolean;
}

export interface Shortcut {
  key: string;
  control?: boolean;
  alt?: boolean;
  shift?: boolean;
  meta?: boolean;
  /** What it would do if not swallowed. */
  does: string;
}

/**
 * Shortcuts the kiosk window swallows (preventDefault in `before-input-event`). Modifiers must match
 * exactly; keys compare case-insensitively.
 *
 * What the window cannot see, because the OS handles it before the app: Alt+Tab / Win+Tab, the
 * Windows/Super key, Ctrl+Alt+Del, Ctrl+Shift+Esc, Alt+Esc, and on Linux Ctrl+Alt+F1…F12 (VT switch)
 * and Ctrl+Alt+Backspace. Those are closed at the OS: on Linux run the kiosk as the only client of a
 * kiosk compositor (e.g. `cage`) in a dedicated auto-login session, no VT switching
 * (`DontVTSwitch` / logind `NAutoVTs=0`); on Windows use Assigned Access / Shell Launcher so the
 * kiosk replaces the shell, with Task Manager disabled by policy.
 */
export const KIOSK_BLOCKED_SHORTCUTS: readonly Shortcut[] = [
  { key: 'F4', alt: true, does: 'close the window' },
  { key: 'w', control: true, does: 'close the window' },
  { key: 'w', control: true, shift: true, does: 'close all windows' },
  { key: 'q', control: true, does: 'quit' },
  { key: 'q', meta: true, does: 'quit (macOS)' },
  { key: 'w', meta: true, does: 'close the window (macOS)' },
  { key: 'r', control: true, does: 'reload' },
  { key: 'r', control: true, shift: true, does: 'reload bypassing the cache' },
  { key: 'F5', does: 'reload' },
  { key: 'F5', control: true, does: 'reload bypassing the cache' },
  { key: 'F5', shift: true, does: 'reload bypassing the cache' },
  { key: 'F11', does: 'leave full screen' },
  { key: 'F12', does: 'open devtools' },
  { key: 'i', control: true, shift: true, does: 'open devtools' },
  { key: 'j', control: true, shift: true, does: 'open the devtools console' },
  { key: 'c', control: true, shift: true, does: 'inspect element' },
  { key: 'i', meta: true, alt: true, does: 'open devtools (macOS)' },
  { key: 'u', control: true, does: 'view source' },
  { key: 'p', control: true, does: 'print' },
  { key: 's', control: true, does: 'save the page' },
  { key: 'o', control: true, does: 'open a file' },
  { key: 'n', control: true, does: 'new window' },
  { key: 'n', control: true, shift: true, does: 'new incognito window' },
  { key: 't', control: true, does: 'new tab' },
  { key: 'm', control: true, shift: true, does: 'switch profile' },
  { key: 'h', control: true, does: 'history' },
  { key: 'j', control: true, does: 'downloads' },
  { key: '=', control: true, does: 'zoom in' },
  { key: '+', control: true, does: 'zoom in' },
  { key: '+', control: true, shift: true, does: 'zoom in' },
  { key: '-', control: true, does: 'zoom out' },
  { key: '0', control: true, does: 'reset zoom' },
  { key: 'ArrowLeft', alt: true, does: 'go back' },
  { key: 'ArrowRight', alt: true, does: 'go forward' },
  { key: 'BrowserBack', does: 'go back' },
  { key: 'BrowserForward', does: 'go forward' },
  { key: 'BrowserRefresh', does: 'reload' },
  { key: 'Alt', alt: true, does: 'show the menu bar' },
];

const KEY_EVENT_TYPES = new Set(['keyDown', 'keyUp', 'rawKeyDown', 'char']);

/** Whether the kiosk window must swallow this `before-input-event` input. */
export function isBlockedShortcut(input: KeyInput): boolean {
  if (!KEY_EVENT_TYPES.has(input.type) || typeof input.key !== 'string') return false;
  const key = input.key.toLowerCase();
  return KIOSK_BLOCKED_SHORTCUTS.some(
    (shortcut) =>
      shortcut.key.toLowerCase() === key &&
      (shortcut.control ?? false) === input.control &&
      (shortcut.alt ?? false) === input.alt &&
      (shortcut.shift ?? false) === input.shift &&
      (shortcut.meta ?? false) === input.meta,
  );
}
