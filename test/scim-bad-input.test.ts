// Requests RFC 7644 forbids, each answered with a SCIM error (status, scimType) and no change to
// the state; and the two JSON media types both accepted, answers always application/scim+json.
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

async function setup() {
  const t = inProcess();
  const { token } = (await t.call('POST', '/w/default/api/scim/tokens', {})).body;
  const scim = (method: string, path: string, body?: unknown, init: { raw?: string; headers?: Record<string, string> } = {}) =>
    t.call(method, `/w/default/scim/v2${path}`, body, { auth: token, ...init });
  await scim('GET', '/ServiceProviderConfig');
  const user = (await scim('POST', '/Users', { schemas: [USER], userName: 'ada@x.edu' })).body;
  const group = (await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'G' })).body;
  return { ...t, scim, user, group };
}

type Case = [string, string, string, unknown, { raw?: string; headers?: Record<string, string> }, number, string | undefined];

const cases: Case[] = [
  ['malformed JSON', 'POST', '/Users', undefined, { raw: '{"schemas": [', headers: { 'Content-Type': 'application/scim+json' } }, 400, 'invalidSyntax'],
  ['an empty body', 'POST', '/Users', undefined, {}, 400, 'invalidSyntax'],
  ['a JSON array', 'POST', '/Users', [{ userName: 'x@y.edu' }], {}, 400, 'invalidSyntax'],
  ['missing schemas', 'POST', '/Users', { userName: 'x@y.edu' }, {}, 400, 'invalidSyntax'],
  ['schemas of another type', 'POST', '/Users', { schemas: [GROUP], userName: 'x@y.edu' }, {}, 400, 'invalidSyntax'],
  ['missing userName', 'POST', '/Users', { schemas: [USER], name: { givenName: 'X' } }, {}, 400, 'invalidValue'],
  ['an empty userName', 'POST', '/Users', { schemas: [USER], userName: '  ' }, {}, 400, 'invalidValue'],
  ['userName of the wrong type', 'POST', '/Users', { schemas: [USER], userName: 42 }, {}, 400, 'invalidValue'],
  ['active of the wrong type', 'POST', '/Users', { schemas: [USER], userName: 'x@y.edu', active: 'yes' }, {}, 400, 'invalidValue'],
  ['name of the wrong type', 'POST', '/Users', { schemas: [USER], userName: 'x@y.edu', name: 'X Y' }, {}, 400, 'invalidValue'],
  ['two primary emails', 'POST', '/Users', { schemas: [USER], userName: 'x@y.edu', emails: [{ value: 'a@y.edu', primary: true }, { value: 'b@y.edu', primary: true }] }, {}, 400, 'invalidValue'],
  ['PUT without userName', 'PUT', '/Users/:user', { schemas: [USER] }, {}, 400, 'invalidValue'],
  ['a group without displayName', 'POST', '/Groups', { schemas: [GROUP] }, {}, 400, 'invalidValue'],
  ['members not an array', 'POST', '/Groups', { schemas: [GROUP], displayName: 'H', members: { value: 'x' } }, {}, 400, 'invalidValue'],
  ['a member without value', 'PUT', '/Groups/:group', { schemas: [GROUP], displayName: 'H', members: [{ display: 'x' }] }, {}, 400, 'invalidValue'],
  ['an unknown user id (GET)', 'GET', '/Users/usr_nope', undefined, {}, 404, undefined],
  ['an unknown user id (PUT)', 'PUT', '/Users/usr_nope', { schemas: [USER], userName: 'z@y.edu' }, {}, 404, undefined],
  ['an unknown user id (PATCH)', 'PATCH', '/Users/usr_nope', { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'remove', path: 'title' }] }, {}, 404, undefined],
  ['an unknown user id (DELETE)', 'DELETE', '/Users/usr_nope', undefined, {}, 404, undefined],
  ['an unknown group id', 'DELETE', '/Groups/grp_nope', undefined, {}, 404, undefined],
  ['an unknown endpoint', 'GET', '/Devices', undefined, {}, 404, undefined],
  ['a body over 1 MiB', 'POST', '/Users', undefined, { raw: JSON.stringify({ schemas: [USER], userName: 'big@y.edu', title: 'x'.repeat(1024 * 1024) }) }, 413, 'tooLarge'],
];

describe('refused SCIM requests', () => {
  it.each(cases)('%s → %s %s is %i', async (_what, method, path, body, init, status, scimType) => {
    const { scim, state, user, group } = await setup();
    const before = await state();
    const res = await scim(method, path.replace(':user', user.id).replace(':group', group.id), body, init);
    expect(res.status).toBe(status);
    expect(res.headers.get('Content-Type')).toBe('application/scim+json');
    expect(res.body).toMatchObject({ schemas: [ERROR], status: String(status), detail: expect.any(String) });
    if (scimType) expect(res.body.scimType).toBe(scimType);
    else expect(res.body).not.toHaveProperty('scimType');
    expect(await state()).toEqual(before);
  });
});

describe('media types and unknown attributes', () => {
  it.each(['application/json', 'application/scim+json', 'application/scim+json; charset=utf-8'])('accepts %s', async (type) => {
    const { scim } = await setup();
    const res = await scim('POST', '/Users', undefined, { raw: JSON.stringify({ schemas: [USER], userName: 'm@y.edu' }), headers: { 'Content-Type': type } });
    expect(res.status).toBe(201);
    expect(res.headers.get('Content-Type')).toBe('application/scim+json');
  });

  it('ignores unknown attributes and unknown schema URNs without storing them', async () => {
    const { scim, state } = await setup();
    const res = await scim('POST', '/Users', {
      schemas: [USER, 'urn:example:custom:2.0:User'],
      userName: 'u@y.edu',
      favouriteColour: 'green',
      'urn:example:custom:2.0:User': { badge: 7 },
      name: { givenName: 'U', shoeSize: 44 },
    });
    expect(res.status).toBe(201);
    expect(res.body.name).toEqual({ givenName: 'U' });
    const text = JSON.stringify(await state());
    for (const word of ['favouriteColour', 'badge', 'shoeSize']) expect(text).not.toContain(word);
  });
});
