import { z } from 'zod';
import {
  DEFAULT_DEVICES,
  type DesktopAnswer,
  DesktopChannel,
  type DesktopErrorCode,
  type DesktopState,
  DeviceChoiceSchema,
  type ShellMode,
} from '../../../shared/desktop.js';
import { assertUnreachable } from '../../../shared/errors.js';
import type { DesktopPaths } from './paths.js';
import { onRendererGone, ReconnectPolicy, type RendererGoneReason } from './policy/backoff.js';
import { type IpcValidated, validateIpc } from './policy/ipc.js';
import { isBlockedShortcut, type KeyInput, KioskLock, type PinVerifier } from './policy/kioskLock.js';
import { contentSecurityPolicy, mayNavigate, windowOpenDecision } from './policy/navigation.js';
import { isSameOrigin, SHELL_ORIGIN } from './policy/origin.js';
import { decidePermission, permissionCheck } from './policy/permissions.js';
import { cachingPinVerifier, type PinCache } from './policy/pinVerifier.js';
import {
  type CredentialStore,
  type Enroll,
  Provisioner,
  ProvisioningRefusedError,
  type ProvisioningState,
} from './policy/provisioning.js';

/*
 * The main process of both desktop shells, thin over the pure policies in ./policy/. Runs in Electron's
 * main process, but never imports 'electron': everything it touches comes through `ShellAdapter`
 * (built from the real modules in main.ts, from fakes in shell.test.ts), so it is unit-tested without
 * the Electron binary.
 *
 * The window shows either the shell's bundled screen (`app://shell/provision`: the kiosk before it is
 * provisioned, the judge app before it knows its server) or the court server's React app
 * (`<server>/kiosk`, `<server>/judge`). Whichever it shows is the "app origin" every trust decision is
 * made against: permissions, navigation, the CSP header and the IPC sender check.
 */

/** The subset of `BrowserWindowConstructorOptions` the shell sets. */
export interface ShellWindowOptions {
  title: string;
  show: boolean;
  kiosk: boolean;
  fullscreen: boolean;
  autoHideMenuBar: boolean;
  width: number;
  height: number;
  backgroundColor: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    navigateOnDragDrop: false;
    spellcheck: false;
    devTools: boolean;
  };
}

/** One BrowserWindow and its webContents, as the shell uses them. main.ts maps Electron's events. */
export interface ShellWindow {
  /** `webContents.id`; IPC events carry the sender's, so the shell knows the request came from this window. */
  readonly webContentsId: number;
  loadURL(url: string): Promise<void>;
  reload(): void;
  removeMenu(): void;
  show(): void;
  close(): void;
  isDestroyed(): boolean;
  /** `will-navigate`, `will-redirect` and `will-frame-navigate`: call `prevent` to stop it. */
  onWillNavigate(listener: (url: string, prevent: () => void) => void): void;
  /** `webContents.setWindowOpenHandler`. */
  setWindowOpenHandler(handler: (url: string) => { action: 'deny' }): void;
  /** `before-input-event`. */
  onBeforeInput(listener: (input: KeyInput, prevent: () => void) => void): void;
  /** `render-process-gone` (its `details.reason`) and `unresponsive` (reported as 'unresponsive'). */
  onRendererGone(listener: (reason: RendererGoneReason) => void): void;
  /** `did-fail-load` of the main frame (not aborted loads) and `did-finish-load` (with the page's URL). */
  onLoadFailed(listener: (url: string) => void): void;
  onLoadFinished(listener: (url: string) => void): void;
  /** The window's `close` event. */
  onClose(listener: (prevent: () => void) => void): void;
  send(channel: string, payload: unknown): void;
}

export interface PermissionRequestDetails {
  requestingUrl: string;
  isMainFrame: boolean;
  mediaTypes?: readonly string[] | undefined;
}

export interface PermissionCheckDetails {
  isMainFrame: boolean;
  mediaType?: string | undefined;
}

export interface ResponseHeadersDetails {
  url: string;
  responseHeaders?: Record<string, string[]> | undefined;
}

/** The window's session (`session.defaultSession`). */
export interface ShellSession {
  setPermissionRequestHandler(
    handler: (permission: string, callback: (granted: boolean) => void, details: PermissionRequestDetails) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (permission: string, requestingOrigin: string, details: PermissionCheckDetails) => boolean,
  ): void;
  /** `session.webRequest.onHeadersReceived`. */
  onHeadersReceived(
    listener: (
      details: ResponseHeadersDetails,
      callback: (response: { responseHeaders: Record<string, string[]> }) => void,
    ) => void,
  ): void;
}

/** What `ipcMain.handle` handlers receive, reduced to what the sender check needs. */
export interface ShellIpcEvent {
  /** `event.sender.id`. */
  senderId: number;
  /** `event.senderFrame`: null when the frame is gone. */
  senderFrame: { url: string; isTopFrame: boolean } | null;
}

export interface ShellSafeStorage {
  isEncryptionAvailable(): boolean;
  /** Linux only: 'basic_text' means no keyring, i.e. a hard-coded key: treated as unavailable. */
  getSelectedStorageBackend?(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** The files the shell keeps (settings, the encrypted credential). */
export interface ShellFiles {
  /** null when the file does not exist. */
  read(path: string): Promise<Buffer | null>;
  /** Creates the directory if needed; replaces the file atomically. */
  write(path: string, data: Buffer): Promise<void>;
  remove(path: string): Promise<void>;
}

export interface ShellLogger {
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

export interface ShellAdapter {
  app: {
    quit(): void;
    exit(code: number): void;
    relaunch(): void;
  };
  createWindow(options: ShellWindowOptions): ShellWindow;
  session: ShellSession;
  ipcMain: {
    handle(channel: string, handler: (event: ShellIpcEvent, ...args: unknown[]) => Promise<unknown>): void;
  };
  powerSaveBlocker: {
    start(type: 'prevent-display-sleep'): number;
    stop(id: number): void;
  };
  safeStorage: ShellSafeStorage;
  /** `shell.openExternal`: part of the adapter only so tests can see it is never called. */
  shell: { openExternal(url: string): Promise<void> };
  /** An Electron `Notification` (judge app); false when the OS does not support them. */
  notify(title: string, body: string): boolean;
  files: ShellFiles;
  /** `process.on('uncaughtException')` and `('unhandledRejection')`. */
  onFatalError(listener: (error: unknown) => void): void;
  setTimeout(callback: () => void, ms: number): void;
  now(): number;
  /** Whether `url` answers 2xx within a few seconds (`net.fetch`): the server is reachable again. */
  probe(url: string): Promise<boolean>;
}

export interface ShellOptions {
  mode: ShellMode;
  adapter: ShellAdapter;
  paths: DesktopPaths;
  /** The bundled preload (dist/electron/preload.cjs). */
  preloadPath: string;
  /** Packaged app: no devtools. */
  production: boolean;
  /** Redeems an enrollment code (main.ts: `httpEnroll(fetch)`). */
  enroll: Enroll;
  /** Checks the operator PIN (see policy/kioskLock.ts for where it should come from). */
  verifyPin: PinVerifier;
  log: ShellLogger;
}

/** The bundled screen shown before the shell knows its server. */
export const PROVISION_URL = `${SHELL_ORIGIN}/provision`;

/**
 * The bundled calm screen shown while the server's page cannot be loaded (instead of Chromium's error
 * page); the shell probes the server meanwhile and goes back to the page that failed once it answers.
 */
export const RECONNECTING_URL = `${SHELL_ORIGIN}/reconnecting`;

/** What the shell probes to know the server is back (server/http: GET /api/health, no auth). */
export const HEALTH_PATH = '/api/health';

/** Settings file: parsed on load; anything malformed is replaced by the defaults. */
const SettingsSchema = z.strictObject({
  version: z.literal(1),
  /** The judge app's server (the kiosk's comes with its stored credential). */
  serverUrl: z.string().max(2048).nullable(),
  devices: DeviceChoiceSchema,
});
type Settings = z.infer<typeof SettingsSchema>;
const DEFAULT_SETTINGS: Settings = { version: 1, serverUrl: null, devices: DEFAULT_DEVICES };

export class CredentialEncryptionUnavailableError extends Error {
  readonly code = 'INVALID_STATE';
  constructor() {
    super(
      'the OS keyring is not available (safeStorage), so the device credential is not stored: ' +
        'the kiosk works until it restarts; set up the keyring (Linux: gnome-keyring or kwallet) and provision again',
    );
    this.name = 'CredentialEncryptionUnavailableError';
  }
}

/**
 * The device credential, encrypted with safeStorage, in the credential file. Refuses to save (rather
 * than write it in plain text) when encryption is unavailable, including Linux's 'basic_text' backend.
 */
export class SafeStorageCredentialStore implements CredentialStore {
  readonly #safeStorage: ShellSafeStorage;
  readonly #files: ShellFiles;
  readonly #path: string;

  constructor(safeStorage: ShellSafeStorage, files: ShellFiles, path: string) {
    this.#safeStorage = safeStorage;
    this.#files = files;
    this.#path = path;
  }

  get available(): boolean {
    if (!this.#safeStorage.isEncryptionAvailable()) return false;
    return this.#safeStorage.getSelectedStorageBackend?.() !== 'basic_text';
  }

  async save(credential: string): Promise<void> {
    if (!this.available) throw new CredentialEncryptionUnavailableError();
    await this.#files.write(this.#path, this.#safeStorage.encryptString(credential));
  }

  async load(): Promise<string | null> {
    const bytes = await this.#files.read(this.#path);
    if (bytes === null || !this.available) return null;
    return this.#safeStorage.decryptString(bytes);
  }

  async clear(): Promise<void> {
    await this.#files.remove(this.#path);
  }
}

/**
 * The offline copy of the operator PIN (policy/pinVerifier.ts): encrypted with safeStorage when the
 * keyring is there, else kept in memory for this run only (never written in plain text).
 */
export class OperatorPinCache implements PinCache {
  readonly #store: SafeStorageCredentialStore;
  #memory: string | null = null;

  constructor(store: SafeStorageCredentialStore) {
    this.#store = store;
  }

  async load(): Promise<string | null> {
    return this.#memory ?? (await this.#store.load());
  }

  async save(record: string): Promise<void> {
    this.#memory = record;
    if (this.#store.available) await this.#store.save(record);
  }

  async clear(): Promise<void> {
    this.#memory = null;
    await this.#store.clear();
  }
}

type Answer = DesktopAnswer<unknown>;

function ok(data: unknown): Answer {
  return { ok: true, data };
}

function fail(code: DesktopErrorCode, message: string): Answer {
  return { ok: false, error: { code, message } };
}

/** One shell: its window, its session handlers, its IPC handlers. `start()` once the app is ready. */
export class Shell {
  readonly #mode: ShellMode;
  readonly #adapter: ShellAdapter;
  readonly #options: ShellOptions;
  readonly #log: ShellLogger;
  readonly #lock: KioskLock;
  readonly #store: SafeStorageCredentialStore | null;
  readonly #provisioner: Provisioner | null;
  readonly #reconnect = new ReconnectPolicy();
  #settings: Settings = DEFAULT_SETTINGS;
  #window: ShellWindow | null = null;
  #currentUrl = PROVISION_URL;
  #connection: DesktopState['connection'] = 'online';
  #crashes: number[] = [];
  #powerSaveId: number | null = null;
  #exiting = false;
  #gaveUp = false;
  /** While reconnecting: the server page that failed to load, loaded again once the server answers. */
  #returnUrl: string | null = null;
  /** A probe of the server is scheduled or running (one at a time). */
  #probing = false;
  readonly #pinCache: OperatorPinCache | null;

  constructor(options: ShellOptions) {
    this.#mode = options.mode;
    this.#adapter = options.adapter;
    this.#options = options;
    this.#log = options.log;
    const { credentialFile, operatorPinFile } = options.paths;
    if (options.mode === 'kiosk') {
      if (credentialFile === null || operatorPinFile === null) {
        throw new TypeError('Shell: the kiosk needs its credential and operator PIN file paths');
      }
      const { safeStorage, files } = options.adapter;
      this.#pinCache = new OperatorPinCache(new SafeStorageCredentialStore(safeStorage, files, operatorPinFile));
      this.#lock = new KioskLock({
        verify: cachingPinVerifier(options.verifyPin, this.#pinCache, options.log),
        now: () => options.adapter.now(),
      });
      this.#store = new SafeStorageCredentialStore(safeStorage, files, credentialFile);
      this.#provisioner = new Provisioner({
        enroll: options.enroll,
        store: this.#store,
        isUnlocked: () => this.#lock.unlocked,
        onChange: () => this.#pushState(),
      });
    } else {
      this.#pinCache = null;
      this.#lock = new KioskLock({ verify: async () => 'unavailable', now: () => options.adapter.now() });
      this.#store = null;
      this.#provisioner = null;
    }
  }

  /** Installs the crash handler, loads settings and the credential, wires the session, IPC and window. */
  async start(): Promise<void> {
    this.#adapter.onFatalError((error) => this.#onFatalError(error));
    this.#settings = await this.#loadSettings();
    if (this.#provisioner) {
      const restored = await this.#provisioner.restore();
      this.#log.info(
        { status: restored.status, encryption: this.credentialEncryption },
        'start: provisioning restored',
      );
    }
    this.#wireSession();
    this.#wireIpc();
    const window = this.#createWindow();
    this.#window = window;
    await this.#load(this.#targetUrl());
    window.show();
  }

  get appOrigin(): string {
    return originOf(this.#currentUrl);
  }

  /** The kiosk's provisioning state (with whether the credential was persisted). */
  get provisioning(): ProvisioningState | null {
    return this.#provisioner?.state ?? null;
  }

  /** Whether the keyring can store the credential encrypted (the judge app keeps none). */
  get credentialEncryption(): 'available' | 'unavailable' | 'none' {
    if (!this.#store) return 'none';
    return this.#store.available ? 'available' : 'unavailable';
  }

  get state(): DesktopState {
    const common = { serverUrl: this.#serverUrl(), devices: this.#settings.devices, connection: this.#connection };
    if (!this.#provisioner) return { mode: 'judge', ...common };
    const provisioning = this.#provisioner.state;
    return {
      mode: 'kiosk',
      provisioning: this.#provisioner.view,
      credentialStorage:
        provisioning.status !== 'provisioned' ? 'none' : provisioning.persisted ? 'encrypted' : 'session_only',
      ...common,
      operatorLock: this.#lock.view,
    };
  }

  /** The renderer is (or is no longer) in a hearing: the display must not sleep meanwhile. */
  setInHearing(inHearing: boolean): void {
    if (inHearing && this.#powerSaveId === null) {
      this.#powerSaveId = this.#adapter.powerSaveBlocker.start('prevent-display-sleep');
    } else if (!inHearing && this.#powerSaveId !== null) {
      this.#adapter.powerSaveBlocker.stop(this.#powerSaveId);
      this.#powerSaveId = null;
    }
  }

  /** Handles one IPC request as `ipcMain.handle` would; public for the tests' fake adapter. */
  async handleIpc(channel: string, event: ShellIpcEvent, args: unknown[]): Promise<Answer> {
    const window = this.#window;
    const frame = event.senderFrame;
    const fromThisWindow = window !== null && !window.isDestroyed() && event.senderId === window.webContentsId;
    const sender = { url: frame?.url ?? '', isTopFrame: fromThisWindow && frame?.isTopFrame === true };
    const validated = validateIpc(channel, args, sender, this.appOrigin);
    if (!validated.ok) {
      this.#log.warn({ channel, code: validated.error.code }, 'ipc: request refused');
      return validated;
    }
    if (this.#mode === 'kiosk' && this.#lock.unlocked) this.#lock.activity();
    try {
      return await this.#dispatch(validated);
    } catch (error) {
      if (error instanceof ProvisioningRefusedError) return fail(error.code, error.message);
      this.#log.error({ channel, err: error }, 'ipc: handler failed');
      return fail('INTERNAL', `${channel} failed; see the shell's log`);
    }
  }

  async #dispatch(request: IpcValidated): Promise<Answer> {
    switch (request.channel) {
      case DesktopChannel.getState:
        return ok(this.state);
      case DesktopChannel.getKioskCredential: {
        const state = this.#provisioner?.state;
        if (state?.status !== 'provisioned') return ok(null);
        return ok({ credential: state.credential, kioskId: state.kioskId, siteId: state.siteId });
      }
      case DesktopChannel.provision: {
        if (!this.#provisioner)
          return fail('INVALID_STATE', 'the judge app is not provisioned; set its server instead');
        const state = await this.#provisioner.provision(request.args[0]);
        if (state.status === 'provisioned') {
          if (!state.persisted) {
            this.#log.warn(
              { encryption: this.credentialEncryption },
              'provision: credential kept for this session only',
            );
          }
          await this.#load(this.#targetUrl());
        }
        return ok(this.state);
      }
      case DesktopChannel.setServer: {
        if (this.#mode !== 'judge') return fail('INVALID_STATE', 'a kiosk gets its server by provisioning');
        await this.#saveSettings({ ...this.#settings, serverUrl: request.args[0].serverUrl });
        this.#returnUrl = null;
        await this.#load(this.#targetUrl());
        return ok(this.state);
      }
      case DesktopChannel.unlock:
        if (this.#mode !== 'kiosk') return fail('INVALID_STATE', 'only the kiosk has an operator lock');
        return this.#withStatePush(ok(await this.#lock.unlock(request.args[0].pin)));
      case DesktopChannel.lock:
        this.#lock.lock();
        return this.#withStatePush(ok(this.state));
      case DesktopChannel.exitKiosk: {
        const refused = this.#operatorRefusal();
        if (refused) return refused;
        this.#exit();
        return ok(null);
      }
      case DesktopChannel.reprovision: {
        if (!this.#provisioner) return fail('INVALID_STATE', 'the judge app is not provisioned');
        await this.#provisioner.reprovision();
        this.#lock.lock();
        // The next site may have another PIN: only its server's verdict counts from now on.
        await this.#pinCache?.clear();
        this.#returnUrl = null;
        await this.#load(PROVISION_URL);
        return ok(this.state);
      }
      case DesktopChannel.chooseDevices: {
        const refused = this.#operatorRefusal();
        if (refused) return refused;
        await this.#saveSettings({ ...this.#settings, devices: request.args[0] });
        return this.#withStatePush(ok(this.state));
      }
      case DesktopChannel.notify: {
        if (this.#mode !== 'judge') return fail('INVALID_STATE', 'notifications are for the judge app');
        const { title, body } = request.args[0];
        if (!this.#adapter.notify(title, body)) return fail('INVALID_STATE', 'this system shows no notifications');
        return ok(null);
      }
      case DesktopChannel.setInHearing:
        this.setInHearing(request.args[0].inHearing);
        return ok(null);
      default:
        return assertUnreachable(request);
    }
  }

  /** Kiosk operator actions need the unlocked lock; the judge app has none. */
  #operatorRefusal(): Answer | null {
    if (this.#mode === 'judge' || this.#lock.unlocked) return null;
    return fail('FORBIDDEN', 'enter the operator PIN first');
  }

  #withStatePush(answer: Answer): Answer {
    this.#pushState();
    return answer;
  }

  #createWindow(): ShellWindow {
    const kiosk = this.#mode === 'kiosk';
    const window = this.#adapter.createWindow(
      windowOptions(this.#mode, this.#options.preloadPath, this.#options.production),
    );
    if (kiosk) window.removeMenu();
    window.onWillNavigate((url, prevent) => {
      if (!mayNavigate(url, this.appOrigin)) {
        this.#log.warn({ url }, 'navigate: refused');
        prevent();
      }
    });
    window.setWindowOpenHandler(() => windowOpenDecision());
    window.onBeforeInput((input, prevent) => {
      if (!kiosk) return;
      if (isBlockedShortcut(input)) prevent();
      else if (this.#lock.unlocked) this.#lock.activity();
    });
    window.onRendererGone((reason) => this.#onRendererGone(reason));
    window.onLoadFailed((url) => this.#onLoadFailed(url));
    window.onLoadFinished((url) => this.#onLoadFinished(url));
    window.onClose((prevent) => {
      if (kiosk && !this.#exiting) prevent();
    });
    return window;
  }

  #wireSession(): void {
    const session = this.#adapter.session;
    session.setPermissionRequestHandler((permission, callback, details) => {
      const decision = decidePermission({
        permission,
        requestingUrl: details.requestingUrl,
        appOrigin: this.appOrigin,
        mediaTypes: details.mediaTypes,
        isMainFrame: details.isMainFrame,
      });
      if (!decision.grant) this.#log.warn({ permission, reason: decision.reason }, 'permission: refused');
      callback(decision.grant);
    });
    session.setPermissionCheckHandler((permission, requestingOrigin, details) =>
      permissionCheck({
        permission,
        requestingOrigin,
        appOrigin: this.appOrigin,
        mediaType: details.mediaType,
        isMainFrame: details.isMainFrame,
      }),
    );
    session.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: withCsp(details, this.appOrigin) });
    });
  }

  #wireIpc(): void {
    for (const channel of Object.values(DesktopChannel)) {
      if (channel === DesktopChannel.stateChanged) continue;
      this.#adapter.ipcMain.handle(channel, (event, ...args) => this.handleIpc(channel, event, args));
    }
  }

  async #load(url: string): Promise<void> {
    this.#currentUrl = url;
    this.#gaveUp = false;
    const window = this.#window;
    if (!window || window.isDestroyed()) return;
    try {
      await window.loadURL(url);
    } catch (error) {
      // A failed load is reported by onLoadFailed too; the retry is scheduled there.
      this.#log.warn({ url, err: error }, 'load: failed');
    }
  }

  /**
   * A page of the server failed to load (no network, server down): show the calm reconnecting screen
   * instead of Chromium's error page, and probe the server until it answers.
   */
  #onLoadFailed(url: string): void {
    const server = this.#serverUrl();
    if (this.#gaveUp || this.#exiting || server === null || !isSameOrigin(url, server)) return;
    this.#returnUrl = url;
    this.#setConnection('reconnecting');
    this.#log.warn({ url, attempts: this.#reconnect.attempts }, 'load: server unreachable, reconnecting');
    void this.#load(RECONNECTING_URL);
    this.#scheduleProbe();
  }

  #onLoadFinished(url: string): void {
    const server = this.#serverUrl();
    if (server === null || !isSameOrigin(url, server)) return;
    this.#returnUrl = null;
    this.#setConnection('online');
    this.#reconnect.connected(this.#adapter.now());
  }

  #scheduleProbe(): void {
    if (this.#probing) return;
    this.#probing = true;
    const delay = this.#reconnect.failed(this.#adapter.now());
    this.#adapter.setTimeout(() => void this.#probeServer(), delay);
  }

  /** The server answers again: back to the page that failed (its own load may fail again: then round again). */
  async #probeServer(): Promise<void> {
    const server = this.#serverUrl();
    let up = false;
    if (server !== null && this.#connection === 'reconnecting' && !this.#exiting && !this.#gaveUp) {
      up = await this.#adapter.probe(`${server}${HEALTH_PATH}`).catch(() => false);
    }
    this.#probing = false;
    if (server === null || this.#connection !== 'reconnecting' || this.#exiting || this.#gaveUp) return;
    if (!up) {
      this.#scheduleProbe();
      return;
    }
    const target = this.#returnUrl !== null && isSameOrigin(this.#returnUrl, server) ? this.#returnUrl : null;
    this.#log.info({ url: target ?? this.#targetUrl() }, 'load: server answers again');
    await this.#load(target ?? this.#targetUrl());
  }

  #setConnection(connection: DesktopState['connection']): void {
    if (this.#connection === connection) return;
    this.#connection = connection;
    this.#pushState();
  }

  #onRendererGone(reason: RendererGoneReason): void {
    if (this.#exiting) return;
    const now = this.#adapter.now();
    const recovery = onRendererGone(reason, this.#crashes, now);
    this.#crashes = [...this.#crashes.filter((at) => now - at < 60 * 60_000), now];
    this.#log.error({ reason, recovery, crashes: this.#crashes.length }, 'renderer: gone');
    // A renderer that is gone is no longer in a hearing; it says so again once it rejoins.
    this.setInHearing(false);
    switch (recovery) {
      case 'reload':
        this.#window?.reload();
        return;
      case 'restart-app':
        this.#relaunch(0);
        return;
      case 'give-up-show-error':
        this.#gaveUp = true;
        void this.#window?.loadURL(ERROR_PAGE_URL);
        return;
      default:
        assertUnreachable(recovery);
    }
  }

  #onFatalError(error: unknown): void {
    this.#log.error({ err: error }, 'main: uncaught error, restarting the app');
    this.#relaunch(1);
  }

  #relaunch(code: number): void {
    this.#exiting = true;
    this.setInHearing(false);
    this.#adapter.app.relaunch();
    this.#adapter.app.exit(code);
  }

  #exit(): void {
    this.#exiting = true;
    this.setInHearing(false);
    this.#log.info({}, 'exit: the operator left the kiosk');
    this.#adapter.app.quit();
  }

  #pushState(): void {
    const window = this.#window;
    if (window && !window.isDestroyed()) window.send(DesktopChannel.stateChanged, this.state);
  }

  #serverUrl(): string | null {
    if (this.#mode === 'judge') return this.#settings.serverUrl;
    const state = this.#provisioner?.state;
    return state?.status === 'provisioned' || state?.status === 'enrolling' ? state.serverUrl : null;
  }

  #targetUrl(): string {
    const server = this.#serverUrl();
    if (server === null || this.#provisioner?.state.status === 'enrolling') return PROVISION_URL;
    return `${server}/${this.#mode}`;
  }

  async #loadSettings(): Promise<Settings> {
    let bytes: Buffer | null;
    try {
      bytes = await this.#adapter.files.read(this.#options.paths.settingsFile);
    } catch (error) {
      this.#log.warn({ err: error }, 'settings: unreadable, using the defaults');
      return DEFAULT_SETTINGS;
    }
    if (bytes === null) return DEFAULT_SETTINGS;
    try {
      const parsed = SettingsSchema.safeParse(JSON.parse(bytes.toString('utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // falls through
    }
    this.#log.warn({ file: this.#options.paths.settingsFile }, 'settings: malformed, using the defaults');
    return DEFAULT_SETTINGS;
  }

  async #saveSettings(settings: Settings): Promise<void> {
    await this.#adapter.files.write(
      this.#options.paths.settingsFile,
      Buffer.from(`${JSON.stringify(settings, null, 2)}\n`, 'utf8'),
    );
    this.#settings = settings;
  }
}

/** The window options: locked down in both modes; the kiosk full-screen in kiosk mode. */
export function windowOptions(mode: ShellMode, preloadPath: string, production: boolean): ShellWindowOptions {
  const kiosk = mode === 'kiosk';
  return {
    title: kiosk ? '共享法庭终端' : '共享法庭法官端',
    show: false,
    kiosk,
    fullscreen: kiosk,
    autoHideMenuBar: true,
    width: 1280,
    height: 800,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: !production,
    },
  };
}

/** The response headers with the shell's CSP added to the app origin's responses (kept alongside the server's). */
export function withCsp(details: ResponseHeadersDetails, appOrigin: string): Record<string, string[]> {
  const headers = { ...(details.responseHeaders ?? {}) };
  if (!isSameOrigin(details.url, appOrigin)) return headers;
  const existingKey = Object.keys(headers).find((key) => key.toLowerCase() === 'content-security-policy');
  const existing = existingKey === undefined ? [] : (headers[existingKey] ?? []);
  if (existingKey !== undefined) delete headers[existingKey];
  headers['Content-Security-Policy'] = [...existing, contentSecurityPolicy(appOrigin)];
  return headers;
}

function originOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}

/** Shown when the renderer keeps crashing: static, no script, nothing to call. */
export const ERROR_PAGE_URL = `data:text/html;charset=utf-8,${encodeURIComponent(
  [
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<title>共享法庭</title></head>',
    '<body style="font: 28px sans-serif; text-align: center; padding-top: 20vh">',
    '<p>终端出现故障，请联系联络员或法院技术人员。</p>',
    '<p style="font-size: 20px">The kiosk stopped after repeated errors. Please call the operator.</p>',
    '</body></html>',
  ].join(''),
)}`;
