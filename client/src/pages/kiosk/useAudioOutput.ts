import { useCallback } from 'react';
import { applySinkId, sinkIdOf, sinkRetryDelay } from '../../services/mediaDevices.js';

/**
 * A ref for the screen whose sound is the court's: every participant tile's audio element inside it
 * (those there now, and those added as people come and go) plays through the speaker the operator
 * chose. Where the browser cannot choose a speaker, or the chosen one keeps failing, the sound stays
 * on the default one.
 */
export function useAudioOutput(speakerId: string | null): (screen: HTMLElement | null) => (() => void) | undefined {
  return useCallback(
    (screen: HTMLElement | null) => {
      if (!screen) return undefined;
      const sinkId = sinkIdOf(speakerId);
      const timers = new Set<number>();
      const applyTo = (element: HTMLAudioElement, attempt: number): void => {
        void applySinkId(element, sinkId).then((outcome) => {
          const delay = sinkRetryDelay(outcome, attempt);
          if (delay === null || !element.isConnected) return;
          const timer = window.setTimeout(() => {
            timers.delete(timer);
            applyTo(element, attempt + 1);
          }, delay);
          timers.add(timer);
        });
      };
      const applyAll = () => {
        for (const element of screen.querySelectorAll('audio')) applyTo(element, 0);
      };
      applyAll();
      const observer = new MutationObserver(applyAll);
      observer.observe(screen, { childList: true, subtree: true });
      return () => {
        observer.disconnect();
        for (const timer of timers) window.clearTimeout(timer);
      };
    },
    [speakerId],
  );
}
