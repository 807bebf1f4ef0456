import { io, type Socket } from 'socket.io-client';

/** An untyped socket.io client: tests send hostile payloads the typed client would not allow. */
export interface RawClient {
  socket: Socket;
  /** Sends a request and resolves with the raw acknowledgement. */
  request(event: string, payload?: unknown): Promise<unknown>;
  /** Resolves with the next payload of a server event. */
  next(event: string, timeoutMs?: number): Promise<unknown>;
  close(): void;
}

export async function connectRaw(url: string, auth: Record<string, string> = {}): Promise<RawClient> {
  const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return {
    socket,
    request: (event, payload = {}) => socket.timeout(5000).emitWithAck(event, payload),
    next: (event, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
        socket.once(event, (payload: unknown) => {
          clearTimeout(timer);
          resolve(payload);
        });
      }),
    close: () => socket.disconnect(),
  };
}

/** The data of a successful acknowledgement; throws with the error body otherwise. */
export function okData(ack: unknown): Record<string, unknown> {
  if (typeof ack === 'object' && ack !== null && 'ok' in ack && ack.ok === true && 'data' in ack) {
    const data = ack.data;
    if (typeof data === 'object' && data !== null) return Object.fromEntries(Object.entries(data));
  }
  throw new Error(`expected a successful acknowledgement, got ${JSON.stringify(ack)}`);
}

/** The error code of a failed acknowledgement, or 'ok'. */
export function ackCode(ack: unknown): string {
  if (typeof ack !== 'object' || ack === null || !('ok' in ack)) return `malformed ack ${JSON.stringify(ack)}`;
  if (ack.ok === true) return 'ok';
  if ('error' in ack && typeof ack.error === 'object' && ack.error !== null && 'code' in ack.error) {
    return String(ack.error.code);
  }
  return `malformed ack ${JSON.stringify(ack)}`;
}

/**
 * Every payload of a server event the client receives from now on, in order (to check that an event
 * reached one connection and not another).
 */
export function collect(client: RawClient, event: string): unknown[] {
  const seen: unknown[] = [];
  client.socket.on(event, (payload: unknown) => seen.push(payload));
  return seen;
}

/** The error message of a failed acknowledgement ('' for a success). */
export function ackMessage(ack: unknown): string {
  if (typeof ack !== 'object' || ack === null || !('ok' in ack) || ack.ok === true) return '';
  if ('error' in ack && typeof ack.error === 'object' && ack.error !== null && 'message' in ack.error) {
    return String(ack.error.message);
  }
  return '';
}
