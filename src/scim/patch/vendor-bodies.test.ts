// PATCH bodies exactly as IdPs send them (fixtures/scim/<vendor>/, see each README), applied
// to a User or Group, with the result each vendor expects.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyPatch, type MemberChange } from './apply-patch.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/scim/${name}.json`, import.meta.url), 'utf8'));

const user = () => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: 'u1',
  userName: 'ada@example.edu',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  active: true,
  emails: [{ value: 'ada@example.edu', type: 'work', primary: true }],
});
const group = () => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: 'g1', displayName: 'Teachers' });

const patchUser = (name: string) => applyPatch(user(), fixture(name), 'User').resource as Record<string, any>;
const patchGroup = (name: string) => applyPatch(group(), fixture(name), 'Group');
const changes = (name: string): readonly MemberChange[] => patchGroup(name).memberChanges;

describe('Microsoft Entra ID (default)', () => {
  it('replaces the work email and family name', () => {
    const r = patchUser('entra/user-update-multi-valued');
    expect(r.emails).toEqual([{ value: 'updatedEmail@microsoft.com', type: 'work', primary: true }]);
    expect(r.name).toEqual({ givenName: 'Ada', familyName: 'updatedFamilyName' });
  });

  it('replaces the userName', () => {
    expect(patchUser('entra/user-update-single-valued').userName).toBe('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');
  });

  it('disables with "active": "False"', () => {
    expect(patchUser('entra/user-disable').active).toBe(false);
  });

  it('adds externalId, enterprise attributes, a bare-id manager and a mobile number', () => {
    const r = patchUser('entra/user-add-attributes');
    expect(r.externalId).toBe('0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef');
    expect(r[ENTERPRISE]).toEqual({ employeeNumber: '701984', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } });
    expect(r.schemas).toContain(ENTERPRISE);
    expect(r.phoneNumbers).toEqual([{ type: 'mobile', value: '+1 555 0100' }]);
  });

  it('adds and removes members with "$ref": null', () => {
    expect(changes('entra/group-add-members')).toEqual([{ kind: 'add', values: ['f648f8d5ea4e4cd38e9c'] }]);
    expect(changes('entra/group-remove-members')).toEqual([{ kind: 'remove', values: ['f648f8d5ea4e4cd38e9c'] }]);
  });

  it('renames a group', () => {
    expect(patchGroup('entra/group-update-display-name').resource.displayName).toBe(
      '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
    );
  });
});

describe('Microsoft Entra ID (aadOptscim062020)', () => {
  it('disables with a real boolean', () => {
    expect(patchUser('entra-aadoptscim062020/user-disable').active).toBe(false);
  });

  it('replaces several attributes in one path-less operation', () => {
    const r = patchUser('entra-aadoptscim062020/user-multiple-attributes');
    expect(r.displayName).toBe('Ada Lovelace');
    expect(r.name).toEqual({ givenName: 'Ada', familyName: 'Lovelace' });
    expect(r[ENTERPRISE]).toEqual({ department: 'Mathematics' });
  });

  it('adds a member and removes one by filter', () => {
    expect(changes('entra-aadoptscim062020/group-add-member')).toEqual([{ kind: 'add', values: ['7f4bc1a3-285e-48ae-8202-5accb43efb0e'] }]);
    expect(changes('entra-aadoptscim062020/group-remove-member')).toEqual([
      { kind: 'remove', values: ['7f4bc1a3-285e-48ae-8202-5accb43efb0e'] },
    ]);
  });
});

describe('Okta', () => {
  it('deactivates with a path-less replace', () => {
    expect(patchUser('okta/user-deactivate').active).toBe(false);
  });

  it('renames a pushed group, ignoring the id in the value', () => {
    const out = patchGroup('okta/group-rename');
    expect(out.resource).toEqual({ ...group(), displayName: 'Test SCIMv2' });
    expect(out.memberChanges).toEqual([]);
  });

  it('adds, removes and replaces pushed members', () => {
    expect(changes('okta/group-add-members')).toEqual([{ kind: 'add', values: ['23a35c27-23d3-4c03-b4c5-6443c09e7173'] }]);
    expect(changes('okta/group-remove-member')).toEqual([{ kind: 'remove', values: ['23a35c27-23d3-4c03-b4c5-6443c09e7173'] }]);
    expect(changes('okta/group-replace-members')).toEqual([
      { kind: 'removeAll' },
      { kind: 'add', values: ['23a35c27-23d3-4c03-b4c5-6443c09e7173', '89bb1940-b905-4575-9e7f-6f887cfb368e'] },
    ]);
  });
});

describe('OneLogin', () => {
  it('adds and removes members with value arrays', () => {
    expect(changes('onelogin/group-add-members')).toEqual([
      { kind: 'add', values: ['14c5f5a0-4c8f-4a8c-9f3e-1b2b3c4d5e6f', '2a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d'] },
    ]);
    expect(changes('onelogin/group-remove-members')).toEqual([{ kind: 'remove', values: ['14c5f5a0-4c8f-4a8c-9f3e-1b2b3c4d5e6f'] }]);
  });

  it('replaces the name and title', () => {
    const r = patchUser('onelogin/user-replace-attributes');
    expect(r.name).toEqual({ givenName: 'Grace', familyName: 'Hopper' });
    expect(r.title).toBe('Teacher');
  });
});

describe('JumpCloud', () => {
  it('adds a member and removes it by filter', () => {
    expect(changes('jumpcloud/group-add-members')).toEqual([{ kind: 'add', values: ['5f1b2c3d4e5f6a7b8c9d0e1f'] }]);
    expect(changes('jumpcloud/group-remove-member')).toEqual([{ kind: 'remove', values: ['5f1b2c3d4e5f6a7b8c9d0e1f'] }]);
  });

  it('deactivates a user', () => {
    expect(patchUser('jumpcloud/user-deactivate').active).toBe(false);
  });
});
