import { z } from 'zod';
import { authorizationHeader } from '../../services/credentials.js';

/*
 * The self-test's network check against the court server: round trip (median of five empty GETs),
 * download and upload bitrate (one 256 KiB transfer each), over the kiosk's authenticated HTTP API
 * (GET /api/selftest/download?kb=N, POST /api/selftest/upload).
 */

export const PROBE_PINGS = 5;
export const PROBE_KB = 256;
/** Longest wait for one probe request; a slower answer counts as none. */
export const PROBE_TIMEOUT_MS = 15_000;

export interface NetworkMeasurement {
  rttMs: number | null;
  downloadKbps: number | null;
  uploadKbps: number | null;
}

/** The median of the values (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
}

/** kbit/s of `bytes` moved in `ms` (bits per millisecond are kbit/s); null without a usable time. */
export function kbps(bytes: number, ms: number): number | null {
  if (!(bytes > 0) || !(ms > 0)) return null;
  return (bytes * 8) / ms;
}

const UploadAnswerSchema = z.object({ bytes: z.number().int().nonnegative() });

/** A fetch that gives up after PROBE_TIMEOUT_MS or when `signal` aborts. */
async function timedFetch(path: string, init: RequestInit, signal: AbortSignal): Promise<Response> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const timer = window.setTimeout(abort, PROBE_TIMEOUT_MS);
  signal.addEventListener('abort', abort);
  try {
    const authorization = authorizationHeader();
    const headers = new Headers(init.headers);
    if (authorization) headers.set('authorization', authorization);
    return await fetch(path, { ...init, headers, cache: 'no-store', signal: controller.signal });
  } finally {
    window.clearTimeout(timer);
    signal.removeEventListener('abort', abort);
  }
}

/** Bytes that no proxy can compress, so the upload measures the line and not the compressor. */
function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 65_536) {
    crypto.getRandomValues(bytes.subarray(offset, Math.min(length, offset + 65_536)));
  }
  return bytes;
}

async function measureRtt(signal: AbortSignal): Promise<number | null> {
  const samples: number[] = [];
  for (let i = 0; i < PROBE_PINGS && !signal.aborted; i++) {
    try {
      const started = performance.now();
      const response = await timedFetch('/api/selftest/download?kb=0', { method: 'GET' }, signal);
      await response.arrayBuffer();
      if (response.ok) samples.push(performance.now() - started);
    } catch {
      /* a lost ping counts as none */
    }
  }
  return median(samples);
}

async function measureDownload(signal: AbortSignal): Promise<number | null> {
  try {
    const started = performance.now();
    const response = await timedFetch(`/api/selftest/download?kb=${PROBE_KB}`, { method: 'GET' }, signal);
    const body = await response.arrayBuffer();
    if (!response.ok) return null;
    return kbps(body.byteLength, performance.now() - started);
  } catch {
    return null;
  }
}

async function measureUpload(signal: AbortSignal): Promise<number | null> {
  try {
    const body = randomBytes(PROBE_KB * 1024);
    const started = performance.now();
    const response = await timedFetch(
      '/api/selftest/upload',
      { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body },
      signal,
    );
    const answer = UploadAnswerSchema.safeParse(await response.json().catch(() => null));
    const elapsed = performance.now() - started;
    if (!response.ok || !answer.success) return null;
    return kbps(answer.data.bytes, elapsed);
  } catch {
    return null;
  }
}

/** Runs the three measurements one after the other (so they do not share the line). Never rejects. */
export async function probeNetwork(signal: AbortSignal): Promise<NetworkMeasurement> {
  const rttMs = await measureRtt(signal);
  // Without a single answer the server is unreachable: the bitrates would only time out again.
  if (rttMs === null) return { rttMs: null, downloadKbps: null, uploadKbps: null };
  const downloadKbps = await measureDownload(signal);
  const uploadKbps = await measureUpload(signal);
  return { rttMs, downloadKbps, uploadKbps };
}
