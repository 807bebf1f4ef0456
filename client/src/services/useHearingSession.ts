import { useEffect, useState, useSyncExternalStore } from 'react';
import { appConnection } from './Connection.js';
import { HearingSession, INITIAL_SNAPSHOT, type SessionSnapshot } from './HearingSession.js';

const noopSubscribe = () => () => undefined;

/**
 * Owns one HearingSession for the lifetime of the calling component (and of `attempt`): started on
 * mount, left on unmount. Returns the session and its latest snapshot.
 */
export function useHearingSession(
  hearingId: string,
  participantId: string,
  attempt: number,
): { session: HearingSession | null; snapshot: SessionSnapshot } {
  const [session, setSession] = useState<HearingSession | null>(null);
  useEffect(() => {
    void attempt;
    const created = new HearingSession({ connection: appConnection(), hearingId, participantId });
    setSession(created);
    created.start();
    return () => {
      void created.leave();
    };
  }, [hearingId, participantId, attempt]);
  const snapshot = useSyncExternalStore(
    session?.subscribe ?? noopSubscribe,
    session?.snapshot ?? (() => INITIAL_SNAPSHOT),
  );
  return { session, snapshot };
}
