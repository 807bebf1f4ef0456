import { useCallback, useState } from 'react';
import type { RequestName, ResponseOf } from '../../../../shared/signaling.js';
import type { ApiFailure } from '../../services/api.js';
import type { HearingSession } from '../../services/HearingSession.js';
import { RequestError } from '../../services/signaling.js';

/** A refused or failed hearing request as a failure to show (code translated, server's words after it). */
export function requestFailure(error: unknown): ApiFailure {
  if (error instanceof RequestError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

export interface FloorRequests {
  /** A request is on its way: the buttons that send one wait for it. */
  busy: boolean;
  /** Why the last request was refused, until the next one or until dismissed. */
  failure: ApiFailure | null;
  /** Sends a request through the session; resolves to its answer, or null when it was refused. */
  send: <E extends RequestName>(event: E, payload?: unknown) => Promise<ResponseOf<E> | null>;
  dismiss: () => void;
}

/**
 * Sends the judge's (or a participant's own) floor requests one at a time and keeps the refusal to
 * show; the session applies the FloorState in the answer, so the screen follows by itself.
 */
export function useFloorRequests(session: HearingSession | null): FloorRequests {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const send = useCallback(
    async <E extends RequestName>(event: E, payload: unknown = {}): Promise<ResponseOf<E> | null> => {
      if (!session) {
        setFailure({ code: 'INVALID_STATE', message: 'not in a hearing' });
        return null;
      }
      setBusy(true);
      setFailure(null);
      try {
        return await session.request(event, payload);
      } catch (error) {
        setFailure(requestFailure(error));
        return null;
      } finally {
        setBusy(false);
      }
    },
    [session],
  );
  const dismiss = useCallback(() => setFailure(null), []);
  return { busy, failure, send, dismiss };
}
