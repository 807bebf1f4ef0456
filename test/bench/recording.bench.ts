/**
 * Recording benchmark: what recording a hearing costs and how soon its files start. Prints tables (it
 * is not a test: slow numbers do not fail it). Targets of the issue: at most 3 % of one core per
 * recorded stream (server and FFmpeg together), the first keyframe written at most 1 s after the
 * session starts.
 *
 * Both parts run the real server in-process (real mediasoup workers, FFmpeg, the built UI, the demo
 * database) with the demo hearing's judge and both village kiosks in headless Chromium with fake
 * camera and microphone: 3 participants × (camera, microphone) = 6 streams, as in
 * test/e2e/recording.e2e.test.ts. The judge's commands go straight to the hearing's floor, as the
 * judge's socket would send them.
 *
 * 1. Time to the first frame: the session is started and then paused and resumed (each resume starts
 *    recording again: new FFmpeg processes, new segments), RECORDING_STARTS times. For each start the
 *    origin is the floor's change of state (its floor_events.at_ms, what stateSince reports); for each
 *    of the six recorders it is split into: → FFmpeg spawned (the process's start time in /proc, to
 *    about 10 ms), → FFmpeg bound its UDP port (polled in /proc, to about 20 ms), → the segment's
 *    started_ms (the server saw FFmpeg listen and resumed the stream to it), → its first_frame_ms
 *    (FFmpeg reported its first written frame; for video the first keyframe). FFmpeg reports progress
 *    every 0.2 s (-stats_period): an audio first_frame_ms (a report with out_time > 0) may come up to
 *    0.2 s after the write.
 * 2. CPU per recorded stream: the same window (CPU_WINDOW_MS, in session, the same pages) on two
 *    servers run one after the other: a baseline whose judge started "without recording" (a server
 *    whose RECORDING_MIN_FREE_MB no disk has refuses to record; the product's "continue without
 *    recording"), and the recorded one. Per process group, CPU % of one core: the mediasoup workers
 *    and the FFmpeg processes from /proc/<pid>/stat, the Node process (server and this bench, idle
 *    during the window) from process.cpuUsage(). The server's cost of recording is recorded minus
 *    baseline; per stream = (server delta + FFmpeg) / 6. Chromium's CPU is not counted: it is the
 *    clients. Both windows start WINDOW_AFTER_MEDIA_MS after the senders' streams reached the server,
 *    so that the senders' bitrates (which ramp up over their first ~12 s) are alike; the bitrate the
 *    server received in each window, and the cameras' resolution and frame rate, are printed to show it.
 *
 * The three Chromium clients run on the same machine as the server: on a small machine they compete
 * with it (and with FFmpeg's start-up) for the CPU. The machine's cores and load are printed.
 *
 * Run: npm run bench:recording (the UI must be built: npm run build).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { types as ms } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../server/App.js';
import type { Floor } from '../../server/hearing/Floor.js';
import type { HearingCommand } from '../../shared/hearingState.js';
import { launchChromium, openPageAs } from '../helpers/browser.js';
import { admitParties, type DemoAccess, demoAccess, hearingFloor } from '../helpers/demo.js';
import { startTestServer, waitFor } from '../helpers/server.js';
import { summarize } from './measure.js';
import { childPids, clockTicksPerSecond, holdsUdpSocket, processStartClock, readProcStat } from './procfs.js';
import { cleanUp, cleanups, runBench } from './run.js';

/** Session starts measured: the start, then a pause and a resume for each further one. */
const RECORDING_STARTS = 6;
/** Streams recorded: judge and two kiosks, each camera and microphone. */
const STREAMS = 6;
/** Time the senders send before the first start (their bitrate ramps up first). */
const SENDER_SETTLE_MS = 12_000;
/** Recording kept after all six first frames before the next pause (so each segment holds media). */
const HOLD_MS = 1_000;
/** The CPU window starts this long after the six streams reached the server, on both servers. */
const WINDOW_AFTER_MEDIA_MS = 50_000;
const CPU_WINDOW_MS = 20_000;
/** No further session start is measured this long after the streams reached the server. */
const STARTS_UNTIL_MS = WINDOW_AFTER_MEDIA_MS + 10_000;
/** Longest wait for the six first frames after a start. */
const FIRST_FRAME_TIMEOUT_MS = 15_000;
/** Longest wait for a page, for the senders, for the recorders to stop and their files to be measured. */
const STEP_TIMEOUT_MS = 20_000;
/** The whole run; past it the bench cleans up and exits. */
const TOTAL_BUDGET_MS = 4 * 60_000;
const TARGET_CPU_PER_STREAM_PCT = 3;
const TARGET_FIRST_KEYFRAME_MS = 1_000;
/** Video bitrates of the two CPU windows further apart than this (fraction) are flagged. */
const MEDIA_MISMATCH = 0.25;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const sleep = (durationMs: number) => new Promise((resolve) => setTimeout(resolve, durationMs));

/** Rejects when the promise takes longer than `ms`. */
async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

// --- the hearing -------------------------------------------------------------------------------

/** The demo hearing on a fresh server, judge and both kiosks in Chromium sending camera and microphone. */
interface Hearing {
  app: App;
  access: DemoAccess;
  floor: Floor;
  /** When all six streams had reached the server. */
  mediaSinceMs: number;
  /** The judge's, the plaintiff's and the defendant's pages. */
  pages: Page[];
  command(command: HearingCommand): Promise<void>;
  /** The live producers of the hearing's room. */
  producers(): ms.Producer[];
}

async function startHearing(browser: Browser, name: string, env: Record<string, string>): Promise<Hearing> {
  say(`${name}: starting the server and the judge's and both kiosks' pages …`);
  const app = await startTestServer({ SEED_DEMO: 'true', ...env });
  cleanups.push({ what: `${name} server`, run: () => app.close() });
  const access = await demoAccess(app);
  await admitParties(app, access, ['plaintiff', 'defendant']);
  const { floor, judge } = await hearingFloor(app, access.hearingId, access.judge);
  const people = [access.judge, access.plaintiff, access.defendant];
  const pages: Page[] = [];
  for (const [index, place] of people.entries()) {
    const page: Page = await openPageAs(browser, place, access.hearingId);
    pages.push(page);
    cleanups.push({ what: `${name} page ${index}`, run: () => page.context().close() });
    const route = index === 0 ? '/hearing' : '/kiosk/hearing';
    await page.goto(`${app.url}${route}/${access.hearingId}/${place.participantId}`, { timeout: STEP_TIMEOUT_MS });
  }
  const room = () => app.rooms.room(access.hearingId);
  await waitFor(
    () => people.every((place) => (room()?.peer(place.participantId)?.producerInfos().length ?? 0) === 2),
    STEP_TIMEOUT_MS,
    'the judge and both kiosks to send camera and microphone',
  );
  return {
    app,
    access,
    floor,
    mediaSinceMs: Date.now(),
    pages,
    async command(command) {
      await within(floor.command(judge, command), STEP_TIMEOUT_MS, `the judge's ${command.type}`);
    },
    producers: () => room()?.peers.flatMap((peer) => peer.producerEntries().map((e) => e.producer)) ?? [],
  };
}

/**
 * What each page's camera sends now (RTCPeerConnection.getStats() outbound-rtp): resolution and frame
 * rate, e.g. "640x480@20". Read between measurements, never during one.
 */
async function sentVideo(h: Hearing): Promise<string> {
  const each = await Promise.all(
    h.pages.map((page) =>
      page.evaluate(async () => {
        const pcs: RTCPeerConnection[] = Reflect.get(window, '__peerConnections') ?? [];
        const found: string[] = [];
        for (const pc of pcs) {
          if (pc.connectionState === 'closed') continue;
          (await pc.getStats()).forEach(
            (stat: {
              type: string;
              kind?: string;
              frameWidth?: number;
              frameHeight?: number;
              framesPerSecond?: number;
            }) => {
              if (stat.type !== 'outbound-rtp' || stat.kind !== 'video') return;
              found.push(`${stat.frameWidth ?? '?'}x${stat.frameHeight ?? '?'}@${stat.framesPerSecond ?? '?'}`);
            },
          );
        }
        return found.join('+') || 'none';
      }),
    ),
  );
  return `judge ${each[0]}, plaintiff ${each[1]}, defendant ${each[2]}`;
}

/** When the floor last entered `state` (floor_events.at_ms: the ms behind the snapshot's stateSince). */
async function stateSinceMs(h: Hearing, state: string): Promise<number> {
  const row = await h.app.database.db
    .selectFrom('floor_events')
    .select('at_ms')
    .where('hearing_id', '=', h.access.hearingId)
    .where('participant_id', 'is', null)
    .where('to_state', '=', state)
    .orderBy('at_ms', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new Error(`the floor never entered ${state}`);
  return row.at_ms;
}

// --- 1. time to the first frame ------------------------------------------------------------------

interface RecorderStart {
  /** judge, plaintiff or defendant. */
  who: string;
  kind: 'audio' | 'video';
  /** All in server wall-clock ms. FFmpeg's process started (from /proc, ±10 ms). */
  spawnedMs: number | null;
  /** FFmpeg held a UDP socket: it has bound its RTP port (polled, ±20 ms). */
  socketMs: number | null;
  /** The segment's started_ms: the server saw FFmpeg listen and resumed the stream to it. */
  startedMs: number;
  /** null: no first frame within FIRST_FRAME_TIMEOUT_MS. */
  firstFrameMs: number | null;
}

interface SessionStart {
  command: 'start' | 'resume';
  /** The floor's change of state. */
  stateSinceMs: number;
  /** When floor.command() had resolved. */
  commandDoneMs: number;
  /** The recorders at the end of the wait (a failed one replaced by the server: its replacement). */
  recorders: RecorderStart[];
  /** Recorders the server gave up on and replaced during the wait (stop_reason recorder_failure). */
  failures: number;
}

/**
 * Sends a start or resume and waits (at most FIRST_FRAME_TIMEOUT_MS) for the six recorders' first
 * frames; returns their times, with what was missing when the wait ran out.
 */
async function measureStart(
  h: Hearing,
  type: 'start' | 'resume',
  startOf: (startTicks: number) => number,
): Promise<SessionStart> {
  const { app, access } = h;
  // FFmpeg processes the server starts from now on, by pid: when each started and bound its UDP port.
  const ffmpegs = new Map<number, { spawnedMs: number; socketMs: number | null }>();
  const before = new Set(childPids());
  const watchChildren = (): void => {
    const now = Date.now();
    for (const pid of childPids()) {
      if (before.has(pid) || ffmpegs.has(pid)) continue;
      // A child is looked at again until it is FFmpeg: before its exec it still has another name.
      const stat = readProcStat(pid);
      if (stat?.command === 'ffmpeg') ffmpegs.set(pid, { spawnedMs: startOf(stat.startTicks), socketMs: null });
    }
    for (const [pid, ffmpeg] of ffmpegs) {
      if (ffmpeg.socketMs === null && holdsUdpSocket(pid)) ffmpeg.socketMs = now;
    }
  };
  await h.command({ type });
  const commandDoneMs = Date.now();
  const pids = new Map<string, number>();
  const deadline = commandDoneMs + FIRST_FRAME_TIMEOUT_MS;
  for (;;) {
    watchChildren();
    const recorders = app.recordings.recorders(access.hearingId);
    for (const r of recorders) if (r.pid !== undefined) pids.set(r.segmentId, r.pid);
    if (recorders.length === STREAMS && recorders.every((r) => r.firstFrameMs !== null)) break;
    if (Date.now() > deadline) break;
    await sleep(20);
  }
  const live = app.recordings.recorders(access.hearingId);
  const stateSince = await stateSinceMs(h, 'in_session');
  const rows = async () =>
    live.length === 0
      ? []
      : app.database.db
          .selectFrom('recording_segments')
          .select(['id', 'participant_id', 'kind', 'started_ms', 'first_frame_ms'])
          .where(
            'id',
            'in',
            live.map((r) => r.segmentId),
          )
          .execute();
  // first_frame_ms is written just after the recorder reports it.
  const framed = live.filter((r) => r.firstFrameMs !== null).length;
  await waitFor(
    async () => (await rows()).filter((r) => r.first_frame_ms !== null).length >= framed,
    STEP_TIMEOUT_MS,
    'first_frame_ms of the segments',
  );
  const failed = await app.database.db
    .selectFrom('recording_segments')
    .select('id')
    .where('hearing_id', '=', access.hearingId)
    .where('started_ms', '>=', stateSince)
    .where('stop_reason', '=', 'recorder_failure')
    .execute();
  const names = new Map((['judge', 'plaintiff', 'defendant'] as const).map((who) => [access[who].participantId, who]));
  return {
    command: type,
    stateSinceMs: stateSince,
    commandDoneMs,
    failures: failed.length,
    recorders: (await rows()).map((row) => {
      const pid = pids.get(row.id);
      const ffmpeg = pid === undefined ? undefined : ffmpegs.get(pid);
      return {
        who: names.get(row.participant_id) ?? row.participant_id,
        kind: row.kind,
        spawnedMs: ffmpeg?.spawnedMs ?? null,
        socketMs: ffmpeg?.socketMs ?? null,
        startedMs: row.started_ms,
        firstFrameMs: row.first_frame_ms,
      };
    }),
  };
}

/** One line per start: ms from the state change to each recorder's first frame. */
function describeStart(s: SessionStart): string {
  const of = (kind: 'audio' | 'video') =>
    s.recorders
      .filter((r) => r.kind === kind)
      .map((r) => `${r.who} ${r.firstFrameMs === null ? 'none' : (r.firstFrameMs - s.stateSinceMs).toFixed(0)}`)
      .join(', ');
  const missing = STREAMS - s.recorders.length;
  return (
    `${s.command.padEnd(6)} video: ${of('video')} | audio: ${of('audio')}` +
    `${missing > 0 ? ` | ${missing} streams without a recorder` : ''}` +
    `${s.failures > 0 ? ` | ${s.failures} recorders failed and were replaced` : ''}`
  );
}

async function pause(h: Hearing): Promise<void> {
  const { app, access } = h;
  await h.command({ type: 'pause', reason: '基准测试：休庭' });
  await waitFor(
    () => app.recordings.recorders(access.hearingId).length === 0,
    STEP_TIMEOUT_MS,
    'every recorder to stop at the recess',
  );
  // The closed segments are probed and hashed in the background: not while the next start is measured.
  await within(app.recordings.settled(access.hearingId), STEP_TIMEOUT_MS, 'the closed segments to be measured');
}

// --- 2. CPU --------------------------------------------------------------------------------------

interface CpuWindow {
  seconds: number;
  /** % of one core. */
  workers: number;
  workerProcesses: number;
  node: number;
  ffmpeg: number;
  ffmpegProcesses: number;
  /** FFmpeg processes gone during the window (a recorder restarted: its CPU is missing). */
  ffmpegLost: number;
  /** What the server received from the six senders during the window. */
  receivedKbps: { audio: number; video: number };
  loadBefore: number[];
  loadAfter: number[];
  /** From the streams reaching the server to the window's start. */
  afterMediaMs: number;
  /** The cameras' resolution and frame rate just before the window. */
  sentVideo: string;
}

async function receivedBytes(h: Hearing): Promise<{ audio: number; video: number }> {
  const total = { audio: 0, video: 0 };
  for (const producer of h.producers()) {
    const stats = await producer.getStats();
    total[producer.kind] += stats.reduce((sum, s) => sum + s.byteCount, 0);
  }
  return total;
}

async function measureCpu(h: Hearing, hz: number): Promise<CpuWindow> {
  const { app, access } = h;
  const wait = h.mediaSinceMs + WINDOW_AFTER_MEDIA_MS - Date.now();
  if (wait > 0) await sleep(wait);
  const sent = await sentVideo(h);
  const afterMediaMs = Date.now() - h.mediaSinceMs;
  const workerPids = app.pool.workers.map((w) => w.pid);
  const ffmpegPids = app.recordings
    .recorders(access.hearingId)
    .map((r) => r.pid)
    .filter((pid): pid is number => pid !== undefined);
  const ticks = (pids: number[]) => new Map(pids.map((pid) => [pid, readProcStat(pid)?.cpuTicks ?? null]));

  const bytesBefore = await receivedBytes(h);
  const loadBefore = os.loadavg();
  const workersBefore = ticks(workerPids);
  const ffmpegBefore = ticks(ffmpegPids);
  const nodeBefore = process.cpuUsage();
  const started = performance.now();
  await sleep(CPU_WINDOW_MS);
  const seconds = (performance.now() - started) / 1000;
  const node = process.cpuUsage(nodeBefore);
  const workersAfter = ticks(workerPids);
  const ffmpegAfter = ticks(ffmpegPids);
  const loadAfter = os.loadavg();
  const bytesAfter = await receivedBytes(h);

  /** Ticks used by the processes alive at both ends of the window, and how many were not. */
  const used = (before: Map<number, number | null>, after: Map<number, number | null>) => {
    let sum = 0;
    let lost = 0;
    for (const [pid, start] of before) {
      const end = after.get(pid);
      if (start === null || end === null || end === undefined) lost++;
      else sum += end - start;
    }
    return { pct: (sum / hz / seconds) * 100, lost };
  };
  const workers = used(workersBefore, workersAfter);
  if (workers.lost > 0) throw new Error('a mediasoup worker died during the CPU window');
  const ffmpeg = used(ffmpegBefore, ffmpegAfter);
  const kbps = (bytes: number) => (bytes * 8) / 1000 / seconds;
  return {
    seconds,
    workers: workers.pct,
    workerProcesses: workerPids.length,
    node: ((node.user + node.system) / 1e6 / seconds) * 100,
    ffmpeg: ffmpeg.pct,
    ffmpegProcesses: ffmpegPids.length,
    ffmpegLost: ffmpeg.lost,
    receivedKbps: {
      audio: kbps(bytesAfter.audio - bytesBefore.audio),
      video: kbps(bytesAfter.video - bytesBefore.video),
    },
    loadBefore,
    loadAfter,
    afterMediaMs,
    sentVideo: sent,
  };
}

// --- the two runs --------------------------------------------------------------------------------

/** The same hearing, in session without recording: the server refuses to record and the judge goes on. */
async function baselineRun(browser: Browser, hz: number): Promise<CpuWindow> {
  const mark = cleanups.length;
  try {
    const h = await startHearing(browser, 'baseline', { RECORDING_MIN_FREE_MB: '100000000' });
    await sleep(SENDER_SETTLE_MS);
    await h.command({ type: 'start', withoutRecording: true });
    // The recorder takes up the new state after the command: then the floor tells everyone.
    await waitFor(
      () => h.floor.state === 'in_session' && h.floor.snapshot().recordingNotice === 'without_recording',
      STEP_TIMEOUT_MS,
      'the hearing to be in session "without recording"',
    );
    say(`baseline: in session without recording; CPU window ${WINDOW_AFTER_MEDIA_MS / 1000} s after media …`);
    const cpu = await measureCpu(h, hz);
    if (h.app.recordings.recorders(h.access.hearingId).length > 0) throw new Error('baseline: something recorded');
    return cpu;
  } finally {
    await cleanUp(mark);
  }
}

async function recordedRun(
  browser: Browser,
  hz: number,
  startOf: (startTicks: number) => number,
): Promise<{ starts: SessionStart[]; cpu: CpuWindow; sentBefore: string }> {
  const mark = cleanups.length;
  try {
    const h = await startHearing(browser, 'recorded', {});
    await sleep(SENDER_SETTLE_MS);
    say(`recorded: ${RECORDING_STARTS} session starts (start, then pause → resume) …`);
    const starts: SessionStart[] = [];
    const sentBefore = await sentVideo(h);
    for (let index = 0; index < RECORDING_STARTS; index++) {
      if (index > 0) {
        if (Date.now() - h.mediaSinceMs > STARTS_UNTIL_MS) {
          say(`recorded: stopping after ${index} starts (time budget)`);
          break;
        }
        await pause(h);
        await sleep(500);
      }
      const start = await measureStart(h, index === 0 ? 'start' : 'resume', startOf);
      starts.push(start);
      say(`  ${describeStart(start)}  (ms from the state change)`);
      await sleep(HOLD_MS);
    }
    say(`recorded: in session, recording; CPU window ${WINDOW_AFTER_MEDIA_MS / 1000} s after media …`);
    const cpu = await measureCpu(h, hz);
    return { starts, cpu, sentBefore };
  } finally {
    await cleanUp(mark);
  }
}

// --- report --------------------------------------------------------------------------------------

const column = (text: string | number, width = 9): string => String(text).padStart(width);
const fixed = (value: number, digits = 0): string => column(Number.isFinite(value) ? value.toFixed(digits) : '—');
const load = (values: number[]): string => values.map((v) => v.toFixed(2)).join(' ');

/** `sentBefore`: the cameras' resolution and frame rate before the first start. */
function firstFrameReport(starts: SessionStart[], sentBefore: string): string[] {
  const header = `${'ms'.padEnd(50)}${column('n', 4)}${column('min')}${column('p50')}${column('max')}`;
  const row = (label: string, samples: number[]) => {
    const valid = samples.filter(Number.isFinite);
    if (valid.length === 0) return `${label.padEnd(50)}${column(0, 4)}`;
    const s = summarize(valid);
    return `${label.padEnd(50)}${column(s.n, 4)}${fixed(s.min)}${fixed(s.median)}${fixed(s.max)}`;
  };
  const minus = (a: number | null, b: number | null): number => (a === null || b === null ? Number.NaN : a - b);
  const lines = [
    '',
    `1. Time to the first written frame: ${starts.length} session starts (1 start + ${starts.length - 1} resumes) × ${STREAMS} recorders`,
    '   origin: the floor entering in_session (floor_events.at_ms, i.e. stateSince); server wall clock',
    '',
    header,
  ];
  for (const kind of ['video', 'audio'] as const) {
    const all = starts.flatMap((s) => s.recorders.filter((r) => r.kind === kind).map((r) => ({ s, r })));
    lines.push(
      row(
        `${kind}: state change → first frame`,
        all.map(({ s, r }) => minus(r.firstFrameMs, s.stateSinceMs)),
      ),
      row(
        `${kind}: command resolved → first frame`,
        all.map(({ s, r }) => minus(r.firstFrameMs, s.commandDoneMs)),
      ),
      row(
        `${kind}:   state change → started_ms (flowing)`,
        all.map(({ s, r }) => minus(r.startedMs, s.stateSinceMs)),
      ),
      row(
        `${kind}:   state change → FFmpeg spawned (±10)`,
        all.map(({ s, r }) => minus(r.spawnedMs, s.stateSinceMs)),
      ),
      row(
        `${kind}:   spawned → FFmpeg bound its UDP port (±20)`,
        all.map(({ r }) => minus(r.socketMs, r.spawnedMs)),
      ),
      row(
        `${kind}:   port bound → started_ms (seen, resumed)`,
        all.map(({ r }) => minus(r.startedMs, r.socketMs)),
      ),
      row(
        `${kind}:   started_ms → first_frame_ms`,
        all.map(({ r }) => minus(r.firstFrameMs, r.startedMs)),
      ),
    );
  }
  lines.push(
    '   (n = 0 in the FFmpeg rows: its recorders were armed ahead — FFmpeg already listening while the',
    '    hearing was open or in recess — so the start only let the streams flow)',
  );
  const complete = starts.filter(
    (s) => s.recorders.length === STREAMS && s.recorders.every((r) => r.firstFrameMs !== null),
  );
  lines.push(
    row(
      'state change → command resolved',
      starts.map((s) => s.commandDoneMs - s.stateSinceMs),
    ),
    row(
      'state change → all six first frames',
      complete.map((s) => Math.max(...s.recorders.map((r) => r.firstFrameMs ?? Number.NaN)) - s.stateSinceMs),
    ),
  );
  const videos = starts.flatMap((s) =>
    s.recorders.filter((r) => r.kind === 'video').map((r) => minus(r.firstFrameMs, s.stateSinceMs)),
  );
  const expected = starts.length * (STREAMS / 2);
  const late = videos.filter((v) => v > TARGET_FIRST_KEYFRAME_MS).length;
  const none = expected - videos.filter(Number.isFinite).length;
  const failures = starts.reduce((sum, s) => sum + s.failures, 0);
  const verdict =
    late + none === 0
      ? 'within target'
      : `ABOVE target: ${late} of ${expected} later${none > 0 ? `, ${none} with no first frame within ${FIRST_FRAME_TIMEOUT_MS / 1000} s` : ''}`;
  lines.push(
    '',
    `target: first keyframe ≤ ${TARGET_FIRST_KEYFRAME_MS} ms after the session starts: ${verdict}`,
    ...(failures > 0 ? [`recorders the server declared failed and replaced while starting: ${failures}`] : []),
    `cameras sent (before the first start): ${sentBefore}`,
    'note: FFmpeg reports progress every 0.2 s (-stats_period 0.2); an audio first_frame_ms (the first report with',
    '      out_time > 0) lags the write by up to 0.2 s',
    '',
    'per start (ms from the state change to each first frame):',
    ...starts.map((s) => `  ${describeStart(s)}`),
  );
  return lines;
}

function cpuReport(baseline: CpuWindow, recorded: CpuWindow): string[] {
  const pct = (value: number): string => column(value.toFixed(2), 10);
  const header = `${'% of one core'.padEnd(30)}${column('baseline', 10)}${column('recorded', 10)}${column('delta', 10)}`;
  const row = (label: string, b: number, r: number) => `${label.padEnd(30)}${pct(b)}${pct(r)}${pct(r - b)}`;
  const serverB = baseline.workers + baseline.node;
  const serverR = recorded.workers + recorded.node;
  const serverDelta = serverR - serverB;
  const streams = recorded.ffmpegProcesses - recorded.ffmpegLost;
  const perStream = (serverDelta + recorded.ffmpeg) / streams;
  const verdict = perStream <= TARGET_CPU_PER_STREAM_PCT ? 'within target' : 'ABOVE target';
  const kbps = (w: CpuWindow) =>
    `video ${w.receivedKbps.video.toFixed(0)} kbit/s, audio ${w.receivedKbps.audio.toFixed(0)} kbit/s`;
  return [
    '',
    `2. CPU over a ${CPU_WINDOW_MS / 1000} s window in session, ${STREAMS} streams (3 participants × camera, microphone)`,
    `   baseline: in session "without recording" (no FFmpeg); recorded: ${recorded.ffmpegProcesses} FFmpeg processes`,
    '',
    header,
    row(`mediasoup workers (${recorded.workerProcesses})`, baseline.workers, recorded.workers),
    row('node (server + idle bench)', baseline.node, recorded.node),
    row('ffmpeg', baseline.ffmpeg, recorded.ffmpeg),
    row('server (workers + node)', serverB, serverR),
    row('total (server + ffmpeg)', serverB + baseline.ffmpeg, serverR + recorded.ffmpeg),
    '',
    `per recorded stream: ffmpeg ${(recorded.ffmpeg / streams).toFixed(2)} % + server ${(serverDelta / streams).toFixed(2)} % ` +
      `= ${perStream.toFixed(2)} % of one core (target ≤ ${TARGET_CPU_PER_STREAM_PCT} %: ${verdict})`,
    ...(streams !== STREAMS
      ? [
          `warning: ${streams} streams recorded through the window, not ${STREAMS}` +
            `${recorded.ffmpegLost > 0 ? ` (${recorded.ffmpegLost} FFmpeg processes ended during it)` : ''}`,
        ]
      : []),
    '',
    `received by the server: baseline ${kbps(baseline)}; recorded ${kbps(recorded)}`,
    `cameras sent (before the window): baseline ${baseline.sentVideo}; recorded ${recorded.sentVideo}`,
    ...(Math.abs(recorded.receivedKbps.video - baseline.receivedKbps.video) >
    MEDIA_MISMATCH * Math.max(baseline.receivedKbps.video, recorded.receivedKbps.video)
      ? [
          `warning: the senders' video bitrate differs by more than ${MEDIA_MISMATCH * 100} % between the windows ` +
            '(the browsers adapt to a busy CPU): the server delta compares different media',
        ]
      : []),
    `windows: baseline ${baseline.seconds.toFixed(1)} s from ${(baseline.afterMediaMs / 1000).toFixed(1)} s after media, ` +
      `recorded ${recorded.seconds.toFixed(1)} s from ${(recorded.afterMediaMs / 1000).toFixed(1)} s after media`,
    `load average (1 5 15 min): baseline ${load(baseline.loadBefore)} → ${load(baseline.loadAfter)}; ` +
      `recorded ${load(recorded.loadBefore)} → ${load(recorded.loadAfter)}`,
    "Chromium's CPU (the three clients: encoding, decoding) is not counted; it shares the machine and adds noise.",
  ];
}

// --- main ----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const startedAt = Date.now();
  process.chdir(ROOT);
  if (!fs.existsSync(path.join(ROOT, 'dist/client/index.html'))) {
    throw new Error('the UI is not built (no dist/client/index.html): run `npm run build` first');
  }
  const hz = await clockTicksPerSecond();
  const startOf = await processStartClock(hz);
  const ffmpegVersion = (await run('ffmpeg', ['-hide_banner', '-version'], { timeout: 10_000 })).stdout.split('\n')[0];
  const browser = await launchChromium();
  cleanups.push({ what: 'browser', run: () => browser.close() });
  const loadAtStart = os.loadavg();
  const cpus = os.cpus();
  const machine = [
    `machine: ${os.availableParallelism()} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
      `Linux ${os.release()}, CLK_TCK ${hz}`,
    `software: Node ${process.version}, mediasoup ${mediasoup.version}, ${ffmpegVersion}, Chromium ${browser.version()}`,
  ];
  for (const line of machine) say(line);
  say(`load average at the start: ${load(loadAtStart)}`);

  const baseline = await baselineRun(browser, hz);
  const { starts, cpu, sentBefore } = await recordedRun(browser, hz, startOf);
  const loadAtEnd = os.loadavg();
  const busy = Math.max(loadAtStart[0] ?? 0, loadAtEnd[0] ?? 0) > os.availableParallelism();
  const lines = [
    '',
    '== Recording benchmark ==',
    ...machine,
    `load average (1 5 15 min): at the start ${load(loadAtStart)}, at the end ${load(loadAtEnd)}; ` +
      `the bench took ${((Date.now() - startedAt) / 1000).toFixed(0)} s`,
    ...(busy
      ? [
          `warning: the 1-minute load average exceeded the ${os.availableParallelism()} CPUs: other work shared the ` +
            'machine, and the times and CPU numbers below carry its noise',
        ]
      : []),
    ...firstFrameReport(starts, sentBefore),
    ...cpuReport(baseline, cpu),
  ];
  say(lines.join('\n'));
}

await runBench('recording', TOTAL_BUDGET_MS, main);
