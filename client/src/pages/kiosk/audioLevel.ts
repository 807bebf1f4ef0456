/*
 * Loudness of an audio signal and "who is speaking", as pure functions over sample frames and levels
 * so that the thresholds are tested without WebAudio. AudioMeter feeds them from an AnalyserNode.
 */

/** The quietest level shown (dBFS); anything below reads as silence. */
const FLOOR_DB = -60;

/** A 0–1 loudness of one frame of samples (-1…1): its RMS on a -60…0 dBFS scale. */
export function levelFromSamples(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] ?? 0;
    sum += s * s;
  }
  const rms = Math.sqrt(sum / samples.length);
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db - FLOOR_DB) / -FLOOR_DB));
}

/** A level above this starts someone speaking (about -39 dBFS); below `STOP` they may stop. */
export const SPEAKING_START = 0.35;
export const SPEAKING_STOP = 0.25;
/** The speaker stays highlighted this long after going quiet, so pauses between words don't flicker. */
export const SPEAKING_HOLD_MS = 800;

export interface SpeakerState {
  speaker: string | null;
  /** When the current speaker was last heard above SPEAKING_STOP. */
  lastHeardMs: number;
}

export const NO_SPEAKER: SpeakerState = { speaker: null, lastHeardMs: 0 };

/**
 * Who is speaking after one look at everyone's level: the current speaker keeps the floor while heard
 * (or within the hold time), otherwise the loudest one above SPEAKING_START takes it.
 */
export function nextSpeaker(
  state: SpeakerState,
  levels: ReadonlyArray<{ id: string; level: number }>,
  nowMs: number,
): SpeakerState {
  const current = state.speaker === null ? undefined : levels.find((l) => l.id === state.speaker);
  if (current && current.level >= SPEAKING_STOP) return { speaker: current.id, lastHeardMs: nowMs };
  let loudest: { id: string; level: number } | undefined;
  for (const entry of levels) {
    if (entry.level >= SPEAKING_START && (!loudest || entry.level > loudest.level)) loudest = entry;
  }
  if (loudest) return { speaker: loudest.id, lastHeardMs: nowMs };
  if (current && nowMs - state.lastHeardMs < SPEAKING_HOLD_MS) return state;
  return NO_SPEAKER;
}
