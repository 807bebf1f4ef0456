import { contextBridge, ipcRenderer } from 'electron';
import {
  DESKTOP_API_GLOBAL,
  type DesktopApi,
  DesktopChannel,
  type DesktopRequestChannel,
  type DesktopState,
  DesktopStateSchema,
} from '../../../shared/desktop.js';

/*
 * The preload (bundled into dist/electron/preload.cjs; runs sandboxed, in its own isolated world).
 * It exposes exactly one object, `window.courtDesktop`, implementing `DesktopApi`: one
 * `ipcRenderer.invoke` per channel, and the state push. Neither `ipcRenderer` nor any Electron or
 * Node object crosses the bridge; the main process validates every argument and the sender anyway.
 */

// The main process answers every request with a DesktopAnswer; the renderer's types describe it.
function invoke<T>(channel: DesktopRequestChannel, ...args: unknown[]): Promise<T> {
  return ipcRenderer.invoke(channel, ...args) as Promise<T>;
}

const api: DesktopApi = {
  getState: () => invoke(DesktopChannel.getState),
  getKioskCredential: () => invoke(DesktopChannel.getKioskCredential),
  provision: (input) => invoke(DesktopChannel.provision, input),
  setServer: (input) => invoke(DesktopChannel.setServer, input),
  unlock: (input) => invoke(DesktopChannel.unlock, input),
  lock: () => invoke(DesktopChannel.lock),
  exitKiosk: () => invoke(DesktopChannel.exitKiosk),
  reprovision: () => invoke(DesktopChannel.reprovision),
  chooseDevices: (devices) => invoke(DesktopChannel.chooseDevices, devices),
  notify: (input) => invoke(DesktopChannel.notify, input),
  setInHearing: (input) => invoke(DesktopChannel.setInHearing, input),
  onStateChanged(listener: (state: DesktopState) => void) {
    const onPush = (_event: unknown, payload: unknown) => {
      const parsed = DesktopStateSchema.safeParse(payload);
      if (parsed.success) listener(parsed.data);
    };
    ipcRenderer.on(DesktopChannel.stateChanged, onPush);
    return () => {
      ipcRenderer.removeListener(DesktopChannel.stateChanged, onPush);
    };
  },
};

contextBridge.exposeInMainWorld(DESKTOP_API_GLOBAL, api);
