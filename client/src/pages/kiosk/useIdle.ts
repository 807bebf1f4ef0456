import { useEffect, useRef, useState } from 'react';

/** A check-in screen left untouched this long returns to the welcome screen, for the next villager. */
export const KIOSK_IDLE_MS = 2 * 60 * 1000;
/** The self-test: longer, as the operator may be talking the villager through it. */
export const SELFTEST_IDLE_MS = 5 * 60 * 1000;
/** The transcript, while nobody has touched it yet (once read, it never times out). */
export const TRANSCRIPT_IDLE_MS = 10 * 60 * 1000;
/** The thank-you screen after signing. */
export const THANKS_MS = 20 * 1000;

const TOUCHES = ['pointerdown', 'keydown', 'touchstart', 'wheel'] as const;

/** Calls `onIdle` when nothing was touched or typed for `ms` while `active`. */
export function useIdle(active: boolean, ms: number, onIdle: () => void): void {
  const onIdleRef = useRef(onIdle);
  onIdleRef.current = onIdle;
  useEffect(() => {
    if (!active) return;
    let timer = window.setTimeout(() => onIdleRef.current(), ms);
    const touched = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => onIdleRef.current(), ms);
    };
    for (const event of TOUCHES) window.addEventListener(event, touched, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const event of TOUCHES) window.removeEventListener(event, touched);
    };
  }, [active, ms]);
}

/** Whether the screen was touched since `active` became true (a scroll of the transcript counts). */
export function useTouched(active: boolean): boolean {
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (!active || touched) return;
    const mark = () => setTouched(true);
    for (const event of TOUCHES) window.addEventListener(event, mark, { passive: true, once: true });
    return () => {
      for (const event of TOUCHES) window.removeEventListener(event, mark);
    };
  }, [active, touched]);
  return touched;
}
