import * as fs from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** Keeps every RTCPeerConnection the page creates reachable for getStats(). */
const CAPTURE_PEER_CONNECTIONS = `
  (() => {
    const Original = window.RTCPeerConnection;
    window.__peerConnections = [];
    window.RTCPeerConnection = class extends Original {
      constructor(...args) {
        super(...args);
        window.__peerConnections.push(this);
      }
    };
  })();
`;

/** A page in its own browser context (own storage, own fake camera and microphone). */
export async function openPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  await context.addInitScript(CAPTURE_PEER_CONNECTIONS);
  return context.newPage();
}

/**
 * A page already signed in as `place` (a judge's or clerk's session, or an enrolled kiosk with the
 * villager's check-in done), as the sign-in, enrollment and check-in screens would leave it.
 */
export async function openPageAs(
  browser: Browser,
  place: { participantId: string; stored: Record<string, unknown>; idTail?: string; operatorPin?: string },
  hearingId: string,
): Promise<Page> {
  const page = await openPage(browser);
  await page.addInitScript(
    ({ stored, checkInKey, checkIn }) => {
      localStorage.setItem('shared-court.credentials', JSON.stringify(stored));
      if (checkIn && !sessionStorage.getItem(`${checkInKey}.used`)) {
        // Once, as the check-in screen would: a reload of the page rejoins without it.
        sessionStorage.setItem(checkInKey, JSON.stringify(checkIn));
        sessionStorage.setItem(`${checkInKey}.used`, '1');
      }
    },
    {
      stored: place.stored,
      checkInKey: `shared-court.check-in.${hearingId}.${place.participantId}`,
      checkIn: place.idTail && place.operatorPin ? { idTail: place.idTail, operatorPin: place.operatorPin } : null,
    },
  );
  return page;
}

export interface InboundStats {
  /** framesDecoded of each inbound video stream. */
  video: number[];
  /** totalSamplesReceived of each inbound audio stream. */
  audio: number[];
}

/** What the page receives, from RTCPeerConnection.getStats() inbound-rtp entries. */
export async function inboundStats(page: Page): Promise<InboundStats> {
  return page.evaluate(async () => {
    const result = { video: [] as number[], audio: [] as number[] };
    const pcs: RTCPeerConnection[] = Reflect.get(window, '__peerConnections') ?? [];
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      report.forEach((stat: { type: string; kind?: string; framesDecoded?: number; totalSamplesReceived?: number }) => {
        if (stat.type !== 'inbound-rtp') return;
        if (stat.kind === 'video') result.video.push(stat.framesDecoded ?? 0);
        if (stat.kind === 'audio') result.audio.push(stat.totalSamplesReceived ?? 0);
      });
    }
    return result;
  });
}
