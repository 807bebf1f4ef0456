import { useCallback, useEffect, useRef, useState } from 'react';
import { type ApiFailure, toFailure } from './api.js';

/**
 * The state of one API read. `failure` beside `data` means a refresh failed while an earlier answer is
 * still shown.
 */
export type QueryState<T> =
  | { status: 'loading' }
  | { status: 'failed'; failure: ApiFailure }
  | { status: 'ready'; data: T; failure: ApiFailure | null };

export interface QueryOptions {
  /** Re-read this often while mounted (the previous answer stays shown meanwhile). */
  refreshMs?: number;
}

/**
 * Runs `load` when `key` changes (the key names what is read, e.g. the request path) and on `reload()`;
 * answers to an older key are dropped. The last answer stays shown while a refresh is in flight.
 */
export function useApiQuery<T>(
  key: string | null,
  load: () => Promise<T>,
  options: QueryOptions = {},
): [QueryState<T>, () => void] {
  const [state, setState] = useState<QueryState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const shownKey = useRef<string | null>(null);

  useEffect(() => {
    if (key === null) return;
    let current = true;
    // A new key starts from "loading"; a reload or refresh of the same key keeps the answer shown.
    if (shownKey.current !== key) setState({ status: 'loading' });
    // `attempt` is read so a reload re-runs this effect.
    void attempt;
    loadRef.current().then(
      (data) => {
        if (!current) return;
        shownKey.current = key;
        setState({ status: 'ready', data, failure: null });
      },
      (error: unknown) => {
        if (!current) return;
        const failure = toFailure(error);
        setState((previous) =>
          previous.status === 'ready' && shownKey.current === key
            ? { ...previous, failure }
            : { status: 'failed', failure },
        );
      },
    );
    return () => {
      current = false;
    };
  }, [key, attempt]);

  const refreshMs = options.refreshMs;
  useEffect(() => {
    if (refreshMs === undefined) return;
    const timer = window.setInterval(() => setAttempt((n) => n + 1), refreshMs);
    return () => window.clearInterval(timer);
  }, [refreshMs]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return [state, reload];
}
