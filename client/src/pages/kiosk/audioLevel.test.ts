import { describe, expect, it } from 'vitest';
import { levelFromSamples, NO_SPEAKER, nextSpeaker, SPEAKING_HOLD_MS } from './audioLevel.js';

const sine = (amplitude: number, n = 480) => Array.from({ length: n }, (_, i) => amplitude * Math.sin(i / 3));

describe('level of a frame', () => {
  it('is 0 for silence and 1 for a full-scale signal', () => {
    expect(levelFromSamples([])).toBe(0);
    expect(levelFromSamples(new Array(480).fill(0))).toBe(0);
    expect(levelFromSamples(new Array(480).fill(1))).toBe(1);
  });

  it('grows with loudness on a decibel scale', () => {
    const quiet = levelFromSamples(sine(0.01));
    const speech = levelFromSamples(sine(0.1));
    expect(quiet).toBeGreaterThan(0);
    expect(speech).toBeGreaterThan(quiet);
    // -20 dB of amplitude is a third of the 60 dB scale.
    expect(speech - quiet).toBeCloseTo(1 / 3, 2);
    expect(levelFromSamples(sine(0.0001))).toBe(0);
  });
});

describe('who is speaking', () => {
  it('gives the floor to the loudest voice above the threshold', () => {
    const state = nextSpeaker(
      NO_SPEAKER,
      [
        { id: 'judge', level: 0.6 },
        { id: 'defendant', level: 0.4 },
      ],
      0,
    );
    expect(state.speaker).toBe('judge');
    expect(nextSpeaker(NO_SPEAKER, [{ id: 'judge', level: 0.1 }], 0).speaker).toBeNull();
  });

  it('keeps the speaker through short pauses and against a slightly louder voice', () => {
    const speaking = nextSpeaker(NO_SPEAKER, [{ id: 'judge', level: 0.5 }], 1000);
    const louder = nextSpeaker(
      speaking,
      [
        { id: 'judge', level: 0.3 },
        { id: 'defendant', level: 0.7 },
      ],
      1100,
    );
    expect(louder.speaker).toBe('judge');
    const pause = nextSpeaker(speaking, [{ id: 'judge', level: 0 }], 1000 + SPEAKING_HOLD_MS - 1);
    expect(pause.speaker).toBe('judge');
    expect(nextSpeaker(pause, [{ id: 'judge', level: 0 }], 1000 + SPEAKING_HOLD_MS).speaker).toBeNull();
  });

  it('hands over when the speaker goes quiet and another speaks', () => {
    const speaking = nextSpeaker(NO_SPEAKER, [{ id: 'judge', level: 0.5 }], 0);
    const next = nextSpeaker(
      speaking,
      [
        { id: 'judge', level: 0.05 },
        { id: 'plaintiff', level: 0.5 },
      ],
      100,
    );
    expect(next.speaker).toBe('plaintiff');
  });
});
