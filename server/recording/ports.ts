import * as dgram from 'node:dgram';

export interface PortPair {
  rtp: number;
  rtcp: number;
}

/** Whether a UDP port on the address is free now (binding it succeeds). */
export function udpPortFree(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind({ address: ip, port, exclusive: true }, () => socket.close(() => resolve(true)));
  });
}

/**
 * Hands out pairs of UDP ports (even RTP, odd RTCP) from a range, for FFmpeg to receive a recorder's
 * stream on. A pair stays reserved in this process until released; a pair something else on the
 * machine holds is skipped.
 */
export class PortPool {
  readonly #ip: string;
  readonly #min: number;
  readonly #max: number;
  readonly #reserved = new Set<number>();
  #next: number;

  constructor(ip: string, min: number, max: number) {
    if (min > max - 1) throw new RangeError(`recording port range ${min}-${max} holds no pair of ports`);
    this.#ip = ip;
    this.#min = min + (min % 2);
    this.#max = max;
    // Several servers on one machine (or test runs side by side) start at different places.
    this.#next = this.#min + 2 * Math.floor(Math.random() * Math.floor((max - this.#min) / 2));
  }

  get reserved(): number {
    return this.#reserved.size;
  }

  async reserve(): Promise<PortPair> {
    const pairs = Math.floor((this.#max - this.#min + 1) / 2);
    for (let tried = 0; tried < pairs; tried++) {
      const rtp = this.#next;
      this.#next = rtp + 2 > this.#max - 1 ? this.#min : rtp + 2;
      if (this.#reserved.has(rtp)) continue;
      this.#reserved.add(rtp);
      if ((await udpPortFree(this.#ip, rtp)) && (await udpPortFree(this.#ip, rtp + 1))) return { rtp, rtcp: rtp + 1 };
      this.#reserved.delete(rtp);
    }
    throw new Error(`no free UDP port pair for a recorder in ${this.#min}-${this.#max}`);
  }

  release(pair: PortPair): void {
    this.#reserved.delete(pair.rtp);
  }
}
