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
    for (const worker of pool.workers) expect(worker.webRtcServersForTesting.size).toBe(1);
    const a = await pool.createRouter({ hearingId: 'a' });
    const b = await pool.createRouter({ hearingId: 'b' });
    const workerOf = (routerId: string) =>
      pool?.workers.findIndex((w) => [...w.routersForTesting].some((r) => r.id === routerId));
    expect(new Set([workerOf(a.router.id), workerOf(b.router.id)])).toEqual(new Set([0, 1]));
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
    for (let i = 0; i < 3; i++) {
      const { router } = await pool.createRouter({ hearingId: `h${i}` });
      expect(first.routersForTesting.has(router)).toBe(false);
    }
  });
});
