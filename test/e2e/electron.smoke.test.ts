import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';

/*
 * Electron smoke test: launches the built kiosk shell (`npm run desktop:build` → dist/electron), waits
 * for the provisioning screen, then quits. Needs the Electron binary, which `npm ci` does not download
 * here (allowScripts: "electron": false); without it the test is skipped and says why.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const electronDir = path.join(root, 'node_modules', 'electron');
const appDir = path.join(root, 'dist', 'electron');

function electronBinary(): { path: string } | { missing: string } {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return { missing: `${pathFile} does not exist (Electron's binary was never installed)` };
  const binary = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { missing: `${binary} does not exist` };
  if (!existsSync(path.join(appDir, 'main.cjs')))
    return { missing: 'dist/electron/main.cjs: run npm run desktop:build' };
  return { path: binary };
}

const binary = electronBinary();
const skipReason = 'missing' in binary ? binary.missing : null;
if (skipReason !== null) {
  process.stdout.write(`electron.smoke: skipped: ${skipReason}\n`);
}

describe('Electron shell (smoke)', () => {
  it.skipIf(skipReason !== null)('launches the kiosk, reaches the provisioning screen and quits', async () => {
    if ('missing' in binary) return;
    const appData = mkdtempSync(path.join(tmpdir(), 'court-desktop-'));
    const app = await electron.launch({
      executablePath: binary.path,
      args: [appDir, '--mode=kiosk'],
      env: { ...process.env, XDG_CONFIG_HOME: appData, APPDATA: appData },
    });
    try {
      const page = await app.firstWindow();
      await page.waitForURL('app://shell/provision');
      const state = await page.evaluate(async () => {
        const api = (window as unknown as { courtDesktop?: { getState(): Promise<unknown> } }).courtDesktop;
        return api ? api.getState() : null;
      });
      expect(state).toMatchObject({
        ok: true,
        data: { mode: 'kiosk', provisioning: { status: 'unprovisioned', error: null }, credentialStorage: 'none' },
      });
      expect(await page.evaluate(() => 'require' in window || 'process' in window)).toBe(false);
    } finally {
      await app.close();
      rmSync(appData, { recursive: true, force: true });
    }
  });
});
