/**
 * The browser side of the bare baseline: mediasoup-client straight to a router, nothing around it (no
 * React, no socket.io, no product signaling). Bundled by bare/server.ts and loaded into each bare page.
 */
import { Device, type types as msc } from 'mediasoup-client';
import type { BareMethod, BarePageApi, BareRpc } from './protocol.js';

async function rpc<M extends BareMethod>(method: M, params: BareRpc[M]['params']): Promise<BareRpc[M]['result']> {
  const response = await fetch('/rpc', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ method, params }),
  });
  if (!response.ok) throw new Error(`${method} failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as BareRpc[M]['result'];
}

async function loadDevice(): Promise<Device> {
  const { rtpCapabilities } = await rpc('routerRtpCapabilities', {});
  const device = new Device();
  await device.load({ routerRtpCapabilities: rtpCapabilities });
  return device;
}

function onConnect(transport: msc.Transport): void {
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    rpc('connectTransport', { transportId: transport.id, dtlsParameters }).then(() => callback(), errback);
  });
}

/** Kept alive for as long as the page lives. */
const live: unknown[] = [];

const api: BarePageApi = {
  async bareSend() {
    // The same camera constraints as the product's HearingSession, so the sender load is alike.
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 25 } },
    });
    const track = stream.getVideoTracks()[0];
    if (!track) throw new Error('the fake camera gave no video track');
    const device = await loadDevice();
    const transport = device.createSendTransport(await rpc('createTransport', { direction: 'send' }));
    onConnect(transport);
    transport.on('produce', ({ kind, rtpParameters }, callback, errback) => {
      rpc('produce', { transportId: transport.id, kind, rtpParameters }).then(callback, errback);
    });
    live.push(await transport.produce({ track }));
  },

  async bareJoin() {
    const device = await loadDevice();
    const transport = device.createRecvTransport(await rpc('createTransport', { direction: 'recv' }));
    onConnect(transport);
    const info = await rpc('consume', { transportId: transport.id, rtpCapabilities: device.rtpCapabilities });
    live.push(await transport.consume(info));
    await rpc('resumeConsumer', { consumerId: info.id });
  },
};

Object.assign(window, api);
