import { useEffect, useState } from 'react';
import { DESKTOP_API_GLOBAL, type DesktopApi, type DesktopState, DesktopStateSchema } from '../../../shared/desktop.js';

/*
 * The desktop shell's preload API, as the renderer sees it. In a browser there is none and the web app
 * works as it always did; in the Electron kiosk or judge app the preload installs `window.courtDesktop`.
 */

declare global {
  interface Window {
    [DESKTOP_API_GLOBAL]?: DesktopApi;
  }
}

/** The shell's API, or null when the app runs in a plain browser. */
export function desktopApi(): DesktopApi | null {
  return window[DESKTOP_API_GLOBAL] ?? null;
}

/** The shell's state as it crossed the process boundary: parsed, never trusted as is. */
function parseState(value: unknown): DesktopState | null {
  const parsed = DesktopStateSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * The shell's state, kept current through `onStateChanged`: null in a browser, and null in the shell
 * until the first answer of `getState()` (see `desktopApi()` to tell the two apart).
 */
export function useDesktopState(): DesktopState | null {
  const [state, setState] = useState<DesktopState | null>(null);
  useEffect(() => {
    const api = desktopApi();
    if (!api) return;
    let live = true;
    const stop = api.onStateChanged((next) => {
      const parsed = parseState(next);
      if (live && parsed) setState(parsed);
    });
    api
      .getState()
      .then((answer) => {
        const parsed = answer.ok ? parseState(answer.data) : null;
        // A push may have arrived first; keep the newer one.
        if (live && parsed) setState((current) => current ?? parsed);
      })
      .catch(() => undefined);
    return () => {
      live = false;
      stop();
    };
  }, []);
  return state;
}
