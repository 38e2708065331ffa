// The OpenAPI document of the control plane, admin API and mock IdP management: valid OpenAPI
// 3.1, listing every such route the app serves (and nothing it does not), with a docs page.
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/app.js';

const emulator = createEmulator();
// Every route mounted, not only health (src/app.ts mounts the rest once src/app-routes.ts loads).
await emulator.ready;

/** The JSON API routes the router really has, as `method /openapi/{path}`. */
function servedRoutes(): Set<string> {
  const out = new Set<string>();
  for (const r of emulator.app.routes) {
    if (r.method === 'ALL') continue;
    const admin = r.path.startsWith('/_emulator') || r.path.startsWith('/w/:ws/api/');
    // The mock IdP's protocol endpoints (SAML, OIDC, the Google Directory API with its OAuth token
    // endpoint, each answering in its protocol's own form) are not part of its management API.
    const idpManagement = r.path.startsWith('/idp/:idp') && !/^\/idp\/:idp\/(saml|oidc|google)(\/|$)/.test(r.path);
    if (!admin && !idpManagement) continue;
    out.add(`${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
  }
  return out;
}

describe('OpenAPI document', () => {
  it('is served without a key and validates as OpenAPI 3.1', async () => {
    const res = await emulator.app.request('/_emulator/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // The validator does refuse a broken document.
    const broken = await new Validator().validate({ ...doc, paths: { '/x': { get: { responses: 'nope' } } } } as never);
    expect(broken.valid).toBe(false);
  });

  it('lists every admin route the app serves, and only those', async () => {
    const doc = (await (await emulator.app.request('/_emulator/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)));
    const served = servedRoutes();
    expect(served.size).toBeGreaterThan(80);
    expect([...served].filter((r) => !documented.has(r)).sort()).toEqual([]);
    expect([...documented].filter((r) => !served.has(r)).sort()).toEqual([]);
  });

  it('documents request bodies with the schemas that validate them', async () => {
    const doc = (await (await emulator.app.request('/_emulator/openapi.json')).json()) as any;
    const addDomain = doc.paths['/w/{ws}/api/domains'].post.requestBody.content['application/json'].schema;
    expect(addDomain).toMatchObject({ type: 'object', required: ['domain'], additionalProperties: false });
    const clock = doc.paths['/_emulator/clock'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(clock.properties).sort()).toEqual(['advance', 'set', 'workspace']);
    // A field the schema does not know is refused by the route, as the document says.
    const res = await emulator.app.request('/w/default/api/groups', {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.adminKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ displayName: 'Pilot', colour: 'red' }),
    });
    expect(res.status).toBe(400);
    expect(doc.paths['/w/{ws}/api/groups'].post.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
  });

  it('has a readable docs page naming every path', async () => {
    const res = await emulator.app.request('/_emulator/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/text\/html/);
    const html = await res.text();
    const doc = (await (await emulator.app.request('/_emulator/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const path of Object.keys(doc.paths)) expect(html).toContain(`<code>${path.replace(/&/g, '&amp;')}</code>`);
  });
});
