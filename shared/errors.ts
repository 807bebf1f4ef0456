/** Stable error codes carried by every failed acknowledgement and HTTP error body. */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'FORBIDDEN',
  'CONFLICT',
  'INVALID_STATE',
  /** The hearing cannot be recorded now (recording disk full); the judge may go on without recording. */
  'RECORDING_UNAVAILABLE',
  'TIMEOUT',
  'RATE_LIMITED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** Ends a switch over a union so the compiler reports a missing case. */
export function assertUnreachable(value: never): never {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
}
