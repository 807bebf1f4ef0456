import { describe, expect, it } from 'vitest';
import { decidePermission, permissionCheck } from './permissions.js';

const appOrigin = 'https://court.example';

describe('decidePermission', () => {
  it('grants camera and microphone to the app origin', () => {
    for (const mediaTypes of [['audio'], ['video'], ['audio', 'video']]) {
      expect(
        decidePermission({ permission: 'media', requestingUrl: 'https://court.example/kiosk', appOrigin, mediaTypes }),
      ).toEqual({ grant: true });
    }
  });

  it('grants speaker selection to the app origin', () => {
    expect(decidePermission({ permission: 'speaker-selection', requestingUrl: `${appOrigin}/`, appOrigin }).grant).toBe(
      true,
    );
  });

  it('grants media to a loopback development server on its own port', () => {
    expect(
      decidePermission({
        permission: 'media',
        requestingUrl: 'http://127.0.0.1:3000/kiosk',
        appOrigin: 'http://127.0.0.1:3000',
        mediaTypes: ['video'],
      }).grant,
    ).toBe(true);
  });

  it.each([
    ['another origin', 'https://evil.example/'],
    ['a subdomain', 'https://cdn.court.example/'],
    ['a parent-domain lookalike', 'https://court.example.evil.example/'],
    ['http instead of https', 'http://court.example/'],
    ['another port', 'https://court.example:8443/'],
    ['a file URL', 'file:///tmp/page.html'],
    ['a data URL', 'data:text/html,<p>hi</p>'],
    ['garbage', 'not a url'],
  ])('refuses media to %s', (_name, requestingUrl) => {
    expect(decidePermission({ permission: 'media', requestingUrl, appOrigin, mediaTypes: ['video'] })).toEqual({
      grant: false,
      reason: 'foreign_origin',
    });
  });

  it.each([
    'geolocation',
    'notifications',
    'openExternal',
    'clipboard-read',
    'clipboard-sanitized-write',
    'midi',
    'midiSysex',
    'fullscreen',
    'display-capture',
    'pointerLock',
    'keyboardLock',
    'idle-detection',
    'hid',
    'serial',
    'usb',
    'unknown',
  ])('refuses %s even to the app origin', (permission) => {
    expect(decidePermission({ permission, requestingUrl: `${appOrigin}/`, appOrigin })).toEqual({
      grant: false,
      reason: 'permission_not_allowed',
    });
  });

  it('refuses media requests naming no or other media types', () => {
    for (const mediaTypes of [undefined, [], ['screen'], ['audio', 'desktop']]) {
      expect(
        decidePermission({ permission: 'media', requestingUrl: `${appOrigin}/`, appOrigin, mediaTypes }).grant,
      ).toBe(false);
    }
  });

  it('refuses a subframe of the app origin', () => {
    expect(
      decidePermission({
        permission: 'media',
        requestingUrl: `${appOrigin}/`,
        appOrigin,
        mediaTypes: ['audio'],
        isMainFrame: false,
      }),
    ).toEqual({ grant: false, reason: 'subframe' });
  });

  it('never trusts file: origins, even against a file: app origin', () => {
    expect(
      decidePermission({
        permission: 'media',
        requestingUrl: 'file:///app/index.html',
        appOrigin: 'file:///app/index.html',
        mediaTypes: ['audio'],
      }).grant,
    ).toBe(false);
  });
});

describe('permissionCheck', () => {
  it('answers media checks (enumerateDevices labels) for the app origin only', () => {
    expect(permissionCheck({ permission: 'media', requestingOrigin: appOrigin, appOrigin, mediaType: 'unknown' })).toBe(
      true,
    );
    expect(permissionCheck({ permission: 'media', requestingOrigin: appOrigin, appOrigin, mediaType: 'video' })).toBe(
      true,
    );
    expect(
      permissionCheck({ permission: 'media', requestingOrigin: 'https://evil.example', appOrigin, mediaType: 'video' }),
    ).toBe(false);
  });

  it('refuses every other check', () => {
    expect(permissionCheck({ permission: 'notifications', requestingOrigin: appOrigin, appOrigin })).toBe(false);
    expect(permissionCheck({ permission: 'clipboard-read', requestingOrigin: appOrigin, appOrigin })).toBe(false);
  });
});
