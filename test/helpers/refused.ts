import { expect } from 'vitest';
import { AppError } from '../../server/errors.js';
import type { ErrorCode } from '../../shared/errors.js';

/** Awaits a call that must be refused, and returns the error after checking its stable code. */
export async function refused(call: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const error = await call.then(
    () => {
      throw new Error(`expected the call to be refused with ${code}, but it succeeded`);
    },
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw error;
  expect(error.code, error.message).toBe(code);
  return error;
}
