/**
 * How the join benchmark measures, the same way for the product and for the bare baseline: a probe in
 * the page notes the moment the join is triggered and the moment the first remote video frame has been
 * decoded, both on the page's own performance.now() clock, so the browser↔bench round trips of
 * Playwright do not enter the numbers.
 */
import type { Page } from 'playwright-core';

/**
 * Installed before any page script (page.addInitScript). Every RTCPeerConnection the page creates gets
 * a 'track' listener; the first remote video track is played muted in a tiny <video> and its first
 * requestVideoFrameCallback gives `presentationTime`, the moment the first decoded frame was handed to
 * the compositor. The product's own <video> elements are not used, so the same probe serves the bare
 * page, which has none.
 */
const FIRST_FRAME_PROBE = `
  (() => {
    const probe = { start: null, firstFrame: null };
    window.__joinProbe = probe;
    const Original = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Original {
      constructor(...args) {
        super(...args);
        this.addEventListener('track', (event) => {
          if (event.track.kind !== 'video' || probe.firstFrame !== null) return;
          const video = document.createElement('video');
          video.muted = true;
          video.playsInline = true;
          video.style.cssText = 'position:fixed;left:0;bottom:0;width:16px;height:16px;pointer-events:none';
          video.srcObject = new MediaStream([event.track]);
          video.requestVideoFrameCallback((now, metadata) => {
            if (probe.firstFrame === null) probe.firstFrame = metadata.presentationTime;
            video.srcObject = null;
            video.remove();
          });
          document.documentElement.append(video);
          video.play().catch(() => undefined);
        });
      }
    };
  })();
`;

/** Adds the probe to a page; call before its first navigation. */
export async function installProbe(page: Page): Promise<void> {
  await page.addInitScript(FIRST_FRAME_PROBE);
}

/** One measured join, in the page's clock: `start` at the trigger, `firstFrame` at the first frame. */
export interface ProbeReading {
  start: number | null;
  firstFrame: number | null;
}

/**
 * The User Timing mark the product sets when its join call (HearingSession.start) runs. The bare page
 * has none: its trigger is its join call.
 */
const JOIN_CALL_MARK = 'hearing:join';

export async function readProbe(page: Page): Promise<ProbeReading & { joinCall: number | null }> {
  return page.evaluate((markName) => {
    const probe: ProbeReading | undefined = Reflect.get(window, '__joinProbe');
    const marks = performance.getEntriesByName(markName, 'mark');
    return {
      start: probe?.start ?? null,
      firstFrame: probe?.firstFrame ?? null,
      joinCall: marks.at(-1)?.startTime ?? null,
    };
  }, JOIN_CALL_MARK);
}

/** Milliseconds to the first decoded remote frame, from the user's trigger and from the join call. */
export interface JoinLatency {
  fromTrigger: number;
  fromJoinCall: number;
}

/**
 * Waits (at most `timeoutMs`) for the page's first decoded remote video frame; returns the time to it
 * from the trigger and from the join call.
 */
export async function joinLatency(page: Page, timeoutMs: number): Promise<JoinLatency> {
  try {
    await page.waitForFunction(
      () => {
        const probe: ProbeReading | undefined = Reflect.get(window, '__joinProbe');
        return probe?.firstFrame != null;
      },
      undefined,
      { timeout: timeoutMs, polling: 50 },
    );
  } catch (error) {
    throw new Error(`no remote video frame decoded within ${timeoutMs} ms of the join (${page.url()})`, {
      cause: error,
    });
  }
  const { start, firstFrame, joinCall } = await readProbe(page);
  if (start === null || firstFrame === null) throw new Error('the join was not triggered through the probe');
  return { fromTrigger: firstFrame - start, fromJoinCall: firstFrame - (joinCall ?? start) };
}

export interface Summary {
  n: number;
  min: number;
  median: number;
  p95: number;
  max: number;
}

/** Median (mean of the two middle values for even n) and nearest-rank p95 of the samples. */
export function summarize(samples: number[]): Summary {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (index: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, index))] ?? Number.NaN;
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? at(Math.floor(middle)) : (at(middle - 1) + at(middle)) / 2;
  return {
    n: sorted.length,
    min: at(0),
    median,
    p95: at(Math.ceil(sorted.length * 0.95) - 1),
    max: at(sorted.length - 1),
  };
}
