import type { types as msc } from 'mediasoup-client';
import { Device } from 'mediasoup-client';
import { z } from 'zod';
import { RtpCapabilitiesSchema } from '../../../shared/signaling.js';
import { onCredentialsChange, socketAuth } from './credentials.js';
import { type ClientSocket, connectSignaling, request } from './signaling.js';

const MscRtpCapabilities = z.custom<msc.RtpCapabilities>((v) => RtpCapabilitiesSchema.safeParse(v).success);

/**
 * The client's one signaling connection and its mediasoup-client Device, opened when the app starts
 * and kept for its whole life: a kiosk is connected before anyone taps "enter", so joining a hearing
 * costs only the join itself. socket.io reconnects by itself; sessions rejoin on 'connect'.
 */
export class Connection {
  readonly socket: ClientSocket;
  #device: Promise<Device> | null = null;

  constructor(serverUrl: string) {
    this.socket = connectSignaling(serverUrl, socketAuth);
    // The server judges the credentials of the connection's handshake: a new sign-in is presented by
    // opening the connection again. Also while it is still connecting (`active`, not yet `connected`):
    // the desktop shell hands the kiosk its credential a moment after start-up, and a handshake already
    // on its way carries none.
    onCredentialsChange(() => {
      if (this.socket.active) this.socket.disconnect().connect();
    });
  }

  /** The Device, loaded with the server's router capabilities (once; retried after a failure). */
  device(): Promise<Device> {
    this.#device ??= this.#loadDevice().catch((error: unknown) => {
      this.#device = null;
      throw error;
    });
    return this.#device;
  }

  async #loadDevice(): Promise<Device> {
    const { rtpCapabilities } = await request(this.socket, 'media:routerRtpCapabilities');
    const device = new Device();
    await device.load({ routerRtpCapabilities: MscRtpCapabilities.parse(rtpCapabilities) });
    return device;
  }
}

let shared: Connection | null = null;

/** The app's connection to the server it was loaded from. */
export function appConnection(): Connection {
  shared ??= new Connection(window.location.origin);
  return shared;
}
