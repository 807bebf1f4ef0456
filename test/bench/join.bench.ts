/**
 * Join benchmark: how long a participant waits, from the join, for the first decoded video frame of
 * the court. Prints a table (it is not a test: slow numbers do not fail it).
 *
 * - product: the real server (real mediasoup workers, built UI, demo database) with a judge page that
 *   sends its fake camera, in a hearing the judge has opened. Before the series every bench kiosk
 *   participant is admitted through the server's floor as a finished check-in at its kiosk, self-test
 *   and the judge's call-in leave them, and then disconnected (admitKiosks): each is 'disconnected'
 *   with resumeTo 'in_hearing'. Each measured page is that enrolled kiosk, loaded at the app's start
 *   (which takes a kiosk to its welcome screen, /kiosk), that routes client-side to the kiosk's hearing
 *   route /kiosk/hearing/:hearingId/:participantId (as the app's navigate() does); it sends no check-in
 *   and rejoins straight into the hearing, where the server sends it media at once: the path of a
 *   kiosk's reload, of its automatic rejoin after a drop, of a villager already called in. The check-in,
 *   self-test and waiting room (where the server holds the media) are not measured.
 * - bare: the baseline the product is held to, mediasoup-client straight to a router (bare/): one page
 *   sends, each measured page runs getRouterRtpCapabilities → device.load → createRecvTransport →
 *   consume → resume.
 *
 * The time runs from the join call (the product's HearingSession.start, marked 'hearing:join' when the
 * kiosk's hearing screen mounts; the bare page's bareJoin) to the first decoded remote video frame. The
 * product is also reported from the route change to the kiosk route (what the kiosk's PIN screen does on
 * "confirm"), which adds the first render of the kiosk's hearing screen. After each product join the
 * page must show the kiosk's in-hearing screen (data-testid="in-hearing").
 *
 * Each is measured one join at a time (SEQUENTIAL_JOINS, after WARMUP_JOINS not counted), then with
 * CONCURRENT_JOINS pages joining at once; the bare pair at once only shows how much of the product's
 * concurrent number this machine itself adds. Every number is measured inside the joining page
 * (measure.ts). Each page is a fresh browser context; closing it drops the participant, who goes back
 * to 'disconnected' with resumeTo 'in_hearing', so the next page of the same participant (the one-at-a-
 * time series reuses the first kiosk; the concurrent one uses every kiosk) rejoins into the hearing
 * again: the bench waits for that state before each next join and stops if a participant is elsewhere.
 *
 * Run: npm run bench:join (builds the UI first when dist/client is missing or older than client/).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as mediasoup from 'mediasoup';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import type { App } from '../../server/App.js';
import type { Floor } from '../../server/hearing/Floor.js';
import { shanghaiDayStart, toShanghaiIso } from '../../shared/scheduling.js';
import { launchChromium, openPage, openPageAs } from '../helpers/browser.js';
import { admitToHearing, demoAccess, type Place } from '../helpers/demo.js';
import { startTestServer, waitFor } from '../helpers/server.js';
import type { BarePageApi } from './bare/protocol.js';
import { startBareServer } from './bare/server.js';
import { installProbe, type JoinLatency, joinLatency, type ProbeReading, summarize } from './measure.js';
import { cleanUp, cleanups, runBench } from './run.js';

const SEQUENTIAL_JOINS = 20;
const CONCURRENT_JOINS = 10;
/** Joins before each sequential series that are not counted (first page loads, JIT, codec setup). */
const WARMUP_JOINS = 2;
/** The product's median may be at most this multiple of the bare baseline's. */
const TARGET_RATIO = 1.25;
/** Longest wait for one page's first frame, and for all the concurrent pages' first frames. */
const JOIN_TIMEOUT_MS = 30_000;
const CONCURRENT_TIMEOUT_MS = 90_000;
/**
 * Time a sender sends before the joins start: its bitrate (and so the size of the keyframe each join
 * asks for) ramps up over its first ~12 s and is then steady.
 */
const SENDER_SETTLE_MS = 15_000;
/** Longest wait for a page to load, for the sender to send, for the server to drop a closed page. */
const STEP_TIMEOUT_MS = 20_000;
/** The whole run; past it the bench cleans up and exits. */
const TOTAL_BUDGET_MS = 15 * 60_000;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HOUR_MS = 3_600_000;

/**
 * A hearing of the demo judge with one kiosk participant per concurrent page, each at a site of its
 * own: the sites and kiosks are registered and enrolled and the hearing booked through the services,
 * as an administrator and a clerk would.
 */
async function benchHearing(app: App): Promise<{ hearingId: string; judge: Place; kiosks: Place[] }> {
  const access = await demoAccess(app);
  const password = app.demo?.password ?? '';
  const admin = await app.accounts.login({ username: 'admin', password, ip: '127.0.0.1' });
  const clerk = await app.accounts.login({ username: 'clerk.li', password, ip: '127.0.0.1' });
  const sites: Array<{ siteId: string; kioskId: string; credential: string }> = [];
  for (let index = 0; index < CONCURRENT_JOINS; index++) {
    const site = await app.accounts.registerSite(admin.principal, {
      name: `基准测试村${index + 1}共享法庭`,
      county: '临安区',
      addressCode: `3301129990${String(index).padStart(2, '0')}`,
    });
    const issued = await app.accounts.registerKiosk(admin.principal, { siteId: site.id, name: '终端' });
    const enrolled = await app.accounts.enrollKiosk({ code: issued.enrollmentCode, ip: '127.0.0.1' });
    sites.push({ siteId: site.id, kioskId: enrolled.kioskId, credential: enrolled.credential });
  }
  const evening = shanghaiDayStart(Date.now()) + 20 * HOUR_MS;
  const booking = await app.scheduler.book(
    { userId: clerk.principal.userId },
    {
      caseNumber: '（2026）浙0185民初9999号',
      title: '加入时延基准测试',
      caseType: 'civil',
      courtId: clerk.principal.courtId,
      judgeId: access.judge.participantId,
      clerkId: clerk.principal.userId,
      startsAt: toShanghaiIso(evening),
      endsAt: toShanghaiIso(evening + HOUR_MS),
      isPublic: false,
      participants: sites.map((site, index) => ({
        role: 'witness',
        name: `证人${index + 1}`,
        idTail: String(1000 + index),
        site: site.siteId,
      })),
    },
  );
  const kiosks = sites.map((site): Place => {
    const participant = booking.participants.find((p) => p.siteId === site.siteId);
    if (!participant) throw new Error('bench participant missing');
    return {
      participantId: participant.id,
      auth: { kioskCredential: site.credential },
      idTail: participant.idTail,
      stored: { kind: 'kiosk', credential: site.credential, kioskId: site.kioskId, siteId: site.siteId },
    };
  });
  return { hearingId: booking.id, judge: access.judge, kiosks };
}

/**
 * Where a bench kiosk participant must be before each measured join: dropped from the hearing they were
 * called into, so that their kiosk's page rejoins into it without a check-in. Returns null when they
 * are, a description when they are not; throws when they cannot get there any more (left, sent back).
 */
function awaitingRejoin(floor: Floor, participantId: string): string | null {
  const record = floor.snapshot().participants.find((p) => p.participantId === participantId);
  if (!record) throw new Error(`bench participant ${participantId} is not on the floor`);
  const { status, connected } = record;
  if (!connected && status.state === 'disconnected' && status.resumeTo === 'in_hearing') return null;
  const where = `${status.state}${status.resumeTo ? ` (resumeTo ${status.resumeTo})` : ''}`;
  // A closed page's disconnect may still be on its way; anything else will not become a rejoin.
  if (status.state !== 'in_hearing' && !(status.state === 'disconnected' && status.resumeTo === 'in_hearing')) {
    throw new Error(`bench participant ${participantId} is ${where}, not disconnected from the hearing`);
  }
  return `${participantId} ${connected ? 'connected' : 'not connected'}, ${where}`;
}

/** admitToHearing for the bench's kiosks, checking that each waits to rejoin into the hearing. */
async function admitKiosks(app: App, bench: { hearingId: string; judge: Place; kiosks: Place[] }): Promise<Floor> {
  const floor = await admitToHearing(app, bench.hearingId, bench.judge, bench.kiosks);
  for (const place of bench.kiosks) {
    const off = awaitingRejoin(floor, place.participantId);
    if (off) throw new Error(`admitting a bench participant left them elsewhere: ${off}`);
  }
  return floor;
}

/** Newest modification time of the files under `dir`. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Builds the UI into dist/client when it is missing or older than its sources. */
async function ensureUiBuilt(): Promise<void> {
  const index = path.join(ROOT, 'dist/client/index.html');
  const sources = Math.max(newestMtime(path.join(ROOT, 'client')), newestMtime(path.join(ROOT, 'shared')));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) return;
  process.stdout.write('building the UI (vite build) …\n');
  try {
    await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  } catch (error) {
    throw new Error(`could not build the UI; run \`npm run build\` and look at its errors (${String(error)})`);
  }
  if (!fs.existsSync(index)) throw new Error('vite build left no dist/client/index.html');
}

/** Closes a page's browser context and so its peer connections, camera and sockets. */
async function closePage(page: Page): Promise<void> {
  await page.context().close();
}

// --- what is measured ------------------------------------------------------------------------------

/** One way of joining: readies a fresh page, triggers its join, and waits for the server to let go. */
interface Subject {
  /** A fresh page, loaded and ready to join as the `index`-th of the concurrent joiners. */
  open(index: number): Promise<Page>;
  /** Triggers the join of the page, noting the start on the page's clock; returns its wall-clock time. */
  join(page: Page, index: number): Promise<number>;
  /** Waits until the server holds nothing more of the closed pages. */
  settle(): Promise<void>;
  /** After the first frame: checks that the page joined the way it is meant to (not timed). */
  joined?(page: Page): Promise<void>;
}

/** The bare baseline: a sender page and receiver pages that run bareJoin() of bare/page.ts. */
async function startBare(browser: Browser): Promise<Subject> {
  const bare = await startBareServer();
  cleanups.push({ what: 'bare server', run: () => bare.close() });
  const open = async (): Promise<Page> => {
    const page = await openPage(browser);
    await installProbe(page);
    await page.goto(bare.url, { timeout: STEP_TIMEOUT_MS });
    await page.waitForFunction(() => typeof Reflect.get(window, 'bareJoin') === 'function', undefined, {
      timeout: STEP_TIMEOUT_MS,
    });
    return page;
  };
  const sender = await open();
  cleanups.push({ what: 'bare sender page', run: () => closePage(sender) });
  await sender.evaluate(() => (window as unknown as BarePageApi).bareSend());
  return {
    open,
    join: (page) =>
      page.evaluate(async () => {
        const probe: ProbeReading = Reflect.get(window, '__joinProbe');
        probe.start = performance.now();
        const start = performance.timeOrigin + probe.start;
        await (window as unknown as BarePageApi).bareJoin();
        return start;
      }),
    async settle() {
      bare.closeReceivers();
    },
  };
}

/**
 * The product: a judge page that sends, and kiosk pages (enrolled, their participant admitted and then
 * dropped: admitKiosks) that are on the kiosk's welcome screen and then route to the kiosk's hearing
 * route, as the kiosk's PIN screen does, rejoining straight into the hearing.
 */
async function startProduct(browser: Browser): Promise<Subject> {
  const app = await startTestServer({ SEED_DEMO: 'true' });
  cleanups.push({ what: 'product server', run: () => app.close() });
  const bench = await benchHearing(app);
  const floor = await admitKiosks(app, bench);
  const judge = await openPageAs(browser, bench.judge, bench.hearingId);
  cleanups.push({ what: 'judge page', run: () => closePage(judge) });
  await judge.goto(`${app.url}/hearing/${bench.hearingId}/${bench.judge.participantId}`, { timeout: STEP_TIMEOUT_MS });
  const judgeSendsVideo = (): boolean =>
    app.rooms
      .room(bench.hearingId)
      ?.peer(bench.judge.participantId)
      ?.producerInfos()
      .some((p) => p.kind === 'video') ?? false;
  await waitFor(judgeSendsVideo, STEP_TIMEOUT_MS, 'the judge to send video');
  const kiosk = (index: number): Place => {
    const place = bench.kiosks[index];
    if (!place) throw new Error(`no bench kiosk ${index}`);
    return place;
  };
  return {
    async open(index) {
      // No check-in stored (the bench places have no operator PIN): the page joins as a rejoin.
      const page = await openPageAs(browser, kiosk(index), bench.hearingId);
      await installProbe(page);
      // The start page sends an enrolled kiosk on to its welcome screen (/kiosk).
      await page.goto(app.url, { timeout: STEP_TIMEOUT_MS });
      await page.getByTestId('kiosk-welcome').waitFor({ timeout: STEP_TIMEOUT_MS });
      return page;
    },
    join: (page, index) =>
      page.evaluate(
        (path) => {
          const probe: ProbeReading = Reflect.get(window, '__joinProbe');
          probe.start = performance.now();
          // Client-side navigation, as the app's own navigate() does (pushState, then the router's
          // listeners, which also listen to 'popstate').
          window.history.pushState(null, '', path);
          window.dispatchEvent(new PopStateEvent('popstate'));
          return performance.timeOrigin + probe.start;
        },
        // kioskHearingPath() of client/src/services/router.ts
        `/kiosk/hearing/${encodeURIComponent(bench.hearingId)}/${encodeURIComponent(kiosk(index).participantId)}`,
      ),
    settle: () =>
      waitFor(
        () =>
          (app.rooms.room(bench.hearingId)?.peers.every((peer) => peer.participant.id === bench.judge.participantId) ??
            true) &&
          bench.kiosks.every((place) => awaitingRejoin(floor, place.participantId) === null),
        STEP_TIMEOUT_MS,
        'the server to drop the closed pages and put their participants back to rejoin the hearing',
      ),
    async joined(page) {
      await page.getByTestId('in-hearing').waitFor({ timeout: STEP_TIMEOUT_MS });
    },
  };
}

// --- how it is measured ----------------------------------------------------------------------------

/** `count` joins one after the other, each on a fresh page, after WARMUP_JOINS that are not counted. */
async function sequentialJoins(subject: Subject, count: number): Promise<JoinLatency[]> {
  const samples: JoinLatency[] = [];
  for (let index = 0; index < WARMUP_JOINS + count; index++) {
    const page = await subject.open(0);
    try {
      await subject.join(page, 0);
      const latency = await joinLatency(page, JOIN_TIMEOUT_MS);
      await subject.joined?.(page);
      if (index >= WARMUP_JOINS) samples.push(latency);
    } finally {
      await closePage(page);
      await subject.settle();
    }
  }
  return samples;
}

/** `count` pages, loaded first, then all triggered at once; also how far apart the triggers fell. */
async function concurrentJoins(subject: Subject, count: number): Promise<{ samples: JoinLatency[]; spreadMs: number }> {
  const mark = cleanups.length;
  const pages: Page[] = [];
  cleanups.push({
    what: 'concurrent pages',
    run: async () => {
      await Promise.all(pages.map(closePage));
      await subject.settle();
    },
  });
  try {
    await Promise.all(
      Array.from({ length: count }, async (_, index) => {
        pages[index] = await subject.open(index); // kept as it opens, for the cleanup if another fails
      }),
    );
    const starts = await Promise.all(pages.map((page, index) => subject.join(page, index)));
    const samples = await Promise.all(pages.map((page) => joinLatency(page, CONCURRENT_TIMEOUT_MS)));
    await Promise.all(pages.map((page) => subject.joined?.(page)));
    return { samples, spreadMs: Math.max(...starts) - Math.min(...starts) };
  } finally {
    await cleanUp(mark);
  }
}

interface Measured {
  name: string;
  sequential: JoinLatency[];
  concurrent: JoinLatency[];
  /** How far apart the concurrent joins were triggered. */
  spreadMs: number;
}

/** Starts a subject, lets its sender settle, measures both series, and stops everything it started. */
async function measure(
  name: string,
  start: (browser: Browser) => Promise<Subject>,
  browser: Browser,
): Promise<Measured> {
  const mark = cleanups.length;
  try {
    process.stdout.write(`${name}: starting the sender, then ${SENDER_SETTLE_MS / 1000} s for it to settle …\n`);
    const subject = await start(browser);
    await new Promise((resolve) => setTimeout(resolve, SENDER_SETTLE_MS));
    process.stdout.write(`${name}: ${WARMUP_JOINS} + ${SEQUENTIAL_JOINS} joins one at a time …\n`);
    const sequential = await sequentialJoins(subject, SEQUENTIAL_JOINS);
    process.stdout.write(`${name}: ${CONCURRENT_JOINS} joins at once …\n`);
    const { samples, spreadMs } = await concurrentJoins(subject, CONCURRENT_JOINS);
    return { name, sequential, concurrent: samples, spreadMs };
  } finally {
    await cleanUp(mark); // nothing of one subject runs while the other is measured
  }
}

// --- report ----------------------------------------------------------------------------------------

function printReport(environment: string, bare: Measured, product: Measured): void {
  const column = (text: string | number, width = 9): string => String(text).padStart(width);
  const ms = (value: number): string => column(value.toFixed(1));
  const joinCall = (samples: JoinLatency[]): number[] => samples.map((s) => s.fromJoinCall);
  const series = [
    ...[bare, product].flatMap((m) => [
      { label: `${m.name}, one join at a time`, samples: joinCall(m.sequential) },
      { label: `${m.name}, ${CONCURRENT_JOINS} joins at once`, samples: joinCall(m.concurrent) },
    ]),
    // The product's join call runs after the route change has rendered the kiosk's hearing screen.
    { label: 'product, one at a time, from route', samples: product.sequential.map((s) => s.fromTrigger) },
  ];
  const lines = [
    '',
    'Join call → first decoded remote video frame (ms, measured in the joining page)',
    environment,
    '',
    `${'series'.padEnd(36)}${column('n', 4)}${column('min')}${column('median')}${column('p95')}${column('max')}`,
    ...series.map(({ label, samples }) => {
      const s = summarize(samples);
      return `${label.padEnd(36)}${column(s.n, 4)}${ms(s.min)}${ms(s.median)}${ms(s.p95)}${ms(s.max)}`;
    }),
    '',
  ];
  const [bareOne, productOne] = [summarize(joinCall(bare.sequential)), summarize(joinCall(product.sequential))];
  const [bareMany, productMany] = [summarize(joinCall(bare.concurrent)), summarize(joinCall(product.concurrent))];
  const ratio = productOne.median / bareOne.median;
  const verdict = ratio <= TARGET_RATIO ? 'within target' : 'ABOVE target';
  lines.push(
    `product / bare, one at a time, median: ${ratio.toFixed(2)}x  (target ≤ ${TARGET_RATIO}x: ${verdict})`,
    `product / bare, one at a time, p95:    ${(productOne.p95 / bareOne.p95).toFixed(2)}x`,
    `product / bare, ${CONCURRENT_JOINS} at once, median:   ${(productMany.median / bareMany.median).toFixed(2)}x`,
    `the ${CONCURRENT_JOINS} joins at once were triggered within ${bare.spreadMs.toFixed(1)} ms (bare), ` +
      `${product.spreadMs.toFixed(1)} ms (product)`,
    '',
    'samples (ms, in join order):',
    ...series.map(({ label, samples }) => `  ${label}: ${samples.map((s) => s.toFixed(0)).join(' ')}`),
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  process.chdir(ROOT);
  await ensureUiBuilt();
  const browser = await launchChromium();
  cleanups.push({ what: 'browser', run: () => browser.close() });
  const environment =
    `Chromium ${browser.version()}, mediasoup ${mediasoup.version}, ${os.availableParallelism()} CPUs; ` +
    `each sender settles ${SENDER_SETTLE_MS / 1000} s first; ${WARMUP_JOINS} warm-up joins per one-at-a-time ` +
    'series not counted; p95 is nearest-rank';
  const bare = await measure('bare', startBare, browser);
  const product = await measure('product', startProduct, browser);
  printReport(environment, bare, product);
}

await runBench('join', TOTAL_BUDGET_MS, main);
