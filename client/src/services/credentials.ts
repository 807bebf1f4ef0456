import { z } from 'zod';
import { PrincipalSchema } from '../../../shared/accounts.js';

/**
 * What this browser signs in with, kept in localStorage so a reload (or a kiosk's restart) keeps it:
 * a judge's or clerk's session token, or a kiosk's device credential from enrollment. One at a time.
 */
const StoredSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), token: z.string(), expiresMs: z.number(), principal: PrincipalSchema }),
  z.object({ kind: z.literal('kiosk'), credential: z.string(), kioskId: z.string(), siteId: z.string() }),
]);
export type StoredCredentials = z.infer<typeof StoredSchema>;

const KEY = 'shared-court.credentials';
const listeners = new Set<() => void>();

/**
 * The kiosk credential the desktop shell supplies (it keeps it encrypted with safeStorage; the
 * renderer holds it in memory only). While set it is what this app signs in with; the browser's
 * localStorage is neither read nor written for it.
 */
let supplied: StoredCredentials | null = null;

export function credentials(): StoredCredentials | null {
  if (supplied) return supplied;
  try {
    const parsed = StoredSchema.safeParse(JSON.parse(localStorage.getItem(KEY) ?? 'null'));
    if (!parsed.success) return null;
    if (parsed.data.kind === 'user' && parsed.data.expiresMs <= Date.now()) return null;
    return parsed.data;
  } catch {
    return null;
  }
}

export function storeCredentials(value: StoredCredentials | null): void {
  if (value) localStorage.setItem(KEY, JSON.stringify(value));
  else localStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

/** The desktop shell's kiosk credential (null: none, e.g. after a re-provision). Browsers never call this. */
export function supplyCredentials(value: Extract<StoredCredentials, { kind: 'kiosk' }> | null): void {
  const same =
    supplied?.kind === 'kiosk' &&
    value?.credential === supplied.credential &&
    value.kioskId === supplied.kioskId &&
    value.siteId === supplied.siteId;
  if (same || (!supplied && !value)) return;
  supplied = value;
  for (const listener of listeners) listener();
}

export function onCredentialsChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The Authorization header value for the REST API, or null when signed out. */
export function authorizationHeader(): string | null {
  const stored = credentials();
  if (!stored) return null;
  return stored.kind === 'user' ? `Bearer ${stored.token}` : `Kiosk ${stored.credential}`;
}

/** What the signaling connection presents in its handshake. */
export function socketAuth(): Record<string, string> {
  const stored = credentials();
  if (!stored) return {};
  return stored.kind === 'user' ? { token: stored.token } : { kioskCredential: stored.credential };
}
