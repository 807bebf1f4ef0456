import {
  type DeviceStatus,
  QUALITY_LIMITS,
  type QualityGrade,
  type SelfTestResult,
  SelfTestResultSchema,
} from '../../../../shared/floor.js';
import type { InputKind } from '../../services/mediaDevices.js';

/*
 * The kiosk's self-test verdict: from what the devices, the villager's ear and the network probe said
 * to one grade (good / ok / bad) and the plain advice to show. Pure, so the rules are tested without
 * a browser; the screen only measures and renders.
 */

/** What the self-test measured. Null network values: that probe got no answer. */
export interface SelfTestInput {
  camera: DeviceStatus;
  microphone: DeviceStatus;
  /** The villager (or the operator) answered "yes" to "did you hear the tone?". */
  speakerHeard: boolean;
  rttMs: number | null;
  uploadKbps: number | null;
  downloadKbps: number | null;
}

/**
 * Thresholds of the network probe. RTT follows the in-hearing quality grades; the bitrates are what a
 * 720p camera (~1 Mbit/s up) and the judge's picture plus a second party (~1.5 Mbit/s down) need, and
 * the floor below which video becomes a slideshow.
 */
export const SELFTEST_LIMITS = {
  good: { rttMs: QUALITY_LIMITS.good.rttMs, uploadKbps: 1000, downloadKbps: 1500 },
  ok: { rttMs: QUALITY_LIMITS.ok.rttMs, uploadKbps: 300, downloadKbps: 500 },
} as const;

/** Every piece of advice the self-test can give; each has a sentence under `kioskFlow.advice.`. */
export const ADVICE_KEYS = [
  'cameraBlocked',
  'cameraMissing',
  'microphoneBlocked',
  'microphoneMissing',
  'cameraFallback',
  'microphoneFallback',
  'speakerNotHeard',
  'networkUnreachable',
  'rttSlow',
  'uploadSlow',
  'downloadSlow',
  'speedUnknown',
  'allGood',
] as const;
export type AdviceKey = (typeof ADVICE_KEYS)[number];

export interface SelfTestVerdict {
  score: QualityGrade;
  /** Most serious first; `allGood` alone when there is nothing to fix. */
  advice: AdviceKey[];
}

const RANK: Record<QualityGrade, number> = { good: 0, ok: 1, bad: 2 };

/** Grades a measured value where higher is better (a bitrate). */
function gradeAtLeast(value: number, ok: number, good: number): QualityGrade {
  if (value >= good) return 'good';
  return value >= ok ? 'ok' : 'bad';
}

/** The grade and advice of one self-test run. */
export function scoreSelfTest(input: SelfTestInput): SelfTestVerdict {
  const findings: Array<{ grade: QualityGrade; advice: AdviceKey }> = [];
  const add = (grade: QualityGrade, advice: AdviceKey) => findings.push({ grade, advice });

  // The court must see and hear the villager, and the villager must hear the court.
  if (input.camera === 'blocked') add('bad', 'cameraBlocked');
  if (input.camera === 'missing') add('bad', 'cameraMissing');
  if (input.microphone === 'blocked') add('bad', 'microphoneBlocked');
  if (input.microphone === 'missing') add('bad', 'microphoneMissing');
  // Seen and heard through the system default: the hearing can go on, the operator should re-choose.
  if (input.camera === 'fallback') add('ok', 'cameraFallback');
  if (input.microphone === 'fallback') add('ok', 'microphoneFallback');
  if (!input.speakerHeard) add('bad', 'speakerNotHeard');

  if (input.rttMs === null) {
    add('bad', 'networkUnreachable');
  } else {
    const rtt: QualityGrade =
      input.rttMs <= SELFTEST_LIMITS.good.rttMs ? 'good' : input.rttMs <= SELFTEST_LIMITS.ok.rttMs ? 'ok' : 'bad';
    if (rtt !== 'good') add(rtt, 'rttSlow');
    if (input.uploadKbps !== null) {
      const up = gradeAtLeast(input.uploadKbps, SELFTEST_LIMITS.ok.uploadKbps, SELFTEST_LIMITS.good.uploadKbps);
      if (up !== 'good') add(up, 'uploadSlow');
    }
    if (input.downloadKbps !== null) {
      const down = gradeAtLeast(input.downloadKbps, SELFTEST_LIMITS.ok.downloadKbps, SELFTEST_LIMITS.good.downloadKbps);
      if (down !== 'good') add(down, 'downloadSlow');
    }
    // The server answered but a bitrate could not be measured: not a reason to stop, but not "good".
    if (input.uploadKbps === null || input.downloadKbps === null) add('ok', 'speedUnknown');
  }

  if (findings.length === 0) return { score: 'good', advice: ['allGood'] };
  const ordered = [...findings].sort((a, b) => RANK[b.grade] - RANK[a.grade]);
  const score = ordered[0]?.grade ?? 'good';
  return { score, advice: ordered.map((f) => f.advice) };
}

/** The result sent with 'floor:ready', rounded and held inside the contract's bounds. */
export function selfTestResult(input: SelfTestInput, score: QualityGrade): SelfTestResult {
  const bounded = (value: number | null, max: number) =>
    value === null || !Number.isFinite(value) ? null : Math.min(max, Math.max(0, Math.round(value)));
  return SelfTestResultSchema.parse({
    score,
    camera: input.camera,
    microphone: input.microphone,
    speakerHeard: input.speakerHeard,
    rttMs: bounded(input.rttMs, 60_000),
    uploadKbps: bounded(input.uploadKbps, 10_000_000),
    downloadKbps: bounded(input.downloadKbps, 10_000_000),
  });
}

/** What the browser said about opening camera and microphone, as the session's snapshot reports it. */
export interface LocalMediaFacts {
  /** getUserMedia succeeded. */
  ready: boolean;
  /** The DOMException name when it failed (NotAllowedError, NotFoundError…). */
  error: string | null;
  hasVideoTrack: boolean;
  hasAudioTrack: boolean;
  /** Waited long enough: a device still not open counts as missing. */
  gaveUp: boolean;
  /** Chosen devices that were not there: the system default was opened instead. */
  fallback?: readonly InputKind[];
}

export type DeviceCheck = DeviceStatus | 'pending';

/** Camera and microphone status for the self-test, 'pending' while the browser is still opening them. */
export function deviceChecks(media: LocalMediaFacts): { camera: DeviceCheck; microphone: DeviceCheck } {
  if (media.error === 'NotAllowedError' || media.error === 'SecurityError') {
    return { camera: 'blocked', microphone: 'blocked' };
  }
  if (media.error !== null) return { camera: 'missing', microphone: 'missing' };
  if (!media.ready) {
    const waiting: DeviceCheck = media.gaveUp ? 'missing' : 'pending';
    return { camera: waiting, microphone: waiting };
  }
  const opened = (kind: InputKind): DeviceCheck => (media.fallback?.includes(kind) ? 'fallback' : 'ok');
  return {
    camera: media.hasVideoTrack ? opened('camera') : 'missing',
    microphone: media.hasAudioTrack ? opened('microphone') : 'missing',
  };
}
