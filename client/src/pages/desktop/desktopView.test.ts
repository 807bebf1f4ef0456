import { describe, expect, it } from 'vitest';
import { ProvisioningErrorSchema } from '../../../../shared/desktop.js';
import { en } from '../../i18n/en.js';
import { lookup } from '../../i18n/lookup.js';
import { zhCN } from '../../i18n/zh-CN.js';
import {
  answerErrorKey,
  checkProvisionForm,
  lockoutMessage,
  provisioningErrorKey,
  secondsUntil,
  serverUrlProblem,
  unlockMessage,
} from './desktopView.js';

const hasText = (key: string) => typeof lookup(zhCN, key) === 'string' && typeof lookup(en, key) === 'string';

describe('provisioning errors', () => {
  it('has a distinct sentence in both languages for every reason enrollment can fail', () => {
    const keys = ProvisioningErrorSchema.options.map(provisioningErrorKey);
    expect(new Set(keys).size).toBe(ProvisioningErrorSchema.options.length);
    expect(keys.filter((k) => !hasText(k))).toEqual([]);
  });

  it('says the shell refused an operator action while locked', () => {
    expect(answerErrorKey('FORBIDDEN')).toBe('desktop.answer.locked');
    for (const code of [
      'BAD_REQUEST',
      'FORBIDDEN',
      'NOT_FOUND',
      'INVALID_STATE',
      'UNAUTHORIZED',
      'INTERNAL',
    ] as const) {
      expect(hasText(answerErrorKey(code))).toBe(true);
    }
  });
});

describe('the provisioning form', () => {
  it('accepts an https origin and a complete code', () => {
    expect(checkProvisionForm(' https://court.example ', '7kq4m-xh2pd')).toEqual({
      ok: true,
      input: { serverUrl: 'https://court.example', enrollmentCode: '7kq4m-xh2pd' },
    });
    expect(checkProvisionForm('http://127.0.0.1:8080', '7KQ4MXH2PD').ok).toBe(true);
  });

  it('names what is wrong with the server address', () => {
    expect(serverUrlProblem('')).toBe('desktop.provision.invalid.serverEmpty');
    expect(serverUrlProblem('http://court.example')).toBe('desktop.provision.invalid.serverHttps');
    expect(serverUrlProblem('https://court.example:70000')).toBe('desktop.provision.invalid.serverPort');
    expect(serverUrlProblem('https://court.example/login?x=1')).toBe('desktop.provision.invalid.serverFormat');
    expect(serverUrlProblem('court.example')).toBe('desktop.provision.invalid.serverFormat');
  });

  it('names what is wrong with the code, and both problems at once', () => {
    expect(checkProvisionForm('https://court.example', '')).toEqual({
      ok: false,
      serverUrl: null,
      enrollmentCode: 'desktop.provision.invalid.codeEmpty',
    });
    expect(checkProvisionForm('ftp://x', '7KQ4M')).toEqual({
      ok: false,
      serverUrl: 'desktop.provision.invalid.serverFormat',
      enrollmentCode: 'desktop.provision.invalid.codeFormat',
    });
  });
});

describe('the operator lock', () => {
  const now = 1_800_000_000_000;

  it('counts whole seconds up, never below zero', () => {
    expect(secondsUntil(now + 1, now)).toBe(1);
    expect(secondsUntil(now + 30_000, now)).toBe(30);
    expect(secondsUntil(now - 5_000, now)).toBe(0);
  });

  it('says the wait in seconds, then in minutes, then that the operator may try again', () => {
    expect(lockoutMessage(now + 45_500, now)).toEqual({
      key: 'desktop.operator.lockedOutSeconds',
      values: { seconds: 46 },
    });
    expect(lockoutMessage(now + 5 * 60_000, now)).toEqual({
      key: 'desktop.operator.lockedOutMinutes',
      values: { minutes: 5 },
    });
    expect(lockoutMessage(now, now)).toEqual({ key: 'desktop.operator.tryAgainNow' });
  });

  it('answers each unlock outcome', () => {
    expect(unlockMessage({ outcome: 'unlocked', relocksAtMs: now + 60_000 }, now)).toBeNull();
    expect(unlockMessage({ outcome: 'wrong_pin', retryAtMs: null }, now)).toEqual({ key: 'desktop.operator.wrongPin' });
    expect(unlockMessage({ outcome: 'wrong_pin', retryAtMs: now + 10_000 }, now)?.key).toBe(
      'desktop.operator.lockedOutSeconds',
    );
    expect(unlockMessage({ outcome: 'locked_out', retryAtMs: now + 600_000 }, now)).toEqual({
      key: 'desktop.operator.lockedOutMinutes',
      values: { minutes: 10 },
    });
    expect(unlockMessage({ outcome: 'unavailable' }, now)).toEqual({ key: 'desktop.operator.unavailable' });
  });
});
