import { RateLimitedError } from '../errors.js';

export interface LoginRateLimiterOptions {
  /** Length of the sliding window. Default 15 minutes. */
  windowMs?: number;
  /** Failed attempts allowed per account within the window. Default 5. */
  maxPerAccount?: number;
  /** Failed attempts allowed per client address within the window. Default 20. */
  maxPerIp?: number;
  /** Keys remembered at most; beyond it the oldest are forgotten, so random usernames cannot exhaust memory. */
  maxTrackedKeys?: number;
  /** Names the attempts in messages: "too many failed sign-in attempts …". Default `sign-in`. */
  attemptName?: string;
  /** Clock in epoch ms; tests move it. */
  now?: () => number;
}

export interface AttemptKeys {
  /** The username tried (normalized by the caller); absent for attempts that name no account. */
  account?: string;
  /** The client's address. */
  ip: string;
}

/**
 * Limits guessing: at most N failed attempts per account and M per client address within a sliding
 * window, in memory (one county server; a restart forgives everyone, which is acceptable).
 *
 * An attempt is counted when it starts (`consume`) and taken back when it succeeds (`succeeded`), not
 * counted when it fails: otherwise a burst of concurrent guesses would all pass the check before the
 * first slow password verification had recorded its failure.
 *
 * Limiting by account lets anyone lock a judge out for one window by failing on purpose; that is the
 * accepted price of stopping a distributed guesser who changes address on every try.
 */
export class LoginRateLimiter {
  readonly #windowMs: number;
  readonly #maxPerAccount: number;
  readonly #maxPerIp: number;
  readonly #maxTrackedKeys: number;
  readonly #attemptName: string;
  readonly #now: () => number;
  /** Start times of counted attempts, oldest first. */
  readonly #accounts = new Map<string, number[]>();
  readonly #ips = new Map<string, number[]>();

  constructor(options: LoginRateLimiterOptions = {}) {
    this.#windowMs = options.windowMs ?? 15 * 60_000;
    this.#maxPerAccount = options.maxPerAccount ?? 5;
    this.#maxPerIp = options.maxPerIp ?? 20;
    this.#maxTrackedKeys = options.maxTrackedKeys ?? 100_000;
    this.#attemptName = options.attemptName ?? 'sign-in';
    this.#now = options.now ?? Date.now;
    for (const [name, value] of Object.entries({
      windowMs: this.#windowMs,
      maxPerAccount: this.#maxPerAccount,
      maxPerIp: this.#maxPerIp,
      maxTrackedKeys: this.#maxTrackedKeys,
    })) {
      if (!Number.isInteger(value) || value <= 0)
        throw new TypeError(`${name} must be a positive integer, got ${value}`);
    }
  }

  /** Counts one attempt; throws RATE_LIMITED (without counting it) when the account or the address has none left. */
  consume(keys: AttemptKeys): void {
    const now = this.#now();
    const account = keys.account === undefined ? undefined : this.#recent(this.#accounts, keys.account, now);
    const ip = this.#recent(this.#ips, keys.ip, now);
    if (account && account.length >= this.#maxPerAccount) {
      throw this.#refusal('for this account', account, this.#maxPerAccount, now);
    }
    if (ip.length >= this.#maxPerIp) {
      throw this.#refusal('from this network address', ip, this.#maxPerIp, now);
    }
    if (keys.account !== undefined) this.#record(this.#accounts, keys.account, now);
    this.#record(this.#ips, keys.ip, now);
  }

  /** The attempt succeeded: the account's earlier failures are forgiven and this attempt stops counting. */
  succeeded(keys: AttemptKeys): void {
    if (keys.account !== undefined) this.#accounts.delete(keys.account);
    const ip = this.#ips.get(keys.ip);
    ip?.pop();
    if (ip?.length === 0) this.#ips.delete(keys.ip);
  }

  /** Milliseconds until an attempt with these keys would be allowed; 0 when it would be now. */
  retryAfterMs(keys: AttemptKeys): number {
    const now = this.#now();
    const waits = [0];
    if (keys.account !== undefined) {
      const account = this.#recent(this.#accounts, keys.account, now);
      if (account.length >= this.#maxPerAccount) waits.push(this.#waitFor(account, this.#maxPerAccount, now));
    }
    const ip = this.#recent(this.#ips, keys.ip, now);
    if (ip.length >= this.#maxPerIp) waits.push(this.#waitFor(ip, this.#maxPerIp, now));
    return Math.max(...waits);
  }

  /** The key's attempts still inside the window (older ones are dropped). */
  #recent(map: Map<string, number[]>, key: string, now: number): number[] {
    const times = map.get(key);
    if (!times) return [];
    const firstLive = times.findIndex((t) => t > now - this.#windowMs);
    if (firstLive === -1) {
      map.delete(key);
      return [];
    }
    if (firstLive > 0) times.splice(0, firstLive);
    return times;
  }

  #record(map: Map<string, number[]>, key: string, now: number): void {
    const times = map.get(key);
    if (times) {
      times.push(now);
      return;
    }
    map.set(key, [now]);
    if (map.size > this.#maxTrackedKeys) this.#shrink(map, now);
  }

  /**
   * Drops expired keys; if still too many, the least recently inserted ones. Shrinks to 90 % of the
   * cap so that a flood of new keys pays for one sweep per many insertions, not one per insertion.
   */
  #shrink(map: Map<string, number[]>, now: number): void {
    for (const key of [...map.keys()]) this.#recent(map, key, now);
    const target = Math.floor(this.#maxTrackedKeys * 0.9);
    for (const key of map.keys()) {
      if (map.size <= target) break;
      map.delete(key);
    }
  }

  /** When the oldest attempt that keeps the key at its limit leaves the window. */
  #waitFor(times: number[], max: number, now: number): number {
    const blocking = times[times.length - max] ?? now;
    return Math.max(0, blocking + this.#windowMs - now);
  }

  #refusal(scope: string, times: number[], max: number, now: number): RateLimitedError {
    const retryAfterMs = this.#waitFor(times, max, now);
    return new RateLimitedError(
      `too many failed ${this.#attemptName} attempts ${scope}; try again in ${describeWait(retryAfterMs)}`,
      retryAfterMs,
    );
  }
}

function describeWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
