import * as fs from 'node:fs';
import * as path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { z } from 'zod';
import { IdSchema } from '../../shared/hearing.js';
import { AppError, BadRequestError, httpStatus, NotFoundError, toErrorBody } from '../errors.js';
import type { HearingDirectory } from '../hearing/HearingDirectory.js';
import type { RoomRegistry } from '../hearing/RoomRegistry.js';
import type { Logger } from '../logger.js';

interface HttpOptions {
  directory: HearingDirectory;
  rooms: RoomRegistry;
  uiDir: string;
  logger: Logger;
}

const HearingParamsSchema = z.object({ hearingId: IdSchema });

/** REST API under /api and the built web UI. */
export function createHttpServer(options: HttpOptions) {
  const app = Fastify({ loggerInstance: options.logger.child({ component: 'http' }), bodyLimit: 64 * 1024 });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError) {
      reply.status(httpStatus(error.code)).send({ error: error.toBody() });
      return;
    }
    // Fastify's own refusals (unparsable JSON, body too large, …) carry a 4xx statusCode.
    const statusCode = error instanceof Error && 'statusCode' in error ? Number(error.statusCode) : 500;
    if (statusCode >= 400 && statusCode < 500) {
      reply
        .status(statusCode)
        .send({ error: { code: 'BAD_REQUEST', message: error instanceof Error ? error.message : 'bad request' } });
      return;
    }
    request.log.error({ err: error }, 'request failed');
    reply.status(500).send({ error: toErrorBody(error) });
  });

  app.get('/api/health', async () => ({
    ok: true,
    rooms: options.rooms.rooms.map((room) => ({ hearingId: room.hearing.id, participants: room.peers.length })),
  }));

  app.get('/api/hearings', async () => ({ hearings: options.directory.list() }));

  app.get('/api/hearings/:hearingId', async (request) => {
    const params = HearingParamsSchema.safeParse(request.params);
    if (!params.success) throw new BadRequestError('hearing ids are letters, digits, "_" or "-"');
    const hearing = options.directory.get(params.data.hearingId);
    if (!hearing) throw new NotFoundError(`no hearing ${params.data.hearingId}`);
    return { hearing };
  });

  const uiDir = path.resolve(options.uiDir);
  if (options.uiDir && fs.existsSync(path.join(uiDir, 'index.html'))) {
    app.register(fastifyStatic, { root: uiDir, wildcard: false });
    // Client-side routes all load the single page.
    app.setNotFoundHandler((request, reply) => {
      if (request.url.startsWith('/api/') || request.method !== 'GET') {
        reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url}` } });
        return;
      }
      reply.sendFile('index.html');
    });
  } else {
    options.logger.warn({ uiDir }, 'no built UI found (run `npm run build`); serving the API only');
  }
  return app;
}

export type HttpApp = ReturnType<typeof createHttpServer>;
