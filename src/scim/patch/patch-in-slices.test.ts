// A PATCH that yields to the event loop between its operations (applyPatchInSlices) stays all or
// nothing and serialized with other writes to the same resource: nothing shows before it is done,
// a failing operation leaves nothing behind, and a write that overtook it is kept, not overwritten.
import { describe, expect, it } from 'vitest';
import { EmulatorCore } from '../../emulator.js';
import { createUser, patchUser, scimUser } from '../users.js';
import { applyPatch, applyPatchInSlices } from './apply-patch.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ops = (...o: unknown[]) => ({ schemas: [PATCH], Operations: o });
const turn = () => new Promise((resolve) => setImmediate(resolve));

function setup() {
  const core = new EmulatorCore();
  const ws = core.requireWorkspace('default');
  const scope = { core, ws, actor: 'test', baseUrl: 'http://localhost/w/default/scim/v2' };
  const id = createUser(scope, { schemas: [USER], userName: 'ada@springfield.k12.us', title: 'A' }).member.id;
  const attributes = () => scimUser(ws, id)!.record.attributes as Record<string, unknown>;
  return { scope, id, attributes, version: () => scimUser(ws, id)!.record.version };
}

describe('PATCH in slices', () => {
  it('gives the same outcome as in one go', async () => {
    const resource = { schemas: [USER], id: 'u1', userName: 'ada@springfield.k12.us', emails: [{ value: 'a@x.edu', type: 'work' }] };
    const body = ops(
      { op: 'add', path: 'emails', value: [{ value: 'b@x.edu', type: 'home', primary: true }] },
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'c@x.edu' },
      { op: 'remove', path: 'emails[value co "b@"]' },
      { op: 'add', path: 'name.givenName', value: 'Ada' },
    );
    expect(await applyPatchInSlices(resource, body, 'User', 0)).toEqual(applyPatch(resource, body, 'User'));
  });

  it('shows nothing while it runs, and nothing at all when an operation fails', async () => {
    const { scope, id, attributes } = setup();
    const failing = patchUser(scope, id, ops({ op: 'replace', path: 'title', value: 'B' }, { op: 'add', path: 'nickName', value: 'n' }, { op: 'replace', path: 'active', value: 'maybe' }), undefined, 0);
    await turn();
    await turn();
    expect(attributes().title).toBe('A');
    await expect(failing).rejects.toMatchObject({ scimType: 'invalidValue' });
    expect(attributes().title).toBe('A');
    expect(attributes().nickName).toBeUndefined();
  });

  it('runs again over a write that overtook it, so neither change is lost', async () => {
    const { scope, id, attributes, version } = setup();
    const before = version();
    const slow = patchUser(scope, id, ops({ op: 'replace', path: 'title', value: 'B' }, { op: 'add', path: 'nickName', value: 'n' }), undefined, 0);
    await turn();
    // Another client's PATCH lands while the first one waits between its operations.
    await patchUser(scope, id, ops({ op: 'replace', path: 'displayName', value: 'Ada L.' }), undefined, Infinity);
    await slow;
    expect(attributes()).toMatchObject({ title: 'B', nickName: 'n', displayName: 'Ada L.' });
    expect(version()).toBe(before + 2);
  });

  it('answers 412 when the version it was asked to patch was changed meanwhile', async () => {
    const { scope, id, version } = setup();
    const slow = patchUser(scope, id, ops({ op: 'replace', path: 'title', value: 'B' }, { op: 'add', path: 'nickName', value: 'n' }), `"${version()}"`, 0);
    await turn();
    await patchUser(scope, id, ops({ op: 'replace', path: 'displayName', value: 'Ada L.' }), undefined, Infinity);
    await expect(slow).rejects.toMatchObject({ status: 412 });
    // The same If-Match on the version that is there now goes through.
    await expect(patchUser(scope, id, ops({ op: 'replace', path: 'title', value: 'B' }, { op: 'add', path: 'nickName', value: 'n' }), `"${version()}"`, 0)).resolves.toBeDefined();
  });
});
