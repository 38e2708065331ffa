// Differential test: our PATCH engine against scim-patch on RFC-valid User operations.
//
// Excluded, because scim-patch departs from RFC 7644 there (each is covered by our own tests):
// - path-less add/replace of a complex attribute (`{"name": {...}}`): scim-patch overwrites the
//   whole value, §3.5.2.1/§3.5.2.3 keep the sub-attributes not given;
// - a path-less value keyed by an extension URN with an object: scim-patch splits the URN at
//   its last colon and writes under "…:2.0" → "User";
// - setting `primary: true`: scim-patch leaves other values primary (§3.5.2 clears them);
// - filters whose literals differ in case from the data: scim-patch matches case-sensitively;
// - vendor quirks and refusals: "False" strings, bare-id manager, unknown attributes (stored by
//   scim-patch), read-only attributes and required-attribute removal (accepted by scim-patch).

import { scimPatch, type ScimPatchOperation } from 'scim-patch';
import { describe, expect, it } from 'vitest';
import { applyPatch } from './apply-patch.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const user = () => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  id: 'u1',
  externalId: 'ext-1',
  userName: 'ada@example.edu',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  displayName: 'Ada Lovelace',
  title: 'Countess',
  active: true,
  emails: [
    { value: 'ada@example.edu', type: 'work', primary: true },
    { value: 'ada@home.example', type: 'home' },
  ],
  phoneNumbers: [{ value: '+1 555 0100', type: 'work' }],
  addresses: [{ type: 'work', locality: 'London', country: 'UK' }],
  [ENTERPRISE]: { employeeNumber: '701984', department: 'Mathematics', manager: { value: 'm1' } },
  meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-01T00:00:00Z' },
});

type Op = { op: string; path?: string; value?: unknown };
const CASES: Op[][] = [
  [{ op: 'replace', path: 'userName', value: 'ada.lovelace@example.edu' }],
  [{ op: 'replace', path: 'displayName', value: 'A. Lovelace' }],
  [{ op: 'add', path: 'nickName', value: 'Ada' }],
  [{ op: 'add', path: 'title', value: 'Analyst' }],
  [{ op: 'replace', path: 'active', value: false }],
  [{ op: 'Replace', path: 'active', value: true }],
  [{ op: 'replace', path: 'externalId', value: 'ext-2' }],
  [{ op: 'remove', path: 'title' }],
  [{ op: 'remove', path: 'displayName' }],
  [{ op: 'remove', path: 'externalId' }],
  [{ op: 'replace', path: 'name.givenName', value: 'Augusta' }],
  [{ op: 'add', path: 'name.middleName', value: 'King' }],
  [{ op: 'remove', path: 'name.familyName' }],
  [{ op: 'replace', path: 'name', value: { givenName: 'Augusta' } }],
  [{ op: 'add', path: 'name', value: { honorificPrefix: 'Countess' } }],
  [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'ada@work.example' }],
  [{ op: 'add', path: 'emails[type eq "home"].display', value: 'Home' }],
  [{ op: 'add', path: 'emails[type eq "other"].value', value: 'ada@other.example' }],
  [{ op: 'replace', path: 'emails[type eq "other"].value', value: 'ada@other.example' }],
  [{ op: 'remove', path: 'emails[type eq "home"]' }],
  [{ op: 'remove', path: 'emails[type eq "work" or type eq "home"]' }],
  [{ op: 'remove', path: 'emails[type eq "work"].primary' }],
  [{ op: 'remove', path: 'emails[value eq "ada@home.example"].type' }],
  [{ op: 'remove', path: 'emails' }],
  [{ op: 'add', path: 'emails', value: [{ value: 'ada@other.example', type: 'other' }] }],
  [{ op: 'add', path: 'emails', value: [{ value: 'ada@home.example', type: 'home' }] }],
  [{ op: 'add', path: 'emails', value: { value: 'x@y.example', type: 'other' } }],
  [{ op: 'replace', path: 'emails', value: [{ value: 'only@example.edu', type: 'work' }] }],
  [{ op: 'remove', path: 'emails', value: [{ value: 'ada@home.example', type: 'home' }] }],
  [{ op: 'replace', path: 'phoneNumbers[type eq "work"].value', value: '+1 555 0199' }],
  [{ op: 'add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0142' }],
  [{ op: 'remove', path: 'phoneNumbers[type eq "work"]' }],
  [{ op: 'replace', path: 'addresses[type eq "work"].locality', value: 'Marylebone' }],
  [{ op: 'add', path: 'addresses', value: [{ type: 'home', locality: 'Ockham' }] }],
  [{ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Analytical Engines' }],
  [{ op: 'add', path: `${ENTERPRISE}:costCenter`, value: 'CC-1' }],
  [{ op: 'remove', path: `${ENTERPRISE}:employeeNumber` }],
  [{ op: 'replace', path: `${ENTERPRISE}:manager`, value: { value: 'm2' } }],
  [{ op: 'replace', path: `${ENTERPRISE}:manager.value`, value: 'm3' }],
  [{ op: 'remove', path: `${ENTERPRISE}:manager` }],
  [{ op: 'replace', value: { displayName: 'Ada', title: 'Enchantress of Numbers' } }],
  [{ op: 'add', value: { nickName: 'Ada', 'name.middleName': 'King' } }],
  [{ op: 'replace', value: { 'name.givenName': 'Augusta', active: false } }],
  [{ op: 'add', value: { [`${ENTERPRISE}:division`]: 'Research' } }],
  [{ op: 'add', value: { emails: [{ value: 'new@example.edu', type: 'other' }] } }],
  [{ op: 'replace', value: { emails: [{ value: 'only@example.edu', type: 'home' }] } }],
  [
    { op: 'add', path: 'title', value: 'Analyst' },
    { op: 'replace', path: 'name.familyName', value: 'King' },
    { op: 'remove', path: 'emails[type eq "home"]' },
  ],
  [
    { op: 'remove', path: 'emails' },
    { op: 'add', path: 'emails', value: [{ value: 'a@b.example', type: 'work' }] },
    { op: 'replace', path: 'emails[type eq "work"].display', value: 'Work' },
  ],
  [
    { op: 'Add', path: 'nickName', value: 'A' },
    { op: 'Remove', path: 'nickName' },
  ],
];

describe('PATCH differential against scim-patch', () => {
  it('covers at least 40 operations', () => {
    expect(CASES.flat().length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES.map((ops) => [JSON.stringify(ops), ops] as const))('%s', (_, ops) => {
    const ours = applyPatch(user(), { schemas: [PATCH], Operations: ops }, 'User').resource;
    const theirs = scimPatch(user() as never, ops as ScimPatchOperation[], { mutateDocument: false, treatMissingAsAdd: true });
    expect(ours).toEqual(theirs);
  });
});

describe('scim-patch departures from RFC 7644 that our engine gets right', () => {
  const run = (ops: Op[]) => ({
    ours: applyPatch(user(), { schemas: [PATCH], Operations: ops }, 'User').resource as Record<string, any>,
    theirs: scimPatch(user() as never, ops as ScimPatchOperation[], { mutateDocument: false }) as unknown as Record<string, any>,
  });

  it('a path-less replace of a complex attribute keeps the sub-attributes not given (§3.5.2.3)', () => {
    const { ours, theirs } = run([{ op: 'replace', value: { name: { givenName: 'Augusta' } } }]);
    expect(ours.name).toEqual({ givenName: 'Augusta', familyName: 'Lovelace' });
    expect(theirs.name).toEqual({ givenName: 'Augusta' });
  });

  it('setting a value primary clears the others (§3.5.2)', () => {
    const { ours, theirs } = run([{ op: 'replace', path: 'emails[type eq "home"].primary', value: true }]);
    expect(ours.emails.filter((e: any) => e.primary === true)).toHaveLength(1);
    expect(theirs.emails.filter((e: any) => e.primary === true)).toHaveLength(2);
  });
});
