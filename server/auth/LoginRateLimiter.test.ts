import { describe, expect, it } from 'vitest';
import { AppError, RateLimitedError } from '../errors.js';
import { LoginRateLimiter, type LoginRateLimiterOptions } from './LoginRateLimiter.js';

const MINUTE = 60_000;

function setup(options: LoginRateLimiterOptions = {}) {
  const clock = { ms: Date.UTC(2026, 11, 3, 0, 0) };
  const limiter = new LoginRateLimiter({ now: () => clock.ms, ...options });
  return { clock, limiter };
}

function refusal(fn: () => void): RateLimitedError | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (error instanceof RateLimitedError) return error;
    throw error;
  }
}

describe('LoginRateLimiter', () => {
  it('allows 5 failed attempts per account in 15 minutes, then says when to try again', () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 5; i++) {
      limiter.consume({ account: 'judge.wang', ip: `10.0.0.${i}` });
      clock.ms += MINUTE;
    }
    const error = refusal(() => limiter.consume({ account: 'judge.wang', ip: '10.0.0.99' }));
    expect(error).toBeInstanceOf(AppError);
    expect(error?.code).toBe('RATE_LIMITED');
    // The first attempt, 5 minutes ago, leaves the window in 10 minutes.
    expect(error?.retryAfterMs).toBe(10 * MINUTE);
    expect(error?.message).toBe('too many failed sign-in attempts for this account; try again in 10 minutes');
    expect(limiter.retryAfterMs({ account: 'judge.wang', ip: '10.0.0.99' })).toBe(10 * MINUTE);
    // Another account from the same addresses is not affected.
    expect(refusal(() => limiter.consume({ account: 'clerk.li', ip: '10.0.0.1' }))).toBeUndefined();
  });

  it('is a sliding window: each old attempt that leaves it frees one slot', () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 5; i++) {
      limiter.consume({ account: 'judge.wang', ip: '10.0.0.1' });
      clock.ms += MINUTE;
    }
    clock.ms += 10 * MINUTE; // now 15 minutes after the first attempt
    expect(refusal(() => limiter.consume({ account: 'judge.wang', ip: '10.0.0.1' }))).toBeUndefined();
    expect(refusal(() => limiter.consume({ account: 'judge.wang', ip: '10.0.0.1' }))?.code).toBe('RATE_LIMITED');
    clock.ms += MINUTE;
    expect(refusal(() => limiter.consume({ account: 'judge.wang', ip: '10.0.0.1' }))).toBeUndefined();
  });

  it('refused attempts are not counted, so waiting out the window is enough', () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 5; i++) limiter.consume({ account: 'judge.wang', ip: '10.0.0.1' });
    for (let i = 0; i < 50; i++) {
      clock.ms += 10_000;
      expect(refusal(() => limiter.consume({ account: 'judge.wang', ip: '10.0.0.1' }))?.code).toBe('RATE_LIMITED');
    }
    clock.ms = Date.UTC(2026, 11, 3, 0, 15);
    expect(limiter.retryAfterMs({ account: 'judge.wang', ip: '10.0.0.1' })).toBe(0);
    expect(refusal(() => limiter.consume({ account: 'judge.wang', ip: '10.0.0.1' }))).toBeUndefined();
  });

  it('a success forgives the account and takes back its own attempt from the address', () => {
    const { limiter } = setup({ maxPerIp: 5 });
    for (let i = 0; i < 4; i++) limiter.consume({ account: 'judge.wang', ip: '10.0.0.1' });
    limiter.consume({ account: 'judge.wang', ip: '10.0.0.1' });
    limiter.succeeded({ account: 'judge.wang', ip: '10.0.0.1' });
    // Account forgiven; the address still holds the 4 failures and has one slot left.
    expect(refusal(() => limiter.consume({ account: 'judge.wang', ip: '10.0.0.1' }))).toBeUndefined();
    expect(refusal(() => limiter.consume({ account: 'judge.wang', ip: '10.0.0.1' }))?.message).toMatch(
      /from this network address; try again in 15 minutes/,
    );
  });

  it('allows 20 failed attempts per address across accounts; other addresses are not affected', () => {
    const { limiter } = setup();
    for (let i = 0; i < 20; i++) limiter.consume({ account: `user${i}`, ip: '203.0.113.7' });
    const error = refusal(() => limiter.consume({ account: 'someone.new', ip: '203.0.113.7' }));
    expect(error?.message).toBe('too many failed sign-in attempts from this network address; try again in 15 minutes');
    expect(refusal(() => limiter.consume({ account: 'someone.new', ip: '203.0.113.8' }))).toBeUndefined();
  });

  it('limits attempts that name no account by address only, in its own words', () => {
    const { clock, limiter } = setup({ maxPerIp: 2, attemptName: 'enrollment' });
    limiter.consume({ ip: '10.1.1.1' });
    limiter.consume({ ip: '10.1.1.1' });
    clock.ms += 14 * MINUTE + 30_000;
    expect(refusal(() => limiter.consume({ ip: '10.1.1.1' }))?.message).toBe(
      'too many failed enrollment attempts from this network address; try again in 30 seconds',
    );
  });

  it('forgets the oldest keys beyond its cap instead of growing without bound', () => {
    const { limiter } = setup({ maxPerAccount: 1, maxPerIp: 1000, maxTrackedKeys: 10 });
    limiter.consume({ account: 'first', ip: '10.0.0.1' });
    expect(refusal(() => limiter.consume({ account: 'first', ip: '10.0.0.1' }))?.code).toBe('RATE_LIMITED');
    for (let i = 0; i < 10; i++) limiter.consume({ account: `flood${i}`, ip: '10.0.0.1' });
    expect(refusal(() => limiter.consume({ account: 'first', ip: '10.0.0.1' }))).toBeUndefined();
    // The most recent keys are still remembered.
    expect(refusal(() => limiter.consume({ account: 'flood9', ip: '10.0.0.1' }))?.code).toBe('RATE_LIMITED');
  });

  it('refuses nonsensical options', () => {
    expect(() => new LoginRateLimiter({ maxPerAccount: 0 })).toThrow(TypeError);
    expect(() => new LoginRateLimiter({ windowMs: -1 })).toThrow(TypeError);
    expect(() => new LoginRateLimiter({ maxPerIp: 2.5 })).toThrow(TypeError);
  });
});
