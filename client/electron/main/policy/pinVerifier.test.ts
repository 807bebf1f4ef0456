import { describe, expect, it } from 'vitest';
import type { PinVerdict } from './kioskLock.js';
import { cachingPinVerifier, matchesPinRecord, type PinCache, pinRecord, serverPinVerifier } from './pinVerifier.js';
import type { FetchLike } from './provisioning.js';

const kiosk = { serverUrl: 'https://court.example', credential: 'kiosk-credential' };

function answering(status: number, body: unknown, seen: unknown[] = []): FetchLike {
  return async (url, init) => {
    seen.push({ url, init });
    return { status, json: async () => body } as Awaited<ReturnType<FetchLike>>;
  };
}

describe('the kiosk lock asks the server for the operator PIN', () => {
  it('sends the PIN with the device credential to the verify endpoint', async () => {
    const seen: Array<{ url: string; init: { headers: Record<string, string>; body: string } }> = [];
    const verdict = await serverPinVerifier(answering(200, { valid: true }, seen), () => kiosk)('2468');
    expect(verdict).toBe('ok');
    expect(seen[0]?.url).toBe('https://court.example/api/kiosk/operator-pin/verify');
    expect(seen[0]?.init.headers.authorization).toBe('Kiosk kiosk-credential');
    expect(JSON.parse(seen[0]?.init.body ?? '{}')).toEqual({ pin: '2468' });
  });

  it('a wrong PIN is wrong; anything else is unavailable, never a wrong PIN', async () => {
    expect(await serverPinVerifier(answering(200, { valid: false }), () => kiosk)('1357')).toBe('wrong');
    expect(await serverPinVerifier(answering(429, { error: {} }), () => kiosk)('1357')).toBe('unavailable');
    expect(await serverPinVerifier(answering(500, null), () => kiosk)('1357')).toBe('unavailable');
    expect(await serverPinVerifier(answering(200, { valid: 'yes' }), () => kiosk)('1357')).toBe('unavailable');
    const unreachable: FetchLike = async () => {
      throw new TypeError('fetch failed');
    };
    expect(await serverPinVerifier(unreachable, () => kiosk)('1357')).toBe('unavailable');
    expect(await serverPinVerifier(answering(200, { valid: true }), () => null)('2468')).toBe('unavailable');
  });
});

function memoryCache(): PinCache & { record: string | null; saves: number } {
  return {
    record: null,
    saves: 0,
    async load() {
      return this.record;
    },
    async save(record) {
      this.record = record;
      this.saves += 1;
    },
    async clear() {
      this.record = null;
    },
  };
}

describe('the offline copy of the operator PIN', () => {
  it('is a salted scrypt hash: never the PIN, different each time, and only the PIN matches it', async () => {
    const first = await pinRecord('482193');
    const second = await pinRecord('482193');
    expect(first).toMatch(/^scrypt-v1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(first).not.toContain('482193');
    expect(first).not.toBe(second);
    expect(await matchesPinRecord('482193', first)).toBe(true);
    expect(await matchesPinRecord('482194', first)).toBe(false);
    expect(await matchesPinRecord('48219', first)).toBe(false);
    // Malformed records never match and never throw.
    for (const bad of ['', 'scrypt-v1$$', first.replace('scrypt-v1', 'scrypt-v2'), `${first}x`, '482193']) {
      expect(await matchesPinRecord('482193', bad)).toBe(false);
    }
  });

  it('online: the server decides, and the PIN it accepted is remembered', async () => {
    const cache = memoryCache();
    let server: PinVerdict = 'ok';
    const verify = cachingPinVerifier(async () => server, cache);
    expect(await verify('2468')).toBe('ok');
    expect(cache.record).not.toBeNull();
    expect(cache.record).not.toContain('2468');
    // A PIN the server refuses is wrong even while another one is remembered.
    server = 'wrong';
    expect(await verify('1357')).toBe('wrong');
    expect(cache.record).not.toBeNull();
  });

  it('offline: the remembered PIN opens, any other is wrong, and with nothing remembered it is unavailable', async () => {
    const cache = memoryCache();
    let server: PinVerdict = 'unavailable';
    const verify = cachingPinVerifier(async () => server, cache);
    expect(await verify('2468')).toBe('unavailable');
    server = 'ok';
    await verify('2468');
    server = 'unavailable';
    expect(await verify('2468')).toBe('ok');
    expect(await verify('1357')).toBe('wrong');
  });

  it('forgets the remembered PIN once the server refuses it (the PIN was changed)', async () => {
    const cache = memoryCache();
    let server: PinVerdict = 'ok';
    const verify = cachingPinVerifier(async () => server, cache);
    await verify('2468');
    server = 'wrong';
    expect(await verify('2468')).toBe('wrong');
    expect(cache.record).toBeNull();
    server = 'unavailable';
    expect(await verify('2468')).toBe('unavailable');
  });

  it('a broken cache never opens the lock and never breaks the online check', async () => {
    const broken: PinCache = {
      load: async () => {
        throw new Error('disk gone');
      },
      save: async () => {
        throw new Error('disk full');
      },
      clear: async () => {
        throw new Error('disk gone');
      },
    };
    expect(await cachingPinVerifier(async () => 'ok', broken)('2468')).toBe('ok');
    expect(await cachingPinVerifier(async () => 'wrong', broken)('2468')).toBe('wrong');
    expect(await cachingPinVerifier(async () => 'unavailable', broken)('2468')).toBe('unavailable');
  });
});
