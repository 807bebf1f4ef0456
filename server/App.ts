import type { Hearing } from '../shared/hearing.js';
import { AccountService } from './auth/AccountService.js';
import { accountRoutes } from './auth/routes.js';
import { loadSessionSecret, Tokens } from './auth/Tokens.js';
import { type Config, databaseUrl } from './config.js';
import { type Database, openDatabase } from './db/Database.js';
import { demoHearings, HearingDirectory } from './hearing/HearingDirectory.js';
import { RoomRegistry } from './hearing/RoomRegistry.js';
import { createAuthenticator } from './http/authenticate.js';
import { createHttpServer, type HttpApp } from './http/HttpServer.js';
import { createLogger, type Logger } from './logger.js';
import { WorkerPool } from './media/WorkerPool.js';
import { attachSignaling, type HearingIo } from './signaling/SignalingServer.js';

export interface App {
  readonly url: string;
  readonly port: number;
  readonly pool: WorkerPool;
  readonly rooms: RoomRegistry;
  readonly directory: HearingDirectory;
  readonly database: Database;
  readonly accounts: AccountService;
  readonly http: HttpApp;
  readonly io: HearingIo;
  readonly logger: Logger;
  close(): Promise<void>;
}

/**
 * Starts the whole server: mediasoup workers, HTTP API and UI, socket.io signaling. `hearings` are the
 * hearings served (the seeded demo hearing by default; tests and benchmarks bring their own).
 */
export async function startApp(
  config: Config,
  logger: Logger = createLogger(config.LOG_LEVEL),
  hearings: Hearing[] = demoHearings(),
): Promise<App> {
  const pool = await WorkerPool.create({
    size: config.MEDIA_WORKERS,
    listenIp: config.MEDIA_LISTEN_IP,
    announcedAddress: config.MEDIA_ANNOUNCED_ADDRESS,
    port: config.MEDIA_PORT,
    minPort: config.MEDIA_MIN_PORT,
    maxPort: config.MEDIA_MAX_PORT,
    logger: logger.child({ component: 'media' }),
  });
  const database = await openDatabase({ url: databaseUrl(config) }).catch((error: unknown) => {
    pool.close();
    throw error;
  });
  const session = loadSessionSecret();
  if (session.ephemeral) {
    logger.warn('SESSION_SECRET is not set: a random key signs sessions, so everyone signs in again after a restart');
  }
  const tokens = new Tokens({
    secret: session.secret,
    issuer: 'shared-court',
    ttlSeconds: config.SESSION_TTL_HOURS * 3600,
  });
  const accounts = new AccountService({ db: database.db, dialect: database.dialect, tokens });
  const directory = new HearingDirectory(hearings);
  const rooms = new RoomRegistry(pool, directory, logger.child({ component: 'hearing' }));
  const http = createHttpServer({
    directory,
    rooms,
    uiDir: config.UI_DIR,
    logger,
    routes: accountRoutes(accounts),
    authenticator: createAuthenticator(accounts),
  });
  const io = attachSignaling({
    httpServer: http.server,
    pool,
    rooms,
    directory,
    logger: logger.child({ component: 'signaling' }),
  });
  try {
    await http.listen({ host: config.HOST, port: config.PORT });
  } catch (error) {
    pool.close();
    await database.close();
    throw error;
  }
  const address = http.server.address();
  if (address === null || typeof address === 'string') throw new Error('HTTP server has no TCP address');
  const { port } = address;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    pool,
    rooms,
    directory,
    database,
    accounts,
    http,
    io,
    logger,
    close() {
      closing ??= (async () => {
        rooms.close();
        await io.close();
        await http.close().catch(() => undefined);
        pool.close();
        await database.close();
      })();
      return closing;
    },
  };
}
