import { levelFromSamples } from './audioLevel.js';
import { kioskAudioContext } from './kioskAudio.js';

/**
 * The loudness of one audio track (a microphone, a remote participant's voice), read on demand from a
 * WebAudio AnalyserNode. Closing disconnects it; the track itself belongs to its owner and stays open.
 */
export class AudioMeter {
  readonly #source: MediaStreamAudioSourceNode;
  readonly #analyser: AnalyserNode;
  readonly #samples: Float32Array<ArrayBuffer>;
  #closed = false;

  constructor(track: MediaStreamTrack) {
    if (track.kind !== 'audio') throw new TypeError('an AudioMeter measures an audio track');
    const context = kioskAudioContext();
    this.#source = context.createMediaStreamSource(new MediaStream([track]));
    this.#analyser = context.createAnalyser();
    this.#analyser.fftSize = 1024;
    this.#samples = new Float32Array(this.#analyser.fftSize);
    this.#source.connect(this.#analyser);
  }

  /** The current loudness, 0 (silence) to 1 (full scale). */
  level(): number {
    if (this.#closed) return 0;
    this.#analyser.getFloatTimeDomainData(this.#samples);
    return levelFromSamples(this.#samples);
  }

  /** Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#source.disconnect();
    this.#analyser.disconnect();
  }
}
