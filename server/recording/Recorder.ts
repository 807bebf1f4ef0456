import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as readline from 'node:readline';
import type { types as ms } from 'mediasoup';
import type { Logger } from '../logger.js';
import { type FfmpegTools, ffmpegCommand } from './ffmpeg.js';
import { type PortPair, type PortPool, processHoldsUdpPort } from './ports.js';
import { type Container, mediaCodecOf, recorderCapabilities, recorderSdp } from './sdp.js';

const LOOPBACK = '127.0.0.1';
/** How long FFmpeg may take to open its UDP ports after starting. */
const LISTEN_TIMEOUT_MS = 5_000;
/** Keyframe requests are repeated this often until FFmpeg has written the first video frame. */
const KEYFRAME_RETRY_MS = 400;
/** FFmpeg gets this long to write its trailer after SIGINT, then it is killed. */
const STOP_TIMEOUT_MS = 5_000;
/** Port pairs tried before a recorder's start is given up. */
const START_ATTEMPTS = 3;
/** The watchdog looks this often. */
const WATCH_MS = 1_000;

export interface RecorderEvents {
  /** FFmpeg wrote its first frame (video: the first keyframe), at this server time. */
  firstFrame: [number];
  /** FFmpeg died or stopped writing while packets kept coming: the segment is over. */
  failed: [string];
}

export interface RecorderOptions {
  tools: FfmpegTools;
  router: ms.Router;
  producer: ms.Producer;
  /** Absolute path of the file to write. */
  file: string;
  container: Container;
  ports: PortPool;
  /** FFmpeg writing nothing for this long while packets arrive counts as a failure. */
  stallMs: number;
  /** Written into the file's metadata (creation_time). */
  startedMs: number;
  now: () => number;
  logger: Logger;
}

/**
 * Records one producer into one file: a mediasoup PlainTransport consumer sends the stream over
 * loopback UDP to FFmpeg, which copies it into the container without re-encoding. The consumer starts
 * paused and is resumed once FFmpeg listens; video asks the sender for a keyframe until FFmpeg has
 * written one, so the file starts decodable (FFmpeg drops what comes before the first keyframe).
 */
export class Recorder extends EventEmitter<RecorderEvents> {
  readonly producer: ms.Producer;
  readonly file: string;
  readonly codec: string;
  readonly #options: RecorderOptions;
  #ports: PortPair | null = null;
  #transport: ms.PlainTransport | null = null;
  #consumer: ms.Consumer | null = null;
  #process: ChildProcess | null = null;
  #exited: Promise<void> = Promise.resolve();
  #stopping = false;
  #failed = false;
  #firstFrameMs: number | null = null;
  #flowingMs = 0;
  #lastAdvanceMs = 0;
  #outTimeUs = -1;
  #totalSize = -1;
  #packets = 0;
  #watchdog: NodeJS.Timeout | null = null;
  #keyframes: NodeJS.Timeout | null = null;
  readonly #stderr: string[] = [];

  private constructor(options: RecorderOptions) {
    super();
    this.#options = options;
    this.producer = options.producer;
    this.file = options.file;
    this.codec = mediaCodecOf(options.producer.rtpParameters).mimeType;
  }

  /**
   * Starts FFmpeg and the consumer (paused: call flow() to record); rejects (with everything it opened
   * closed again) when it cannot. A port pair that another program took between the check and
   * FFmpeg's bind is given up for the next pair.
   */
  static async start(options: RecorderOptions): Promise<Recorder> {
    for (let attempt = 1; ; attempt++) {
      const recorder = new Recorder(options);
      try {
        await recorder.#start();
        return recorder;
      } catch (error) {
        await recorder.stop();
        const portTaken = recorder.#stderr.some((line) => /bind failed|Address already in use/i.test(line));
        if (!portTaken || attempt >= START_ATTEMPTS) throw error;
      }
    }
  }

  get pid(): number | undefined {
    return this.#process?.pid ?? undefined;
  }

  /** When the stream began to flow to FFmpeg: the start of what the file holds. */
  get flowingMs(): number {
    return this.#flowingMs;
  }

  get firstFrameMs(): number | null {
    return this.#firstFrameMs;
  }

  get kind(): 'audio' | 'video' {
    return this.producer.kind;
  }

  async #start(): Promise<void> {
    const { router, producer, tools, container, ports } = this.#options;
    this.#ports = await ports.reserve();
    const transport = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: LOOPBACK },
      rtcpMux: false,
      comedia: false,
    });
    this.#transport = transport;
    await transport.connect({ ip: LOOPBACK, port: this.#ports.rtp, rtcpPort: this.#ports.rtcp });
    const consumer = await transport.consume({
      producerId: producer.id,
      rtpCapabilities: recorderCapabilities(router.rtpCapabilities, mediaCodecOf(producer.rtpParameters)),
      paused: true,
    });
    this.#consumer = consumer;
    const sdp = recorderSdp({
      kind: producer.kind,
      rtpParameters: consumer.rtpParameters,
      ip: LOOPBACK,
      rtpPort: this.#ports.rtp,
      rtcpPort: this.#ports.rtcp,
    });
    const args = [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'warning',
      '-protocol_whitelist',
      'pipe,udp,rtp',
      '-fflags',
      '+genpts',
      // FFmpeg would otherwise read ~20 frames to estimate the frame rate before writing anything (a
      // second at 20 fps); the stream's timestamps carry the timing, so the file starts at once.
      '-fpsprobesize',
      '0',
      '-f',
      'sdp',
      '-i',
      'pipe:0',
      '-map',
      '0',
      '-c',
      'copy',
      '-metadata',
      `creation_time=${new Date(this.#options.startedMs).toISOString()}`,
      ...container.args,
      '-progress',
      'pipe:1',
      '-stats_period',
      '0.2',
      '-nostats',
      '-f',
      container.muxer,
      '-y',
      this.file,
    ];
    const [program, programArgs] = ffmpegCommand(tools, args);
    const child = spawn(program, programArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#process = child;
    this.#exited = new Promise((resolve) => child.once('close', () => resolve()));
    child.once('error', (error) => this.#fail(`FFmpeg could not be started: ${error.message}`));
    child.once('exit', (code, signal) => {
      const said = this.#stderr.length > 0 ? `: ${this.#stderr.join(' | ')}` : '';
      if (!this.#stopping) this.#fail(`FFmpeg exited (${signal ?? `code ${code}`})${said}`);
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(sdp);
    if (child.stderr) {
      readline.createInterface({ input: child.stderr }).on('line', (line) => {
        this.#stderr.push(line);
        if (this.#stderr.length > 5) this.#stderr.shift();
      });
    }
    if (child.stdout) readline.createInterface({ input: child.stdout }).on('line', (line) => this.#progress(line));

    await this.#waitListening();
    if (this.#failed || this.#stopping) throw new Error(`recorder stopped while starting: ${this.#stderr.join(' | ')}`);
  }

  /** Whether the stream flows to FFmpeg (an armed recorder waits with its consumer paused). */
  get flowing(): boolean {
    return this.#flowingMs > 0;
  }

  /**
   * Lets the stream flow to FFmpeg (which already listens): the file starts now, from a keyframe asked
   * for at once. An armed recorder — FFmpeg started ahead, while the hearing waits to start or resume —
   * thus writes its first frame a few hundred milliseconds sooner than one started cold.
   */
  async flow(): Promise<void> {
    const consumer = this.#consumer;
    if (!consumer || this.flowing || this.#stopping || this.#failed) return;
    const { producer } = this.#options;
    await consumer.resume();
    this.#flowingMs = this.#options.now();
    this.#lastAdvanceMs = this.#flowingMs;
    if (producer.kind === 'video') {
      const ask = (): void => {
        if (this.#firstFrameMs !== null || this.#stopping) return;
        consumer.requestKeyFrame().catch(() => undefined);
        this.#keyframes = setTimeout(ask, KEYFRAME_RETRY_MS);
      };
      ask();
    }
    this.#watchdog = setInterval(() => void this.#watch(), WATCH_MS);
    this.#watchdog.unref();
  }

  /** Waits until FFmpeg itself holds its RTP port (not merely until something does). */
  async #waitListening(): Promise<void> {
    const rtp = this.#ports?.rtp;
    const pid = this.#process?.pid;
    if (rtp === undefined || pid === undefined) return;
    const deadline = Date.now() + LISTEN_TIMEOUT_MS;
    while (Date.now() < deadline && !this.#failed && !this.#stopping) {
      if (await processHoldsUdpPort(pid, LOOPBACK, rtp)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (!this.#failed && !this.#stopping) throw new Error(`FFmpeg did not listen on UDP ${rtp} within 5 s`);
  }

  #progress(line: string): void {
    const [key, value] = line.split('=', 2);
    if (value === undefined) return;
    const now = this.#options.now();
    if (key === 'out_time_us') {
      const us = Number(value);
      if (Number.isFinite(us) && us > this.#outTimeUs) {
        this.#outTimeUs = us;
        this.#lastAdvanceMs = now;
      }
    } else if (key === 'total_size') {
      const size = Number(value);
      if (Number.isFinite(size) && size > this.#totalSize) {
        this.#totalSize = size;
        this.#lastAdvanceMs = now;
      }
    } else if (key === 'frame' && this.kind === 'video' && Number(value) > 0) {
      this.#firstFrame(now);
    } else if (key === 'progress' && this.kind === 'audio' && this.#outTimeUs > 0) {
      this.#firstFrame(now);
    }
  }

  #firstFrame(now: number): void {
    if (this.#firstFrameMs !== null) return;
    this.#firstFrameMs = now;
    this.emit('firstFrame', now);
  }

  /**
   * A failure is FFmpeg writing nothing for `stallMs` while the consumer keeps sending it packets. A
   * silent source (a paused producer, a covered camera that sends nothing) is not a recorder failure.
   */
  async #watch(): Promise<void> {
    const consumer = this.#consumer;
    if (!consumer || this.#stopping || this.#failed) return;
    let packets = this.#packets;
    try {
      const stats = await consumer.getStats();
      packets = stats.reduce((sum, s) => sum + (s.type === 'outbound-rtp' ? s.packetCount : 0), 0);
    } catch {
      return;
    }
    const arriving = packets > this.#packets;
    this.#packets = packets;
    const silentFor = this.#options.now() - this.#lastAdvanceMs;
    // Before its first frame FFmpeg waits for a keyframe and probes the stream: allow it longer.
    const limit = this.#firstFrameMs === null ? 3 * this.#options.stallMs : this.#options.stallMs;
    if (arriving && !this.producer.paused && silentFor > limit) {
      this.#fail(`FFmpeg wrote nothing for ${Math.round(silentFor / 1000)} s while the stream kept arriving`);
    }
  }

  #fail(reason: string): void {
    if (this.#failed || this.#stopping) return;
    this.#failed = true;
    this.#options.logger.warn({ file: this.file, reason }, 'recorder failed');
    this.emit('failed', reason);
  }

  /**
   * Stops recording: FFmpeg gets SIGINT, writes nothing that arrives after it and finishes the
   * container's trailer (it takes a second or two to exit: killed if it takes longer than 5 s); then the
   * consumer and its transport close. Safe to call more than once.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#watchdog) clearInterval(this.#watchdog);
    if (this.#keyframes) clearTimeout(this.#keyframes);
    await this.#stopProcess();
    this.#consumer?.close();
    this.#transport?.close();
    if (this.#ports) {
      this.#options.ports.release(this.#ports);
      this.#ports = null;
    }
  }

  async #stopProcess(): Promise<void> {
    const child = this.#process;
    if (child && child.exitCode === null && child.signalCode === null) {
      // A recorder that failed (hung, writing nothing) would not answer SIGINT: it is killed outright.
      if (this.#failed) child.kill('SIGKILL');
      else child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.#exited;
      clearTimeout(timer);
    } else {
      await this.#exited;
    }
  }
}
