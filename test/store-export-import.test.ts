// Export and import at size: 50,000 SCIM users in groups, exported as a stream from one emulator
// and imported (past the 1 MiB API body limit) into a fresh durable one: the same users, groups
// and memberships, and the SCIM token made before the export still works.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/app.js';
import { createGroup } from '../src/scim/groups.js';
import { createUser } from '../src/scim/users.js';
import { DurableStore } from '../src/store/store.js';
import type { EmulatorState } from '../src/store/state.js';

const USERS = 50_000;
const GROUPS = 5;
const admin = (key: string) => ({ Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' });

describe('export and import at size', () => {
  it(`carries ${USERS.toLocaleString('en-US')} users, their groups and a SCIM token from one emulator to a fresh one`, async () => {
    const first = createEmulator({ adminKey: 'export-key-123' });
    const token = ((await (await first.app.request('/w/default/api/scim/tokens', { method: 'POST', headers: admin('export-key-123'), body: '{}' })).json()) as { token: string }).token;
    // Built in process for speed, with the same functions the SCIM routes call.
    const ws = first.core.state.workspaces.default!;
    const scope = { core: first.core, ws, actor: 'scim:test', baseUrl: 'http://localhost/w/default/scim/v2' };
    const ids: string[] = [];
    for (let i = 0; i < USERS; i++) {
      ids.push(createUser(scope, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `student${i}@big.example`, name: { givenName: 'S', familyName: `${i}` } }).member.id);
    }
    for (let g = 0; g < GROUPS; g++) {
      createGroup(scope, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Cohort ${g}`, members: ids.filter((_, i) => i % GROUPS === g || i % 999 === 0).map((value) => ({ value })) });
    }
    await first.store.commit();

    const exported = await first.app.request('/_emulator/state', { headers: admin('export-key-123') });
    expect(exported.status).toBe(200);
    const body = await exported.text();
    expect(body.length).toBeGreaterThan(1024 * 1024);
    const original = JSON.parse(body) as EmulatorState;

    const dir = await mkdtemp(join(tmpdir(), 'edu-emulator-import-'));
    const store = new DurableStore(join(dir, 'state.json'));
    const second = createEmulator({ adminKey: 'import-key-123', store, state: await store.load() });
    const put = await second.app.request('/_emulator/state', { method: 'PUT', headers: admin('import-key-123'), body });
    expect(put.status).toBe(200);

    const scim = { Authorization: `Bearer ${token}` };
    const last = await second.app.request(`/w/default/scim/v2/Users?filter=${encodeURIComponent(`userName eq "student${USERS - 1}@big.example"`)}`, { headers: scim });
    expect(last.status).toBe(200);
    const found = (await last.json()) as { totalResults: number; Resources: Array<{ id: string; groups: Array<{ display: string }> }> };
    expect(found.totalResults).toBe(1);
    expect(found.Resources[0]!.id).toBe(ids[USERS - 1]);
    expect(found.Resources[0]!.groups.map((g) => g.display)).toEqual([`Cohort ${(USERS - 1) % GROUPS}`]);
    const groups = (await (await second.app.request('/w/default/scim/v2/Groups?excludedAttributes=members', { headers: scim })).json()) as { totalResults: number };
    expect(groups.totalResults).toBe(GROUPS);

    // Everything came across: users, groups and memberships, as sets.
    await store.close();
    const reopened = new DurableStore(join(dir, 'state.json'));
    const saved = (await reopened.load())!;
    await reopened.release();
    const a = original.workspaces.default!;
    const b = saved.workspaces.default!;
    expect(Object.keys(b.members).length).toBe(USERS);
    expect(b.members).toEqual(a.members);
    // The token was used since (lastUsedAt), the rest is as exported.
    const tokenIds = Object.keys(a.scimTokens);
    expect(Object.keys(b.scimTokens)).toEqual(tokenIds);
    for (const id of tokenIds) expect(b.scimTokens[id]!.hash).toBe(a.scimTokens[id]!.hash);
    for (const [id, g] of Object.entries(a.groups)) {
      expect(b.groups[id]!.displayName).toBe(g.displayName);
      expect(new Set(b.groups[id]!.members)).toEqual(new Set(g.members));
    }
    expect(a.groups[Object.keys(a.groups)[0]!]!.members.length).toBeGreaterThan(USERS / GROUPS);
  }, 240_000);

  it('refuses an import that is not JSON or not a state, and changes nothing', async () => {
    const e = createEmulator({ adminKey: 'import-key-123' });
    await e.app.request('/_emulator/workspaces', { method: 'POST', headers: admin('import-key-123'), body: JSON.stringify({ id: 'north' }) });
    for (const [body, code] of [
      ['{"format": "edu-workspace-emulator/state", "workspaces": {', 'invalid_json'],
      ['{"format": "edu-workspace-emulator/state", "version": 1, "workspaces": {"a": {"id": "b"}}}', 'invalid_state'],
      ['', 'invalid_state'],
    ] as const) {
      const res = await e.app.request('/_emulator/state', { method: 'PUT', headers: admin('import-key-123'), body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
      expect(Object.keys(e.core.state.workspaces).sort()).toEqual(['default', 'north']);
    }
    const huge = await e.app.request('/_emulator/state', { method: 'PUT', headers: { ...admin('import-key-123'), 'Content-Length': String(600 * 1024 * 1024) }, body: '{}' });
    expect(huge.status).toBe(413);
  });
});
