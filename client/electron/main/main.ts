import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  app,
  BrowserWindow,
  ipcMain,
  Notification,
  net,
  powerSaveBlocker,
  protocol,
  safeStorage,
  session,
  shell,
} from 'electron';
import pino from 'pino';
import { z } from 'zod';
import { type ShellMode, ShellModeSchema } from '../../../shared/desktop.js';
import { desktopPaths } from './paths.js';
import { contentSecurityPolicy } from './policy/navigation.js';
import { SHELL_ORIGIN } from './policy/origin.js';
import { serverPinVerifier } from './policy/pinVerifier.js';
import { httpEnroll } from './policy/provisioning.js';
import { Shell, type ShellAdapter, type ShellFiles, type ShellWindow, type ShellWindowOptions } from './shell.js';

/*
 * The Electron main process (bundled by `npm run desktop:build` into dist/electron/main.cjs). Everything
 * with a decision in it is in shell.ts and ./policy/; this file only turns Electron's modules into the
 * `ShellAdapter` the shell is written against, serves the bundled `app://shell` screen, and starts.
 *
 * Which shell: `--mode=judge|kiosk` on the command line, else `shellMode` in the packaged
 * package.json (electron-builder's extraMetadata), else the app's name, else the kiosk.
 */

const PackagedMetadataSchema = z.object({ shellMode: ShellModeSchema.optional() });

function modeFromArgv(argv: readonly string[]): ShellMode | null {
  for (const arg of argv) {
    if (!arg.startsWith('--mode=')) continue;
    const parsed = ShellModeSchema.safeParse(arg.slice('--mode='.length));
    if (parsed.success) return parsed.data;
  }
  return null;
}

async function shellMode(): Promise<ShellMode> {
  const fromArgv = modeFromArgv(process.argv);
  if (fromArgv) return fromArgv;
  try {
    const raw = await readFile(path.join(app.getAppPath(), 'package.json'), 'utf8');
    const parsed = PackagedMetadataSchema.safeParse(JSON.parse(raw));
    if (parsed.success && parsed.data.shellMode) return parsed.data.shellMode;
  } catch {
    // no package.json metadata: fall through to the name
  }
  return app.getName().includes('judge') ? 'judge' : 'kiosk';
}

const files: ShellFiles = {
  async read(file) {
    try {
      return await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  },
  async write(file, data) {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, data, { mode: 0o600 });
    await rename(temporary, file);
  },
  async remove(file) {
    await rm(file, { force: true });
  },
};

function windowAdapter(options: ShellWindowOptions): ShellWindow {
  const window = new BrowserWindow(options);
  const contents = window.webContents;
  return {
    webContentsId: contents.id,
    loadURL: (url) => window.loadURL(url),
    reload: () => contents.reload(),
    removeMenu: () => window.removeMenu(),
    show: () => window.show(),
    close: () => window.close(),
    isDestroyed: () => window.isDestroyed(),
    onWillNavigate(listener) {
      contents.on('will-navigate', (event) => listener(event.url, () => event.preventDefault()));
      contents.on('will-redirect', (event) => listener(event.url, () => event.preventDefault()));
      contents.on('will-frame-navigate', (event) => listener(event.url, () => event.preventDefault()));
    },
    setWindowOpenHandler(handler) {
      contents.setWindowOpenHandler((details) => handler(details.url));
    },
    onBeforeInput(listener) {
      contents.on('before-input-event', (event, input) => listener(input, () => event.preventDefault()));
    },
    onRendererGone(listener) {
      contents.on('render-process-gone', (_event, details) => listener(details.reason));
      contents.on('unresponsive', () => listener('unresponsive'));
    },
    onLoadFailed(listener) {
      contents.on('did-fail-load', (_event, errorCode, _description, url, isMainFrame) => {
        // -3 is ERR_ABORTED: a navigation replaced by another, not a failure.
        if (isMainFrame && errorCode !== -3) listener(url);
      });
    },
    onLoadFinished(listener) {
      contents.on('did-finish-load', () => listener(contents.getURL()));
    },
    onClose(listener) {
      window.on('close', (event) => listener(() => event.preventDefault()));
    },
    send: (channel, payload) => contents.send(channel, payload),
  };
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

const MISSING_RENDERER = `<!doctype html><meta charset="utf-8"><title>共享法庭</title>
<p>The renderer is not bundled: run <code>npm run build</code>, then <code>npm run desktop:build</code>.</p>`;

/**
 * `app://shell/…`: the React app built by Vite, copied into the app directory's `renderer/` by the
 * desktop build. Unknown paths answer index.html (the client-side router picks the screen).
 */
async function serveShell(request: Request): Promise<Response> {
  const root = path.join(app.getAppPath(), 'renderer');
  const url = new URL(request.url);
  const headers = { 'content-security-policy': contentSecurityPolicy(SHELL_ORIGIN) };
  if (url.host !== 'shell') return new Response('not found', { status: 404 });
  const wanted = path.normalize(path.join(root, decodeURIComponent(url.pathname)));
  const file = wanted.startsWith(root + path.sep) && (await isFile(wanted)) ? wanted : path.join(root, 'index.html');
  try {
    const body = await readFile(file);
    const type = MIME_TYPES[path.extname(file)] ?? 'application/octet-stream';
    return new Response(new Uint8Array(body), { headers: { ...headers, 'content-type': type } });
  } catch {
    return new Response(MISSING_RENDERER, { headers: { ...headers, 'content-type': MIME_TYPES['.html'] ?? '' } });
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const mode = await shellMode();
  const paths = desktopPaths(mode, app.getPath('appData'), process.platform);
  app.setPath('userData', paths.userDataDir);
  await mkdir(paths.logDir, { recursive: true });
  const log = pino(pino.destination({ dest: path.join(paths.logDir, 'main.log'), mkdir: true, sync: false }));
  await app.whenReady();

  protocol.handle('app', serveShell);
  // Belt and braces for any other web contents: no <webview>, no new windows.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  if (mode === 'kiosk') app.on('window-all-closed', () => undefined);
  else app.on('window-all-closed', () => app.quit());

  const ses = session.defaultSession;
  const adapter: ShellAdapter = {
    app: {
      quit: () => app.quit(),
      exit: (code) => app.exit(code),
      relaunch: () => app.relaunch(),
    },
    createWindow: windowAdapter,
    session: {
      setPermissionRequestHandler(handler) {
        ses.setPermissionRequestHandler((_contents, permission, callback, details) =>
          handler(permission, callback, {
            requestingUrl: details.requestingUrl,
            isMainFrame: details.isMainFrame,
            mediaTypes: 'mediaTypes' in details ? details.mediaTypes : undefined,
          }),
        );
      },
      setPermissionCheckHandler(handler) {
        ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
          handler(permission, requestingOrigin, { isMainFrame: details.isMainFrame, mediaType: details.mediaType }),
        );
      },
      onHeadersReceived(listener) {
        ses.webRequest.onHeadersReceived((details, callback) => listener(details, callback));
      },
    },
    ipcMain: {
      handle(channel, handler) {
        ipcMain.handle(channel, (event, ...args: unknown[]) => {
          const frame = event.senderFrame;
          return handler(
            {
              senderId: event.sender.id,
              senderFrame: frame ? { url: frame.url, isTopFrame: frame.parent === null } : null,
            },
            ...args,
          );
        });
      },
    },
    powerSaveBlocker: {
      start: (type) => powerSaveBlocker.start(type),
      stop: (id) => powerSaveBlocker.stop(id),
    },
    safeStorage,
    shell: { openExternal: (url) => shell.openExternal(url) },
    notify(title, body) {
      if (!Notification.isSupported()) return false;
      new Notification({ title, body, silent: false }).show();
      return true;
    },
    files,
    onFatalError(listener) {
      process.on('uncaughtException', listener);
      process.on('unhandledRejection', listener);
    },
    setTimeout: (callback, ms) => {
      setTimeout(callback, ms);
    },
    now: () => Date.now(),
    async probe(url) {
      try {
        const response = await net.fetch(url, { cache: 'no-store', signal: AbortSignal.timeout(5000) });
        return response.ok;
      } catch {
        return false;
      }
    },
  };

  const desktopShell: Shell = new Shell({
    mode,
    adapter,
    paths,
    preloadPath: path.join(app.getAppPath(), 'preload.cjs'),
    production: app.isPackaged,
    enroll: httpEnroll((url, init) => net.fetch(url, init)),
    // The server checks the PIN of the kiosk's own site. The shell falls back to the PIN the server
    // last accepted here when the server cannot answer (policy/pinVerifier.ts); with neither, the
    // check is 'unavailable' and the operator actions stay closed (fail closed).
    verifyPin: serverPinVerifier(
      (url, init) => net.fetch(url, init),
      (): { serverUrl: string; credential: string } | null => {
        const state = desktopShell.provisioning;
        return state?.status === 'provisioned' ? { serverUrl: state.serverUrl, credential: state.credential } : null;
      },
    ),
    log,
  });
  await desktopShell.start();
  log.info({ mode, packaged: app.isPackaged }, 'main: started');
}

main().catch((error: unknown) => {
  process.stderr.write(`shared-court desktop shell failed to start: ${String(error)}\n`);
  app.exit(1);
});
