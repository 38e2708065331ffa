// Regression (issue 15, finding 7): a wrong method on a path the emulator serves answers 405 with
// an Allow header (RFC 9110 §15.5.6) in the error form of its route family, not 404 "No route".
import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../src/openapi/operations.js';
import { inProcess } from './support/in-process.js';
import { scimClient } from './support/scim.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function concrete(path: string): string {
  return path.replace('{ws}', 'default').replace('{idp}', 'district').replace(/\{\w+\}/g, 'some-id');
}

describe('wrong method', () => {
  it('answers 405 with Allow on every documented path, and changes nothing', async () => {
    const env = inProcess();
    await env.call('POST', '/_emulator/idps', { id: 'district', vendor: 'generic' });
    const before = await env.state();
    const templates = OPERATIONS.map((op) => ({ op, pattern: new RegExp(`^${op.path.replace(/\{\w+\}/g, '[^/]+')}$`) }));
    let checked = 0;
    for (const path of new Set(OPERATIONS.map((op) => op.path))) {
      // A path may match several templates (/roles/default and /roles/{id}): their methods together.
      const documented = new Set(templates.filter((t) => t.pattern.test(concrete(path))).map((t) => t.op.method));
      const allow = [...documented].map((m) => m.toUpperCase());
      if (documented.has('get')) allow.push('HEAD');
      for (const method of METHODS.filter((m) => !documented.has(m))) {
        const res = await env.call(method.toUpperCase(), concrete(path), undefined, method === 'get' ? {} : { raw: '{}', headers: { 'Content-Type': 'application/json' } });
        expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(405);
        expect(res.body.error.code).toBe('method_not_allowed');
        expect(res.headers.get('Allow')?.split(', ').sort(), `${method} ${path}`).toEqual(allow.sort());
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(await env.state()).toEqual(before);
  });

  it('answers in the SCIM error form on SCIM paths', async () => {
    const env = inProcess();
    const { token } = await scimClient(env);
    const res = await env.call('DELETE', '/w/default/scim/v2/Users', undefined, { auth: token });
    expect(res.status).toBe(405);
    expect(res.headers.get('Allow')).toBe('GET, HEAD, POST');
    expect(res.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '405' });
    const search = await env.call('GET', '/w/default/scim/v2/Users/.search', undefined, { auth: token });
    // GET /Users/.search reads as GET /Users/{id} with the id ".search": no such user.
    expect(search.status).toBe(404);
  });

  it('still answers 404 for a path nothing serves', async () => {
    const env = inProcess();
    const res = await env.call('GET', '/_emulator/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
