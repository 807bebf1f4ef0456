import { applySinkId } from '../../services/mediaDevices.js';

/*
 * The kiosk's one AudioContext (level meters, "who is speaking", the speaker test tone). Browsers start
 * an AudioContext suspended until the page is touched; it is resumed at the next touch or key press.
 */

let shared: AudioContext | null = null;

function resume(): void {
  if (shared?.state === 'suspended') void shared.resume().catch(() => undefined);
}

/** The shared AudioContext, created on first use. */
export function kioskAudioContext(): AudioContext {
  if (!shared || shared.state === 'closed') {
    shared = new AudioContext();
    window.addEventListener('pointerdown', resume, { passive: true });
    window.addEventListener('keydown', resume);
  }
  resume();
  return shared;
}

/**
 * Plays the speaker test tone (a soft 440 Hz beep of `durationMs`) through the speaker `sinkId` ('':
 * the system default); resolves when it has ended.
 */
export async function playTestTone(durationMs = 1000, frequencyHz = 440, sinkId = ''): Promise<void> {
  const context = kioskAudioContext();
  await applySinkId(context, sinkId);
  await context.resume().catch(() => undefined);
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.type = 'sine';
  oscillator.frequency.value = frequencyHz;
  const start = context.currentTime + 0.05;
  const end = start + durationMs / 1000;
  // Fade in and out: a hard start or stop clicks in the speaker.
  gain.gain.setValueAtTime(0, start);
  gain.gain.linearRampToValueAtTime(0.4, start + 0.05);
  gain.gain.setValueAtTime(0.4, end - 0.05);
  gain.gain.linearRampToValueAtTime(0, end);
  oscillator.connect(gain).connect(context.destination);
  await new Promise<void>((resolve) => {
    oscillator.onended = () => resolve();
    oscillator.start(start);
    oscillator.stop(end);
    // A suspended context never ends the tone: don't leave the screen waiting for it.
    window.setTimeout(resolve, durationMs + 1000);
  });
  oscillator.disconnect();
  gain.disconnect();
}
