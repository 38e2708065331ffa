// Regression (issue 15, finding 5): the JSON body `null` is not an object and is refused (4xx, no
// change) wherever an object is expected; before, it was read as `{}` and e.g. PATCH settings
// answered 200. An empty body still means "no fields" where every field is optional.
import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../src/openapi/operations.js';
import { inProcess } from './support/in-process.js';
import { scimClient } from './support/scim.js';

const withBodies = OPERATIONS.filter((op) => op.body !== undefined || (op.method === 'put' && op.path === '/_emulator/state'));

function concrete(path: string): string {
  return path
    .replace('{ws}', 'default')
    .replace('{idp}', 'district')
    .replace('{user}', 'u@x.example')
    .replace('{group}', 'G')
    .replace('{domain}', 'x.example')
    .replace('{name}', 'x.example')
    .replace('{id}', 'default');
}

describe('a null body', () => {
  it('is refused by every documented operation that takes a body, and changes nothing', async () => {
    const env = inProcess();
    await env.call('POST', '/_emulator/idps', { id: 'district', vendor: 'generic', users: [{ email: 'u@x.example' }], groups: ['G'] });
    const before = await env.state();
    for (const op of withBodies) {
      const res = await env.call(op.method.toUpperCase(), concrete(op.path), undefined, { raw: 'null', headers: { 'Content-Type': 'application/json' } });
      expect(res.status, `${op.method} ${op.path}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${op.method} ${op.path}`).toBeLessThan(500);
      expect(await env.state(), `${op.method} ${op.path}`).toEqual(before);
    }
  });

  it('PATCH settings with null is a 400 invalid_request naming null', async () => {
    const env = inProcess();
    const res = await env.call('PATCH', '/w/default/api/settings', undefined, { raw: 'null', headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toMatch(/null/);
  });

  it('is refused by SCIM resource writes with invalidSyntax', async () => {
    const env = inProcess();
    const { scim, user, token } = await scimClient(env);
    const id = await user('ada@x.example');
    for (const [method, path] of [['POST', '/Users'], ['PUT', `/Users/${id}`], ['PATCH', `/Users/${id}`], ['POST', '/Groups'], ['POST', '/Users/.search']]) {
      const res = await env.call(method!, `/w/default/scim/v2${path}`, undefined, { raw: 'null', auth: token, headers: { 'Content-Type': 'application/scim+json' } });
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
    }
    expect((await scim('GET', `/Users/${id}`)).status).toBe(200);
  });

  it('an empty body still means no fields where every field is optional', async () => {
    const env = inProcess();
    const res = await env.call('PATCH', '/w/default/api/settings', undefined, { raw: '' });
    expect(res.status).toBe(200);
    const token = await env.call('POST', '/w/default/api/scim/tokens', undefined, { raw: '' });
    expect(token.status).toBe(201);
  });
});
