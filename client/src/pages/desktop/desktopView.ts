import {
  type DesktopErrorCode,
  type ProvisionInput,
  ProvisionInputSchema,
  type ProvisioningError,
  ServerUrlSchema,
  type UnlockResult,
} from '../../../../shared/desktop.js';
import { assertUnreachable } from '../../../../shared/errors.js';

/*
 * What the kiosk shell's screens show, as pure functions: the provisioning form's checks, the sentence
 * for each way enrollment can fail, and the operator lock's wait. Tested without a browser.
 */

/** A message to show: an i18n key and its values. */
export interface Message {
  key: string;
  values?: Record<string, string | number>;
}

/** The sentence for a failed enrollment, as the shell reports it in its state. */
export function provisioningErrorKey(error: ProvisioningError): string {
  switch (error) {
    case 'unreachable':
      return 'desktop.provision.error.unreachable';
    case 'code_invalid':
      return 'desktop.provision.error.codeInvalid';
    case 'code_used':
      return 'desktop.provision.error.codeUsed';
    case 'code_expired':
      return 'desktop.provision.error.codeExpired';
    case 'rate_limited':
      return 'desktop.provision.error.rateLimited';
    case 'server_error':
      return 'desktop.provision.error.serverError';
    default:
      return assertUnreachable(error);
  }
}

/** The sentence for a request the shell itself refused (a bad argument, an operator action while locked…). */
export function answerErrorKey(code: DesktopErrorCode): string {
  switch (code) {
    case 'BAD_REQUEST':
      return 'desktop.answer.badRequest';
    case 'FORBIDDEN':
    case 'UNAUTHORIZED':
      return 'desktop.answer.locked';
    case 'INVALID_STATE':
      return 'desktop.answer.invalidState';
    case 'NOT_FOUND':
    case 'INTERNAL':
      return 'desktop.answer.failed';
    default:
      return assertUnreachable(code);
  }
}

export type ProvisionFormCheck =
  | { ok: true; input: ProvisionInput }
  | { ok: false; serverUrl: string | null; enrollmentCode: string | null };

/** Why the server address is refused, from the contract's own schema (null: it is fine). */
export function serverUrlProblem(serverUrl: string): string | null {
  if (serverUrl.trim() === '') return 'desktop.provision.invalid.serverEmpty';
  const parsed = ServerUrlSchema.safeParse(serverUrl);
  if (parsed.success) return null;
  const message = parsed.error.issues.map((issue) => issue.message).join(' ');
  if (message.includes('must use https')) return 'desktop.provision.invalid.serverHttps';
  if (message.includes('the port')) return 'desktop.provision.invalid.serverPort';
  return 'desktop.provision.invalid.serverFormat';
}

/** The form's two fields checked as main will check them (ProvisionInputSchema); keys for each problem. */
export function checkProvisionForm(serverUrl: string, enrollmentCode: string): ProvisionFormCheck {
  const serverProblem = serverUrlProblem(serverUrl);
  const codeProblem =
    enrollmentCode.trim() === ''
      ? 'desktop.provision.invalid.codeEmpty'
      : ProvisionInputSchema.shape.enrollmentCode.safeParse(enrollmentCode).success
        ? null
        : 'desktop.provision.invalid.codeFormat';
  if (serverProblem || codeProblem) return { ok: false, serverUrl: serverProblem, enrollmentCode: codeProblem };
  return { ok: true, input: { serverUrl: serverUrl.trim(), enrollmentCode } };
}

/** Whole seconds until `retryAtMs` (never negative). */
export function secondsUntil(retryAtMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((retryAtMs - nowMs) / 1000));
}

/** The operator lock's wait, in seconds under two minutes and in whole minutes above. */
export function lockoutMessage(retryAtMs: number, nowMs: number): Message {
  const seconds = secondsUntil(retryAtMs, nowMs);
  if (seconds === 0) return { key: 'desktop.operator.tryAgainNow' };
  if (seconds < 120) return { key: 'desktop.operator.lockedOutSeconds', values: { seconds } };
  return { key: 'desktop.operator.lockedOutMinutes', values: { minutes: Math.ceil(seconds / 60) } };
}

/** What the PIN screen says after an unlock attempt (null: unlocked, the menu opens). */
export function unlockMessage(result: UnlockResult, nowMs: number): Message | null {
  switch (result.outcome) {
    case 'unlocked':
      return null;
    case 'wrong_pin':
      return result.retryAtMs === null ? { key: 'desktop.operator.wrongPin' } : lockoutMessage(result.retryAtMs, nowMs);
    case 'locked_out':
      return lockoutMessage(result.retryAtMs, nowMs);
    case 'unavailable':
      return { key: 'desktop.operator.unavailable' };
    default:
      return assertUnreachable(result);
  }
}
