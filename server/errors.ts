import type { ErrorBody, ErrorCode } from '../shared/errors.js';

/** An error whose stable code reaches the client; its message says what was wrong and what to do. */
export class AppError extends Error {
  readonly code: ErrorCode;
  /** Structured facts behind the message (e.g. the hearings a booking clashes with), for callers that show them. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}

export class BadRequestError extends AppError {
  constructor(message: string) {
    super('BAD_REQUEST', message);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

/** The change collides with something that exists (a taken username, a registered address code). */
export class ConflictError extends AppError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

export class InvalidStateError extends AppError {
  constructor(message: string) {
    super('INVALID_STATE', message);
  }
}

/** Missing, wrong, expired or tampered credentials: the caller should sign in (or enroll) again. */
export class UnauthorizedError extends AppError {
  constructor(message: string) {
    super('UNAUTHORIZED', message);
  }
}

/** Too many attempts; `retryAfterMs` lets the HTTP layer send a Retry-After header. */
export class RateLimitedError extends AppError {
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number) {
    super('RATE_LIMITED', message);
    this.retryAfterMs = retryAfterMs;
  }
}

/** Maps any thrown value to the body sent to a client; unknown failures never leak internals. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof AppError) return error.toBody();
  return { code: 'INTERNAL', message: 'internal server error; the request was not carried out' };
}

const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_STATE: 409,
  RECORDING_UNAVAILABLE: 503,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  TIMEOUT: 504,
};

export function httpStatus(code: ErrorCode): number {
  return HTTP_STATUS[code];
}
