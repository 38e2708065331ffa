// Every documented JSON operation, fed malformed or mis-shaped input, answers 4xx with an error
// code and changes nothing: no 500, no half-written state.
import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../src/openapi/operations.js';
import { inProcess } from './support/in-process.js';

const BAD_BODIES: [string, string][] = [
  ['malformed JSON', '{"a": '],
  ['a JSON array', '[1, 2, 3]'],
  ['a JSON string', '"text"'],
  ['an unknown field', '{"unexpected_field": true}'],
  ['wrong types everywhere', '{"domain": 5, "email": [], "name": {}, "displayName": 7, "level": true, "permissions": "all", "txt": "x", "advance": 8, "userIds": "u", "groupIds": 3, "users": "x", "vendor": "myspace", "protocol": "ldap"}'],
  ['deeply nested junk', JSON.stringify(JSON.parse('['.repeat(200) + ']'.repeat(200)))],
];

const withBodies = OPERATIONS.filter((op) => op.body !== undefined);

describe('bad input sweep', () => {
  it('covers every operation that takes a body', () => {
    expect(withBodies.length).toBeGreaterThan(25);
  });

  for (const op of withBodies) {
    it(`${op.method.toUpperCase()} ${op.path}`, async () => {
      const env = inProcess();
      await env.call('POST', '/_emulator/idps', { id: 'district', vendor: 'generic', users: [{ email: 'u@x.example' }], groups: ['G'] });
      const path = op.path
        .replace('{ws}', 'default')
        .replace('{idp}', 'district')
        .replace('{user}', 'u@x.example')
        .replace('{group}', 'G')
        .replace('{domain}', 'x.example')
        .replace('{name}', 'x.example')
        .replace('{id}', 'default');
      const before = await env.state();
      for (const [what, body] of BAD_BODIES) {
        const res = await env.call(op.method.toUpperCase(), path, undefined, { raw: body, headers: { 'Content-Type': 'application/json' } });
        expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
        expect(typeof res.body?.error?.code, what).toBe('string');
        expect(await env.state(), what).toEqual(before);
      }
    });
  }
});
