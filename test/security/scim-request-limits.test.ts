// Finding 6 (issue 14): PATCH cost was operations × values with no cap (9,000 emails on one user, a
// 3,000-operation PATCH holding /_emulator/health for 11 s, a 1,000 KB displayName). Each request
// is now bounded, refused with a 400 in RFC 7644 form that names the limit, changing nothing.
import { describe, expect, it } from 'vitest';
import { MAX_ATTRIBUTE_VALUES, MAX_PATCH_OPERATIONS, MAX_STRING_LENGTH } from '../../src/scim/limits.js';
import { inProcess } from '../support/in-process.js';
import { scimClient } from '../support/scim.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

async function setup() {
  const env = inProcess();
  const client = await scimClient(env);
  const id = await client.user('ada@springfield.k12.us');
  return { ...env, ...client, id };
}

const emails = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ value: `ada.${from + i}@springfield.k12.us`, type: 'other' }));

describe('SCIM request limits', () => {
  it(`refuses a PATCH of more than ${MAX_PATCH_OPERATIONS} operations (invalidValue naming the limit), changing nothing`, async () => {
    const { scim, id, state } = await setup();
    const before = await state();
    const Operations = Array.from({ length: 3000 }, (_, i) => ({ op: 'add', path: 'emails', value: [{ value: `x${i}@springfield.k12.us` }] }));
    const res = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidValue' });
    expect(res.body.detail).toContain(String(MAX_PATCH_OPERATIONS));
    expect(await state()).toEqual(before);
  });

  it(`refuses more than ${MAX_ATTRIBUTE_VALUES} values in one multi-valued attribute, by POST, PUT or PATCH`, async () => {
    const { scim, id, state } = await setup();
    const before = await state();
    const post = await scim('POST', '/Users', { schemas: [USER], userName: 'bob@springfield.k12.us', emails: emails(9000) });
    const put = await scim('PUT', `/Users/${id}`, { schemas: [USER], userName: 'ada@springfield.k12.us', emails: emails(MAX_ATTRIBUTE_VALUES + 1) });
    // Within the limit per operation, over it together.
    const patch = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'add', path: 'emails', value: emails(60) },
        { op: 'add', path: 'emails', value: emails(60, 60) },
      ],
    });
    for (const res of [post, put, patch]) {
      expect(res.status).toBe(400);
      expect(res.body.scimType).toBe('invalidValue');
      expect(res.body.detail).toContain(String(MAX_ATTRIBUTE_VALUES));
    }
    expect(await state()).toEqual(before);
    // At the limit it is accepted.
    const ok = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'emails', value: emails(MAX_ATTRIBUTE_VALUES - 1) }] });
    expect(ok.status).toBe(200);
    expect(ok.body.emails).toHaveLength(MAX_ATTRIBUTE_VALUES);
  });

  it(`refuses a string attribute longer than ${MAX_STRING_LENGTH} characters`, async () => {
    const { scim, id, state } = await setup();
    const before = await state();
    const long = 'x'.repeat(1000 * 1024);
    const patch = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: long }] });
    const post = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'g'.repeat(MAX_STRING_LENGTH + 1) });
    for (const res of [patch, post]) {
      expect(res.status).toBe(400);
      expect(res.body.scimType).toBe('invalidValue');
      expect(res.body.detail).toContain(String(MAX_STRING_LENGTH));
    }
    expect(await state()).toEqual(before);
    const ok = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'y'.repeat(MAX_STRING_LENGTH) }] });
    expect(ok.status).toBe(200);
  });

  it('does not cap group membership changes (they stay linear)', async () => {
    const { scim, user } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) ids.push(await user(`m${i}@springfield.k12.us`));
    const group = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Everyone' });
    const res = await scim('PATCH', `/Groups/${group.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }] });
    expect(res.status).toBe(200);
    expect((await scim('GET', `/Groups/${group.body.id}`)).body.members).toHaveLength(120);
  });
});
