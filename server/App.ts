import * as path from 'node:path';
import { AccountService } from './auth/AccountService.js';
import { accountRoutes } from './auth/routes.js';
import { loadSessionSecret, Tokens } from './auth/Tokens.js';
import { type Config, databaseUrl } from './config.js';
import { type Database, openDatabase } from './db/Database.js';
import { type DemoSeed, seedDemo } from './demo/seedDemo.js';
import { FloorService } from './hearing/Floor.js';
import { HearingCatalog } from './hearing/HearingCatalog.js';
import { RoomRegistry } from './hearing/RoomRegistry.js';
import { hearingRoutes } from './hearing/routes.js';
import { createAuthenticator } from './http/authenticate.js';
import { createHttpServer, type HttpApp } from './http/HttpServer.js';
import { createLogger, type Logger } from './logger.js';
import { WorkerPool } from './media/WorkerPool.js';
import { type FfmpegTools, findFfmpeg } from './recording/ffmpeg.js';
import { PortPool } from './recording/ports.js';
import { RecordingService } from './recording/RecordingService.js';
import { recordingRoutes } from './recording/routes.js';
import { HearingScheduler } from './scheduling/HearingScheduler.js';
import { schedulingRoutes } from './scheduling/routes.js';
import { attachSignaling, type HearingIo } from './signaling/SignalingServer.js';

export interface App {
  readonly url: string;
  readonly port: number;
  readonly pool: WorkerPool;
  readonly rooms: RoomRegistry;
  readonly database: Database;
  readonly accounts: AccountService;
  readonly scheduler: HearingScheduler;
  readonly floors: FloorService;
  readonly catalog: HearingCatalog;
  readonly recordings: RecordingService;
  /** What SEED_DEMO put into an empty database (null when it was not empty or not asked for). */
  readonly demo: DemoSeed | null;
  readonly http: HttpApp;
  readonly io: HearingIo;
  readonly logger: Logger;
  close(): Promise<void>;
}

/** Starts the whole server: database, mediasoup workers, HTTP API and UI, socket.io signaling. */
export async function startApp(config: Config, logger: Logger = createLogger(config.LOG_LEVEL)): Promise<App> {
  // Found before anything else starts: a server that cannot record must not hold hearings.
  const ffmpeg = await findFfmpeg(config.FFMPEG_PATH, config.FFPROBE_PATH);
  const database = await openDatabase({ url: databaseUrl(config) });
  let pool: WorkerPool | undefined;
  try {
    pool = await WorkerPool.create({
      size: config.MEDIA_WORKERS,
      listenIp: config.MEDIA_LISTEN_IP,
      announcedAddress: config.MEDIA_ANNOUNCED_ADDRESS,
      port: config.MEDIA_PORT,
      minPort: config.MEDIA_MIN_PORT,
      maxPort: config.MEDIA_MAX_PORT,
      logger: logger.child({ component: 'media' }),
    });
    return await assemble(config, logger, database, pool, ffmpeg);
  } catch (error) {
    pool?.close();
    await database.close();
    throw error;
  }
}

async function assemble(
  config: Config,
  logger: Logger,
  database: Database,
  pool: WorkerPool,
  ffmpeg: FfmpegTools,
): Promise<App> {
  const session = loadSessionSecret();
  if (session.ephemeral) {
    logger.warn('SESSION_SECRET is not set: a random key signs sessions, so everyone signs in again after a restart');
  }
  const tokens = new Tokens({
    secret: session.secret,
    issuer: 'shared-court',
    ttlSeconds: config.SESSION_TTL_HOURS * 3600,
  });
  const { db, dialect } = database;
  const accounts = new AccountService({ db, dialect, tokens });
  const scheduler = new HearingScheduler({ db, dialect, bufferMinutes: config.BOOKING_BUFFER_MINUTES });
  const demo = config.SEED_DEMO ? await seedDemo(accounts, scheduler, { password: config.DEMO_PASSWORD }) : null;
  const rooms = new RoomRegistry(pool, logger.child({ component: 'hearing' }));
  const floors = new FloorService({ db, dialect, logger: logger.child({ component: 'floor' }) });
  const catalog = new HearingCatalog(scheduler, db);
  const recordings = new RecordingService({
    db,
    dialect,
    floors,
    rooms,
    tools: ffmpeg,
    dir: path.resolve(config.RECORDING_DIR),
    ports: new PortPool('127.0.0.1', config.RECORDING_MIN_PORT, config.RECORDING_MAX_PORT),
    minFreeBytes: config.RECORDING_MIN_FREE_MB * 1_048_576,
    retentionDays: config.RECORDING_RETENTION_DAYS,
    stallMs: config.RECORDING_STALL_SECONDS * 1000,
    logger: logger.child({ component: 'recording' }),
  });
  await recordings.start();
  const http = createHttpServer({
    rooms,
    uiDir: config.UI_DIR,
    logger,
    routes: [
      ...accountRoutes(accounts),
      ...schedulingRoutes(scheduler, accounts),
      ...hearingRoutes({ db, dialect, floors, catalog }),
      ...recordingRoutes({
        db,
        dialect,
        catalog,
        dir: recordings.dir,
        secret: session.secret,
        logger: logger.child({ component: 'recording' }),
      }),
    ],
    authenticator: createAuthenticator(accounts),
  });
  const io = attachSignaling({
    httpServer: http.server,
    pool,
    rooms,
    catalog,
    floors,
    accounts,
    logger: logger.child({ component: 'signaling' }),
  });
  await http.listen({ host: config.HOST, port: config.PORT });
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
    database,
    accounts,
    scheduler,
    floors,
    catalog,
    recordings,
    demo,
    http,
    io,
    logger,
    close() {
      closing ??= (async () => {
        await recordings.close();
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
