import { useEffect, useState } from 'react';
import type { HearingSession, RemoteView } from '../../services/HearingSession.js';
import { AudioMeter } from './AudioMeter.js';
import { NO_SPEAKER, nextSpeaker, type SpeakerState } from './audioLevel.js';

/** How often levels are read: often enough for a lively meter, rarely enough for an old kiosk. */
const SAMPLE_MS = 100;

/** The live loudness (0–1) of `track`, and the loudest it has been since it was opened. */
export function useTrackLevel(track: MediaStreamTrack | null): { level: number; peak: number } {
  const [reading, setReading] = useState({ level: 0, peak: 0 });
  useEffect(() => {
    setReading({ level: 0, peak: 0 });
    if (!track) return;
    let meter: AudioMeter;
    try {
      meter = new AudioMeter(track);
    } catch {
      return; // no WebAudio: the meter stays at zero and the score says nothing about it
    }
    const timer = window.setInterval(() => {
      const level = meter.level();
      setReading((previous) => ({ level, peak: Math.max(previous.peak, level) }));
    }, SAMPLE_MS);
    return () => {
      window.clearInterval(timer);
      meter.close();
    };
  }, [track]);
  return reading;
}

/**
 * The participant speaking now among `remotes` (by WebAudio levels of their received audio), or null.
 * Meters are rebuilt when someone's audio track changes.
 */
export function useSpeaker(session: HearingSession | null, remotes: readonly RemoteView[]): string | null {
  const [speaker, setSpeaker] = useState<string | null>(null);
  // The audible remotes and their current audio tracks, as a key: the effect reruns when it changes.
  const audible = remotes
    .filter((r) => r.hasAudio && !r.audioMuted)
    .map((r) => {
      const track = session?.remoteStream(r.participant.id)?.getAudioTracks()[0];
      return track ? `${r.participant.id}=${track.id}` : '';
    })
    .filter((entry) => entry !== '')
    .join(',');

  useEffect(() => {
    setSpeaker(null);
    if (!session || audible === '') return;
    const meters = new Map<string, AudioMeter>();
    for (const entry of audible.split(',')) {
      const [id, trackId] = entry.split('=');
      const track = id
        ? session
            .remoteStream(id)
            ?.getAudioTracks()
            .find((t) => t.id === trackId)
        : undefined;
      if (!id || !track) continue;
      try {
        meters.set(id, new AudioMeter(track));
      } catch {
        /* no WebAudio: nobody is highlighted */
      }
    }
    let state: SpeakerState = NO_SPEAKER;
    const timer = window.setInterval(() => {
      const levels = [...meters].map(([id, meter]) => ({ id, level: meter.level() }));
      state = nextSpeaker(state, levels, performance.now());
      setSpeaker(state.speaker);
    }, SAMPLE_MS * 2);
    return () => {
      window.clearInterval(timer);
      for (const meter of meters.values()) meter.close();
    };
  }, [session, audible]);
  return speaker;
}
