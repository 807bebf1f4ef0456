import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, nextDelay, onRendererGone, ReconnectPolicy } from './backoff.js';

describe('nextDelay', () => {
  it('grows exponentially up to the cap', () => {
    expect([0, 1, 2, 3, 4].map((attempt) => backoffCeilingMs(attempt, 500, 30_000))).toEqual([
      500, 1000, 2000, 4000, 8000,
    ]);
    expect(backoffCeilingMs(7, 500, 30_000)).toBe(30_000);
    expect(backoffCeilingMs(10_000, 500, 30_000)).toBe(30_000);
  });

  it('jitters over the whole range [0, ceiling)', () => {
    expect(nextDelay(3, { random: () => 0 })).toBe(0);
    expect(nextDelay(3, { random: () => 0.5 })).toBe(2000);
    expect(nextDelay(3, { random: () => 0.999999 })).toBeLessThan(4000);
    expect(nextDelay(3, { random: () => 1 })).toBeLessThan(4000);
    expect(nextDelay(3, { random: () => Number.NaN })).toBe(0);
  });

  it('stays within bounds for any random value', () => {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      for (let i = 0; i < 50; i += 1) {
        const delay = nextDelay(attempt);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(backoffCeilingMs(attempt));
      }
    }
  });

  it('refuses a negative or fractional attempt', () => {
    expect(() => nextDelay(-1)).toThrow(TypeError);
    expect(() => nextDelay(1.5)).toThrow(TypeError);
  });
});

describe('ReconnectPolicy', () => {
  const maxRandom = () => 0.999_999;

  it('backs off further on each failure', () => {
    const policy = new ReconnectPolicy({ baseMs: 1000, capMs: 8000, random: maxRandom });
    const delays = Array.from({ length: 6 }, () => policy.failed(0));
    expect(delays).toEqual([999, 1999, 3999, 7999, 7999, 7999]);
    expect(policy.attempts).toBe(6);
  });

  it('keeps backing off when a connection drops before it was stable', () => {
    const policy = new ReconnectPolicy({ baseMs: 1000, capMs: 60_000, stableMs: 30_000, random: maxRandom });
    policy.failed(0);
    policy.failed(1000);
    policy.connected(5000);
    expect(policy.failed(10_000)).toBe(3999);
  });

  it('resets after a connection stayed up long enough', () => {
    const policy = new ReconnectPolicy({ baseMs: 1000, capMs: 60_000, stableMs: 30_000, random: maxRandom });
    policy.failed(0);
    policy.failed(1000);
    policy.connected(5000);
    expect(policy.failed(35_000)).toBe(999);

    policy.connected(40_000);
    policy.stillConnected(70_000);
    expect(policy.attempts).toBe(0);
  });

  it('refuses a cap below the base', () => {
    expect(() => new ReconnectPolicy({ baseMs: 1000, capMs: 10 })).toThrow(TypeError);
  });
});

describe('onRendererGone', () => {
  const now = 1_000_000;

  it('reloads after a crash, a kill, running out of memory or a hang', () => {
    for (const reason of ['crashed', 'killed', 'oom', 'abnormal-exit', 'unresponsive', 'memory-eviction'] as const) {
      expect(onRendererGone(reason, [], now)).toBe('reload');
    }
  });

  it('restarts the app when the renderer cannot launch', () => {
    expect(onRendererGone('launch-failed', [], now)).toBe('restart-app');
    expect(onRendererGone('integrity-failure', [now - 1000], now)).toBe('restart-app');
  });

  it('gives up after too many crashes in the window, but forgets old ones', () => {
    const recent = [now - 4000, now - 3000, now - 2000, now - 1000];
    expect(onRendererGone('crashed', recent.slice(1), now)).toBe('reload');
    expect(onRendererGone('crashed', recent, now)).toBe('give-up-show-error');
    const old = recent.map((at) => at - 11 * 60_000);
    expect(onRendererGone('crashed', old, now)).toBe('reload');
    expect(onRendererGone('crashed', recent, now, { maxCrashes: 10, windowMs: 60_000 })).toBe('reload');
  });
});
