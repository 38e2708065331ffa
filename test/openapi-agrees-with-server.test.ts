// Regression (issue 15, finding 6): the OpenAPI document says what the server does: the success
// statuses of the mock IdP's app registration and fault reset, the docs page's media type, and
// the request fields the server checks beyond their JSON type.
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';

describe('OpenAPI document and server agree', () => {
  const env = inProcess();
  const doc = async () => (await env.call('GET', '/_emulator/openapi.json')).body;

  it('documents the statuses the mock IdP routes answer', async () => {
    const d = await doc();
    await env.call('POST', '/_emulator/idps', { id: 'district', vendor: 'generic' });
    const calls: [string, string, unknown][] = [
      ['post', '/idp/{idp}/apps/saml', { entityId: 'https://sp.example/saml', acsUrl: 'https://sp.example/acs' }],
      ['post', '/idp/{idp}/apps/oidc', { redirectUris: ['https://rp.example/cb'] }],
      ['delete', '/idp/{idp}/faults', undefined],
    ];
    for (const [method, path, body] of calls) {
      const res = await env.call(method.toUpperCase(), path.replace('{idp}', 'district'), body);
      const documented = Object.keys(d.paths[path][method].responses).filter((s) => s !== '4XX');
      expect(documented, `${method} ${path}`).toEqual([String(res.status)]);
    }
  });

  it('documents /_emulator/docs as an HTML page', async () => {
    const d = await doc();
    const res = await env.call('GET', '/_emulator/docs');
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(Object.keys(d.paths['/_emulator/docs'].get.responses['200'].content)).toEqual(['text/html']);
  });

  it('documents the conformance report\'s HTML and JUnit forms and the CSV upload\'s text/csv body', async () => {
    const d = await doc();
    const report = d.paths['/w/{ws}/api/conformance'].get.responses['200'].content;
    expect(Object.keys(report).sort()).toEqual(['application/json', 'application/xml', 'text/html']);
    for (const [format, type] of [['html', 'text/html'], ['junit', 'application/xml'], ['json', 'application/json']] as const) {
      const res = await env.emulator.app.request(`/w/default/api/conformance?format=${format}`, { headers: { Authorization: `Bearer ${env.emulator.adminKey}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toContain(type);
    }
    expect(Object.keys(d.paths['/w/{ws}/api/directory/files/{name}'].put.requestBody.content)).toEqual(['text/csv']);
  });

  it('documents the fields the server checks beyond their type', async () => {
    const d = await doc();
    const body = (path: string, method: string) => d.paths[path][method].requestBody.content['application/json'].schema;
    expect(body('/w/{ws}/api/domains', 'post').properties.domain).toMatchObject({ type: 'string', format: 'hostname', maxLength: 253 });
    expect(body('/w/{ws}/api/invites', 'post').properties.email).toMatchObject({ type: 'string', format: 'email' });
    expect(body('/idp/{idp}/users', 'post').properties.email).toMatchObject({ type: 'string', format: 'email' });
    const clock = body('/_emulator/clock', 'post').properties;
    expect(clock.advance.pattern).toBeTypeOf('string');
    expect(new RegExp(clock.advance.pattern).test('1h30m')).toBe(true);
    expect(new RegExp(clock.advance.pattern).test('soon')).toBe(false);
    expect(clock.set).toMatchObject({ format: 'date-time' });
    expect(clock.set.description).toMatch(/9999-12-31/);
    const sso = JSON.stringify(body('/w/{ws}/api/sso', 'put'));
    expect(sso).toContain('"format":"uri"');
    expect(sso).toMatch(/PEM or base64 DER/);
  });

  it('marks a body optional exactly where an empty body is taken as no fields', async () => {
    const d = await doc();
    expect(d.paths['/w/{ws}/api/settings'].patch.requestBody.required).toBe(false);
    expect(d.paths['/w/{ws}/api/domains'].post.requestBody.required).toBe(true);
    expect(d.paths['/_emulator/clock'].post.requestBody.required).toBe(true);
    expect((await env.call('PATCH', '/w/default/api/settings', undefined, { raw: '' })).status).toBe(200);
    expect((await env.call('POST', '/w/default/api/domains', undefined, { raw: '' })).status).toBe(400);
  });
});
