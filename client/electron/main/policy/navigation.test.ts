import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, mayNavigate, mayOpenExternal, windowOpenDecision } from './navigation.js';
import { SHELL_ORIGIN } from './origin.js';

const appOrigin = 'https://court.example';

describe('mayNavigate', () => {
  it('allows pages of the app origin', () => {
    expect(mayNavigate('https://court.example/kiosk?lang=en', appOrigin)).toBe(true);
    expect(mayNavigate('https://court.example:443/', appOrigin)).toBe(true);
    expect(mayNavigate('app://shell/provision', SHELL_ORIGIN)).toBe(true);
  });

  it.each([
    'https://evil.example/',
    'http://court.example/',
    'https://court.example:8443/',
    'https://sub.court.example/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,hi',
    'chrome://gpu',
    'devtools://devtools/bundled/inspector.html',
    'app://other/',
    '',
  ])('refuses %s', (url) => {
    expect(mayNavigate(url, appOrigin)).toBe(false);
  });
});

describe('new windows and external links', () => {
  it('are always refused', () => {
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
    expect(mayOpenExternal('https://court.example/')).toBe(false);
    expect(mayOpenExternal()).toBe(false);
  });
});

describe('contentSecurityPolicy', () => {
  function directives(csp: string): Map<string, string[]> {
    return new Map(
      csp.split(';').map((part) => {
        const [name = '', ...values] = part.trim().split(/\s+/);
        return [name, values];
      }),
    );
  }

  it('ties connections to the app origin and its own websocket', () => {
    const csp = directives(contentSecurityPolicy('https://court.example'));
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'", 'https://court.example', 'wss://court.example']);
    expect(csp.get('media-src')).toEqual(["'self'", 'blob:', 'mediastream:']);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('uses ws: and the port for a loopback http server', () => {
    const csp = directives(contentSecurityPolicy('http://127.0.0.1:3000'));
    expect(csp.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:3000', 'ws://127.0.0.1:3000']);
  });

  it('never allows eval, inline scripts or any-host websockets', () => {
    const csp = contentSecurityPolicy(appOrigin);
    expect(csp).not.toContain('unsafe-eval');
    expect(directives(csp).get('script-src')).not.toContain("'unsafe-inline'");
    expect(csp).not.toMatch(/(^|\s)wss?:(\s|;|$)/);
    expect(csp).not.toContain('*');
  });

  it('refuses to build a policy for a non-app origin', () => {
    expect(() => contentSecurityPolicy('file:///app')).toThrow(TypeError);
    expect(() => contentSecurityPolicy('nonsense')).toThrow(TypeError);
  });
});
