import type { DeviceStatus } from '../../../shared/floor.js';

/*
 * The kiosk's chosen devices (the site operator picks them in the shell's operator menu) as the
 * browser's media calls need them, as small pure decisions: which getUserMedia attempts to make and
 * when to give a chosen device up for the system default, how a device's state reads, and how a
 * speaker choice is applied to a media element. The session and the screens only carry them out.
 */

/** The inputs a kiosk opens for the hearing; the document camera is opened apart, on the judge's request. */
export type InputKind = 'camera' | 'microphone';

export const INPUT_KINDS: readonly InputKind[] = ['camera', 'microphone'];

/** A MediaDeviceInfo.deviceId per input; null: the system default. */
export interface InputChoice {
  camera: string | null;
  microphone: string | null;
}

/**
 * The getUserMedia attempts for a choice, best first: both chosen devices; then the microphone given
 * up for the default (the picture matters most to the court); then the camera; then both. Only chosen
 * devices are ever given up, so a choice of defaults is one attempt.
 */
export function openAttempts(choice: InputChoice): InputChoice[] {
  const attempts: InputChoice[] = [
    choice,
    { camera: choice.camera, microphone: null },
    { camera: null, microphone: choice.microphone },
    { camera: null, microphone: null },
  ];
  const seen = new Set<string>();
  return attempts.filter((a) => {
    const key = `${a.camera ?? ''}\u0000${a.microphone ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Whether getUserMedia failed because a requested device is not there (unplugged, replaced, another
 * machine's id): then the default is tried. A refused permission or a device in use is no reason to
 * switch devices.
 */
export function isDeviceGone(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null && 'name' in error ? error.name : null;
  return name === 'OverconstrainedError' || name === 'NotFoundError';
}

/** What getUserMedia is asked for in one attempt: the chosen device exactly, or the default. */
export function captureConstraints(
  attempt: InputChoice,
  base: { video: MediaTrackConstraints; audio: MediaTrackConstraints },
): MediaStreamConstraints {
  const pick = (deviceId: string | null, constraints: MediaTrackConstraints): MediaTrackConstraints =>
    deviceId === null ? constraints : { ...constraints, deviceId: { exact: deviceId } };
  return { video: pick(attempt.camera, base.video), audio: pick(attempt.microphone, base.audio) };
}

/** The chosen inputs that an attempt gives up (chosen, but opened as the default). */
export function givenUp(choice: InputChoice, attempt: InputChoice): InputKind[] {
  return INPUT_KINDS.filter((kind) => choice[kind] !== null && attempt[kind] === null);
}

export interface OpenedMedia<S = MediaStream> {
  stream: S;
  /** Chosen inputs that were not there: the system default is used instead. */
  fallback: InputKind[];
}

/**
 * Opens camera and microphone as chosen; a chosen device that is gone is replaced by the system
 * default rather than leaving the villager unseen or unheard. Rejects with the browser's error when
 * even the defaults cannot be opened, or at once when the failure is not a missing device.
 */
export async function openChosenMedia<S = MediaStream>(
  getUserMedia: (constraints: MediaStreamConstraints) => Promise<S>,
  choice: InputChoice,
  base: { video: MediaTrackConstraints; audio: MediaTrackConstraints },
): Promise<OpenedMedia<S>> {
  const attempts = openAttempts(choice);
  let lastError: unknown = null;
  for (const [index, attempt] of attempts.entries()) {
    try {
      const stream = await getUserMedia(captureConstraints(attempt, base));
      return { stream, fallback: givenUp(choice, attempt) };
    } catch (error) {
      lastError = error;
      if (!isDeviceGone(error) || index === attempts.length - 1) throw error;
    }
  }
  throw lastError;
}

/**
 * What the document camera is opened with: that device exactly, video only. It is never replaced by
 * another camera: the villager's face shown as evidence would mislead the court.
 */
export function documentConstraints(deviceId: string): MediaStreamConstraints {
  return {
    audio: false,
    video: {
      deviceId: { exact: deviceId },
      // Documents need detail more than motion.
      width: { ideal: 1920 },
      height: { ideal: 1080 },
      frameRate: { ideal: 15 },
    },
  };
}

/** How an input reads in the reports to the court, from what opening it gave. */
export function inputStatus(facts: {
  /** The DOMException name when opening failed. */
  error: string | null;
  /** The input's track, if one was opened. */
  track: { readyState: string } | undefined;
  /** The chosen device was gone and the default was opened. */
  fellBack: boolean;
}): DeviceStatus {
  if (facts.error === 'NotAllowedError' || facts.error === 'SecurityError') return 'blocked';
  if (!facts.track || facts.track.readyState === 'ended') return 'missing';
  return facts.fellBack ? 'fallback' : 'ok';
}

// --- The speaker ---------------------------------------------------------------------------------

/** The sink id that plays through the chosen speaker: '' is the system default. */
export function sinkIdOf(speaker: string | null): string {
  return speaker ?? '';
}

export type SinkOutcome = 'applied' | 'unchanged' | 'unsupported' | 'failed';

/**
 * Plays a media element or an AudioContext through the chosen speaker where the browser can choose
 * one (`setSinkId`: Chromium, Electron; feature-detected, as the DOM types do not know it on an
 * AudioContext). Never throws: a speaker that cannot be chosen (gone, not allowed) leaves the sound
 * where it was rather than silencing it.
 */
export async function applySinkId(target: object, sinkId: string): Promise<SinkOutcome> {
  const setSinkId: unknown = Reflect.get(target, 'setSinkId');
  if (typeof setSinkId !== 'function') return 'unsupported';
  // A string on media elements; on an AudioContext a string, or an object for "no output".
  const current: unknown = Reflect.get(target, 'sinkId');
  if ((typeof current === 'string' ? current : null) === sinkId) return 'unchanged';
  try {
    await setSinkId.call(target, sinkId);
    return 'applied';
  } catch {
    return 'failed';
  }
}

/** How often a speaker choice that failed is tried again, and how long to wait before each try. */
export const SINK_RETRY_DELAYS_MS = [300, 1_000, 2_000, 4_000, 8_000] as const;

/**
 * When to try a speaker choice again after `attempt` (0: the first) ended in `outcome`, or null to
 * leave it. Chromium refuses (AbortError) while an element's audio output is still being set up, as
 * when a participant's tile has just appeared; a speaker that is really gone keeps failing, and after
 * the last try the sound stays on the default one.
 */
export function sinkRetryDelay(outcome: SinkOutcome, attempt: number): number | null {
  if (outcome !== 'failed') return null;
  return SINK_RETRY_DELAYS_MS[attempt] ?? null;
}
