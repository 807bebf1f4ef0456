import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerPool } from './WorkerPool.js';

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('WorkerPool', () => {
  let pool: WorkerPool | undefined;

  afterEach(() => {
    pool?.close();
    pool = undefined;
  });

  const create = (logger: pino.Logger, size: number) =>
    WorkerPool.create({
      size,
      listenIp: '127.0.0.1',
      announcedAddress: undefined,
      port: 0,
      minPort: 42000,
      maxPort: 42999,
      logger,
    });

  it('starts one worker with a WebRTC server each and spreads hearings over them', async () => {
    const { logger } = capturingLogger();
    pool = await create(logger, 2);
    expect(pool.size).toBe(2);
    const a = await pool.createRouter({ hearingId: 'a' });
    const b = await pool.createRouter({ hearingId: 'b' });
    const dumps = await Promise.all(pool.workers.map((w) => w.dump()));
    for (const dump of dumps) expect(dump.webRtcServerIds).toHaveLength(1);
    expect(dumps.map((d) => d.routerIds)).toEqual([[a.router.id], [b.router.id]]);
  });

  it('refuses a nonsensical size', async () => {
    await expect(create(capturingLogger().logger, 0)).rejects.toThrow(TypeError);
  });

  it('logs a worker that dies and keeps creating routers on the live ones', async () => {
    const { logger, lines } = capturingLogger();
    pool = await create(logger, 2);
    const [first] = pool.workers;
    if (!first) throw new Error('no worker');
    process.kill(first.pid, 'SIGKILL');
    await expect.poll(() => first.died, { timeout: 5000 }).toBe(true);
    await expect
      .poll(() => lines.some((l) => l.msg === 'mediasoup worker died' && l.level === 50 && l.pid === first.pid))
      .toBe(true);
    const second = pool.workers[1];
    for (let i = 0; i < 3; i++) {
      const { router } = await pool.createRouter({ hearingId: `h${i}` });
      expect((await second?.dump())?.routerIds).toContain(router.id);
    }
  });
});
