import { type FileLink, FileLinkSchema, RecordingTimelineSchema } from '../../../../shared/recording.js';
import { apiRequest } from '../../services/api.js';
import { downloadUrl } from './recordingView.js';

/*
 * The recording's REST calls, with the user's session. Each file link is written to the server's audit
 * log, so links are asked for only when the user plays or downloads, never ahead of time.
 */

export function timelinePath(hearingId: string): string {
  return `/api/hearings/${encodeURIComponent(hearingId)}/recording`;
}

export function fetchTimeline(hearingId: string) {
  return apiRequest(RecordingTimelineSchema, 'GET', timelinePath(hearingId));
}

/** A short-lived address of one recorded file, usable as a media element's src. */
export function segmentLink(segmentId: string): Promise<FileLink> {
  return apiRequest(FileLinkSchema, 'POST', `/api/recordings/${encodeURIComponent(segmentId)}/link`);
}

/** A short-lived address of the hearing's evidence bundle (ZIP); INVALID_STATE until it can be exported. */
export function bundleLink(hearingId: string): Promise<FileLink> {
  return apiRequest(FileLinkSchema, 'POST', `/api/hearings/${encodeURIComponent(hearingId)}/bundle/link`);
}

/** Starts the browser's download of a file link (the server answers it as an attachment). */
export function startDownload(link: FileLink): void {
  const anchor = document.createElement('a');
  anchor.href = downloadUrl(link.url);
  anchor.download = '';
  anchor.rel = 'noopener';
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}
