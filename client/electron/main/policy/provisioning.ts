import { z } from 'zod';
import type { ProvisioningError, ProvisioningView } from '../../../../shared/desktop.js';
import { assertUnreachable } from '../../../../shared/errors.js';
import { IdSchema } from '../../../../shared/hearing.js';

/*
 * The kiosk's provisioning state machine:
 *
 *   unprovisioned(error: null) ──provision──▶ enrolling ──ok──▶ provisioned ──reprovision (unlocked)──┐
 *        ▲            ▲                          │                                                    │
 *        │            └──── failed(reason) ──────┘                                                    │
 *        └──────────────────────────────── credential cleared ◀───────────────────────────────────────┘
 *
 * A failed enrollment returns to the entry screen with the reason shown (`unprovisioned` + `error`).
 * The device credential is persisted through an injected `CredentialStore` (in the main process:
 * encrypted with Electron's safeStorage and written to the user-data directory); the enrollment
 * request is an injected `Enroll` (in the main process: `httpEnroll(fetch)` below, which POSTs the
 * code to the server's `POST /api/kiosk/enroll`, server/auth/routes.ts). Re-provisioning is an
 * operator action: refused unless the kiosk lock is unlocked.
 */

export type EnrollResult =
  | { ok: true; kioskId: string; siteId: string; credential: string }
  | { ok: false; reason: ProvisioningError };

/** Redeems `code` at `serverUrl` (a normalized origin); never throws for an expected failure. */
export type Enroll = (serverUrl: string, code: string) => Promise<EnrollResult>;

/** Where the (serialized) device credential lives between runs. */
export interface CredentialStore {
  save(credential: string): Promise<void>;
  load(): Promise<string | null>;
  clear(): Promise<void>;
}

/** What is persisted: the credential with the server it belongs to. Parsed on load (it is a file). */
export const StoredKioskSchema = z.strictObject({
  version: z.literal(1),
  serverUrl: z.string().min(1).max(2048),
  kioskId: IdSchema,
  siteId: IdSchema,
  credential: z.string().min(1).max(1024),
});
export type StoredKiosk = z.infer<typeof StoredKioskSchema>;

export type ProvisioningState =
  | { status: 'unprovisioned'; error: ProvisioningError | null }
  | { status: 'enrolling'; serverUrl: string }
  | {
      status: 'provisioned';
      serverUrl: string;
      kioskId: string;
      siteId: string;
      credential: string;
      /** False when the store refused to save: the kiosk works until it restarts, then needs a new code. */
      persisted: boolean;
    };

export class ProvisioningRefusedError extends Error {
  readonly code: 'INVALID_STATE' | 'FORBIDDEN';
  constructor(code: 'INVALID_STATE' | 'FORBIDDEN', message: string) {
    super(message);
    this.name = 'ProvisioningRefusedError';
    this.code = code;
  }
}

export interface ProvisionerOptions {
  enroll: Enroll;
  store: CredentialStore;
  /** Whether the operator unlocked the kiosk (KioskLock.unlocked). */
  isUnlocked: () => boolean;
  /** Called after every transition. */
  onChange?: (state: ProvisioningState) => void;
}

export class Provisioner {
  readonly #enroll: Enroll;
  readonly #store: CredentialStore;
  readonly #isUnlocked: () => boolean;
  readonly #onChange: ((state: ProvisioningState) => void) | undefined;
  #state: ProvisioningState = { status: 'unprovisioned', error: null };

  constructor(options: ProvisionerOptions) {
    this.#enroll = options.enroll;
    this.#store = options.store;
    this.#isUnlocked = options.isUnlocked;
    this.#onChange = options.onChange;
  }

  get state(): ProvisioningState {
    return this.#state;
  }

  /** What the renderer is shown (never the credential). */
  get view(): ProvisioningView {
    const state = this.#state;
    switch (state.status) {
      case 'unprovisioned':
        return { status: 'unprovisioned', error: state.error };
      case 'enrolling':
        return { status: 'enrolling' };
      case 'provisioned':
        return { status: 'provisioned', kioskId: state.kioskId, siteId: state.siteId };
      default:
        return assertUnreachable(state);
    }
  }

  /**
   * At start: takes the stored credential if there is a valid one. An unreadable or malformed record
   * is cleared (the operator provisions again) rather than trusted.
   */
  async restore(): Promise<ProvisioningState> {
    if (this.#state.status !== 'unprovisioned') return this.#state;
    let raw: string | null;
    try {
      raw = await this.#store.load();
    } catch {
      raw = null;
    }
    if (raw === null) return this.#state;
    const stored = parseStored(raw);
    if (!stored) {
      await this.#store.clear();
      return this.#state;
    }
    return this.#set({ status: 'provisioned', ...withoutVersion(stored), persisted: true });
  }

  /**
   * Enrolls with the operator's (already schema-parsed) server address and code. Only from the entry
   * screen; a provisioned kiosk is re-provisioned first.
   */
  async provision(input: { serverUrl: string; enrollmentCode: string }): Promise<ProvisioningState> {
    if (this.#state.status !== 'unprovisioned') {
      throw new ProvisioningRefusedError(
        'INVALID_STATE',
        this.#state.status === 'enrolling'
          ? 'an enrollment is already under way; wait for its answer'
          : 'this kiosk is already provisioned; unlock it and choose re-provision first',
      );
    }
    this.#set({ status: 'enrolling', serverUrl: input.serverUrl });
    let result: EnrollResult;
    try {
      result = await this.#enroll(input.serverUrl, input.enrollmentCode);
    } catch {
      result = { ok: false, reason: 'server_error' };
    }
    if (!result.ok) return this.#set({ status: 'unprovisioned', error: result.reason });
    const stored: StoredKiosk = {
      version: 1,
      serverUrl: input.serverUrl,
      kioskId: result.kioskId,
      siteId: result.siteId,
      credential: result.credential,
    };
    if (!StoredKioskSchema.safeParse(stored).success)
      return this.#set({ status: 'unprovisioned', error: 'server_error' });
    let persisted = true;
    try {
      await this.#store.save(JSON.stringify(stored));
    } catch {
      persisted = false;
    }
    return this.#set({ status: 'provisioned', ...withoutVersion(stored), persisted });
  }

  /** Operator action: forgets the credential and shows the entry screen. Requires the unlocked kiosk. */
  async reprovision(): Promise<ProvisioningState> {
    if (!this.#isUnlocked()) {
      throw new ProvisioningRefusedError('FORBIDDEN', 'the operator PIN is needed to re-provision this kiosk');
    }
    if (this.#state.status !== 'provisioned') {
      throw new ProvisioningRefusedError('INVALID_STATE', 'this kiosk is not provisioned');
    }
    await this.#store.clear();
    return this.#set({ status: 'unprovisioned', error: null });
  }

  #set(state: ProvisioningState): ProvisioningState {
    this.#state = state;
    this.#onChange?.(state);
    return state;
  }
}

function parseStored(raw: string): StoredKiosk | null {
  try {
    const parsed = StoredKioskSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function withoutVersion(stored: StoredKiosk): Omit<StoredKiosk, 'version'> {
  const { version: _version, ...rest } = stored;
  return rest;
}

const EnrolledSchema = z.object({ kioskId: IdSchema, siteId: IdSchema, credential: z.string().min(1).max(1024) });
const ErrorBodySchema = z.object({ code: z.string().max(64), message: z.string().max(2000) });

/**
 * Maps the server's answer to `POST /api/kiosk/enroll` to a reason. The server answers 401 both for a
 * mistyped and an already redeemed code (it cannot tell them apart), naming expiry in the message;
 * 'code_used' is kept for a 409 should the server ever distinguish.
 */
export function enrollmentFailure(status: number, body: unknown): ProvisioningError {
  const error = ErrorBodySchema.safeParse(body);
  if (status === 401 || status === 400) {
    return error.success && /expired/i.test(error.data.message) ? 'code_expired' : 'code_invalid';
  }
  if (status === 409) return 'code_used';
  if (status === 429) return 'rate_limited';
  return 'server_error';
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ status: number; json(): Promise<unknown> }>;

/** The real `Enroll`: POST `${serverUrl}/api/kiosk/enroll` with `{ code }`, bounded by `timeoutMs`. */
export function httpEnroll(fetchImpl: FetchLike, timeoutMs = 15_000): Enroll {
  return async (serverUrl, code) => {
    let response: Awaited<ReturnType<FetchLike>>;
    try {
      response = await fetchImpl(`${serverUrl}/api/kiosk/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      return { ok: false, reason: 'unreachable' };
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (response.status === 201 || response.status === 200) {
      const enrolled = EnrolledSchema.safeParse(body);
      return enrolled.success ? { ok: true, ...enrolled.data } : { ok: false, reason: 'server_error' };
    }
    return { ok: false, reason: enrollmentFailure(response.status, body) };
  };
}
