import { z } from 'zod';
import { EnrollKioskInputSchema, OperatorPinSchema } from './accounts.js';
import { IdSchema } from './hearing.js';

/*
 * The contract between the desktop shells' preload script and the renderer (the same React app the
 * server serves, in kiosk or judge mode). The preload exposes exactly one object, `DesktopApi`, on
 * `window.courtDesktop`; each method is one `ipcRenderer.invoke` on a channel below, and the main
 * process parses every argument with the schemas here (see client/electron/main/policy/ipc.ts) and
 * checks the sending frame before acting. Answers follow the acknowledgement convention:
 * `{ ok: true, data } | { ok: false, error: { code, message } }`.
 *
 * Pure TypeScript: no DOM, no Node, no Electron; imported by the renderer, the preload and main.
 */

/** The global the preload installs through `contextBridge.exposeInMainWorld`. */
export const DESKTOP_API_GLOBAL = 'courtDesktop';

/** Renderer → main requests (invoke/handle), and the one main → renderer push (`stateChanged`). */
export const DesktopChannel = {
  getState: 'desktop:get-state',
  /** The kiosk's device credential, so the renderer can sign its API and signaling requests. */
  getKioskCredential: 'desktop:get-kiosk-credential',
  /** Kiosk first run (or after an unlocked re-provision): server address and one-time enrollment code. */
  provision: 'desktop:provision',
  /** Judge app: the server it talks to (remembered across restarts). */
  setServer: 'desktop:set-server',
  /** Kiosk: the operator's PIN opens the operator actions for a short while. */
  unlock: 'desktop:unlock',
  lock: 'desktop:lock',
  /** Operator actions (kiosk: only while unlocked). */
  exitKiosk: 'desktop:exit-kiosk',
  reprovision: 'desktop:reprovision',
  chooseDevices: 'desktop:choose-devices',
  /** Judge app: a desktop notification, e.g. "a party of today's hearing is waiting". */
  notify: 'desktop:notify',
  /** The renderer is in a hearing (or no longer): the shell keeps the machine awake meanwhile. */
  setInHearing: 'desktop:set-in-hearing',
  /** Main → renderer: the shell state changed (payload: DesktopState). */
  stateChanged: 'desktop:state-changed',
} as const;
export type DesktopChannelName = (typeof DesktopChannel)[keyof typeof DesktopChannel];

/** The channels a renderer may invoke (every channel but the push). */
export type DesktopRequestChannel = Exclude<DesktopChannelName, typeof DesktopChannel.stateChanged>;

export const SERVER_URL_MAX_LENGTH = 2048;
export const DEVICE_ID_MAX_LENGTH = 256;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** scheme://host[:port][/] and nothing else: no user info, path, query or fragment. */
const ORIGIN_PATTERN = /^(https?):\/\/([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\d{1,5}))?\/?$/;

/**
 * The court server's address, as the operator types it: an http(s) origin, normalized to
 * `scheme://host[:port]` (lower case, no trailing slash, no default port). The renderer is loaded from
 * this origin, so it must be a secure context for the camera to work: https anywhere, plain http only
 * on the loopback address (a server on the same machine, as in development and the demo); a plain
 * http address elsewhere would also send the device credential in the clear.
 */
export const ServerUrlSchema = z
  .string()
  .trim()
  .max(SERVER_URL_MAX_LENGTH, `must be at most ${SERVER_URL_MAX_LENGTH} characters`)
  .transform((value, ctx) => {
    const match = ORIGIN_PATTERN.exec(value.toLowerCase());
    const [, scheme, host, port] = match ?? [];
    if (!scheme || !host) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be the server address only, e.g. https://court.example or https://court.example:8443',
      });
      return z.NEVER;
    }
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
      ctx.addIssue({ code: 'custom', message: 'the port must be 1 to 65535' });
      return z.NEVER;
    }
    if (scheme === 'http' && !LOOPBACK_HOSTS.has(host)) {
      ctx.addIssue({ code: 'custom', message: 'must use https:// (plain http:// only for a server on this machine)' });
      return z.NEVER;
    }
    const defaultPort = scheme === 'https' ? '443' : '80';
    const portPart = port === undefined || Number(port) === Number(defaultPort) ? '' : `:${Number(port)}`;
    return `${scheme}://${host}${portPart}`;
  });

/** A MediaDeviceInfo.deviceId (opaque, per origin); null means the system default. */
export const DeviceIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(DEVICE_ID_MAX_LENGTH, `must be at most ${DEVICE_ID_MAX_LENGTH} characters`)
  .nullable();

/**
 * Which devices the kiosk uses. `documentCamera` is the hall's second video source (a visualizer for
 * showing evidence) that the judge can ask to display; null when the hall has none.
 */
export const DeviceChoiceSchema = z.strictObject({
  camera: DeviceIdSchema,
  microphone: DeviceIdSchema,
  speaker: DeviceIdSchema,
  documentCamera: DeviceIdSchema,
});
export type DeviceChoice = z.infer<typeof DeviceChoiceSchema>;
export const DEFAULT_DEVICES: DeviceChoice = { camera: null, microphone: null, speaker: null, documentCamera: null };

export const ProvisionInputSchema = z.strictObject({
  serverUrl: ServerUrlSchema,
  enrollmentCode: EnrollKioskInputSchema.shape.code,
});
export type ProvisionInput = z.input<typeof ProvisionInputSchema>;

export const SetServerInputSchema = z.strictObject({ serverUrl: ServerUrlSchema });
export type SetServerInput = z.input<typeof SetServerInputSchema>;

export const UnlockInputSchema = z.strictObject({ pin: OperatorPinSchema });
export type UnlockInput = z.infer<typeof UnlockInputSchema>;

export const NotifyInputSchema = z.strictObject({
  title: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  body: z.string().trim().max(500, 'must be at most 500 characters'),
});
export type NotifyInput = z.infer<typeof NotifyInputSchema>;

export const InHearingInputSchema = z.strictObject({ inHearing: z.boolean() });
export type InHearingInput = z.infer<typeof InHearingInputSchema>;

/** Why enrollment failed; the provisioning screen shows a message for each. */
export const ProvisioningErrorSchema = z.enum([
  /** The server address did not answer (wrong address, no network). */
  'unreachable',
  /** The server does not know this code (mistyped). */
  'code_invalid',
  /** The code was already redeemed (or, as the server cannot tell the two apart, mistyped). */
  'code_used',
  /** The code's 7-day life is over: the administrator issues a new one. */
  'code_expired',
  /** Too many attempts from this address: wait, then try again. */
  'rate_limited',
  /** The server answered something else (5xx, an unexpected body). */
  'server_error',
]);
export type ProvisioningError = z.infer<typeof ProvisioningErrorSchema>;

export const ProvisioningViewSchema = z.discriminatedUnion('status', [
  /** Waiting for the operator's server address and enrollment code; `error` from the last attempt. */
  z.strictObject({ status: z.literal('unprovisioned'), error: ProvisioningErrorSchema.nullable() }),
  z.strictObject({ status: z.literal('enrolling') }),
  z.strictObject({ status: z.literal('provisioned'), kioskId: IdSchema, siteId: IdSchema }),
]);
export type ProvisioningView = z.infer<typeof ProvisioningViewSchema>;

/** The kiosk's operator lock, as the renderer shows it (times are UTC ms since the epoch). */
export const OperatorLockViewSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('locked'), failedAttempts: z.number().int().nonnegative() }),
  z.strictObject({ status: z.literal('locked_out'), retryAtMs: z.number().int() }),
  z.strictObject({ status: z.literal('unlocked'), relocksAtMs: z.number().int() }),
]);
export type OperatorLockView = z.infer<typeof OperatorLockViewSchema>;

export const ShellModeSchema = z.enum(['kiosk', 'judge']);
export type ShellMode = z.infer<typeof ShellModeSchema>;

/**
 * Where the kiosk's device credential is kept: `encrypted` with the OS keyring (safeStorage);
 * `session_only` when the keyring is unavailable (Linux's `basic_text` counts as unavailable), so the
 * credential is held in memory and the kiosk must be provisioned again after a restart; `none` before
 * provisioning.
 */
export const CredentialStorageSchema = z.enum(['encrypted', 'session_only', 'none']);
export type CredentialStorage = z.infer<typeof CredentialStorageSchema>;

const ServerUrlStateSchema = z.string().max(SERVER_URL_MAX_LENGTH).nullable();
/** 'reconnecting' while the shell cannot reach the server; the renderer shows its calm screen. */
const ConnectionSchema = z.enum(['online', 'reconnecting']);

export const KioskDesktopStateSchema = z.strictObject({
  mode: z.literal('kiosk'),
  provisioning: ProvisioningViewSchema,
  credentialStorage: CredentialStorageSchema,
  serverUrl: ServerUrlStateSchema,
  devices: DeviceChoiceSchema,
  connection: ConnectionSchema,
  operatorLock: OperatorLockViewSchema,
});
export type KioskDesktopState = z.infer<typeof KioskDesktopStateSchema>;

/** The judge app never enrolls and has no operator lock: it knows its server (null: not chosen yet). */
export const JudgeDesktopStateSchema = z.strictObject({
  mode: z.literal('judge'),
  serverUrl: ServerUrlStateSchema,
  devices: DeviceChoiceSchema,
  connection: ConnectionSchema,
});
export type JudgeDesktopState = z.infer<typeof JudgeDesktopStateSchema>;

export const DesktopStateSchema = z.discriminatedUnion('mode', [KioskDesktopStateSchema, JudgeDesktopStateSchema]);
export type DesktopState = z.infer<typeof DesktopStateSchema>;

export const KioskCredentialSchema = z.strictObject({
  credential: z.string().min(1).max(1024),
  kioskId: IdSchema,
  siteId: IdSchema,
});
export type KioskCredential = z.infer<typeof KioskCredentialSchema>;

/** What `unlock` answers: unlocked, a wrong PIN (with the lockout if one started), or PIN check unavailable. */
export const UnlockResultSchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('unlocked'), relocksAtMs: z.number().int() }),
  z.strictObject({ outcome: z.literal('wrong_pin'), retryAtMs: z.number().int().nullable() }),
  z.strictObject({ outcome: z.literal('locked_out'), retryAtMs: z.number().int() }),
  z.strictObject({ outcome: z.literal('unavailable') }),
]);
export type UnlockResult = z.infer<typeof UnlockResultSchema>;

const NoArgs = z.tuple([]);

/**
 * Each request channel's argument list (`ipcRenderer.invoke(channel, ...args)`) and answer data.
 * Main parses `args` with `args`; the preload/test double may parse answers with `answer`.
 */
export const DesktopRequestSchemas = {
  [DesktopChannel.getState]: { args: NoArgs, answer: DesktopStateSchema },
  [DesktopChannel.getKioskCredential]: { args: NoArgs, answer: KioskCredentialSchema.nullable() },
  [DesktopChannel.provision]: { args: z.tuple([ProvisionInputSchema]), answer: DesktopStateSchema },
  [DesktopChannel.setServer]: { args: z.tuple([SetServerInputSchema]), answer: DesktopStateSchema },
  [DesktopChannel.unlock]: { args: z.tuple([UnlockInputSchema]), answer: UnlockResultSchema },
  [DesktopChannel.lock]: { args: NoArgs, answer: DesktopStateSchema },
  [DesktopChannel.exitKiosk]: { args: NoArgs, answer: z.null() },
  [DesktopChannel.reprovision]: { args: NoArgs, answer: DesktopStateSchema },
  [DesktopChannel.chooseDevices]: { args: z.tuple([DeviceChoiceSchema]), answer: DesktopStateSchema },
  [DesktopChannel.notify]: { args: z.tuple([NotifyInputSchema]), answer: z.null() },
  [DesktopChannel.setInHearing]: { args: z.tuple([InHearingInputSchema]), answer: z.null() },
} as const satisfies Record<DesktopRequestChannel, { args: z.ZodType; answer: z.ZodType }>;

export type DesktopRequestArgs<C extends DesktopRequestChannel> = z.output<(typeof DesktopRequestSchemas)[C]['args']>;

/** The error codes an IPC answer can carry (a subset of shared/errors.ts ERROR_CODES). */
export const DesktopErrorCodeSchema = z.enum([
  'BAD_REQUEST',
  'FORBIDDEN',
  'NOT_FOUND',
  'INVALID_STATE',
  'UNAUTHORIZED',
  'INTERNAL',
]);
export type DesktopErrorCode = z.infer<typeof DesktopErrorCodeSchema>;

export type DesktopAnswer<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: DesktopErrorCode; message: string } };

/**
 * What the preload exposes on `window.courtDesktop`. Operator actions in kiosk mode (exitKiosk,
 * reprovision, chooseDevices) are refused with FORBIDDEN unless `unlock(pin)` succeeded within the
 * inactivity timeout: one PIN entry opens the operator screen, not one per button.
 */
export interface DesktopApi {
  getState(): Promise<DesktopAnswer<DesktopState>>;
  getKioskCredential(): Promise<DesktopAnswer<KioskCredential | null>>;
  provision(input: ProvisionInput): Promise<DesktopAnswer<DesktopState>>;
  setServer(input: SetServerInput): Promise<DesktopAnswer<DesktopState>>;
  unlock(input: UnlockInput): Promise<DesktopAnswer<UnlockResult>>;
  lock(): Promise<DesktopAnswer<DesktopState>>;
  exitKiosk(): Promise<DesktopAnswer<null>>;
  reprovision(): Promise<DesktopAnswer<DesktopState>>;
  chooseDevices(devices: DeviceChoice): Promise<DesktopAnswer<DesktopState>>;
  notify(input: NotifyInput): Promise<DesktopAnswer<null>>;
  /** The hearing screen is shown (true) or left (false): no sleep, no screen saver in between. */
  setInHearing(input: InHearingInput): Promise<DesktopAnswer<null>>;
  /** Calls `listener` on every state change; answers the function that stops it. */
  onStateChanged(listener: (state: DesktopState) => void): () => void;
}
