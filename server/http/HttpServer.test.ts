import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccess } from '../../test/helpers/demo.js';
import { startTestServer } from '../../test/helpers/server.js';
import type { App } from '../App.js';

describe('HTTP API', () => {
  let app: App;

  let judgeToken: string;

  beforeAll(async () => {
    app = await startTestServer({ MEDIA_WORKERS: '1', SEED_DEMO: 'true' });
    judgeToken = (await demoAccess(app)).judge.stored.token as string;
  });

  afterAll(async () => {
    await app?.close();
  });

  it("the demo judge's agenda holds the tenancy dispute with a 庆元 village party and a 临安 community party", async () => {
    const headers = { authorization: `Bearer ${judgeToken}` };
    const agenda = await (await fetch(`${app.url}/api/me/agenda`, { headers })).json();
    const tenancy = agenda.hearings.find((h: { caseNumber: string }) => h.caseNumber === '（2026）浙0185民初1234号');
    expect(tenancy?.title).toBe('房屋租赁合同纠纷');
    const { sites } = await (await fetch(`${app.url}/api/sites`, { headers })).json();
    const countyOf = (siteId: string) => sites.find((site: { id: string }) => site.id === siteId)?.county;
    expect(tenancy.participants.map((p: { siteId: string }) => countyOf(p.siteId))).toEqual(['庆元县', '临安区']);
  });

  it('answers bad requests with a 4xx and a stable code', async () => {
    const cases: Array<[string, RequestInit | undefined, number, string]> = [
      ['/api/hearings/no-such-hearing', undefined, 404, 'NOT_FOUND'],
      ['/api/courts/x/hearings?from=1&to=0', undefined, 403, 'FORBIDDEN'],
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
      const response = await fetch(`${app.url}${path}`, {
        ...init,
        headers: { ...(init?.headers ?? {}), authorization: `Bearer ${judgeToken}` },
      });
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
    expect(operation.responses['200'].content['application/json'].schema.required).toContain('caseNumber');
    // Bodies a service parses itself are documented with their schema all the same.
    expect(document.paths['/api/hearings'].post.requestBody.content['application/json'].schema.required).toContain(
      'caseNumber',
    );
  });

  it("serves the judge's private iCal feed and nothing to a wrong address", async () => {
    const headers = { authorization: `Bearer ${judgeToken}` };
    const { path } = await (await fetch(`${app.url}/api/me/ical`, { headers })).json();
    const feed = await fetch(`${app.url}${path}`);
    expect(feed.status, `${path} ${feed.status === 200 ? '' : await feed.clone().text()}`).toBe(200);
    expect(feed.headers.get('content-type')).toContain('text/calendar');
    const text = await feed.text();
    expect(text).toContain('BEGIN:VCALENDAR');
    expect(text).toContain('（2026）浙0185民初1234号 房屋租赁合同纠纷');
    expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(2); // judge.wang's two demo hearings
    expect((await fetch(`${app.url}/api/ical/${'A'.repeat(43)}.ics`)).status).toBe(404);
    expect((await fetch(`${app.url}/api/ical/short.ics`)).status).toBe(400);
  });

  it('serves the single-page UI for client-side routes', async () => {
    const response = await fetch(`${app.url}/hearing/demo/judge-wang`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
  });
});
