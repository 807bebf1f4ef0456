import { randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { type UserPrincipal, UserRoleSchema } from '../../shared/accounts.js';
import { IdSchema } from '../../shared/hearing.js';
import { UnauthorizedError } from '../errors.js';

/** HS256 needs a key at least as long as its output; shorter secrets are refused at startup. */
export const MIN_SECRET_BYTES = 32;

const ALGORITHM = 'HS256';
/** Binds tokens to their purpose, so another kind of token signed with the same secret is not a session. */
const AUDIENCE = 'shared-court:session';
/** Far longer than any token we issue; anything bigger is refused before parsing. */
const MAX_TOKEN_LENGTH = 4096;

const SessionClaimsSchema = z.object({ sub: IdSchema, role: UserRoleSchema, courtId: IdSchema });

export interface TokensOptions {
  /** HMAC key, at least 32 bytes (see loadSessionSecret). */
  secret: Uint8Array;
  /** The `iss` claim written and required, e.g. `shared-court`. */
  issuer: string;
  /** Lifetime of a session token. */
  ttlSeconds: number;
  /** Clock in epoch ms; tests move it to expire tokens. */
  now?: () => number;
}

export interface IssuedToken {
  token: string;
  expiresMs: number;
}

/**
 * Session tokens for judges, clerks and administrators: HS256 JWTs carrying the user id (`sub`), the
 * role and the court. A token proves who signed in and when; whether the account is still enabled is
 * the caller's to check against the database (AccountService.authenticateSession does).
 */
export class Tokens {
  readonly #secret: Uint8Array;
  readonly #issuer: string;
  readonly #ttlSeconds: number;
  readonly #now: () => number;

  constructor(options: TokensOptions) {
    if (options.secret.byteLength < MIN_SECRET_BYTES) {
      throw new TypeError(`the session secret must be at least ${MIN_SECRET_BYTES} bytes`);
    }
    if (!options.issuer) throw new TypeError('the token issuer must not be empty');
    if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds <= 0) {
      throw new TypeError(`token ttlSeconds must be a positive integer, got ${options.ttlSeconds}`);
    }
    // A copy: whoever handed us the key cannot change it under us.
    this.#secret = Uint8Array.from(options.secret);
    this.#issuer = options.issuer;
    this.#ttlSeconds = options.ttlSeconds;
    this.#now = options.now ?? Date.now;
  }

  get ttlSeconds(): number {
    return this.#ttlSeconds;
  }

  async issue(principal: UserPrincipal): Promise<IssuedToken> {
    const issuedAt = Math.floor(this.#now() / 1000);
    const expiresAt = issuedAt + this.#ttlSeconds;
    const token = await new SignJWT({ role: principal.role, courtId: principal.courtId })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(principal.userId)
      .setIssuer(this.#issuer)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.#secret);
    return { token, expiresMs: expiresAt * 1000 };
  }

  /** The principal a token names; UNAUTHORIZED when it is expired, tampered with, or not ours. */
  async verify(token: string): Promise<UserPrincipal> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
      throw new UnauthorizedError('the session token is missing or malformed; sign in again');
    }
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.#secret, {
        // Only HS256: a token claiming `none` or an asymmetric algorithm is refused outright.
        algorithms: [ALGORITHM],
        issuer: this.#issuer,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'iat', 'exp'],
        currentDate: new Date(this.#now()),
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw new UnauthorizedError('your session has expired; sign in again');
      }
      throw new UnauthorizedError('the session token is not valid; sign in again');
    }
    const claims = SessionClaimsSchema.safeParse(payload);
    if (!claims.success) throw new UnauthorizedError('the session token is not valid; sign in again');
    return { kind: 'user', userId: claims.data.sub, courtId: claims.data.courtId, role: claims.data.role };
  }
}

export interface SessionSecret {
  secret: Uint8Array;
  /** True when generated at startup: every session then ends when the server restarts. */
  ephemeral: boolean;
}

const SecretEnvSchema = z.object({
  SESSION_SECRET: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'SESSION_SECRET must be base64 (e.g. the output of `openssl rand -base64 32`)')
    .optional(),
});

/**
 * The key that signs session tokens: SESSION_SECRET (base64, at least 32 bytes) when set, otherwise 32
 * random bytes made now.
 *
 * Why not store a generated key in the database: the key would then sit next to the data it protects
 * and in every backup. A random key per start is the safe default for one county machine — the cost
 * is that judges and clerks sign in again after a restart, which the caller should log as a warning.
 * Several signaling nodes behind one address must share SESSION_SECRET, or a token from one node is
 * refused by the next.
 */
export function loadSessionSecret(env: Record<string, string | undefined> = process.env): SessionSecret {
  const parsed = SecretEnvSchema.safeParse({ SESSION_SECRET: env.SESSION_SECRET || undefined });
  if (!parsed.success) {
    throw new TypeError(parsed.error.issues.map((issue) => issue.message).join('; '));
  }
  const configured = parsed.data.SESSION_SECRET;
  if (configured === undefined) return { secret: new Uint8Array(randomBytes(MIN_SECRET_BYTES)), ephemeral: true };
  // Node's base64 decoder takes the URL-safe alphabet too.
  const secret = new Uint8Array(Buffer.from(configured, 'base64'));
  if (secret.byteLength < MIN_SECRET_BYTES) {
    throw new TypeError(
      `SESSION_SECRET is ${secret.byteLength} bytes; it must be at least ${MIN_SECRET_BYTES} (generate one with \`openssl rand -base64 32\`)`,
    );
  }
  return { secret, ephemeral: false };
}
