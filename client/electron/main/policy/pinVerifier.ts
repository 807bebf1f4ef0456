import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { assertUnreachable } from '../../../../shared/errors.js';
import type { PinVerdict, PinVerifier } from './kioskLock.js';
import type { FetchLike } from './provisioning.js';

const AnswerSchema = z.object({ valid: z.boolean() });

/**
 * The kiosk lock's PIN check against the server: POST /api/kiosk/operator-pin/verify with the kiosk's
 * device credential (the server checks the PIN of the kiosk's own site, rate-limits and audits it).
 * 'unavailable' — not provisioned, server unreachable, refusing (429) or answering nonsense — is not
 * counted as a wrong PIN; the operator tries again when the server answers.
 */
export function serverPinVerifier(
  fetchImpl: FetchLike,
  access: () => { serverUrl: string; credential: string } | null,
  timeoutMs = 10_000,
): PinVerifier {
  return async (pin): Promise<PinVerdict> => {
    const kiosk = access();
    if (!kiosk) return 'unavailable';
    try {
      const response = await fetchImpl(`${kiosk.serverUrl}/api/kiosk/operator-pin/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Kiosk ${kiosk.credential}` },
        body: JSON.stringify({ pin }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.status !== 200) return 'unavailable';
      const answer = AnswerSchema.safeParse(await response.json());
      if (!answer.success) return 'unavailable';
      return answer.data.valid ? 'ok' : 'wrong';
    } catch {
      return 'unavailable';
    }
  };
}

/*
 * The offline fallback. The operator most needs to leave the kiosk (or change its camera) exactly when
 * the network is down, and then the server cannot check the PIN. So the kiosk remembers the PIN the
 * server last accepted here, as a salted scrypt hash (node:crypto; nothing leaves the server, and no
 * argon2 build for Electron is needed), encrypted with safeStorage. Offline, that PIN opens the
 * operator actions and any other is wrong (still counted by the lock's lockout). The server's own
 * verdict always wins when it answers: a PIN it refuses is forgotten here, so after the administrator
 * changes the site's PIN, the old one stops working offline as soon as it is tried online once.
 * Until the operator has unlocked once online there is nothing to fall back on: 'unavailable'.
 */

/** scrypt parameters: N = 2^15, r = 8 (32 MiB, about 0.1 s), a 16-byte salt and a 32-byte hash. */
const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const PIN_RECORD_PREFIX = 'scrypt-v1';
const PIN_RECORD_PATTERN = /^scrypt-v1\$([A-Za-z0-9+/]{22}==)\$([A-Za-z0-9+/]{43}=)$/;

function scryptAsync(pin: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin.normalize('NFC'), salt, 32, SCRYPT_PARAMS, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt-v1$<salt>$<hash>` (base64) of the PIN, with a fresh random salt unless one is given. */
export async function pinRecord(pin: string, salt: Buffer = randomBytes(16)): Promise<string> {
  if (salt.length !== 16) throw new TypeError('pinRecord: the salt must be 16 bytes');
  const key = await scryptAsync(pin, salt);
  return `${PIN_RECORD_PREFIX}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Whether `pin` is the PIN of `record`; false for a malformed record (never throws on bad input). */
export async function matchesPinRecord(pin: string, record: string): Promise<boolean> {
  const match = PIN_RECORD_PATTERN.exec(record);
  if (!match?.[1] || !match[2]) return false;
  const expected = Buffer.from(match[2], 'base64');
  const actual = await scryptAsync(pin, Buffer.from(match[1], 'base64'));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Where the record is kept (the shell: encrypted with safeStorage, or in memory without a keyring). */
export interface PinCache {
  load(): Promise<string | null>;
  save(record: string): Promise<void>;
  clear(): Promise<void>;
}

/** The server's verdict when it answers, the remembered PIN when it does not. */
export function cachingPinVerifier(
  online: PinVerifier,
  cache: PinCache,
  log: { warn(context: object, message: string): void } = { warn: () => {} },
): PinVerifier {
  const cached = async (): Promise<string | null> => {
    try {
      return await cache.load();
    } catch (error) {
      log.warn({ err: error }, 'operator PIN: the offline copy is unreadable');
      return null;
    }
  };
  return async (pin): Promise<PinVerdict> => {
    const verdict = await online(pin);
    switch (verdict) {
      case 'ok':
        try {
          await cache.save(await pinRecord(pin));
        } catch (error) {
          log.warn({ err: error }, 'operator PIN: the offline copy could not be saved');
        }
        return 'ok';
      case 'wrong': {
        const record = await cached();
        if (record !== null && (await matchesPinRecord(pin, record))) {
          // The server no longer accepts the remembered PIN (it was changed): forget it.
          await cache.clear().catch(() => undefined);
        }
        return 'wrong';
      }
      case 'unavailable': {
        const record = await cached();
        if (record === null) return 'unavailable';
        return (await matchesPinRecord(pin, record)) ? 'ok' : 'wrong';
      }
      default:
        return assertUnreachable(verdict);
    }
  };
}
