import { describe, expect, it } from 'vitest';
import { DesktopChannel } from '../../../../shared/desktop.js';
import { type IpcSender, validateIpc } from './ipc.js';
import { SHELL_ORIGIN } from './origin.js';

const appOrigin = 'https://court.example';
const top: IpcSender = { url: 'https://court.example/kiosk', isTopFrame: true };
const devices = { camera: 'cam-1', microphone: null, speaker: 'default', documentCamera: 'visualizer' };

describe('validateIpc', () => {
  it('passes well-formed requests from the app top frame, with parsed arguments', () => {
    expect(validateIpc(DesktopChannel.getState, [], top, appOrigin)).toEqual({
      ok: true,
      channel: DesktopChannel.getState,
      args: [],
    });
    expect(
      validateIpc(
        DesktopChannel.provision,
        [{ serverUrl: 'https://Court.Example/', enrollmentCode: '7kq4m-xh2pd' }],
        { url: 'app://shell/provision', isTopFrame: true },
        SHELL_ORIGIN,
      ),
    ).toEqual({
      ok: true,
      channel: DesktopChannel.provision,
      args: [{ serverUrl: 'https://court.example', enrollmentCode: '7KQ4MXH2PD' }],
    });
    expect(validateIpc(DesktopChannel.unlock, [{ pin: '4821' }], top, appOrigin).ok).toBe(true);
    expect(validateIpc(DesktopChannel.chooseDevices, [devices], top, appOrigin).ok).toBe(true);
  });

  it.each([
    ['an unknown channel', 'desktop:run-shell'],
    ['the push channel', DesktopChannel.stateChanged],
    ['an inherited property name', 'toString'],
    ['__proto__', '__proto__'],
    ['a non-string', 42],
  ])('refuses %s', (_name, channel) => {
    expect(validateIpc(channel, [], top, appOrigin)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it.each<[string, IpcSender]>([
    ['a subframe of the app', { url: 'https://court.example/embed', isTopFrame: false }],
    ['another origin', { url: 'https://evil.example/', isTopFrame: true }],
    ['http instead of https', { url: 'http://court.example/', isTopFrame: true }],
    ['another port', { url: 'https://court.example:8443/', isTopFrame: true }],
    ['a subdomain', { url: 'https://x.court.example/', isTopFrame: true }],
    ['a file page', { url: 'file:///tmp/x.html', isTopFrame: true }],
    ['about:blank', { url: 'about:blank', isTopFrame: true }],
  ])('refuses a sender from %s', (_name, sender) => {
    expect(validateIpc(DesktopChannel.getState, [], sender, appOrigin)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('refuses the bundled provisioning page once the server is the app origin', () => {
    expect(
      validateIpc(DesktopChannel.getState, [], { url: 'app://shell/provision', isTopFrame: true }, appOrigin).ok,
    ).toBe(false);
  });

  const polluted = JSON.parse('{"pin":"4821","__proto__":{"admin":true}}');
  const constructorKey = JSON.parse('{"pin":"4821","constructor":{"prototype":{"admin":true}}}');

  it.each<[string, string, unknown]>([
    ['a non-array argument list', DesktopChannel.unlock, { pin: '4821' }],
    ['null arguments', DesktopChannel.unlock, null],
    ['a missing argument', DesktopChannel.unlock, []],
    ['a surplus argument', DesktopChannel.unlock, [{ pin: '4821' }, 'more']],
    ['an argument to a no-argument channel', DesktopChannel.getState, [{}]],
    ['a non-object argument', DesktopChannel.unlock, ['4821']],
    ['an array argument', DesktopChannel.unlock, [['4821']]],
    ['a wrong type', DesktopChannel.unlock, [{ pin: 4821 }]],
    ['a non-digit PIN', DesktopChannel.unlock, [{ pin: '48a1' }]],
    ['an over-long PIN', DesktopChannel.unlock, [{ pin: '1'.repeat(10_000) }]],
    ['an extra key', DesktopChannel.unlock, [{ pin: '4821', admin: true }]],
    ['a __proto__ key', DesktopChannel.unlock, [polluted]],
    ['a constructor key', DesktopChannel.unlock, [constructorKey]],
    ['a huge server URL', DesktopChannel.setServer, [{ serverUrl: `https://${'a'.repeat(1_000_000)}.example` }]],
    [
      'a javascript: server URL',
      DesktopChannel.provision,
      [{ serverUrl: 'javascript:alert(1)', enrollmentCode: '7KQ4M-XH2PD' }],
    ],
    [
      'a huge enrollment code',
      DesktopChannel.provision,
      [{ serverUrl: 'https://court.example', enrollmentCode: '7'.repeat(100_000) }],
    ],
    ['a huge device id', DesktopChannel.chooseDevices, [{ ...devices, camera: 'x'.repeat(100_000) }]],
    ['a missing device', DesktopChannel.chooseDevices, [{ camera: null, microphone: null, speaker: null }]],
    ['a device id object', DesktopChannel.chooseDevices, [{ ...devices, camera: { toString: () => 'cam' } }]],
    ['an over-long notification', DesktopChannel.notify, [{ title: 'x', body: 'y'.repeat(501) }]],
  ])('refuses %s with BAD_REQUEST', (_name, channel, args) => {
    const result = validateIpc(channel, args, top, appOrigin);
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    if (!result.ok) expect(result.error.message.length).toBeLessThan(1000);
  });

  it('does not pollute any prototype while refusing', () => {
    validateIpc(DesktopChannel.unlock, [polluted], top, appOrigin);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
