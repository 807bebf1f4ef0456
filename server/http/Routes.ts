import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BadRequestError } from '../errors.js';

/**
 * REST routes declared once, with zod schemas for what comes in and goes out: the same declaration
 * registers the Fastify handler (which parses every input before the handler runs) and produces the
 * OpenAPI document served at /api/openapi.json.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route; the handler then checks roles and ownership against the principal. */
export type AuthRequirement = 'public' | 'user' | 'kiosk' | 'user-or-kiosk';

export interface RouteContext<P, Q, B, Principal> {
  params: P;
  query: Q;
  body: B;
  /** Null only on public routes. */
  principal: Principal | null;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface Route<Principal, P = unknown, Q = unknown, B = unknown, R = unknown> {
  method: HttpMethod;
  /** Fastify path, e.g. /api/hearings/:hearingId */
  url: string;
  summary: string;
  tag: string;
  auth: AuthRequirement;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /**
   * The body as documented, when the route passes it on unparsed (`body: z.unknown()`) to a service
   * that parses it itself and names the field that is wrong.
   */
  documentedBody?: z.ZodType;
  response: z.ZodType<R>;
  /** Status of a successful answer (200 by default). */
  status?: number;
  handler(context: RouteContext<P, Q, B, Principal>): Promise<R>;
}

/** Declares a route with its types inferred from its schemas. */
export function defineRoute<Principal, P = undefined, Q = undefined, B = undefined, R = unknown>(
  route: Route<Principal, P, Q, B, R>,
): Route<Principal, P, Q, B, R> {
  return route;
}

function parseInput<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T | undefined {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 5)
      .map((i) => `${[where, ...i.path].join('.')}: ${i.message}`)
      .join('; ');
    throw new BadRequestError(`invalid request: ${issues}`);
  }
  return result.data;
}

export interface Authenticator<Principal> {
  /** The caller's principal from the request's credentials; throws UNAUTHORIZED when they are bad. */
  authenticate(request: FastifyRequest, requirement: Exclude<AuthRequirement, 'public'>): Promise<Principal>;
}

// Routes of different input types share one list; each route's own types hold inside it.
// biome-ignore lint/suspicious/noExplicitAny: heterogeneous route list
export type AnyRoute<Principal> = Route<Principal, any, any, any, any>;

export function registerRoutes<Principal>(
  app: FastifyInstance,
  routes: ReadonlyArray<AnyRoute<Principal>>,
  authenticator: Authenticator<Principal>,
): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (request, reply) => {
        const principal = route.auth === 'public' ? null : await authenticator.authenticate(request, route.auth);
        const result = await route.handler({
          params: parseInput(route.params, request.params, 'params'),
          query: parseInput(route.query, request.query, 'query'),
          body: parseInput(route.body, request.body, 'body'),
          principal,
          request,
          reply,
        });
        reply.status(route.status ?? 200);
        return result;
      },
    });
  }
}

/** OpenAPI 3.1 document of the routes, generated from their zod schemas. */
export function openApiDocument<Principal>(
  routes: ReadonlyArray<AnyRoute<Principal>>,
  info: { title: string; version: string; description?: string },
): Record<string, unknown> {
  const jsonSchema = (schema: z.ZodType): unknown => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  const errorSchema = {
    type: 'object',
    properties: {
      error: {
        type: 'object',
        properties: { code: { type: 'string' }, message: { type: 'string' } },
        required: ['code', 'message'],
      },
    },
    required: ['error'],
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [location, schema] of [
      ['path', route.params],
      ['query', route.query],
    ] as const) {
      if (!schema) continue;
      const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
      const properties = typeof json.properties === 'object' && json.properties !== null ? json.properties : {};
      const required = new Set(Array.isArray(json.required) ? json.required : []);
      for (const [name, property] of Object.entries(properties)) {
        parameters.push({ name, in: location, required: location === 'path' || required.has(name), schema: property });
      }
    }
    const operation: Record<string, unknown> = {
      summary: route.summary,
      tags: [route.tag],
      ...(route.auth === 'public' ? { security: [] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(route.documentedBody ?? route.body) } },
            },
          }
        : {}),
      responses: {
        [String(route.status ?? 200)]: {
          description: 'success',
          content: { 'application/json': { schema: jsonSchema(route.response) } },
        },
        '4XX': {
          description: 'refused; `error.code` is stable',
          content: { 'application/json': { schema: errorSchema } },
        },
      },
      'x-auth': route.auth,
    };
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info,
    components: {
      securitySchemes: {
        session: { type: 'http', scheme: 'bearer', description: 'session token from POST /api/auth/login' },
        kiosk: { type: 'http', scheme: 'bearer', description: 'kiosk device credential from enrollment' },
      },
    },
    security: [{ session: [] }, { kiosk: [] }],
    paths,
  };
}
