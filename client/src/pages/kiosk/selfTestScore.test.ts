import { describe, expect, it } from 'vitest';
import { SelfTestResultSchema } from '../../../../shared/floor.js';
import { kioskFlowEn, kioskFlowZhCN } from '../../i18n/kioskFlow.js';
import {
  ADVICE_KEYS,
  deviceChecks,
  SELFTEST_LIMITS,
  type SelfTestInput,
  scoreSelfTest,
  selfTestResult,
} from './selfTestScore.js';

const FINE: SelfTestInput = {
  camera: 'ok',
  microphone: 'ok',
  speakerHeard: true,
  rttMs: 30,
  uploadKbps: 20_000,
  downloadKbps: 50_000,
};

describe('self-test score', () => {
  it('is good with working devices, a heard tone and a fast network', () => {
    expect(scoreSelfTest(FINE)).toEqual({ score: 'good', advice: ['allGood'] });
  });

  it('is bad when the court could not see or hear the villager, or the villager could not hear the court', () => {
    expect(scoreSelfTest({ ...FINE, camera: 'blocked' })).toEqual({ score: 'bad', advice: ['cameraBlocked'] });
    expect(scoreSelfTest({ ...FINE, camera: 'missing' })).toEqual({ score: 'bad', advice: ['cameraMissing'] });
    expect(scoreSelfTest({ ...FINE, microphone: 'blocked' }).advice).toEqual(['microphoneBlocked']);
    expect(scoreSelfTest({ ...FINE, microphone: 'missing' }).advice).toEqual(['microphoneMissing']);
    expect(scoreSelfTest({ ...FINE, speakerHeard: false })).toEqual({ score: 'bad', advice: ['speakerNotHeard'] });
  });

  it('grades the round trip with the in-hearing limits', () => {
    expect(scoreSelfTest({ ...FINE, rttMs: SELFTEST_LIMITS.good.rttMs }).score).toBe('good');
    expect(scoreSelfTest({ ...FINE, rttMs: SELFTEST_LIMITS.good.rttMs + 1 })).toEqual({
      score: 'ok',
      advice: ['rttSlow'],
    });
    expect(scoreSelfTest({ ...FINE, rttMs: SELFTEST_LIMITS.ok.rttMs + 1 })).toEqual({
      score: 'bad',
      advice: ['rttSlow'],
    });
  });

  it('grades upload and download bitrates', () => {
    expect(scoreSelfTest({ ...FINE, uploadKbps: 500 })).toEqual({ score: 'ok', advice: ['uploadSlow'] });
    expect(scoreSelfTest({ ...FINE, uploadKbps: 100 })).toEqual({ score: 'bad', advice: ['uploadSlow'] });
    expect(scoreSelfTest({ ...FINE, downloadKbps: 800 })).toEqual({ score: 'ok', advice: ['downloadSlow'] });
    expect(scoreSelfTest({ ...FINE, downloadKbps: 100 })).toEqual({ score: 'bad', advice: ['downloadSlow'] });
  });

  it('calls an unreachable server bad, and an unmeasured bitrate only ok', () => {
    expect(scoreSelfTest({ ...FINE, rttMs: null, uploadKbps: null, downloadKbps: null })).toEqual({
      score: 'bad',
      advice: ['networkUnreachable'],
    });
    expect(scoreSelfTest({ ...FINE, uploadKbps: null })).toEqual({ score: 'ok', advice: ['speedUnknown'] });
  });

  it('lists the serious problems first', () => {
    const verdict = scoreSelfTest({ ...FINE, rttMs: 200, microphone: 'missing', downloadKbps: 100 });
    expect(verdict.score).toBe('bad');
    expect(verdict.advice).toEqual(['microphoneMissing', 'downloadSlow', 'rttSlow']);
  });

  it('builds a result inside the contract, rounded and bounded', () => {
    const result = selfTestResult({ ...FINE, rttMs: 12.6, uploadKbps: 99_999_999, downloadKbps: null }, 'ok');
    expect(SelfTestResultSchema.parse(result)).toEqual({
      score: 'ok',
      camera: 'ok',
      microphone: 'ok',
      speakerHeard: true,
      rttMs: 13,
      uploadKbps: 10_000_000,
      downloadKbps: null,
    });
  });

  it('has a sentence for every piece of advice in both languages', () => {
    for (const key of ADVICE_KEYS) {
      expect(typeof kioskFlowZhCN.advice[key]).toBe('string');
      expect(typeof kioskFlowEn.advice[key]).toBe('string');
    }
  });
});

describe('device checks', () => {
  const opened = { ready: true, error: null, hasVideoTrack: true, hasAudioTrack: true, gaveUp: false };

  it('reads a refused permission as blocked and any other failure as missing', () => {
    expect(deviceChecks({ ...opened, ready: false, error: 'NotAllowedError' })).toEqual({
      camera: 'blocked',
      microphone: 'blocked',
    });
    expect(deviceChecks({ ...opened, ready: false, error: 'NotFoundError' })).toEqual({
      camera: 'missing',
      microphone: 'missing',
    });
  });

  it('waits while the browser opens the devices, then gives up', () => {
    expect(deviceChecks({ ...opened, ready: false })).toEqual({ camera: 'pending', microphone: 'pending' });
    expect(deviceChecks({ ...opened, ready: false, gaveUp: true })).toEqual({
      camera: 'missing',
      microphone: 'missing',
    });
  });

  it('checks each track once the devices are open', () => {
    expect(deviceChecks(opened)).toEqual({ camera: 'ok', microphone: 'ok' });
    expect(deviceChecks({ ...opened, hasVideoTrack: false })).toEqual({ camera: 'missing', microphone: 'ok' });
  });

  it('says when a chosen device was replaced by the default, which works but wants the operator', () => {
    const checks = deviceChecks({ ...opened, fallback: ['camera'] });
    expect(checks).toEqual({ camera: 'fallback', microphone: 'ok' });
    expect(scoreSelfTest({ ...FINE, camera: 'fallback' })).toEqual({ score: 'ok', advice: ['cameraFallback'] });
    expect(scoreSelfTest({ ...FINE, microphone: 'fallback', speakerHeard: false })).toEqual({
      score: 'bad',
      advice: ['speakerNotHeard', 'microphoneFallback'],
    });
    expect(selfTestResult({ ...FINE, camera: 'fallback' }, 'ok').camera).toBe('fallback');
  });
});
