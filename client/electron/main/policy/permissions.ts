import { isSameOrigin } from './origin.js';

/*
 * Which web permissions the shell grants. Only the camera and microphone (and choosing the speaker,
 * for `setSinkId`) are granted, and only to the app's own origin in its top frame. Everything else is
 * refused, on purpose:
 * - notifications: the judge app's "a party is waiting" goes through DesktopApi.notify, shown by the
 *   main process, so web notifications stay off in both modes;
 * - fullscreen: the kiosk is made full-screen by the main process (kiosk window), not by the page;
 * - openExternal: links never leave the app; geolocation, clipboard, MIDI, HID/serial/USB, display
 *   capture, pointer/keyboard lock, idle detection, storage access: nothing the hearing needs.
 */

/** The media kinds a `media` request may ask for (Electron's `details.mediaTypes`). */
const GRANTABLE_MEDIA_TYPES = new Set(['audio', 'video']);

export interface PermissionRequest {
  /** Electron's permission name, e.g. 'media', 'geolocation', 'speaker-selection'. */
  permission: string;
  /** `details.requestingUrl` (request handler) or `requestingOrigin` (check handler). */
  requestingUrl: string;
  /** The origin the window is meant to show (the server's, or the shell's provisioning screen). */
  appOrigin: string;
  /** `details.mediaTypes` of a 'media' request. */
  mediaTypes?: readonly string[] | undefined;
  /** `details.isMainFrame`; a subframe is never granted anything. */
  isMainFrame?: boolean | undefined;
}

export type PermissionDecision = { grant: true } | { grant: false; reason: PermissionRefusal };
export type PermissionRefusal = 'permission_not_allowed' | 'foreign_origin' | 'subframe' | 'media_type_not_allowed';

function refuse(reason: PermissionRefusal): PermissionDecision {
  return { grant: false, reason };
}

/** For `session.setPermissionRequestHandler`: `callback(decidePermission(...).grant)`. */
export function decidePermission(request: PermissionRequest): PermissionDecision {
  if (request.permission !== 'media' && request.permission !== 'speaker-selection') {
    return refuse('permission_not_allowed');
  }
  if (request.isMainFrame === false) return refuse('subframe');
  if (!isSameOrigin(request.requestingUrl, request.appOrigin)) return refuse('foreign_origin');
  if (request.permission === 'media') {
    const types = request.mediaTypes ?? [];
    // A request naming no media type is not a camera/microphone request (e.g. screen capture).
    if (types.length === 0 || !types.every((type) => GRANTABLE_MEDIA_TYPES.has(type))) {
      return refuse('media_type_not_allowed');
    }
  }
  return { grant: true };
}

export interface PermissionCheck {
  permission: string;
  /** The check handler's `requestingOrigin`. */
  requestingOrigin: string;
  appOrigin: string;
  /** `details.mediaType` of a 'media' check: 'audio' | 'video' | 'unknown' (enumerateDevices labels). */
  mediaType?: string | undefined;
  isMainFrame?: boolean | undefined;
}

/**
 * For `session.setPermissionCheckHandler` (synchronous "is it granted?" queries, e.g. whether
 * `enumerateDevices` may show device labels): the same rule. A media check may name 'unknown' as
 * its type; it is still only a query about the camera/microphone of the app's own origin.
 */
export function permissionCheck(check: PermissionCheck): boolean {
  const mediaTypes =
    check.permission === 'media'
      ? [check.mediaType === undefined || check.mediaType === 'unknown' ? 'audio' : check.mediaType]
      : undefined;
  return decidePermission({
    permission: check.permission,
    requestingUrl: check.requestingOrigin,
    appOrigin: check.appOrigin,
    mediaTypes,
    isMainFrame: check.isMainFrame,
  }).grant;
}
