// Pins the provisioning planner: what a run must create, update, reactivate, deactivate and
// remove, and how group memberships follow, from the directory and the client's memory alone.
import { describe, expect, it } from 'vitest';
import type { IdpProvisioningTarget, IdpState } from '../../store/state.js';
import { addUser, createIdpState, deleteUser, moveUser, requireUser, updateUser } from '../directory.js';
import { planGroups, planUsers } from './plan.js';

const NOW = new Date('2030-09-01T08:00:00Z');

function directory(): IdpState {
  return createIdpState(
    {
      id: 'district',
      vendor: 'entra',
      users: [
        { email: 'ada@x.example', givenName: 'Ada', groups: ['Staff'] },
        { email: 'tom@x.example', givenName: 'Tom', groups: ['Teachers'] },
      ],
    },
    NOW,
  );
}

function pushedAll(idp: IdpState): IdpProvisioningTarget {
  const target: IdpProvisioningTarget = { baseUrl: 'https://scim.test', token: 't', dialect: 'entra', users: {}, groups: {} };
  for (const u of Object.values(idp.users)) {
    target.users[u.id] = { scimId: `s-${u.email}`, userName: u.email, email: u.email, ...(u.givenName ? { givenName: u.givenName } : {}), active: true };
  }
  for (const g of Object.values(idp.groups)) target.groups[g.id] = { scimId: `g-${g.displayName}`, displayName: g.displayName, members: [...g.members] };
  return target;
}

describe('planUsers', () => {
  it('creates every user in scope on a first run, and nobody out of scope', () => {
    const idp = directory();
    addUser(idp, { email: 'out@x.example', provisioned: false }, NOW);
    const plan = planUsers(idp, { baseUrl: 'b', token: 't', dialect: 'entra', users: {}, groups: {} });
    expect(plan.create.map((u) => u.userName)).toEqual(['ada@x.example', 'tom@x.example']);
  });

  it('sees changes, scope changes and deletions against what was pushed', () => {
    const idp = directory();
    const target = pushedAll(idp);
    expect(planUsers(idp, target)).toMatchObject({ create: [], update: [], deactivate: [], remove: [], unchanged: 2 });
    updateUser(idp, requireUser(idp, 'ada@x.example'), { familyName: 'Admin' }, NOW);
    updateUser(idp, requireUser(idp, 'tom@x.example'), { provisioned: false }, NOW);
    let plan = planUsers(idp, target);
    expect(plan.update).toEqual([{ user: expect.objectContaining({ userName: 'ada@x.example' }), scimId: 's-ada@x.example', changes: ['familyName'] }]);
    expect(plan.deactivate.map((d) => d.scimId)).toEqual(['s-tom@x.example']);
    target.users[requireUser(idp, 'tom@x.example').id]!.active = false;
    updateUser(idp, requireUser(idp, 'tom@x.example'), { provisioned: true }, NOW);
    expect(planUsers(idp, target).reactivate.map((r) => r.scimId)).toEqual(['s-tom@x.example']);
    deleteUser(idp, requireUser(idp, 'tom@x.example'), NOW);
    plan = planUsers(idp, target);
    expect(plan.remove).toEqual([{ user: expect.objectContaining({ userName: 'tom@x.example' }), scimId: 's-tom@x.example', active: false }]);
  });
});

describe('planGroups', () => {
  it('moves members between groups as one add and one remove', () => {
    const idp = directory();
    const target = pushedAll(idp);
    moveUser(idp, requireUser(idp, 'tom@x.example'), 'Teachers', 'Staff', NOW);
    const plan = planGroups(idp, target);
    expect(plan.members).toEqual([
      { key: expect.any(String), scimId: 'g-Staff', displayName: 'Staff', add: [{ scimId: 's-tom@x.example', userName: 'tom@x.example' }], remove: [] },
      { key: expect.any(String), scimId: 'g-Teachers', displayName: 'Teachers', add: [], remove: [{ scimId: 's-tom@x.example', userName: 'tom@x.example' }] },
    ]);
  });

  it('leaves out members that were never pushed', () => {
    const idp = directory();
    const plan = planGroups(idp, { baseUrl: 'b', token: 't', dialect: 'okta', users: {}, groups: {} });
    expect(plan.create.map((g) => [g.displayName, g.members.length])).toEqual([
      ['Staff', 0],
      ['Teachers', 0],
    ]);
  });
});
