import type { ErrorBody, ErrorCode } from '../shared/errors.js';

/** An error whose stable code reaches the client; its message says what was wrong and what to do. */
export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
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

export class InvalidStateError extends AppError {
  constructor(message: string) {
    super('INVALID_STATE', message);
  }
}

/** Maps any thrown value to the body sent to a client; unknown failures never leak internals. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof AppError) return error.toBody();
  return { code: 'INTERNAL', message: 'internal server error; the request was not carried out' };
}

const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_STATE: 409,
  INTERNAL: 500,
  TIMEOUT: 504,
};

export function httpStatus(code: ErrorCode): number {
  return HTTP_STATUS[code];
}
