import { randomBytes } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { UserPrincipal } from '../../shared/accounts.js';
import { AppError } from '../errors.js';
import { loadSessionSecret, Tokens } from './Tokens.js';

const JUDGE: UserPrincipal = { kind: 'user', userId: 'u-judge-1', courtId: 'c-linan', role: 'judge' };

function setup(ttlSeconds = 3600) {
  const clock = { ms: Date.UTC(2026, 11, 3, 1, 30) };
  const secret = randomBytes(32);
  const tokens = new Tokens({ secret, issuer: 'shared-court', ttlSeconds, now: () => clock.ms });
  return { clock, secret, tokens };
}

async function expectUnauthorized(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(message) });
}

/** A token built by hand (signed by the caller), to try claims and headers the issuer never writes. */
function forged(claims: Record<string, unknown>, alg = 'HS256') {
  const nowSeconds = Math.floor(Date.UTC(2026, 11, 3, 1, 30) / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg })
    .setIssuer('shared-court')
    .setAudience('shared-court:session')
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + 600);
}

describe('Tokens', () => {
  it('a token it issued names the same user, role and court', async () => {
    const { tokens } = setup();
    const { token, expiresMs } = await tokens.issue(JUDGE);
    expect(expiresMs).toBe(Date.UTC(2026, 11, 3, 2, 30));
    expect(await tokens.verify(token)).toEqual(JUDGE);
  });

  it('refuses an expired token, and accepts it until then', async () => {
    const { clock, tokens } = setup(60);
    const { token } = await tokens.issue(JUDGE);
    clock.ms += 59_000;
    expect(await tokens.verify(token)).toEqual(JUDGE);
    clock.ms += 2_000;
    await expectUnauthorized(tokens.verify(token), /expired; sign in again/);
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const { tokens } = setup();
    const { token } = await tokens.issue(JUDGE);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const promoted = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    await expectUnauthorized(tokens.verify(`${header}.${promoted}.${signature}`), /not valid/);
    await expectUnauthorized(tokens.verify(`${header}.${payload}.${signature?.slice(0, -2)}AA`), /not valid/);
  });

  it('refuses tokens signed with another secret, by another issuer, or for another purpose', async () => {
    const { secret, tokens } = setup();
    const other = new Tokens({ secret: randomBytes(32), issuer: 'shared-court', ttlSeconds: 3600 });
    await expectUnauthorized(tokens.verify((await other.issue(JUDGE)).token), /not valid/);

    const otherIssuer = new Tokens({ secret, issuer: 'someone-else', ttlSeconds: 3600 });
    await expectUnauthorized(tokens.verify((await otherIssuer.issue(JUDGE)).token), /not valid/);

    const wrongAudience = await forged({ role: 'judge', courtId: 'c-linan' })
      .setAudience('shared-court:observer')
      .setSubject('u-judge-1')
      .sign(secret);
    await expectUnauthorized(tokens.verify(wrongAudience), /not valid/);
  });

  it('refuses other algorithms, including an unsigned token', async () => {
    const { secret, tokens } = setup();
    // Same secret, same claims: only the algorithm differs.
    const hs512 = await forged({ role: 'judge', courtId: 'c-linan' }, 'HS512').setSubject('u-judge-1').sign(secret);
    const hs256 = await forged({ role: 'judge', courtId: 'c-linan' }).setSubject('u-judge-1').sign(secret);
    expect(await tokens.verify(hs256)).toEqual(JUDGE);
    await expectUnauthorized(tokens.verify(hs512), /not valid/);

    const unsigned = new UnsecuredJWT({ role: 'admin', courtId: 'c-linan' })
      .setSubject('u-judge-1')
      .setIssuer('shared-court')
      .setAudience('shared-court:session')
      .setIssuedAt()
      .setExpirationTime('1h')
      .encode();
    await expectUnauthorized(tokens.verify(unsigned), /not valid/);
  });

  it('refuses a correctly signed token that lacks or mangles its claims', async () => {
    const { secret, tokens } = setup();
    const noSubject = await forged({ role: 'judge', courtId: 'c-linan' }).sign(secret);
    await expectUnauthorized(tokens.verify(noSubject), /not valid/);
    const badRole = await forged({ role: 'superuser', courtId: 'c-linan' }).setSubject('u1').sign(secret);
    await expectUnauthorized(tokens.verify(badRole), /not valid/);
    const noCourt = await forged({ role: 'judge' }).setSubject('u1').sign(secret);
    await expectUnauthorized(tokens.verify(noCourt), /not valid/);
  });

  it('refuses garbage', async () => {
    const { tokens } = setup();
    await expectUnauthorized(tokens.verify(''), /missing or malformed/);
    await expectUnauthorized(tokens.verify('x'.repeat(5000)), /missing or malformed/);
    await expectUnauthorized(tokens.verify('not.a.token'), /not valid/);
  });

  it('refuses a short secret or a nonsensical lifetime at construction', () => {
    expect(() => new Tokens({ secret: randomBytes(16), issuer: 'x', ttlSeconds: 60 })).toThrow(TypeError);
    expect(() => new Tokens({ secret: randomBytes(32), issuer: '', ttlSeconds: 60 })).toThrow(TypeError);
    expect(() => new Tokens({ secret: randomBytes(32), issuer: 'x', ttlSeconds: 0 })).toThrow(TypeError);
    expect(() => new Tokens({ secret: randomBytes(32), issuer: 'x', ttlSeconds: 1.5 })).toThrow(TypeError);
  });
});

describe('loadSessionSecret', () => {
  it('takes SESSION_SECRET as base64 or base64url', () => {
    const bytes = randomBytes(32);
    for (const encoded of [bytes.toString('base64'), bytes.toString('base64url')]) {
      const loaded = loadSessionSecret({ SESSION_SECRET: encoded });
      expect(loaded.ephemeral).toBe(false);
      expect(Buffer.from(loaded.secret).equals(bytes)).toBe(true);
    }
  });

  it('without SESSION_SECRET makes a fresh random secret and says so', () => {
    const first = loadSessionSecret({});
    const second = loadSessionSecret({ SESSION_SECRET: '' });
    expect(first.ephemeral).toBe(true);
    expect(first.secret.byteLength).toBe(32);
    expect(Buffer.from(first.secret).equals(Buffer.from(second.secret))).toBe(false);
  });

  it('refuses a secret that is too short or not base64', () => {
    expect(() => loadSessionSecret({ SESSION_SECRET: randomBytes(16).toString('base64') })).toThrow(/at least 32/);
    expect(() => loadSessionSecret({ SESSION_SECRET: 'this is not base64!' })).toThrow(/must be base64/);
  });
});
