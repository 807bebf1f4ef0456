import { describe, expect, it } from 'vitest';
import type { ProvisioningError } from '../../../../shared/desktop.js';
import {
  type CredentialStore,
  type Enroll,
  type EnrollResult,
  enrollmentFailure,
  type FetchLike,
  httpEnroll,
  Provisioner,
  ProvisioningRefusedError,
  type ProvisioningState,
} from './provisioning.js';

/** An in-memory stand-in for the safeStorage-backed store. */
class MemoryStore implements CredentialStore {
  value: string | null = null;
  failSave = false;
  async save(credential: string): Promise<void> {
    if (this.failSave) throw new Error('safeStorage unavailable');
    this.value = credential;
  }
  async load(): Promise<string | null> {
    return this.value;
  }
  async clear(): Promise<void> {
    this.value = null;
  }
}

const SERVER = 'https://court.example';
const CODE = '7KQ4MXH2PD';
const ENROLLED: EnrollResult = { ok: true, kioskId: 'k1', siteId: 's1', credential: 'secret-credential' };

function setup(enroll: Enroll = async () => ENROLLED) {
  const store = new MemoryStore();
  const unlock = { unlocked: false };
  const seen: ProvisioningState['status'][] = [];
  const provisioner = new Provisioner({
    enroll,
    store,
    isUnlocked: () => unlock.unlocked,
    onChange: (state) => seen.push(state.status),
  });
  return { provisioner, store, unlock, seen };
}

describe('Provisioner', () => {
  it('enrolls, stores the credential and shows the provisioned view without it', async () => {
    const { provisioner, store, seen } = setup();
    expect(provisioner.view).toEqual({ status: 'unprovisioned', error: null });
    await provisioner.provision({ serverUrl: SERVER, enrollmentCode: CODE });
    expect(seen).toEqual(['enrolling', 'provisioned']);
    expect(provisioner.view).toEqual({ status: 'provisioned', kioskId: 'k1', siteId: 's1' });
    expect(JSON.stringify(provisioner.view)).not.toContain('secret-credential');
    expect(JSON.parse(store.value ?? 'null')).toEqual({
      version: 1,
      serverUrl: SERVER,
      kioskId: 'k1',
      siteId: 's1',
      credential: 'secret-credential',
    });
  });

  it('restores the stored credential on the next start', async () => {
    const first = setup();
    await first.provisioner.provision({ serverUrl: SERVER, enrollmentCode: CODE });
    const second = setup(async () => {
      throw new Error('must not enroll again');
    });
    second.store.value = first.store.value;
    const state = await second.provisioner.restore();
    expect(state).toMatchObject({ status: 'provisioned', serverUrl: SERVER, credential: 'secret-credential' });
  });

  it.each(['{not json', JSON.stringify({ version: 2 }), JSON.stringify({ version: 1, credential: 'x', extra: 1 })])(
    'clears a malformed stored record (%s) instead of trusting it',
    async (raw) => {
      const { provisioner, store } = setup();
      store.value = raw;
      expect(await provisioner.restore()).toEqual({ status: 'unprovisioned', error: null });
      expect(store.value).toBeNull();
    },
  );

  it.each<ProvisioningError>([
    'unreachable',
    'code_invalid',
    'code_used',
    'code_expired',
    'rate_limited',
    'server_error',
  ])('returns to the entry screen showing %s, and a later attempt can succeed', async (reason) => {
    let next: EnrollResult = { ok: false, reason };
    const { provisioner, store, seen } = setup(async () => next);
    await provisioner.provision({ serverUrl: SERVER, enrollmentCode: CODE });
    expect(provisioner.view).toEqual({ status: 'unprovisioned', error: reason });
    expect(seen).toEqual(['enrolling', 'unprovisioned']);
    expect(store.value).toBeNull();
    next = ENROLLED;
    await provisioner.provision({ serverUrl: SERVER, enrollmentCode: CODE });
    expect(provisioner.view.status).toBe('provisioned');
  });

  it('treats an enroll function that throws, or a malformed success, as a server error', async () => {
    const throwing = setup(async () => {
      throw new Error('boom');
    });
    await throwing.provisioner.provision({ serverUrl: SERVER, enrollmentCode: CODE });
    expect(throwing.provisioner.view).toEqual({ status: 'unprovisioned', error: 'server_error' });

    const malformed = setup(async () => ({ ok: true, kioskId: '', siteId: 's1', credential: 'c' }));
    await malformed.provisioner.provision({ serverUrl: SERVER, enrollmentCode: CODE });
    expect(malformed.provisioner.view).toEqual({ status: 'unprovisioned', error: 'server_error' });
  });

  it('keeps a credential the store could not save for this session, marked unpersisted', async () => {
    const { provisioner, store } = setup();
    store.failSave = true;
    const state = await provisioner.provision({ serverUrl: SERVER, enrollmentCode: CODE });
    expect(state).toMatchObject({ status: 'provisioned', persisted: false });
  });

  it('refuses a second enrollment while one is under way or once provisioned', async () => {
    let finish: (result: EnrollResult) => void = () => {};
    const { provisioner } = setup(
      () =>
        new Promise((resolve) => {
          finish = resolve;
        }),
    );
    const first = provisioner.provision({ serverUrl: SERVER, enrollmentCode: CODE });
    await expect(provisioner.provision({ serverUrl: SERVER, enrollmentCode: CODE })).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    finish(ENROLLED);
    await first;
    await expect(provisioner.provision({ serverUrl: SERVER, enrollmentCode: CODE })).rejects.toBeInstanceOf(
      ProvisioningRefusedError,
    );
  });

  it('re-provisions only when the kiosk lock is unlocked, clearing the stored credential', async () => {
    const { provisioner, store, unlock } = setup();
    await provisioner.provision({ serverUrl: SERVER, enrollmentCode: CODE });
    await expect(provisioner.reprovision()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(store.value).not.toBeNull();
    expect(provisioner.view.status).toBe('provisioned');

    unlock.unlocked = true;
    await provisioner.reprovision();
    expect(provisioner.view).toEqual({ status: 'unprovisioned', error: null });
    expect(store.value).toBeNull();
    await expect(provisioner.reprovision()).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });
});

describe('enrollmentFailure', () => {
  it('maps the server answers of POST /api/kiosk/enroll', () => {
    const unauthorized = (message: string) => ({ code: 'UNAUTHORIZED', message });
    expect(enrollmentFailure(401, unauthorized('this enrollment code is not valid: it is mistyped'))).toBe(
      'code_invalid',
    );
    expect(enrollmentFailure(401, unauthorized('this enrollment code expired at 2026-11-01 10:00'))).toBe(
      'code_expired',
    );
    expect(enrollmentFailure(400, { code: 'BAD_REQUEST', message: 'enrollment.code: must be …' })).toBe('code_invalid');
    expect(enrollmentFailure(409, null)).toBe('code_used');
    expect(enrollmentFailure(429, { code: 'RATE_LIMITED', message: 'too many' })).toBe('rate_limited');
    expect(enrollmentFailure(500, null)).toBe('server_error');
    expect(enrollmentFailure(404, '<html>')).toBe('server_error');
  });
});

describe('httpEnroll', () => {
  function fakeFetch(answer: { status: number; body: unknown } | Error): { fetch: FetchLike; urls: string[] } {
    const urls: string[] = [];
    return {
      urls,
      fetch: async (url) => {
        urls.push(url);
        if (answer instanceof Error) throw answer;
        return { status: answer.status, json: async () => answer.body };
      },
    };
  }

  it('posts the code to the enrollment endpoint and answers the credential', async () => {
    const { fetch, urls } = fakeFetch({ status: 201, body: { kioskId: 'k1', siteId: 's1', credential: 'c' } });
    expect(await httpEnroll(fetch)(SERVER, CODE)).toEqual({ ok: true, kioskId: 'k1', siteId: 's1', credential: 'c' });
    expect(urls).toEqual(['https://court.example/api/kiosk/enroll']);
  });

  it('answers unreachable when the request fails, and server_error for a malformed success', async () => {
    expect(await httpEnroll(fakeFetch(new TypeError('fetch failed')).fetch)(SERVER, CODE)).toEqual({
      ok: false,
      reason: 'unreachable',
    });
    expect(await httpEnroll(fakeFetch({ status: 201, body: { credential: 1 } }).fetch)(SERVER, CODE)).toEqual({
      ok: false,
      reason: 'server_error',
    });
    expect(await httpEnroll(fakeFetch({ status: 429, body: null }).fetch)(SERVER, CODE)).toEqual({
      ok: false,
      reason: 'rate_limited',
    });
  });
});
