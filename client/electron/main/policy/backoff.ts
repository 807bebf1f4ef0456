/*
 * Reconnecting after the network drops, and recovering from renderer crashes.
 *
 * Reconnect delays are exponential with full jitter (AWS's "Exponential Backoff and Jitter"): the
 * n-th retry waits a uniformly random time in [0, min(cap, base·2ⁿ)), so a hall's worth of kiosks
 * coming back after one outage do not all knock at once. The random source is injected for tests.
 * The attempt count resets only after a connection stayed up for `stableMs`, so a link that drops
 * right after connecting keeps backing off instead of hammering the server.
 */

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  /** A connection up this long counts as stable and resets the attempts. */
  stableMs?: number;
  /** Uniform in [0, 1); Math.random by default. */
  random?: () => number;
}

export const DEFAULT_BACKOFF = { baseMs: 500, capMs: 30_000, stableMs: 30_000 } as const;

/** The ceiling of the `attempt`-th retry (0-based): min(cap, base·2^attempt). */
export function backoffCeilingMs(
  attempt: number,
  baseMs: number = DEFAULT_BACKOFF.baseMs,
  capMs: number = DEFAULT_BACKOFF.capMs,
): number {
  if (!Number.isInteger(attempt) || attempt < 0)
    throw new TypeError(`backoff attempt must be a non-negative integer, got ${attempt}`);
  return Math.min(capMs, baseMs * 2 ** Math.min(attempt, 52));
}

/** The delay before the `attempt`-th retry: full jitter over [0, ceiling). */
export function nextDelay(attempt: number, options: BackoffOptions = {}): number {
  const ceiling = backoffCeilingMs(attempt, options.baseMs, options.capMs);
  const random = (options.random ?? Math.random)();
  const unit = Number.isFinite(random) ? Math.min(Math.max(random, 0), 1 - Number.EPSILON) : 0;
  return Math.floor(unit * ceiling);
}

/** Counts attempts for one connection; the main process (or renderer service) asks it for delays. */
export class ReconnectPolicy {
  readonly #options: Required<BackoffOptions>;
  #attempt = 0;
  #connectedAtMs: number | null = null;

  constructor(options: BackoffOptions = {}) {
    this.#options = {
      baseMs: options.baseMs ?? DEFAULT_BACKOFF.baseMs,
      capMs: options.capMs ?? DEFAULT_BACKOFF.capMs,
      stableMs: options.stableMs ?? DEFAULT_BACKOFF.stableMs,
      random: options.random ?? Math.random,
    };
    if (this.#options.baseMs <= 0 || this.#options.capMs < this.#options.baseMs) {
      throw new TypeError('ReconnectPolicy: baseMs must be > 0 and capMs ≥ baseMs');
    }
  }

  get attempts(): number {
    return this.#attempt;
  }

  /** The connection went down (or a try failed): answers how long to wait before the next try. */
  failed(nowMs: number): number {
    if (this.#connectedAtMs !== null && nowMs - this.#connectedAtMs >= this.#options.stableMs) this.#attempt = 0;
    this.#connectedAtMs = null;
    const delay = nextDelay(this.#attempt, this.#options);
    this.#attempt += 1;
    return delay;
  }

  /** The connection is up; the attempts reset once it has stayed up `stableMs`. */
  connected(nowMs: number): void {
    this.#connectedAtMs = nowMs;
  }

  /** Called while connected (e.g. on a heartbeat): resets the attempts when the link has been stable. */
  stillConnected(nowMs: number): void {
    if (this.#connectedAtMs !== null && nowMs - this.#connectedAtMs >= this.#options.stableMs) this.#attempt = 0;
  }
}

/** Electron's `render-process-gone` reasons, plus 'unresponsive' for a hang (`unresponsive` event). */
export type RendererGoneReason =
  | 'clean-exit'
  | 'abnormal-exit'
  | 'killed'
  | 'crashed'
  | 'oom'
  | 'launch-failed'
  | 'integrity-failure'
  | 'memory-eviction'
  | 'unresponsive';

export type RendererRecovery = 'reload' | 'restart-app' | 'give-up-show-error';

export interface CrashPolicy {
  /** Crashes (including this one) within `windowMs` after which the app stops trying. */
  maxCrashes: number;
  windowMs: number;
}

export const DEFAULT_CRASH_POLICY: CrashPolicy = { maxCrashes: 5, windowMs: 10 * 60_000 };

/**
 * What to do when the renderer died or hung. `recentCrashesMs` are the times of earlier crashes
 * (the caller appends this one after deciding). Too many in the window → stop and show the
 * main-process error page (a crash loop would otherwise flicker forever in front of the villager).
 * A renderer that could not launch, or whose binary failed its integrity check, cannot be fixed by
 * reloading it: the whole app restarts. Everything else reloads the window.
 */
export function onRendererGone(
  reason: RendererGoneReason,
  recentCrashesMs: readonly number[],
  nowMs: number,
  policy: CrashPolicy = DEFAULT_CRASH_POLICY,
): RendererRecovery {
  const inWindow = recentCrashesMs.filter((at) => at <= nowMs && nowMs - at < policy.windowMs).length + 1;
  if (inWindow >= policy.maxCrashes) return 'give-up-show-error';
  if (reason === 'launch-failed' || reason === 'integrity-failure') return 'restart-app';
  return 'reload';
}
