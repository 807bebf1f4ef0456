import type { types as ms } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import type { Logger } from '../logger.js';

export const MEDIA_CODECS: ms.RtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 600 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
];

export interface WorkerPoolOptions {
  size: number;
  listenIp: string;
  announcedAddress: string | undefined;
  /** First WebRTC server port; worker i listens on port + i. 0 lets each pick a free port. */
  port: number;
  minPort: number;
  maxPort: number;
  logger: Logger;
}

interface PoolEntry {
  worker: ms.Worker;
  webRtcServer: ms.WebRtcServer;
  routers: number;
}

/**
 * One mediasoup worker per core, each with one WebRtcServer so that all of a worker's WebRTC
 * transports share one UDP and one TCP port (firewall-friendly for court and village networks).
 *
 * A hearing is kept on a single worker: its router is created on the worker with the fewest routers
 * and every participant's transports go there. A hearing has a handful of participants (judge, clerk,
 * parties, a witness), far below what one worker forwards, so piping a hearing's media between
 * workers (pipeToRouter) would add latency and failure modes for no gain. Load spreads across workers
 * by hearing. Piping becomes necessary when a hearing spans servers (cross-county), a later issue.
 */
export class WorkerPool {
  readonly #entries: PoolEntry[] = [];
  readonly #logger: Logger;
  #rtpCapabilities: ms.RtpCapabilities | undefined;
  #closed = false;

  private constructor(logger: Logger) {
    this.#logger = logger;
  }

  static async create(options: WorkerPoolOptions): Promise<WorkerPool> {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new TypeError(`worker pool size must be a positive integer, got ${options.size}`);
    }
    const pool = new WorkerPool(options.logger);
    try {
      for (let index = 0; index < options.size; index++) {
        pool.#entries.push(await pool.#startWorker(index, options));
      }
      // Every router is created from MEDIA_CODECS, so all have these capabilities; clients load their
      // mediasoup-client Device with them before joining any hearing.
      const probe = await pool.#entries[0]?.worker.createRouter({ mediaCodecs: MEDIA_CODECS });
      pool.#rtpCapabilities = probe?.rtpCapabilities;
      probe?.close();
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  async #startWorker(index: number, options: WorkerPoolOptions): Promise<PoolEntry> {
    const logger = this.#logger.child({ worker: index });
    const worker = await mediasoup.createWorker({
      logLevel: 'warn',
      rtcMinPort: options.minPort,
      rtcMaxPort: options.maxPort,
      appData: { index },
    });
    worker.on('died', (error) => {
      // Recovery (recreating the worker and moving its hearings) comes with a later issue.
      logger.error({ err: error, pid: worker.pid }, 'mediasoup worker died');
    });
    const port = options.port === 0 ? undefined : options.port + index;
    const listen = (protocol: 'udp' | 'tcp'): ms.TransportListenInfo => ({
      protocol,
      ip: options.listenIp,
      ...(options.announcedAddress ? { announcedAddress: options.announcedAddress } : {}),
      ...(port === undefined ? { portRange: { min: options.minPort, max: options.maxPort } } : { port }),
    });
    try {
      const webRtcServer = await worker.createWebRtcServer({ listenInfos: [listen('udp'), listen('tcp')] });
      logger.info({ pid: worker.pid, port: port ?? 'auto' }, 'mediasoup worker started');
      return { worker, webRtcServer, routers: 0 };
    } catch (error) {
      worker.close();
      throw error;
    }
  }

  get size(): number {
    return this.#entries.length;
  }

  /** The RTP capabilities of every router of this pool. */
  get rtpCapabilities(): ms.RtpCapabilities {
    if (!this.#rtpCapabilities) throw new Error('worker pool is not started');
    return this.#rtpCapabilities;
  }

  get workers(): ms.Worker[] {
    return this.#entries.map((e) => e.worker);
  }

  /** Creates a router on the least loaded live worker; returns it with that worker's WebRtcServer. */
  async createRouter(appData: Record<string, unknown>): Promise<{ router: ms.Router; webRtcServer: ms.WebRtcServer }> {
    if (this.#closed) throw new Error('worker pool is closed');
    const live = this.#entries.filter((e) => !e.worker.closed && !e.worker.died);
    const entry = live.reduce<PoolEntry | undefined>(
      (best, e) => (!best || e.routers < best.routers ? e : best),
      undefined,
    );
    if (!entry) throw new Error('no live mediasoup worker');
    const router = await entry.worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData });
    entry.routers++;
    router.observer.once('close', () => {
      entry.routers--;
    });
    return { router, webRtcServer: entry.webRtcServer };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const entry of this.#entries) entry.worker.close();
  }
}
