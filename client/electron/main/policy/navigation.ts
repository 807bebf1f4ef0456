import { isSameOrigin, parseOrigin } from './origin.js';

/*
 * Navigation and new windows. The window shows the app's own origin and nothing else: in-page
 * navigation within it is allowed (the React router uses pushState, but a reload or a link to
 * another path of the app is a navigation); any other origin, scheme or a `file:` URL is refused.
 * New windows are always denied and external links are never opened (no `shell.openExternal`).
 */

/** For `will-navigate`, `will-redirect` and `will-frame-navigate`: preventDefault when false. */
export function mayNavigate(url: string, appOrigin: string): boolean {
  return isSameOrigin(url, appOrigin);
}

/** For `webContents.setWindowOpenHandler`: every `window.open` / target=_blank is denied. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

/** Whether a URL may be handed to the operating system (`shell.openExternal`): never. */
export function mayOpenExternal(_url?: string): false {
  return false;
}

/**
 * The Content-Security-Policy the main process adds to every response of the app origin
 * (`session.webRequest.onHeadersReceived`), matching client/index.html's meta policy but tied to the
 * one origin instead of any ws:/wss: host:
 * - script-src 'self' with no 'unsafe-eval' / 'unsafe-inline': Vite emits module scripts only;
 * - style-src keeps 'unsafe-inline' because React components set `style={...}` attributes;
 * - connect-src: the REST API and socket.io, on the same host (ws: for http, wss: for https);
 * - media-src: MediaStream playback and recorded blobs; img-src adds data:/blob: (signature PNGs);
 * - no plugins, no base tag hijack, no framing, forms only back to the app.
 */
export function contentSecurityPolicy(appOrigin: string): string {
  const origin = parseOrigin(appOrigin);
  if (!origin || (origin.scheme !== 'https:' && origin.scheme !== 'http:' && origin.scheme !== 'app:')) {
    throw new TypeError(`contentSecurityPolicy: ${JSON.stringify(appOrigin)} is not an http(s) or app: origin`);
  }
  const hostPort = origin.port === '' ? origin.host : `${origin.host}:${origin.port}`;
  const self = `${origin.scheme}//${hostPort}`;
  const socket =
    origin.scheme === 'https:' ? `wss://${hostPort}` : origin.scheme === 'http:' ? `ws://${hostPort}` : null;
  const connect = ["'self'", self, ...(socket ? [socket] : [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `connect-src ${connect}`,
    "media-src 'self' blob: mediastream:",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "worker-src 'self' blob:",
  ].join('; ');
}
