import {
  type DesktopErrorCode,
  type DesktopRequestArgs,
  type DesktopRequestChannel,
  DesktopRequestSchemas,
} from '../../../../shared/desktop.js';
import { isSameOrigin } from './origin.js';

/*
 * The gate every IPC request passes before its handler runs: the channel must be one of the
 * renderer-invokable channels, the sender must be the top frame of the app's own origin, and the
 * arguments must parse with the channel's schema from shared/desktop.ts (strict objects, bounded
 * strings), so extra keys — `__proto__` and `constructor` among them — wrong types, oversized strings
 * and missing or surplus arguments are all refused with a stable code. The handler receives only the
 * parsed output, never the payload as sent.
 */

/** The sender as Electron reports it (`event.senderFrame`): its URL and whether it is the top frame. */
export interface IpcSender {
  url: string;
  /** `event.senderFrame.parent === null` (and the frame belongs to the window's webContents). */
  isTopFrame: boolean;
}

export type IpcRefusal = { ok: false; error: { code: DesktopErrorCode; message: string } };
export type IpcValidated = {
  [C in DesktopRequestChannel]: { ok: true; channel: C; args: DesktopRequestArgs<C> };
}[DesktopRequestChannel];

const MAX_ISSUES_IN_MESSAGE = 3;

function refuse(code: DesktopErrorCode, message: string): IpcRefusal {
  return { ok: false, error: { code, message } };
}

function isRequestChannel(channel: unknown): channel is DesktopRequestChannel {
  return typeof channel === 'string' && Object.hasOwn(DesktopRequestSchemas, channel);
}

/** Checks one `ipcMain.handle` call. `args` is the rest-argument array the renderer sent. */
export function validateIpc(
  channel: unknown,
  args: unknown,
  sender: IpcSender,
  appOrigin: string,
): IpcValidated | IpcRefusal {
  if (!isRequestChannel(channel)) return refuse('NOT_FOUND', 'unknown desktop channel');
  if (sender?.isTopFrame !== true || !isSameOrigin(sender.url, appOrigin)) {
    return refuse('FORBIDDEN', `${channel} may only be called by the app's own page`);
  }
  if (!Array.isArray(args)) return refuse('BAD_REQUEST', `${channel}: arguments must be an argument list`);
  const parsed = DesktopRequestSchemas[channel].args.safeParse(args);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, MAX_ISSUES_IN_MESSAGE)
      .map((issue) => `${issue.path.map(String).join('.') || 'arguments'}: ${issue.message}`)
      .join('; ');
    return refuse('BAD_REQUEST', `${channel}: ${issues}`);
  }
  // parsed.data is the output of this channel's own schema; TypeScript cannot correlate the two unions.
  return { ok: true, channel, args: parsed.data } as IpcValidated;
}
