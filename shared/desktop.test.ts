import { describe, expect, it } from 'vitest';
import {
  DesktopChannel,
  DesktopRequestSchemas,
  DesktopStateSchema,
  DeviceChoiceSchema,
  NotifyInputSchema,
  ProvisionInputSchema,
  ServerUrlSchema,
} from './desktop.js';

describe('ServerUrlSchema', () => {
  it.each([
    ['https://court.example', 'https://court.example'],
    ['https://Court.Example/', 'https://court.example'],
    ['  https://court.example:443 ', 'https://court.example'],
    ['https://court.example:8443', 'https://court.example:8443'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['http://localhost:80/', 'http://localhost'],
    ['http://[::1]:3000', 'http://[::1]:3000'],
  ])('normalizes %s to the origin %s', (input, origin) => {
    expect(ServerUrlSchema.parse(input)).toBe(origin);
  });

  it.each([
    ['plain http to another host', 'http://court.example'],
    ['a path', 'https://court.example/admin'],
    ['a query', 'https://court.example/?next=evil'],
    ['user info', 'https://user:pass@court.example'],
    ['another scheme', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(1)'],
    ['a websocket URL', 'wss://court.example'],
    ['port 0', 'https://court.example:0'],
    ['port 70000', 'https://court.example:70000'],
    ['no host', 'https://'],
    ['an over-long address', `https://${'a'.repeat(2050)}.example`],
  ])('refuses %s', (_name, input) => {
    expect(ServerUrlSchema.safeParse(input).success).toBe(false);
  });

  it('refuses a non-string', () => {
    expect(ServerUrlSchema.safeParse({ toString: () => 'https://court.example' }).success).toBe(false);
  });
});

describe('request schemas', () => {
  it('normalize the enrollment code like the server', () => {
    expect(ProvisionInputSchema.parse({ serverUrl: 'https://court.example', enrollmentCode: '7kq4m xh2pd' })).toEqual({
      serverUrl: 'https://court.example',
      enrollmentCode: '7KQ4MXH2PD',
    });
    expect(
      ProvisionInputSchema.safeParse({ serverUrl: 'https://court.example', enrollmentCode: '0OIL1-00000' }).success,
    ).toBe(false);
  });

  it('refuse extra keys and oversized device ids', () => {
    const devices = { camera: 'cam', microphone: null, speaker: null, documentCamera: null };
    expect(DeviceChoiceSchema.parse(devices)).toEqual(devices);
    expect(DeviceChoiceSchema.safeParse({ ...devices, extra: 1 }).success).toBe(false);
    expect(DeviceChoiceSchema.safeParse({ ...devices, camera: 'x'.repeat(257) }).success).toBe(false);
    expect(DeviceChoiceSchema.safeParse({ ...devices, camera: '' }).success).toBe(false);
  });

  it('bound notifications', () => {
    expect(NotifyInputSchema.safeParse({ title: '当事人已到', body: '' }).success).toBe(true);
    expect(NotifyInputSchema.safeParse({ title: 't'.repeat(121), body: '' }).success).toBe(false);
  });

  it('cover every renderer-invokable channel and only those', () => {
    const { stateChanged, ...requests } = DesktopChannel;
    expect(Object.keys(DesktopRequestSchemas).sort()).toEqual(Object.values(requests).sort());
    expect(Object.keys(DesktopRequestSchemas)).not.toContain(stateChanged);
    expect(new Set(Object.values(DesktopChannel)).size).toBe(Object.values(DesktopChannel).length);
  });

  it('describe a complete shell state, per mode', () => {
    const devices = { camera: null, microphone: null, speaker: null, documentCamera: null };
    const kiosk = {
      mode: 'kiosk',
      provisioning: { status: 'unprovisioned', error: 'unreachable' },
      credentialStorage: 'none',
      serverUrl: null,
      devices,
      connection: 'online',
      operatorLock: { status: 'locked', failedAttempts: 0 },
    };
    expect(DesktopStateSchema.parse(kiosk).mode).toBe('kiosk');
    const judge = { mode: 'judge', serverUrl: 'https://court.example', devices, connection: 'reconnecting' };
    expect(DesktopStateSchema.parse(judge).mode).toBe('judge');
    // The judge app has no kiosk fields, and a kiosk state must say where its credential is kept.
    expect(DesktopStateSchema.safeParse({ ...judge, operatorLock: kiosk.operatorLock }).success).toBe(false);
    expect(DesktopStateSchema.safeParse({ ...kiosk, credentialStorage: undefined }).success).toBe(false);
    expect(DesktopStateSchema.safeParse({ ...kiosk, credentialStorage: 'plain' }).success).toBe(false);
  });
});
