import { hash as argon2Hash, argon2i } from 'argon2';
import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  PASSWORD_HASH_OPTIONS,
  passwordNeedsRehash,
  verifyPassword,
  verifyPasswordOrDummy,
} from './passwords.js';

describe('passwords', () => {
  it('hashes with argon2id at the OWASP parameters, salted, without the password in the hash', async () => {
    const password = 'correct horse battery staple';
    const first = await hashPassword(password);
    const second = await hashPassword(password);
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(first).not.toContain(password);
    expect(second).not.toBe(first);
    expect(await verifyPassword(first, password)).toBe(true);
    expect(await verifyPassword(second, password)).toBe(true);
  });

  it('a wrong password does not verify', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword(stored, 'correct horse battery stapler')).toBe(false);
    expect(await verifyPassword(stored, '')).toBe(false);
  });

  it('a malformed or foreign hash is a mismatch, not an exception', async () => {
    const stored = await hashPassword('correct horse battery staple');
    for (const malformed of [
      '',
      'garbage',
      '$argon2id$',
      '$argon2id$v=19$m=19456,t=2,p=1$notbase64!!$alsonot',
      stored.slice(0, -10),
      '$2b$10$abcdefghijklmnopqrstuuTg0M2cH8m3gUZ/6Hk6y6r6V6R6Zr8sW', // bcrypt
      'plaintext-password-stored-by-mistake',
    ]) {
      expect(await verifyPassword(malformed, 'correct horse battery staple')).toBe(false);
    }
  });

  it('asks for a rehash of hashes made with other parameters or another variant', async () => {
    expect(passwordNeedsRehash(await hashPassword('correct horse battery staple'))).toBe(false);
    expect(passwordNeedsRehash(await argon2Hash('correct horse battery staple'))).toBe(true);
    expect(passwordNeedsRehash(await argon2Hash('x', { type: argon2i, timeCost: 1, memoryCost: 8192 }))).toBe(true);
    expect(passwordNeedsRehash(await argon2Hash('x', { ...PASSWORD_HASH_OPTIONS, type: argon2i }))).toBe(true);
    expect(passwordNeedsRehash('not a hash')).toBe(true);
  });

  it('without a stored hash the check still runs and answers false', async () => {
    expect(await verifyPasswordOrDummy(null, 'anything at all')).toBe(false);
    expect(await verifyPasswordOrDummy(null, 'not a real password: equalizes sign-in timing')).toBe(false);
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPasswordOrDummy(stored, 'correct horse battery staple')).toBe(true);
  });
});
