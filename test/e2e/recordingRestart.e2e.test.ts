import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../server/App.js';
import { launchChromium, openPageAs } from '../helpers/browser.js';
import { admitParties, type DemoAccess, demoAccess } from '../helpers/demo.js';
import { startTestServer, waitFor } from '../helpers/server.js';

/** A TCP port free on loopback now (the restarted server must come back on the same address). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/**
 * The server stops dead mid-session (its FFmpeg processes die with it) and starts again on the same
 * database and recording directory: the segments it left open are finalized (measured, hashed, marked
 * interrupted), the gap until recording resumes is logged per stream, and when the browsers have
 * rejoined by themselves the recording goes on.
 */
describe('a server restart in the middle of a recorded session', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-court-restart-'));
  let env: Record<string, string>;
  let previousSecret: string | undefined;
  let first: App | undefined;
  let second: App | undefined;
  let access: DemoAccess;
  let browser: Browser;
  const pages: Page[] = [];

  beforeAll(async () => {
    if (!fs.existsSync('dist/client/index.html')) throw new Error('the UI is not built: run `npm run build` first');
    env = {
      SEED_DEMO: 'true',
      PORT: String(await freePort()),
      DATABASE_FILE: path.join(dir, 'court.sqlite'),
      RECORDING_DIR: path.join(dir, 'recordings'),
    };
    // The judge's sign-in survives the restart only with a configured key (read from the environment).
    previousSecret = process.env.SESSION_SECRET;
    process.env.SESSION_SECRET = randomBytes(32).toString('base64');
    first = await startTestServer(env);
    access = await demoAccess(first);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await second?.close();
    await first?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    if (previousSecret === undefined) delete process.env.SESSION_SECRET;
    else process.env.SESSION_SECRET = previousSecret;
  });

  it('finalizes the open segments, logs the gap, and records again once everyone is back', async () => {
    const app = first as App;
    await admitParties(app, access, ['plaintiff', 'defendant']);
    for (const who of ['judge', 'plaintiff', 'defendant'] as const) {
      const place = access[who];
      const page = await openPageAs(browser, place, access.hearingId);
      const route = who === 'judge' ? '/hearing' : '/kiosk/hearing';
      await page.goto(`${app.url}${route}/${access.hearingId}/${place.participantId}`);
      pages.push(page);
    }
    const judge = pages[0] as Page;
    const ids = [access.judge.participantId, access.plaintiff.participantId, access.defendant.participantId];
    await waitFor(
      () => ids.every((id) => (app.rooms.room(access.hearingId)?.peer(id)?.producerInfos().length ?? 0) === 2),
      30_000,
      'everyone to send camera and microphone',
    );
    await judge.getByTestId('cmd-start').click();
    /** The segments open in the database: what a crash leaves behind. */
    const openRows = () =>
      app.database.db
        .selectFrom('recording_segments')
        .select('id')
        .where('hearing_id', '=', access.hearingId)
        .where('status', '=', 'recording')
        .execute();
    await waitFor(
      async () => app.recordings.recorders(access.hearingId).length === 6 && (await openRows()).length === 6,
      15_000,
      'six recorders with their segments open',
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const open = (await openRows()).map((r) => r.id);
    expect(open, `recorders: ${JSON.stringify(app.recordings.recorders(access.hearingId))}`).toHaveLength(6);

    // The server dies: its recorders with it, nothing closed in the database.
    const crashedAt = Date.now();
    app.recordings.abandon();
    await app.close();
    first = undefined;

    second = await startTestServer(env);
    const restarted = second;
    const db = restarted.database.db;
    const rows = await db.selectFrom('recording_segments').selectAll().where('id', 'in', open).execute();
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      const file = path.join(restarted.recordings.dir, row.file);
      expect(row.status).toBe('interrupted');
      expect(row.stop_reason).toBe('server_restart');
      expect(row.sha256).toBe(sha256(file));
      expect(row.size_bytes).toBe(fs.statSync(file).size);
      expect(row.frame_count ?? 0).toBeGreaterThan(0);
      // Stopped when its file was last written: at the crash, give or take FFmpeg's write interval.
      expect(Math.abs((row.stopped_ms ?? 0) - crashedAt)).toBeLessThan(2_000);
      expect(Math.abs((row.duration_ms ?? 0) - ((row.stopped_ms ?? 0) - row.started_ms))).toBeLessThan(1_500);
    }
    const gapsAfterRestart = await db
      .selectFrom('recording_gaps')
      .selectAll()
      .where('hearing_id', '=', access.hearingId)
      .where('reason', '=', 'server_restart')
      .execute();
    expect(gapsAfterRestart).toHaveLength(6);
    expect(gapsAfterRestart.every((g) => g.ended_ms === null)).toBe(true);
    const closedEntries = await db
      .selectFrom('audit_log')
      .select('details_json')
      .where('action', '=', 'recording.segment_closed')
      .execute();
    expect(closedEntries.map((e) => JSON.parse(e.details_json).id).sort()).toEqual([...open].sort());

    // The browsers reconnect by themselves; the hearing is still in session, so recording resumes.
    await waitFor(() => restarted.recordings.recorders(access.hearingId).length === 6, 60_000, 'six recorders again');
    await restarted.recordings.settled(access.hearingId);
    const gaps = await db
      .selectFrom('recording_gaps')
      .selectAll()
      .where('hearing_id', '=', access.hearingId)
      .where('reason', '=', 'server_restart')
      .execute();
    const resumed = await db
      .selectFrom('recording_segments')
      .selectAll()
      .where('hearing_id', '=', access.hearingId)
      .where('status', '=', 'recording')
      .execute();
    expect(resumed).toHaveLength(6);
    for (const gap of gaps) {
      const next = resumed.find((s) => s.participant_id === gap.participant_id && s.kind === gap.kind);
      expect(next, `a new segment for ${gap.participant_id} ${gap.kind}`).toBeDefined();
      expect(gap.ended_ms).toBe(next?.started_ms);
    }
    await pages[1]?.getByTestId('recording-indicator').waitFor({ timeout: 15_000 });
  });
});
