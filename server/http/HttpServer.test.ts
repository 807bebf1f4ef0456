import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../test/helpers/server.js';
import type { App } from '../App.js';

describe('HTTP API', () => {
  let app: App;

  beforeAll(async () => {
    app = await startTestServer({ MEDIA_WORKERS: '1' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lists the seeded demo hearing: a 临安 judge, a 庆元 village party, a 临安 community party', async () => {
    const response = await fetch(`${app.url}/api/hearings/demo`);
    expect(response.status).toBe(200);
    const { hearing } = await response.json();
    expect(hearing.court).toContain('临安');
    const sites = hearing.participants.map((p: { site: { county: string } | null }) => p.site?.county ?? 'court');
    expect(sites).toEqual(['court', '庆元县', '临安区']);
  });

  it('answers bad requests with a 4xx and a stable code', async () => {
    const cases: Array<[string, RequestInit | undefined, number, string]> = [
      ['/api/hearings/no-such-hearing', undefined, 404, 'NOT_FOUND'],
      ['/api/hearings/bad%20id', undefined, 400, 'BAD_REQUEST'],
      ['/api/nothing-here', undefined, 404, 'NOT_FOUND'],
      [
        '/api/hearings',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":' },
        400,
        'BAD_REQUEST',
      ],
      [
        '/api/hearings',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ x: 'y'.repeat(100_000) }),
        },
        413,
        'BAD_REQUEST',
      ],
    ];
    for (const [path, init, status, code] of cases) {
      const response = await fetch(`${app.url}${path}`, init);
      expect(response.status, path).toBe(status);
      expect((await response.json()).error.code, path).toBe(code);
    }
  });

  it('documents every route as OpenAPI generated from its schemas', async () => {
    const response = await fetch(`${app.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.openapi).toBe('3.1.0');
    const operation = document.paths['/api/hearings/{hearingId}'].get;
    expect(operation.parameters).toEqual([expect.objectContaining({ name: 'hearingId', in: 'path', required: true })]);
    expect(operation.responses['200'].content['application/json'].schema.properties.hearing.required).toContain(
      'caseNumber',
    );
  });

  it('serves the single-page UI for client-side routes', async () => {
    const response = await fetch(`${app.url}/hearing/demo/judge-wang`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
  });
});
