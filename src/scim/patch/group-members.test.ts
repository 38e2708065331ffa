import { describe, expect, it } from 'vitest';
import { applyPatch, type MemberChange, type PatchOperation } from './apply-patch.js';
import { errorOf } from '../../../test/support/errors.js';

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const group = () => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: 'g1', displayName: 'Teachers' });
const body = (...Operations: PatchOperation[]) => ({ schemas: [PATCH], Operations });
const patchGroup = (...ops: PatchOperation[]) => applyPatch(group(), body(...ops), 'Group');

// How a caller applies the delta: Set operations, in order.
function applyChanges(members: Set<string>, changes: readonly MemberChange[]): Set<string> {
  for (const c of changes) {
    if (c.kind === 'removeAll') members.clear();
    else if (c.kind === 'add') for (const v of c.values) members.add(v);
    else for (const v of c.values) members.delete(v);
  }
  return members;
}

describe('applyPatch on a Group: membership as a delta', () => {
  it('adds members by value array', () => {
    const out = patchGroup({ op: 'add', path: 'members', value: [{ value: 'u1' }, { value: 'u2', display: 'Bob' }, { value: 'u1' }] });
    expect(out.memberChanges).toEqual([{ kind: 'add', values: ['u1', 'u2'] }]);
    expect(out.resource).toEqual(group());
  });

  it('removes members by value array, with or without "$ref": null (Entra legacy)', () => {
    expect(patchGroup({ op: 'Remove', path: 'members', value: [{ value: 'u1' }] }).memberChanges).toEqual([{ kind: 'remove', values: ['u1'] }]);
    expect(patchGroup({ op: 'Remove', path: 'members', value: [{ $ref: null, value: 'u1' }, { $ref: null, value: 'u2' }] }).memberChanges).toEqual([
      { kind: 'remove', values: ['u1', 'u2'] },
    ]);
  });

  it('removes members by filter, including or-joined ids and any case', () => {
    expect(patchGroup({ op: 'remove', path: 'members[value eq "u1"]' }).memberChanges).toEqual([{ kind: 'remove', values: ['u1'] }]);
    expect(patchGroup({ op: 'remove', path: 'MEMBERS[VALUE EQ "u1" or value eq "u2"]' }).memberChanges).toEqual([
      { kind: 'remove', values: ['u1', 'u2'] },
    ]);
  });

  it('removes all members', () => {
    expect(patchGroup({ op: 'remove', path: 'members' }).memberChanges).toEqual([{ kind: 'removeAll' }]);
  });

  it('replaces members with an empty list or a new list', () => {
    expect(patchGroup({ op: 'replace', path: 'members', value: [] }).memberChanges).toEqual([{ kind: 'removeAll' }]);
    expect(patchGroup({ op: 'replace', path: 'members', value: [{ value: 'u3' }] }).memberChanges).toEqual([
      { kind: 'removeAll' },
      { kind: 'add', values: ['u3'] },
    ]);
  });

  it('takes members and displayName from a path-less replace or add, ignoring the id (Okta Group Push)', () => {
    const out = patchGroup({ op: 'replace', value: { id: 'g1', displayName: 'Math Teachers', members: [{ value: 'u9' }] } });
    expect(out.resource).toEqual({ ...group(), displayName: 'Math Teachers' });
    expect(out.memberChanges).toEqual([{ kind: 'removeAll' }, { kind: 'add', values: ['u9'] }]);
    expect(patchGroup({ op: 'add', value: { members: [{ value: 'u9' }] } }).memberChanges).toEqual([{ kind: 'add', values: ['u9'] }]);
  });

  it('keeps the order of operations so the caller replays them exactly', () => {
    const out = patchGroup(
      { op: 'add', path: 'members', value: [{ value: 'a' }, { value: 'b' }] },
      { op: 'remove', path: 'members[value eq "a"]' },
      { op: 'add', path: 'members', value: [{ value: 'c' }] },
    );
    expect([...applyChanges(new Set(['z']), out.memberChanges)].sort()).toEqual(['b', 'c', 'z']);
  });

  it('never copies or scans the stored members: the input members are ignored and not returned', () => {
    const members = Array.from({ length: 100_000 }, (_, i) => ({ value: `u${i}` }));
    const stored = { ...group(), members };
    const started = performance.now();
    const out = applyPatch(stored, body({ op: 'remove', path: 'members[value eq "u5"]' }), 'Group');
    expect(performance.now() - started).toBeLessThan(50);
    expect(out.resource).not.toHaveProperty('members');
    expect(out.memberChanges).toEqual([{ kind: 'remove', values: ['u5'] }]);
    expect(stored.members).toBe(members);
  });

  it('renames and refuses to remove the required displayName (invalidValue)', () => {
    expect(patchGroup({ op: 'replace', path: 'displayName', value: 'X' }).resource.displayName).toBe('X');
    expect(errorOf(() => patchGroup({ op: 'remove', path: 'displayName' })).scimType).toBe('invalidValue');
  });

  it('is all-or-nothing: no member change comes out of a failing request', () => {
    const e = errorOf(() => patchGroup({ op: 'add', path: 'members', value: [{ value: 'u1' }] }, { op: 'replace', path: 'id', value: 'x' }));
    expect(e.scimType).toBe('mutability');
  });

  it.each([
    ['a member without value', { op: 'add', path: 'members', value: [{ display: 'x' }] }, 'invalidValue'],
    ['a member with a numeric value', { op: 'add', path: 'members', value: [{ value: 5 }] }, 'invalidValue'],
    ['a member sub-attribute', { op: 'replace', path: 'members[value eq "u1"].display', value: 'x' }, 'mutability'],
    ['a member sub-attribute without filter', { op: 'replace', path: 'members.value', value: 'x' }, 'mutability'],
    ['a member filter on another sub-attribute', { op: 'remove', path: 'members[display eq "x"]' }, 'invalidFilter'],
    ['a member filter joined by and', { op: 'remove', path: 'members[value eq "a" and value eq "b"]' }, 'invalidFilter'],
    ['replace with a member filter', { op: 'replace', path: 'members[value eq "u1"]', value: { value: 'u2' } }, 'invalidPath'],
    ['a User-only attribute', { op: 'replace', path: 'userName', value: 'x' }, 'invalidPath'],
  ])('refuses %s', (_, op, scimType) => {
    expect(errorOf(() => patchGroup(op as PatchOperation)).scimType).toBe(scimType);
  });
});
