import { describe, expect, it } from 'vitest';
import { DesktopChannel } from '../../../shared/desktop.js';
import { desktopPaths } from './paths.js';
import type { RendererGoneReason } from './policy/backoff.js';
import type { KeyInput, PinVerifier } from './policy/kioskLock.js';
import type { EnrollResult } from './policy/provisioning.js';
import {
  ERROR_PAGE_URL,
  HEALTH_PATH,
  type PermissionCheckDetails,
  type PermissionRequestDetails,
  PROVISION_URL,
  RECONNECTING_URL,
  type ResponseHeadersDetails,
  Shell,
  type ShellAdapter,
  type ShellIpcEvent,
  type ShellWindow,
  type ShellWindowOptions,
} from './shell.js';

const SERVER = 'https://court.example';
const PIN = '4821';
const ENROLLED: EnrollResult = { ok: true, kioskId: 'kiosk-1', siteId: 'site-1', credential: 'secret-credential' };

class FakeWindow implements ShellWindow {
  readonly webContentsId = 7;
  readonly options: ShellWindowOptions;
  loaded: string[] = [];
  reloads = 0;
  menuRemoved = false;
  sent: { channel: string; payload: unknown }[] = [];
  navigate: (url: string, prevent: () => void) => void = () => {};
  openHandler: (url: string) => { action: 'deny' } = () => ({ action: 'deny' });
  input: (input: KeyInput, prevent: () => void) => void = () => {};
  gone: (reason: RendererGoneReason) => void = () => {};
  closeListener: (prevent: () => void) => void = () => {};

  constructor(options: ShellWindowOptions) {
    this.options = options;
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
  }
  reload(): void {
    this.reloads += 1;
  }
  removeMenu(): void {
    this.menuRemoved = true;
  }
  show(): void {}
  close(): void {}
  isDestroyed(): boolean {
    return false;
  }
  onWillNavigate(listener: (url: string, prevent: () => void) => void): void {
    this.navigate = listener;
  }
  setWindowOpenHandler(handler: (url: string) => { action: 'deny' }): void {
    this.openHandler = handler;
  }
  onBeforeInput(listener: (input: KeyInput, prevent: () => void) => void): void {
    this.input = listener;
  }
  onRendererGone(listener: (reason: RendererGoneReason) => void): void {
    this.gone = listener;
  }
  loadFailed: (url: string) => void = () => {};
  loadFinished: (url: string) => void = () => {};
  onLoadFailed(listener: (url: string) => void): void {
    this.loadFailed = listener;
  }
  onLoadFinished(listener: (url: string) => void): void {
    this.loadFinished = listener;
  }
  onClose(listener: (prevent: () => void) => void): void {
    this.closeListener = listener;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  get url(): string {
    return this.loaded.at(-1) ?? '';
  }
}

/** A fake safeStorage: reversible, but visibly not the plain text. */
const encrypt = (text: string) => Buffer.from(`enc:${Buffer.from(text).toString('base64')}`);
const decrypt = (bytes: Buffer) => Buffer.from(bytes.toString().slice(4), 'base64').toString();

function setup(options: { mode?: 'kiosk' | 'judge'; encryption?: boolean; pin?: PinVerifier } = {}) {
  const timers: { ms: number; run: () => void }[] = [];
  const probes: string[] = [];
  let serverUp = true;
  const mode = options.mode ?? 'kiosk';
  const disk = new Map<string, Buffer>();
  const calls = { quit: 0, exit: [] as number[], relaunch: 0, openExternal: [] as string[] };
  const notifications: { title: string; body: string }[] = [];
  const blockers = new Set<number>();
  const handlers = new Map<string, (event: ShellIpcEvent, ...args: unknown[]) => Promise<unknown>>();
  let window: FakeWindow | null = null;
  let nowMs = 1_000_000;
  let fatal: (error: unknown) => void = () => {};
  let permissionRequest: (p: string, cb: (granted: boolean) => void, d: PermissionRequestDetails) => void = () => {};
  let permissionCheck: (p: string, origin: string, d: PermissionCheckDetails) => boolean = () => true;
  let headers: (d: ResponseHeadersDetails, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void =
    () => {};
  let nextBlocker = 1;
  const adapter: ShellAdapter = {
    app: {
      quit: () => {
        calls.quit += 1;
      },
      exit: (code) => {
        calls.exit.push(code);
      },
      relaunch: () => {
        calls.relaunch += 1;
      },
    },
    createWindow: (windowOptions) => {
      window = new FakeWindow(windowOptions);
      return window;
    },
    session: {
      setPermissionRequestHandler: (handler) => {
        permissionRequest = handler;
      },
      setPermissionCheckHandler: (handler) => {
        permissionCheck = handler;
      },
      onHeadersReceived: (listener) => {
        headers = listener;
      },
    },
    ipcMain: { handle: (channel, handler) => void handlers.set(channel, handler) },
    powerSaveBlocker: {
      start: () => {
        const id = nextBlocker++;
        blockers.add(id);
        return id;
      },
      stop: (id) => void blockers.delete(id),
    },
    safeStorage: {
      isEncryptionAvailable: () => options.encryption ?? true,
      encryptString: encrypt,
      decryptString: decrypt,
    },
    shell: {
      openExternal: async (url) => {
        calls.openExternal.push(url);
      },
    },
    notify: (title, body) => {
      notifications.push({ title, body });
      return true;
    },
    files: {
      read: async (file) => disk.get(file) ?? null,
      write: async (file, data) => void disk.set(file, data),
      remove: async (file) => void disk.delete(file),
    },
    onFatalError: (listener) => {
      fatal = listener;
    },
    setTimeout: (run, ms) => void timers.push({ run, ms }),
    now: () => nowMs,
    probe: async (url) => {
      probes.push(url);
      return serverUp;
    },
  };
  const paths = desktopPaths(mode, '/home/hall/.config', 'linux');
  const log = { info: () => {}, warn: () => {}, error: () => {} };
  const shell = new Shell({
    mode,
    adapter,
    paths,
    preloadPath: '/app/preload.cjs',
    production: true,
    enroll: async () => ENROLLED,
    verifyPin: options.pin ?? (async (pin) => (pin === PIN ? 'ok' : 'wrong')),
    log,
  });
  const win = () => {
    if (!window) throw new Error('no window yet');
    return window;
  };
  /** Invokes like the renderer's top frame at the window's current URL, through the registered handler. */
  const invoke = (channel: string, args: unknown[] = [], event?: Partial<ShellIpcEvent>) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ senderId: 7, senderFrame: { url: win().url, isTopFrame: true }, ...event }, ...args);
  };
  return {
    shell,
    disk,
    calls,
    notifications,
    blockers,
    paths,
    win,
    invoke,
    advance: (ms: number) => {
      nowMs += ms;
    },
    fatal: (error: unknown) => fatal(error),
    timers,
    probes,
    setServerUp: (up: boolean) => {
      serverUp = up;
    },
    /** Runs the timers due so far (the shell's retries), letting their async work settle. */
    runTimers: async () => {
      for (const timer of timers.splice(0)) timer.run();
      for (let i = 0; i < 10; i += 1) await Promise.resolve();
      await new Promise((resolve) => setImmediate(resolve));
    },
    requestPermission: (permission: string, details: PermissionRequestDetails) =>
      new Promise<boolean>((resolve) => permissionRequest(permission, resolve, details)),
    checkPermission: (permission: string, origin: string, details: PermissionCheckDetails) =>
      permissionCheck(permission, origin, details),
    responseHeaders: (details: ResponseHeadersDetails) =>
      new Promise<Record<string, string[]>>((resolve) => headers(details, (r) => resolve(r.responseHeaders))),
  };
}

async function provisioned(options: Parameters<typeof setup>[0] = {}) {
  const kiosk = setup(options);
  await kiosk.shell.start();
  await kiosk.invoke(DesktopChannel.provision, [{ serverUrl: SERVER, enrollmentCode: '7kq4m-xh2pd' }]);
  return kiosk;
}

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({
  type: 'keyDown',
  key: k,
  control: false,
  alt: false,
  shift: false,
  meta: false,
  ...mods,
});

describe('Shell window', () => {
  it('opens the kiosk locked down, full-screen, without a menu or devtools', async () => {
    const { shell, win } = setup();
    await shell.start();
    expect(win().options).toMatchObject({
      kiosk: true,
      fullscreen: true,
      autoHideMenuBar: true,
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        webviewTag: false,
        devTools: false,
        preload: '/app/preload.cjs',
      },
    });
    expect(win().menuRemoved).toBe(true);
    expect(win().url).toBe(PROVISION_URL);
  });

  it('opens the judge app as a normal window, equally locked down', async () => {
    const { shell, win } = setup({ mode: 'judge' });
    await shell.start();
    expect(win().options).toMatchObject({
      kiosk: false,
      fullscreen: false,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
    });
  });
});

describe('Shell session', () => {
  it('grants camera and microphone to the app origin only', async () => {
    const kiosk = await provisioned();
    expect(kiosk.win().url).toBe(`${SERVER}/kiosk`);
    const media = (requestingUrl: string, isMainFrame = true) =>
      kiosk.requestPermission('media', { requestingUrl, isMainFrame, mediaTypes: ['audio', 'video'] });
    expect(await media(`${SERVER}/kiosk`)).toBe(true);
    expect(await media('https://evil.example/')).toBe(false);
    expect(await media(`${SERVER}/kiosk`, false)).toBe(false);
    expect(await kiosk.requestPermission('geolocation', { requestingUrl: SERVER, isMainFrame: true })).toBe(false);
    expect(await kiosk.requestPermission('notifications', { requestingUrl: SERVER, isMainFrame: true })).toBe(false);
    expect(kiosk.checkPermission('media', SERVER, { isMainFrame: true, mediaType: 'video' })).toBe(true);
    expect(kiosk.checkPermission('media', 'https://evil.example', { isMainFrame: true, mediaType: 'video' })).toBe(
      false,
    );
  });

  it('adds the CSP to the app origin responses', async () => {
    const kiosk = await provisioned();
    const headers = await kiosk.responseHeaders({ url: `${SERVER}/assets/index.js`, responseHeaders: {} });
    expect(headers['Content-Security-Policy']?.[0]).toContain("script-src 'self'");
    expect(headers['Content-Security-Policy']?.[0]).toContain('connect-src');
  });
});

describe('Shell navigation', () => {
  it('prevents navigation to another origin and allows the app origin', async () => {
    const kiosk = await provisioned();
    let prevented = 0;
    kiosk.win().navigate('https://evil.example/phish', () => {
      prevented += 1;
    });
    kiosk.win().navigate('file:///etc/passwd', () => {
      prevented += 1;
    });
    expect(prevented).toBe(2);
    kiosk.win().navigate(`${SERVER}/kiosk/h1/p1`, () => {
      prevented += 1;
    });
    expect(prevented).toBe(2);
  });

  it('denies window.open and never opens anything externally', async () => {
    const kiosk = await provisioned();
    expect(kiosk.win().openHandler('https://evil.example/')).toEqual({ action: 'deny' });
    expect(kiosk.win().openHandler(`${SERVER}/kiosk`)).toEqual({ action: 'deny' });
    kiosk.win().navigate('mailto:someone@example.com', () => {});
    expect(kiosk.calls.openExternal).toEqual([]);
  });
});

describe('Shell IPC', () => {
  it('answers a well-formed request from the app top frame', async () => {
    const kiosk = setup();
    await kiosk.shell.start();
    expect(await kiosk.invoke(DesktopChannel.getState)).toMatchObject({
      ok: true,
      data: { mode: 'kiosk', provisioning: { status: 'unprovisioned', error: null }, serverUrl: null },
    });
  });

  it('refuses hostile payloads, subframes, other origins and other windows', async () => {
    const kiosk = setup();
    await kiosk.shell.start();
    const polluted = JSON.parse('{"serverUrl":"https://court.example","enrollmentCode":"7kq4m-xh2pd","__proto__":{}}');
    expect(await kiosk.invoke(DesktopChannel.provision, [polluted])).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(
      await kiosk.invoke(DesktopChannel.provision, [{ serverUrl: 'javascript:alert(1)', enrollmentCode: 'x' }]),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(
      await kiosk.invoke(DesktopChannel.getState, [], { senderFrame: { url: PROVISION_URL, isTopFrame: false } }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(
      await kiosk.invoke(DesktopChannel.getState, [], {
        senderFrame: { url: 'https://evil.example/', isTopFrame: true },
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await kiosk.invoke(DesktopChannel.getState, [], { senderId: 99 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await kiosk.invoke(DesktopChannel.getState, [], { senderFrame: null })).toMatchObject({ ok: false });
    expect(kiosk.shell.provisioning?.status).toBe('unprovisioned');
  });

  it('refuses the bundled screen once the server page is the app', async () => {
    const kiosk = await provisioned();
    expect(
      await kiosk.invoke(DesktopChannel.getKioskCredential, [], {
        senderFrame: { url: PROVISION_URL, isTopFrame: true },
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await kiosk.invoke(DesktopChannel.getKioskCredential)).toEqual({
      ok: true,
      data: { credential: 'secret-credential', kioskId: 'kiosk-1', siteId: 'site-1' },
    });
  });
});

describe('Shell kiosk lock', () => {
  it('swallows blocked shortcuts and lets ordinary typing through', async () => {
    const kiosk = await provisioned();
    const prevented = (input: KeyInput) => {
      let was = false;
      kiosk.win().input(input, () => {
        was = true;
      });
      return was;
    };
    expect(prevented(key('F4', { alt: true }))).toBe(true);
    expect(prevented(key('I', { control: true, shift: true }))).toBe(true);
    expect(prevented(key('F12'))).toBe(true);
    expect(prevented(key('a'))).toBe(false);
    expect(prevented(key('Enter'))).toBe(false);
  });

  it('exits only after the operator PIN, and keeps the window open otherwise', async () => {
    const kiosk = await provisioned();
    let closePrevented = false;
    kiosk.win().closeListener(() => {
      closePrevented = true;
    });
    expect(closePrevented).toBe(true);
    expect(await kiosk.invoke(DesktopChannel.exitKiosk)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await kiosk.invoke(DesktopChannel.unlock, [{ pin: '0000' }])).toMatchObject({
      ok: true,
      data: { outcome: 'wrong_pin' },
    });
    expect(await kiosk.invoke(DesktopChannel.exitKiosk)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(kiosk.calls.quit).toBe(0);
    expect(await kiosk.invoke(DesktopChannel.unlock, [{ pin: PIN }])).toMatchObject({
      ok: true,
      data: { outcome: 'unlocked' },
    });
    expect(await kiosk.invoke(DesktopChannel.exitKiosk)).toEqual({ ok: true, data: null });
    expect(kiosk.calls.quit).toBe(1);
  });

  it('locks again after the idle timeout', async () => {
    const kiosk = await provisioned();
    await kiosk.invoke(DesktopChannel.unlock, [{ pin: PIN }]);
    kiosk.advance(3 * 60_000);
    expect(await kiosk.invoke(DesktopChannel.exitKiosk)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('Shell recovery', () => {
  it('reloads after a renderer crash or hang, and shows the error page after repeated crashes', async () => {
    const kiosk = await provisioned();
    kiosk.win().gone('crashed');
    kiosk.advance(1000);
    kiosk.win().gone('unresponsive');
    expect(kiosk.win().reloads).toBe(2);
    for (let i = 0; i < 3; i += 1) {
      kiosk.advance(1000);
      kiosk.win().gone('crashed');
    }
    expect(kiosk.win().reloads).toBe(4);
    expect(kiosk.win().url).toBe(ERROR_PAGE_URL);
  });

  it('restarts the app after an uncaught main-process error', async () => {
    const kiosk = await provisioned();
    kiosk.fatal(new Error('boom'));
    expect(kiosk.calls.relaunch).toBe(1);
    expect(kiosk.calls.exit).toEqual([1]);
  });

  it('holds the power-save blocker only while in a hearing, and releases it when the renderer dies', async () => {
    const kiosk = await provisioned();
    kiosk.shell.setInHearing(true);
    kiosk.shell.setInHearing(true);
    expect(kiosk.blockers.size).toBe(1);
    kiosk.shell.setInHearing(false);
    expect(kiosk.blockers.size).toBe(0);
    kiosk.shell.setInHearing(true);
    kiosk.win().gone('crashed');
    expect(kiosk.blockers.size).toBe(0);
  });

  it('the renderer holds the blocker over IPC while its hearing screen is shown', async () => {
    const kiosk = await provisioned();
    expect(await kiosk.invoke(DesktopChannel.setInHearing, [{ inHearing: true }])).toEqual({ ok: true, data: null });
    expect(kiosk.blockers.size).toBe(1);
    expect(await kiosk.invoke(DesktopChannel.setInHearing, [{ inHearing: 'yes' }])).toMatchObject({ ok: false });
    expect(kiosk.blockers.size).toBe(1);
    await kiosk.invoke(DesktopChannel.setInHearing, [{ inHearing: false }]);
    expect(kiosk.blockers.size).toBe(0);
  });
});

describe('Shell provisioning', () => {
  it('stores the credential encrypted with safeStorage, never in plain text, and restores it', async () => {
    const kiosk = await provisioned();
    const file = kiosk.paths.credentialFile ?? '';
    const stored = kiosk.disk.get(file);
    expect(stored).toBeDefined();
    for (const bytes of kiosk.disk.values()) expect(bytes.toString()).not.toContain('secret-credential');
    expect(JSON.parse(decrypt(stored ?? Buffer.alloc(0)))).toMatchObject({ credential: 'secret-credential' });
    expect(kiosk.shell.credentialEncryption).toBe('available');
    expect(kiosk.shell.provisioning).toMatchObject({ status: 'provisioned', persisted: true });
    expect(kiosk.shell.state).toMatchObject({ mode: 'kiosk', credentialStorage: 'encrypted' });
  });

  it('refuses to persist when safeStorage is unavailable, and says so', async () => {
    const kiosk = await provisioned({ encryption: false });
    expect(kiosk.disk.size).toBe(0);
    expect(kiosk.shell.credentialEncryption).toBe('unavailable');
    expect(kiosk.shell.provisioning).toMatchObject({ status: 'provisioned', persisted: false });
    // The renderer is told, so the operator sees that the kiosk must be provisioned again after a restart.
    expect(await kiosk.invoke(DesktopChannel.getState)).toMatchObject({
      ok: true,
      data: { credentialStorage: 'session_only' },
    });
  });

  it('re-provisions only when unlocked, forgetting the credential', async () => {
    const kiosk = await provisioned();
    expect(await kiosk.invoke(DesktopChannel.reprovision)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await kiosk.invoke(DesktopChannel.unlock, [{ pin: PIN }]);
    expect(await kiosk.invoke(DesktopChannel.reprovision)).toMatchObject({
      ok: true,
      data: { provisioning: { status: 'unprovisioned' } },
    });
    expect(kiosk.disk.has(kiosk.paths.credentialFile ?? '')).toBe(false);
    expect(kiosk.win().url).toBe(PROVISION_URL);
  });
});

describe('Shell judge app', () => {
  it('remembers its server and shows notifications', async () => {
    const judge = setup({ mode: 'judge' });
    await judge.shell.start();
    expect(judge.win().url).toBe(PROVISION_URL);
    // No kiosk fields in the judge app's state: no enrollment, no operator lock.
    expect(await judge.invoke(DesktopChannel.getState)).toEqual({
      ok: true,
      data: {
        mode: 'judge',
        serverUrl: null,
        devices: { camera: null, microphone: null, speaker: null, documentCamera: null },
        connection: 'online',
      },
    });
    expect(await judge.invoke(DesktopChannel.setServer, [{ serverUrl: 'https://Court.Example/' }])).toMatchObject({
      ok: true,
      data: { serverUrl: SERVER },
    });
    expect(judge.win().url).toBe(`${SERVER}/judge`);
    expect(JSON.parse(judge.disk.get(judge.paths.settingsFile)?.toString() ?? '{}')).toMatchObject({
      serverUrl: SERVER,
    });
    expect(await judge.invoke(DesktopChannel.notify, [{ title: '当事人已等候', body: '(2026)民初1号' }])).toEqual({
      ok: true,
      data: null,
    });
    expect(judge.notifications).toEqual([{ title: '当事人已等候', body: '(2026)民初1号' }]);
    expect(
      await judge.invoke(DesktopChannel.provision, [{ serverUrl: SERVER, enrollmentCode: '7kq4m-xh2pd' }]),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_STATE' },
    });
  });
});

describe('Shell reconnecting', () => {
  it('shows the calm screen instead of the error page, probes the server and goes back to the page that failed', async () => {
    const kiosk = await provisioned();
    const hearing = `${SERVER}/kiosk/hearing/h-1/p-1`;
    kiosk.setServerUp(false);
    kiosk.win().loadFailed(hearing);
    expect(kiosk.win().url).toBe(RECONNECTING_URL);
    expect(kiosk.shell.state.connection).toBe('reconnecting');
    // The renderer at the reconnecting screen is told (and may ask: it is now the app origin).
    expect(kiosk.win().sent.at(-1)).toMatchObject({ payload: { connection: 'reconnecting' } });
    expect(await kiosk.invoke(DesktopChannel.getState)).toMatchObject({
      ok: true,
      data: { connection: 'reconnecting' },
    });
    // Still down: probe again later, with growing ceilings, never loading the failing page meanwhile.
    for (let round = 0; round < 3; round += 1) {
      expect(kiosk.timers).toHaveLength(1);
      await kiosk.runTimers();
      expect(kiosk.win().url).toBe(RECONNECTING_URL);
    }
    expect(kiosk.probes).toEqual(Array(3).fill(`${SERVER}${HEALTH_PATH}`));
    // Back: the page that failed (the hearing, which rejoins with the server's state), then online.
    kiosk.setServerUp(true);
    await kiosk.runTimers();
    expect(kiosk.win().url).toBe(hearing);
    expect(kiosk.shell.state.connection).toBe('reconnecting');
    kiosk.win().loadFinished(hearing);
    expect(kiosk.shell.state.connection).toBe('online');
    expect(kiosk.timers).toHaveLength(0);
  });

  it('a load that fails again after the probe answered goes round once more', async () => {
    const kiosk = await provisioned();
    kiosk.win().loadFailed(`${SERVER}/kiosk`);
    await kiosk.runTimers();
    expect(kiosk.win().url).toBe(`${SERVER}/kiosk`);
    kiosk.win().loadFailed(`${SERVER}/kiosk`);
    expect(kiosk.win().url).toBe(RECONNECTING_URL);
    expect(kiosk.timers).toHaveLength(1);
  });

  it('ignores failures of other origins and of its own screens, and stops reconnecting when told to re-provision', async () => {
    const kiosk = await provisioned();
    const loads = kiosk.win().loaded.length;
    kiosk.win().loadFailed('https://elsewhere.example/');
    kiosk.win().loadFailed(RECONNECTING_URL);
    expect(kiosk.win().loaded.length).toBe(loads);
    expect(kiosk.shell.state.connection).toBe('online');
    // The reconnecting screen finishing its own load does not count as online.
    kiosk.win().loadFailed(`${SERVER}/kiosk`);
    kiosk.win().loadFinished(RECONNECTING_URL);
    expect(kiosk.shell.state.connection).toBe('reconnecting');
  });

  it('the judge app reconnects the same way', async () => {
    const judge = setup({ mode: 'judge' });
    await judge.shell.start();
    await judge.invoke(DesktopChannel.setServer, [{ serverUrl: SERVER }]);
    judge.setServerUp(false);
    judge.win().loadFailed(`${SERVER}/judge`);
    expect(judge.win().url).toBe(RECONNECTING_URL);
    judge.setServerUp(true);
    await judge.runTimers();
    expect(judge.win().url).toBe(`${SERVER}/judge`);
  });
});

describe('Shell operator PIN offline', () => {
  it('the PIN the server accepted opens the operator actions when the server cannot answer; stored encrypted only', async () => {
    let server: 'up' | 'down' = 'up';
    const kiosk = await provisioned({
      pin: async (pin) => (server === 'down' ? 'unavailable' : pin === PIN ? 'ok' : 'wrong'),
    });
    expect(await kiosk.invoke(DesktopChannel.unlock, [{ pin: PIN }])).toMatchObject({
      ok: true,
      data: { outcome: 'unlocked' },
    });
    const file = kiosk.paths.operatorPinFile ?? '';
    expect(kiosk.disk.has(file)).toBe(true);
    for (const bytes of kiosk.disk.values()) expect(bytes.toString()).not.toContain(PIN);
    expect(decrypt(kiosk.disk.get(file) ?? Buffer.alloc(0))).toMatch(/^scrypt-v1\$/);
    await kiosk.invoke(DesktopChannel.lock);

    server = 'down';
    expect(await kiosk.invoke(DesktopChannel.unlock, [{ pin: '9999' }])).toMatchObject({
      data: { outcome: 'wrong_pin' },
    });
    expect(await kiosk.invoke(DesktopChannel.unlock, [{ pin: PIN }])).toMatchObject({ data: { outcome: 'unlocked' } });
    expect(await kiosk.invoke(DesktopChannel.exitKiosk)).toEqual({ ok: true, data: null });
  });

  it('without a keyring the copy lives in memory only; re-provisioning forgets it', async () => {
    let server: 'up' | 'down' = 'up';
    const kiosk = await provisioned({
      encryption: false,
      pin: async (pin) => (server === 'down' ? 'unavailable' : pin === PIN ? 'ok' : 'wrong'),
    });
    await kiosk.invoke(DesktopChannel.unlock, [{ pin: PIN }]);
    expect(kiosk.disk.size).toBe(0);
    await kiosk.invoke(DesktopChannel.lock);
    server = 'down';
    expect(await kiosk.invoke(DesktopChannel.unlock, [{ pin: PIN }])).toMatchObject({ data: { outcome: 'unlocked' } });
    await kiosk.invoke(DesktopChannel.reprovision);
    expect(await kiosk.invoke(DesktopChannel.unlock, [{ pin: PIN }])).toMatchObject({
      data: { outcome: 'unavailable' },
    });
  });
});
