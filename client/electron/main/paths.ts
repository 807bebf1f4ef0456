import path from 'node:path';
import type { ShellMode } from '../../../shared/desktop.js';

/*
 * Where each desktop shell keeps its files. Pure: the main process passes in `app.getPath('appData')`
 * and `process.platform` and then calls `app.setPath('userData', paths.userDataDir)` before the app is
 * ready, so Chromium's own profile (cookies, cache, media-device permissions) lands in the same place.
 *
 * Both shells are packaged from one app directory (one package.json), so Electron's default user-data
 * directory (named after the app) would be shared by a kiosk and a judge app installed on the same
 * machine; naming it per shell keeps their credentials and settings apart. The names are ASCII because
 * the product names (共享法庭终端, 共享法庭法官端) end up in paths that scripts and support staff type.
 *
 *   Linux:   ~/.config/shared-court-kiosk/
 *   Windows: %APPDATA%\shared-court-kiosk\
 */

/** The user-data directory's name under the OS's per-user application-data directory. */
export const USER_DATA_DIR_NAMES: Readonly<Record<ShellMode, string>> = {
  kiosk: 'shared-court-kiosk',
  judge: 'shared-court-judge',
};

/**
 * The credential file: bytes produced by Electron's `safeStorage.encryptString` (never plain text).
 * The kiosk keeps its device credential from enrollment there; the judge app keeps nothing secret on
 * disk (the judge logs in each session), so it has no credential file.
 */
export const CREDENTIAL_FILE_NAME = 'device-credential.bin';

/**
 * The kiosk's offline check of the operator PIN: a salted scrypt hash of the PIN the server last
 * accepted at this kiosk, encrypted with safeStorage like the credential (see policy/pinVerifier.ts).
 */
export const OPERATOR_PIN_FILE_NAME = 'operator-pin.bin';

/** Non-secret settings (server address, chosen camera/microphone/speaker), JSON, parsed with zod on load. */
export const SETTINGS_FILE_NAME = 'settings.json';

export interface DesktopPaths {
  readonly userDataDir: string;
  readonly settingsFile: string;
  /** Null for the judge app, which stores no credential. */
  readonly credentialFile: string | null;
  /** Null for the judge app, which has no operator lock. */
  readonly operatorPinFile: string | null;
  readonly logDir: string;
}

/** `platform` is `process.platform`; it picks Windows or POSIX path rules so both can be tested anywhere. */
export function desktopPaths(mode: ShellMode, appDataDir: string, platform: NodeJS.Platform): DesktopPaths {
  const rules = platform === 'win32' ? path.win32 : path.posix;
  if (!rules.isAbsolute(appDataDir)) {
    throw new TypeError(
      `appDataDir must be an absolute path (app.getPath('appData')), got ${JSON.stringify(appDataDir)}`,
    );
  }
  if (!Object.hasOwn(USER_DATA_DIR_NAMES, mode)) {
    throw new TypeError(`mode must be 'kiosk' or 'judge', got ${JSON.stringify(mode)}`);
  }
  const dirName = USER_DATA_DIR_NAMES[mode];
  const userDataDir = rules.join(appDataDir, dirName);
  return {
    userDataDir,
    settingsFile: rules.join(userDataDir, SETTINGS_FILE_NAME),
    credentialFile: mode === 'kiosk' ? rules.join(userDataDir, CREDENTIAL_FILE_NAME) : null,
    operatorPinFile: mode === 'kiosk' ? rules.join(userDataDir, OPERATOR_PIN_FILE_NAME) : null,
    logDir: rules.join(userDataDir, 'logs'),
  };
}
