/**
 * The node side of the bare baseline: one mediasoup worker with a WebRtcServer and a router with the
 * product's codecs, an HTTP server on 127.0.0.1 that serves a blank page with mediasoup-client (bundled
 * from page.ts by vite) and answers the JSON requests of protocol.ts. Transport options mirror the
 * product's Peer, so the bare pair differs from the product only by what the product adds around it.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { types as ms } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import { build } from 'vite';
import { loadConfig } from '../../../server/config.js';
import { MEDIA_CODECS } from '../../../server/media/WorkerPool.js';
import type { BareMethod } from './protocol.js';

const PAGE_ENTRY = fileURLToPath(new URL('./page.ts', import.meta.url));
/** Biggest request accepted; RTP capabilities of a browser are a few kilobytes. */
const MAX_BODY_BYTES = 64 * 1024;

export interface BareServer {
  readonly url: string;
  /** Closes every receive transport (and its consumers): the server holds only the sender again. */
  closeReceivers(): void;
  close(): Promise<void>;
}

/** Bundles page.ts with mediasoup-client; returns the files by URL path and the entry's path. */
async function bundlePage(): Promise<{ files: Map<string, string>; entry: string }> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    build: { write: false, target: 'es2022', modulePreload: false, rolldownOptions: { input: PAGE_ENTRY } },
  });
  const outputs = Array.isArray(result) ? result : [result];
  const files = new Map<string, string>();
  let entry: string | undefined;
  for (const output of outputs) {
    if (!('output' in output)) throw new Error('vite returned a watcher instead of a bundle');
    for (const chunk of output.output) {
      if (chunk.type !== 'chunk') continue;
      files.set(`/${chunk.fileName}`, chunk.code);
      if (chunk.isEntry) entry = `/${chunk.fileName}`;
    }
  }
  if (!entry) throw new Error('bundling the bare page produced no entry chunk');
  return { files, entry };
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startBareServer(): Promise<BareServer> {
  const { files, entry } = await bundlePage();
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>bare</title></head><body><script type="module" src="${entry}"></script></body></html>`;

  const config = loadConfig({}); // the product's defaults, for its RTC port range
  const worker = await mediasoup.createWorker({
    logLevel: 'warn',
    rtcMinPort: config.MEDIA_MIN_PORT,
    rtcMaxPort: config.MEDIA_MAX_PORT,
  });
  try {
    const portRange = { min: config.MEDIA_MIN_PORT, max: config.MEDIA_MAX_PORT };
    const webRtcServer = await worker.createWebRtcServer({
      listenInfos: [
        { protocol: 'udp', ip: '127.0.0.1', portRange },
        { protocol: 'tcp', ip: '127.0.0.1', portRange },
      ],
    });
    const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS });
    const transports = new Map<string, ms.WebRtcTransport>();
    const consumers = new Map<string, ms.Consumer>();
    let videoProducer: ms.Producer | undefined;

    const transport = (id: string): ms.WebRtcTransport => {
      const found = transports.get(id);
      if (!found) throw new Error(`no transport ${id}`);
      return found;
    };

    /*
     * The methods of protocol.ts with mediasoup's types for their parameters (the page's side speaks
     * mediasoup-client's types; JSON lies between). The bench trusts its own page for the shape of the
     * parameters, and mediasoup validates their content.
     */
    const handlers = {
      async routerRtpCapabilities() {
        return { rtpCapabilities: router.rtpCapabilities };
      },
      async createTransport({ direction }: { direction: 'send' | 'recv' }) {
        const created = await router.createWebRtcTransport({
          webRtcServer,
          enableUdp: true,
          enableTcp: true,
          preferUdp: true,
          initialAvailableOutgoingBitrate: 1_000_000,
          appData: { direction },
        });
        transports.set(created.id, created);
        created.observer.once('close', () => transports.delete(created.id));
        return {
          id: created.id,
          iceParameters: created.iceParameters,
          iceCandidates: created.iceCandidates,
          dtlsParameters: created.dtlsParameters,
        };
      },
      async connectTransport({
        transportId,
        dtlsParameters,
      }: {
        transportId: string;
        dtlsParameters: ms.DtlsParameters;
      }) {
        await transport(transportId).connect({ dtlsParameters });
        return {};
      },
      async produce({
        transportId,
        kind,
        rtpParameters,
      }: {
        transportId: string;
        kind: ms.MediaKind;
        rtpParameters: ms.RtpParameters;
      }) {
        const producer = await transport(transportId).produce({ kind, rtpParameters });
        if (kind === 'video') videoProducer = producer;
        return { id: producer.id };
      },
      async consume({ transportId, rtpCapabilities }: { transportId: string; rtpCapabilities: ms.RtpCapabilities }) {
        if (!videoProducer || videoProducer.closed) throw new Error('no sender yet');
        const consumer = await transport(transportId).consume({
          producerId: videoProducer.id,
          rtpCapabilities,
          paused: true,
        });
        consumers.set(consumer.id, consumer);
        consumer.observer.once('close', () => consumers.delete(consumer.id));
        return {
          id: consumer.id,
          producerId: videoProducer.id,
          kind: consumer.kind,
          rtpParameters: consumer.rtpParameters,
        };
      },
      async resumeConsumer({ consumerId }: { consumerId: string }) {
        const consumer = consumers.get(consumerId);
        if (!consumer) throw new Error(`no consumer ${consumerId}`);
        await consumer.resume();
        return {};
      },
    } satisfies Record<BareMethod, (params: never) => Promise<unknown>>;

    const rpc = async (body: string): Promise<unknown> => {
      const { method, params } = JSON.parse(body) as { method: string; params: unknown };
      if (!Object.hasOwn(handlers, method)) throw new Error(`unknown method ${method}`);
      const handler = handlers[method as BareMethod] as (params: unknown) => Promise<unknown>;
      return handler(params ?? {});
    };

    const server = http.createServer((request, response) => {
      const send = (status: number, type: string, body: string): void => {
        response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
        response.end(body);
      };
      const script = request.url ? files.get(request.url) : undefined;
      if (request.method === 'GET' && request.url === '/') return send(200, 'text/html; charset=utf-8', html);
      if (request.method === 'GET' && script !== undefined) return send(200, 'text/javascript', script);
      if (request.method === 'POST' && request.url === '/rpc') {
        readBody(request)
          .then(rpc)
          .then(
            (result) => send(200, 'application/json', JSON.stringify(result)),
            (error: unknown) => send(500, 'text/plain', error instanceof Error ? error.message : String(error)),
          );
        return;
      }
      send(404, 'text/plain', 'not found');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;

    return {
      url: `http://127.0.0.1:${port}`,
      closeReceivers() {
        for (const t of transports.values()) if (t.appData.direction === 'recv') t.close();
      },
      async close() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        worker.close();
      },
    };
  } catch (error) {
    worker.close(); // and with it the WebRtcServer and the router
    throw error;
  }
}
