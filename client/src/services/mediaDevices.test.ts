import { describe, expect, it } from 'vitest';
import {
  applySinkId,
  captureConstraints,
  documentConstraints,
  type InputChoice,
  inputStatus,
  isDeviceGone,
  openAttempts,
  openChosenMedia,
  SINK_RETRY_DELAYS_MS,
  sinkIdOf,
  sinkRetryDelay,
} from './mediaDevices.js';

const BASE = { video: { width: { ideal: 1280 } }, audio: { echoCancellation: true } };

/** An error as getUserMedia rejects with (a DOMException has a name). */
const failure = (name: string) => Object.assign(new Error(name), { name });

/**
 * A machine's cameras and microphones as getUserMedia sees them: the first of each is the default; an
 * exact device id that is not plugged in fails as the browser fails it. Answers which devices opened.
 */
function machine(devices: { cameras: string[]; microphones: string[]; permission?: 'denied' }) {
  const opened: Array<{ camera: string; microphone: string }> = [];
  const pick = (constraints: MediaStreamConstraints['video'], plugged: string[]): string => {
    const wanted = typeof constraints === 'object' ? constraints.deviceId : undefined;
    const exact = typeof wanted === 'object' && !Array.isArray(wanted) ? wanted.exact : undefined;
    if (typeof exact === 'string') {
      if (!plugged.includes(exact)) throw failure('OverconstrainedError');
      return exact;
    }
    const fallback = plugged[0];
    if (!fallback) throw failure('NotFoundError');
    return fallback;
  };
  const getUserMedia = async (constraints: MediaStreamConstraints) => {
    if (devices.permission === 'denied') throw failure('NotAllowedError');
    const stream = {
      camera: pick(constraints.video, devices.cameras),
      microphone: pick(constraints.audio, devices.microphones),
    };
    opened.push(stream);
    return stream;
  };
  return { getUserMedia, opened };
}

describe('opening the chosen camera and microphone', () => {
  it('opens exactly the chosen devices when they are there', async () => {
    const kiosk = machine({ cameras: ['builtin', 'usb-cam'], microphones: ['builtin-mic', 'usb-mic'] });
    const result = await openChosenMedia(kiosk.getUserMedia, { camera: 'usb-cam', microphone: 'usb-mic' }, BASE);
    expect(result).toEqual({ stream: { camera: 'usb-cam', microphone: 'usb-mic' }, fallback: [] });
  });

  it('falls back to the default for a chosen device that is gone, keeping the one that is there', async () => {
    const kiosk = machine({ cameras: ['builtin', 'usb-cam'], microphones: ['builtin-mic'] });
    const micGone = await openChosenMedia(kiosk.getUserMedia, { camera: 'usb-cam', microphone: 'unplugged' }, BASE);
    expect(micGone).toEqual({ stream: { camera: 'usb-cam', microphone: 'builtin-mic' }, fallback: ['microphone'] });
    const cameraGone = await openChosenMedia(
      kiosk.getUserMedia,
      { camera: 'unplugged', microphone: 'builtin-mic' },
      BASE,
    );
    expect(cameraGone).toEqual({ stream: { camera: 'builtin', microphone: 'builtin-mic' }, fallback: ['camera'] });
    const bothGone = await openChosenMedia(kiosk.getUserMedia, { camera: 'old-cam', microphone: 'old-mic' }, BASE);
    expect(bothGone).toEqual({
      stream: { camera: 'builtin', microphone: 'builtin-mic' },
      fallback: ['camera', 'microphone'],
    });
  });

  it('uses the defaults without a choice, and reports no fallback', async () => {
    const kiosk = machine({ cameras: ['builtin'], microphones: ['builtin-mic'] });
    expect(await openChosenMedia(kiosk.getUserMedia, { camera: null, microphone: null }, BASE)).toEqual({
      stream: { camera: 'builtin', microphone: 'builtin-mic' },
      fallback: [],
    });
    expect(kiosk.opened).toHaveLength(1);
  });

  it('does not switch devices over a refused permission, and fails when even the default is missing', async () => {
    const denied = machine({ cameras: ['builtin'], microphones: ['builtin-mic'], permission: 'denied' });
    await expect(
      openChosenMedia(denied.getUserMedia, { camera: 'builtin', microphone: null }, BASE),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    const noCamera = machine({ cameras: [], microphones: ['builtin-mic'] });
    await expect(
      openChosenMedia(noCamera.getUserMedia, { camera: 'usb-cam', microphone: null }, BASE),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('tries the chosen devices first, the picture last given up, each combination once', () => {
    const both: InputChoice = { camera: 'c', microphone: 'm' };
    expect(openAttempts(both)).toEqual([
      { camera: 'c', microphone: 'm' },
      { camera: 'c', microphone: null },
      { camera: null, microphone: 'm' },
      { camera: null, microphone: null },
    ]);
    expect(openAttempts({ camera: 'c', microphone: null })).toEqual([
      { camera: 'c', microphone: null },
      { camera: null, microphone: null },
    ]);
    expect(openAttempts({ camera: null, microphone: null })).toEqual([{ camera: null, microphone: null }]);
  });

  it('asks for a chosen device exactly and keeps the other constraints', () => {
    expect(captureConstraints({ camera: 'c', microphone: null }, BASE)).toEqual({
      video: { width: { ideal: 1280 }, deviceId: { exact: 'c' } },
      audio: { echoCancellation: true },
    });
    expect(documentConstraints('doc')).toMatchObject({ audio: false, video: { deviceId: { exact: 'doc' } } });
  });

  it('tells a missing device from other failures', () => {
    expect(isDeviceGone(failure('OverconstrainedError'))).toBe(true);
    expect(isDeviceGone(failure('NotFoundError'))).toBe(true);
    expect(isDeviceGone(failure('NotAllowedError'))).toBe(false);
    expect(isDeviceGone(failure('NotReadableError'))).toBe(false);
    expect(isDeviceGone('OverconstrainedError')).toBe(false);
  });
});

describe('how an input reads to the court', () => {
  const live = { readyState: 'live' };
  it('is blocked, missing, a fallback, or fine', () => {
    expect(inputStatus({ error: 'NotAllowedError', track: undefined, fellBack: false })).toBe('blocked');
    expect(inputStatus({ error: 'NotFoundError', track: undefined, fellBack: false })).toBe('missing');
    expect(inputStatus({ error: null, track: { readyState: 'ended' }, fellBack: false })).toBe('missing');
    expect(inputStatus({ error: null, track: live, fellBack: true })).toBe('fallback');
    expect(inputStatus({ error: null, track: live, fellBack: false })).toBe('ok');
  });
});

describe('the chosen speaker', () => {
  /** A media element of a browser that can choose the output device; `broken` ones refuse. */
  const element = (broken = false) => {
    const target = {
      sinkId: '',
      async setSinkId(id: string) {
        if (broken) throw failure('NotFoundError');
        target.sinkId = id;
      },
    };
    return target;
  };

  it('plays through the chosen speaker, or the default without a choice', async () => {
    const audio = element();
    expect(await applySinkId(audio, sinkIdOf('speaker-2'))).toBe('applied');
    expect(audio.sinkId).toBe('speaker-2');
    expect(await applySinkId(audio, sinkIdOf('speaker-2'))).toBe('unchanged');
    expect(await applySinkId(audio, sinkIdOf(null))).toBe('applied');
    expect(audio.sinkId).toBe('');
  });

  it('tries a refused speaker choice again a few times, then leaves the sound on the default', () => {
    expect(sinkRetryDelay('failed', 0)).toBe(SINK_RETRY_DELAYS_MS[0]);
    expect(sinkRetryDelay('failed', SINK_RETRY_DELAYS_MS.length - 1)).toBe(SINK_RETRY_DELAYS_MS.at(-1));
    expect(sinkRetryDelay('failed', SINK_RETRY_DELAYS_MS.length)).toBeNull();
    for (const outcome of ['applied', 'unchanged', 'unsupported'] as const)
      expect(sinkRetryDelay(outcome, 0)).toBeNull();
  });

  it('never breaks playback: no setSinkId, or a speaker that cannot be used, leaves the sound where it was', async () => {
    expect(await applySinkId({}, 'speaker-2')).toBe('unsupported');
    const audio = element(true);
    expect(await applySinkId(audio, 'gone')).toBe('failed');
    expect(audio.sinkId).toBe('');
  });
});
