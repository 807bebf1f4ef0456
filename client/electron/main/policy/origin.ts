/**
 * Origin comparison for the shell's trust decisions: scheme, host and port must all be equal.
 *
 * Trusted app origins are http(s) (the renderer is the React app served by the court server, loaded
 * from the configured server address) or the shell's own privileged `app:` scheme (the bundled
 * provisioning screen shown before any server is known). `file:` is never trusted: every local file
 * shares the opaque origin "null", so trusting one would trust them all. Anything unparsable is refused.
 */
const TRUSTED_SCHEMES = new Set(['https:', 'http:', 'app:']);

export interface ParsedOrigin {
  scheme: string;
  host: string;
  port: string;
}

/** scheme/host/port of `url`, or null when it is not a trusted-scheme URL. Default ports read as ''. */
export function parseOrigin(url: string): ParsedOrigin | null {
  if (typeof url !== 'string' || url.length > 8192) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!TRUSTED_SCHEMES.has(parsed.protocol) || parsed.hostname === '') return null;
  return { scheme: parsed.protocol, host: parsed.hostname, port: parsed.port };
}

/** True only when both parse and their scheme, host and port are equal. */
export function isSameOrigin(url: string, appOrigin: string): boolean {
  const a = parseOrigin(url);
  const b = parseOrigin(appOrigin);
  return a !== null && b !== null && a.scheme === b.scheme && a.host === b.host && a.port === b.port;
}

/** The bundled provisioning screen's origin (a privileged, standard, secure custom scheme). */
export const SHELL_ORIGIN = 'app://shell';
