import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type App, startApp } from '../../server/App.js';
import { loadConfig } from '../../server/config.js';

/**
 * The real server (real mediasoup workers) on free ports, serving the built UI, with a fresh SQLite
 * database of its own (removed on close) unless `env` names one.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<App> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-court-server-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MEDIA_PORT: '0',
    MEDIA_WORKERS: '2',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    UI_DIR: 'dist/client',
    DATABASE_FILE: path.join(dir, 'court.sqlite'),
    RECORDING_DIR: path.join(dir, 'recordings'),
    ...env,
  });
  const app = await startApp(config).catch((error: unknown) => {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  const close = app.close.bind(app);
  return Object.assign(app, {
    async close() {
      await close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
}

/**
 * Transports the server holds for a hearing's participants, read from the mediasoup router itself
 * (less the recorders' own transports, which the recording service accounts for; a recorder being
 * armed shows for a moment, so poll for the count).
 */
export async function routerTransportCount(app: App, hearingId: string): Promise<number> {
  const room = app.rooms.room(hearingId);
  if (!room || room.router.closed) return 0;
  const dump = await room.router.dump();
  return dump.transportIds.length - app.recordings.transportCount(hearingId);
}

/** Polls `check` until it returns true, at most `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
