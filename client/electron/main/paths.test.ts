import { describe, expect, it } from 'vitest';
import type { ShellMode } from '../../../shared/desktop.js';
import { desktopPaths } from './paths.js';

describe('desktopPaths', () => {
  it('puts the kiosk files in its own directory under the Linux config directory', () => {
    expect(desktopPaths('kiosk', '/home/hall/.config', 'linux')).toEqual({
      userDataDir: '/home/hall/.config/shared-court-kiosk',
      settingsFile: '/home/hall/.config/shared-court-kiosk/settings.json',
      credentialFile: '/home/hall/.config/shared-court-kiosk/device-credential.bin',
      operatorPinFile: '/home/hall/.config/shared-court-kiosk/operator-pin.bin',
      logDir: '/home/hall/.config/shared-court-kiosk/logs',
    });
  });

  it('uses Windows paths under %APPDATA% on win32', () => {
    expect(desktopPaths('kiosk', 'C:\\Users\\hall\\AppData\\Roaming', 'win32')).toEqual({
      userDataDir: 'C:\\Users\\hall\\AppData\\Roaming\\shared-court-kiosk',
      settingsFile: 'C:\\Users\\hall\\AppData\\Roaming\\shared-court-kiosk\\settings.json',
      credentialFile: 'C:\\Users\\hall\\AppData\\Roaming\\shared-court-kiosk\\device-credential.bin',
      operatorPinFile: 'C:\\Users\\hall\\AppData\\Roaming\\shared-court-kiosk\\operator-pin.bin',
      logDir: 'C:\\Users\\hall\\AppData\\Roaming\\shared-court-kiosk\\logs',
    });
  });

  it('keeps the judge app apart from a kiosk on the same machine and gives it no credential file', () => {
    const judge = desktopPaths('judge', '/home/judge/.config', 'linux');
    const kiosk = desktopPaths('kiosk', '/home/judge/.config', 'linux');
    expect(judge.userDataDir).toBe('/home/judge/.config/shared-court-judge');
    expect(judge.userDataDir).not.toBe(kiosk.userDataDir);
    expect(judge.credentialFile).toBeNull();
    expect(judge.operatorPinFile).toBeNull();
  });

  it('refuses a relative application-data directory', () => {
    expect(() => desktopPaths('kiosk', '.config', 'linux')).toThrow(TypeError);
    expect(() => desktopPaths('kiosk', 'AppData\\Roaming', 'win32')).toThrow(TypeError);
  });

  it('refuses an unknown shell mode', () => {
    expect(() => desktopPaths('clerk' as ShellMode, '/home/hall/.config', 'linux')).toThrow(TypeError);
  });
});
