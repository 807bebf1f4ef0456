import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../../../shared/errors.js';
import { authorizationHeader, storeCredentials } from './credentials.js';

/** The server's codes, and NETWORK for a request that never got an answer (cable out, server down). */
export type ApiErrorCode = ErrorCode | 'NETWORK';

/** A failed API call: the stable code picks the sentence shown, the message says the details. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  /** The HTTP status; 0 when there was no answer. */
  readonly status: number;

  constructor(code: ApiErrorCode, message: string, status: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

/** What components keep of a failure (serializable, unlike the ApiError itself). */
export interface ApiFailure {
  code: ApiErrorCode;
  message: string;
}

/** Any thrown value as a failure to show; anything that is not an ApiError reads as INTERNAL. */
export function toFailure(error: unknown): ApiFailure {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** Set when the server refused the user's session (expired, account disabled): the sign-in page says so. */
let sessionEnded = false;

export function sessionWasEnded(): boolean {
  return sessionEnded;
}

export function clearSessionEnded(): void {
  sessionEnded = false;
}

const ErrorBodySchema = z.object({
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }),
});

export interface RequestOptions {
  /** Send the stored credentials (default). Sign-in and enrollment send none. */
  auth?: boolean;
}

/**
 * Calls the REST API and parses the answer with `schema`. Throws ApiError on an error answer, on no
 * answer (NETWORK) and on an answer of the wrong shape. A 401 to a user's session signs the user out,
 * so the UI falls back to the sign-in page; a kiosk's credential is kept (the kiosk page explains).
 */
export async function apiRequest<S extends z.ZodType>(
  schema: S,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<z.output<S>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const authorization = options.auth === false ? null : authorizationHeader();
  if (authorization) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    throw new ApiError('NETWORK', error instanceof Error ? error.message : String(error), 0);
  }

  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    if (response.status === 401 && authorization?.startsWith('Bearer ') && authorizationHeader() === authorization) {
      sessionEnded = true;
      storeCredentials(null);
    }
    const parsed = ErrorBodySchema.safeParse(json);
    if (parsed.success) throw new ApiError(parsed.data.error.code, parsed.data.error.message, response.status);
    throw new ApiError(
      response.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST',
      `${method} ${path} answered HTTP ${response.status}`,
      response.status,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError('INTERNAL', `${method} ${path} answered in an unexpected shape: ${parsed.error.message}`, 200);
  }
  return parsed.data;
}
