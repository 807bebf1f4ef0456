import { useSyncExternalStore } from 'react';

/** The pages of the web UI; the URL is the state, so a reload returns to the same page. */
export type Route =
  | { page: 'start' }
  | { page: 'login' }
  | { page: 'judge' }
  | { page: 'clerk' }
  | { page: 'admin' }
  | { page: 'kiosk' }
  | { page: 'hearing'; hearingId: string; participantId: string }
  /** The judge's and the clerk's playback of a hearing's recording. */
  | { page: 'recording'; hearingId: string }
  /** A villager's hearing at the kiosk, from the self-test to the signed transcript. */
  | { page: 'kioskHearing'; hearingId: string; participantId: string };

const HEARING_PATH = /^\/hearing\/([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{1,64})\/?$/;
const RECORDING_PATH = /^\/hearings\/([A-Za-z0-9_-]{1,64})\/recording\/?$/;
const KIOSK_HEARING_PATH = /^\/kiosk\/hearing\/([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{1,64})\/?$/;
const PAGES: Record<string, Route> = {
  '/login': { page: 'login' },
  '/judge': { page: 'judge' },
  '/clerk': { page: 'clerk' },
  '/admin': { page: 'admin' },
  '/kiosk': { page: 'kiosk' },
};

export function parseRoute(pathname: string): Route {
  const match = HEARING_PATH.exec(pathname);
  if (match?.[1] && match[2]) return { page: 'hearing', hearingId: match[1], participantId: match[2] };
  const recording = RECORDING_PATH.exec(pathname);
  if (recording?.[1]) return { page: 'recording', hearingId: recording[1] };
  const kiosk = KIOSK_HEARING_PATH.exec(pathname);
  if (kiosk?.[1] && kiosk[2]) return { page: 'kioskHearing', hearingId: kiosk[1], participantId: kiosk[2] };
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return PAGES[path] ?? { page: 'start' };
}

export function hearingPath(hearingId: string, participantId: string): string {
  return `/hearing/${encodeURIComponent(hearingId)}/${encodeURIComponent(participantId)}`;
}

export function recordingPath(hearingId: string): string {
  return `/hearings/${encodeURIComponent(hearingId)}/recording`;
}

export function kioskHearingPath(hearingId: string, participantId: string): string {
  return `/kiosk/hearing/${encodeURIComponent(hearingId)}/${encodeURIComponent(participantId)}`;
}

const listeners = new Set<() => void>();

/** Client-side navigation: keeps the user activation of the click, so remote audio may autoplay. */
export function navigate(path: string): void {
  window.history.pushState(null, '', `${path}${window.location.search}`);
  for (const listener of listeners) listener();
}

/** Navigation that replaces the current entry (a redirect: Back should not return to it). */
export function redirect(path: string): void {
  window.history.replaceState(null, '', `${path}${window.location.search}`);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}
