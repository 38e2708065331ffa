import { describe, expect, it } from 'vitest';
import { applyPatch, type PatchOperation } from './apply-patch.js';
import { errorOf } from '../../../test/support/errors.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const base = () => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: 'u1',
  externalId: 'ext-1',
  userName: 'ada@example.edu',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  displayName: 'Ada Lovelace',
  active: true,
  emails: [
    { value: 'ada@example.edu', type: 'work', primary: true },
    { value: 'ada@home.example', type: 'home' },
  ],
  groups: [{ value: 'g1', display: 'Teachers' }],
  meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-01T00:00:00Z' },
});

const body = (...Operations: PatchOperation[]) => ({ schemas: [PATCH], Operations });
const patchUser = (...ops: PatchOperation[]) => applyPatch(base(), body(...ops), 'User').resource as Record<string, any>;

const failUser = (...ops: PatchOperation[]) => errorOf(() => applyPatch(base(), body(...ops), 'User'));

describe('applyPatch: the PatchOp message', () => {
  it.each([
    ['not an object', 'x'],
    ['no schemas', { Operations: [{ op: 'add', path: 'title', value: 'x' }] }],
    ['wrong schema', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], Operations: [{ op: 'add', path: 'title', value: 'x' }] }],
    ['no Operations', { schemas: [PATCH] }],
    ['empty Operations', { schemas: [PATCH], Operations: [] }],
    ['Operations not an array', { schemas: [PATCH], Operations: { op: 'add' } }],
    ['unknown op', body({ op: 'move', path: 'title', value: 'x' })],
    ['op missing', { schemas: [PATCH], Operations: [{ path: 'title', value: 'x' }] }],
    ['add without value', body({ op: 'add', path: 'title' })],
  ])('rejects %s with invalidSyntax', (_, b) => {
    const e = errorOf(() => applyPatch(base(), b, 'User'));
    expect(e.status).toBe(400);
    expect(e.scimType).toBe('invalidSyntax');
    expect(e.code).toBe('invalid_syntax');
  });

  it('reads op names in any case (Entra sends Add/Replace/Remove)', () => {
    const r = patchUser({ op: 'Replace', path: 'title', value: 'Dr' }, { op: 'ADD', path: 'nickName', value: 'A' }, { op: 'Remove', path: 'displayName' });
    expect(r.title).toBe('Dr');
    expect(r.nickName).toBe('A');
    expect(r.displayName).toBeUndefined();
  });

  it('never mutates the input and is all-or-nothing', () => {
    const input = base();
    const snapshot = structuredClone(input);
    const e = errorOf(() =>
      applyPatch(input, body({ op: 'replace', path: 'title', value: 'Dr' }, { op: 'replace', path: 'active', value: 'maybe' }), 'User'),
    );
    expect(e.scimType).toBe('invalidValue');
    expect(e.message).toContain('Operations[1]');
    expect(e.details?.operation).toBe(1);
    expect(input).toEqual(snapshot);
    const ok = applyPatch(input, body({ op: 'replace', path: 'name.givenName', value: 'Augusta' }), 'User');
    expect(input).toEqual(snapshot);
    expect((ok.resource as any).name.givenName).toBe('Augusta');
    expect(ok.memberChanges).toEqual([]);
  });
});

describe('applyPatch: add (RFC 7644 §3.5.2.1)', () => {
  it('adds a single-valued attribute and replaces an existing one', () => {
    expect(patchUser({ op: 'add', path: 'title', value: 'Teacher' }).title).toBe('Teacher');
    expect(patchUser({ op: 'add', path: 'displayName', value: 'A.L.' }).displayName).toBe('A.L.');
  });

  it('merges sub-attributes into a complex attribute', () => {
    const r = patchUser({ op: 'add', path: 'name', value: { middleName: 'King', givenName: 'Augusta' } });
    expect(r.name).toEqual({ givenName: 'Augusta', familyName: 'Lovelace', middleName: 'King' });
  });

  it('appends to a multi-valued attribute without duplicating identical values', () => {
    const r = patchUser({
      op: 'add',
      path: 'emails',
      value: [{ value: 'ada@home.example', type: 'home' }, { value: 'ada@other.example', type: 'other' }],
    });
    expect(r.emails).toHaveLength(3);
    expect(r.emails[2]).toEqual({ value: 'ada@other.example', type: 'other' });
  });

  it('accepts a single value for a multi-valued attribute', () => {
    const r = patchUser({ op: 'add', path: 'phoneNumbers', value: { value: '+1 555 0100', type: 'work' } });
    expect(r.phoneNumbers).toEqual([{ value: '+1 555 0100', type: 'work' }]);
  });

  it('moves "primary" to the value that was just set primary (RFC 7644 §3.5.2)', () => {
    const r = patchUser({ op: 'add', path: 'emails', value: [{ value: 'new@example.edu', type: 'work', primary: true }] });
    expect(r.emails.filter((e: any) => e.primary === true)).toEqual([{ value: 'new@example.edu', type: 'work', primary: true }]);
    expect(r.emails[0].primary).toBe(false);
  });

  it('adds without path: attribute names, dotted paths, URN paths and the extension object', () => {
    const r = patchUser({
      op: 'add',
      value: {
        nickName: 'Ada',
        'name.middleName': 'King',
        [`${ENTERPRISE}:employeeNumber`]: '701984',
        [ENTERPRISE]: { department: 'Mathematics', manager: 'm1' },
        'urn:ietf:params:scim:schemas:core:2.0:User:title': 'Countess',
      },
    });
    expect(r.nickName).toBe('Ada');
    expect(r.name.middleName).toBe('King');
    expect(r.title).toBe('Countess');
    expect(r[ENTERPRISE]).toEqual({ employeeNumber: '701984', department: 'Mathematics', manager: { value: 'm1' } });
    expect(r.schemas).toContain(ENTERPRISE);
  });

  it('adds emails[type eq "work"].value when no work email exists, creating the element', () => {
    const r = patchUser(
      { op: 'remove', path: 'emails[type eq "work"]' },
      { op: 'add', path: 'emails[type eq "work"].value', value: 'ada@new.example' },
    );
    expect(r.emails).toEqual([{ value: 'ada@home.example', type: 'home' }, { type: 'work', value: 'ada@new.example' }]);
  });

  it('creates the described element on a user without emails, also for replace', () => {
    const r = applyPatch(
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: 'u2', userName: 'x' },
      body({ op: 'replace', path: 'emails[type eq "work" and primary eq true].value', value: 'x@y.z' }),
      'User',
    ).resource as any;
    expect(r.emails).toEqual([{ type: 'work', primary: true, value: 'x@y.z' }]);
  });

  it('updates a matching element through a value path', () => {
    const r = patchUser({ op: 'add', path: 'emails[type eq "home"].display', value: 'Home' });
    expect(r.emails[1]).toEqual({ value: 'ada@home.example', type: 'home', display: 'Home' });
  });

  it('ignores attributes outside the schema and unknown sub-attributes', () => {
    const r = patchUser({ op: 'add', value: { favouriteColour: 'green', name: { nickname: 'x', givenName: 'A' } } });
    expect(r.favouriteColour).toBeUndefined();
    expect(r.name).toEqual({ givenName: 'A', familyName: 'Lovelace' });
    expect(patchUser({ op: 'add', value: { 'urn:example:custom:2.0:User:badge': '1' } })).toEqual(base());
  });

  it('ignores an id or schemas inside a value', () => {
    const r = patchUser({ op: 'replace', value: { id: 'other', schemas: ['x'], title: 'T' } });
    expect(r.id).toBe('u1');
    expect(r.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User']);
    expect(r.title).toBe('T');
  });

  it('writes attributes under their canonical names whatever the case sent', () => {
    const r = patchUser({ op: 'replace', path: 'NAME.GIVENNAME', value: 'A' }, { op: 'add', path: 'NickName', value: 'n' });
    expect(r.name.givenName).toBe('A');
    expect(r.nickName).toBe('n');
    expect(Object.keys(r)).not.toContain('NickName');
  });
});

describe('applyPatch: replace (RFC 7644 §3.5.2.3)', () => {
  it('replaces a single-valued attribute', () => {
    expect(patchUser({ op: 'replace', path: 'userName', value: 'ada@new.example' }).userName).toBe('ada@new.example');
  });

  it('replaces all values of a multi-valued attribute', () => {
    const r = patchUser({ op: 'replace', path: 'emails', value: [{ value: 'only@example.edu', type: 'work' }] });
    expect(r.emails).toEqual([{ value: 'only@example.edu', type: 'work' }]);
  });

  it('merges a complex value, leaving other sub-attributes unchanged', () => {
    expect(patchUser({ op: 'replace', path: 'name', value: { givenName: 'Augusta' } }).name).toEqual({
      givenName: 'Augusta',
      familyName: 'Lovelace',
    });
    expect(patchUser({ op: 'replace', value: { name: { familyName: 'King' } } }).name).toEqual({ givenName: 'Ada', familyName: 'King' });
  });

  it('replaces the sub-attribute of the matched element only', () => {
    const r = patchUser({ op: 'replace', path: 'emails[type eq "work"].value', value: 'ada@work.example' });
    expect(r.emails).toEqual([
      { value: 'ada@work.example', type: 'work', primary: true },
      { value: 'ada@home.example', type: 'home' },
    ]);
  });

  it('matches value filters with the schema case rules', () => {
    const r = patchUser({ op: 'replace', path: 'emails[value eq "ADA@HOME.EXAMPLE"].type', value: 'other' });
    expect(r.emails[1].type).toBe('other');
  });

  it('fails with noTarget when a filter matches nothing and describes no new value', () => {
    const e = failUser({ op: 'replace', path: 'emails[value co "nowhere"].type', value: 'x' });
    expect(e.scimType).toBe('noTarget');
  });

  it('coerces "True"/"False" in any case for booleans (Entra)', () => {
    expect(patchUser({ op: 'replace', path: 'active', value: 'False' }).active).toBe(false);
    expect(patchUser({ op: 'replace', value: { active: 'FALSE' } }).active).toBe(false);
    expect(patchUser({ op: 'replace', path: 'active', value: 'true' }).active).toBe(true);
    expect(patchUser({ op: 'replace', path: 'emails[type eq "home"].primary', value: 'True' }).emails).toEqual([
      { value: 'ada@example.edu', type: 'work', primary: false },
      { value: 'ada@home.example', type: 'home', primary: true },
    ]);
  });

  it('stores manager as {value} whether given as a string or an object', () => {
    const asString = patchUser({ op: 'replace', path: `${ENTERPRISE}:manager`, value: 'm1' });
    expect(asString[ENTERPRISE]).toEqual({ manager: { value: 'm1' } });
    expect(asString.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE]);
    const asObject = patchUser({ op: 'replace', path: `${ENTERPRISE}:manager`, value: { value: 'm2', displayName: 'ignored' } });
    expect(asObject[ENTERPRISE]).toEqual({ manager: { value: 'm2' } });
    const viaSub = patchUser({ op: 'add', path: `${ENTERPRISE}:manager.value`, value: 'm3' });
    expect(viaSub[ENTERPRISE]).toEqual({ manager: { value: 'm3' } });
    const unqualified = patchUser({ op: 'add', path: 'manager', value: 'm4' });
    expect(unqualified[ENTERPRISE]).toEqual({ manager: { value: 'm4' } });
  });

  it('treats a null value as removal (RFC 7643 §2.5)', () => {
    expect(patchUser({ op: 'replace', path: 'displayName', value: null }).displayName).toBeUndefined();
  });
});

describe('applyPatch: remove (RFC 7644 §3.5.2.2)', () => {
  it('removes a single-valued attribute, a sub-attribute, and a whole multi-valued attribute', () => {
    expect(patchUser({ op: 'remove', path: 'displayName' }).displayName).toBeUndefined();
    expect(patchUser({ op: 'remove', path: 'name.familyName' }).name).toEqual({ givenName: 'Ada' });
    expect(patchUser({ op: 'remove', path: 'emails' }).emails).toBeUndefined();
    expect(patchUser({ op: 'remove', path: 'nickName' })).toEqual(base());
  });

  it('removes matching values and unassigns an attribute left empty', () => {
    expect(patchUser({ op: 'remove', path: 'emails[type eq "home"]' }).emails).toEqual([
      { value: 'ada@example.edu', type: 'work', primary: true },
    ]);
    expect(patchUser({ op: 'remove', path: 'emails[type eq "home" or type eq "work"]' }).emails).toBeUndefined();
    expect(patchUser({ op: 'remove', path: 'emails[type eq "other"]' }).emails).toHaveLength(2);
    expect(patchUser({ op: 'remove', path: 'emails[type eq "work"].primary' }).emails[0]).toEqual({ value: 'ada@example.edu', type: 'work' });
  });

  it('removes the given values of a multi-valued attribute', () => {
    expect(patchUser({ op: 'remove', path: 'emails', value: [{ value: 'ADA@home.example' }] }).emails).toEqual([
      { value: 'ada@example.edu', type: 'work', primary: true },
    ]);
  });

  it('removes an extension attribute and the extension when it empties', () => {
    const withManager = patchUser({ op: 'add', path: `${ENTERPRISE}:manager`, value: { value: 'm1' } });
    const r = applyPatch(withManager, body({ op: 'Remove', path: `${ENTERPRISE}:manager` }), 'User').resource as any;
    expect(r[ENTERPRISE]).toBeUndefined();
    expect(r.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User']);
    const whole = applyPatch(withManager, body({ op: 'remove', path: ENTERPRISE }), 'User').resource as any;
    expect(whole[ENTERPRISE]).toBeUndefined();
  });

  it('needs a path: noTarget', () => {
    const e = failUser({ op: 'remove' });
    expect(e.scimType).toBe('noTarget');
    expect(e.code).toBe('no_target');
  });

  it('refuses to remove or empty a required attribute with invalidValue', () => {
    for (const op of [
      { op: 'remove', path: 'userName' },
      { op: 'replace', path: 'userName', value: '' },
      { op: 'replace', path: 'userName', value: null },
      { op: 'replace', value: { userName: null } },
    ]) {
      const e = failUser(op);
      expect(e.scimType, JSON.stringify(op)).toBe('invalidValue');
    }
  });
});

describe('applyPatch: refusals', () => {
  it.each([
    ['id', { op: 'replace', path: 'id', value: 'x' }],
    ['meta', { op: 'replace', path: 'meta.lastModified', value: '2024-01-01T00:00:00Z' }],
    ['meta (whole)', { op: 'remove', path: 'meta' }],
    ['groups', { op: 'add', path: 'groups', value: [{ value: 'g2' }] }],
    ['groups (path-less)', { op: 'add', value: { groups: [{ value: 'g2' }] } }],
    ['groups (filter)', { op: 'remove', path: 'groups[value eq "g1"]' }],
    ['manager.displayName', { op: 'replace', path: `${ENTERPRISE}:manager.displayName`, value: 'x' }],
  ])('read-only %s → mutability', (_, op) => {
    const e = failUser(op as PatchOperation);
    expect(e.scimType).toBe('mutability');
    expect(e.status).toBe(400);
  });

  it.each([
    ['unparseable', 'emails[type eq "work"'],
    ['unknown attribute', 'favouriteColour'],
    ['unknown sub-attribute', 'name.nickname'],
    ['unknown sub-attribute after filter', 'emails[type eq "work"].colour'],
    ['filter on a single-valued attribute', 'name[givenName eq "Ada"]'],
    ['unknown schema', 'urn:example:custom:2.0:User:badge'],
  ])('%s path → invalidPath', (_, path) => {
    const e = failUser({ op: 'replace', path, value: 'x' });
    expect(e.scimType).toBe('invalidPath');
  });

  it('a malformed value filter → invalidPath; a filter the schema refuses → invalidFilter', () => {
    expect(failUser({ op: 'remove', path: 'emails[type eq]' }).scimType).toBe('invalidPath');
    expect(failUser({ op: 'remove', path: 'emails[primary gt true]' }).scimType).toBe('invalidFilter');
  });

  it.each([
    ['string attribute given a number', { op: 'replace', path: 'title', value: 5 }],
    ['boolean given a word', { op: 'replace', path: 'active', value: 'yes' }],
    ['complex given a string', { op: 'replace', path: 'name', value: 'Ada' }],
    ['sub-attribute given an object', { op: 'replace', path: 'name.givenName', value: { x: 1 } }],
    ['multi-valued element given a number', { op: 'add', path: 'emails', value: [5] }],
    ['two primary values', { op: 'replace', path: 'emails', value: [{ value: 'a', primary: true }, { value: 'b', primary: true }] }],
    ['path-less value not an object', { op: 'replace', value: 'x' }],
    ['extension given a string', { op: 'replace', value: { [ENTERPRISE]: 'x' } }],
  ])('%s → invalidValue', (_, op) => {
    const e = failUser(op as PatchOperation);
    expect(e.scimType).toBe('invalidValue');
    expect(e.code).toBe('invalid_value');
  });
});
