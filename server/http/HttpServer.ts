import * as fs from 'node:fs';
import * as path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { Principal } from '../../shared/accounts.js';
import { SELFTEST_MAX_KB } from '../../shared/floor.js';
import { AppError, httpStatus, RateLimitedError, toErrorBody } from '../errors.js';
import type { RoomRegistry } from '../hearing/RoomRegistry.js';
import type { Logger } from '../logger.js';
import { type AnyRoute, type Authenticator, defineRoute, openApiDocument, registerRoutes } from './Routes.js';

interface HttpOptions {
  rooms: RoomRegistry;
  uiDir: string;
  logger: Logger;
  /** The domains' routes (accounts, scheduling, …), registered beside the system routes. */
  routes: AnyRoute<Principal>[];
  authenticator: Authenticator<Principal>;
}

const HealthSchema = z.object({
  ok: z.literal(true),
  rooms: z.array(z.object({ hearingId: z.string(), participants: z.number().int() })),
});

/** REST API under /api and the built web UI. */
export function createHttpServer(options: HttpOptions) {
  const loggerInstance: FastifyBaseLogger = options.logger.child({ component: 'http' });
  // Path parameters up to 4 KiB: a recording's file link carries its signed token in the path.
  const app = Fastify({ loggerInstance, bodyLimit: 64 * 1024, routerOptions: { maxParamLength: 4096 } });
  // The kiosk's network self-test uploads raw bytes (POST /api/selftest/upload), up to SELFTEST_MAX_KB.
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: SELFTEST_MAX_KB * 1024 },
    (_request, body, done) => done(null, body),
  );

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError) {
      if (error instanceof RateLimitedError) reply.header('retry-after', Math.ceil(error.retryAfterMs / 1000));
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

  const routes: AnyRoute<Principal>[] = [
    ...options.routes,
    defineRoute<never, undefined, undefined, undefined, z.infer<typeof HealthSchema>>({
      method: 'GET',
      url: '/api/health',
      summary: 'Liveness and the open hearing rooms',
      tag: 'system',
      auth: 'public',
      response: HealthSchema,
      handler: async () => ({
        ok: true,
        rooms: options.rooms.rooms.map((room) => ({ hearingId: room.hearing.id, participants: room.peers.length })),
      }),
    }),
  ];
  registerRoutes(app, routes, options.authenticator);
  const document = openApiDocument(routes, {
    title: '共享法庭 Shared Court API',
    version: '0.1.0',
    description: 'Generated from the zod schemas the server validates with.',
  });
  app.get('/api/openapi.json', async () => document);

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
