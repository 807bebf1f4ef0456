import * as dgram from 'node:dgram';
import * as fs from 'node:fs';

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
 * Whether the process holds a UDP socket bound to the port (Linux: its socket inodes in
 * /proc/<pid>/fd against /proc/net/udp). Unlike "the port is taken", this cannot be fooled by another
 * program that took the port first. Off Linux it answers whether the port is taken at all.
 */
export async function processHoldsUdpPort(pid: number, ip: string, port: number): Promise<boolean> {
  let table: string;
  try {
    table = await fs.promises.readFile('/proc/net/udp', 'utf8');
  } catch {
    return !(await udpPortFree(ip, port));
  }
  const wanted = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1]?.endsWith(wanted) && fields[9]) inodes.add(fields[9]);
  }
  if (inodes.size === 0) return false;
  let fds: string[];
  try {
    fds = await fs.promises.readdir(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    const target = await fs.promises.readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode && inodes.has(inode)) return true;
  }
  return false;
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
