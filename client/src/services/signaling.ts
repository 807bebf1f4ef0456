import { io, type Socket } from 'socket.io-client';
import type { ErrorBody } from '../../../shared/errors.js';
import {
  AckSchema,
  type ClientToServerEvents,
  REQUEST_TIMEOUT_MS,
  type RequestName,
  type ResponseOf,
  ResponseSchemas,
  type ServerToClientEvents,
} from '../../../shared/signaling.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A refused or failed request, with the server's stable code. */
export class RequestError extends Error {
  readonly code: ErrorBody['code'];

  constructor(body: ErrorBody) {
    super(body.message);
    this.name = 'RequestError';
    this.code = body.code;
  }
}

/** `auth` is asked for at every (re)connection, so a sign-in made meanwhile is presented. */
export function connectSignaling(url: string, auth: () => Record<string, string>): ClientSocket {
  return io(url, {
    transports: ['websocket'],
    reconnectionDelayMax: 5000,
    auth: (callback) => callback(auth()),
  });
}

/**
 * Sends one request, waits for its acknowledgement (at most REQUEST_TIMEOUT_MS) and parses the answer
 * with the contract's schema. Rejects with RequestError carrying the server's code, or TIMEOUT.
 */
export async function request<E extends RequestName>(
  socket: ClientSocket,
  event: E,
  payload: unknown = {},
): Promise<ResponseOf<E>> {
  let raw: unknown;
  try {
    raw = await socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck(event as RequestName, payload);
  } catch {
    throw new RequestError({ code: 'TIMEOUT', message: `no answer to ${event} within ${REQUEST_TIMEOUT_MS} ms` });
  }
  const envelope = AckSchema.safeParse(raw);
  if (!envelope.success) throw new RequestError({ code: 'INTERNAL', message: `malformed answer to ${event}` });
  if (!envelope.data.ok) throw new RequestError(envelope.data.error);
  const data = ResponseSchemas[event].safeParse(envelope.data.data);
  if (!data.success) throw new RequestError({ code: 'INTERNAL', message: `unexpected answer to ${event}` });
  return data.data as ResponseOf<E>;
}
