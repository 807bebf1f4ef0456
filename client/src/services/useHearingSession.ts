import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { DeviceChoice } from '../../../shared/desktop.js';
import { appConnection } from './Connection.js';
import { desktopApi, useDesktopState } from './desktop.js';
import { HearingSession, INITIAL_SNAPSHOT, type SessionSnapshot } from './HearingSession.js';

const noopSubscribe = () => () => undefined;

/**
 * The devices the desktop shell's operator chose: null in a plain browser (the system defaults), and
 * 'unknown' in the shell until its state has come (a session must not open the wrong camera first).
 */
export function useChosenDevices(): DeviceChoice | null | 'unknown' {
  const state = useDesktopState();
  if (!desktopApi()) return null;
  return state ? state.devices : 'unknown';
}

/**
 * Owns one HearingSession for the lifetime of the calling component (and of `attempt`): started on
 * mount, left on unmount. Returns the session and its latest snapshot. `devices` (see
 * {@link useChosenDevices}): the session waits while they are 'unknown', opens camera and microphone
 * with them, and follows later changes of the speaker and the document camera.
 */
export function useHearingSession(
  hearingId: string,
  participantId: string,
  attempt: number,
  devices: DeviceChoice | null | 'unknown' = null,
): { session: HearingSession | null; snapshot: SessionSnapshot } {
  const [session, setSession] = useState<HearingSession | null>(null);
  const known = devices !== 'unknown';
  // Read when the session is created; a change afterwards goes to the running session below.
  const latest = useRef(devices);
  latest.current = devices;
  useEffect(() => {
    void attempt;
    if (!known) return undefined;
    const chosen = latest.current === 'unknown' ? null : latest.current;
    const created = new HearingSession({ connection: appConnection(), hearingId, participantId, devices: chosen });
    setSession(created);
    created.start();
    return () => {
      void created.leave();
    };
  }, [hearingId, participantId, attempt, known]);
  useEffect(() => {
    if (session && devices !== 'unknown') session.setDevices(devices);
  }, [session, devices]);
  const snapshot = useSyncExternalStore(
    session?.subscribe ?? noopSubscribe,
    session?.snapshot ?? (() => INITIAL_SNAPSHOT),
  );
  return { session, snapshot };
}
