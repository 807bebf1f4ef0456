import { describe, expect, it } from 'vitest';
import { serverPinVerifier } from './pinVerifier.js';
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
