import { z } from 'zod';
import type { PinVerdict, PinVerifier } from './kioskLock.js';
import type { FetchLike } from './provisioning.js';

const AnswerSchema = z.object({ valid: z.boolean() });

/**
 * The kiosk lock's PIN check against the server: POST /api/kiosk/operator-pin/verify with the kiosk's
 * device credential (the server checks the PIN of the kiosk's own site, rate-limits and audits it).
 * 'unavailable' — not provisioned, server unreachable, refusing (429) or answering nonsense — is not
 * counted as a wrong PIN; the operator tries again when the server answers.
 */
export function serverPinVerifier(
  fetchImpl: FetchLike,
  access: () => { serverUrl: string; credential: string } | null,
  timeoutMs = 10_000,
): PinVerifier {
  return async (pin): Promise<PinVerdict> => {
    const kiosk = access();
    if (!kiosk) return 'unavailable';
    try {
      const response = await fetchImpl(`${kiosk.serverUrl}/api/kiosk/operator-pin/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Kiosk ${kiosk.credential}` },
        body: JSON.stringify({ pin }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.status !== 200) return 'unavailable';
      const answer = AnswerSchema.safeParse(await response.json());
      if (!answer.success) return 'unavailable';
      return answer.data.valid ? 'ok' : 'wrong';
    } catch {
      return 'unavailable';
    }
  };
}
