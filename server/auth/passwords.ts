import { argon2id, hash, needsRehash, verify } from 'argon2';

/**
 * argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). Cheaper in memory than the
 * library's default (64 MiB, 4 lanes) so a county server signing in a morning's worth of judges and
 * clerks at once does not run short, while still costing a GPU attacker dearly per guess.
 */
export const PASSWORD_HASH_OPTIONS = { type: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The PHC-format argon2id hash of a password (salt and parameters included). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

/** Whether the password matches the stored hash. A malformed or foreign hash is a mismatch, never a throw. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  if (!storedHash.startsWith('$argon2')) return false;
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/** True when the hash was made with another variant or other parameters than today's and should be redone. */
export function passwordNeedsRehash(storedHash: string): boolean {
  // needsRehash compares the parameters only, not the variant.
  if (!storedHash.startsWith('$argon2id$')) return true;
  try {
    return needsRehash(storedHash, PASSWORD_HASH_OPTIONS);
  } catch {
    return true;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies against the stored hash or, when there is no such user, against a throw-away hash, so a
 * sign-in for an unknown username takes as long as one with a wrong password and response times do
 * not tell which usernames exist. Always false without a stored hash.
 */
export async function verifyPasswordOrDummy(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash !== null) return verifyPassword(storedHash, password);
  dummyHash ??= hashPassword('not a real password: equalizes sign-in timing');
  await verifyPassword(await dummyHash, password);
  return false;
}
